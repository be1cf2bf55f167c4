"""Fit the compact gait models in ``resources/gaits/`` from published gait data.

Usage::

    python tools/fit_gait_models.py [GAIT_DIR] [--opensim DIR] [--out DIR]

``GAIT_DIR`` holds the gait-cycle tables (one stride resampled to 0..100 %, 0 % = right heel
strike) described in the reference data's README; it defaults to ``../shared/reference/gait``
relative to the repository root. ``--opensim`` is the folder with the original ground reaction
force files (default: the ``opensim`` folder next to ``GAIT_DIR``), used to measure the walking
stance share and to simulate the activations. The output (``walking.toml``, ``running.toml``,
``sprinting.toml`` and ``emg.toml``) is the project's data: the program reads only those files,
never the reference tables.

What a model holds
------------------
* Every right-leg and pelvis coordinate as a truncated Fourier series over the cycle,
  ``x(p) = mean + sum_k cos[k-1] cos(2 pi k p / 100) + sin[k-1] sin(2 pi k p / 100)``, p in
  percent. The number of harmonics is the smallest (at most ``MAX_HARMONICS_COORD``) whose RMS
  error against the reference curve is below ``COORD_TOL_DEG``; the reached error is stored.
  The pelvis is made left-right symmetric: tilt keeps only even harmonics (it repeats every
  step), list and rotation only odd ones (they change sign from one step to the next).
* Every right-leg muscle's activation as a Fourier series too (evaluated and then clipped to
  0..1), fitted to ``ACT_TOL`` RMS and keeping its source's on/off switches at
  ``ACT_ON_LEVEL``, with its provenance and a short source. Every gait's activations come from
  this program's own inverse dynamics and static optimisation of a reference trial with force
  plates (``TRIALS``; see :func:`simulate`): all "simulated", none estimated by time-warping
  or scaling another gait.
* ``emg.toml``: the measured EMG envelopes of the walking and running trials (noise floor
  removed, peak 1) as the same kind of series, with the model muscles each electrode covers,
  to be shown beside the simulated activations.
* Stride time, speed, right toe-off percent and full citations.
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent

#: Kinematics: smallest harmonic count whose RMS error is below this (degrees).
COORD_TOL_DEG = 0.5
MAX_HARMONICS_COORD = 12
#: Activations: RMS tolerance, absolute (activation units) or relative to the curve's peak,
#: whichever is larger; at least MIN_HARMONICS_ACT harmonics keep burst timing.
ACT_TOL = 0.005
ACT_TOL_REL = 0.02
MIN_HARMONICS_ACT = 3
MAX_HARMONICS_ACT = 30
#: ... and the fit must be on (at least ACT_ON_LEVEL) at the same whole percents as its source,
#: except right next to one of the source's own switches: the ripple of a truncated series
#: must not add a burst, a gap or an earlier onset that the source does not have. The level is
#: the viewer's activity threshold (anatomy_viewer.gait.contraction.ACTIVE_THRESHOLD), below
#: which a muscle is drawn inactive.
ACT_ON_LEVEL = 0.02

PELVIS = ("pelvis_tilt", "pelvis_list", "pelvis_rotation")
LEG = ("hip_flexion", "hip_adduction", "hip_rotation", "knee_angle", "ankle_angle")

#: The 40 right-leg muscles of the Rajagopal 2016 model / MyoLeg (names without side).
MUSCLES = (
    "addbrev addlong addmagDist addmagIsch addmagMid addmagProx bflh bfsh edl ehl fdl fhl "
    "gaslat gasmed glmax1 glmax2 glmax3 glmed1 glmed2 glmed3 glmin1 glmin2 glmin3 grac iliacus "
    "perbrev perlong piri psoas recfem sart semimem semiten soleus tfl tibant tibpost vasint "
    "vaslat vasmed"
).split()

CITATIONS = {
    "rajagopal2016": (
        "Rajagopal A, Dembia CL, DeMers MS, Delp DD, Hicks JL, Delp SL (2016). Full-body "
        "musculoskeletal model for muscle-driven simulation of human gait. IEEE Transactions on "
        "Biomedical Engineering 63(10):2068-2079. doi:10.1109/TBME.2016.2586891"
    ),
    "mocotrack": (
        "OpenSim Moco example3DWalking, muscle-driven MocoTrack solution "
        "(example3DWalking_muscle_driven_tracking_solution.sto) in opensim-org/opensim-core, "
        "Apache-2.0; method: Dembia CL, Bianco NA, Falisse A, Hicks JL, Delp SL (2020). OpenSim "
        "Moco: musculoskeletal optimal control. PLoS Computational Biology 16(12):e1008493. "
        "doi:10.1371/journal.pcbi.1008493"
    ),
    "hamner2010": (
        "Hamner SR, Seth A, Delp SL (2010). Muscle contributions to propulsion and support "
        "during running. Journal of Biomechanics 43(14):2709-2716. "
        "doi:10.1016/j.jbiomech.2010.06.025; data: opensim-org/opensim-models Pipelines/Hamner "
        "(subject02 running inverse kinematics, from the SimTK project)"
    ),
    "rajagopal2016_run_emg": (
        "Running EMG of the Rajagopal et al. (2016) subject (treadmill, about 3.7 m/s, 6 right "
        "strides): opensim-org/opensim-models Pipelines/Rajagopal/scripts/emg_run.mat, data "
        "from the SimTK full_body project"
    ),
    "rajagopal2016_walk_emg": (
        "Walking EMG of the Rajagopal et al. (2016) subject, the same overground trial as the "
        "MocoTrack simulation (1.24 m/s, one right stride): opensim-org/opensim-core "
        "OpenSim/Examples/Moco/example3DWalking/electromyography.sto, Apache-2.0 (from "
        "emg_walk_raw.anc of the SimTK full_body project; band-pass 50-500 Hz, rectified, "
        "low-pass 7.5 Hz, each channel scaled to peak 1). Channel-to-muscle mapping of the "
        "gastrocnemius to both heads as in the same repository's exampleMocoInverse"
    ),
    "dorn2012": (
        "Dorn TW, Schache AG, Pandy MG (2012). Muscular strategy shift in human running: "
        "dependence of running speed on hip and ankle muscle performance. Journal of "
        "Experimental Biology 215(11):1944-1956. doi:10.1242/jeb.064527; kinematics of subject "
        "JA1 (trial Gait35, 9.47 m/s) from keenon/nimblephysics data/grf/SprinterWithSpine, "
        "BSD-2-Clause"
    ),
}

#: Running EMG channels -> model muscles that the electrode records.
RUN_EMG = {
    "SOL": ("soleus",),
    "GASLAT": ("gaslat",),
    "GASMED": ("gasmed",),
    "TA": ("tibant",),
    "SM": ("semimem",),
    "BFLH": ("bflh",),
    "VL": ("vaslat",),
    "VM": ("vasmed",),
    "RF": ("recfem",),
    "GMAX": ("glmax1", "glmax2", "glmax3"),
    "GMED": ("glmed1", "glmed2", "glmed3"),
}
#: Walking EMG channels (same trial as the walking simulation) -> model muscles the electrode
#: records. GAS: one electrode for the gastrocnemius, both heads (as opensim-core's
#: exampleMocoInverse maps it). MH: the medial hamstrings, semimembranosus and semitendinosus
#: together. BF: a surface electrode on the biceps femoris lies over the long head (the short
#: head is deep and distal, under it), as the same subject's running EMG names it (BFLH); the
#: short head keeps the simulation.
WALK_EMG = {
    "SOL": ("soleus",),
    "GAS": ("gasmed", "gaslat"),
    "TA": ("tibant",),
    "MH": ("semimem", "semiten"),
    "BF": ("bflh",),
    "VL": ("vaslat",),
    "VM": ("vasmed",),
    "RF": ("recfem",),
    "GMAX": ("glmax1", "glmax2", "glmax3"),
    "GMED": ("glmed1", "glmed2", "glmed3"),
}

# ---------------------------------------------------------------------------------- reading
def read_table(path: Path) -> dict[str, np.ndarray]:
    """A comma-separated table with ``#`` comment lines; columns by name."""
    lines = [ln for ln in path.read_text().splitlines() if ln and not ln.startswith("#")]
    header = lines[0].split(",")
    rows = [[float(x) if x else math.nan for x in ln.split(",")] for ln in lines[1:]]
    data = np.array(rows)
    return {h: data[:, i] for i, h in enumerate(header)}


