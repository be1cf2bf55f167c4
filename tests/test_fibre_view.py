"""Slow and fast fibres as a user meets them: guided view 5 (endurance vs sprint) on the
application model, and in the window the Display box's "Colour by", the Muscle panel's fibre
types, recruitment, energy and measured EMG, and the guided view's two halves."""

from __future__ import annotations

import re

import numpy as np
import pytest

from anatomy_viewer.anatomy.fibre_types import composition, recruitment_in_brief
from anatomy_viewer.anatomy.learn import guided_view
from anatomy_viewer.app.guided import GuidedTour
from anatomy_viewer.app.model import AppModel
from anatomy_viewer.gait.emg import emg_channel
from anatomy_viewer.gait.energy import builtin_gait_energy
from anatomy_viewer.gait.fibre_use import FibreState, fibre_states, gait_fast_fibre_summary
from anatomy_viewer.gait.library import load_gait
from anatomy_viewer.gait.sampling import muscle_at
from anatomy_viewer.resources import resource_path

VIEW = "endurance_vs_sprint"
GLUTEUS_MAXIMUS = ("glmax1_r", "glmax2_r", "glmax3_r")
#: The hamstrings that cross the hip (the short head of biceps femoris does not).
HIP_HAMSTRINGS = ("bflh_r", "semimem_r", "semiten_r")
#: The swinging (left) leg's iliopsoas.
ILIOPSOAS = ("iliacus_l", "psoas_l")


def state_now(animation, muscle: str, percent: float) -> FibreState:
    """Which fibres ``muscle`` works with at ``percent``, from its activation there."""
    a = muscle_at(animation, muscle, percent).activation
    return FibreState(int(fibre_states(np.array([a]), np.array([composition(muscle).type1]))[0]))


# ------------------------------------------------------------------ the guided view's logic
@pytest.fixture(scope="module")
def app(leg_model):
    return AppModel(leg_model, colormaps=("activation", "cividis"))


@pytest.fixture
def tour(app):
    app.display.clear_overlay()
    app.display.set_user(colour_mode="activation")
    app.stop_comparing()
    app.show_gait("walking")
    t = GuidedTour(app)
    yield t
    t.leave()


def test_the_views_claim_holds_at_its_instant(tour, app):
    tour.open(VIEW)
    view = tour.current
    p = app.playback.percent
    assert p == view.phase
    assert app.gait_name == "running" and app.compared.gaits == ("running", "sprinting")
    running, sprint = app.animation, app.compared.animation
    fast = [state_now(sprint, m, p) == FibreState.FAST for m in GLUTEUS_MAXIMUS]
    assert sum(fast) >= 2  # most of gluteus maximus
    for m in HIP_HAMSTRINGS + ILIOPSOAS:
        assert state_now(sprint, m, p) == FibreState.FAST, m
    for m in GLUTEUS_MAXIMUS + HIP_HAMSTRINGS + ILIOPSOAS:
        assert state_now(running, m, p) != FibreState.FAST, m  # slow fibres or at rest
    # and those are the muscles the view outlines
    assert set(GLUTEUS_MAXIMUS + HIP_HAMSTRINGS + ILIOPSOAS) <= app.display.effective.highlighted


def test_the_view_colours_by_fibre_type_and_leaving_gives_back_the_users_colours(tour, app):
    tour.open(VIEW)
    assert app.display.effective.colour_mode == "fibre_types"
    assert app.display.user.colour_mode == "activation"  # never written over
    tour.leave()
    assert app.display.effective.colour_mode == "activation"
    # the user's own choice during the view is theirs, and stays after it
    tour.open(VIEW)
    app.display.set_user(colour_mode="activation")
    assert app.display.effective.colour_mode == "activation"
    app.display.set_user(colour_mode="fibre_types")
    tour.leave()
    assert app.display.effective.colour_mode == "fibre_types"
    # another view does not change the colours
    tour.open("calf_spring")
    assert app.display.effective.colour_mode == "fibre_types"


def _figures(caption: str) -> list[int]:
    return [int(x) for x in re.findall(r"(\d+) %", caption)]


def test_the_captions_stride_figures_are_the_programs(leg_model):
    """The caption's numbers: share of the stride with fast fibres at work (gluteus maximus
    and the hamstrings, endurance then sprint), iliopsoas's share of the stride at endurance
    pace, and its stride-mean share of fast fibres in use (endurance, sprint), each muscle's
    lines weighted by their strength."""
    view = guided_view(VIEW)
    rows = {}
    for gait in ("running", "sprinting"):
        summary = gait_fast_fibre_summary(load_gait(gait))
        for name, muscles in (
            ("glmax", GLUTEUS_MAXIMUS),
            ("hamstrings", HIP_HAMSTRINGS),
            ("iliopsoas", ("iliacus_r", "psoas_r")),
        ):
            force = [leg_model.max_isometric_force[leg_model.muscle_index(m)] for m in muscles]
            rows[gait, name] = summary.combined(name, muscles, force)
    expected = [
        round(100 * rows["sprinting", "glmax"].time_with_fast),
        round(100 * rows["running", "hamstrings"].time_with_fast),
        round(100 * rows["sprinting", "hamstrings"].time_with_fast),
        round(100 * rows["running", "iliopsoas"].time_with_fast),
        round(100 * rows["running", "iliopsoas"].mean_fast_pool),
        round(100 * rows["sprinting", "iliopsoas"].mean_fast_pool),
    ]
    assert rows["running", "glmax"].time_with_fast == 0.0  # "none of the endurance stride"
    assert "none of the endurance stride" in view.caption
    assert _figures(view.caption) == expected


