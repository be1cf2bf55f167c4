"""Time from process start to the first rendered frame of the main window.

Run: python benchmarks/bench_startup.py [--runs N] [--compare REF]   (needs a display: xvfb-run)

Each run starts a fresh Python process that imports the program, opens the main window and
reports, from the moment the process started, when the 3-D view finished its first render.
The median over N runs is printed, with the phases of start-up of the last run, and the CPU
time the process had used by then (all its threads): on a machine shared with other work the
wall time grows with the load, the CPU time far less.

With ``--compare REF`` (a git revision, e.g. ``main``) the runs alternate between that revision
(extracted with ``git archive``, see revision.py) and this one, so that both meet the same load
on a shared machine; the medians and their ratio are printed with the load averages.

The program keeps its compiled model in the user's cache folder; a first start compiles it.
``--cold`` adds runs of this revision without it (XDG_CACHE_HOME pointing to a folder that
holds the other caches, e.g. the shader cache of the OpenGL driver, but not the program's):
the first start after installing, or after an update of MuJoCo or MyoLeg.

Bytecode: in an environment that sets PYTHONDONTWRITEBYTECODE, the program's own modules are
compiled at every start (an installed program has them compiled once); ``--bytecode`` compiles
both revisions' modules beforehand (``__pycache__`` beside them, ignored by git) and measures
start-up as an installed program sees it.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

CHILD = r"""
import json, sys, time
t_start = float(sys.argv[1])
marks = {}
from PySide6.QtWidgets import QApplication
from PySide6.QtCore import QTimer
marks["qt imported"] = time.time() - t_start
from anatomy_viewer.ui.main_window import MainWindow
marks["program imported"] = time.time() - t_start
app = QApplication(sys.argv[:1])
w = MainWindow(gait="walking", autoplay=False)
marks["window built"] = time.time() - t_start
def first_render(obj, event):
    if "first frame" not in marks:
        marks["first frame"] = time.time() - t_start
        import resource
        use = resource.getrusage(resource.RUSAGE_SELF)
        marks["cpu"] = use.ru_utime + use.ru_stime
        print(json.dumps(marks), flush=True)
        QTimer.singleShot(0, app.quit)
w.render_window.AddObserver("EndEvent", first_render)
w.show()
app.exec()
w.close()
"""

ROOT = Path(__file__).resolve().parent.parent


def one_run(folder: Path, env: dict) -> dict:
    t0 = time.time()
    out = subprocess.run(
        [sys.executable, "-c", CHILD, repr(t0)],
        capture_output=True,
        text=True,
        cwd=folder,
        env=env,
    )
    if out.returncode != 0:
        raise SystemExit(f"start-up run in {folder} failed:\n{out.stderr[-3000:]}")
    line = [ln for ln in out.stdout.splitlines() if ln.startswith("{")][-1]
    return json.loads(line)


def environment(folder: Path, bytecode: bool) -> dict:
    if bytecode:
        compileall.compile_dir(folder / "anatomy_viewer", quiet=1)
    return dict(os.environ, PYTHONPATH=str(folder))


def without_program_cache(stack: ExitStack) -> Path:
    """A cache folder with the user's other caches (linked) but none of the program's."""
    real = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
    if real.is_dir():
        for entry in real.iterdir():
            if entry.name != "anatomy-viewer":
                (folder / entry.name).symlink_to(entry)
    return folder


def report(label: str, results: list[dict]) -> tuple[float, float]:
    firsts = [r["first frame"] for r in results]
    cpu = [r["cpu"] for r in results]
    print(
        f"{label}: process start -> first rendered frame: median "
        f"{statistics.median(firsts):.2f} s (min {min(firsts):.2f}, max {max(firsts):.2f}; "
        f"target < 2.5 s); CPU time of the process (all threads) median "
        f"{statistics.median(cpu):.2f} s"
    )
    print("  last run, seconds since process start:")
    for k, v in results[-1].items():
        if k != "cpu":
            print(f"    {k:18s} {v:.2f}")
    return statistics.median(firsts), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--compare", help="git revision to measure alternately, e.g. main")
    parser.add_argument(
        "--bytecode", action="store_true", help="with the modules compiled beforehand"
    )
    parser.add_argument(
        "--cold", action="store_true", help="also first starts, with an empty cache folder"
    )
    args = parser.parse_args()
    from revision import checkout, load_average

    print(load_average())
    with ExitStack() as stack:
        folders = {"this revision": ROOT}
        if args.compare:
            folders = {args.compare: stack.enter_context(checkout(args.compare)), **folders}
        envs = {k: environment(f, args.bytecode) for k, f in folders.items()}
        if args.cold:
            folders["this revision, first start"] = ROOT
            envs["this revision, first start"] = envs["this revision"]
        results: dict[str, list[dict]] = {k: [] for k in folders}
        for _ in range(args.runs):
            for k, f in folders.items():
                env = envs[k]
                if k.endswith("first start"):
                    env = dict(env, XDG_CACHE_HOME=str(without_program_cache(stack)))
                results[k].append(one_run(f, env))
    print(f"runs: {args.runs} each{', alternating' if args.compare else ''}")
    medians = {k: report(k, r) for k, r in results.items()}
    if args.compare:
        for what, i in (("wall time", 0), ("CPU time", 1)):
            ratio = medians["this revision"][i] / medians[args.compare][i]
            print(f"this revision / {args.compare}, {what}: {ratio:.2f}x")
    print(load_average())


if __name__ == "__main__":
    main()
