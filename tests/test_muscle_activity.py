"""Inverse dynamics, static optimisation and the muscle-activity API on small made-up trials."""

from __future__ import annotations

import numpy as np
import pytest

from anatomy_viewer.anatomy.dynamics import GroundLoads, LegDynamics
from anatomy_viewer.gait.muscle_activity import Cancelled, estimate_activations
from anatomy_viewer.gait.opensim_io import read_activations, read_motion
from anatomy_viewer.gait.sto_writer import write_activations, write_moments, write_sto
from anatomy_viewer.safe_output import OutputError


@pytest.fixture(scope="module")
def dyn():
    return LegDynamics()


def _still(dyn, **coords):
    c = {k: np.array([v]) for k, v in coords.items()}
    return dyn.kinematics(
        c, {}, {}, np.array([[0.0, 0.95, 0.0]]), np.zeros((1, 3)), np.zeros((1, 3))
    )


def test_standing_still_the_residual_carries_the_weight_until_the_ground_does(dyn):
    kin = _still(dyn, hip_flexion_r=20.0, knee_angle_r=30.0, pelvis_tilt=10.0)
    free = dyn.compute(kin).residuals[0]
    weight = dyn.mass * 9.81
    assert dyn.mass == pytest.approx(75.0, abs=0.1)  # Rajagopal et al. (2016) generic subject
    assert free[1] == pytest.approx(weight, rel=1e-9) and abs(free[0]) < 1e-6
    # the whole weight through a point under the centre of mass: nothing left at the root
    com = dyn.centre_of_mass(kin.qpos)[0]
    loads = GroundLoads.zeros(1)
    loads.force["r"][0] = (0.0, weight, 0.0)
    loads.moment["r"][0] = np.cross(com * (1, 0, 1), loads.force["r"][0])
    assert np.abs(dyn.compute(kin, loads).residuals[0]).max() < 1e-6


def test_knee_moment_arms_fold_the_coupled_coordinates_by_the_chain_rule(dyn):
    """A muscle's folded knee moment arm is minus the derivative of its length with respect
    to knee_angle when the tibia and patella follow the knee (the model's couplings)."""
    step = 0.01  # degrees
    lengths = []
    for k in (40.0 - step, 40.0 + step):
        lengths.append(dyn.compute(_still(dyn, knee_angle_r=k)).lengths[0])
    numeric = -(lengths[1] - lengths[0]) / np.deg2rad(2 * step)
    arms = dyn.compute(_still(dyn, knee_angle_r=40.0)).moment_arms[0]
    j = dyn.joint_names.index("knee_angle_r")
    for m in ("vaslat_r", "recfem_r", "bflh_r", "gasmed_r"):
        i = dyn.muscle_names.index(m)
        assert arms[i, j] == pytest.approx(numeric[i], abs=2e-5), m
    # the quadriceps extend the knee (negative moment arm about flexion), hamstrings flex it
    assert arms[dyn.muscle_names.index("vaslat_r"), j] < -0.02
    assert arms[dyn.muscle_names.index("bflh_r"), j] > 0.01


def _write_motion(path, t, coords):
    names = list(coords)
    write_sto(path, t, names, np.column_stack([coords[k] for k in names]), name="Coordinates")
    text = path.read_text().replace("inDegrees=no", "inDegrees=yes")
    path.write_text(text)


@pytest.fixture(scope="module")
def squat_file(tmp_path_factory):
    """Two seconds of slow knee bends on both legs, feet on the ground (no forces)."""
    path = tmp_path_factory.mktemp("trial") / "squat.mot"
    t = np.linspace(0.0, 2.0, 201)
    bend = 30.0 * (1 - np.cos(2 * np.pi * t / 2.0))
    coords = {
        "hip_flexion_r": bend,
        "hip_flexion_l": bend,
        "knee_angle_r": 2 * bend,
        "knee_angle_l": 2 * bend,
        "ankle_angle_r": bend,
        "ankle_angle_l": bend,
        "pelvis_ty": 0.95 - 0.004 * bend,
    }
    _write_motion(path, t, coords)
    return path


