"""The application model without Qt or VTK: playback, layered display state, guided views,
and the one way of sampling what is shown at an instant."""

from __future__ import annotations

import numpy as np
import pytest

from anatomy_viewer.app.display import DisplayModel, DisplayState
from anatomy_viewer.app.guided import FOCUS_BONE_OPACITY, GuidedTour
from anatomy_viewer.app.model import AppModel
from anatomy_viewer.app.playback import Playback
from anatomy_viewer.gait.animation import CycleAnimation
from anatomy_viewer.gait.library import load_gait
from anatomy_viewer.gait.sampling import (
    activation_at,
    caption_text,
    mode_at,
    muscle_at,
    nearest_index,
    phase_text,
    position_text,
)

CALVES = frozenset({"gasmed_r", "gaslat_r", "soleus_r", "gasmed_l", "gaslat_l", "soleus_l"})


@pytest.fixture(scope="module")
def app(leg_model):
    return AppModel(leg_model, colormaps=("activation", "cividis"))


@pytest.fixture
def model(app):
    """The module's model, back to the user's defaults and walking at 0 %."""
    app.display.clear_overlay()
    defaults = DisplayState()
    app.display.set_user(**{k: getattr(defaults, k) for k in DisplayState.__dataclass_fields__})
    app.stop_comparing()
    app.show_still(None)
    app.show_gait("walking")
    app.playback.pause()
    app.playback.seek(0.0)
    return app


# ------------------------------------------------------------------------------ playback
def test_playback_advances_by_wall_clock_time_and_loops():
    pb = Playback(stride_time=0.5)
    seen = []
    pb.events.percent.connect(seen.append)
    pb.advance(0.1)  # not playing: nothing moves
    assert pb.percent == 0.0 and seen == []
    pb.play()
    pb.advance(0.1)  # 0.1 s of a 0.5 s stride
    assert pb.percent == pytest.approx(20.0)
    pb.set_speed(2.0)
    pb.advance(0.25)  # twice as fast: a whole stride more, so past the end and round again
    assert pb.percent == pytest.approx(20.0)
    pb.set_loop(False)
    pb.seek(90.0)
    pb.advance(0.1)
    assert pb.percent == 100.0 and not pb.playing  # without looping it stops at the end
    assert seen[0] == pytest.approx(20.0)
    pb.seek(float("nan"))  # ignored: a NaN position would stick
    pb.set_speed(float("inf"))
    assert pb.percent == 100.0 and pb.speed == 2.0


# ------------------------------------------------------------------------------ display layers
def test_an_overlay_never_erases_the_users_choices_and_leaving_restores_them():
    d = DisplayModel(("activation", "cividis"))
    d.set_user(isolated=CALVES, hidden={"tibant_r"}, gain=2.0, legs="right")
    before = d.user
    changes = []
    d.events.changed.connect(changes.append)
    d.set_overlay({"highlighted": {"glmax1_r"}, "isolated": {"glmax1_r"}, "bone_opacity": 0.3})
    assert d.effective.isolated == {"glmax1_r"}
    assert d.effective.hidden == {"tibant_r"} and d.effective.gain == 2.0  # not overlaid
    assert d.user == before
    d.clear_overlay()
    assert d.effective == before  # exactly what was there
    assert set(changes[0]) == {"highlighted", "isolated", "bone_opacity"}


def test_a_users_change_under_an_overlay_keeps_the_overlays_other_fields():
    d = DisplayModel()
    d.set_overlay({"highlighted": {"glmax1_r", "bflh_r"}, "bone_opacity": 0.3})
    d.set_user(hidden={"soleus_r"})  # untick a muscle during a guided view
    assert d.effective.highlighted == {"glmax1_r", "bflh_r"}
    d.set_user(bone_opacity=1.0)  # the user's explicit choice wins over the overlay's
    assert d.effective.bone_opacity == 1.0
    assert d.effective.highlighted == {"glmax1_r", "bflh_r"}


def test_display_values_are_checked_and_saved_settings_are_forgiving():
    d = DisplayModel(("activation",))
    with pytest.raises(ValueError, match="legs"):
        d.set_user(legs="middle")
    with pytest.raises(ValueError, match="colour map"):
        d.set_user(colormap="rainbow")
    with pytest.raises(KeyError, match="no display field"):
        d.set_user(wireframe=True)
    d.set_user(gain=9.0)
    assert d.user.gain == 4.0
    d.set_user_state({"legs": "sideways", "gain": "2.5", "colormap": "rainbow", "x": 1})
    assert d.user.legs == "both" and d.user.gain == 2.5 and d.user.colormap == "activation"
    d.set_user_state({"gain": float("nan"), "bone_opacity": "inf", "legs": ["both"]})
    assert d.user.gain == 2.5 and d.user.bone_opacity == 1.0 and d.user.legs == "both"


