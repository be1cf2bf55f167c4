"""Inputs are checked, not trusted: wrong units, wrapped or impossible angles, files of
another trial, odd numbers and odd file names get a correction with a note or one clear
line naming file, line and problem."""

from __future__ import annotations

import errno
import math
import warnings

import numpy as np
import pytest
from trial_files import STRIDE, hip, knee, write_grf, write_motion

from anatomy_viewer import cli
from anatomy_viewer.gait.opensim_io import (
    MAX_JOIN_CORRECTION,
    OpenSimFileError,
    read_grf,
    read_motion,
    trial_to_cycle,
)
from anatomy_viewer.gait.opensim_table import open_problem, read_table

NAMES = ["hip_flexion_r", "knee_angle_r", "hip_flexion_l", "knee_angle_l"]


def _motion(path, t, cols, in_degrees="yes", names=NAMES, time_name="time"):
    head = f"Coordinates\nversion=1\nnRows={len(t)}\nnColumns={len(names) + 1}\n"
    head += f"inDegrees={in_degrees}\nendheader\n"
    rows = "".join("\t".join(f"{v:.6f}" for v in row) + "\n" for row in np.column_stack([t, *cols]))
    path.write_text(head + "\t".join([time_name, *names]) + "\n" + rows)
    return path


def _walk(t):
    half = STRIDE / 2
    return [hip(t), knee(t), hip(t - half), knee(t - half)]


T = np.arange(0.0, 3.0 + 1e-9, 0.01)


# ============================================================================ units
def test_radians_under_a_degrees_header_are_converted_with_a_note(tmp_path):
    """A knee "peaking at 2.7°" with inDegrees=yes: the numbers are radians (155°)."""
    cols = [np.deg2rad(c) for c in _walk(T)]
    cols[1] = cols[1] * 2.58  # the knee peaks at 2.7 (rad)
    m = read_motion(_motion(tmp_path / "rad.mot", T, cols, in_degrees="yes"))
    assert m.coordinates["knee_angle_r"].max() == pytest.approx(np.rad2deg(2.7), abs=0.5)
    assert m.coordinates["hip_flexion_r"].max() == pytest.approx(20.0, abs=0.1)
    assert not m.in_degrees
    (note,) = [n for n in m.notes if "inDegrees=yes" in n]
    assert "radians" in note and "converted" in note


def test_a_leg_that_hardly_moves_in_degrees_is_not_converted(tmp_path):
    cols = [0.1 * np.sin(T), 0.3 + 0.1 * np.sin(T), 0.1 * np.cos(T), 0.3 + 0.1 * np.cos(T)]
    m = read_motion(_motion(tmp_path / "still.mot", T, cols))
    assert m.in_degrees and m.coordinates["knee_angle_r"].max() < 0.5
    assert any("are the angles radians?" in n for n in m.notes)


def test_angles_beyond_a_full_turn_are_refused_not_joined_into_a_stride(tmp_path):
    """Hip angles of ±350° passed the old 360° check and came out as -410..337° once the
    stride was joined: no leg joint reaches beyond ±180°."""
    cols = _walk(T)
    cols[0] = 350.0 * np.sin(2 * np.pi * T / STRIDE)
    path = _motion(tmp_path / "spin.mot", T, cols)
    with pytest.raises(OpenSimFileError) as err:
        read_motion(path)
    msg = str(err.value)
    assert msg.startswith("spin.mot, line ") and "hip_flexion_r is 349.9°" in msg
    assert "not a plausible joint angle" in msg


def test_angles_written_from_0_to_360_are_read_within_180_with_a_note(tmp_path):
    cols = _walk(T)
    cols[0] = np.mod(cols[0], 360.0)  # -20° written as 340°
    m = read_motion(_motion(tmp_path / "wrapped.mot", T, cols))
    np.testing.assert_allclose(m.coordinates["hip_flexion_r"], hip(T), atol=1e-4)
    assert any("outside ±180°" in n for n in m.notes)


def _grf(path, t, time_name="time", scale=1.0):
    """Forces of the synthetic walk with their time column scaled (1000: milliseconds)."""
    write_grf(path)
    lines = path.read_text().splitlines()
    head_end = lines.index("endheader")
    names = lines[head_end + 1].split("\t")
    names[0] = time_name
    rows = [ln.split("\t") for ln in lines[head_end + 2 :]]
    for r in rows:
        r[0] = f"{float(r[0]) * scale:.6f}"
    path.write_text(
        "\n".join([*lines[: head_end + 1], "\t".join(names), *("\t".join(r) for r in rows)]) + "\n"
    )
    return path


@pytest.mark.parametrize("time_name", ["time", "time_ms"])
def test_forces_timed_in_milliseconds_are_put_on_the_motion_clock(tmp_path, time_name):
    """Forces timed in ms with a motion in s had both feet "in contact" all trial."""
    mot = write_motion(tmp_path / "walk.mot")
    grf = _grf(tmp_path / "walk_grf.mot", T, time_name, scale=1000.0)
    notes: list[str] = []
    cycle = trial_to_cycle(read_motion(mot), grf=read_grf(grf), notes=notes)
    assert cycle.periodic and cycle.stride_time == pytest.approx(STRIDE, abs=0.01)
    assert not (cycle.contact_r.all() and cycle.contact_l.all())
    assert 0.55 < cycle.contact_r.mean() < 0.75  # stance 66 %
    assert any("millisecond" in n for n in notes)


