"""The Learn menu's guided views in the main window (under Xvfb)."""

from __future__ import annotations

import mujoco
import numpy as np
import pytest
from PySide6.QtWidgets import QDockWidget

from anatomy_viewer.anatomy.learn import guided_views
from anatomy_viewer.gait.animation import CycleAnimation
from anatomy_viewer.gait.library import load_gait

GLUTES = {"glmax1", "glmax2", "glmax3"}
HAMSTRINGS = {"bflh", "bfsh", "semimem", "semiten"}
QUADRICEPS = {"recfem", "vaslat", "vasmed", "vasint"}
CALVES = {"gasmed", "gaslat", "soleus"}
ABDUCTORS = {"glmed1", "glmed2", "glmed3", "glmin1", "glmin2", "glmin3", "tfl"}
ADDUCTORS = {"addlong", "addbrev", "addmagProx", "addmagMid", "addmagDist", "addmagIsch", "grac"}
HIP_FLEXORS = {"iliacus", "psoas", "sart"}

#: Per view: words its caption uses for muscles, and the muscles those words name. Written
#: here from anatomy, independently of the views' own highlight lists.
NAMED = {
    "posterior_chain_push_off": (["gluteus maximus", "hamstrings"], GLUTES | HAMSTRINGS),
    "quadriceps_absorb_landing": (["quadriceps"], QUADRICEPS),
    "calf_spring": (["gastrocnemius", "soleus"], CALVES),
    "hip_abductors_level_pelvis": (
        ["gluteus medius", "gluteus minimus", "tensor fasciae latae"],
        ABDUCTORS,
    ),
    "endurance_vs_sprint": (
        ["gluteus maximus", "hamstrings", "iliopsoas"],
        GLUTES | HAMSTRINGS | {"iliacus", "psoas"},
    ),
    "beyond_the_sagittal_plane": (
        ["hip abductors", "adductors", "piriformis"],
        ABDUCTORS | ADDUCTORS | {"piri"},
    ),
}
#: Muscles a view names on the other leg than its own (the swinging leg's hip flexors).
OTHER_LEG = {"endurance_vs_sprint": {"iliacus", "psoas"}}


@pytest.fixture
def window(module_window):
    win = module_window
    win.learn.leave()
    win.group_panel.show_all()
    win.playback.pause()
    win.learn.set_focus(True)
    return win


def highlighted(scene) -> set[str]:
    mask = scene.display_state()["highlighted"]
    return {scene.model.muscle_names[i] for i in np.flatnonzero(mask)}


def isolated(scene) -> set[str]:
    mask = scene.display_state()["isolated"]
    return {scene.model.muscle_names[i] for i in np.flatnonzero(mask)}


def body_origin(model, pose, bone: str) -> np.ndarray:
    """World position of the body a bone mesh belongs to (a joint centre, e.g. the hip's for
    the femur), from the bone's world matrix and the mesh's placement in its body."""
    m = model.m
    g = mujoco.mj_name2id(m, mujoco.mjtObj.mjOBJ_GEOM, bone)
    rot = np.zeros(9)
    mujoco.mju_quat2Mat(rot, m.geom_quat[g])
    mat = np.asarray(pose.bone_matrices)[[b.name for b in model.bones].index(bone)]
    body_rot = mat[:3, :3] @ rot.reshape(3, 3).T
    return mat[:3, 3] - body_rot @ m.geom_pos[g]


def shown_pose(window):
    return window.animation.at(window.playback.percent).pose


def drawn_centres(scene) -> np.ndarray:
    """Mid-points of every muscle path the scene draws now (n_muscles, 3)."""
    return np.array([scene.muscle_centre(i) for i in range(scene.n_muscles)])