def read_csv_rows(path: Path) -> list[dict[str, str]]:
    lines = [ln for ln in path.read_text().splitlines() if ln and not ln.startswith("#")]
    header = lines[0].split(",")
    out = []
    for ln in lines[1:]:
        # the last column may be a quoted text containing commas
        parts = ln.split(",", len(header) - 1)
        out.append(dict(zip(header, parts, strict=True)))
    return out


def read_mot(path: Path) -> dict[str, np.ndarray]:
    """An OpenSim .mot/.sto file (tab separated after ``endheader``)."""
    lines = path.read_text().splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.strip() == "endheader") + 1
    header = lines[start].split()
    data = np.loadtxt(lines[start + 1 :])
    return {h: data[:, i] for i, h in enumerate(header)}


def stance_share(time: np.ndarray, force: np.ndarray, threshold: float) -> tuple[float, float]:
    """(stance percent, stride time), averaged over every full stride in a vertical force."""
    on = force > threshold
    edges = np.flatnonzero(np.diff(on.astype(int))) + 1
    strikes = [i for i in edges if on[i]]
    offs = [i for i in edges if not on[i]]
    if len(strikes) < 2:
        raise ValueError("need two heel strikes to measure a stride")
    shares, strides = [], []
    for hs0, hs1 in zip(strikes[:-1], strikes[1:], strict=True):
        to = next((i for i in offs if hs0 < i < hs1), None)
        if to is None:
            continue
        stride = time[hs1] - time[hs0]
        shares.append(100.0 * (time[to] - time[hs0]) / stride)
        strides.append(stride)
    return float(np.mean(shares)), float(np.mean(strides))