# ------------------------------------------------------------------------------ the model
def test_the_model_says_when_the_current_animation_changes(model):
    seen = []
    model.events.animation.connect(seen.append)
    model.playback.seek(37.0)
    model.show_gait("running")
    assert seen == [model.animation] and model.gait_name == "running"
    assert model.playback.percent == 37.0  # the phase is kept
    assert model.playback.stride_time == pytest.approx(model.cycle.stride_time)
    model.show_gait("running")  # already shown: no event
    assert len(seen) == 1
    # what a panel reads of a muscle now is the animation's own frame
    now = model.muscle_now("vaslat_r")
    frame = model.frame()
    assert now.activation == pytest.approx(
        float(frame.activations[model.leg.muscle_index("vaslat_r")])
    )
    assert model.muscle_now("vaslat_r", compared=True) is None  # nothing compared
    model.events.animation.disconnect(seen.append)


def test_a_still_pose_ends_when_the_playback_moves(model, leg_model):
    seq = leg_model.pose_sequence([{}], np.ones(1, bool), np.ones(1, bool))
    from anatomy_viewer.app.model import StillPose

    model.show_still(StillPose("Neutral", seq.frame(0)))
    assert model.still is not None and not model.playback.playing
    model.playback.seek(10.0)
    assert model.still is None


# ------------------------------------------------------------------------------ guided views
def test_leaving_a_guided_view_restores_the_users_isolation(model):
    model.display.set_user(isolated=CALVES, hidden={"tibant_r", "tibant_l"})
    user = model.display.user
    tour = GuidedTour(model)
    tour.open("posterior_chain_push_off")
    shown = model.display.effective
    assert shown.highlighted == set(tour.highlighted()) and len(shown.highlighted) == 7
    assert shown.isolated == shown.highlighted  # focus on the view's muscles
    assert shown.bone_opacity == FOCUS_BONE_OPACITY
    assert shown.hidden == user.hidden  # the user's hidden muscles stay hidden
    model.display.set_user(hidden=user.hidden | {"soleus_r"})  # the user unticks a muscle
    assert model.display.effective.highlighted == shown.highlighted
    tour.leave()
    assert model.display.effective.isolated == CALVES
    assert model.display.effective.highlighted == frozenset()
    assert model.display.effective.hidden == user.hidden | {"soleus_r"}


def test_leaving_the_guided_views_gives_back_the_muscle_the_user_had_selected(model):
    model.selection.select("glmax1_r")
    tour = GuidedTour(model)
    tour.open("posterior_chain_push_off")
    assert model.selection.name is None  # the view starts with nothing selected
    tour.next()
    tour.leave()
    assert model.selection.name == "glmax1_r"
    # a muscle chosen during the tour is the one kept
    tour.open(0)
    model.selection.select("semiten_r")
    tour.leave()
    assert model.selection.name == "semiten_r"


def test_weak_abductors_measure_the_pelvic_drop_and_the_knee_shift(model):
    tour = GuidedTour(model)
    tour.open("hip_abductors_level_pelvis")
    view = tour.current
    plain = model.animation
    tour.set_weak_abductors(True)
    assert model.animation is not plain and model.reference is plain
    m = tour.measures
    # the view's table lists the pelvis by about 6..12 degrees and the stance knee moves in
    assert 4.0 < m.pelvic_drop_deg < 14.0
    assert m.knee_shift_cm > 1.0
    assert f"{m.pelvic_drop_deg:.1f}" in model.display.effective.caption
    assert set(model.display.effective.framing) >= {f"talus_{view.side}", f"femur_{view.side}"}
    tour.leave()
    assert model.animation is plain and model.reference is None


# ------------------------------------------------------------------------------ sampling
def test_one_nearest_sample_rule_for_every_category(leg_model):
    cycle = load_gait("walking")
    anim = CycleAnimation(cycle, leg_model)
    step = cycle.percent[1] - cycle.percent[0]
    i = 17
    below, above = cycle.percent[i] + 0.49 * step, cycle.percent[i] + 0.51 * step
    assert nearest_index(cycle, below) == i and nearest_index(cycle, above) == i + 1
    frame = anim.at(above)
    j = cycle.muscle_index("vaslat_r")
    assert mode_at(anim, "vaslat_r", above) == int(frame.modes[j])
    assert activation_at(cycle, "vaslat_r", above) == pytest.approx(float(frame.activations[j]))
    now = muscle_at(anim, "vaslat_r", 100.0 + above)  # a periodic cycle wraps
    assert now.activation == pytest.approx(float(frame.activations[j]))
    assert now.force is None  # this animation has no muscle forces


def test_captions_say_seconds_for_a_whole_trial(leg_model):
    from dataclasses import replace

    cycle = load_gait("running")
    assert position_text(cycle, 23.5) == " 23.5 %"
    assert phase_text(cycle, 23.5).startswith(" 23.5 %   right: ")
    assert caption_text(cycle, 23.5).splitlines()[1].startswith("24 % of the stride")
    trial = replace(cycle, periodic=False, stride_time=4.0)
    assert position_text(trial, 25.0) == "1.00 s"
    assert phase_text(trial, 25.0).startswith("1.00 s")
    assert "1.00 s into the trial" in caption_text(trial, 25.0)
