"""The Muscle panel: description of the selected muscle and its live values (under Xvfb)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QWidget

from anatomy_viewer.anatomy.catalogue import catalogue
from anatomy_viewer.anatomy.descriptions import description
from anatomy_viewer.gait.contraction import ContractionMode


@pytest.fixture
def window(module_window):
    win = module_window
    win.playback.pause()
    if win.gait_name != "walking":
        win.set_gait("walking")
    win.selection.clear()
    win.playback.seek(20.0)
    return win


@pytest.fixture
def panel(window):
    return window.info_panel


def test_panel_is_named_and_docked_on_the_right(window, panel):
    assert window.findChild(QWidget, "infoPanel") is panel
    assert panel.accessibleName()
    dock = window.findChild(QDockWidget, "muscleDock")
    assert dock.windowTitle() == "Muscle"
    assert window.dockWidgetArea(dock) == Qt.DockWidgetArea.RightDockWidgetArea
    assert window.panel_actions["muscle"] in window.view_menu.actions()
    assert window.toolbar.widgetForAction(window.panel_actions["muscle"]).isVisible()


def test_nothing_selected_shows_a_hint(panel):
    assert panel.muscle is None
    assert panel.stack.currentIndex() == 0
    assert panel.hint_label.text() == "Click a muscle to learn what it does"


def test_every_field_of_the_description_is_shown(window, panel):
    window.selection.select("glmed1_r")
    d = description("glmed1")
    assert panel.stack.currentIndex() == 1
    assert panel.title_label.text() == d.common_name
    subtitle = panel.subtitle_label.text()
    assert "Right leg" in subtitle
    assert d.latin_name in subtitle
    group = catalogue().group(d.group)
    assert group.name in subtitle
    assert group.colour in subtitle  # the group's swatch
    text = panel.text.toPlainText()
    assert panel.summary_label.text() == d.main_action  # first, above the live values
    for field in (
        d.origin,
        d.insertion,
        d.innervation,
        d.running_role,
        d.when_weak_or_tight,
        d.fibre_type,
        *d.actions.values(),
        *d.exercises,
        *d.sources,
    ):
        assert field in text, field
    for joint in ("Hip", "Knee", "Ankle"):
        assert joint in text
    assert d.main_action in panel.text_content()


def test_every_muscle_can_be_shown(window, panel):
    for m in window.model.muscles:
        panel.show_muscle(m.name)
        assert panel.title_label.text() == description(m.name).common_name
    panel.show_muscle(window.selection.name)


def _expected_now(window, name: str, percent: float) -> tuple[float, int]:
    """What the 3-D view draws for ``name`` at ``percent``: the animation's own frame."""
    frame = window.animation.at(percent)
    i = window.model.muscle_index(name)
    return float(frame.activations[i]), int(frame.modes[i])


def test_live_values_follow_the_playback(window, panel):
    name = "vaslat_r"
    window.selection.select(name)
    # Between samples (12.3, 47.05: halfway cases of the nearest-sample rule included).
    step = window.animation.cycle.percent[1]
    for percent in (5.0, 12.3, 47.0, 47.0 + step / 2, 80.0):
        window.playback.seek(percent)
        a, mode = _expected_now(window, name, percent)
        assert panel.activation_label.text() == f"{a * 100:.0f} %"
        assert panel.activation_bar.value() == pytest.approx(a, abs=0.003)
        assert panel.cursor.value() == pytest.approx(percent)
        assert ContractionMode(mode).name.capitalize() in panel.mode_label.text()


def test_contraction_modes_are_in_runners_words(window, panel):
    from anatomy_viewer.ui.info_panel import mode_text

    assert "lengthening under load (braking)" in mode_text(ContractionMode.ECCENTRIC)
    assert mode_text(ContractionMode.CONCENTRIC).startswith("Concentric")
    assert mode_text(ContractionMode.ISOMETRIC).startswith("Isometric")
    assert mode_text(ContractionMode.INACTIVE).startswith("Inactive")
    # An instant where the vastus lateralis is lengthening under load: landing in walking.
    window.selection.select("vaslat_r")
    cycle = window.animation.cycle
    row = window.animation.modes[cycle.muscle_index("vaslat_r")]
    j = int(np.flatnonzero(row == ContractionMode.ECCENTRIC)[0])
    window.playback.seek(float(cycle.percent[j]))
    assert "braking" in panel.mode_label.text()


def test_curve_and_provenance_of_the_current_cycle(window, panel):
    window.selection.select("soleus_r")
    cycle = window.animation.cycle
    x, y = panel.curve.getData()
    assert np.allclose(x, cycle.percent) and np.allclose(y, cycle.activation("soleus_r"))
    prov = cycle.provenance["soleus_r"]
    assert prov.source in panel.provenance_label.text()
    window.set_gait("running")  # another cycle: the curve follows at the next frame
    window.playback.seek(30.0)
    running = window.animation.cycle
    x, y = panel.curve.getData()
    assert np.allclose(y, running.activation("soleus_r"))
    assert running.provenance["soleus_r"].source in panel.provenance_label.text()
    assert running.label.lower() in panel.plot_title.text()


def test_playback_updates_only_the_live_values(window, panel):
    """Per frame the description is not rebuilt: its document does not change."""
    window.selection.select("gasmed_r")
    changes = []
    panel.text.document().contentsChanged.connect(lambda: changes.append(1))
    labels = set()
    for percent in np.linspace(0.0, 60.0, 25):
        window.playback.seek(float(percent))
        labels.add(panel.activation_label.text())
    assert len(labels) > 5  # the live values did change
    assert changes == []


def test_closed_dock_comes_back_on_a_new_selection(window, panel):
    dock = window.info_dock
    dock.close()
    assert not dock.isVisible()
    window.selection.select("tibant_r")
    assert dock.isVisible()


def test_compare_mode_shows_the_same_muscle_in_the_other_gait(window):
    """Comparing running with sprinting, the panel gives the sprint's value now and its curve,
    so a person can read how the same muscle differs; back to one view, both go."""
    from anatomy_viewer.gait.library import load_gait

    panel = window.info_panel
    window.selection.select("glmax2_r")
    window.set_compare(["running", "sprinting"])
    try:
        window.playback.seek(15.0)
        sprint = load_gait("sprinting")
        expected = sprint.sample(15.0).activations[sprint.muscle_index("glmax2_r")]
        assert not panel.compare_label.isHidden()
        text = panel.compare_label.text()
        assert sprint.label in text and f"{expected * 100:.0f} %" in text
        assert len(panel.compare_curve.getData()[0]) == sprint.n_samples
    finally:
        window.set_compare(None)
    assert panel.compare_label.isHidden()
    assert panel.compare_curve.getData()[0] is None or len(panel.compare_curve.getData()[0]) == 0
    window.selection.clear()