def test_a_squat_without_forces_lights_the_quadriceps_and_is_cached_away_from_the_data(
    squat_file, tmp_path, monkeypatch
):
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    seen = []
    res = estimate_activations(squat_file, progress=seen.append)
    assert seen[0] == 0.0 and seen[-1] == pytest.approx(1.0)
    assert res.forces_source == "estimated"
    assert any("estimated" in n for n in res.notes)
    deep = res.time > 0.8
    quads = res.activations[deep, res.muscle_names.index("vaslat_r")].mean()
    assert quads > 0.05  # holding a deep knee bend needs the knee extensors
    # cached in the user's cache folder, not beside the motion
    cached = list((cache / "anatomy-viewer" / "activity").glob("*.npz"))
    assert len(cached) == 1
    assert sorted(p.name for p in squat_file.parent.iterdir()) == ["squat.mot"]
    again = estimate_activations(squat_file)
    np.testing.assert_allclose(again.activations, res.activations, atol=1e-6)
    assert again.notes == res.notes


def test_cancelling_stops_and_caches_nothing(squat_file, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    with pytest.raises(Cancelled):
        estimate_activations(squat_file, cancel=lambda: True)
    assert not (tmp_path / "anatomy-viewer").exists()


def test_sto_files_read_back_with_opensim_names_and_a_failed_write_keeps_the_old_file(
    squat_file, tmp_path
):
    res = estimate_activations(squat_file, use_cache=False)
    act = write_activations(tmp_path / "act.sto", res)
    back = read_activations(act)
    assert back.present.all() and back.kind == "simulated"
    np.testing.assert_allclose(back.values.T, res.activations, atol=1e-6)
    ids = write_moments(tmp_path / "id.sto", res)
    header = ids.read_text().split("endheader\n")[1].splitlines()[0].split("\t")
    assert header[:3] == ["time", "pelvis_tx_force", "pelvis_ty_force"]
    assert "knee_angle_r_moment" in header and "hip_flexion_l_reserve" in header
    before = act.read_bytes()
    bad = res.activations.copy()
    bad[3, 5] = np.nan
    with pytest.raises(ValueError, match="not numbers"):
        write_sto(act, res.time, res.muscle_names, bad)
    assert act.read_bytes() == before
    with pytest.raises(OutputError):
        write_sto(tmp_path / "missing" / "x.sto", res.time, ["a"], res.time)


def test_a_motion_with_an_absurd_angle_is_refused_with_a_clear_message(tmp_path):
    t = np.linspace(0, 1, 101)
    path = tmp_path / "bad.mot"
    _write_motion(path, t, {"knee_angle_r": 300.0 * t, "hip_flexion_r": 10 * t})
    # refused on reading (file, line, column), before the dynamics' own check ("reaches")
    with pytest.raises(Exception, match=r"bad.mot.*knee_angle_r (reaches|is) 300°"):
        estimate_activations(path, use_cache=False)


def test_a_motion_with_a_gap_is_refused_with_a_clear_message(tmp_path):
    t = np.linspace(0, 1, 101)
    path = tmp_path / "gap.mot"
    _write_motion(path, t, {"knee_angle_r": 30 + 0 * t, "hip_flexion_r": 10 * t})
    motion = read_motion(path)
    motion.coordinates["hip_flexion_r"][40] = np.nan
    with pytest.raises(Exception, match=r"gap.mot.*hip_flexion_r is not a number at 0.4 s"):
        estimate_activations(motion, use_cache=False)


def test_two_trials_estimated_at_once_give_the_numbers_each_gives_alone(squat_file):
    """A worker thread still estimating one trial while another thread (the command line, a
    second job) estimates a trial must not disturb either: each thread poses its own model."""
    import threading

    alone = estimate_activations(squat_file, use_cache=False)
    results: dict[int, object] = {}

    def run(i: int) -> None:
        results[i] = estimate_activations(squat_file, use_cache=False)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i in range(2):
        np.testing.assert_allclose(results[i].activations, alone.activations, atol=1e-9)
