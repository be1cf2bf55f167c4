"""Activation heatmap and curves: rows by group, click/drag to seek and select, cheap cursor."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pyqtgraph")

from PySide6.QtCore import QPoint, Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from anatomy_viewer.anatomy.catalogue import catalogue  # noqa: E402
from anatomy_viewer.gait.cycle import Event, GaitCycle, Phase, Provenance  # noqa: E402
from anatomy_viewer.scene.colormaps import DEFAULT_COLORMAP, colormap  # noqa: E402
from anatomy_viewer.ui.plots import (  # noqa: E402
    ActivationCurves,
    ActivationHeatmap,
    activation_colormap,
)

# muscles of three groups, listed out of catalogue order on purpose
BASES = ("vaslat", "glmax1", "soleus", "recfem", "gasmed", "glmax2")
PEAK = {"vaslat": 15.0, "glmax1": 5.0, "soleus": 45.0, "recfem": 60.0, "gasmed": 48.0}


def synthetic_cycle(n: int = 101) -> GaitCycle:
    pct = np.linspace(0.0, 100.0, n)
    names = tuple(f"{b}_{s}" for s in ("r", "l") for b in BASES)
    rows = []
    for m in names:
        base, side = m[:-2], m[-1]
        centre = PEAK.get(base, 30.0) + (50.0 if side == "l" else 0.0)
        d = (pct - centre + 50.0) % 100.0 - 50.0
        rows.append(0.8 * np.exp(-(d**2) / 40.0))
    prov = {m: Provenance("simulated", "test simulation") for m in names}
    prov["vaslat_r"] = Provenance("measured", "Rajagopal 2016")
    prov["recfem_r"] = Provenance("estimated", "scaled from vasti")
    return GaitCycle(
        name="synthetic",
        label="Synthetic",
        stride_time=1.0,
        percent=pct,
        coordinates={},
        muscle_names=names,
        activations=np.array(rows),
        contact_r=pct < 60.0,
        contact_l=(pct >= 50.0) | (pct < 10.0),
        provenance=prov,
        events=[
            Event("r", "initial_contact", 0.0),
            Event("r", "toe_off", 60.0),
            Event("l", "initial_contact", 50.0),
            Event("l", "toe_off", 10.0),
        ],
        phases=[Phase("r", "stance", 0.0, 60.0), Phase("r", "swing", 60.0, 100.0)],
    )


@pytest.fixture
def cycle() -> GaitCycle:
    return synthetic_cycle()


@pytest.fixture
def heatmap(qtbot, cycle):
    w = ActivationHeatmap()
    qtbot.addWidget(w)
    w.resize(640, 420)
    w.set_cycle(cycle)
    w.show()
    qtbot.waitExposed(w)
    return w


@pytest.fixture
def curves(qtbot, cycle):
    w = ActivationCurves()
    qtbot.addWidget(w)
    w.resize(600, 400)
    w.set_cycle(cycle)
    w.show()
    qtbot.waitExposed(w)
    return w


# ------------------------------------------------------------------------------ heatmap
def test_rows_follow_the_catalogue_groups(heatmap):
    order = [b for b in catalogue().bases if b in BASES]
    assert heatmap.rows() == [f"{b}_r" for b in order]
    groups = heatmap.groups()
    assert [g.key for g in groups] == ["glutes", "quadriceps", "calves"]
    assert [g.count for g in groups] == [2, 2, 2]
    assert groups[0].colour == catalogue().group("glutes").colour
    assert heatmap.row_of("soleus_r") == heatmap.rows().index("soleus_r")


def test_left_leg_option(heatmap):
    heatmap.set_side("l")
    assert all(m.endswith("_l") for m in heatmap.rows())
    assert heatmap.row_of("vaslat_r") == heatmap.row_of("vaslat_l")  # counterpart row
    assert heatmap.side_control.currentData() == "l"


def test_image_holds_the_activations_row_by_row(heatmap, cycle):
    img = heatmap.image.image
    assert img.shape == (len(heatmap.rows()), cycle.n_samples)
    row = heatmap.row_of("soleus_r")
    assert np.allclose(img[row], cycle.activation("soleus_r"))
    heatmap.set_scale("peak")
    assert heatmap.image.image[row].max() == pytest.approx(1.0)


def test_clicking_a_cell_seeks_and_selects_that_muscle(heatmap, qtbot):
    seeks: list[float] = []
    chosen: list[str] = []
    heatmap.seekRequested.connect(seeks.append)
    heatmap.muscleSelected.connect(chosen.append)
    target = heatmap.mouse_target()
    for muscle, percent in (("soleus_r", 42.0), ("glmax1_r", 80.0)):
        pos = heatmap.pixel_of(muscle, percent, target)
        qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=pos)
        per_pixel = 100.0 / heatmap.viewbox.width()
        assert seeks[-1] == pytest.approx(percent, abs=2 * per_pixel)
        assert chosen[-1] == muscle
        assert heatmap.selected() == muscle
        assert heatmap.highlight.isVisible()
        assert heatmap.highlight.rect().top() == heatmap.row_of(muscle)
    assert heatmap.percent() == pytest.approx(seeks[-1])


def test_dragging_on_the_heatmap_scrubs(heatmap, qtbot):
    seeks: list[float] = []
    heatmap.seekRequested.connect(seeks.append)
    target = heatmap.mouse_target()
    start = heatmap.pixel_of("vaslat_r", 20.0, target)
    qtbot.mousePress(target, Qt.MouseButton.LeftButton, pos=start)
    for p in (30.0, 40.0, 50.0, 60.0):
        qtbot.mouseMove(target, heatmap.pixel_of("vaslat_r", p, target))
    qtbot.mouseRelease(
        target, Qt.MouseButton.LeftButton, pos=heatmap.pixel_of("vaslat_r", 60.0, target)
    )
    assert len(seeks) >= 3
    assert seeks[0] == pytest.approx(20.0, abs=1.0)
    assert seeks[-1] == pytest.approx(60.0, abs=1.0)
    assert seeks == sorted(seeks)


def test_moving_the_cursor_does_not_redraw_the_image(heatmap, qtbot):
    heatmap.grab()  # paints once: the image is converted to a QImage
    rendered = heatmap.image.qimage
    assert rendered is not None
    for p in np.linspace(0.0, 100.0, 30):
        heatmap.set_percent(float(p))
    QApplication.processEvents()
    heatmap.grab()
    assert heatmap.image.qimage is rendered
    assert heatmap._cursor[1].value() == pytest.approx(100.0)


def test_event_names_sit_above_the_image_not_on_the_rows(heatmap, cycle):
    """The "foot strike" / "toe-off" names are in the top margin; the dashed lines carry no
    label boxes over the first rows of data."""
    heatmap.view.resize(heatmap.view.size())  # let the layout settle
    QApplication.processEvents()
    names = [name for _, name in heatmap.event_axis.events]
    assert "foot strike" in names and "toe-off" in names
    assert all(getattr(line, "label", None) is None for line in heatmap.parts.event_lines)
    image_top = heatmap.viewbox.geometry().top()
    axis = heatmap.event_axis.geometry()
    assert axis.height() > 0 and axis.bottom() <= image_top + 1


def test_the_colour_bar_has_room_for_its_end_labels(heatmap):
    from PySide6.QtGui import QFontMetricsF

    QApplication.processEvents()
    bar = heatmap.colorbar.getViewBox().sceneBoundingRect()
    half_text = QFontMetricsF(heatmap.colorbar.axis.font()).height() / 2
    visible = heatmap.view.viewport().rect()
    assert bar.bottom() + half_text <= visible.bottom() + 1  # the "0" is not cut off
    assert bar.top() - half_text >= visible.top() - 1


def test_set_selected_none_clears_the_highlight(heatmap):
    heatmap.set_selected("vaslat_r")
    assert heatmap.highlight.isVisible()
    heatmap.set_selected(None)
    assert not heatmap.highlight.isVisible()
    with pytest.raises(KeyError):
        heatmap.row_of("nosuchmuscle_r")


def test_heatmap_uses_the_3d_views_colour_map():
    cm = colormap(DEFAULT_COLORMAP)
    pg_cm = activation_colormap()
    lut = pg_cm.getLookupTable(0.0, 1.0, nPts=len(cm.positions), alpha=False)
    assert np.allclose(lut / 255.0, cm(np.linspace(0, 1, len(cm.positions))), atol=2 / 255)


# ------------------------------------------------------------------------------- curves
def test_group_curves_with_provenance_in_the_legend(curves, cycle):
    curves.show_group("quadriceps")
    assert curves.muscles() == ["recfem_r", "vaslat_r"]
    legend = curves.legend_entries()
    assert "Rectus femoris (R) \u2014 estimated, scaled from vasti" in legend
    assert "Vastus lateralis (R) \u2014 measured EMG, Rajagopal 2016" in legend
    assert any(e.startswith("stance") for e in legend)
    styles = [c.opts["pen"].style() for c in curves._curves]
    assert styles == [Qt.PenStyle.DashLine, Qt.PenStyle.SolidLine]  # estimated is dashed


def test_show_muscles_and_the_leg_follows(curves):
    curves.show_muscles(["soleus_l", "gasmed_l", "nosuch_l"])
    assert curves.muscles() == ["soleus_l", "gasmed_l"]
    assert "left" in curves.title.text()
    assert curves.legend_entries()[0].startswith("Soleus (L) \u2014 simulated, test simulation")
    # stance of the left leg is shaded: 50..100 and 0..10
    spans = sorted(tuple(b.getRegion()) for b in curves._bands)
    assert spans == [(0.0, 10.0), (50.0, 100.0)]


def test_curve_cursor_moves_and_marks_the_current_values(curves, cycle):
    curves.show_muscles(["soleus_r"])
    curves.set_percent(45.0)
    assert curves._cursor[1].value() == pytest.approx(45.0)
    xs, ys = curves.dots.getData()
    assert xs[0] == pytest.approx(45.0)
    assert ys[0] == pytest.approx(np.interp(45.0, cycle.percent, cycle.activation("soleus_r")))


def test_clicking_the_curves_seeks(curves, qtbot):
    curves.show_group("calves")
    seeks: list[float] = []
    curves.seekRequested.connect(seeks.append)
    target = curves.mouse_target()
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=curves.pixel_of(70.0, 0.1))
    assert seeks and seeks[-1] == pytest.approx(70.0, abs=1.0)
    assert isinstance(curves.pixel_of(0.0), QPoint)