# ------------------------------------------------------------------ in the window
@pytest.fixture
def window(module_window, qtbot):
    win = module_window
    win.learn.leave()
    win.selection.clear()
    win.playback.pause()
    win.view_options.set_colour_mode("activation")
    win.set_gait("running")
    win.playback.seek(10.0)
    yield win
    win.learn.leave()
    win.view_options.set_colour_mode("activation")
    win.selection.clear()


def test_colour_by_fibre_types_in_the_display_box(window):
    box = window.display_controls
    i = box.colour_mode.findData("fibre_types")
    assert box.colour_mode.itemText(i) == "Fibre types"
    box.colour_mode.setCurrentIndex(i)
    box.colour_mode.activated.emit(i)  # as a user's pick
    assert window.scene.colour_mode == "fibre_types"
    assert window.view_options.colour_mode == "fibre_types"
    assert not box.gain.isEnabled() and not box.colormap.isEnabled()  # they do not apply
    box.colour_mode.activated.emit(box.colour_mode.findData("activation"))
    assert window.scene.colour_mode == "activation" and box.gain.isEnabled()


def test_guided_view_5_shows_fibre_types_in_both_halves_and_leaving_restores(window):
    window.learn.open(VIEW)
    assert len(window.scenes) == 2
    running, sprint = window.scenes
    for s in window.scenes:
        assert s.colour_mode == "fibre_types"
    assert window.display_controls.colour_mode.currentText() == "Fibre types"

    def drawn(scene, name):
        return FibreState(int(scene.fibre_states()[scene.model.muscle_index(name)]))

    for m in HIP_HAMSTRINGS + ILIOPSOAS:
        assert drawn(sprint, m) == FibreState.FAST, m
        assert drawn(running, m) != FibreState.FAST, m
    window.learn.leave()
    assert window.scene.colour_mode == "activation"
    assert window.display_controls.colour_mode.currentText() == "Activation"


def test_the_muscle_panel_says_which_fibres_work_now(window):
    panel = window.info_panel
    window.selection.select("glmax1_r")
    assert "Slow fibres only" in panel.text_content()  # running, 10 %: below its 55 %
    window.set_gait("sprinting")
    window.playback.seek(5.0)
    a = muscle_at(window.animation, "glmax1_r", 5.0).activation
    f = composition("glmax1_r").type1
    share = round(100 * (a - f) / a)
    assert f"Fast fibres too: {share} % of those working" in panel.text_content()


def test_the_muscle_panel_gives_composition_recruitment_and_energy(window):
    panel = window.info_panel
    window.selection.select("glmax1_r")
    text = panel.fibre_text_content()
    assert "Gluteus maximus: 55 % slow-twitch (Type I), 45 % fast-twitch (Type II)" in text
    assert "Uchida" in text  # its source
    # the plain account of recruitment is the notes' own "In brief" section
    notes = resource_path("muscles", "fibre_types_and_energy.md").read_text(encoding="utf-8")
    assert "## In brief" in notes
    first = recruitment_in_brief().split(". ")[0]
    assert first in " ".join(notes.split()) and first in text
    # its cost in this gait: this line's mean power and its share of the legs' total
    energy = builtin_gait_energy("running")
    assert f"{energy.mean_w(['glmax1_r']):.1f} W on average" in text
    assert f"{energy.share(['glmax1_r']) * 100:.1f} %" in text
    assert "Assumed" not in text  # a compiled value
    # an assumed composition says so
    window.selection.select("tfl_r")
    assert composition("tfl_r").basis == "assumed"
    assert "Assumed" in panel.fibre_text_content()


def test_measured_emg_beside_the_simulated_activation_where_it_was_recorded(window):
    panel = window.info_panel
    window.selection.select("glmax1_r")
    assert panel.emg_row.isVisibleTo(panel)
    channel = emg_channel("running", "glmax1_r")
    assert panel.activation_caption.text() == "Simulated now"
    assert panel.emg_caption.text() == "Measured EMG"
    assert panel.emg_label.text() == f"{channel.at(10.0) * 100:.0f} %"
    assert "Rajagopal" in panel.emg_row.toolTip()
    # the left leg reads the right leg's recording half a stride later
    window.selection.select("glmax1_l")
    assert panel.emg_label.text() == f"{channel.at(60.0) * 100:.0f} %"
    # none recorded for the sprint, none for a muscle without an electrode
    window.selection.select("iliacus_r")
    assert not panel.emg_row.isVisibleTo(panel)
    assert panel.activation_caption.text() == "Activation now"
    window.selection.select("glmax1_r")
    window.set_gait("sprinting")
    assert not panel.emg_row.isVisibleTo(panel)