# ---------------------------------------------------------------------------------- fitting
@dataclass
class Series:
    """Truncated Fourier series over 0..100 %."""

    mean: float
    cos: list[float]
    sin: list[float]
    rms: float = 0.0
    extra: dict[str, object] = field(default_factory=dict)

    def __call__(self, percent: np.ndarray) -> np.ndarray:
        w = 2.0 * np.pi * np.asarray(percent, float) / 100.0
        y = np.full_like(w, self.mean)
        for k, (a, b) in enumerate(zip(self.cos, self.sin, strict=True), start=1):
            y += a * np.cos(k * w) + b * np.sin(k * w)
        return y


PCT = np.arange(101, dtype=float)


def _spectrum(y: np.ndarray) -> np.ndarray:
    """Complex Fourier coefficients of a 101-sample cycle (row 100 closes the cycle)."""
    y = np.asarray(y, float).copy()
    y[0] = 0.5 * (y[0] + y[100])  # the stride's two ends, averaged: the model is periodic
    return np.fft.rfft(y[:100]) / 100.0


def _series(c: np.ndarray, k: int, keep: str = "all") -> Series:
    cos = [2.0 * c[i].real for i in range(1, k + 1)]
    sin = [-2.0 * c[i].imag for i in range(1, k + 1)]
    for i in range(1, k + 1):
        if (keep == "even" and i % 2) or (keep == "odd" and i % 2 == 0):
            cos[i - 1] = sin[i - 1] = 0.0
    return Series(float(c[0].real), cos, sin)


def fit_coordinate(y: np.ndarray, keep: str = "all") -> Series:
    """Fewest harmonics reaching COORD_TOL_DEG; a symmetrised pelvis curve cannot follow the
    asymmetric part of a recording, so there the count stops where more harmonics gain less
    than 0.05 deg."""
    c = _spectrum(y)
    fits = []
    for k in range(1, MAX_HARMONICS_COORD + 1):
        s = _series(c, k, keep)
        if keep == "odd":
            s.mean = 0.0  # a curve that changes sign every step has no offset
        s.rms = float(np.sqrt(np.mean((s(PCT) - y) ** 2)))
        fits.append(s)
    best = min(f.rms for f in fits)
    return next(f for f in fits if f.rms < max(COORD_TOL_DEG, best + 0.05))


def _switches_kept(y: np.ndarray, fit: np.ndarray) -> bool:
    """Is ``fit`` on (>= ACT_ON_LEVEL) wherever ``y`` is, off wherever it is off, at every
    whole percent except the neighbours of y's own switches?"""
    on_y, on_fit = y >= ACT_ON_LEVEL, fit >= ACT_ON_LEVEL
    steady = (on_y == np.roll(on_y, 1)) & (on_y == np.roll(on_y, -1))
    return bool(np.all(on_y[steady] == on_fit[steady]))


