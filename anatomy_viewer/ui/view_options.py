"""The "Display" box of the Muscles dock: legs, bones, legend, colour mode, colour map, gain.

``DisplayControls`` edits the user's display choices in the application model
(:class:`anatomy_viewer.app.display.DisplayModel`) and shows the effective state, so a guided
view's see-through bones show as ticked while it lasts. ``ViewOptions`` is the same choices as
a small object for code (settings, tests): ``set_legs``, ``set_gain``, ... and ``state()``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
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

from anatomy_viewer.app.display import (
    COLOUR_MODES,
    LEGS,
    MAX_GAIN,
    MIN_GAIN,
    OPTIONS,
    DisplayModel,
)
from anatomy_viewer.scene.colormaps import COLORMAPS

#: Opacity of see-through bones: the muscles behind a bone show, the bone's outline stays.
TRANSLUCENT_BONES = 0.3
GAIN_STEP = 0.5

__all__ = ["LEGS", "DisplayControls", "ViewOptions"]


class ViewOptions:
    """The user's display options of ``display``, read and written by name."""

    def __init__(self, display: DisplayModel) -> None:
        self.display = display

    @property
    def legs(self) -> str:
        return self.display.user.legs

    @property
    def bone_opacity(self) -> float:
        return self.display.user.bone_opacity

    @property
    def legend(self) -> bool:
        return self.display.user.legend

    @property
    def colormap(self) -> str:
        return self.display.user.colormap

    @property
    def colour_mode(self) -> str:
        return self.display.user.colour_mode

    @property
    def gain(self) -> float:
        return self.display.user.gain

    def set_legs(self, legs: str) -> None:
        """ "both", "right" or "left"."""
        self.display.set_user(legs=legs)

    def set_bone_opacity(self, opacity: float) -> None:
        self.display.set_user(bone_opacity=opacity)

    def set_legend(self, visible: bool) -> None:
        self.display.set_user(legend=visible)

    def set_colormap(self, name: str) -> None:
        self.display.set_user(colormap=name)

    def set_colour_mode(self, mode: str) -> None:
        """What the muscles' colours show: "activation" or "fibre_types"."""
        self.display.set_user(colour_mode=mode)

    def set_gain(self, gain: float) -> None:
        """Displayed activation = gain x activation (clipped), in the 3-D view and the heatmap."""
        self.display.set_user(gain=gain)

    def state(self) -> dict[str, Any]:
        return self.display.user_options()

    def set_state(self, state: dict[str, Any]) -> None:
        """Apply a ``state()``; missing keys and unusable values keep their value."""
        self.display.set_user_state({k: v for k, v in state.items() if k in OPTIONS})


class DisplayControls(QGroupBox):
    """The "Display" box: legs, see-through bones, colour legend, what the colours show
    (activation or fibre types), the activation colour map and gain."""

    def __init__(self, display: DisplayModel, parent: QWidget | None = None) -> None:
        super().__init__("Display", parent)
        self.setObjectName("displayControls")
        self.display = display

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
            lambda b: display.set_user(legs=str(b.property("legs")))
        )

        self.bones = QCheckBox("See-through bones")
        self.bones.setObjectName("translucentBones")
        self.bones.setToolTip("Make the bones translucent to see the deep muscles behind them")
        self.bones.toggled.connect(
            lambda on: display.set_user(bone_opacity=TRANSLUCENT_BONES if on else 1.0)
        )

        self.legend = QCheckBox("Colour legend")
        self.legend.setObjectName("legendVisible")
        self.legend.toggled.connect(lambda on: display.set_user(legend=on))

        self.colour_mode = QComboBox()
        self.colour_mode.setObjectName("colourModeChoice")
        self.colour_mode.setAccessibleName("Colour the muscles by")
        for key, label in COLOUR_MODES.items():
            self.colour_mode.addItem(label, key)
        self.colour_mode.setItemData(
            0,
            "How active each muscle is, from rest to full activation",
            Qt.ItemDataRole.ToolTipRole,
        )
        self.colour_mode.setItemData(
            1,
            "Which fibres each muscle is working with: slow (Type I) fibres only, or fast "
            "(Type II) fibres recruited as well; grey at rest",
            Qt.ItemDataRole.ToolTipRole,
        )
        self.colour_mode.activated.connect(
            lambda i: display.set_user(colour_mode=str(self.colour_mode.itemData(i)))
        )

        self.colormap = QComboBox()
        self.colormap.setObjectName("colormapChoice")
        self.colormap.setAccessibleName("Activation colours")
        for name, cm in COLORMAPS.items():
            self.colormap.addItem(cm.label, name)
        self.colormap.activated.connect(
            lambda i: display.set_user(colormap=str(self.colormap.itemData(i)))
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
        self.gain.valueChanged.connect(lambda v: display.set_user(gain=v * GAIN_STEP))
        gain_row = QHBoxLayout()
        gain_row.addWidget(self.gain, 1)
        gain_row.addWidget(self.gain_label)

        form = QFormLayout(self)
        form.setContentsMargins(8, 6, 8, 6)
        form.setVerticalSpacing(4)
        form.addRow("Legs", legs_row)
        form.addRow(self.bones)
        form.addRow(self.legend)
        form.addRow("Colour by", self.colour_mode)
        form.addRow("Colours", self.colormap)
        form.addRow("Gain", gain_row)

        display.events.changed.connect(self._on_changed)
        self.sync()

    def _on_changed(self, fields: tuple[str, ...]) -> None:
        if {"legs", "bone_opacity", "legend", "colormap", "colour_mode", "gain"} & set(fields):
            self.sync()

    def sync(self) -> None:
        """Show the effective values (without feeding them back)."""
        o = self.display.effective
        widgets = (self.bones, self.legend, self.colour_mode, self.colormap, self.gain)
        for w in widgets:
            w.blockSignals(True)
        for b in self.legs_group.buttons():
            b.setChecked(b.property("legs") == o.legs)
        self.bones.setChecked(o.bone_opacity < 1.0)
        self.legend.setChecked(o.legend)
        self.colour_mode.setCurrentIndex(max(self.colour_mode.findData(o.colour_mode), 0))
        self.colormap.setCurrentIndex(max(self.colormap.findData(o.colormap), 0))
        # The fibre-type colours are three fixed colours from the real activation: the
        # activation colour map and the gain do not apply to them.
        by_activation = o.colour_mode == "activation"
        self.colormap.setEnabled(by_activation)
        self.gain.setEnabled(by_activation)
        self.colormap.setToolTip(
            "" if by_activation else "Applies when the muscles are coloured by activation"
        )
        self.gain.setValue(round(o.gain / GAIN_STEP))
        self.gain_label.setText(f"\u00d7{o.gain:.1f}")
        for w in widgets:
            w.blockSignals(False)
