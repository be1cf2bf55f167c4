"""Guided views of the Learn menu: they load, say what they show, and pose the leg validly."""

import copy
import re

import numpy as np
import pytest

from anatomy_viewer.anatomy import COORDINATES, catalogue
from anatomy_viewer.anatomy.learn import (
    CAMERAS,
    GAITS,
    JOINT_RANGES_DEG,
    RESOURCE,
    LearnError,
    coordinate_range,
    guided_view,
    guided_views,
    parse_guided_views,
    resolve_highlight,
)
from anatomy_viewer.resources import load_toml

#: Ranges the brief fixes for exercise poses (degrees).
BRIEF_RANGES = {
    "knee_angle": (0, 120),
    "hip_flexion": (-30, 120),
    "hip_adduction": (-50, 30),
    "hip_rotation": (-40, 40),
    "ankle_angle": (-40, 30),
}


def _muscle_terms() -> dict[str, set[str]]:
    """Words a caption may use for muscles, each mapped to the bases it names.

    Built from the catalogue: each group's name ("hamstrings", "hip abductors") and the
    anatomical name of each muscle without its part ("gluteus medius", "soleus").
    """
    cat = catalogue()
    terms: dict[str, set[str]] = {}
    for g in cat.groups:
        terms.setdefault(g.name.lower(), set()).update(g.bases)
    for base, display in cat.display_names.items():
        core = re.split(r" \(|,", display)[0].strip().lower()
        terms.setdefault(core, set()).add(base)
    terms["tfl"] = {"tfl"}
    terms["deep rotators"] = set(cat.group("deep_rotators").bases)
    return terms


def _named_muscles(caption: str) -> set[str]:
    named: set[str] = set()
    for term, bases in _muscle_terms().items():
        if re.search(rf"\b{re.escape(term)}\b", caption, re.IGNORECASE):
            named |= bases
    return named


def test_six_views_load_with_valid_fields():
    views = guided_views()
    assert len(views) == 6
    assert len({v.key for v in views}) == 6
    for v in views:
        assert v.title and v.caption
        sentences = re.findall(r"[.!?](\s|$)", v.caption.replace("et al.", "et al"))
        assert 2 <= len(sentences) <= 4, v.key
        assert v.gait in GAITS
        assert v.camera in CAMERAS
        assert 0 <= v.phase < 100
        assert v.side == "r"
        assert v.highlight and set(v.highlight) <= set(catalogue().bases)
        assert set(v.highlight_other) <= set(catalogue().bases)
        muscles = v.highlighted_muscles()
        assert all(m.endswith("_r") for m in muscles[: len(v.highlight)])
        assert all(m.endswith("_l") for m in muscles[len(v.highlight) :])  # the other leg


def test_views_match_the_article_claims():
    push = guided_view("posterior_chain_push_off")
    assert {"glmax1", "glmax2", "glmax3", "bflh", "semiten", "semimem"} <= set(push.highlight)
    # the article has the glutes and hamstrings "at push-off"; in running they work hardest
    # in the first half of stance (Novacheck TF (1998). Gait Posture 7(1):77-95: hip
    # extensors from late swing to mid-stance; this subject's running EMG peaks at ~14-18 %
    # of the cycle, the static optimisation at ~7 %), so the view shows early stance
    assert push.gait == "running" and 3 <= push.phase < 18

    quads = guided_view("quadriceps_absorb_landing")
    assert set(quads.highlight) == {"recfem", "vaslat", "vasmed", "vasint"}
    # after foot strike and before the knee's deepest flexion in stance: the knee still bends,
    # so the pulling quadriceps lengthen (eccentric). The simulated vasti come on later than
    # this subject's EMG (peaks ~9-10 %; static optimisation has no anticipation), so the view
    # sits late in that window, where both show them working.
    from anatomy_viewer.gait.library import load_gait

    run = load_gait("running")
    stance = run.percent < run.events_of("r")[1].percent
    knee_peak = run.percent[stance][np.argmax(run.coordinates["knee_angle_r"][stance])]
    assert 3 <= quads.phase < knee_peak

    calves = guided_view("calf_spring")
    assert set(calves.highlight) == {"gasmed", "gaslat", "soleus"}
    assert 20 <= calves.phase < 37

    abd = guided_view("hip_abductors_level_pelvis")
    assert abd.camera == "front"
    assert set(abd.highlight) == set(catalogue().group("hip_abductors").bases)

    fibres = guided_view("endurance_vs_sprint")
    assert fibres.compare == ("running", "sprinting")
    assert set(fibres.labels) == {"running", "sprinting"}
    assert fibres.colour_mode == "fibre_types"
    assert {"glmax1", "glmax2", "glmax3", "bflh", "semimem", "semiten"} <= set(fibres.highlight)
    assert set(fibres.highlight_other) == {"iliacus", "psoas"}  # the swinging leg's

    sagittal = guided_view("beyond_the_sagittal_plane")
    for group in ("hip_abductors", "adductors", "deep_rotators"):
        assert set(catalogue().group(group).bases) <= set(sagittal.highlight)
    names = [e.name for e in sagittal.exercises]
    assert names == ["Lateral lunge", "Banded side step", "Single-leg squat", "Clamshell"]