def fit_activation(y: np.ndarray) -> Series:
    """Fewest harmonics (MIN..MAX_HARMONICS_ACT) within the RMS tolerance that keep the
    source's on and off switches (ACT_ON_LEVEL)."""
    y = np.clip(np.asarray(y, float), 0.0, 1.0)
    c = _spectrum(y)
    tol = max(ACT_TOL, ACT_TOL_REL * float(y.max()))
    for k in range(MIN_HARMONICS_ACT, MAX_HARMONICS_ACT + 1):
        s = _series(c, k)
        fit = np.clip(s(PCT), 0, 1)
        s.rms = float(np.sqrt(np.mean((fit - y) ** 2)))
        if s.rms < tol and _switches_kept(y, fit):
            break
    return s


def warp(curve: np.ndarray, toe_off_src: float, toe_off_dst: float) -> np.ndarray:
    """Time-warp a 101-sample cycle so that its stance (0..toe_off_src) fills 0..toe_off_dst
    and its swing fills the rest (piecewise linear in time)."""
    p = PCT
    src = np.where(
        p <= toe_off_dst,
        p * toe_off_src / toe_off_dst,
        toe_off_src + (p - toe_off_dst) * (100.0 - toe_off_src) / (100.0 - toe_off_dst),
    )
    return np.interp(src, PCT, curve)


# ---------------------------------------------------------------------------------- models
@dataclass
class GaitModel:
    name: str
    label: str
    stride_time: float
    speed: float
    toe_off: float
    notes: list[str]
    citations: dict[str, str]
    coordinates: dict[str, Series] = field(default_factory=dict)
    muscles: dict[str, tuple[Series, str, str]] = field(default_factory=dict)


def fit_kinematics(model: GaitModel, table: dict[str, np.ndarray], suffix: str) -> None:
    keep = {"pelvis_tilt": "even", "pelvis_list": "odd", "pelvis_rotation": "odd"}
    for c in PELVIS:
        model.coordinates[c] = fit_coordinate(table[c + suffix], keep[c])
    for c in LEG:
        model.coordinates[c] = fit_coordinate(table[f"{c}_r{suffix}"])


def walking(gait: Path, opensim: Path) -> tuple[GaitModel, dict[str, np.ndarray]]:
    """The MocoTrack simulation's kinematics; activations by static optimisation of the same
    subject's walking trial (inverse kinematics and forces). Returns the model and each
    muscle's source curve (101 samples)."""
    table = read_table(
        gait / "walk_rajagopal_moco_tracking_1.24ms_kinematics_activations_gaitcycle.csv"
    )
    temporal = {r["dataset"]: r for r in read_csv_rows(gait / "temporal_parameters_from_files.csv")}
    row = temporal["walk_rajagopal2016_subject"]
    grf = read_mot(opensim / "grf_walk.mot")
    toe_off, _ = stance_share(grf["time"], grf["ground_force_r_vy"], GRF_THRESHOLD_N)
    toe_off_10, _ = stance_share(grf["time"], grf["ground_force_r_vy"], 10.0)
    curves, summary = simulate(opensim, "walking")
    model = GaitModel(
        name="walking",
        label="Walking",
        stride_time=round(float(row["stride_time_s_mean"]), 3),
        speed=float(row["speed_m_s"]),
        toe_off=round(toe_off, 1),
        notes=[
            "Kinematics: one periodic stride of the MocoTrack muscle-driven tracking "
            "simulation of the Rajagopal et al. (2016) walking subject (overground, 1.24 m/s).",
            f"Stride time {float(row['stride_time_s_mean']):.3f} s between two right heel "
            f"strikes of the subject's ground reaction forces (grf_walk.mot); right toe-off at "
            f"{toe_off:.1f} % = first instant the right vertical force falls below "
            f"{GRF_THRESHOLD_N:.0f} N (the threshold of Hamner et al. 2010). A 10 N threshold "
            f"gives {toe_off_10:.1f} %: the force rises and decays slowly at the heel and toe.",
            so_note(summary),
            "The same trial's EMG (soleus, gastrocnemius, tibialis anterior, medial hamstrings, "
            "biceps femoris, vasti, rectus femoris, gluteus maximus and medius) is kept "
            "separately (emg.toml) to be shown beside the simulated activations.",
            "Left leg = right leg half a cycle later; the pelvis is made left-right symmetric.",
        ],
        citations={
            k: CITATIONS[k] for k in ("rajagopal2016", "mocotrack", "rajagopal2016_walk_emg")
        },
    )
    fit_kinematics(model, table, "_deg")
    source = simulated_provenance("walking")
    for m in MUSCLES:
        model.muscles[m] = (fit_activation(curves[m]), "simulated", source)
    return model, curves


