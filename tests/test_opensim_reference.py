"""The real OpenSim files of the shared reference folder load and play correctly.

The files are not part of the project; the tests skip when the folder is absent.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from anatomy_viewer.gait.opensim_io import (
    detect_events,
    model_muscle_names,
    read_activations,
    read_grf,
    read_motion,
    read_table,
    trial_to_cycle,
)

REF = Path(__file__).resolve().parents[2] / "shared" / "reference" / "opensim"
pytestmark = pytest.mark.skipif(not REF.is_dir(), reason="reference OpenSim files not present")

FILES = sorted(p.name for p in REF.iterdir()) if REF.is_dir() else []


@pytest.mark.parametrize("name", FILES)
def test_every_reference_file_reads_as_a_table(name):
    tab = read_table(REF / name)
    assert tab.n_rows > 100
    assert np.all(np.diff(tab.time) > 0)
    assert np.isfinite(tab.data).all()


# file, degrees in the file?, knee flipped?, (row, column, file value) spot checks
MOTIONS = {
    "subject01_walk1_ik.mot": (True, True, [(0, "knee_angle_r", -19.85408256)]),
    "subject02_running_ik.mot": (True, True, [(0, "knee_angle_r", -9.22324118)]),
    "JA1Gait35_ik.mot": (False, False, [(0, "knee_angle_r", 0.212333)]),
    "coordinates.sto": (False, False, [(0, "hip_flexion_r", 0.3965801380677928)]),
    "example3DWalking_muscle_driven_tracking_solution.sto": (
        False,
        False,
        [(0, "hip_flexion_r", 0.3618432638108567)],
    ),
}


@pytest.mark.parametrize("name", sorted(MOTIONS))
def test_reference_motions_in_degrees_with_the_knee_sign_fixed(name):
    degrees, flipped, spots = MOTIONS[name]
    m = read_motion(REF / name)
    assert m.in_degrees == degrees
    assert (m.sign_flipped == ("knee_angle_r", "knee_angle_l")) == flipped
    assert m.family == ("gait2392" if flipped else "rajagopal")
    for row, coord, raw in spots:
        value = raw if degrees else math.degrees(raw)
        if coord.startswith("knee") and flipped:
            value = -value
        assert m.coordinates[coord][row] == pytest.approx(value, abs=1e-6)
    # after the fix every knee flexes positively (the model's convention)
    for side in ("r", "l"):
        k = m.coordinates[f"knee_angle_{side}"]
        assert np.percentile(k, 5) > -10 and k.max() > 50
        assert np.abs(m.coordinates[f"hip_flexion_{side}"]).max() < 100
    assert "pelvis_ty" in m.pelvis_translation
    assert not any(c.endswith("/speed") for c in m.unknown)


def test_grf_files_are_not_motions():
    from anatomy_viewer.gait.opensim_io import OpenSimFileError

    with pytest.raises(OpenSimFileError, match="ground reaction forces"):
        read_motion(REF / "subject02_running_grf.mot")


# file -> (expected stride time of the right foot, tolerance)
GRFS = {
    "grf_walk.mot": (1.144, 0.01),
    "subject01_walk1_grf.mot": (1.233, 0.01),
    "grf_run.mot": (0.687, 0.02),
    "subject02_running_grf.mot": (0.690, 0.02),
    "JA1Gait35_grf.mot": (0.460, 0.01),
}


@pytest.mark.parametrize("name", sorted(GRFS))
def test_reference_forces_give_plausible_strides(name):
    expected, tol = GRFS[name]
    g = read_grf(REF / name)
    ev = detect_events(g)
    strides = ev.stride_times("r")
    assert len(strides) >= 1
    assert np.mean(strides) == pytest.approx(expected, abs=tol)
    # every right heel strike is followed by a right toe-off before the next strike
    for a, b in zip(ev.heel_strikes["r"][:-1], ev.heel_strikes["r"][1:], strict=True):
        offs = [t for t in ev.toe_offs["r"] if a < t < b]
        assert len(offs) == 1
        stance = (offs[0] - a) / (b - a)
        assert 0.2 < stance < 0.72
    # the left foot strikes about half a stride after the right
    for a, b in zip(ev.heel_strikes["r"][:-1], ev.heel_strikes["r"][1:], strict=True):
        left = [t for t in ev.heel_strikes["l"] if a < t < b]
        assert len(left) == 1 and 0.4 < (left[0] - a) / (b - a) < 0.6


def test_sprint_plates_are_assigned_to_the_right_feet():
    g = read_grf(REF / "JA1Gait35_grf.mot")
    assert g.assignment == "centre of pressure"
    assert g.plates == {
        "r": ("ground_force_2", "ground_force_7"),
        "l": ("ground_force_4", "ground_force_8"),
    }


# motion, forces -> stride time, stance % of the right foot, speed (None: treadmill)
CYCLES = {
    "subject01_walk1_ik.mot": ("subject01_walk1_grf.mot", 1.234, 64.1, None),
    "subject02_running_ik.mot": ("subject02_running_grf.mot", 0.712, 38.7, None),
    "JA1Gait35_ik.mot": ("JA1Gait35_grf.mot", 0.460, 26.0, 9.5),
}


@pytest.mark.parametrize("name", sorted(CYCLES))
def test_reference_trials_cut_into_a_right_stride(name):
    grf, stride, stance, speed = CYCLES[name]
    c = trial_to_cycle(read_motion(REF / name), grf=read_grf(REF / grf))
    assert c.periodic and c.n_samples == 101
    assert c.stride_time == pytest.approx(stride, abs=0.005)
    toe_off = [e.percent for e in c.events if e.side == "r" and e.kind == "toe_off"]
    assert toe_off == [pytest.approx(stance, abs=1.0)]
    assert c.contact_r[0] and not c.contact_r[int(stance) + 2]
    if speed is None:
        assert c.speed is None
    else:
        assert c.speed == pytest.approx(speed, abs=0.2)
    if stance < 50:  # running and sprinting: flight phases
        assert c.phase_at("r", stance + 3) == "flight"
    assert c.coordinates["knee_angle_r"].max() > 55


def test_moco_solution_activations_map_to_all_80_muscles():
    path = REF / "example3DWalking_muscle_driven_tracking_solution.sto"
    a = read_activations(path)
    assert a.kind == "simulated"
    assert a.present.all() and a.muscle_names == model_muscle_names()
    assert len(a.mapping) == 80
    tab = read_table(path)
    np.testing.assert_allclose(
        a.activation("glmax2_l"), tab.column("/forceset/glmax2_l/activation")
    )
    assert 0 <= a.values.min() and a.values.max() <= 1
    # controls beside the activations and coordinate columns are known, not unknown
    assert "/forceset/glmax2_l" in a.ignored
    assert not any(c.startswith("/jointset") for c in a.unknown)
    assert "/forceset/lumbar_ext" in a.unknown  # a reserve actuator, listed


def test_emg_sto_maps_to_its_muscles():
    path = REF / "electromyography.sto"
    first = read_activations(path)
    assert first.kind == "measured"
    assert first.mapped_muscles == ("soleus_r",)  # exact after adding the side
    assert len(first.suggestions) == 9  # the anatomical labels, for the user to confirm
    a = read_activations(path, mapping=first.suggestions)
    assert set(a.mapped_muscles) == {
        "soleus_r",
        "gasmed_r",
        "gaslat_r",
        "tibant_r",
        "semimem_r",
        "semiten_r",
        "bflh_r",
        "vaslat_r",
        "vasmed_r",
        "recfem_r",
        "glmax1_r",
        "glmax2_r",
        "glmax3_r",
        "glmed1_r",
        "glmed2_r",
        "glmed3_r",
    }
    assert a.unknown == ()
    assert a.normalised == ()  # already scaled to peak 1 in the file
    assert a.activation("tibant_r").max() == pytest.approx(1.0)


def test_rajagopal_walk_with_emg_plays_as_a_trial_with_contacts():
    notes: list[str] = []
    emg = read_activations(REF / "electromyography.sto")
    emg = read_activations(REF / "electromyography.sto", mapping=emg.suggestions)
    c = trial_to_cycle(
        read_motion(REF / "coordinates.sto"), emg, read_grf(REF / "grf_walk.mot"), notes=notes
    )
    # the motion holds one right heel strike only: shown as a trial, contacts from the forces
    assert not c.periodic
    assert c.stride_time == pytest.approx(1.349, abs=0.002)
    assert c.contact_r.any() and c.contact_l.any()
    assert c.provenance["vaslat_r"].kind == "measured"
    assert c.provenance["vaslat_r"].source == "electromyography.sto"
    assert c.provenance["tfl_r"].kind == "none" and not c.activation("tfl_r").any()
    assert any("no complete right stride" in n for n in notes)
