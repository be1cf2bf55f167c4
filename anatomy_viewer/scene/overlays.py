"""The 2-D overlays of the 3-D view: the colour legend, the stripe key and the caption.

The legend is the activation colour bar, or, in the "Fibre types" colour mode, three swatches
(at rest, slow fibres only, fast fibres too) in the same place.
"""

from __future__ import annotations

import numpy as np
from vtkmodules.vtkCommonCore import vtkDoubleArray
from vtkmodules.vtkRenderingAnnotation import vtkScalarBarActor
from vtkmodules.vtkRenderingCore import vtkRenderer, vtkTextActor

from anatomy_viewer.scene.colormaps import ColorMap, fibre_lookup_table

FIBRE_LEGEND_TITLE = "Fibres in use"


def nice_ticks(top: float) -> list[float]:
    """Round tick values from 0 to ``top`` (at most 6 of them, ``top`` included)."""
    for step in (0.5, 1, 2, 2.5, 5, 10, 20, 25, 50):
        if top / step <= 5.0 + 1e-9:
            break
    ticks = list(np.arange(0.0, top + 1e-9, step))
    if top - ticks[-1] > 0.35 * step:
        ticks.append(top)
    elif ticks[-1] != top:
        ticks[-1] = top
    return [float(t) for t in ticks]