#: Vertical ground reaction force threshold for contact (N), as in Hamner et al. (2010).
GRF_THRESHOLD_N = 30.0


def floor_removed(y: np.ndarray) -> np.ndarray:
    """An EMG envelope with its noise floor (the curve's minimum) removed, rescaled to 0..1.
    Both gaits' EMG is treated this way, so that timing alone carries over from the
    measurement: the amplitude is set separately."""
    y = np.asarray(y, float)
    return (y - y.min()) / (y.max() - y.min())


def running(gait: Path, opensim: Path) -> tuple[GaitModel, dict[str, np.ndarray]]:
    """Hamner et al. (2010) kinematics; activations by static optimisation of the same
    trial (subject 02's inverse kinematics and ground reaction forces)."""
    table = read_table(gait / "run_hamner_subject02_3.9ms_kinematics_gaitcycle.csv")
    temporal = {r["dataset"]: r for r in read_csv_rows(gait / "temporal_parameters_from_files.csv")}
    row = temporal["run_hamner2010_subject02"]
    toe_off = float(row["stance_pct_mean"])  # Hamner GRF, 30 N threshold
    curves, summary = simulate(opensim, "running")
    model = GaitModel(
        name="running",
        label="Running",
        stride_time=round(float(row["stride_time_s_mean"]), 3),
        speed=float(row["speed_m_s"]),
        toe_off=round(toe_off, 1),
        notes=[
            "Kinematics: mean of 13 right strides of Hamner et al. (2010) subject 02, treadmill "
            f"running at 3.9 m/s; stride {float(row['stride_time_s_mean']):.3f} s and right "
            f"toe-off at {toe_off:.1f} % from the ground reaction forces (30 N threshold).",
            so_note(summary),
            "Running EMG of the Rajagopal et al. (2016) subject (11 muscles, about 3.7 m/s) is "
            "kept separately (emg.toml) to be shown beside the simulated activations.",
            "Left leg = right leg half a cycle later; the pelvis is made left-right symmetric.",
        ],
        citations={
            k: CITATIONS[k] for k in ("hamner2010", "rajagopal2016", "rajagopal2016_run_emg")
        },
    )
    fit_kinematics(model, table, "_mean")
    source = simulated_provenance("running")
    for m in MUSCLES:
        model.muscles[m] = (fit_activation(curves[m]), "simulated", source)
    return model, curves


def sprinting(
    gait: Path, opensim: Path, run: GaitModel
) -> tuple[GaitModel, dict[str, np.ndarray]]:
    """Dorn et al. (2012) sagittal kinematics, frontal and transverse angles from the running
    model; activations by static optimisation of the trial (its inverse kinematics and eight
    force plates)."""
    curves, summary = simulate(opensim, "sprinting")
    table = read_table(gait / "sprint_dorn2012_JA1Gait35_9.5ms_kinematics_gaitcycle.csv")
    temporal = {r["dataset"]: r for r in read_csv_rows(gait / "temporal_parameters_from_files.csv")}
    row = temporal["sprint_dorn2012_JA1Gait35"]
    toe_off = float(row["stance_pct_mean"])
    model = GaitModel(
        name="sprinting",
        label="Sprinting",
        stride_time=round(float(row["stride_time_s_mean"]), 3),
        speed=float(row["speed_m_s"]),
        toe_off=round(toe_off, 1),
        notes=[
            "Sagittal kinematics (pelvis tilt, hip flexion, knee, ankle): one right stride of "
            "subject JA1 of Dorn et al. (2012) at 9.47 m/s; stride "
            f"{float(row['stride_time_s_mean']):.3f} s and right toe-off at {toe_off:.1f} % from "
            "the ground reaction forces.",
            "Frontal and transverse angles (pelvis list and rotation, hip adduction and "
            "rotation): the automated inverse kinematics of this trial gives implausible values "
            "(hip rotation near -40 deg, i.e. strongly external, through swing; hip "
            "adduction down to -24 deg), so "
            "they are replaced by the running model's curves time-warped to sprint timing.",
            so_note(summary),
            "The static optimisation uses the trial's own inverse kinematics in all three "
            "planes (the doubtful frontal and transverse angles included) and holds the knee "
            "at the model's 120 deg limit where the sprinter's folds further, so swing-phase "
            "moments at the knee and hip are less certain than in running; the reserve torques "
            "carry what the muscles cannot.",
            "The recorded knee flexes to about 150 deg in swing, beyond the leg model's 120 deg "
            "range; the model clamps it when posing.",
            "Left leg = right leg half a cycle later; the pelvis is made left-right symmetric.",
        ],
        citations={k: CITATIONS[k] for k in ("dorn2012", "hamner2010", "rajagopal2016")},
    )
    keep = {"pelvis_tilt": "even", "pelvis_list": "odd", "pelvis_rotation": "odd"}
    pct_run = run.toe_off
    for c in PELVIS:
        if c == "pelvis_tilt":
            model.coordinates[c] = fit_coordinate(table[c + "_mean"], keep[c])
        else:
            y = warp(run.coordinates[c](PCT), pct_run, toe_off)
            model.coordinates[c] = fit_coordinate(y, keep[c])
    for c in LEG:
        if c in ("hip_adduction", "hip_rotation"):
            y = warp(run.coordinates[c](PCT), pct_run, toe_off)
        else:
            y = table[f"{c}_r_mean"]
        model.coordinates[c] = fit_coordinate(y)
    source = simulated_provenance("sprinting")
    for m in MUSCLES:
        model.muscles[m] = (fit_activation(curves[m]), "simulated", source)
    return model, curves


