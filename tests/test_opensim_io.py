"""OpenSim import: each format written here in small files, read back to known values."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from anatomy_viewer.gait import opensim_table
from anatomy_viewer.gait.opensim_io import (
    MODEL_COORDINATES,
    NO_ACTIVATION_DATA,
    OpenSimFileError,
    detect_events,
    model_muscle_names,
    read_activations,
    read_grf,
    read_motion,
    read_table,
    suggest_mapping,
    trial_to_cycle,
)

# A synthetic walk: right heel strikes at 0.2, 1.3, 2.4 s (stride 1.1 s), stance 60 %.
STRIDE = 1.1
HS_R = (0.2, 1.3, 2.4)
HS_L = (-0.35, 0.75, 1.85)
STANCE = 0.66


def _header_v1(n_rows: int, n_cols: int, in_degrees: str = "yes", name: str = "Coordinates"):
    return (
        f"{name}\nversion=1\nnRows={n_rows}\nnColumns={n_cols}\ninDegrees={in_degrees}\n\n"
        "Units are S.I. units (second, meters, Newtons, ...)\n"
        "If the header above contains a line with 'inDegrees', this indicates whether "
        "rotational values are in degrees (yes) or radians (no).\n\nendheader\n"
    )


def _rows(time: np.ndarray, cols: list[np.ndarray], sep: str = "\t", fmt: str = "{:.8f}") -> str:
    data = np.column_stack([time, *cols])
    return "".join(sep.join(fmt.format(v) for v in row) + "\n" for row in data)


def write_mot(path: Path, names, time, cols, in_degrees="yes", name="Coordinates") -> Path:
    text = _header_v1(len(time), len(names) + 1, in_degrees, name)
    text += "\t".join(["time", *names]) + "\n" + _rows(time, cols)
    path.write_text(text)
    return path


def write_sto4(path: Path, names, time, cols, in_degrees: str | None = "no") -> Path:
    head = "" if in_degrees is None else f"inDegrees={in_degrees}\n"
    head += (
        f"nColumns={len(names) + 1}\nnRows={len(time)}\nDataType=double\nversion=3\n"
        "OpenSimVersion=4.5\nendheader\n"
    )
    path.write_text(head + "\t".join(["time", *names]) + "\n" + _rows(time, cols))
    return path


def write_csv(path: Path, names, time, cols) -> Path:
    path.write_text(",".join(["time", *names]) + "\n" + _rows(time, cols, sep=",", fmt="{:.6g}"))
    return path


def hip(t):
    return 20.0 * np.cos(2 * np.pi * (t - HS_R[0]) / STRIDE)


def knee(t):  # flexion positive, 0..60 degrees
    return 30.0 - 30.0 * np.cos(2 * np.pi * (t - HS_R[0]) / STRIDE)


def motion_columns(t, knee_sign=1.0):
    names = ["pelvis_tilt", "pelvis_tx", "pelvis_ty", "hip_flexion_r", "knee_angle_r"]
    names += ["ankle_angle_r", "hip_flexion_l", "knee_angle_l", "lumbar_extension"]
    cols = [
        np.full_like(t, 5.0),
        1.2 * t,
        np.full_like(t, 0.95),
        hip(t),
        knee_sign * knee(t),
        np.full_like(t, -3.0),
        hip(t - STRIDE / 2),
        knee_sign * knee(t - STRIDE / 2),
        np.full_like(t, 2.0),
    ]
    return names, cols


def foot_force(t, strikes, stance=STANCE, peak=800.0, ramp=0.02):
    f = np.zeros_like(t)
    for hs in strikes:
        up = np.clip((t - hs) / ramp, 0, 1)
        down = np.clip((hs + stance - t) / ramp, 0, 1)
        f = np.maximum(f, peak * np.minimum(up, down))
    return f


def write_grf(path: Path, t, right, left, extra: str = "") -> Path:
    names, cols = [], []
    for prefix, f in (("", right), ("1_", left)):
        names += [f"{prefix}ground_force_v{a}" for a in "xyz"]
        names += [f"{prefix}ground_force_p{a}" for a in "xyz"]
        cols += [0 * f, f, 0 * f, 0 * f, 0 * f, 0 * f]
    return write_mot(path, names, t, cols, name="grf" + extra)


@pytest.fixture
def walk(tmp_path):
    t = np.arange(0.0, 3.0 + 1e-9, 0.01)
    names, cols = motion_columns(t)
    mot = write_mot(tmp_path / "walk_ik.mot", names, t, cols)
    tg = np.arange(0.0, 3.0 + 1e-9, 0.001)
    grf = write_grf(tmp_path / "walk_grf.mot", tg, foot_force(tg, HS_R), foot_force(tg, HS_L))
    return mot, grf


# ----------------------------------------------------------------------------- tables
def test_table_reads_version1_header_and_values(tmp_path):
    t = np.array([0.0, 0.01, 0.02])
    p = write_mot(tmp_path / "a.mot", ["x", "y"], t, [t * 2, t * 3], in_degrees="no")
    tab = read_table(p)
    assert tab.columns == ("x", "y")
    assert tab.in_degrees is False
    assert tab.metadata["nRows"] == "3" and tab.name == "Coordinates"
    np.testing.assert_allclose(tab.time, t)
    np.testing.assert_allclose(tab.column("y"), t * 3)
    assert tab.line_of(0) == 12  # 10 header lines, the column names, then the data


def test_table_reads_legacy_header_and_csv(tmp_path):
    p = tmp_path / "legacy.mot"
    p.write_text(
        "name legacy.mot\ndatacolumns 3\ndatarows 2\nrange 0 1\nendheader\n"
        "          time\t   a\t   b\n0\t1\t2\n1\t3\t4\n"
    )
    tab = read_table(p)
    assert tab.in_degrees is None and tab.columns == ("a", "b")
    np.testing.assert_allclose(tab.data, [[1, 2], [3, 4]])
    c = tmp_path / "emg.csv"
    c.write_text("Frame,Time (s),TA\n1,0.0,0.5\n2,0.1,\n")
    tab = read_table(c)
    assert tab.format == "csv" and tab.columns == ("Frame", "TA")
    assert math.isnan(tab.column("TA")[1])  # empty CSV cell: no value
    s = tmp_path / "semi.csv"
    s.write_text("time;soleus\n0,0;0,5\n0,1;0,25\n")  # European CSV: decimal comma
    np.testing.assert_allclose(read_table(s).column("soleus"), [0.5, 0.25])


def test_progress_reports_fractions_and_its_exception_passes_through(walk):
    seen = []
    read_table(walk[1], progress=seen.append)
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)

    def cancel(fraction):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        read_table(walk[1], progress=cancel)


# ----------------------------------------------------------------------------- motions
def test_opensim3_mot_in_degrees_round_trip(walk):
    m = read_motion(walk[0])
    i = 37  # t = 0.37 s
    assert m.time[i] == pytest.approx(0.37)
    assert m.coordinates["hip_flexion_r"][i] == pytest.approx(hip(0.37), abs=1e-6)
    assert m.coordinates["knee_angle_r"][i] == pytest.approx(knee(0.37), abs=1e-6)
    assert m.coordinates["ankle_angle_r"][i] == pytest.approx(-3.0)
    assert m.coordinates["pelvis_tilt"][0] == pytest.approx(5.0)
    assert set(m.coordinates) == set(MODEL_COORDINATES)
    assert "subtalar_angle_r" in m.missing and "pelvis_list" in m.missing
    assert not np.any(m.coordinates["subtalar_angle_r"])  # missing -> neutral 0
    assert m.unknown == ("lumbar_extension",)
    assert set(m.pelvis_translation) == {"pelvis_tx", "pelvis_ty"}  # kept aside, not unknown
    assert m.pelvis_translation["pelvis_ty"][0] == pytest.approx(0.95)
    assert m.sign_flipped == () and m.family == "rajagopal" and m.in_degrees


def test_gait2392_negative_knee_is_flipped_and_reported(tmp_path):
    t = np.arange(0.0, 2.0, 0.01)
    names, cols = motion_columns(t, knee_sign=-1.0)
    p = write_mot(tmp_path / "gait2392_ik.mot", names, t, cols)
    m = read_motion(p)
    assert m.sign_flipped == ("knee_angle_r", "knee_angle_l")
    assert m.family == "gait2392"
    assert any("flipped" in n and "Gait2392" in n for n in m.notes)
    np.testing.assert_allclose(m.coordinates["knee_angle_r"], knee(t), atol=1e-6)
    assert m.coordinates["knee_angle_l"].max() > 55
    kept = read_motion(p, knee_flexion="positive")
    assert kept.sign_flipped == () and kept.coordinates["knee_angle_r"].max() < 1e-6


def test_opensim4_sto_in_radians_with_path_names(tmp_path):
    t = np.linspace(0.0, 1.0, 51)
    names = [
        "/jointset/ground_pelvis/pelvis_tilt/value",
        "/jointset/ground_pelvis/pelvis_ty/value",
        "/jointset/hip_r/hip_flexion_r/value",
        "/jointset/walker_knee_r/knee_angle_r/value",
        "/jointset/walker_knee_r/knee_angle_r/speed",
        "/jointset/back/lumbar_extension/value",
        "/forceset/soleus_r/activation",
    ]
    hip_rad = 0.4 * np.sin(2 * np.pi * t)
    knee_rad = 0.6 + 0.5 * np.sin(2 * np.pi * t)
    cols = [0.1 + 0 * t, 0.93 + 0 * t, hip_rad, knee_rad, np.cos(t), 0 * t, 0.2 + 0 * t]
    for header in ("no", None):  # Moco writes inDegrees=no; without it paths mean radians
        p = write_sto4(tmp_path / f"states_{header}.sto", names, t, cols, in_degrees=header)
        m = read_motion(p)
        assert not m.in_degrees
        np.testing.assert_allclose(m.coordinates["hip_flexion_r"], np.degrees(hip_rad), atol=1e-5)
        np.testing.assert_allclose(m.coordinates["knee_angle_r"], np.degrees(knee_rad), atol=1e-5)
        assert m.coordinates["pelvis_tilt"][0] == pytest.approx(math.degrees(0.1), abs=1e-5)
        assert m.pelvis_translation["pelvis_ty"][0] == pytest.approx(0.93)  # metres, unscaled
        assert m.columns["knee_angle_r"] == "/jointset/walker_knee_r/knee_angle_r/value"
        assert "/jointset/walker_knee_r/knee_angle_r/speed" in m.ignored
        assert "/forceset/soleus_r/activation" in m.ignored
        assert m.unknown == ("/jointset/back/lumbar_extension/value",)


def test_csv_motion_without_units_is_guessed_and_said(tmp_path):
    t = np.arange(0.0, 1.0, 0.01)
    names, cols = motion_columns(t)
    m = read_motion(write_csv(tmp_path / "ik.csv", names, t, cols))
    assert m.in_degrees
    assert any("does not say" in n for n in m.notes)
    assert m.coordinates["hip_flexion_r"][10] == pytest.approx(hip(0.1), abs=1e-3)


# ----------------------------------------------------------------------------- activations
def test_activation_sto_with_forceset_names_maps_to_muscles(tmp_path):
    t = np.linspace(0.0, 1.0, 11)
    names = [
        "/jointset/hip_r/hip_flexion_r/value",
        "/forceset/soleus_r/activation",
        "/forceset/glmax2_l/activation",
        "/forceset/soleus_r",  # the excitation beside it: ignored
        "/forceset/tibant_r",  # an excitation without activation: used
        "/forceset/lumbar_ext",  # a reserve actuator: unknown
    ]
    cols = [0 * t, 0.1 + 0.5 * t, 0.3 + 0 * t, 0.9 + 0 * t, 0.05 + 0 * t, 0.5 + 0 * t]
    p = write_sto4(tmp_path / "solution.sto", names, t, cols)
    a = read_activations(p)
    assert a.kind == "simulated" and a.source == "solution.sto"
    assert set(a.mapped_muscles) == {"soleus_r", "glmax2_l", "tibant_r"}
    assert a.activation("soleus_r")[10] == pytest.approx(0.6)
    assert a.activation("glmax2_l")[3] == pytest.approx(0.3)
    assert a.activation("tibant_r")[0] == pytest.approx(0.05)
    assert not a.activation("vaslat_r").any()
    assert a.unknown == ("/forceset/lumbar_ext",)
    assert "/forceset/soleus_r" in a.ignored
    assert "/jointset/hip_r/hip_flexion_r/value" in a.ignored
    assert a.values.shape == (80, 11)


def test_opensim3_states_file_serves_as_motion_and_activations(tmp_path):
    t = np.linspace(0.0, 1.0, 11)
    names = ["hip_flexion_r", "hip_flexion_r_u", "soleus_r.activation", "soleus_r.fiber_length"]
    cols = [0.3 + 0 * t, 1.0 + 0 * t, 0.25 + 0 * t, 0.05 + 0 * t]
    p = write_mot(tmp_path / "cmc_states.sto", names, t, cols, in_degrees="no", name="states")
    m = read_motion(p)
    assert m.coordinates["hip_flexion_r"][0] == pytest.approx(math.degrees(0.3))
    assert set(m.ignored) == {"hip_flexion_r_u", "soleus_r.activation", "soleus_r.fiber_length"}
    assert m.unknown == ()
    a = read_activations(p)
    assert a.mapped_muscles == ("soleus_r",)
    assert a.activation("soleus_r")[5] == pytest.approx(0.25)
    assert "soleus_r.fiber_length" in a.ignored and a.unknown == ()


def test_plain_muscle_names_get_the_side_asked(tmp_path):
    t = np.linspace(0.0, 1.0, 5)
    p = write_mot(tmp_path / "so_activation.sto", ["vaslat", "glmed1_l"], t, [0.2 + 0 * t, t])
    a = read_activations(p)
    assert set(a.mapped_muscles) == {"vaslat_r", "glmed1_l"}
    assert any("right leg" in n for n in a.notes)
    both = read_activations(p, side="both")
    assert {"vaslat_r", "vaslat_l"} <= set(both.mapped_muscles)


def test_emg_csv_is_normalised_and_mapped_once_confirmed(tmp_path):
    t = np.linspace(0.0, 2.0, 201)
    env = 150.0 * (1 + np.sin(2 * np.pi * t))  # microvolts, not 0..1
    names = ["soleus", "TA", "GMAX", "vas_lat_r", "junk"]
    p = write_csv(tmp_path / "emg.csv", names, t, [env, env / 2, env, env, env])
    a = read_activations(p)
    assert a.kind == "measured"
    assert a.mapped_muscles == ("soleus_r",)  # exact name + side; the rest waits for the user
    assert a.activation("soleus_r").max() == pytest.approx(1.0)
    assert "soleus" in a.normalised and any("normalised" in n for n in a.notes)
    assert set(a.unknown) == {"TA", "GMAX", "vas_lat_r", "junk"}
    assert a.suggestions == {
        "TA": ("tibant_r",),
        "GMAX": ("glmax1_r", "glmax2_r", "glmax3_r"),
        "vas_lat_r": ("vaslat_r",),
    }
    b = read_activations(p, mapping=a.suggestions)
    assert set(b.mapped_muscles) == {
        "soleus_r",
        "tibant_r",
        "glmax1_r",
        "glmax2_r",
        "glmax3_r",
        "vaslat_r",
    }
    assert b.activation("tibant_r").max() == pytest.approx(1.0)  # each column to its own peak
    assert b.unknown == ("junk",)
    with pytest.raises(ValueError, match="not one of the model's muscles"):
        read_activations(p, mapping={"TA": "tibialis_anterior"})


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("GMAX", ("glmax1_r", "glmax2_r", "glmax3_r")),
        ("gluteus_maximus", ("glmax1_r", "glmax2_r", "glmax3_r")),
        ("Gluteus Medius", ("glmed1_r", "glmed2_r", "glmed3_r")),
        ("vas_lat_r", ("vaslat_r",)),
        ("VL", ("vaslat_r",)),
        ("vastus_medius", ("vasmed_r",)),
        ("TA", ("tibant_r",)),
        ("R_TA", ("tibant_r",)),
        ("LTA", ("tibant_l",)),
        ("Left Soleus", ("soleus_l",)),
        ("soleus", ("soleus_r",)),
        ("gastrocnemius", ("gasmed_r", "gaslat_r")),
        ("MG", ("gasmed_r",)),
        ("LG", ("gaslat_r",)),  # lateral gastrocnemius, not "left G"
        ("RF", ("recfem_r",)),  # rectus femoris, not "right F"
        ("medial_hamstrings", ("semimem_r", "semiten_r")),
        ("biceps_femoris", ("bflh_r",)),
        ("EMG_TFL_L", ("tfl_l",)),
        ("peroneus_longus", ("perlong_r",)),
        ("adductor_longus", ("addlong_r",)),
        ("/forceset/vasint_l/activation", ("vasint_l",)),
    ],
)
def test_suggest_mapping_matches_common_labels(label, expected):
    assert suggest_mapping([label]) == {label: expected}


def test_suggest_mapping_leaves_unknown_labels_out():
    assert suggest_mapping(["hip_flexion_r", "junk", "time", "lambda_cid33_p0"]) == {}
    assert suggest_mapping(["TA"], side="both") == {"TA": ("tibant_r", "tibant_l")}


# ----------------------------------------------------------------------------- forces
def test_grf_events_are_found_at_the_right_times(walk):
    g = read_grf(walk[1])
    assert g.plates == {"r": ("ground_force",), "l": ("1_ground_force",)}
    ev = detect_events(g)
    np.testing.assert_allclose(ev.heel_strikes["r"], HS_R, atol=0.002)
    np.testing.assert_allclose(ev.toe_offs["r"], [h + STANCE for h in HS_R[:2]], atol=0.002)
    np.testing.assert_allclose(ev.heel_strikes["l"], HS_L[1:], atol=0.002)
    np.testing.assert_allclose(ev.stride_times("r"), [STRIDE, STRIDE], atol=0.002)
    # the last right contact runs past the end of the file: no toe-off for it
    assert len(ev.toe_offs["r"]) == 2


def test_debounce_ignores_chatter_and_spikes(tmp_path):
    t = np.arange(0.0, 3.0, 0.001)
    f = foot_force(t, HS_R)
    rng = np.random.default_rng(1)
    f += rng.normal(0, 4, len(t))  # noise around 0 and the threshold on every ramp
    f[1000:1004] = 300.0  # a 4 ms spike in swing
    f[500:503] = 0.0  # a 3 ms drop-out in stance
    p = write_grf(tmp_path / "noisy_grf.mot", t, f, foot_force(t, HS_L))
    ev = detect_events(read_grf(p))
    np.testing.assert_allclose(ev.heel_strikes["r"], HS_R, atol=0.004)
    assert len(ev.toe_offs["r"]) == 2


def test_vertical_force_stored_negative_is_flipped(tmp_path):
    t = np.arange(0.0, 3.0, 0.001)
    p = write_grf(tmp_path / "neg_grf.mot", t, -foot_force(t, HS_R), -foot_force(t, HS_L))
    g = read_grf(p)
    assert g.vertical["r"].max() == pytest.approx(800.0)
    assert any("sign was flipped" in n for n in g.notes)


def _plates_file(tmp_path: Path) -> Path:
    """Four of six numbered plates loaded in turn while running along +x (z points right)."""
    t = np.arange(0.0, 1.4, 0.002)
    contacts = {
        2: (0.30, -2.0, 0.25),
        4: (0.53, 0.0, 0.10),
        5: (0.76, 2.0, 0.26),
        6: (0.99, 4.0, 0.12),
    }
    names, cols = [], []
    for plate in range(1, 7):
        f = np.zeros_like(t)
        px = np.zeros_like(t)
        pz = np.zeros_like(t)
        if plate in contacts:
            hs, x, z = contacts[plate]
            f = foot_force(t, [hs], stance=0.12, peak=2000.0, ramp=0.01)
            px[f > 0], pz[f > 0] = x, z
        names += [f"ground_force_{plate}_{c}" for c in ("vx", "vy", "vz", "px", "py", "pz")]
        cols += [0 * t, f, 0 * t, px, 0 * t, pz]
    p = tmp_path / "plates_grf.mot"
    p.write_text(
        f"nColumns={len(names) + 1}\nnRows={len(t)}\nDataType=double\nversion=3\nendheader\n"
        + "\t".join(["time", *names])
        + "\n"
        + _rows(t, cols, fmt="{:.6g}")
    )
    return p


def test_numbered_plates_are_assigned_by_centre_of_pressure(tmp_path):
    p = _plates_file(tmp_path)
    g = read_grf(p)
    assert g.assignment == "centre of pressure"
    assert g.plates == {
        "r": ("ground_force_2", "ground_force_5"),
        "l": ("ground_force_4", "ground_force_6"),
    }
    assert set(g.unused_plates) == {"ground_force_1", "ground_force_3"}
    ev = detect_events(g)
    np.testing.assert_allclose(ev.heel_strikes["r"], [0.30, 0.76], atol=0.002)
    np.testing.assert_allclose(ev.heel_strikes["l"], [0.53, 0.99], atol=0.002)
    given = read_grf(p, plates={"r": [4, 6], "l": ["ground_force_2", "ground_force_5_vy"]})
    assert given.assignment == "given" and given.plates["r"] == ("ground_force_4", "ground_force_6")
    with pytest.raises(OpenSimFileError, match="force plate 9 does not exist"):
        read_grf(p, plates={"r": [9]})


# ----------------------------------------------------------------------------- cycles
def test_trial_is_cut_into_the_first_right_stride(walk, tmp_path):
    t = np.arange(0.0, 3.0 + 1e-9, 0.01)
    emg = write_csv(tmp_path / "emg.csv", ["soleus"], t, [0.5 + 0.5 * np.sin(2 * np.pi * t)])
    notes: list[str] = []
    c = trial_to_cycle(read_motion(walk[0]), read_activations(emg), read_grf(walk[1]), notes=notes)
    assert c.periodic and c.n_samples == 101
    assert c.stride_time == pytest.approx(STRIDE, abs=0.002)
    assert c.muscle_names == model_muscle_names()
    # 0 % is the right heel strike at 0.2 s: hip at its peak; 50 % half a stride later
    assert c.coordinates["hip_flexion_r"][0] == pytest.approx(20.0, abs=0.05)
    assert c.coordinates["hip_flexion_r"][50] == pytest.approx(-20.0, abs=0.05)
    assert c.coordinates["hip_flexion_r"][-1] == pytest.approx(c.coordinates["hip_flexion_r"][0])
    assert c.speed == pytest.approx(1.2, abs=0.01)
    # contacts: right stance 0..60 %, left stance 50 %..10 %
    assert c.contact_r[0] and c.contact_r[59] and not c.contact_r[61]
    assert c.contact_l[0] and c.contact_l[9] and not c.contact_l[11] and c.contact_l[51]
    kinds = {(e.side, e.kind): e.percent for e in c.events}
    assert kinds[("r", "initial_contact")] == 0.0
    assert kinds[("r", "toe_off")] == pytest.approx(60.0, abs=0.3)
    assert kinds[("l", "initial_contact")] == pytest.approx(50.0, abs=0.3)
    assert kinds[("l", "toe_off")] == pytest.approx(10.0, abs=0.3)
    assert c.phase_at("r", 30) == "stance" and c.phase_at("r", 80) == "swing"
    assert c.phase_at("l", 5) == "stance" and c.phase_at("l", 30) == "swing"
    assert not any(p.name == "flight" for p in c.phases)  # walking: never both feet off
    # activations: measured EMG on the right soleus, nothing elsewhere
    assert c.provenance["soleus_r"].kind == "measured"
    assert c.provenance["soleus_r"].source == "emg.csv"
    assert set(c.provenance) == set(c.muscle_names)
    assert {p.kind for m, p in c.provenance.items() if m != "soleus_r"} == {"none"}
    assert c.activation("soleus_r").max() == pytest.approx(1.0, abs=0.02)
    assert not c.activation("soleus_l").any()
    assert any("joined" in n for n in notes)


def test_running_stride_has_flight_phases(tmp_path):
    t = np.arange(0.0, 2.0, 0.005)
    names, cols = motion_columns(HS_R[0] + (t - 0.1) * STRIDE / 0.7)  # a 0.7 s stride
    mot = write_mot(tmp_path / "run_ik.mot", names, t, cols)
    tg = np.arange(0.0, 2.0, 0.001)
    hs_r, hs_l = (0.1, 0.8, 1.5), (0.45, 1.15)
    grf = write_grf(
        tmp_path / "run_grf.mot",
        tg,
        foot_force(tg, hs_r, stance=0.245),
        foot_force(tg, hs_l, stance=0.245),
    )
    c = trial_to_cycle(read_motion(mot), grf=read_grf(grf), n_samples=201)
    assert c.n_samples == 201 and c.stride_time == pytest.approx(0.7, abs=0.002)
    assert c.phase_at("r", 20) == "stance"
    assert c.phase_at("r", 42) == "flight" and c.phase_at("l", 42) == "flight"
    assert c.phase_at("l", 60) == "stance" and c.phase_at("r", 60) == "swing"
    assert c.phase_at("r", 95) == "flight"
    assert not c.contact_r[84] and not c.contact_l[84]  # 42 % on 201 samples
    # each leg is in exactly one phase at every instant (the timeline draws them side by side)
    for side in ("r", "l"):
        for p in np.arange(0.0, 100.0, 0.5):
            assert sum(ph.contains(p) for ph in c.phases if ph.side == side) == 1, (side, p)


def test_a_stride_with_a_step_missing_from_the_forces_is_avoided_or_reported(tmp_path, walk):
    tg = np.arange(0.0, 3.0, 0.001)
    m = read_motion(walk[0])
    # right strike at 1.3 s off the plates: 0.2 -> 2.4 s is two strides
    p = write_grf(tmp_path / "gap_grf.mot", tg, foot_force(tg, (0.2, 2.4)), foot_force(tg, HS_L))
    notes: list[str] = []
    c = trial_to_cycle(m, grf=read_grf(p), notes=notes)
    assert c.stride_time == pytest.approx(2.2, abs=0.002)
    assert any("holds 2 left heel strikes" in n for n in notes)
    # the left strike of the first stride missing: the later, complete stride is taken
    p = write_grf(
        tmp_path / "gap2_grf.mot", tg, foot_force(tg, (0.2, 1.3, 2.4)), foot_force(tg, (1.85,))
    )
    c = trial_to_cycle(m, grf=read_grf(p))
    assert c.stride_time == pytest.approx(STRIDE, abs=0.002)
    assert c.label.endswith("right stride 1.3-2.4 s")


def test_trial_without_forces_plays_in_time(walk):
    notes: list[str] = []
    m = read_motion(walk[0])
    c = trial_to_cycle(m, notes=notes)
    assert not c.periodic
    assert c.stride_time == pytest.approx(m.duration)
    assert c.percent[0] == 0.0 and c.percent[-1] == 100.0
    assert c.n_samples == 301  # 3 s at 100 samples per second
    assert not c.contact_r.any() and not c.contact_l.any()
    assert not c.activations.any()
    assert c.provenance == dict.fromkeys(c.muscle_names, NO_ACTIVATION_DATA)
    assert NO_ACTIVATION_DATA.kind == "none"
    assert c.events == [] and c.phases == []
    assert any("contacts are unknown" in n for n in notes)
    assert any("no activation data" in n for n in notes)
    # plays in time: 50 % is the middle of the trial
    assert c.coordinates["hip_flexion_r"][150] == pytest.approx(hip(1.5), abs=1e-3)


def test_a_ten_minute_trial_loads_in_chunks_and_plays_coarser(tmp_path):
    # 60,000 rows at 100 Hz: read in several chunks; a text error deep inside names its line
    t = np.arange(60_000) / 100.0
    p = tmp_path / "ten_minutes.mot"
    body = _rows(t, [10 * np.sin(t), 30 + 20 * np.sin(t)], fmt="{:.4f}")
    p.write_text("inDegrees=yes\nendheader\ntime\thip_flexion_r\tknee_angle_r\n" + body)
    m = read_motion(p)
    assert len(m.time) == 60_000
    assert m.coordinates["hip_flexion_r"][54_321] == pytest.approx(10 * np.sin(543.21), abs=1e-4)
    notes: list[str] = []
    c = trial_to_cycle(m, notes=notes)
    assert c.n_samples == 2001 and c.stride_time == pytest.approx(599.99)
    assert any("shown with 2001 samples" in n for n in notes)
    lines = p.read_text().split("\n")
    lines[50_003] = "500.0000\t1.0\tx"
    p.write_text("\n".join(lines))
    with pytest.raises(OpenSimFileError, match=r"line 50004: 'x' in column 'knee_angle_r'"):
        read_motion(p)


def test_model_names_agree_with_the_model(leg_model):
    from anatomy_viewer.anatomy import COORDINATES

    assert model_muscle_names() == leg_model.muscle_names
    assert MODEL_COORDINATES == COORDINATES


# ----------------------------------------------------------------------------- bad input
def _good_mot() -> str:
    t = np.arange(0.0, 0.05, 0.01)
    return _header_v1(5, 3) + "time\thip_flexion_r\tknee_angle_r\n" + _rows(t, [t * 10, t * 20])


def _lines_replaced(text: str, line: int, new: str) -> str:
    lines = text.split("\n")
    lines[line - 1] = new
    return "\n".join(lines)


BAD_CASES = {
    # name: (content, reader, expected line, words of the problem)
    "truncated": (_good_mot()[:-12], read_motion, 16, "truncated"),
    "truncated_rows": (
        _good_mot().replace("nRows=5", "nRows=9"),
        read_motion,
        16,
        "nRows=9 but the file has 5 data rows",
    ),
    "no_header": ("0.0\t1.0\t2.0\n0.1\t1.0\t2.0\n", read_motion, 1, "column names"),
    "no_endheader": (_good_mot().replace("endheader\n", ""), read_motion, 2, "endheader"),
    "text_in_numbers": (
        _lines_replaced(_good_mot(), 14, "0.01\tabc\t0.2"),
        read_motion,
        14,
        "'abc' in column 'hip_flexion_r' is not a number",
    ),
    "nan": (
        _lines_replaced(_good_mot(), 15, "0.03\tnan\t0.2"),
        read_motion,
        15,
        "'hip_flexion_r' holds nan",
    ),
    "duplicate_time": (
        _lines_replaced(_good_mot(), 14, "0.01\t0.1\t0.2"),
        read_motion,
        14,
        "repeats the time of line 13",
    ),
    "time_backwards": (
        _lines_replaced(_good_mot(), 15, "0.005\t0.1\t0.2"),
        read_motion,
        15,
        "the time goes backwards",
    ),
    "wrong_row_length": (
        _lines_replaced(_good_mot(), 14, "0.01\t0.1\t0.2\t0.3"),
        read_motion,
        14,
        "4 values",
    ),
    "degrees_marked_radians": (
        _good_mot().replace("inDegrees=yes", "inDegrees=no").replace("0.40000000\n", "65.0\n"),
        read_motion,
        14,
        "knee_angle_r is 65 here, more than 2π in size",
    ),
    "bad_indegrees": (
        _good_mot().replace("inDegrees=yes", "inDegrees=maybe"),
        read_motion,
        5,
        "neither yes nor no",
    ),
    "vec3": ("DataType=Vec3\nversion=3\nendheader\ntime\tm1\n0\t1\n", read_table, 1, "Vec3"),
    "csv_without_time": ("a,b\n1,2\n", read_table, 1, "no time column"),
    "no_rows": (_header_v1(0, 3) + "time\ta\tb\n", read_table, 11, "no data rows"),
    "grf_as_motion": (
        "version=1\nendheader\ntime\tground_force_vy\tknee_angle_r\n0\t700\t0\n0.1\t710\t0\n",
        read_motion,
        3,
        "ground reaction forces",
    ),
    "motion_as_grf": (_good_mot(), read_grf, 11, "no vertical ground force column"),
    "motion_as_activations": (_good_mot(), read_activations, 11, "joint coordinates"),
    "emg_as_motion": ("time,TA,soleus\n0,0.1,0.2\n0.1,0.2,0.3\n", read_motion, 1, "activations"),
    "raw_emg": ("time,soleus\n0,-1.0\n0.1,1.0\n0.2,0.5\n", read_activations, 2, "raw EMG"),
    "forces_as_activations": (
        "version=1\nendheader\ntime\tsoleus_r\n0\t0.5\n0.1\t900\n",
        read_activations,
        5,
        "activations lie within 0..1",
    ),
    "xml": ('<?xml version="1.0"?>\n<OpenSimDocument/>\n', read_table, 1, "XML"),
    "empty": ("", read_table, None, "is empty"),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_input_names_file_line_and_problem(tmp_path, case):
    content, reader, line, words = BAD_CASES[case]
    p = tmp_path / f"{case}.mot"
    p.write_text(content)
    with pytest.raises(OpenSimFileError) as info:
        reader(p)
    err = info.value
    msg = str(err)
    assert msg.startswith(f"{case}.mot")
    assert err.line == line
    if line is not None:
        assert f"line {line}:" in msg
    assert words in msg
    assert "unexpected" not in msg
    assert msg.endswith(".") and "\n" not in msg


def test_binary_missing_and_huge_files_are_refused(tmp_path, monkeypatch):
    png = tmp_path / "picture.mot"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    with pytest.raises(OpenSimFileError, match=r"picture\.mot: .*PNG image"):
        read_motion(png)
    with pytest.raises(OpenSimFileError, match="does not exist"):
        read_table(tmp_path / "nowhere.mot")
    with pytest.raises(OpenSimFileError, match="is a folder"):
        read_table(tmp_path)
    big = tmp_path / "big.mot"
    big.write_text(_good_mot())
    monkeypatch.setattr(opensim_table, "MAX_FILE_BYTES", 100)
    with pytest.raises(OpenSimFileError, match="refused"):
        read_table(big)


def test_error_message_is_one_sentence():
    e = OpenSimFileError("/data/trial.mot", 12, "the time goes backwards")
    assert str(e) == "trial.mot, line 12: the time goes backwards."
    assert str(OpenSimFileError("x.sto", None, "is empty.")) == "x.sto: is empty."


def test_the_readers_load_neither_qt_vtk_nor_mujoco():
    import subprocess
    import sys

    code = (
        "import sys, anatomy_viewer.gait.opensim_io as m; m.model_muscle_names(); "
        "heavy = {'mujoco', 'PySide6', 'vtk', 'vtkmodules', 'pyqtgraph', 'pandas', 'scipy'}; "
        "print(sorted(n for n in sys.modules if n.split('.')[0] in heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