class Overlays:
    """Legend (activation colours and the gain), stripe key and caption in ``renderer``."""

    def __init__(self, renderer: vtkRenderer, cmap: ColorMap) -> None:
        self.renderer = renderer
        self._cmap = cmap
        self._gain = 1.0
        self._modes_given = False
        self._dimmed_given = False
        self._legend = vtkScalarBarActor()
        self._legend.SetTitle("Activation")
        self._legend.SetNumberOfLabels(5)
        self._legend.SetLabelFormat("%.0f%%")
        self._legend.SetOrientationToVertical()
        self._legend.UnconstrainedFontSizeOn()
        self._legend.SetBarRatio(0.28)
        self._legend.SetTextPad(6)
        self._legend.SetVerticalTitleSeparation(8)
        pos = self._legend.GetPositionCoordinate()
        pos.SetCoordinateSystemToNormalizedViewport()
        pos.SetValue(0.9, 0.28)
        self._legend.SetWidth(0.085)
        self._legend.SetHeight(0.46)
        self._legend.SetMaximumWidthInPixels(110)
        for tp, size, bold in (
            (self._legend.GetTitleTextProperty(), 17, True),
            (self._legend.GetLabelTextProperty(), 14, False),
        ):
            tp.SetFontSize(size)
            tp.SetBold(bold)
            tp.SetItalic(False)
            tp.SetShadow(True)
            tp.SetColor(0.95, 0.95, 0.95)
            tp.SetFontFamilyToArial()
        self._legend.PickableOff()
        self.renderer.AddViewProp(self._legend)
        self._update_legend()

        # The "Fibre types" legend: one swatch per state, labelled, where the bar would be.
        self._fibre_legend = vtkScalarBarActor()
        fl = self._fibre_legend
        fl.SetLookupTable(fibre_lookup_table())
        fl.SetTitle(FIBRE_LEGEND_TITLE)
        fl.DrawAnnotationsOn()
        fl.DrawTickLabelsOff()
        fl.SetOrientationToVertical()
        fl.UnconstrainedFontSizeOn()
        fl.SetBarRatio(0.28)
        fl.SetTextPad(6)
        fl.SetVerticalTitleSeparation(8)
        fl.SetTextPositionToSucceedScalarBar()
        fl.SetAnnotationTextScaling(False)
        fl.SetAnnotationLeaderPadding(6)
        fpos = fl.GetPositionCoordinate()
        fpos.SetCoordinateSystemToNormalizedViewport()
        fpos.SetValue(0.8, 0.28)
        fl.SetWidth(0.185)
        fl.SetHeight(0.26)
        fl.SetMaximumWidthInPixels(230)
        fl.SetMaximumHeightInPixels(190)
        for tp, size, bold in (
            (fl.GetTitleTextProperty(), 17, True),
            (fl.GetAnnotationTextProperty(), 14, False),
        ):
            tp.SetFontSize(size)
            tp.SetBold(bold)
            tp.SetItalic(False)
            tp.SetShadow(True)
            tp.SetColor(0.95, 0.95, 0.95)
            tp.SetFontFamilyToArial()
        fl.SetVisibility(False)
        fl.PickableOff()
        self.renderer.AddViewProp(fl)
        self._fibres = False

        self._mode_hint = self._text(13, 0.88, right=True, at=(0.985, 0.25))
        self._caption = self._text(20, 0.96, right=False, at=(0.02, 0.975))
        self._legend_visible = True

    def _text(self, size: int, grey: float, right: bool, at: tuple[float, float]) -> vtkTextActor:
        """A hidden, unpickable text actor hanging from ``at`` (normalised viewport), shadowed."""
        actor = vtkTextActor()
        tp = actor.GetTextProperty()
        tp.SetFontSize(size)
        tp.SetColor(grey, grey, grey)
        tp.SetShadow(True)
        if right:
            tp.SetJustificationToRight()
        else:
            tp.SetJustificationToLeft()
        tp.SetVerticalJustificationToTop()
        pos = actor.GetPositionCoordinate()
        pos.SetCoordinateSystemToNormalizedViewport()
        pos.SetValue(*at)
        actor.SetVisibility(False)
        actor.PickableOff()
        self.renderer.AddViewProp(actor)
        return actor

    # ------------------------------------------------------------------ legend
    def set_colours(self, cmap: ColorMap, gain: float) -> None:
        self._cmap = cmap
        self._gain = float(gain)
        self._update_legend()

    def _update_legend(self) -> None:
        # The bar shows activation in percent: with a gain g > 1 the colours saturate at 100/g %.
        top = 100.0 / max(self._gain, 1.0)
        self._lut = self._cmap.lookup_table((0.0, top))
        self._legend.SetLookupTable(self._lut)
        ticks = nice_ticks(top)
        labels = vtkDoubleArray()
        for v in ticks:
            labels.InsertNextValue(v)
        self._legend.SetCustomLabels(labels)
        self._legend.UseCustomLabelsOn()
        self._legend.SetLabelFormat("%.0f%%" if all(v == round(v) for v in ticks) else "%.1f%%")
        title = "Activation" if self._gain == 1.0 else f"Activation\n(gain x{self._gain:g})"
        self._legend.SetTitle(title)

    def set_fibre_legend(self, fibres: bool) -> None:
        """Show the fibre-type swatches instead of the activation bar (when the legend shows)."""
        self._fibres = bool(fibres)
        self.set_legend_visible(self._legend_visible)

    @property
    def fibre_legend_shown(self) -> bool:
        return bool(self._fibre_legend.GetVisibility())

    def set_legend_visible(self, visible: bool) -> None:
        self._legend_visible = bool(visible)
        self._legend.SetVisibility(self._legend_visible and not self._fibres)
        self._fibre_legend.SetVisibility(self._legend_visible and self._fibres)
        self._update_hint()

    @property
    def legend_visible(self) -> bool:
        return self._legend_visible

    def set_modes_known(self, known: bool) -> None:
        """Contraction modes are drawn (stripes): show the stripe key under the legend."""
        if known != self._modes_given:
            self._modes_given = known
            self._update_hint()

    def set_dimmed_shown(self, dimmed: bool) -> None:
        """A highlight darkens the other muscles (an active calf turns olive, off the colour
        bar): say so under the legend."""
        if dimmed != self._dimmed_given:
            self._dimmed_given = dimmed
            self._update_hint()

    @property
    def hint_text(self) -> str:
        """The keys under the legend, as shown ("" when none shows)."""
        return self._mode_hint.GetInput() if self._mode_hint.GetVisibility() else ""

    def _update_hint(self) -> None:
        lines = []
        if self._modes_given:
            lines.append("striped = lengthening\n(eccentric)")
        if self._dimmed_given:
            lines.append("darkened = not\nhighlighted")
        self._mode_hint.SetInput("\n".join(lines) or " ")
        self._mode_hint.SetVisibility(self._legend_visible and bool(lines))

    def set_legend_placement(self, x: float = 0.9, y: float = 0.28, height: float = 0.46) -> None:
        """Place the colour legend: lower-left corner and height in normalised viewport
        coordinates (the defaults are the usual place); the stripe key goes under it. A narrow
        viewport (half of a side-by-side view) needs a smaller x so that the labels fit."""
        self._legend.GetPositionCoordinate().SetValue(float(x), float(y))
        self._legend.SetHeight(float(height))
        # The swatches' labels are longer than the bar's: the box starts further left.
        self._fibre_legend.GetPositionCoordinate().SetValue(float(x) - 0.1, float(y))
        self._fibre_legend.SetWidth(0.185 if x >= 0.85 else 0.26)
        self._fibre_legend.SetHeight(0.57 * float(height))
        self._mode_hint.GetPositionCoordinate().SetValue(0.985, float(y) - 0.03)

    # ------------------------------------------------------------------ caption
    @property
    def caption(self) -> str | None:
        """The caption shown, or None."""
        return str(self._caption.GetInput()) if self._caption.GetVisibility() else None

    def set_caption(self, text: str | None) -> None:
        """Text in the top-left corner (phase, guided-view titles); None hides it."""
        if text:
            self._caption.SetInput(text)
            self._caption.SetVisibility(True)
        else:
            self._caption.SetVisibility(False)