# ---------------------------------------------------------------------------------- simulation
#: Trials simulated for each built-in gait (motion, ground reaction forces) in ``--opensim``.
TRIALS = {
    "walking": ("coordinates.sto", "grf_walk.mot"),
    "running": ("subject02_running_ik.mot", "subject02_running_grf.mot"),
    "sprinting": ("JA1Gait35_ik.mot", "JA1Gait35_grf.mot"),
}
#: Frames this close to either end of a trial are left out of the cycle average: the
#: zero-lag filter's end effects make their accelerations, and so their moments, unreliable.
EDGE_S = 0.05


def simulate(opensim: Path, gait: str) -> tuple[dict[str, np.ndarray], dict[str, object]]:
    """Static optimisation of a gait's reference trial, averaged over the cycle.

    Every analysed frame of each leg gets its phase in that leg's stride (0 % = its foot
    strike, from the force plates, stride time the median between them); the left leg's
    curves stand for the right leg's (the built-in cycles are symmetric), and all values are
    averaged in 1 % bins around the cycle. Returns each right-leg muscle's 101-sample curve and
    a summary of the analysis (residuals, reserves, notes) for the model's notes."""
    sys.path.insert(0, str(REPO))
    from anatomy_viewer.gait.muscle_activity import estimate_activations

    ik, grf = TRIALS[gait]
    res = estimate_activations(opensim / ik, opensim / grf, use_cache=False)
    t = res.time
    keep = (t >= t[0] + EDGE_S) & (t <= t[-1] - EDGE_S)
    strikes = {s: np.asarray(res.heel_strikes[s]) for s in ("r", "l")}
    stride = float(np.median(np.concatenate([np.diff(v) for v in strikes.values() if len(v) > 1])))
    sums = np.zeros((40, 100))
    counts = np.zeros(100)
    for side in ("r", "l"):
        hs = strikes[side]
        if not len(hs):
            continue
        idx = [res.muscle_names.index(f"{m}_{side}") for m in MUSCLES]
        # phase: from the last foot strike before the frame (or the first one, a stride back)
        k = np.searchsorted(hs, t, side="right") - 1
        ref = np.where(k >= 0, hs[np.clip(k, 0, None)], hs[0] - stride)
        phase = ((t - ref) / stride) % 1.0
        bins = np.minimum((phase * 100).astype(int), 99)
        for b in range(100):
            sel = keep & (bins == b)
            if sel.any():
                sums[:, b] += res.activations[sel][:, idx].sum(axis=0)
                counts[b] += sel.sum()
    have = counts > 0
    mean = np.zeros_like(sums)
    mean[:, have] = sums[:, have] / counts[have]
    centres = np.arange(100) + 0.5
    x = np.concatenate([centres[have] - 100, centres[have], centres[have] + 100])
    curves = {}
    for i, m in enumerate(MUSCLES):
        y = np.tile(mean[i, have], 3)
        curve = np.interp(PCT, x, y)
        curves[m] = np.clip(curve, 0.0, 1.0)
    rms, peak = res.residual_percent_body_weight()
    reserve = res.reserve_summary()
    worst = int(np.argmax(reserve.rms.mean(0)))
    summary = {
        "trial": f"{ik} + {grf}",
        "frames": len(t),
        "strides": len(res.stride_windows()),
        "stride_time": stride,
        "residual_rms_pct_bw": rms,
        "residual_peak_pct_bw": peak,
        "reserve_rms_max": float(reserve.rms.mean(0).max()),
        "reserve_joint": reserve.names[worst],
        "notes": res.notes,
        "empty_bins": int((~have).sum()),
    }
    return curves, summary


