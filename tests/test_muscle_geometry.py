"""The muscles as an anatomy student sees them: real volumes, bellies and tendons, sheets for the
split muscles, bellies on (not in) the bones, a complete pelvis, and clickable muscles.

Volumes are checked against the MRI regressions of Handsfield et al. (2014) carried in
resources/muscles/volumes.toml, as the volume enclosed by each drawn body (divergence theorem).
"""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("vtkmodules")

from anatomy_viewer.anatomy.architecture import (  # noqa: E402
    line_volumes,
    muscle_bodies,
    regression_volume,
)
from anatomy_viewer.anatomy.model import Pose  # noqa: E402
from anatomy_viewer.gait.animation import CycleAnimation  # noqa: E402
from anatomy_viewer.gait.contraction import ContractionMode  # noqa: E402
from anatomy_viewer.gait.library import load_gait  # noqa: E402
from anatomy_viewer.scene.leg_scene import STRIPE_MIN_ACTIVATION, LegScene  # noqa: E402
from anatomy_viewer.scene.measures import (  # noqa: E402
    click_survey,
    clickable_when_isolated,
    penetration_share,
)
from anatomy_viewer.scene.offscreen import offscreen_window  # noqa: E402

PRESETS = ("side", "front", "back", "three_quarter")
#: Poses over the built-in gaits: (gait, percent of the cycle).
POSES = [("walking", 20), ("running", 30), ("running", 80), ("sprinting", 60)]


@pytest.fixture(scope="module")
def animations(leg_model):
    return {g: CycleAnimation(load_gait(g), leg_model) for g in {g for g, _ in POSES}}


@pytest.fixture(scope="module")
def scene(leg_model):
    scene = LegScene(leg_model)
    window = offscreen_window(960, 600)
    scene.attach(window)
    yield scene
    scene.detach()
    window.Finalize()


def _show(scene, animations, gait, percent, activations=None, modes=None):
    frame = animations[gait].at(percent)
    scene.update(
        frame.pose,
        frame.activations if activations is None else activations,
        frame.modes if modes is None else modes,
    )
    return frame


# ----------------------------------------------------------------------------- volumes
def test_volumes_are_the_regressions_for_the_models_subject(leg_model):
    # Handsfield et al. 2014: gluteus maximus 6.01 cm^3/(m kg) * 1.70 m * 75 kg + 105 cm^3.
    assert regression_volume("gluteus_maximus") * 1e6 == pytest.approx(871.3, abs=0.1)
    bodies = muscle_bodies(leg_model.muscle_names, leg_model.max_isometric_force)
    lines = sorted(i for b in bodies for i in b.lines)
    assert lines == list(range(leg_model.n_muscles))  # every muscle drawn exactly once
    by_key = {(b.key, b.side): b for b in bodies}
    # The three lines of gluteus maximus share the muscle's one volume.
    glmax = by_key[("glmax", "r")]
    assert len(glmax.lines) == 3
    share = line_volumes(bodies, leg_model.max_isometric_force)
    assert share[list(glmax.lines)].sum() == pytest.approx(glmax.volume)
    # Pooled regressions are shared: peroneus longus + brevis hold the peroneals' volume.
    pooled = by_key[("perlong", "r")].volume + by_key[("perbrev", "r")].volume
    assert pooled == pytest.approx(regression_volume("peroneals"))
    # The biggest muscles are the biggest: real proportions, not the model's forces.
    vol = {b.key: b.volume for b in bodies if b.side == "r"}
    assert vol["glmax"] > vol["soleus"] > vol["tfl"]
    assert vol["vaslat"] > 3 * vol["vasint"] > vol["recfem"]


@pytest.mark.parametrize(("gait", "percent"), POSES)
def test_every_drawn_muscle_encloses_its_mri_volume(scene, animations, gait, percent):
    _show(scene, animations, gait, percent)
    shapes = scene.muscles.shapes
    enclosed = shapes.closed_volumes(scene.muscles.points_np)
    ratio = enclosed / shapes.target
    worst = np.argsort(np.abs(ratio - 1.0))[-3:]
    names = [
        (shapes.bodies[k].key + "_" + shapes.bodies[k].side, round(ratio[k], 3)) for k in worst
    ]
    assert np.all(np.abs(ratio - 1.0) <= 0.10), names


