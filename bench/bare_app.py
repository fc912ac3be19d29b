"""The baseline for bench/http.py: a bare Litestar endpoint that inserts one row with the same driver and pool."""

from __future__ import annotations

import os
from typing import Any

from litestar import Litestar, post
from psycopg.types.json import Jsonb

from eventstore.postgres import postgres_pool

POOL = postgres_pool(os.environ["BARE_DATABASE_URL"], size=10)


@post("/bare", sync_to_thread=True)
def bare(data: dict[str, Any]) -> dict[str, int]:
    with POOL.connection() as connection:
        row = connection.execute("INSERT INTO bare_rows (data) VALUES (%s) RETURNING id", (Jsonb(data),)).fetchone()
    return {"id": int(row[0]) if row else 0}


app = Litestar(route_handlers=[bare])
