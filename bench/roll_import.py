"""Importing a province's roll from one .xlsx, beside the raw read of the same file by the same library.

    .venv/bin/python -m bench.roll_import --members 40000            # writes into a scratch PostgreSQL database
    .venv/bin/python -m bench.roll_import --members 400000 --profile # and where the time goes (cProfile)

Makes a workbook shaped like a large city's roll (≈16 members a cell, 5 cells a grassroots committee, 30
grassroots committees a commune committee) with openpyxl's write-only mode, then times, in one run:

- **raw read**: openpyxl `load_workbook(read_only=True)` iterating every row's values — the floor;
- **read**: `read_roll`, the same read plus turning each cell into typed values;
- **plan**: `import_roll(write=False)` — every row decided by the domain against the tree the file builds;
- **import**: `import_roll(write=True)` on a ledger given its province by `found_province` — plan and write,
  the members' sheet read by a second process while the rows already read are decided, as
  `partyledger import-members` does (`--serial-read`: the whole file read first). Its phases: `read` is the
  units' sheet (and the reader's start), `plan` includes waiting for the members' rows.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import tempfile
import time
from datetime import date
from pathlib import Path

from openpyxl import Workbook, load_workbook

from bench.append import scratch_database
from eventstore import open_store
from services.commands.actors import Actor, Role
from services.commands.context import CommandContext
from services.commands.person_ids import PersonIdKey
from services.commands.province import found_province
from services.commands.roll_import import import_roll
from services.commands.roll_reading import read_roll_in_parallel
from services.commands.roll_sheets import MEMBER_COLUMNS, MEMBERS_SHEET, UNIT_COLUMNS, UNITS_SHEET, read_roll

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/postgres"
MEMBERS_PER_CELL, CELLS_PER_GRASSROOTS, GRASSROOTS_PER_COMMUNE = 16, 5, 30
BENCH_KEY = PersonIdKey(b"bench-roll-import-person-id-key-0123456789")
NAMES = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Võ Thị Phượng")


def make_workbook(path: Path, members: int) -> tuple[int, int]:
    """The roll of `members` members and their units under province code HCM; answers (units, members)."""
    book = Workbook(write_only=True)
    units_sheet = book.create_sheet(UNITS_SHEET)
    units_sheet.append([c.header for c in UNIT_COLUMNS])
    cells = -(-members // MEMBERS_PER_CELL)
    grassroots = -(-cells // CELLS_PER_GRASSROOTS)
    communes = -(-grassroots // GRASSROOTS_PER_COMMUNE)
    for c in range(communes):
        units_sheet.append([f"X{c}", f"Đảng bộ phường số {c + 1}", "Đảng bộ cấp trên trực tiếp của cơ sở", "HCM", ""])
    for g in range(grassroots):
        units_sheet.append([f"X{g // GRASSROOTS_PER_COMMUNE}.G{g}", f"Đảng bộ cơ sở số {g + 1}", "Đảng bộ cơ sở",
                            f"X{g // GRASSROOTS_PER_COMMUNE}", "Có"])  # fmt: skip
    cell_codes = []
    for k in range(cells):
        g = k // CELLS_PER_GRASSROOTS
        parent = f"X{g // GRASSROOTS_PER_COMMUNE}.G{g}"
        cell_codes.append(f"{parent}.C{k}")
        units_sheet.append([cell_codes[-1], f"Chi bộ số {k + 1}", "Chi bộ", parent, ""])
    sheet = book.create_sheet(MEMBERS_SHEET)
    sheet.append([c.header for c in MEMBER_COLUMNS])
    for n in range(members):
        year = 1960 + n % 40
        female = n % 2 == 1
        digit = "1" if female else "0"
        citizen = f"079{digit}{year % 100:02d}{n // 40:06d}"
        born = date(year, 1 + n % 12, 1 + n % 28)
        admitted = date(year + 25, 3, 10)
        ceremony = date(year + 25, 3, 24)
        sheet.append([citizen, NAMES[n % len(NAMES)], "Nữ" if female else "Nam", born, "Kinh", "Không", "Đại học",
                      "Viên chức đơn vị sự nghiệp công lập", None, cell_codes[n // MEMBERS_PER_CELL], admitted,
                      ceremony, date(year + 26, 3, 24), f"Thẻ đảng viên số {n:08d}"])  # fmt: skip
    book.save(path)
    return communes + grassroots + cells, members


def raw_read(path: Path) -> tuple[int, float]:
    started = time.perf_counter()
    book = load_workbook(path, read_only=True, data_only=True)
    rows = 0
    for name in book.sheetnames:
        sheet = book[name]
        sheet.reset_dimensions()  # as read_roll does: no second pass to find a size the file does not store
        rows += sum(1 for _ in sheet.iter_rows(values_only=True))
    book.close()
    return rows, time.perf_counter() - started


class Phases:
    """When each phase of the import ended (from its progress reports): where the time goes, without a profiler."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.ends: dict[str, float] = {}

    def __call__(self, phase: str, done: int, total: int) -> None:
        self.ends[phase] = time.perf_counter()

    def read(self) -> None:
        self.ends["read"] = time.perf_counter()

    def line(self) -> str:
        parts, last = [], self.started
        for phase, end in self.ends.items():
            parts.append(f"{phase} {end - last:.1f} s")
            last = end
        return ", ".join(parts)


