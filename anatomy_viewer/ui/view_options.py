"""Display options of the 3-D view: legs shown, bones, colour legend, colour map, gain.

``ViewOptions`` holds the choices and applies them to the window: the scenes (the primary one;
a side-by-side comparison mirrors it, see :mod:`anatomy_viewer.ui.compare`) and the heatmap,
so that both always use the same colours. ``DisplayControls`` is the "Display" box of the
Muscles dock that edits them. Settings save and restore them (``state`` / ``set_state``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QSlider,
    QWidget,
)

from anatomy_viewer.scene.colormaps import COLORMAPS, DEFAULT_COLORMAP
from anatomy_viewer.ui.theme import activation_colormap

if TYPE_CHECKING:
    from anatomy_viewer.ui.main_window import MainWindow

#: Legs shown: key -> (right, left).
LEGS: dict[str, tuple[bool, bool]] = {
    "both": (True, True),
    "right": (True, False),
    "left": (False, True),
}
#: Opacity of see-through bones: the muscles behind a bone show, the bone's outline stays.
TRANSLUCENT_BONES = 0.3
MIN_GAIN, MAX_GAIN, GAIN_STEP = 1.0, 4.0, 0.5


class ViewOptions(QObject):
    """The display options, applied to the window whenever one changes."""

    changed = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.legs = "both"
        self.bone_opacity = 1.0
        self.legend = True
        self.colormap = DEFAULT_COLORMAP
        self.gain = 1.0
        # With a gain the heatmap's colour bar ends below 1: keep plain numbers there, not
        # pyqtgraph's SI scaling ("0 .. 300" and "(x0.001)" for 0 .. 0.3).
        axis = window.heatmap.colorbar.axis
        axis.setSIPrefixEnableRanges(())
        axis.enableAutoSIPrefix(False)

    # ------------------------------------------------------------------ setters
    def set_legs(self, legs: str) -> None:
        """ "both", "right" or "left"."""
        if legs not in LEGS:
            raise ValueError(f"legs must be one of {', '.join(LEGS)}, got {legs!r}")
        previous, self.legs = self.legs, legs
        heatmap = self._window.heatmap
        if legs == "both" and previous != "both" and heatmap.side() == previous[0]:
            # The heatmap followed the one leg drawn; with both drawn it goes back to the
            # leg of the curves beside it (the right leg unless a left muscle is chosen).
            heatmap.set_side(self._window.curves.side())
        self._changed()

    def set_bone_opacity(self, opacity: float) -> None:
        self.bone_opacity = min(max(float(opacity), 0.0), 1.0)
        self._changed()

    def set_legend(self, visible: bool) -> None:
        self.legend = bool(visible)
        self._changed()

    def set_colormap(self, name: str) -> None:
        if name not in COLORMAPS:
            raise ValueError(f"no colour map {name!r}; choose one of {', '.join(COLORMAPS)}")
        self.colormap = name
        self._changed()

    def set_gain(self, gain: float) -> None:
        """Displayed activation = gain x activation (clipped), in the 3-D view and the heatmap."""
        self.gain = min(max(float(gain), MIN_GAIN), MAX_GAIN)
        self._changed()

    # ------------------------------------------------------------------ state
    def state(self) -> dict[str, Any]:
        return {
            "legs": self.legs,
            "bone_opacity": self.bone_opacity,
            "legend": self.legend,
            "colormap": self.colormap,
            "gain": self.gain,
        }

    def set_state(self, state: dict[str, Any]) -> None:
        """Apply a ``state()``; keys that are missing keep their value."""
        if isinstance(state.get("legs"), str) and state["legs"] in LEGS:
            self.legs = state["legs"]
        if "bone_opacity" in state:
            self.bone_opacity = min(max(float(state["bone_opacity"]), 0.0), 1.0)
        if "legend" in state:
            self.legend = bool(state["legend"])
        if isinstance(state.get("colormap"), str) and state["colormap"] in COLORMAPS:
            self.colormap = state["colormap"]
        if "gain" in state:
            self.gain = min(max(float(state["gain"]), MIN_GAIN), MAX_GAIN)
        self._changed()

    # ------------------------------------------------------------------ applying
    def apply(self) -> None:
        """Apply every option to the window's primary scene, the legend and the heatmap."""
        w = self._window
        scene = w.scene
        r, left = LEGS[self.legs]
        scene.set_side_visible(r, left)
        scene.set_bone_opacity(self.bone_opacity)
        scene.set_colormap(self.colormap)
        scene.set_gain(self.gain)
        w.compare.set_legend_visible(self.legend)
        heatmap = w.heatmap
        cmap = activation_colormap(self.colormap)
        heatmap.image.setColorMap(cmap)
        heatmap.colorbar.setColorMap(cmap)
        heatmap.set_gain(self.gain)
        if self.legs != "both" and heatmap.side() != self.legs[0]:
            heatmap.set_side(self.legs[0])
        w.request_render()

    def _changed(self) -> None:
        self.apply()
        self.changed.emit()


