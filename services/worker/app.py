"""The Celery app: Redis in production, kombu's SQLAlchemy transport on SQLite on the embedded default.

`celery -A services.worker.app worker` and `celery -A services.worker.app beat` run it. Tasks are
doorbells; the truth is the log, so a lost, repeated or late message never changes an outcome.
"""

from __future__ import annotations

from celery import Celery
from celery.schedules import crontab
from kombu.entity import Queue

from services.settings import Settings, get_settings

from .redis_transport import TRANSPORT

RETENTION_SCHEDULE = crontab(hour=19, minute=30)
"""R-PRIVACY-RETAIN's daily run at 02:30 in Vietnam (19:30 UTC), when no one records."""


def create_app(settings: Settings) -> Celery:
    app = Celery("partyledger", broker=settings.broker_url, include=["services.worker.tasks"])
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        task_default_queue=settings.queue,
        task_queues=[Queue(settings.queue)],
        task_routes={"partyledger.seal": {"queue": settings.seal_queue or settings.queue}},
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        beat_schedule={
            "sweep-units-behind": {"task": "partyledger.sweep", "schedule": settings.sweep_seconds},
            "seal-the-log": {"task": "partyledger.seal", "schedule": settings.seal_seconds},
            "follow-reorganisations": {"task": "partyledger.follow-reorganisations", "schedule": 6 * 3600},
            "erase-past-retention": {"task": "partyledger.retention", "schedule": RETENTION_SCHEDULE},
        },
        beat_schedule_filename=str(settings.data_dir / "beat-schedule"),
        timezone="UTC",
    )
    if settings.broker_url.startswith("redis://"):
        app.conf.broker_transport = TRANSPORT  # survives Redis going away mid-task (see redis_transport)
    return app


app = create_app(get_settings())