def timed_import(url: str, path: Path, *, write: bool, profile: Path | None, serial: bool = False) -> tuple[str, float]:
    store = open_store(url, durable=False)  # as `partyledger import-members` opens it
    try:
        ctx = CommandContext(store, person_key=BENCH_KEY)  # as a deployment's PARTYLEDGER_PERSON_ID_KEY
        found_province(ctx, "HCM", "Đảng bộ Thành phố Hồ Chí Minh")
        actor = Actor("bench-import", Role.PROVINCIAL_ADMIN, "unit-hcm")
        started = time.perf_counter()
        profiler = cProfile.Profile() if profile else None
        if profiler:
            profiler.enable()
        phases = Phases()
        if serial:
            roll = read_roll(path)
            phases.read()
            report = import_roll(ctx, actor, roll, write=write, progress=phases)
        else:  # as `partyledger import-members` reads it: the members by a second process, while deciding
            with read_roll_in_parallel(path) as parallel:
                phases.read()
                report = import_roll(ctx, actor, parallel, write=write, progress=phases)
        if profiler:
            profiler.disable()
            profiler.dump_stats(str(profile))
        elapsed = time.perf_counter() - started
    finally:
        store.close()
    assert not report.problems, report.problems[:3]
    return f"{report.summary_vi()}\n  phases: {phases.line()}", elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=40_000)
    parser.add_argument("--url", default=os.environ.get("PARTYLEDGER_BENCH_POSTGRES_URL", DEFAULT_PG))
    parser.add_argument("--profile", action="store_true", help="Print the import's top functions by own time.")
    parser.add_argument("--no-dry-run", action="store_true", help="Only the raw read and the import.")
    parser.add_argument("--serial-read", action="store_true", help="Read the whole file before deciding (as before).")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "roll.xlsx"
        started = time.perf_counter()
        units, members = make_workbook(path, args.members)
        size = path.stat().st_size / 1e6
        made = time.perf_counter() - started
        print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start")
        print(f"workbook: {units:,} units, {members:,} members, {size:.1f} MB, made in {made:.1f} s")
        rows, seconds = raw_read(path)
        print(f"raw read (openpyxl read-only, values): {rows:,} rows in {seconds:.1f} s ({rows / seconds:,.0f} rows/s)")
        if not args.no_dry_run:  # the import's own phases show its read too
            started = time.perf_counter()
            count = len(read_roll(path).members)
            seconds = time.perf_counter() - started
            print(f"read_roll (typed rows): {count:,} members in {seconds:.1f} s ({count / seconds:,.0f}/s)")
        if not args.no_dry_run:
            with scratch_database(args.url) as url:
                summary, seconds = timed_import(url, path, write=False, profile=None)
                print(f"dry run on PostgreSQL (read + plan): {seconds:.1f} s ({members / seconds:,.0f} members/s)")
                print(f"  {summary}")
        with scratch_database(args.url) as url:
            profile = Path(folder) / "import.prof" if args.profile else None
            summary, seconds = timed_import(url, path, write=True, profile=profile, serial=args.serial_read)
            print(f"import on PostgreSQL (read + plan + write): {seconds:.1f} s ({members / seconds:,.0f} members/s)")
            print(f"  {summary}")
            if profile:
                pstats.Stats(str(profile)).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
