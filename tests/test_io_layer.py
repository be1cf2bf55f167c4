"""Files in and out without a window: estimated activations written as OpenSim .sto and read
back into the same cycle, foot events from the motion, the new cycle columns, OpenCap names,
the fibre-type composition of 'muscles NAME', settings kept from the model."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import numpy as np
import pytest
from trial_files import write_motion

from anatomy_viewer import cli
from anatomy_viewer.gait.library import model_muscle_names

REF = Path(__file__).resolve().parents[1].parent / "shared" / "reference" / "opensim"
MUSCLES = list(model_muscle_names())


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open() as fh:
        return list(csv.DictReader(fh))


def _column(rows, key: str) -> np.ndarray:
    return np.array([float(r[key]) for r in rows])


def _errors(capsys) -> list[str]:
    return [ln for ln in capsys.readouterr().err.splitlines() if "error" in ln]


@pytest.fixture(scope="module")
def estimated(tmp_path_factory):
    """A motion without activations, its estimated cycle, and the activations written by
    'anatomy-viewer activations' (with forces and moments)."""
    d = tmp_path_factory.mktemp("estimated")
    motion = write_motion(d / "walk.mot")
    out = {k: d / f"{k}.sto" for k in ("act", "forces", "moments")}
    argv = ["activations", "--motion", str(motion), "-o", str(out["act"])]
    argv += ["--forces", str(out["forces"]), "--moments", str(out["moments"])]
    assert cli.main(argv) == 0
    assert cli.main(["cycle", "--motion", str(motion), "-o", str(d / "estimated.csv")]) == 0
    return motion, out, d


def test_activations_are_written_as_opensim_storage_files(estimated):
    from anatomy_viewer.gait.opensim_io import read_activations, read_table

    motion, out, _ = estimated
    acts = read_activations(out["act"])
    assert acts.kind == "simulated" and acts.present.all() and acts.mapping["glmax1_r"]
    assert acts.values.max() > 0.05  # the leg is not at rest
    head = out["act"].read_text().splitlines()[:7]
    assert head[1:6] == [
        "version=1",
        f"nRows={len(acts.time)}",
        "nColumns=81",
        "inDegrees=no",
        "endheader",
    ]
    assert head[6].split("\t") == ["time", *MUSCLES]
    forces = read_table(out["forces"])
    assert list(forces.columns) == MUSCLES and forces.data.min() >= 0.0
    moments = read_table(out["moments"])
    assert {"pelvis_ty_force", "knee_angle_r_moment", "knee_angle_r_reserve"} <= set(
        moments.columns
    )


def test_cycle_with_the_written_activations_reproduces_the_estimated_cycle(estimated, capsys):
    motion, out, d = estimated
    argv = ["cycle", "--motion", str(motion), "--activations", str(out["act"])]
    assert cli.main([*argv, "-o", str(d / "read_back.csv")]) == 0
    a, b = _rows(d / "estimated.csv"), _rows(d / "read_back.csv")
    assert list(a[0]) == list(b[0]) and len(a) == len(b) == 101
    for key in a[0]:
        if key.startswith("mode_"):
            assert [r[key] for r in a] == [r[key] for r in b], key
        else:  # the same numbers, to the digits written
            digits = 2 if key.startswith("force_") else 3 if key.startswith("power_") else 4
            assert np.allclose(_column(a, key), _column(b, key), atol=1.5 * 10**-digits), key
    assert max(_column(a, m).max() for m in MUSCLES) > 0.05


def test_a_motion_alone_is_estimated_and_says_which_forces(tmp_path, capsys):
    motion = write_motion(tmp_path / "walk.mot")
    assert cli.main(["cycle", "--motion", str(motion), "-o", str(tmp_path / "a.csv")]) == 0
    err = capsys.readouterr().err
    assert "muscle activity estimated by this program" in err and "ground forces estimated" in err
    assert "residual forces (per stride, RMS / peak, % of body weight)" in err
    rows = _rows(tmp_path / "a.csv")
    assert max(_column(rows, m).max() for m in MUSCLES) > 0.05
    # stance and swing from the motion itself: both feet are seen on and off the ground
    for side in ("r", "l"):
        contact = _column(rows, f"contact_{side}")
        assert 0 < contact.mean() < 1
    assert "foot strikes and toe-offs were found from the motion itself" in err
    # cached in the user's cache folder, never beside the data
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "walk.mot"]
    cache = Path(os.environ["XDG_CACHE_HOME"]) / "anatomy-viewer" / "activity"
    assert any(cache.glob("*.npz"))


def test_no_estimate_keeps_the_leg_at_rest_without_forces(tmp_path, capsys):
    motion = write_motion(tmp_path / "walk.mot")
    argv = ["cycle", "--motion", str(motion), "--no-estimate", "-o", str(tmp_path / "a.csv")]
    assert cli.main(argv) == 0
    assert "not estimated (as asked)" in capsys.readouterr().err
    rows = _rows(tmp_path / "a.csv")
    assert all(_column(rows, m).max() == 0.0 for m in MUSCLES)
    assert not any(k.startswith(("force_", "power_")) for k in rows[0])
    assert all(_column(rows, f"fast_{m}").max() == 0.0 for m in MUSCLES)  # nothing recruited


def test_foot_events_from_the_motion_are_the_same_with_or_without_the_estimate(tmp_path):
    from anatomy_viewer.gait.trial import load_trial
    from anatomy_viewer.gait.trial_activity import trial_cycle

    trial = load_trial(write_motion(tmp_path / "walk.mot"))
    with_estimate = trial_cycle(trial).cycle
    without = trial_cycle(trial, estimate=False).cycle
    assert with_estimate.events == without.events and with_estimate.events
    assert with_estimate.phases == without.phases
    assert {p.name for p in without.phases if p.side == "r"} >= {"stance"}
    assert not without.periodic  # still the whole trial, in time


@pytest.mark.skipif(not REF.is_dir(), reason="reference data not available")
def test_a_running_trial_without_forces_shows_stance_as_the_plates_do():
    """Foot events found from the motion against the force plates (Hamner et al. 2010,
    subject 02): over the ten seconds, the share of time each foot is on the ground within
    5 % of the plates' (about 37 %), and a foot strike for each of the 13 strides."""
    from anatomy_viewer.gait.opensim_io import detect_events, read_grf
    from anatomy_viewer.gait.trial import load_trial
    from anatomy_viewer.gait.trial_activity import trial_cycle

    ik, grf = REF / "subject02_running_ik.mot", REF / "subject02_running_grf.mot"
    motion = trial_cycle(load_trial(ik), estimate=False).cycle
    assert not motion.periodic  # the whole trial, in time
    t = motion.start_time + motion.percent / 100.0 * motion.stride_time
    plates = detect_events(read_grf(grf))
    for side, contact in (("r", motion.contact_r), ("l", motion.contact_l)):
        assert contact.mean() == pytest.approx(plates.in_contact(side, t).mean(), abs=0.05)
    strikes = [e for e in motion.events if e.side == "r" and e.kind == "initial_contact"]
    assert len(strikes) >= 13
    assert {p.name for p in motion.phases} >= {"stance", "swing", "flight"}


