"""Time from process start to the first rendered frame of the main window.

Run: python benchmarks/bench_startup.py [--runs N]      (needs a display: use xvfb-run)

Each run starts a fresh Python process that imports the program, opens the main window and
reports, from the moment the process started, when the 3-D view finished its first render.
The median over N runs is printed, with the phases of start-up of the last run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time

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
        print(json.dumps(marks), flush=True)
        QTimer.singleShot(0, app.quit)
w.render_window.AddObserver("EndEvent", first_render)
w.show()
app.exec()
w.close()
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    results = []
    for _ in range(args.runs):
        t0 = time.time()
        out = subprocess.run(
            [sys.executable, "-c", CHILD, repr(t0)], capture_output=True, text=True, check=True
        )
        line = [ln for ln in out.stdout.splitlines() if ln.startswith("{")][-1]
        results.append(json.loads(line))
    firsts = [r["first frame"] for r in results]
    print(f"runs: {args.runs}")
    print(
        f"process start -> first rendered frame: median {statistics.median(firsts):.2f} s "
        f"(min {min(firsts):.2f}, max {max(firsts):.2f}; target < 3 s)"
    )
    print("last run, seconds since process start:")
    for k, v in results[-1].items():
        print(f"  {k:18s} {v:.2f}")


if __name__ == "__main__":
    main()
