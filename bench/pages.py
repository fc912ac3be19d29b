"""Server-side render time of the dashboard's pages for the provincial committee, over the demo data.

    .venv/bin/python -m bench.pages [--scale small|province] [--data FOLDER] [--rounds 20]

1. Generates the demo province (`partyledger demo`'s seed: scale small, seed 2025) into an embedded ledger in
   FOLDER (kept, so a second run skips this), and brings every read model up to date in-process.
2. Signs in as the provincial administrator and requests each page `--rounds` times in-process (Litestar's
   TestClient: the whole request path, template rendering included, without a network or a browser).
3. Prints the median and the 95th percentile per page; the target is under 300 ms.
"""

from __future__ import annotations

import argparse
import logging
import re
import statistics
import time
from pathlib import Path
from tempfile import mkdtemp

from litestar import Litestar
from litestar.testing import TestClient

from eventstore import open_store
from services.api.app import create_app
from services.api.web.session import COOKIE, service_session
from services.commands.actors import Actor, Role
from services.projection_runtime import catch_up_every_unit
from services.seed import generate_province
from services.seed.plan import Scale
from services.settings import Settings

TARGET_MS = 300.0
ADMIN = Actor("admin.tinhuy", Role.PROVINCIAL_ADMIN, "unit-province")


def prepare(folder: Path, scale: Scale) -> Settings:
    """The demo ledger, generated once, with every unit's read models caught up."""
    settings = Settings.from_environment({"PARTYLEDGER_DATA_DIR": str(folder), "PARTYLEDGER_BROKER_URL": "memory://"})
    folder.mkdir(parents=True, exist_ok=True)
    store = open_store(settings.database_url)
    if store.head_position() == 0:
        started = time.perf_counter()
        generate_province(store, scale=scale, seed=2025)
        print(f"generated {scale} province: {store.head_position():,} events in {time.perf_counter() - started:.0f} s")
    store.close()
    catch_up_every_unit(settings)
    return settings


def timed(client: TestClient[Litestar], path: str, rounds: int) -> list[float]:
    client.get(path)  # warm: templates compiled, caches filled
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        answer = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200 and 'name="password"' not in answer.text, (path, answer.status_code)
    return times


def pages(client: TestClient[Litestar]) -> dict[str, str]:
    """The pages an officer of the provincial committee opens, with a person found through the files list."""
    files = client.get("/web/units/unit-province/files").text
    person = re.search(r'href="(/web/people/person-[0-9a-f]+)"', files)
    chosen = {
        "cây tổ chức": "/web/units",
        "tìm kiếm “chinh tri”": "/web/units?q=chinh%20tri",
        "bảng tổng hợp Tỉnh ủy": "/web/units/unit-province?year=2025",
        "hồ sơ (100 dòng)": "/web/units/unit-province/files",
        "thống kê HD 11": "/web/units/unit-province/statistics?year=2025",
        "tệp Excel": "/web/units/unit-province/statistics.xlsx?year=2025",
        "chuyển sinh hoạt đến": "/web/units/unit-province/transfers",
    }
    if person:
        chosen["hồ sơ một người"] = person.group(1)
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", choices=["small", "province"], default="small")
    parser.add_argument("--data", type=Path, default=None, help="Folder for the ledger (kept between runs)")
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request would bury the figures
    scale: Scale = "province" if args.scale == "province" else "small"
    settings = prepare(args.data or Path(mkdtemp(prefix="bench-pages-")), scale)
    with TestClient(app=create_app(settings)) as client:
        # a server-side session, as a pasted token opens (a token in the cookie only showed the sign-in page)
        client.cookies.set(COOKIE, service_session(client.app.state.ledger, ADMIN, "bench.pages"), path="/web")
        print(f"{'page':<26} {'median ms':>10} {'p95 ms':>8}  (target < {TARGET_MS:.0f} ms)")
        for name, path in pages(client).items():
            times = sorted(timed(client, path, args.rounds))
            p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
            print(f"{name:<26} {statistics.median(times):>10.1f} {p95:>8.1f}")


if __name__ == "__main__":
    main()
