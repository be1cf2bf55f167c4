"""The command line: recorded trials in place of --gait, video export, one-line errors."""

from __future__ import annotations

import csv
import os
import stat
from pathlib import Path

import imageio.v2 as iio2
import numpy as np
import pytest
from trial_files import STRIDE, write_bad_motion, write_emg_csv, write_grf, write_motion

from anatomy_viewer import cli
from anatomy_viewer.anatomy import COORDINATES
from anatomy_viewer.gait.library import model_muscle_names


@pytest.fixture
def trial(tmp_path):
    return write_motion(tmp_path / "walk.mot"), write_grf(tmp_path / "walk_grf.mot")


def _one_error_line(capsys) -> str:
    err = [ln for ln in capsys.readouterr().err.splitlines() if "error" in ln]
    assert len(err) == 1, err
    assert "Traceback" not in err[0]
    return err[0]


def test_cycle_of_a_trial_has_the_columns_of_a_built_in_gait(trial, tmp_path, capsys):
    mot, grf = trial
    out = tmp_path / "trial.csv"
    assert cli.main(["cycle", "--motion", str(mot), "--grf", str(grf), "-o", str(out)]) == 0
    with out.open() as fh:
        rows = list(csv.DictReader(fh))
    muscles = list(model_muscle_names())
    assert list(rows[0]) == ["percent", *COORDINATES, *muscles, "contact_r", "contact_l"] + [
        f"{q}_{m}" for q in ("mode", "fast", "force", "power") for m in muscles
    ]
    assert len(rows) == 101
    # the first right stride starts at a right heel strike, where the hip is most flexed
    hip = np.array([float(r["hip_flexion_r"]) for r in rows])
    assert hip[0] == pytest.approx(20.0, abs=0.5) and hip[50] == pytest.approx(-20.0, abs=0.5)
    assert rows[0]["contact_r"] == "1" and rows[80]["contact_r"] == "0"
    err = capsys.readouterr().err
    assert "walk.mot (joint angles)" in err and "walk_grf.mot (ground reaction forces)" in err
    assert "held at 0" in err  # missing coordinates are named


def test_a_bad_file_gives_one_line_naming_file_line_problem_and_exit_2(tmp_path, capsys):
    bad, line = write_bad_motion(tmp_path / "bad.mot")
    code = cli.main(["cycle", "--motion", str(bad), "-o", str(tmp_path / "x.csv")])
    assert code == 2
    msg = _one_error_line(capsys)
    assert f"bad.mot, line {line}:" in msg and "'oops'" in msg
    assert not (tmp_path / "x.csv").exists()


def test_a_force_file_given_as_motion_says_so(trial, tmp_path, capsys):
    _, grf = trial
    assert cli.main(["render", "--motion", str(grf), "-o", str(tmp_path / "x.png")]) == 2
    assert "open it as ground forces" in _one_error_line(capsys)


