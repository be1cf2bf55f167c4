"""Colours shared by the widgets: dark or light palette, plot themes, the activation colours.

The program is designed for a dark-grey window and adapts to a light one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor, QPalette

from anatomy_viewer.scene.colormaps import DEFAULT_COLORMAP, colormap

PROVENANCE_TEXT = {
    "measured": "measured EMG",
    "simulated": "simulated",
    "estimated": "estimated",
    "none": "no data",
}


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightnessF() < 0.5


def mix(a: QColor, b: QColor, t: float) -> QColor:
    """``a`` moved a fraction ``t`` towards ``b``."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * t,
        a.greenF() + (b.greenF() - a.greenF()) * t,
        a.blueF() + (b.blueF() - a.blueF()) * t,
    )


def text_on(fill: QColor) -> QColor:
    """Near-white or near-black, whichever reads better on ``fill``."""
    lum = 0.2126 * fill.redF() + 0.7152 * fill.greenF() + 0.0722 * fill.blueF()
    return QColor("#ffffff") if lum < 0.55 else QColor("#1f2328")


@dataclass(frozen=True)
class Theme:
    background: QColor
    text: QColor
    muted: QColor
    cursor: QColor
    halo: QColor
    stance: QColor


def theme_for(palette: QPalette) -> Theme:
    if is_dark(palette):
        return Theme(
            QColor("#1f2023"),
            QColor("#e4e6eb"),
            QColor("#8b919a"),
            QColor("#ffffff"),
            QColor("#141518"),
            QColor(59, 118, 196, 55),
        )
    return Theme(
        QColor("#ffffff"),
        QColor("#1f2328"),
        QColor("#6a7079"),
        QColor("#111111"),
        QColor("#ffffff"),
        QColor(59, 118, 196, 40),
    )


def activation_colormap(name: str = DEFAULT_COLORMAP) -> pg.ColorMap:
    """The 3-D view's colour map (``anatomy_viewer.scene.colormaps``) as a pyqtgraph ColorMap."""
    cm = colormap(name)
    return pg.ColorMap(cm.positions, (cm.colours * 255).astype(np.uint8), name=cm.name)
