"""What fits at the window's usual sizes: 1280x800 (its default) and 1229x691 (where it opens
on a 1366x768 laptop screen). Under Xvfb."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QRect

DEFAULT = (1280, 800)
LAPTOP = (1229, 691)  # initial_size() on a 1366x768 screen


@pytest.fixture
def window(module_window, qtbot):
    win = module_window
    win.learn.leave()
    win.selection.clear()
    win.playback.pause()
    for key in ("plots", "muscle", "muscles"):  # the panels whose layout is checked here
        if not win.panel_actions[key].isChecked():
            win.panel_actions[key].trigger()

    def sized(size):
        win.resize(*size)
        qtbot.wait(100)
        return win

    yield sized
    win.learn.leave()
    win.resize(*DEFAULT)


def visible_in(widget, viewport) -> QRect:
    """The part of ``widget`` that ``viewport`` (a scroll area's viewport) shows."""
    top_left = widget.mapTo(viewport, QPoint(0, 0))
    return QRect(top_left, widget.size()).intersected(viewport.rect())


def test_the_heatmap_has_readable_rows_names_and_title(window):
    win = window(DEFAULT)
    hm = win.heatmap
    hm.set_side("r")
    win.render_window.Render()
    hm.view.viewport().repaint()
    from anatomy_viewer.ui.plots import MIN_ROW_PX

    rows = len(hm.rows())
    top = hm.viewbox.mapViewToScene(hm.viewbox.viewRect().topLeft()).y()
    bottom = hm.viewbox.mapViewToScene(hm.viewbox.viewRect().bottomLeft()).y()
    assert abs(bottom - top) / rows >= MIN_ROW_PX - 0.01  # no 3-pixel slivers
    # every group's name drawn, none over another
    hm.axis.update()
    hm.view.viewport().repaint()
    assert hm.axis.drawn == [g.name for g in hm.groups()]
    assert hm.title.text() == f"Every muscle \u2014 {win.cycle.label}"
    assert hm.title.fontMetrics().horizontalAdvance(hm.title.text()) <= hm.title.width()


def test_the_muscle_page_shows_what_the_muscle_does_without_scrolling(window, qtbot):
    win = window(DEFAULT)
    win.selection.select("vaslat_r")
    qtbot.wait(50)
    panel = win.info_panel
    from PySide6.QtWidgets import QScrollArea

    viewport = panel.findChild(QScrollArea).viewport()  # the page's scroll area
    summary = visible_in(panel.summary_label, viewport)
    assert summary.height() == panel.summary_label.height()  # the whole line
    assert "Knee extension" in panel.summary_label.text()
    text = visible_in(panel.text, viewport)
    assert text.height() >= 60  # the description's first lines are in view


@pytest.mark.parametrize(
    ("size", "view", "what"),
    [(DEFAULT, 4, "hint"), (DEFAULT, 5, "exercises"), (LAPTOP, 5, "exercises")],
)
def test_a_guided_views_page_fits_its_dock(window, qtbot, size, view, what):
    win = window(size)
    win.learn.open(view)
    panel = win.learn.panel
    qtbot.waitUntil(lambda: panel.scroll.verticalScrollBar().maximum() == 0, timeout=2000)
    viewport = panel.scroll.viewport()
    widgets = list(panel.exercise_buttons.values()) if what == "exercises" else []
    for w in [*widgets, panel.hint_label, panel.caption_label]:
        assert visible_in(w, viewport).height() == w.height(), w.text()


def test_weak_abductors_frame_the_stance_leg_and_ghost_the_normal_pose(window, qtbot):
    win = window(DEFAULT)
    learn = win.learn
    learn.open("hip_abductors_level_pelvis")
    view = learn.current
    learn.panel.weak_toggle.setChecked(True)
    qtbot.wait(50)
    win.render_window.Render()
    scene = win.scene
    assert scene.view == "front"
    assert scene.ghost_visible
    # the whole stance leg, foot included, and the pelvis are in the picture
    pose = win.animation.at(win.playback.percent).pose
    w, h = win.render_window.GetSize()
    for bone in ("pelvis_r", "pelvis_l", f"femur_{view.side}", f"talus_{view.side}"):
        pts = scene.bones.world_vertices({bone}, pose.bone_matrices)
        xy = np.array([scene.display_position(p) for p in pts[:: max(len(pts) // 50, 1)]])
        assert (xy[:, 0] >= 0).all() and (xy[:, 0] <= w).all(), bone
        assert (xy[:, 1] >= 0).all() and (xy[:, 1] <= h).all(), bone
    # the change as numbers, in the panel and in the view's caption
    m = learn.tour.measures
    assert learn.panel.measures_label.isVisible()
    assert f"{m.pelvic_drop_deg:.1f}\u00b0" in learn.panel.measures_label.text()
    assert f"{m.knee_shift_cm:.1f} cm" in scene.caption
    learn.panel.weak_toggle.setChecked(False)
    assert not scene.ghost_visible