def centres_of(pose) -> np.ndarray:
    paths = np.asarray(pose.muscle_paths)
    return paths[:, paths.shape[1] // 2]


# ------------------------------------------------------------------------------- menu
def test_learn_menu_lists_the_six_views(window):
    titles = [
        a.text() for a in window.learn.menu.actions() if a.objectName().startswith("learnView_")
    ]
    assert len(titles) == 6
    for view, title in zip(guided_views(), titles, strict=True):
        assert view.title in title
    menus = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert "Learn" in menus


def test_the_expected_muscles_match_the_caption():
    """The table above and the view texts agree on what each caption names."""
    for view in guided_views():
        words, _ = NAMED[view.key]
        for w in words:
            assert w in view.caption.lower(), (view.key, w)


# ------------------------------------------------------------------------------- views
@pytest.mark.parametrize("view", guided_views(), ids=lambda v: v.key)
def test_each_view_opens_at_its_instant_and_outlines_what_it_names(window, view):
    window.playback.play()
    window.learn.view_actions[view.key].trigger()  # as from the menu
    learn = window.learn
    assert learn.current is view
    assert not window.playback.playing
    assert window.playback.percent == pytest.approx(view.phase)
    assert window.scene.view == view.camera
    if view.compare:
        assert window.gait_name == view.compare[0]
    else:
        assert window.gait_name == view.gait
    _, bases = NAMED[view.key]
    other = OTHER_LEG.get(view.key, set())
    other_side = "l" if view.side == "r" else "r"
    expected = {f"{b}_{view.side}" for b in bases - other} | {f"{b}_{other_side}" for b in other}
    assert highlighted(window.scene) == expected
    assert isolated(window.scene) == expected  # the others fade (focus is on)
    # the caption: in the Learn panel beside the view, its title in the 3-D view
    dock = window.findChild(QDockWidget, "learnDock")
    assert dock.isVisible()
    assert learn.panel.caption_label.text() == view.caption
    assert learn.panel.caption_label.isVisible()
    assert learn.panel.title_label.text() == view.title
    if not view.compare:
        assert window.scene.caption == view.title


def test_leaving_clears_outline_caption_and_panel(window):
    window.learn.open("calf_spring")
    window.learn.leave_action.trigger()
    assert window.learn.current is None
    assert highlighted(window.scene) == set()
    assert isolated(window.scene) == set()
    assert window.scene.caption is None
    assert not window.findChild(QDockWidget, "learnDock").isVisible()


def test_focus_fades_others_and_shows_through_bones_until_switched_off(window):
    window.learn.open("posterior_chain_push_off")
    opacity = window.scene.bone_actors[0].GetProperty().GetOpacity()
    assert opacity < 0.5
    window.learn.panel.focus_toggle.setChecked(False)
    assert isolated(window.scene) == set()
    assert len(highlighted(window.scene)) == 7  # still outlined
    assert window.scene.bone_actors[0].GetProperty().GetOpacity() == 1.0
    window.learn.panel.focus_toggle.setChecked(True)
    window.learn.leave()
    assert window.scene.bone_actors[0].GetProperty().GetOpacity() == 1.0


def test_unticking_a_muscle_during_a_view_keeps_the_views_outline(window):
    window.learn.open("posterior_chain_push_off")
    outlined = highlighted(window.scene)
    assert len(outlined) == 7
    window.group_panel.set_shown(("muscle", "soleus"), False)  # a muscle the view does not name
    assert highlighted(window.scene) == outlined
    assert isolated(window.scene) == outlined
    assert not window.scene.visible_muscles()[window.model.muscle_index("soleus_r")]
    window.learn.leave()
    # the user's unticked muscle stays hidden after the view
    assert not window.scene.visible_muscles()[window.model.muscle_index("soleus_r")]


def test_leaving_a_view_gives_back_the_users_isolation(window):
    panel = window.group_panel
    panel.isolate_group("calves")
    calves = {f"{b}_{s}" for b in CALVES for s in "rl"}
    assert isolated(window.scene) == calves
    window.learn.open("quadriceps_absorb_landing")
    assert isolated(window.scene) == {f"{b}_r" for b in QUADRICEPS}
    window.learn.leave()
    assert isolated(window.scene) == calves
    assert panel.isolate_button.isChecked()
    assert "Isolating Calves" in panel.status.text()


def test_stepping_through_the_views(window):
    learn = window.learn
    learn.open(0)
    for i in range(1, 6):
        learn.panel.next_button.click()
        assert learn.index == i
    assert not learn.panel.next_button.isEnabled()
    learn.panel.prev_button.click()
    assert learn.index == 4


# ------------------------------------------------------------------------------- weak abductors
def test_weak_abductors_drop_the_free_side_and_let_the_knee_in(window, leg_model):
    learn = window.learn
    learn.open("hip_abductors_level_pelvis")  # running, right leg alone on the ground
    toggle = learn.panel.weak_toggle
    assert toggle.isVisible()
    pose = shown_pose(window)
    hip_r, hip_l = (body_origin(leg_model, pose, f"femur_{s}") for s in "rl")
    knee_r = body_origin(leg_model, pose, "tibia_r")
    toggle.setChecked(True)
    assert learn.weak_abductors
    weak = shown_pose(window)
    weak_hip_r, weak_hip_l = (body_origin(leg_model, weak, f"femur_{s}") for s in "rl")
    weak_knee_r = body_origin(leg_model, weak, "tibia_r")
    # The left (swing) side of the pelvis drops: the left hip sits lower than the right, by
    # clearly more than in the normal stride.
    assert weak_hip_l[2] < weak_hip_r[2]
    assert (weak_hip_r[2] - weak_hip_l[2]) - (hip_r[2] - hip_l[2]) > 0.015
    # The right knee moves toward the midline (x = 0; the right leg is at -x).
    assert weak_knee_r[0] - knee_r[0] > 0.02
    toggle.setChecked(False)
    assert not learn.weak_abductors
    back = shown_pose(window)
    assert np.allclose(body_origin(leg_model, back, "tibia_r"), knee_r)


def test_weak_abductors_apply_in_each_single_stance_only(leg_model):
    from anatomy_viewer.app.guided import weak_abductor_offsets

    view = next(v for v in guided_views() if v.weak_abductors)
    cycle = load_gait("running")
    offsets = weak_abductor_offsets(view.weak_abductors, view.side, cycle)
    i = int(np.argmin(np.abs(cycle.percent - view.phase)))
    for name, deg in view.weak_abductors.items():  # in full at the view's instant
        assert offsets[name][i] == pytest.approx(deg)
    flight = int(np.argmin(np.abs(cycle.percent - 45.0)))  # both feet in the air
    assert all(abs(v[flight]) < 1e-9 for v in offsets.values())
    left = int(np.argmin(np.abs(cycle.percent - 65.0)))  # left stance: mirrored
    assert offsets["pelvis_list"][left] == pytest.approx(-view.weak_abductors["pelvis_list"])
    assert offsets["hip_adduction_l"][left] == pytest.approx(view.weak_abductors["hip_adduction_r"])


def test_animation_offsets_shift_the_pose(leg_model):
    cycle = load_gait("walking")
    plain = CycleAnimation(cycle, leg_model, with_modes=False)
    bent = CycleAnimation(cycle, leg_model, with_modes=False, offsets={"knee_angle_r": 20.0})
    knee_muscles = [leg_model.muscle_index(m) for m in ("vaslat_r", "bflh_r", "gasmed_r")]
    hip_only = leg_model.muscle_index("iliacus_r")
    change = bent.poses.muscle_lengths - plain.poses.muscle_lengths
    # 20 degrees more knee flexion lengthens the knee extensor and shortens the flexors, at
    # every sample, and leaves a muscle that does not cross the knee as it was.
    assert np.all(change[:, knee_muscles[0]] > 0.005)
    assert np.all(change[:, knee_muscles[1]] < -0.005)
    assert np.all(change[:, knee_muscles[2]] < -0.001)
    assert np.allclose(change[:, hip_only], 0.0, atol=1e-9)
    assert cycle.coordinates["knee_angle_r"] is bent.cycle.coordinates["knee_angle_r"]
    same = CycleAnimation(cycle, leg_model, with_modes=False, offsets={})
    assert np.allclose(plain.poses.bone_matrices, same.poses.bone_matrices)


# ------------------------------------------------------------------------------- comparison
def test_endurance_vs_sprint_compares_the_two_gaits(window):
    view = next(v for v in guided_views() if v.compare)
    window.learn.open(view)
    assert len(window.scenes) == 2
    assert window.gait_name == view.compare[0]
    assert window.compare.gaits == tuple(view.compare)
    # each half labelled with its fibre-type line, the view's title above them
    assert window.compare.labels() == tuple(view.labels[g] for g in view.compare)
    assert window.scene.caption == view.title
    for s in window.scenes:
        assert highlighted(s) == set(view.highlighted_muscles())
    for source in view.sources:
        assert source in window.learn.panel.sources_label.text()
    window.learn.leave()
    assert len(window.scenes) == 1


# ------------------------------------------------------------------------------- exercises
def test_each_exercise_shows_a_still_pose_with_its_targets(window, leg_model):
    view = next(v for v in guided_views() if v.exercises)
    learn = window.learn
    learn.open(view)
    stride = drawn_centres(window.scene)
    for ex in view.exercises:
        learn.panel.exercise_buttons[ex.key].click()
        assert learn.exercise is ex
        assert not window.playback.playing
        expected = {f"{b}_{ex.side}" for b in ex.highlight}
        assert highlighted(window.scene) == expected
        assert learn.panel.caption_label.text() == ex.caption
        assert window.scene.caption == ex.name
        assert window.phase_label.text().startswith(f"Exercise pose: {ex.name}")
        # The scene draws the exercise's still pose, not the stride.
        shown = drawn_centres(window.scene)
        still = leg_model.pose_sequence([dict(ex.pose)], np.ones(1, bool), np.ones(1, bool))
        assert np.allclose(shown, centres_of(still.frame(0)))
        assert not np.allclose(shown, stride)
    window.selection.select("glmed1_r")  # the Muscle panel has no live values for a still pose
    assert "still pose" in window.info_panel.mode_label.text()
    learn.panel.back_button.click()
    assert learn.exercise is None
    assert "still pose" not in window.info_panel.mode_label.text()
    assert window.phase_label.text().lstrip().startswith(f"{view.phase:.1f} %")
    window.selection.clear()
    assert np.allclose(drawn_centres(window.scene), stride)
    assert highlighted(window.scene) == {f"{b}_{view.side}" for b in view.highlight}
    assert learn.panel.caption_label.text() == view.caption


def test_playing_leaves_an_exercise_pose(window):
    view = next(v for v in guided_views() if v.exercises)
    learn = window.learn
    learn.open(view)
    learn.show_exercise(view.exercises[0].key)
    window.playback.play()
    assert learn.exercise is None
    window.playback.pause()
    assert learn.current is view


def test_a_view_with_many_muscles_still_plots_each_group(window):
    """The posterior-chain view highlights seven muscles; the curve plot shows the strongest
    of each group (gluteus maximus and hamstrings), never an empty plot."""
    from anatomy_viewer.anatomy import catalogue

    window.learn.open("posterior_chain_push_off")
    shown = window.curves.muscles()
    assert 0 < len(shown) <= 4
    groups = {catalogue().group_of(m) for m in shown}
    assert groups == {"glutes", "hamstrings"}
    assert set(shown) <= set(highlighted(window.scene))
    # the strongest gluteus maximus part leads its group
    assert "glmax2_r" in shown
    window.learn.leave()
