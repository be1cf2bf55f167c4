"""Show the timeline, transport bar and activation plots together, wired as the main window does.

    python tools/demo_widgets.py [--gait walking] [--theme dark|light] [--percent 23.5]
                                 [--screenshot out.png]

With --screenshot the window is captured once it has been drawn, and the program exits.
"""

from __future__ import annotations

import argparse
import sys

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QColor, QPalette
from PySide6.QtWidgets import QApplication, QHBoxLayout, QMainWindow, QVBoxLayout, QWidget

from anatomy_viewer.app.playback import Playback
from anatomy_viewer.gait.library import GAIT_NAMES, load_gait
from anatomy_viewer.ui.playback import PlaybackClock
from anatomy_viewer.ui.plots import ActivationCurves, ActivationHeatmap
from anatomy_viewer.ui.transport import TransportBar, install_shortcuts, show_shortcuts_dialog

DARK_PALETTE = {
    QPalette.ColorRole.Window: "#2b2d31",
    QPalette.ColorRole.WindowText: "#e4e6eb",
    QPalette.ColorRole.Base: "#1f2023",
    QPalette.ColorRole.AlternateBase: "#303236",
    QPalette.ColorRole.Text: "#e4e6eb",
    QPalette.ColorRole.Button: "#3a3d42",
    QPalette.ColorRole.ButtonText: "#e4e6eb",
    QPalette.ColorRole.Highlight: "#3b76c4",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.ToolTipBase: "#1f2023",
    QPalette.ColorRole.ToolTipText: "#e4e6eb",
}


def build(gait: str) -> QMainWindow:
    cycle = load_gait(gait)
    window = QMainWindow()
    window.setWindowTitle(f"Timeline and plots: {cycle.label}")
    window.resize(1280, 800)
    playback = Playback()
    window.clock = PlaybackClock(playback, window)
    transport = TransportBar(playback)
    heatmap = ActivationHeatmap()
    curves = ActivationCurves()
    for w in (transport, heatmap, curves):
        w.set_cycle(cycle)
    curves.show_group("quadriceps")
    heatmap.set_selected("vaslat_r")

    # the links, both ways: plots seek the playback, the playback moves every cursor
    heatmap.seekRequested.connect(playback.seek)
    curves.seekRequested.connect(playback.seek)
    heatmap.muscleSelected.connect(lambda m: curves.show_muscles([m]))
    playback.events.percent.connect(heatmap.set_percent)
    playback.events.percent.connect(curves.set_percent)

    central = QWidget()
    plots = QHBoxLayout()
    plots.addWidget(heatmap, 1)
    plots.addWidget(curves, 1)
    layout = QVBoxLayout(central)
    layout.setContentsMargins(4, 4, 4, 4)
    layout.addLayout(plots, 1)
    layout.addWidget(transport)
    window.setCentralWidget(central)
    install_shortcuts(window, transport)
    help_menu = window.menuBar().addMenu("&Help")
    act = QAction("&Keyboard shortcuts", window)
    act.triggered.connect(lambda: show_shortcuts_dialog(window))
    help_menu.addAction(act)
    window.transport, window.heatmap = transport, heatmap  # for main() below
    return window


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gait", default="walking", choices=GAIT_NAMES)
    ap.add_argument("--theme", default="dark", choices=("dark", "light"))
    ap.add_argument("--percent", type=float, default=23.5)
    ap.add_argument("--scale", default="absolute", choices=("absolute", "peak"))
    ap.add_argument("--side", default="r", choices=("r", "l"))
    ap.add_argument("--screenshot", default="")
    ap.add_argument("--shortcuts", action="store_true", help="open the shortcuts dialog too")
    args = ap.parse_args()

    app = QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    if args.theme == "dark":
        pal = QPalette()
        for role, colour in DARK_PALETTE.items():
            pal.setColor(role, QColor(colour))
        app.setPalette(pal)
    window = build(args.gait)
    window.heatmap.set_scale(args.scale)
    window.heatmap.set_side(args.side)
    window.transport.playback.seek(args.percent)
    window.show()
    dialog = show_shortcuts_dialog(window) if args.shortcuts else None
    if args.screenshot:

        def shot() -> None:
            window.grab().save(args.screenshot)
            if dialog is not None:
                dialog.grab().save(args.screenshot.replace(".png", "_shortcuts.png"))
            app.quit()

        QTimer.singleShot(400, shot)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