def test_every_muscle_a_caption_names_is_highlighted():
    for v in guided_views():
        missing = _named_muscles(v.caption) - set(v.highlight)
        assert not missing, (v.key, sorted(missing))
        for e in v.exercises:
            sentences = re.findall(r"[.!?](\s|$)", e.caption.replace("et al.", "et al"))
            assert 2 <= len(sentences) <= 4, e.name
            missing = _named_muscles(e.caption) - set(e.highlight)
            assert not missing, (e.name, sorted(missing))


def test_cited_studies_have_full_references():
    """A caption that cites a study (author et al. year) lists the full reference."""
    for v in guided_views():
        texts = [v.caption] + [e.caption for e in v.exercises]
        for author, year in re.findall(r"([A-Z][a-z]+) et al\. (\d{4})", " ".join(texts)):
            assert any(s.startswith(author) and year in s for s in v.sources), (v.key, author)


def test_caption_check_catches_a_missing_muscle():
    """The term table really finds muscles: gluteus maximus means all three parts."""
    assert _named_muscles("the gluteus maximus extends the hip") == {"glmax1", "glmax2", "glmax3"}
    assert _named_muscles("the TFL and the calves") == {"tfl", "gasmed", "gaslat", "soleus"}


def test_exercise_poses_use_model_coordinates_within_range():
    for v in guided_views():
        for e in v.exercises:
            assert e.camera in CAMERAS
            assert e.highlight
            for name, deg in e.pose.items():
                assert name in COORDINATES, (e.name, name)
                joint = name.rsplit("_", 1)[0]
                if joint in BRIEF_RANGES:
                    lo, hi = BRIEF_RANGES[joint]
                    assert lo <= deg <= hi, (e.name, name, deg)


def test_clamshell_pose_is_a_clamshell():
    clam = next(
        e for e in guided_view("beyond_the_sagittal_plane").exercises if e.key == "clamshell"
    )
    assert 35 <= clam.pose["hip_flexion_r"] <= 55
    assert 80 <= clam.pose["knee_angle_r"] <= 100
    assert clam.pose["hip_rotation_r"] < 0  # external rotation of the top leg
    assert clam.pose["hip_adduction_r"] < 0  # abduction
    assert "upright" in clam.caption


def test_weak_abductor_offsets_drop_the_swing_side_and_collapse_the_knee():
    offsets = guided_view("hip_abductors_level_pelvis").weak_abductors
    assert set(offsets) <= set(COORDINATES)
    assert -12 <= offsets["pelvis_list"] <= -6  # negative list lowers the left side
    assert offsets["hip_adduction_r"] > 0  # stance thigh adducts...
    assert offsets["hip_rotation_r"] > 0  # ...and rotates internally


def test_weak_abductors_lower_the_left_hip_and_move_the_right_knee_in(leg_model):
    """Checks the sign convention on the model itself (x points to the model's left)."""
    view = guided_view("hip_abductors_level_pelvis")
    stance = {"hip_flexion_r": 15.0, "knee_angle_r": 40.0, "knee_angle_l": 80.0}
    weak = {
        k: stance.get(k, 0.0) + view.weak_abductors.get(k, 0.0)
        for k in {*stance, *view.weak_abductors}
    }

    def body(name):
        return np.array(leg_model.d.xpos[leg_model.m.body(name).id])

    leg_model.pose(stance)
    level = body("femur_l")[2] - body("femur_r")[2]
    knee_in = body("tibia_r")[0] - body("femur_r")[0]
    leg_model.pose(weak)
    dropped = body("femur_l")[2] - body("femur_r")[2]
    knee_in_weak = body("tibia_r")[0] - body("femur_r")[0]
    left = np.sign(body("femur_l")[0] - body("femur_r")[0])
    assert abs(level) < 1e-6
    assert dropped < -0.015  # the left hip sits clearly lower than the right
    assert (knee_in_weak - knee_in) * left > 0.01  # the right knee moved toward the midline