# ----------------------------------------------------------------------------- shapes
def test_a_split_muscle_is_one_sheet_with_each_line_in_its_own_colour(scene, animations):
    model = scene.model
    lines = [model.muscle_index(f"glmax{k}_r") for k in (1, 2, 3)]
    shapes = scene.muscles.shapes
    body = {int(shapes.body_of_muscle[i]) for i in lines}
    assert len(body) == 1  # one body spans the three lines
    act = np.zeros(scene.n_muscles)
    act[lines[0]] = 1.0  # upper fibres fully active, the others at rest
    _show(scene, animations, "running", 30, act, np.zeros(scene.n_muscles, np.int8))
    rgb = scene.muscles.colours_np.astype(float)
    (k,) = body
    centre_of = {}
    for i in lines:
        ids = shapes.mid_belly_vertices(i)
        centre_of[i] = rgb[ids].mean(axis=0)
    # The active line's part of the sheet is bright, the resting lines' parts dark red.
    assert centre_of[lines[0]].sum() > centre_of[lines[2]].sum() + 150
    # Between the lines the colours blend: the sheet has shades between the two.
    body_rgb = rgb[k * shapes.verts_per_body : (k + 1) * shapes.verts_per_body].sum(axis=1)
    lo, hi = body_rgb.min(), body_rgb.max()
    assert hi > lo + 300
    assert ((body_rgb > lo + 20) & (body_rgb < hi - 20)).any()
    # Each line owns cells of the sheet, so a click on its part selects it.
    owners = set(shapes.triangle_muscle[k].tolist())
    assert owners == set(lines)


def test_tendons_are_thin_pale_and_not_lit_by_activation(scene, animations):
    shapes = scene.muscles.shapes
    i = scene.model.muscle_index("gasmed_r")
    k = int(shapes.body_of_muscle[i])
    assert shapes.tendon_ring[k].any() and shapes.belly_ring[k].any()
    tendon_tris, _ = scene.muscles.cells([i], tendon=True)
    belly_tris, _ = scene.muscles.cells([i], tendon=False)
    assert len(tendon_tris) and len(belly_tris)
    first = k * shapes.verts_per_body
    ring_of = np.repeat(np.arange(shapes.rings), shapes.sides)
    tendon_ids = first + np.flatnonzero(shapes.tendon_ring[k][ring_of])
    belly_ids = first + np.flatnonzero(shapes.belly_ring[k][ring_of])
    colours = []
    for a in (0.0, 1.0):
        act = np.full(scene.n_muscles, a)
        _show(scene, animations, "running", 30, act, np.zeros(scene.n_muscles, np.int8))
        rgb = scene.muscles.colours_np
        colours.append((rgb[tendon_ids].copy(), rgb[belly_ids].copy()))
    (tendon_rest, belly_rest), (tendon_active, belly_active) = colours
    assert np.array_equal(tendon_rest, tendon_active)  # the tendon does not light up
    assert np.abs(belly_active.astype(int) - belly_rest.astype(int)).max() > 100
    assert tendon_rest.min() > 180  # pale
    # Thin: the Achilles part is far narrower than the belly.
    pts = scene.muscles.points_np
    ring = pts[k * shapes.verts_per_body : k * shapes.verts_per_body + shapes.rings * shapes.sides]
    ring = ring.reshape(shapes.rings, shapes.sides, 3)
    width = np.linalg.norm(ring - ring.mean(axis=1, keepdims=True), axis=2).max(axis=1)
    assert width[shapes.tendon_ring[k]][1:-1].max() < 0.3 * width[shapes.belly_ring[k]].max()


def test_a_shortening_belly_thickens(scene, leg_model):
    """Constant volume: the calf belly is thicker with the ankle pointed than flexed up."""
    shapes = scene.muscles.shapes
    i = leg_model.muscle_index("gasmed_r")
    k = int(shapes.body_of_muscle[i])
    areas = []
    for ankle in (20.0, -30.0):  # dorsiflexed (stretched), plantarflexed (short)
        scene.update(leg_model.pose({"ankle_angle_r": ankle}))
        areas.append(np.abs(shapes.ring_area[k]).max())
    assert areas[1] > 1.05 * areas[0]


@pytest.mark.parametrize(("gait", "percent"), [("walking", 20), ("running", 30), ("sprinting", 60)])
def test_bellies_lie_on_the_bones_not_in_them(scene, animations, gait, percent):
    frame = _show(scene, animations, gait, percent)
    # Outside the attachment sites (where a tendon enters its bone) almost no muscle vertex
    # is inside a bone.
    assert penetration_share(scene, frame.pose) < 0.015


def test_the_pelvis_is_complete(scene, leg_model):
    names = [b.name for b in leg_model.bones]
    assert "sacrum_geom_1" in names
    sacrum = scene.bone_actors[names.index("sacrum_geom_1")]
    assert sacrum.GetVisibility()
    scene.set_side_visible(False, True)  # one leg: the sacrum stays with the pelvis
    assert sacrum.GetVisibility()
    scene.set_side_visible(True, True)


def test_the_calf_ends_in_one_calcaneal_tendon(scene, animations):
    """The tendons of both gastrocnemius heads run inside the broad soleus tendon: from behind
    one sees one calcaneal (Achilles) tendon, not three strings."""
    _show(scene, animations, "walking", 20)
    shapes = scene.muscles.shapes
    model = scene.model
    k_sol = int(shapes.body_of_muscle[model.muscle_index("soleus_r")])
    half_width = shapes.floor[k_sol, -2, 0]
    assert half_width > 0.007  # broad: about 2 cm across
    # The soleus tendon's centre line, finely sampled, from its belly's end to the heel.
    last_belly = np.flatnonzero(shapes.belly_ring[k_sol])[-1]
    knots = shapes.centres[k_sol][last_belly:]
    f = np.linspace(0.0, 1.0, 20)[:, None, None]
    line = (knots[:-1] * (1.0 - f) + knots[1:] * f).reshape(-1, 3)
    for head in ("gasmed_r", "gaslat_r"):
        k = int(shapes.body_of_muscle[model.muscle_index(head)])
        distal = shapes.centres[k][shapes.tendon_ring[k]][-2:]  # above the insertion
        gap = np.linalg.norm(distal[:, None] - line[None], axis=2).min(axis=1)
        assert gap.max() < half_width, head


