"""Run a benchmark against another revision of the program, in the same run.

``at_revision(ref, script, args)`` extracts revision ``ref`` (``git archive``) into a temporary
folder and runs ``script`` (this checkout's benchmark script) there in a child process with the
same Python, importing that revision's program. The child's ``main()`` must return a JSON-able
dict; its printed lines are shown, and the dict is returned. Benchmarks use it to print
before/after figures measured minutes apart on the same machine.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def checkout(ref: str) -> Iterator[Path]:
    """A temporary folder holding revision ``ref`` of the repository."""
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", ref], capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        yield Path(tmp)


def run_main(folder: Path, script: str | Path, args: Sequence[str] = ()) -> dict:
    """Run ``script``'s ``main()`` with ``args`` importing the program in ``folder``."""
    env = dict(os.environ, PYTHONPATH=str(folder))
    code = (
        "import json, runpy, sys; script = sys.argv[1]; sys.argv = ['bench', *sys.argv[2:]];"
        "g = runpy.run_path(script, run_name='x'); print('JSON' + json.dumps(g['main']()))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(Path(script).resolve()), *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lines = out.splitlines()
    print("\n".join(ln for ln in lines if not ln.startswith("JSON")))
    return json.loads(next(ln for ln in lines if ln.startswith("JSON"))[4:])


def at_revision(ref: str, script: str | Path, args: Sequence[str] = ()) -> dict:
    """``main()`` of ``script`` run against revision ``ref`` (see the module)."""
    print(f"--- revision {ref} ---", flush=True)
    with checkout(ref) as folder:
        return run_main(folder, script, args)


def load_average() -> str:
    """The machine's load averages (1, 5, 15 min) and core count, for the record."""
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "load average unknown"
    return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} on {os.cpu_count()} cores"


def run_against(main: Callable[[], dict], script: str | Path, frames: int):
    """Run a benchmark's ``main()`` as the command line asks (``--frames N``; ``--compare REF``:
    first the same script against revision REF): (REF or None, REF's figures or None, this
    revision's figures). The load average is printed first."""
    import argparse

    cli = argparse.ArgumentParser(add_help=False)
    cli.add_argument("--compare")
    cli.add_argument("--frames", type=int, default=frames)
    known, _ = cli.parse_known_args()
    print(load_average())
    before = None
    if known.compare:
        before = at_revision(known.compare, script, ["--frames", str(known.frames)])
        print("--- this revision ---")
    return known.compare, before, main()
