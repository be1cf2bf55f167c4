import numpy as np
import pytest

from anatomy_viewer.anatomy import COORDINATES, catalogue
from anatomy_viewer.anatomy.model import PATH_SAMPLES


def test_model_has_80_muscles_each_in_exactly_one_group(leg_model):
    assert leg_model.n_muscles == 80
    cat = catalogue()
    groups = [cat.group_of(n) for n in leg_model.muscle_names]
    assert len(groups) == 80
    # every group key is a real group, and the named groups of the brief exist
    keys = {g.key for g in cat.groups}
    assert set(groups) <= keys
    for k in ("glutes", "hamstrings", "quadriceps", "calves", "hip_abductors", "adductors"):
        assert k in set(groups)
    # no base muscle is listed twice and every model muscle's base is listed
    bases = cat.bases
    assert len(bases) == len(set(bases)) == 40
    assert {m.base for m in leg_model.muscles} == set(bases)


def test_group_membership_matches_anatomy():
    cat = catalogue()
    assert cat.group_of("glmax2_r") == "glutes"
    assert cat.group_of("tfl_l") == "hip_abductors"
    assert cat.group_of("soleus_r") == "calves"
    assert cat.group_of("bflh_r") == "hamstrings"
    with pytest.raises(KeyError):
        cat.muscle("nosuch_r")


def test_posing_changes_muscle_lengths(leg_model):
    rest = leg_model.pose({})
    bent = leg_model.pose({"knee_angle_r": 60.0})
    vaslat = leg_model.muscle_index("vaslat_r")
    # knee flexion stretches the vasti (knee extensors)...
    assert bent.muscle_lengths[vaslat] > rest.muscle_lengths[vaslat] + 0.02
    # ...and leaves the other leg alone
    vaslat_l = leg_model.muscle_index("vaslat_l")
    assert bent.muscle_lengths[vaslat_l] == pytest.approx(rest.muscle_lengths[vaslat_l])
    assert bent.muscle_paths.shape == (80, PATH_SAMPLES, 3)


def test_hip_flexion_shortens_iliopsoas_and_stretches_gluteus_maximus(leg_model):
    rest = leg_model.pose({})
    flexed = leg_model.pose({"hip_flexion_r": 40.0})
    i, g = leg_model.muscle_index("iliacus_r"), leg_model.muscle_index("glmax2_r")
    assert flexed.muscle_lengths[i] < rest.muscle_lengths[i]
    assert flexed.muscle_lengths[g] > rest.muscle_lengths[g]


def test_patella_and_tibia_track_the_knee(leg_model):
    """The knee's coupled coordinates follow knee_angle: the patella slides with the tibia."""
    names = [b.name for b in leg_model.bones]
    pat, tib, fem = names.index("patella_r"), names.index("tibia_r"), names.index("femur_r")
    for knee in (0.0, 45.0, 90.0):
        p = leg_model.pose({"knee_angle_r": knee})
        d_pat_tib = np.linalg.norm(p.bone_matrices[pat][:3, 3] - p.bone_matrices[tib][:3, 3])
        # the patella stays in front of the knee, within a few centimetres of the tibia's top
        assert d_pat_tib < 0.25
    straight = leg_model.pose({"knee_angle_r": 0.0})
    bent = leg_model.pose({"knee_angle_r": 90.0})
    assert not np.allclose(straight.bone_matrices[pat], bent.bone_matrices[pat])
    assert np.allclose(straight.bone_matrices[fem], bent.bone_matrices[fem])


def test_leg_is_upright_and_forward_is_minus_y(leg_model):
    p = leg_model.pose({})
    names = [b.name for b in leg_model.bones]
    z = {n: p.bone_matrices[i][2, 3] for i, n in enumerate(names)}
    assert z["pelvis_r"] > z["femur_r"] > z["tibia_r"] > z["foot_r"]
    # hip flexion swings the foot forward (world -y)
    fwd = leg_model.pose({"hip_flexion_r": 30.0})
    foot = names.index("foot_r")
    assert fwd.bone_matrices[foot][1, 3] < p.bone_matrices[foot][1, 3] - 0.1


