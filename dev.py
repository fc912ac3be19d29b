#!/usr/bin/env python3
"""Bootstrap a fresh machine and run Party Ledger: `python3 dev.py demo` or `python3 dev.py test`.

Needs only Python >= 3.11. It keeps a private virtual environment in `.venv`, installs exactly what
`requirements.lock` pins (with hashes) whenever the lock or `pyproject.toml` changed, then runs the
command. Any other arguments are passed to the `partyledger` command line.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".partyledger-lock"


def _lock_digest() -> str:
    digest = hashlib.sha256()
    for name in ("requirements.lock", "pyproject.toml"):
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def _run(*args: str | Path) -> None:
    subprocess.run([str(a) for a in args], check=True, cwd=ROOT)


def ensure_environment() -> None:
    """Create or refresh `.venv` so that it holds exactly the locked packages."""
    if sys.version_info < (3, 11):  # noqa: UP036  # dev.py runs on whatever python3 the machine has
        sys.exit(f"Party Ledger needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not PYTHON.exists():
        print("dev.py: creating .venv", file=sys.stderr)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = _lock_digest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    print("dev.py: installing the locked dependencies into .venv", file=sys.stderr)
    uv = BIN / "uv"
    if not uv.exists():
        _run(PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "uv")
    _run(uv, "pip", "sync", "--quiet", "--python", PYTHON, "--require-hashes", "requirements.lock")
    _run(uv, "pip", "install", "--quiet", "--python", PYTHON, "--no-deps", "--editable", ".")
    STAMP.write_text(wanted)


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help"}:
        print(__doc__)
        return 0
    ensure_environment()
    if argv[0] == "test":
        command = [str(PYTHON), "-m", "pytest", *argv[1:]]
    else:
        command = [str(BIN / "partyledger"), *argv]
    return subprocess.call(command, cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