def test_cycle_columns_fast_fibres_forces_and_power(tmp_path):
    from anatomy_viewer.gait.fibre_use import cycle_fast_share
    from anatomy_viewer.gait.library import load_gait

    assert cli.main(["cycle", "--gait", "running", "-o", str(tmp_path / "run.csv")]) == 0
    rows = _rows(tmp_path / "run.csv")
    cycle = load_gait("running")
    fast = cycle_fast_share(cycle)
    i = cycle.muscle_index("glmax1_r")
    expected = np.interp(np.linspace(0.0, 100.0, 101), cycle.percent, fast[i])
    assert _column(rows, "fast_glmax1_r") == pytest.approx(expected, abs=1e-4)
    for m in MUSCLES:
        f = _column(rows, f"fast_{m}")
        assert f.min() >= 0.0 and f.max() <= 1.0
        assert _column(rows, f"force_{m}").min() >= 0.0
    # the article's "absorb the landing, then push": the vasti take up work after foot
    # strike (negative power) and give it back later in stance; the soleus generates it
    vasti = _column(rows, "power_vaslat_r")
    assert vasti[:15].min() < -100.0 and vasti[15:36].max() > 100.0
    assert _column(rows, "power_soleus_r")[10:36].max() > 100.0


def test_muscles_prints_the_fibre_types_with_their_source(capsys):
    assert cli.main(["muscles", "soleus_r"]) == 0
    out = capsys.readouterr().out
    assert "Fibre types (" in out and "% slow (Type I)" in out
    assert "Source: " in out and "Johnson" in out


