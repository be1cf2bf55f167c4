"""Room for the leg and clicks in the real window (under Xvfb): the figures the tests hold.

Run: xvfb-run -a -s "-screen 0 1400x900x24" python benchmarks/measure_window.py

For the window as it opens on a 1280x800 screen, a 1366x768 screen and at its default size
1280x800 (panels closed, walking):
  view     the 3-D view's share of the window's area
  leg      the height of the projected bones (both legs, pelvis, sacrum) over the view's
           height, per camera preset: the lowest over 0, 25, 50 and 75 % of the stride
And at the 1366x768 screen's size with the Muscle panel open, walking at 20 %, per preset:
  clicks   of the muscles whose belly shows (at least 40 pixels of it), how many a mouse click
           on the middle of what shows selects (the Muscle panel then names it)
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "xcb")

PRESETS = ("side", "front", "back", "three_quarter", "left")
CLICK_PRESETS = ("side", "front", "back", "three_quarter")


class _Screen:
    def __init__(self, w: int, h: int) -> None:
        self.w, self.h = w, h

    def availableGeometry(self):  # noqa: N802 (Qt API)
        from PySide6.QtCore import QRect

        return QRect(0, 0, self.w, self.h)


def _wait(ms: int) -> None:
    from PySide6.QtTest import QTest

    QTest.qWait(ms)


def _leg_share(win) -> float:
    from anatomy_viewer.scene.measures import leg_height_share

    win.render_window.Render()
    return leg_height_share(win.scene)


def _resize(win, size) -> None:
    win.resize(*size)
    for _ in range(40):
        _wait(50)
        if win.size().toTuple() == tuple(size):
            break
    _wait(200)


def main() -> int:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from anatomy_viewer.scene.measures import click_points
    from anatomy_viewer.ui.main_window import MainWindow, initial_size
    from anatomy_viewer.ui.picking import to_widget_pos

    win = MainWindow(gait="walking", autoplay=False)
    win.show()
    QTest.qWaitForWindowExposed(win)
    win.playback.pause()
    sizes = {
        "1280x800 screen": initial_size(_Screen(1280, 800)).toTuple(),
        "1366x768 screen": initial_size(_Screen(1366, 768)).toTuple(),
        "default 1280x800": (1280, 800),
    }
    for label, size in sizes.items():
        _resize(win, size)
        vp = win.viewport
        share = vp.width() * vp.height() / (win.width() * win.height())
        legs = []
        for view in PRESETS:
            win.set_view(view)
            lows = []
            for percent in (0.0, 25.0, 50.0, 75.0):
                win.playback.seek(percent)
                lows.append(_leg_share(win))
            legs.append(f"{view} {min(lows) * 100:.0f} %")
        print(
            f"{label:17s} window {size[0]}x{size[1]}: view {share * 100:.0f} % of the window "
            f"({vp.width()}x{vp.height()}); leg height / view height: {', '.join(legs)}"
        )

    _resize(win, sizes["1366x768 screen"])
    if not win.info_dock.isVisible():
        win.panel_actions["muscle"].trigger()
    _wait(800)
    win.set_gait("walking")
    win.playback.seek(20.0)
    names = win.model.muscle_names
    total_hit, total = 0, 0
    for view in CLICK_PRESETS:
        win.set_view(view)
        win.render_window.Render()
        points = click_points(win.scene)
        hits = []
        for i, xy in points.items():
            win.selection.clear()
            QTest.mouseClick(
                win.viewport, Qt.MouseButton.LeftButton, pos=to_widget_pos(win.viewport, xy)
            )
            hits.append(win.selection.name == names[i])
        total_hit, total = total_hit + sum(hits), total + len(hits)
        missed = [names[i] for (i, _), ok in zip(points.items(), hits, strict=True) if not ok]
        print(
            f"clicks {view:13s}: {sum(hits)} of {len(hits)} visible muscles selected "
            f"({100 * sum(hits) / max(len(hits), 1):.0f} %)"
            + (f"; missed {', '.join(missed)}" if missed else "")
        )
    print(f"clicks over the four presets: {total_hit} of {total}")
    win.close()
    app.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