def test_vastus_lateralis_covers_the_lateral_femur(scene, animations, leg_model):
    """From the side, the shaft of the femur between the trochanter and the knee is under
    vastus lateralis, not bare."""
    _show(scene, animations, "walking", 20)
    shapes = scene.muscles.shapes
    k = int(shapes.body_of_muscle[leg_model.muscle_index("vaslat_r")])
    belly = shapes.centres[k][shapes.belly_ring[k]]
    names = [b.name for b in leg_model.bones]
    femur = leg_model.bones[names.index("femur_r")]
    m = animations["walking"].at(20).pose.bone_matrices[names.index("femur_r")]
    world = femur.vertices @ m[:3, :3].T + m[:3, 3]
    top, bottom = world[:, 2].max(), world[:, 2].min()
    length = top - bottom
    # The belly spans most of the femur's length, from near the trochanter down.
    assert belly[:, 2].max() > top - 0.25 * length
    assert belly[:, 2].min() < bottom + 0.35 * length


def test_a_pose_between_frames_blends_their_surfaces(scene, leg_model):
    """Showing a cycle builds the surface of each of its frames once, one or two per pose shown,
    and blends two of them for every pose between: what is shown is (nearly) what building the
    surface of that very pose gives, and once the cycle is built nothing more is built."""
    anim = CycleAnimation(load_gait("running"), leg_model)  # a cycle not shown before
    cache = scene.muscles.cache
    built = cache.frames_built
    pose = anim.at(31.3).pose
    own = Pose(pose.bone_matrices.copy(), pose.muscle_paths.copy(), pose.muscle_lengths.copy())
    scene.update(pose)
    blended = scene.muscles.points_np.copy()
    assert cache.frames_built - built == 2  # the two frames it needs
    scene.update(anim.at(31.4).pose)  # needs no other: builds one ahead
    assert cache.frames_built - built == 3
    shown = 2
    while cache.frames_built - built < anim.cycle.n_samples:
        scene.update(anim.at(31.3).pose)
        shown += 1
    assert shown == anim.cycle.n_samples - 1  # one frame per pose shown until all are built
    built = cache.frames_built
    for p in np.linspace(0.0, 100.0, 37):
        scene.update(anim.at(p).pose)
    assert cache.frames_built == built
    scene.update(own)  # not from a sequence: built for itself
    gap = np.linalg.norm(scene.muscles.points_np - blended, axis=1)
    assert np.percentile(gap, 99) < 0.002  # metres


# ----------------------------------------------------------------------------- contraction
def test_no_bands_below_the_activation_threshold(scene, animations):
    n = scene.n_muscles
    eccentric = np.full(n, ContractionMode.ECCENTRIC, np.int8)
    shapes = scene.muscles.shapes
    i = scene.model.muscle_index("vaslat_r")
    k = int(shapes.body_of_muscle[i])
    rings = slice(
        k * shapes.verts_per_body, k * shapes.verts_per_body + shapes.rings * shapes.sides
    )

    def belly_ring_colours(a):
        _show(scene, animations, "walking", 20, np.full(n, a), eccentric)
        rgb = scene.muscles.colours_np[rings].reshape(shapes.rings, shapes.sides, 3)
        return rgb[shapes.belly_ring[k]].astype(int)

    weak = belly_ring_colours(0.9 * STRIPE_MIN_ACTIVATION)
    assert not scene.stripe_depths().any()
    assert np.ptp(weak, axis=0).max() <= 1  # every belly ring the same colour: no bands
    strong = belly_ring_colours(0.5)
    assert (scene.stripe_depths() > 0).all()
    assert np.ptp(strong, axis=0).max() > 20  # alternate rings darker
    # Soft: the dark bands keep most of the muscle's colour.
    assert strong.sum(axis=-1).min() > 0.6 * strong.sum(axis=-1).max()


# ----------------------------------------------------------------------------- clicking
def test_a_click_on_a_visible_belly_selects_that_muscle(scene, animations):
    _show(scene, animations, "walking", 20)
    reached = set()
    for view in PRESETS:
        survey = click_survey(scene, view)
        assert len(survey.visible) >= 30, view
        assert survey.share >= 0.9, (view, survey.missed)
        reached.update(survey.selected)
    # Every muscle: clickable from a preset, or isolated with the bones see-through.
    for i in sorted(set(range(scene.n_muscles)) - reached):
        assert any(clickable_when_isolated(scene, i, v) for v in PRESETS), scene.model.muscle_names[
            i
        ]
