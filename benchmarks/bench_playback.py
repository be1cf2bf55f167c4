"""Frames per second the main window delivers while it plays at 1x, and where the time goes.

Run under a virtual X server (the window needs one), e.g.:

    xvfb-run -a -s "-screen 0 1920x1200x24" .venv/bin/python benchmarks/bench_playback.py

For each case (default size 1280x800 and 1920x1080, activation plots shown or hidden) the
real window plays walking at 1x for ``--seconds``; a frame is one render of the 3-D view. The
time of each frame is split into: the 3-D render (``Render()``), the model's frame update
(the clock's tick: posing the scene and every subscriber of the playback's percent: panels,
plots, timeline), and the rest of the event loop (Qt painting the widgets that changed, other
events). The machine's load average is printed before and after: the figures are only
comparable within one run on an otherwise idle machine. The CPU time per frame (of every thread
of the process: software OpenGL renders on several) depends far less on other load: below
33 ms, one core alone delivers 30 frames per second. ``--profile`` adds a cProfile of the
default-size case with plots (top functions by own time).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time

CASES = (
    ("default size, plots shown", None, True),
    ("default size, plots hidden", None, False),
    ("1920x1080, plots shown", (1920, 1080), True),
    ("1920x1080, plots hidden", (1920, 1080), False),
)


def play(app, model, size, plots: bool, seconds: float, profile: cProfile.Profile | None):
    from PySide6.QtTest import QTest

    from anatomy_viewer.ui.main_window import MainWindow

    w = MainWindow(gait="walking", model=model, autoplay=False)
    if size is not None:
        w.resize(*size)
    w.plots_dock.setVisible(plots)
    w.show()
    QTest.qWaitForWindowExposed(w)
    for _ in range(20):
        app.processEvents()
        time.sleep(0.01)
    stats = {"render": 0.0, "tick": 0.0, "frames": 0, "ticks": 0}

    render = w._render
    tick = w.clock._tick

    def timed_render():
        t = time.perf_counter()
        render()
        stats["render"] += time.perf_counter() - t
        stats["frames"] += 1

    def timed_tick():
        t = time.perf_counter()
        tick()
        stats["tick"] += time.perf_counter() - t
        stats["ticks"] += 1

    w._render = timed_render
    w.clock._timer.timeout.disconnect()
    w.clock._timer.timeout.connect(timed_tick)
    # warm up (first renders compile shaders), then measure
    w.playback.play()
    end = time.perf_counter() + 1.0
    while time.perf_counter() < end:
        app.processEvents()
    stats.update(render=0.0, tick=0.0, frames=0, ticks=0)
    if profile is not None:
        profile.enable()
    c0 = time.process_time()
    t0 = time.perf_counter()
    p0 = w.playback.percent
    end = t0 + seconds
    while time.perf_counter() < end:
        app.processEvents()
    elapsed = time.perf_counter() - t0
    stats["cpu"] = time.process_time() - c0
    if profile is not None:
        profile.disable()
    w.playback.pause()
    viewport = (w.viewport.width(), w.viewport.height())
    advanced = (w.playback.percent - p0) % 100.0
    w.close()
    w.deleteLater()
    app.processEvents()
    return elapsed, stats, viewport, advanced


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        sys.exit("needs an X display: run under xvfb-run (see the module's description)")
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    from PySide6.QtWidgets import QApplication

    from anatomy_viewer.anatomy import LegModel

    app = QApplication.instance() or QApplication(sys.argv[:1])
    model = LegModel()
    load = os.getloadavg()
    print(f"cores: {os.cpu_count()}; load average before: {load[0]:.2f} {load[1]:.2f}")
    print(f"playing walking at 1x for {args.seconds:g} s per case")
    print(
        f"{'case':28s} {'viewport':>10s} {'fps':>6s} {'render':>8s} {'update':>8s} "
        f"{'rest':>8s} {'cpu':>7s}  (ms per frame; cpu: of every thread of the process)"
    )
    profile_text = ""
    for name, size, plots in CASES:
        prof = (
            cProfile.Profile()
            if args.profile and name.startswith("default size, plots s")
            else None
        )
        elapsed, st, vp, advanced = play(app, model, size, plots, args.seconds, prof)
        n = max(st["frames"], 1)
        fps = st["frames"] / elapsed
        render = st["render"] / n * 1000
        update = st["tick"] / n * 1000
        rest = elapsed / n * 1000 - render - update
        cpu = st["cpu"] / n * 1000
        print(
            f"{name:28s} {vp[0]:>4d}x{vp[1]:<5d} {fps:6.1f} {render:8.1f} {update:8.1f} "
            f"{rest:8.1f} {cpu:7.1f}"
        )
        if prof is not None:
            out = io.StringIO()
            pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(18)
            profile_text = out.getvalue()
    load = os.getloadavg()
    print(f"load average after: {load[0]:.2f} {load[1]:.2f}")
    if profile_text:
        print("\ncProfile of 'default size, plots shown', by own time:")
        print(profile_text)


if __name__ == "__main__":
    main()