def test_joint_ranges_match_the_model(leg_model):
    m = leg_model.m
    for joint, (lo, hi) in JOINT_RANGES_DEG.items():
        for side in ("r", "l"):
            rng = np.rad2deg(m.jnt_range[m.joint(f"{joint}_{side}").id])
            assert rng == pytest.approx((lo, hi), abs=0.5), joint
    for joint, (lo, hi) in BRIEF_RANGES.items():
        assert coordinate_range(f"{joint}_r") == (lo, hi)


def test_group_highlights_resolve_through_the_catalogue():
    assert resolve_highlight(["group:calves", "soleus", "piri"]) == (
        "gasmed",
        "gaslat",
        "soleus",
        "piri",
    )
    with pytest.raises(LearnError, match="nosuch"):
        resolve_highlight(["group:nosuch"])
    with pytest.raises(LearnError, match="glmed1_r"):
        resolve_highlight(["glmed1_r"])


def _data():
    return copy.deepcopy(load_toml(*RESOURCE))


def test_invalid_views_raise_errors_naming_the_view_and_field():
    data = _data()
    data["view"][0]["gait"] = "jogging"
    with pytest.raises(LearnError, match=r"posterior_chain_push_off.*'gait'.*jogging"):
        parse_guided_views(data)

    data = _data()
    data["view"][1]["camera"] = "top"
    with pytest.raises(LearnError, match=r"quadriceps_absorb_landing.*'camera'"):
        parse_guided_views(data)

    data = _data()
    data["view"][2]["highlight"] = ["calf"]
    with pytest.raises(LearnError, match=r"calf_spring.*unknown muscle 'calf'"):
        parse_guided_views(data)

    data = _data()
    del data["view"][3]["caption"]
    with pytest.raises(LearnError, match=r"view 4.*caption"):
        parse_guided_views(data)

    data = _data()
    data["view"][5]["exercise"][3]["pose"]["knee_angle_r"] = 150.0
    with pytest.raises(LearnError, match=r"Clamshell.*knee_angle_r"):
        parse_guided_views(data)

    data = _data()
    data["view"][5]["exercise"][0]["pose"]["hip_abduction_r"] = 10.0
    with pytest.raises(LearnError, match=r"Lateral lunge.*hip_abduction_r"):
        parse_guided_views(data)

    data = _data()
    data["view"][4]["compare"] = ["running", "cycling"]
    with pytest.raises(LearnError, match=r"endurance_vs_sprint.*cycling"):
        parse_guided_views(data)

    data = _data()
    data["view"][3]["weak_abductors"]["pelvis_drop"] = -8.0
    with pytest.raises(LearnError, match=r"hip_abductors_level_pelvis.*pelvis_drop"):
        parse_guided_views(data)


def test_unknown_view_key_lists_known_ones():
    with pytest.raises(KeyError, match="calf_spring"):
        guided_view("nosuch")


@pytest.mark.parametrize(
    "view", [v for v in guided_views() if not v.exercises], ids=lambda v: v.key
)
def test_each_view_opens_at_an_instant_where_its_muscles_work(view):
    """A guided view names muscles at work; at the view's instant they must be lit, or the
    picture contradicts the caption. Their mean activation there is at least 40 % of their
    own peak over the stride (in every gait the view shows)."""
    from anatomy_viewer.gait.library import load_gait

    muscles = view.highlighted_muscles("r")
    assert muscles
    for gait in view.compare or [view.gait]:
        cycle = load_gait(gait)
        now = cycle.sample(view.phase).activations
        share = [now[cycle.muscle_index(m)] / cycle.activation(m).max() for m in muscles]
        assert np.mean(share) >= 0.4, (gait, dict(zip(muscles, np.round(share, 2), strict=True)))
