"""The command line starts without the web stack: an operator's command (and every process a
`rebuild --jobs N` spawns, which imports the entry point again) paid ~2 s of Litestar and uvicorn imports
that only `partyledger demo` uses."""

from __future__ import annotations

import subprocess
import sys

WEB_STACK = ("litestar", "uvicorn", "advanced_alchemy", "services.api.app")


def test_importing_the_command_line_leaves_the_web_stack_unloaded() -> None:
    probe = (
        "import sys, services.cli.main; "
        f"print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in {WEB_STACK!r} or m in {WEB_STACK!r})))"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == ""