def test_forces_of_another_time_span_are_refused(tmp_path):
    mot = write_motion(tmp_path / "walk.mot")
    grf = _grf(tmp_path / "other_grf.mot", T, scale=1.0)
    shifted = grf.read_text().splitlines()
    i = shifted.index("endheader") + 2
    shifted[i:] = [
        f"{float(r.split(chr(9))[0]) + 100:.6f}\t" + r.split("\t", 1)[1] for r in shifted[i:]
    ]
    grf.write_text("\n".join(shifted) + "\n")
    with pytest.raises(OpenSimFileError, match="do not overlap .* not of one trial"):
        trial_to_cycle(read_motion(mot), grf=read_grf(grf))


def test_forces_of_another_trial_are_not_joined_into_a_false_stride(tmp_path):
    """Forces whose strides do not match the motion: the "stride" cut from them ends far
    from where it starts (the 1.14 s stride joined with a -68° correction)."""
    mot = _motion(tmp_path / "walk.mot", T, _walk(T * 0.62))  # another cadence
    grf = write_grf(tmp_path / "walk_grf.mot")
    with pytest.raises(OpenSimFileError) as err:
        trial_to_cycle(read_motion(mot), grf=read_grf(grf))
    assert "not one stride of walk.mot" in str(err.value)
    assert f"more than {MAX_JOIN_CORRECTION:g}°" in str(err.value)


def test_the_matching_forces_are_still_joined(tmp_path):
    notes: list[str] = []
    cycle = trial_to_cycle(
        read_motion(write_motion(tmp_path / "walk.mot")),
        grf=read_grf(write_grf(tmp_path / "walk_grf.mot")),
        notes=notes,
    )
    assert cycle.periodic and cycle.stride_time == pytest.approx(STRIDE, abs=0.01)
    assert cycle.label.startswith("walk.mot: right stride 0.2")
    assert not any("not one stride" in n for n in notes)


# ============================================================================ numbers
@pytest.mark.parametrize(
    "token, why",
    [("1_000", "digits grouped with '_'"), ("١٢", "only the digits 0-9"), ("１２", "0-9")],
)
def test_numbers_python_would_take_are_not_numbers_in_a_file(tmp_path, token, why):
    path = write_motion(tmp_path / "odd.mot", duration=0.2)
    lines = path.read_text().splitlines()
    row = lines.index(next(ln for ln in lines if ln.startswith("time"))) + 3
    cells = lines[row].split("\t")
    cells[2] = token
    lines[row] = "\t".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(OpenSimFileError) as err:
        read_table(path)
    assert err.value.line == row + 1
    assert f"{token!r} in column" in str(err.value) and why in str(err.value)


@pytest.mark.parametrize("value", ["1_0", "١٢", "1e999x", "nan"])
def test_flag_numbers_are_ascii_digits_only(value, tmp_path, capsys):
    assert cli.main(["export", "--fps", value, "-o", str(tmp_path / "x.mp4")]) == 2
    assert "--fps" in capsys.readouterr().err


def test_denormal_times_are_refused_without_numpy_warnings(tmp_path):
    t = np.arange(200) * 5e-324 * 1000  # subnormal steps
    path = _motion(tmp_path / "tiny.mot", np.zeros(1), [np.zeros(1)] * 4)
    lines = path.read_text().splitlines()[:-1]
    rows = "".join(f"{float(v)!r}\t1\t2\t3\t4\n" for v in t)
    path.write_text("\n".join(lines) + "\n" + rows)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(OpenSimFileError, match="time steps by only"):
            read_motion(path)


# ============================================================================ names
def test_a_file_name_with_a_newline_gives_one_error_line(tmp_path, capsys):
    bad = tmp_path / "two\nlines.mot"
    bad.write_text("not a table at all\n")
    assert cli.main(["cycle", "--motion", str(bad), "-o", str(tmp_path / "x.csv")]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "two\\nlines.mot" in err


def test_an_output_name_with_a_newline_is_one_line_too(tmp_path, capsys):
    out = tmp_path / "no folder" / "a\nb.csv"
    assert cli.main(["cycle", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "a\\nb.csv" in err


def test_why_a_file_cannot_be_opened_is_said_plainly():
    assert open_problem(FileNotFoundError(errno.ENOENT, "x")) == "does not exist"
    assert "permission denied" in open_problem(PermissionError(errno.EACCES, "x"))
    assert "loop of symbolic links" in open_problem(OSError(errno.ELOOP, "x"))


# ============================================================================ playback
def test_seeking_to_nan_does_not_stop_playback():
    from anatomy_viewer.app.playback import Playback

    p = Playback(stride_time=1.0)
    p.seek(40.0)
    for bad in (math.nan, math.inf, -math.inf):
        p.seek(bad)
        assert p.percent == 40.0
    p.set_speed(math.nan)
    assert p.speed == 1.0
    p.play()
    p.advance(0.01)  # the clock's step still moves on from 40 %
    assert math.isfinite(p.percent) and p.percent > 40.0