def test_pose_sequence_puts_the_contact_foot_on_the_ground(leg_model):
    frames = [{"hip_flexion_r": 5.0, "knee_angle_l": a} for a in np.linspace(20, 60, 5)]
    leg_model.pose_sequence(frames, contact_r=np.ones(5, bool), contact_l=np.zeros(5, bool))
    # after the last frame, the right sole touches z = 0
    assert leg_model.lowest_sole_point("r") == pytest.approx(0.0, abs=1e-6)
    assert leg_model.lowest_sole_point("l") > 0.0


def test_coordinate_names_are_the_models():
    assert "hip_flexion_r" in COORDINATES and "knee_angle_l" in COORDINATES
    assert "pelvis_tilt" in COORDINATES


def test_names_known_without_mujoco_match_the_compiled_model(leg_model):
    from anatomy_viewer.anatomy.names import model_muscle_names

    assert model_muscle_names() == leg_model.muscle_names
    joints = {leg_model.m.joint(j).name for j in range(leg_model.m.njnt)}
    assert {c for c in COORDINATES if not c.startswith("pelvis_")} <= joints


def test_the_model_poses_exactly_as_the_full_myoleg(leg_model):
    """The model is compiled without the meshes it does not draw; bones and muscle paths are
    those of MyoLeg as its package builds it."""
    import warnings

    import mujoco
    import myo_sim

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        full = myo_sim.load_spec("myolegs").compile()
    assert full.ngeom > leg_model.m.ngeom  # something was left out
    data = mujoco.MjData(full)
    coords = {"hip_flexion_r": 35.0, "knee_angle_r": 60.0, "ankle_angle_l": -15.0}
    pose = leg_model.pose(coords)
    leg_model._set_qpos(coords)
    data.qpos[:] = leg_model.d.qpos
    mujoco.mj_kinematics(full, data)
    mujoco.mj_tendon(full, data)
    for bone, m in zip(leg_model.bones, pose.bone_matrices, strict=True):
        g = full.geom(bone.name).id
        assert np.allclose(data.geom_xpos[g], m[:3, 3], atol=1e-9)
        assert np.allclose(data.geom_xmat[g].reshape(3, 3), m[:3, :3], atol=1e-9)
    lengths = data.ten_length[[full.actuator_trnid[i, 0] for i in range(full.nu)]]
    assert np.allclose(lengths, pose.muscle_lengths, atol=1e-9)


def test_the_compiled_model_is_kept_between_runs(tmp_path, monkeypatch):
    """The compiled model is cached in the user's cache folder; a damaged or unwritable cache
    is never an error, only a slower start."""
    from anatomy_viewer.anatomy import model as model_module

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)  # the folder the user started the program in
    path = model_module.model_cache_path()
    assert path.is_relative_to(tmp_path)
    assert model_module._read_cached_model(path) is None  # nothing cached yet
    compiled = model_module.compile_myoleg()
    model_module._write_cached_model(compiled, path)
    cached = model_module._read_cached_model(path)
    assert cached is not None
    for name in ("body_pos", "jnt_range", "wrap_prm", "site_pos", "mesh_vert", "eq_data"):
        assert np.array_equal(getattr(cached, name), getattr(compiled, name)), name
    path.write_bytes(path.read_bytes()[:5000])  # truncated, e.g. by a full disk
    assert model_module._read_cached_model(path) is None
    assert list(work.iterdir()) == []  # MuJoCo's warning log is not left in the user's folder
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would go")
    model_module._write_cached_model(compiled, blocked / "model" / "m.mjb")  # no exception
    assert blocked.read_text() == "a file where the cache folder would go"