class DisplayControls(QGroupBox):
    """The "Display" box: legs, see-through bones, colour legend, colour map and gain."""

    def __init__(self, options: ViewOptions, parent: QWidget | None = None) -> None:
        super().__init__("Display", parent)
        self.setObjectName("displayControls")
        self.options = options

        self.legs_group = QButtonGroup(self)
        legs_row = QHBoxLayout()
        legs_row.setSpacing(8)
        for key, text in (("both", "Both"), ("right", "Right"), ("left", "Left")):
            b = QRadioButton(text)
            b.setObjectName(f"legs_{key}")
            b.setAccessibleName(f"Show {'both legs' if key == 'both' else key + ' leg'}")
            b.setProperty("legs", key)
            self.legs_group.addButton(b)
            legs_row.addWidget(b)
        legs_row.addStretch(1)
        self.legs_group.buttonClicked.connect(
            lambda b: self.options.set_legs(str(b.property("legs")))
        )

        self.bones = QCheckBox("See-through bones")
        self.bones.setObjectName("translucentBones")
        self.bones.setToolTip("Make the bones translucent to see the deep muscles behind them")
        self.bones.toggled.connect(
            lambda on: self.options.set_bone_opacity(TRANSLUCENT_BONES if on else 1.0)
        )

        self.legend = QCheckBox("Colour legend")
        self.legend.setObjectName("legendVisible")
        self.legend.toggled.connect(self.options.set_legend)

        self.colormap = QComboBox()
        self.colormap.setObjectName("colormapChoice")
        self.colormap.setAccessibleName("Activation colours")
        for name, cm in COLORMAPS.items():
            self.colormap.addItem(cm.label, name)
        self.colormap.activated.connect(
            lambda i: self.options.set_colormap(str(self.colormap.itemData(i)))
        )

        self.gain = QSlider(Qt.Orientation.Horizontal)
        self.gain.setObjectName("gainSlider")
        self.gain.setAccessibleName("Activation gain")
        self.gain.setRange(round(MIN_GAIN / GAIN_STEP), round(MAX_GAIN / GAIN_STEP))
        self.gain.setPageStep(1)
        self.gain.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.gain.setTickInterval(2)
        self.gain.setToolTip(
            "Multiply the activations shown, so that light activity is visible.\n"
            "The legend and the heatmap show the scale."
        )
        self.gain_label = QLabel()
        self.gain_label.setMinimumWidth(
            self.gain_label.fontMetrics().horizontalAdvance("\u00d74.0 ")
        )
        self.gain.valueChanged.connect(lambda v: self.options.set_gain(v * GAIN_STEP))
        gain_row = QHBoxLayout()
        gain_row.addWidget(self.gain, 1)
        gain_row.addWidget(self.gain_label)

        form = QFormLayout(self)
        form.setContentsMargins(8, 6, 8, 6)
        form.setVerticalSpacing(4)
        form.addRow("Legs", legs_row)
        form.addRow(self.bones)
        form.addRow(self.legend)
        form.addRow("Colours", self.colormap)
        form.addRow("Gain", gain_row)

        options.changed.connect(self.sync)
        self.sync()

    def sync(self) -> None:
        """Show the options' values (without feeding them back)."""
        o = self.options
        for w in (self.bones, self.legend, self.colormap, self.gain):
            w.blockSignals(True)
        for b in self.legs_group.buttons():
            b.setChecked(b.property("legs") == o.legs)
        self.bones.setChecked(o.bone_opacity < 1.0)
        self.legend.setChecked(o.legend)
        self.colormap.setCurrentIndex(max(self.colormap.findData(o.colormap), 0))
        self.gain.setValue(round(o.gain / GAIN_STEP))
        self.gain_label.setText(f"\u00d7{o.gain:.1f}")
        for w in (self.bones, self.legend, self.colormap, self.gain):
            w.blockSignals(False)