def simulated_provenance(gait: str) -> str:
    ik, grf = TRIALS[gait]
    return f"static optimisation of {ik} with {grf} (this program, MyoLeg)"


def so_note(summary: dict[str, object]) -> str:
    rms = summary["residual_rms_pct_bw"]
    return (
        "Activations (all 80 muscles, simulated): this program's inverse dynamics and static "
        "optimisation on MyoLeg (the sum of squared activations minimised at every frame, "
        "MuJoCo's muscle model, reserve torques penalised) of the trial "
        f"{summary['trial']}, {summary['frames']} frames, averaged over the cycle for both legs "
        f"(the left leg's stride shifted to the right's); residual forces {rms[0]:.0f}, "
        f"{rms[1]:.0f} and {rms[2]:.0f} % of body weight (RMS, fore-aft, vertical, lateral); "
        f"largest reserve torque {summary['reserve_rms_max']:.1f} N m RMS "
        f"({summary['reserve_joint']})."
    )


# ---------------------------------------------------------------------------------- writing
def _fmt(x: float) -> str:
    s = f"{x:.4f}".rstrip("0").rstrip(".")
    return "0.0" if s in ("-0", "0") else (s if "." in s else s + ".0")


def _arr(xs: list[float]) -> str:
    return "[" + ", ".join(_fmt(x) for x in xs) + "]"


def _str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _trim(s: Series) -> tuple[list[float], list[float]]:
    """Drop trailing harmonics that are zero (e.g. after symmetrisation)."""
    k = len(s.cos)
    while k > 0 and s.cos[k - 1] == 0.0 and s.sin[k - 1] == 0.0:
        k -= 1
    return s.cos[:k], s.sin[:k]


def to_toml(model: GaitModel) -> str:
    out = [
        f"# Compact model of a {model.name} cycle, written by tools/fit_gait_models.py.",
        "# 0 % = right heel strike. Each curve: x(p) = mean + sum_k cos[k-1]*cos(2*pi*k*p/100)",
        "#                                          + sin[k-1]*sin(2*pi*k*p/100), p in percent.",
        "# Coordinates in degrees (hip flexion +, adduction +, internal rotation +,",
        "# knee flexion +, ankle dorsiflexion +, pelvis_tilt + = posterior);",
        "# leg coordinates are the right leg's.",
        "# Activations are clipped to 0..1 after evaluation. rms = error of the fit against the",
        "# source curve (degrees or activation units).",
        "",
        f"name = {_str(model.name)}",
        f"label = {_str(model.label)}",
        f"stride_time = {_fmt(model.stride_time)}  # s",
        f"speed = {_fmt(model.speed)}  # m/s",
        f"toe_off_percent = {_fmt(model.toe_off)}  # right foot; right stance = 0 .. toe-off",
        "notes = [",
        *[f"  {_str(n)}," for n in model.notes],
        "]",
        "",
        "[citations]",
        *[f"{k} = {_str(v)}" for k, v in model.citations.items()],
        "",
    ]
    for name, s in model.coordinates.items():
        cos, sin = _trim(s)
        out += [
            f"[coordinates.{name}]",
            f"mean = {_fmt(s.mean)}",
            f"cos = {_arr(cos)}",
            f"sin = {_arr(sin)}",
            f"rms = {_fmt(s.rms)}",
            "",
        ]
    for name, (s, kind, source) in model.muscles.items():
        out += [
            f"[muscles.{name}]",
            f"provenance = {_str(kind)}",
            f"source = {_str(source)}",
            f"mean = {_fmt(s.mean)}",
            f"cos = {_arr(s.cos)}",
            f"sin = {_arr(s.sin)}",
            f"rms = {_fmt(s.rms)}",
            "",
        ]
    return "\n".join(out)