@pytest.mark.parametrize(
    "argv, words",
    [
        (["cycle", "--grf", "g.mot", "-o", "x.csv"], "need --motion"),
        (["cycle", "--gait", "running", "--motion", "m.mot", "-o", "x.csv"], "either --gait"),
        (["export", "--gait", "running", "-o", "run.avi"], ".mp4 or .gif"),
        (["export", "--gait", "running", "-o", "run.png"], ".mp4 or .gif"),
        (["render", "--gait", "running", "-o", "leg.bmp"], ".png, .jpg or .jpeg"),
        (["render", "--gait", "running", "-o", "leg"], ".png, .jpg or .jpeg"),
        (["render", "--transparent", "-o", "leg.jpg"], "transparent background needs a .png"),
        (["export", "--gait", "running", "--size", "161x120", "-o", "r.mp4"], "even width"),
        (["export", "--gait", "running", "--size", "7680x4320", "-o", "r.mp4"], "3840x2160"),
        (["export", "--gait", "running", "--fps", "0", "-o", "r.mp4"], "fps must be within 1..120"),
        (["export", "--fps", "fast", "-o", "r.mp4"], "fps must be a number, got 'fast'"),
        (["export", "--cycles", "0", "-o", "r.mp4"], "more than 0 and at most 100"),
        (["export", "--cycles", "101", "-o", "r.mp4"], "more than 0 and at most 100, got 101"),
        (["export", "--cycles", "x", "-o", "r.mp4"], "cycles must be a number"),
        (["export", "--slow", "0.5", "-o", "r.mp4"], "slow must be within 1..20"),
        (["export", "--gait", "running", "-o", "no/such/folder/r.mp4"], "does not exist"),
        (["cycle", "--motion", "m.mot", "--map", "TA", "-o", "x.csv"], "COLUMN=MUSCLE"),
    ],
)
def test_bad_flags_give_one_line_and_exit_2(argv, words, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_motion(tmp_path / "m.mot", duration=0.5)
    assert cli.main(argv) == 2
    line = _one_error_line(capsys)
    assert words in line
    assert "within 0..100 (not 0)" not in line  # a range that contradicts itself


def test_export_writes_a_video_of_the_gait(tmp_path, capsys):
    out = tmp_path / "run.mp4"
    argv = ["export", "--gait", "running", "--fps", "16", "--size", "160x120", "-o", str(out)]
    assert cli.main([*argv, "--cycles", "1", "--no-overlays", "--view", "front"]) == 0
    from anatomy_viewer.gait.library import load_gait

    expected = round(load_gait("running").stride_time * 16)
    with iio2.get_reader(out) as reader:
        frames = list(reader.iter_data())
    assert len(frames) == expected and frames[0].shape == (120, 160, 3)
    assert f"{expected} frames" in capsys.readouterr().out


def test_export_of_a_trial_as_gif(trial, tmp_path):
    mot, grf = trial
    out = tmp_path / "trial.gif"
    argv = ["export", "--motion", str(mot), "--grf", str(grf), "--fps", "10", "--size", "160x120"]
    assert cli.main([*argv, "--cycles", "1", "-o", str(out)]) == 0
    import imageio.v3 as iio3

    frames = iio3.imread(out, index=None)
    assert frames.shape[0] == round(STRIDE * 10)


def test_render_of_a_trial_with_emg_mapped_by_flag(tmp_path, capsys):
    mot = write_motion(tmp_path / "walk.mot")
    emg = write_emg_csv(tmp_path / "emg.csv")
    out = tmp_path / "leg.png"
    argv = ["render", "--motion", str(mot), "--activations", str(emg), "--size", "160x120"]
    assert cli.main([*argv, "--phase", "50", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "--accept-suggested" in err and "TA=tibant_r" in err  # suggestions offered
    assert "Trigger" in err  # the column that matches nothing is named
    assert cli.main([*argv, "--map", "TA=tibant_r", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "TA (" not in err and "SOL (suggested: soleus_r)" in err  # TA is used now
    assert iio2.imread(out).shape == (120, 160, 3)


def test_unmatched_emg_columns_are_one_note_naming_the_flags(tmp_path, capsys):
    """Columns that match no muscle: one note (not an error) naming each column, its suggested
    muscles and the flags that use them; no Python wording such as 'mapping='."""
    mot = write_motion(tmp_path / "walk.mot")
    emg = tmp_path / "emg.csv"  # no column names a muscle exactly
    t = np.arange(0.0, 3.0, 0.01)
    rows = "".join(f"{v:.2f},{0.5 + 0.4 * np.sin(v):.3f},0.3,0\n" for v in t)
    emg.write_text("time,TA,SOL,Trigger\n" + rows)
    out = tmp_path / "leg.png"
    argv = ["render", "--motion", str(mot), "--activations", str(emg), "--size", "160x120"]
    assert cli.main([*argv, "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "error" not in err and "mapping=" not in err
    notes = [ln for ln in err.splitlines() if "TA" in ln or "Trigger" in ln]
    assert len(notes) == 1, notes
    (note,) = notes
    assert note.startswith("anatomy-viewer: note: emg.csv: 3 activation columns")
    assert "TA (suggested: tibant_r)" in note and "SOL (suggested: soleus_r)" in note
    assert "Trigger (no suggestion)" in note
    assert "--accept-suggested" in note and "--map COLUMN=MUSCLE" in note
    # --accept-suggested takes them, also beside a --map; only Trigger is left
    assert cli.main([*argv, "--accept-suggested", "--map", "SOL=soleus_r", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "TA (" not in err and "SOL (" not in err
    assert "1 activation column matched no muscle" in err and "Trigger" in err
    assert "--accept-suggested" not in err  # nothing left to accept


@pytest.fixture
def windows_opened(monkeypatch):
    """Record the trials `open` would show instead of starting the GUI."""
    from anatomy_viewer.ui import app

    shown = []
    monkeypatch.setattr(cli, "_has_display", lambda: True)
    monkeypatch.setattr(app, "run", lambda trial, **options: shown.append(trial) or 0)
    return shown


def test_open_guesses_each_file_and_hands_the_trial_to_the_window(tmp_path, windows_opened):
    mot, grf = write_motion(tmp_path / "m.mot"), write_grf(tmp_path / "g.mot")
    assert cli.main(["open", str(grf), str(mot)]) == 0
    (trial,) = windows_opened
    assert trial.files.motion == mot and trial.files.grf == grf


def test_open_with_a_bad_file_says_why_and_still_opens_the_window(tmp_path, capsys, monkeypatch):
    """The program always starts: a double-clicked bad file opens the window on a built-in
    gait with the reason shown there; the error line and exit status tell a script."""
    from anatomy_viewer.ui import app

    shown = []
    monkeypatch.setattr(cli, "_has_display", lambda: True)
    monkeypatch.setattr(app, "run", lambda trial, **options: shown.append((trial, options)) or 0)
    bad, line = write_bad_motion(tmp_path / "bad.mot")
    grf = write_grf(tmp_path / "g.mot")
    assert cli.main(["open", str(bad), str(grf)]) == 2
    assert f"bad.mot, line {line}" in _one_error_line(capsys)
    ((trial, options),) = shown
    assert trial is None
    path, text = options["failure"]
    assert path == bad and f"line {line}" in text


def test_open_without_a_display_says_so(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(cli, "_has_display", lambda: False)
    assert cli.main(["open", str(write_motion(tmp_path / "m.mot", duration=0.5))]) == 2
    assert "no display" in _one_error_line(capsys)


@pytest.mark.parametrize(
    "name, fmt", [("leg.jpg", "JPEG"), ("leg.JPEG", "JPEG"), ("leg.png", "PNG")]
)
def test_render_writes_the_format_its_extension_names(name, fmt, tmp_path, capsys):
    from PIL import Image

    out = tmp_path / name
    assert cli.main(["render", "--size", "160x120", "-o", str(out)]) == 0
    with Image.open(out) as img:
        assert img.format == fmt and img.size == (160, 120)


FULL = "/dev/full"  # every write fails with ENOSPC, as on a full disk


@pytest.mark.skipif(not os.path.exists(FULL), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize(
    "argv, name",
    [
        (["cycle"], "full.csv"),
        (["render", "--size", "64x64"], "full.png"),
        (["render", "--size", "64x64"], "full.jpg"),
        (["export", "--size", "64x64", "--fps", "4", "--cycles", "0.5"], "full.gif"),
    ],
)
def test_a_device_as_output_is_refused_before_any_work(argv, name, tmp_path, capsys):
    """/dev/full behind a link named like an output: refused as a device (renaming over it
    would replace the device node when run as root), and the device is left as it was."""
    out = tmp_path / name
    out.symlink_to(FULL)
    assert cli.main([*argv, "-o", str(out)]) == 2
    line = _one_error_line(capsys)
    assert f"cannot write {out}: it is a device, not a regular file" in line
    assert stat.S_ISCHR(os.stat(FULL).st_mode) and out.is_symlink()


@pytest.mark.parametrize("flag", ["--motion", "--activations", "--grf"])
def test_a_missing_input_file_is_named_as_typed(flag, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_motion(tmp_path / "m.mot", duration=0.5)
    argv = ["cycle", "--motion", "m.mot", "-o", "x.csv"]
    if flag == "--motion":
        argv[2] = "data/nonexistent.mot"
    else:
        argv[3:3] = [flag, "data/nonexistent.mot"]
    assert cli.main(argv) == 2
    assert f"{flag} data/nonexistent.mot: no such file" in _one_error_line(capsys)


def test_open_names_a_missing_file_as_typed(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["open", "trials/nope.mot"]) == 2
    assert "trials/nope.mot: no such file" in _one_error_line(capsys)


@pytest.mark.parametrize(
    "name, first_line",
    [
        ("GLMED1_R", "Gluteus medius (front) (right)  [glmed1, Hip abductors]"),
        ("soleus", "Soleus  [soleus, Calves]"),
        ("Gluteus medius", "'Gluteus medius' matches 3 muscles of the model:"),
    ],
)
def test_muscles_takes_any_case_and_plain_names(name, first_line, capsys):
    assert cli.main(["muscles", name]) == 0
    assert capsys.readouterr().out.splitlines()[0] == first_line


def test_an_unknown_muscle_is_one_error_line(capsys):
    assert cli.main(["muscles", "nosuch"]) == 2
    assert "unknown muscle 'nosuch'" in _one_error_line(capsys)


def test_render_options_change_what_the_picture_shows(tmp_path):
    def render(*flags: str) -> np.ndarray:
        out = tmp_path / f"leg{len(list(tmp_path.iterdir()))}.png"
        argv = ["render", "--gait", "running", "--phase", "30", "--size", "480x270"]
        assert cli.main([*argv, *flags, "-o", str(out)]) == 0
        return iio2.imread(out)[..., :3].astype(int)

    plain = render()
    no_legend, no_caption = render("--no-legend"), render("--no-caption")
    gain, highlight = (
        render("--gain", "3"),
        render("--highlight", "glutes", "--highlight", "soleus"),
    )
    # the legend at the right, below the caption's two lines; the caption's first line
    right, top_left = (slice(50, None), slice(-80, None)), (slice(0, 30), slice(0, 200))
    assert np.abs(plain[right] - no_legend[right]).max() > 80
    assert (plain[top_left] == no_legend[top_left]).all()
    assert np.abs(plain[top_left] - no_caption[top_left]).max() > 80
    assert (plain[right] == no_caption[right]).all()
    leg = (slice(None), slice(100, 380))
    assert np.abs(plain[leg] - gain[leg]).mean() > 1.0  # muscles brighter
    assert np.abs(plain[right] - gain[right]).max() > 80  # the legend says the gain
    assert np.abs(plain[leg] - highlight[leg]).mean() > 1.0
    assert (plain[top_left] == highlight[top_left]).all()


@pytest.mark.parametrize(
    "flags, words",
    [
        (["--gain", "5"], "gain must be within 1..4"),
        (["--gain", "0.5"], "gain must be within 1..4"),
        (["--highlight", "arms"], "--highlight 'arms': no such muscle group or muscle"),
    ],
)
def test_bad_render_options_are_one_line(flags, words, tmp_path, capsys):
    assert cli.main(["render", *flags, "-o", str(tmp_path / "x.png")]) == 2
    assert words in _one_error_line(capsys)


def test_export_in_slow_motion_has_more_frames(tmp_path, capsys):
    from anatomy_viewer.gait.library import load_gait

    out = tmp_path / "sprint.gif"
    argv = ["export", "--gait", "sprinting", "--fps", "10", "--size", "64x64", "--no-overlays"]
    assert cli.main([*argv, "--slow", "4", "--cycles", "1", "-o", str(out)]) == 0
    expected = round(4 * load_gait("sprinting").stride_time * 10)  # 0.46 s -> 1.84 s of video
    assert len(iio2.mimread(out)) == expected
    assert f"{expected} frames" in capsys.readouterr().out


def test_version_is_the_installed_package_version(capsys):
    from importlib.metadata import version

    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"anatomy-viewer {version('anatomy-viewer')}"


@pytest.mark.parametrize("word", ["calf", "quads", "Achilles", "vas", "glute"])
def test_muscles_finds_what_the_window_search_finds(word, capsys):
    """``anatomy-viewer muscles calf`` used to fail (exit 2) where the Muscles panel's search
    shows the calves: both use the same search now."""
    from anatomy_viewer.anatomy.search import search_muscles

    assert cli.main(["muscles", word]) == 0
    out = capsys.readouterr().out.splitlines()
    shown = search_muscles(word)
    assert out[0] == f"{word!r} matches {len(shown)} muscles of the model:"
    listed = [ln.split()[0] for ln in out[2 : 2 + len(shown)]]
    assert listed == list(shown)


def test_export_lasts_at_least_five_seconds_by_default(tmp_path, capsys):
    out = tmp_path / "run.gif"
    argv = ["export", "--gait", "running", "--fps", "2", "--size", "32x32", "--no-overlays"]
    assert cli.main([*argv, "-o", str(out)]) == 0
    from anatomy_viewer.gait.library import load_gait

    stride = load_gait("running").stride_time  # 0.69 s: one stride is over at once
    expected = round(8 * stride * 2)
    assert f"wrote {out} ({expected} frames" in capsys.readouterr().out
    assert len(iio2.mimread(out)) == expected and 8 * stride >= 5.0


def test_a_video_too_long_to_finish_is_refused_at_once(tmp_path, capsys):
    argv = ["export", "--cycles", "100", "--slow", "20", "--fps", "120"]
    assert cli.main([*argv, "-o", str(tmp_path / "long.gif")]) == 2
    line = _one_error_line(capsys)
    assert "274,560 frames" in line and "a GIF has at most" in line
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
def test_a_folder_that_refuses_new_files_is_not_called_missing(tmp_path, capsys):
    assert cli.main(["cycle", "--gait", "walking", "-o", "/proc/x.csv"]) == 2
    line = _one_error_line(capsys)
    assert "cannot write /proc/x.csv: new files cannot be created in that folder" in line
    assert not Path("/proc/x.csv").exists()
