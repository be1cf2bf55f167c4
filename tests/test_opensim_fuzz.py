"""Random and mutated files fed to the OpenSim readers: no crash, no hang, only OpenSimFileError.

Each example mutates a small valid file of one format (truncate, flip bytes, insert text,
delete, duplicate or swap lines) or makes one up from random bytes or tokens, then runs every
reader on it. A reader either returns a sane result or raises OpenSimFileError naming the file;
the readers' last-resort "unexpected" message must never appear. Kept to a few seconds.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anatomy_viewer.gait.opensim_io import (
    OpenSimFileError,
    detect_events,
    read_activations,
    read_grf,
    read_motion,
    read_table,
    trial_to_cycle,
)

FUZZ = settings(
    max_examples=120,
    deadline=timedelta(seconds=3),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _rows(n: int, cols: int, fn) -> str:
    out = []
    for i in range(n):
        t = i * 0.01
        out.append("\t".join([f"{t:.3f}", *(f"{fn(t, j):.5f}" for j in range(cols))]))
    return "\n".join(out) + "\n"


def _seed_files() -> dict[str, bytes]:
    coords = ["pelvis_tilt", "pelvis_ty", "hip_flexion_r", "knee_angle_r", "hip_flexion_l"]
    mot = (
        "Coordinates\nversion=1\nnRows=30\nnColumns=6\ninDegrees=yes\nendheader\n"
        + "time\t"
        + "\t".join(coords)
        + "\n"
        + _rows(30, 5, lambda t, j: 20 * np.sin(6 * t + j))
    )
    gait2392 = mot.replace("Coordinates", "gait2392").replace("knee_angle_r", "knee_angle_l")
    paths = [f"/jointset/j/{c}/value" for c in coords] + ["/jointset/j/knee_angle_r/speed"]
    sto = (
        "inDegrees=no\nnRows=30\nnColumns=7\nDataType=double\nversion=3\nendheader\n"
        + "time\t"
        + "\t".join(paths)
        + "\n"
        + _rows(30, 6, lambda t, j: 0.4 * np.sin(6 * t + j))
    )
    act = (
        "version=1\nnRows=30\nendheader\ntime\t/forceset/soleus_r/activation\t"
        "/forceset/vaslat_l/activation\t/forceset/soleus_r\tvaslat\n"
        + _rows(30, 4, lambda t, j: 0.5 + 0.4 * np.sin(6 * t + j))
    )
    emg = "time,soleus,TA,GMAX\n" + "".join(
        f"{i * 0.01:.2f},{50 + 40 * np.sin(i / 3):.3f},{0.1 * i:.2f},{i % 7}\n" for i in range(30)
    )
    t = np.arange(0, 0.6, 0.005)
    fr = np.where((t % 0.3) < 0.18, 700.0, 0.0)
    fl = np.where(((t + 0.15) % 0.3) < 0.18, 700.0, 0.0)
    grf = "name grf.mot\ndatacolumns 5\ndatarows 120\nendheader\n"
    grf += "time\tground_force_vy\tground_force_px\t1_ground_force_vy\t1_ground_force_px\n"
    grf += "".join(
        f"{a:.3f}\t{b:.1f}\t0.1\t{c:.1f}\t0.3\n" for a, b, c in zip(t, fr, fl, strict=True)
    )
    plates = "nRows=60\nendheader\ntime" + "".join(
        f"\tground_force_{p}_vy\tground_force_{p}_px\tground_force_{p}_pz" for p in (1, 2, 3)
    )
    plates += "\n" + "".join(
        f"{i * 0.01:.2f}"
        + "".join(
            f"\t{800.0 if (i // 20) == p - 1 and i % 20 < 12 else 0.0}\t{p * 1.0}\t{0.1 * (p % 2)}"
            for p in (1, 2, 3)
        )
        + "\n"
        for i in range(60)
    )
    return {
        "mot": mot.encode(),
        "gait2392": gait2392.encode(),
        "sto": sto.encode(),
        "activations": act.encode(),
        "emg": emg.encode(),
        "grf": grf.encode(),
        "plates": plates.encode(),
    }


SEEDS = _seed_files()
INSERTS = [
    b"abc",
    b"nan",
    b"inf",
    b"-",
    b"\t",
    b"\n",
    b",",
    b"endheader\n",
    b"1e999",
    b"-1e999",
    b"nRows=3\n",
    b"inDegrees=no\n",
    b"DataType=Vec3\n",
    b"time\t",
    b"\x00",
    "é".encode(),
    b"\xff\xfe",
    b"\r",
    b"   ",
    b"0.0",
    b"99999999",
]


@st.composite
def mutated(draw) -> bytes:
    data = bytearray(SEEDS[draw(st.sampled_from(sorted(SEEDS)))])
    for _ in range(draw(st.integers(1, 3))):
        op = draw(
            st.sampled_from(["truncate", "flip", "insert", "delete", "duplicate", "swap", "text"])
        )
        if op == "truncate":
            data = data[: draw(st.integers(0, len(data)))]
        elif op == "flip" and data:
            i = draw(st.integers(0, len(data) - 1))
            data[i] = draw(st.integers(0, 255))
        elif op in ("insert", "text"):
            i = draw(st.integers(0, len(data)))
            blob = (
                draw(st.sampled_from(INSERTS))
                if op == "insert"
                else draw(st.text(max_size=12)).encode("utf-8", "surrogatepass")
            )
            data[i:i] = blob
        else:
            lines = bytes(data).split(b"\n")
            if len(lines) < 2:
                continue
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            if op == "delete":
                del lines[i]
            elif op == "duplicate":
                lines.insert(i, lines[i])
            else:
                lines[i], lines[j] = lines[j], lines[i]
            data = bytearray(b"\n".join(lines))
    return bytes(data)


def made_up() -> st.SearchStrategy[bytes]:
    token = st.one_of(
        st.sampled_from(["time", "knee_angle_r", "ground_force_vy", "soleus", "endheader", "nan"]),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.integers(-(10**6), 10**6).map(str),
    )
    line = st.lists(token, max_size=6).map("\t".join)
    table = st.lists(line, max_size=12).map(lambda ls: ("\n".join(ls)).encode())
    return st.one_of(st.binary(max_size=600), table)


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


def _expect_only_file_errors(call, path):
    try:
        return call()
    except OpenSimFileError as e:
        msg = str(e)
        assert path.name in msg
        assert "unexpected" not in msg, msg
        assert "\n" not in msg
        return None


def _run_all_readers(path):
    tab = _expect_only_file_errors(lambda: read_table(path), path)
    if tab is not None:
        assert tab.data.shape == (len(tab.time), len(tab.columns))
        assert np.all(np.diff(tab.time) > 0)
    m = _expect_only_file_errors(lambda: read_motion(path), path)
    if m is not None:
        for v in m.coordinates.values():
            assert v.shape == m.time.shape and np.isfinite(v).all()
    a = _expect_only_file_errors(lambda: read_activations(path), path)
    if a is not None:
        assert a.values.shape == (80, len(a.time))
        assert np.isfinite(a.values).all() and a.values.min() >= 0 and a.values.max() <= 1
    g = _expect_only_file_errors(lambda: read_grf(path), path)
    if g is not None:
        ev = detect_events(g)
        for s in ("r", "l"):
            assert np.all(np.diff(ev.heel_strikes[s]) > 0)
    return m, a, g


GOOD = {}


@pytest.fixture(scope="module")
def good(fuzz_dir):
    """A valid motion and force file to pair with mutated ones in trial_to_cycle."""
    if not GOOD:
        for kind in ("mot", "grf"):
            p = fuzz_dir / f"good_{kind}.mot"
            p.write_bytes(SEEDS[kind])
            GOOD[kind] = p
        GOOD["motion"] = read_motion(GOOD["mot"])
        GOOD["forces"] = read_grf(GOOD["grf"])
    return GOOD


@FUZZ
@given(data=mutated())
def test_mutated_files_give_results_or_file_errors(fuzz_dir, good, data):
    path = fuzz_dir / "mutated.mot"
    path.write_bytes(data)
    m, a, g = _run_all_readers(path)
    if m is not None:
        c = _expect_only_file_errors(lambda: trial_to_cycle(m, a, good["forces"]), path)
        if c is not None:
            assert np.isfinite(c.activations).all()
    if g is not None:
        _expect_only_file_errors(lambda: trial_to_cycle(good["motion"], grf=g), path)


@FUZZ
@given(data=made_up())
def test_made_up_files_give_results_or_file_errors(fuzz_dir, data):
    path = fuzz_dir / "made_up.sto"
    path.write_bytes(data)
    _run_all_readers(path)


def test_every_seed_file_is_valid(fuzz_dir):
    """The mutations start from files the readers accept (else the fuzzing proves little)."""
    readers = {
        "mot": read_motion,
        "gait2392": read_motion,
        "sto": read_motion,
        "activations": read_activations,
        "emg": read_activations,
        "grf": read_grf,
        "plates": read_grf,
    }
    for kind, data in SEEDS.items():
        p = fuzz_dir / f"seed_{kind}.mot"
        p.write_bytes(data)
        readers[kind](p)