# ---------------------------------------------------------------------------------- EMG
def emg_toml(gait: Path, opensim: Path) -> str:
    """The walking and running EMG envelopes as compact models (``emg.toml``)."""
    out = [
        "# Measured EMG envelopes, written by tools/fit_gait_models.py, to be shown beside the",
        "# simulated activations. 0 % = right heel strike of the recorded stride(s). Each curve:",
        "# x(p) = mean + sum_k cos[k-1]*cos(2*pi*k*p/100) + sin[k-1]*sin(2*pi*k*p/100), the",
        "# envelope's minimum (noise floor) removed and its peak scaled to 1: EMG gives the",
        "# timing of a muscle's activity, not its size. rms = fit error. `muscles` are the",
        "# model muscles the electrode covers.",
        "",
    ]
    walk_grf = read_mot(opensim / "grf_walk.mot")
    run_grf = read_mot(opensim / "grf_run.mot")
    sets = [
        (
            "walking",
            "walk_rajagopal2016_emg_envelope_gaitcycle.csv",
            WALK_EMG,
            "rajagopal2016_walk_emg",
            stance_share(walk_grf["time"], walk_grf["ground_force_r_vy"], GRF_THRESHOLD_N)[0],
            "one right stride of the overground walking trial (1.24 m/s)",
            "Rajagopal et al. 2016 subject, the same walking trial",
        ),
        (
            "running",
            "run_rajagopal2016_emg_envelope_gaitcycle.csv",
            RUN_EMG,
            "rajagopal2016_run_emg",
            stance_share(run_grf["time"], run_grf["R_ground_force_vy"], GRF_THRESHOLD_N)[0],
            "mean of 6 right strides of treadmill running (about 3.7 m/s)",
            "Rajagopal et al. 2016 subject, treadmill 3.7 m/s (another runner)",
        ),
    ]
    for gait_name, file, channels, cite, toe_off, what, source in sets:
        table = read_table(gait / file)
        out += [
            f"[{gait_name}]",
            f"what = {_str(what)}",
            f"source = {_str(source)}",
            f"toe_off_percent = {_fmt(round(toe_off, 1))}  # right foot, 30 N threshold",
            f"citation = {_str(CITATIONS[cite])}",
            "",
        ]
        for ch, muscles in channels.items():
            y = floor_removed(table[ch + "_mean"])
            y[0] = y[100] = 0.5 * (y[0] + y[100])
            fit = fit_activation(y)
            out += [
                f"[{gait_name}.channels.{ch}]",
                "muscles = [" + ", ".join(_str(m) for m in muscles) + "]",
                f"mean = {_fmt(fit.mean)}",
                f"cos = {_arr(fit.cos)}",
                f"sin = {_arr(fit.sin)}",
                f"rms = {_fmt(fit.rms)}",
                "",
            ]
    return "\n".join(out)


def report(model: GaitModel) -> str:
    cr = {k: (len(_trim(s)[0]), round(s.rms, 3)) for k, s in model.coordinates.items()}
    ar = [s.rms for s, _, _ in model.muscles.values()]
    ak = [len(s.cos) for s, _, _ in model.muscles.values()]
    return (
        f"{model.name}: stride {model.stride_time} s, toe-off {model.toe_off} %\n"
        f"  coordinates (harmonics, rms deg): {cr}\n"
        f"  activations: harmonics {min(ak)}..{max(ak)}, rms max {max(ar):.4f} "
        f"mean {np.mean(ar):.4f}"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("gait_dir", nargs="?", default=str(REPO.parent / "shared/reference/gait"))
    ap.add_argument("--opensim", default=None, help="folder with the original GRF files")
    ap.add_argument("--out", default=str(REPO / "resources" / "gaits"))
    args = ap.parse_args(argv)
    gait = Path(args.gait_dir)
    opensim = Path(args.opensim) if args.opensim else gait.parent / "opensim"
    if not gait.is_dir():
        print(f"error: no reference gait folder at {gait}", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    walk, _ = walking(gait, opensim)
    run, _ = running(gait, opensim)
    sprint, _ = sprinting(gait, opensim, run)
    for model in (walk, run, sprint):
        (out / f"{model.name}.toml").write_text(to_toml(model))
        print(report(model))
    (out / "emg.toml").write_text(emg_toml(gait, opensim))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