def test_opencap_coordinates_are_named_in_the_notes(tmp_path):
    from anatomy_viewer.gait.opensim_io import read_motion

    t = np.arange(0.0, 1.0, 0.01)
    names = ["pelvis_tilt", "hip_flexion_r", "knee_angle_r", "knee_angle_r_beta"]
    names += ["lumbar_extension", "arm_flex_r", "pro_sup_l", "foo"]
    data = np.column_stack([t] + [20 * np.sin(2 * np.pi * t + k) for k in range(len(names))])
    text = "ik\nversion=1\ninDegrees=yes\nendheader\n" + "\t".join(["time", *names]) + "\n"
    text += "".join("\t".join(f"{v:.5f}" for v in row) + "\n" for row in data)
    path = tmp_path / "opencap.mot"
    path.write_text(text)
    notes = read_motion(path).notes
    said = {
        "knee_angle_r_beta": "patella",
        "lumbar_extension": "back",
        "arm_flex_r, pro_sup_l": "arms are not modelled",
        "foo": "not coordinates of the leg model",
    }
    for columns, words in said.items():
        assert any(columns in n and words in n for n in notes), (columns, notes)


@pytest.mark.parametrize(
    "extra, words",
    [
        (["--mass", "5"], "mass must be within 10..400 kg"),
        (["--mass", "heavy"], "mass must be a number"),
        (["-o", "act.csv"], "act.csv: write the table as an OpenSim .sto file"),
        (["-o", "act.sto", "--forces", "act.sto"], "the same file is named twice"),
        (["-o", "walk.sto"], "would replace an input file"),
        (["-o", "act.sto", "--grf", "nowhere.mot"], "--grf nowhere.mot: no such file"),
    ],
)
def test_bad_activations_flags_are_one_line(extra, words, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    motion = write_motion(tmp_path / "walk.sto")
    before = motion.read_bytes()
    argv = ["activations", "--motion", "walk.sto"]
    argv += extra if "-o" in extra else [*extra, "-o", "act.sto"]
    assert cli.main(argv) == 2
    (line,) = _errors(capsys)
    assert words in line
    assert motion.read_bytes() == before and not (tmp_path / "act.sto").exists()


def test_a_motion_that_cannot_be_analysed_leaves_the_old_file(tmp_path, capsys):
    from trial_files import STRIDE

    t = np.arange(0.0, 2 * STRIDE, 0.01)
    names = ["hip_flexion_r", "hip_adduction_r"]
    rows = "".join(f"{v:.3f}\t{20 * np.sin(v):.3f}\t150.000\n" for v in t)  # a hip at 150°?
    bad = tmp_path / "bad.mot"
    bad.write_text("ik\ninDegrees=yes\nendheader\ntime\t" + "\t".join(names) + "\n" + rows)
    old = tmp_path / "act.sto"
    old.write_text("what the user had\n")
    assert cli.main(["activations", "--motion", str(bad), "-o", str(old)]) == 2
    (line,) = _errors(capsys)
    assert "bad.mot" in line and "hip_adduction_r reaches 150" in line
    assert old.read_text() == "what the user had\n"


def test_the_picture_of_a_whole_trial_is_captioned_in_seconds(tmp_path, monkeypatch):
    from anatomy_viewer.scene.leg_scene import LegScene

    captions = []
    real = LegScene.set_caption
    monkeypatch.setattr(LegScene, "set_caption", lambda s, t: captions.append(t) or real(s, t))
    motion = write_motion(tmp_path / "walk.mot")
    argv = ["render", "--motion", str(motion), "--no-estimate", "--phase", "40"]
    assert cli.main([*argv, "--size", "160x120", "-o", str(tmp_path / "a.png")]) == 0
    assert "1.20 s into the trial" in captions[-1] and "%" not in captions[-1]


def test_settings_are_kept_from_the_model_not_the_window(leg_model, tmp_path):
    from anatomy_viewer.app.model import AppModel
    from anatomy_viewer.scene.colormaps import COLORMAPS
    from anatomy_viewer.ui.settings import SettingsFile, model_values, restore_model

    path = tmp_path / "settings.ini"
    path.write_text(
        "[playback]\nspeed=0.5\n[view]\nlegs=left\ngain=2.5\ncolormap=cividis\ncamera=front\n"
    )
    model = AppModel(leg_model, colormaps=tuple(COLORMAPS))
    restore_model(model, SettingsFile(path))
    assert model.playback.speed == 0.5
    user = model.display.user
    assert (user.legs, user.gain, user.colormap, user.camera) == ("left", 2.5, "cividis", "front")
    # a guided view's overlay is never saved as the user's choice
    model.display.set_overlay({"bone_opacity": 0.3, "camera": "back"}, owner="guided view")
    values = model_values(model)
    assert values["view/bone_opacity"] == 1.0 and values["view/camera"] == "front"
    assert values["playback/speed"] == 0.5 and values["view/legs"] == "left"
