"""A trial from several files: each file's kind guessed from its columns, read together."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from trial_files import STRIDE, write_emg_csv, write_grf, write_motion, write_states

from anatomy_viewer.gait.opensim_io import OpenSimFileError
from anatomy_viewer.gait.trial import (
    TrialFiles,
    classify_file,
    mapping_rows,
    parse_mapping,
    read_trial,
    remap_activations,
    rows_to_mapping,
    sort_files,
)


@pytest.fixture
def files(tmp_path):
    return {
        "motion": write_motion(tmp_path / "walk.mot"),
        "grf": write_grf(tmp_path / "walk_grf.mot"),
        "emg": write_emg_csv(tmp_path / "emg.csv"),
        "states": write_states(tmp_path / "states.sto"),
    }


def test_each_file_kind_is_recognised_from_its_columns(files):
    assert classify_file(files["motion"]) == ("motion",)
    assert classify_file(files["grf"]) == ("forces",)
    assert classify_file(files["emg"]) == ("activations",)
    assert classify_file(files["states"]) == ("motion", "activations")


def test_angle_columns_all_zero_beside_forces_make_a_force_file(tmp_path):
    # OpenSim's example running forces carry coordinate columns full of zeros
    p = tmp_path / "run_grf.mot"
    p.write_text(
        "grf\nendheader\ntime\thip_flexion_r\tground_force_vy\tground_force_px\n"
        "0\t0\t10\t0\n0.01\t0\t900\t0.1\n0.02\t0\t950\t0.1\n"
    )
    assert classify_file(p) == ("forces",)


def test_files_are_sorted_into_roles_whatever_their_order(files):
    sorted_ = sort_files([files["emg"], files["grf"], files["motion"]])
    assert sorted_.motion == files["motion"]
    assert sorted_.activations == files["emg"]
    assert sorted_.grf == files["grf"]
    summary = sorted_.summary()
    assert "emg.csv (muscle activations)" in summary
    assert "walk.mot (joint angles)" in summary
    assert "walk_grf.mot (ground reaction forces)" in summary


def test_a_states_file_serves_as_motion_and_activations(files):
    f = sort_files([files["states"]])
    assert f.motion == f.activations == files["states"]
    # a separate activation file takes precedence
    f = sort_files([files["states"], files["emg"]])
    assert f.motion == files["states"] and f.activations == files["emg"]


def test_two_files_of_the_same_kind_are_an_error_naming_both(files, tmp_path):
    other = write_motion(tmp_path / "other.mot")
    with pytest.raises(OpenSimFileError, match=r"other\.mot.*walk\.mot"):
        sort_files([files["motion"], other])


def test_a_file_of_no_known_kind_is_an_error_naming_it(tmp_path):
    p = tmp_path / "weather.csv"
    p.write_text("time,temperature,wind\n0,12,3\n1,13,4\n")
    with pytest.raises(OpenSimFileError, match=r"weather\.csv.*'temperature'"):
        classify_file(p)
    img = tmp_path / "photo.mot"
    img.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    with pytest.raises(OpenSimFileError, match=r"photo\.mot.*PNG"):
        classify_file(img)


def test_reading_a_trial_reports_progress_over_all_files(files):
    seen: list[tuple[float, str]] = []
    trial = read_trial(
        sort_files([files["motion"], files["grf"]]), progress=lambda f, w: seen.append((f, w))
    )
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert any("walk_grf.mot" in w for _, w in seen)
    cycle = trial.to_cycle()
    assert cycle.periodic and cycle.stride_time == pytest.approx(STRIDE, abs=0.01)
    assert any("held at 0" in n for n in cycle.notes)  # missing coordinates are said


def test_activation_columns_are_listed_for_confirmation_and_remapped(files):
    trial = read_trial(sort_files([files["motion"], files["emg"]]))
    assert trial.needs_mapping
    rows = {r.column: r for r in mapping_rows(trial.activations)}
    assert rows["vaslat_r"].how == "name" and rows["vaslat_r"].muscles == ("vaslat_r",)
    assert rows["TA"].how == "suggested" and rows["TA"].muscles == ("tibant_r",)
    assert rows["Trigger"].how == "unmatched" and rows["Trigger"].muscles == ()
    notes = " ".join(trial.to_cycle().notes)
    assert "Trigger" in notes  # unknown columns are said, not silently dropped

    confirmed = rows_to_mapping(rows.values())
    remapped = remap_activations(trial, confirmed)
    assert not remapped.needs_mapping
    cycle = remapped.to_cycle()
    assert cycle.activation("tibant_r").max() > 0.5
    assert cycle.provenance["tibant_r"].kind == "measured"
    assert cycle.provenance["glmax1_r"].kind == "none"


def test_accepting_suggestions_maps_emg_labels(files):
    trial = read_trial(sort_files([files["motion"], files["emg"]]), accept_suggestions=True)
    assert trial.activations.present[trial.activations.muscle_names.index("soleus_r")]
    assert trial.unmapped_columns == ("Trigger",)


def test_added_files_join_the_trial_shown(files):
    first = sort_files([files["motion"]])
    more = sort_files([files["grf"]]).merged_into(first)
    assert more.motion == files["motion"] and more.grf == files["grf"]
    assert "kept from the trial shown" in more.summary()
    # a new motion starts a new trial
    assert sort_files([files["states"]]).merged_into(first).motion == files["states"]


def test_a_trial_needs_joint_angles(files):
    with pytest.raises(OpenSimFileError, match=r"walk_grf\.mot.*no joint angles"):
        read_trial(TrialFiles(grf=files["grf"]))


def test_mapping_flags_are_checked():
    assert parse_mapping(["TA=tibant_r", "GMAX = glmax1_r, glmax2_r"]) == {
        "TA": ("tibant_r",),
        "GMAX": ("glmax1_r", "glmax2_r"),
    }
    with pytest.raises(ValueError, match="not one of the model's muscles"):
        parse_mapping(["TA=tibialis"])
    with pytest.raises(ValueError, match="COLUMN=MUSCLE"):
        parse_mapping(["TA"])


def test_a_long_whole_trial_keeps_its_time(tmp_path):
    trial = read_trial(sort_files([write_motion(tmp_path / "long.mot", duration=30.0)]))
    cycle = trial.to_cycle()
    assert not cycle.periodic
    assert cycle.stride_time == pytest.approx(30.0)
    np.testing.assert_allclose(cycle.percent[[0, -1]], [0.0, 100.0])


REF = Path(__file__).resolve().parents[2] / "shared" / "reference" / "opensim"


@pytest.mark.skipif(not REF.is_dir(), reason="reference OpenSim files not present")
def test_reference_files_are_recognised_and_sorted():
    kinds = {p.name: classify_file(p) for p in REF.iterdir()}
    assert kinds["subject01_walk1_ik.mot"] == ("motion",)
    assert kinds["subject01_walk1_grf.mot"] == ("forces",)
    assert kinds["subject02_running_grf.mot"] == ("forces",)  # zero angles beside forces
    assert kinds["electromyography.sto"] == ("activations",)
    assert kinds["example3DWalking_muscle_driven_tracking_solution.sto"] == (
        "motion",
        "activations",
    )
    files = sort_files([REF / "subject02_running_grf.mot", REF / "subject02_running_ik.mot"])
    cycle = read_trial(files).to_cycle()
    assert cycle.periodic and 0.5 < cycle.stride_time < 1.0  # a running stride


def test_suggestions_are_accepted_beside_a_given_mapping(files):
    trial = read_trial(
        sort_files([files["motion"], files["emg"]]),
        mapping={"TA": ("tibant_r",)},
        accept_suggestions=True,
    )
    assert trial.mapping["TA"] == ("tibant_r",) and trial.mapping["SOL"] == ("soleus_r",)
    assert trial.unmapped_suggestions == {"Trigger": ()}


def test_unmapped_columns_can_be_left_to_the_caller_to_report(files):
    trial = read_trial(sort_files([files["motion"], files["emg"]]))
    assert trial.unmapped_suggestions == {"TA": ("tibant_r",), "SOL": ("soleus_r",), "Trigger": ()}
    notes = " ".join(trial.to_cycle(report_unmapped=False).notes)
    assert "Trigger" not in notes and "mapping=" not in notes
