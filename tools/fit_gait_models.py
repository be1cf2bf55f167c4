"""Fit the compact gait models in ``resources/gaits/`` from published gait data.

Usage::

    python tools/fit_gait_models.py [GAIT_DIR] [--opensim DIR] [--out DIR]

``GAIT_DIR`` holds the gait-cycle tables (one stride resampled to 0..100 %, 0 % = right heel
strike) described in the reference data's README; it defaults to ``../shared/reference/gait``
relative to the repository root. ``--opensim`` is the folder with the original ground reaction
force files (default: the ``opensim`` folder next to ``GAIT_DIR``), used to measure the walking
stance share. The output (``walking.toml``, ``running.toml``, ``sprinting.toml``) is the
project's data: the program reads only those files, never the reference tables.

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
  ``ACT_ON_LEVEL``, with its provenance (measured / simulated / estimated) and a short source.
  Walking: the same trial's EMG envelopes where an electrode covers the muscle (timing from the
  EMG, peak from the simulation), the simulation elsewhere; running: the subject's running EMG
  where measured, otherwise estimated from walking; sprinting: estimated from running.
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
    "kyrolainen2005": (
        "Kyrolainen H, Avela J, Komi PV (2005). Changes in muscle activity with increasing "
        "running speed. Journal of Sports Sciences 23(10):1101-1109. "
        "doi:10.1080/02640410400021575"
    ),
}

#: Running activation amplitudes (an estimate of this project, see running()): a muscle's
#: running peak = RUN_GAIN x its peak in the walking simulation, at most RUN_CAP.
RUN_GAIN = 2.0
RUN_CAP = 0.85
#: Sprinting (estimate, see sprinting()): curve = gain x running curve, saturating at
#: SPRINT_CAP (bursts reaching full activation widen rather than grow).
SPRINT_HIP_GAIN = 2.0  # gluteus maximus, hamstrings, iliopsoas (Dorn et al. 2012)
SPRINT_GAIN = 1.3  # every other muscle
SPRINT_CAP = 1.0
SPRINT_HIP_MUSCLES = (
    "glmax1",
    "glmax2",
    "glmax3",
    "bflh",
    "semimem",
    "semiten",
    "iliacus",
    "psoas",
)

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
#: Unmeasured muscles estimated from measured neighbours that act with them.
RUN_NEIGHBOURS = {
    "vasint": (("VL", "VM"), "mean of the measured vastus lateralis and medialis envelopes"),
    "semiten": (("SM",), "the measured medial hamstring (semimembranosus) envelope"),
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
#: Unmeasured walking muscles that follow measured neighbours (as in running).
WALK_NEIGHBOURS = {
    "vasint": (("VL", "VM"), "mean of the measured vastus lateralis and medialis EMG envelopes"),
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
    """The MocoTrack simulation's kinematics; the same trial's measured EMG timing for the
    muscles it covers (amplitude anchored to the simulation), the simulation elsewhere.
    Returns the model and each muscle's source curve (101 samples)."""
    table = read_table(
        gait / "walk_rajagopal_moco_tracking_1.24ms_kinematics_activations_gaitcycle.csv"
    )
    emg = read_table(gait / "walk_rajagopal2016_emg_envelope_gaitcycle.csv")
    temporal = {r["dataset"]: r for r in read_csv_rows(gait / "temporal_parameters_from_files.csv")}
    row = temporal["walk_rajagopal2016_subject"]
    grf = read_mot(opensim / "grf_walk.mot")
    toe_off, _ = stance_share(grf["time"], grf["ground_force_r_vy"], GRF_THRESHOLD_N)
    toe_off_10, _ = stance_share(grf["time"], grf["ground_force_r_vy"], 10.0)
    measured = [m for ms in WALK_EMG.values() for m in ms]
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
            f"Measured activations ({', '.join(measured)}): the EMG envelopes of the same "
            "walking trial (soleus, gastrocnemius, tibialis anterior, medial hamstrings, biceps "
            "femoris, vastus lateralis and medialis, rectus femoris, gluteus maximus and "
            "medius), on the simulation's cycle (both start at the same right heel strike), "
            "the noise floor (the curve's minimum) removed as for running, the recorded "
            "stride's two ends averaged (the model is periodic). The gastrocnemius "
            "electrode serves both heads, the medial-hamstring electrode semimembranosus and "
            "semitendinosus, the biceps femoris electrode the long head (a surface electrode "
            "lies over it; the short head keeps the simulation); each gluteal electrode serves "
            "its muscle's three model parts.",
            "Amplitude: EMG scaled to peak 1 says nothing about effort, so each measured "
            "muscle's peak is set to its peak in the simulation: timing from the measurement, "
            "size from the simulation, and the running and sprinting amplitudes (anchored to "
            "the same peaks) stay comparable.",
            "Where this subject's EMG departs from clinical on/off tables, the curves keep the "
            "measurement: the gastrocnemius comes on late (above 10 % of its range at about "
            "25 % of the cycle, not about 10 %), and the soleus shows a small burst at heel "
            "strike and a low level through late swing.",
            "Vastus intermedius (no electrode) follows the mean of the measured vastus "
            "lateralis and medialis envelopes, scaled the same way (estimated).",
            "Simulated activations (every other muscle): the MocoTrack simulation's "
            "(model excitation-activation), not EMG.",
            "Left leg = right leg half a cycle later; the pelvis is made left-right symmetric.",
        ],
        citations={
            k: CITATIONS[k] for k in ("rajagopal2016", "mocotrack", "rajagopal2016_walk_emg")
        },
    )
    fit_kinematics(model, table, "_deg")

    def sim_peak(m: str) -> float:
        return float(table[m + "_r"].max())

    def envelope(channel: str) -> np.ndarray:
        # one recorded stride does not close (the medial hamstrings start at 83 % of their
        # range and end at 100 %): its two ends are averaged, as the periodic fit does, before
        # the peak is set, so that the periodic curve reaches the simulation's peak
        y = floor_removed(emg[channel + "_mean"])
        y[0] = y[100] = 0.5 * (y[0] + y[100])
        return y

    curves: dict[str, np.ndarray] = {}
    emg_src = "Rajagopal 2016 walking EMG (same trial), amplitude scaled to the simulation"
    for channel, muscles in WALK_EMG.items():
        for m in muscles:
            curves[m] = _peak_scaled(envelope(channel), sim_peak(m))
            model.muscles[m] = (fit_activation(curves[m]), "measured", emg_src)
    for m, (channels, what) in WALK_NEIGHBOURS.items():
        y = np.mean([envelope(c) for c in channels], axis=0)
        curves[m] = _peak_scaled(y, sim_peak(m))
        model.muscles[m] = (
            fit_activation(curves[m]),
            "estimated",
            f"{what} (walking, same trial), amplitude scaled to the simulation",
        )
    source = "MocoTrack walking simulation of the Rajagopal 2016 subject"
    for m in MUSCLES:
        if m not in curves:
            curves[m] = table[m + "_r"]
            model.muscles[m] = (fit_activation(curves[m]), "simulated", source)
    model.muscles = {m: model.muscles[m] for m in MUSCLES}
    return model, curves


#: Vertical ground reaction force threshold for contact (N), as in Hamner et al. (2010).
GRF_THRESHOLD_N = 30.0


def floor_removed(y: np.ndarray) -> np.ndarray:
    """An EMG envelope with its noise floor (the curve's minimum) removed, rescaled to 0..1.
    Both gaits' EMG is treated this way, so that timing alone carries over from the
    measurement: the amplitude is set separately."""
    y = np.asarray(y, float)
    return (y - y.min()) / (y.max() - y.min())


def _peak_scaled(curve: np.ndarray, peak: float) -> np.ndarray:
    top = float(curve.max())
    return curve * (peak / top) if top > 0 else curve


def running(
    gait: Path, opensim: Path, walk: GaitModel, walk_curves: dict[str, np.ndarray]
) -> tuple[GaitModel, dict[str, np.ndarray]]:
    """Hamner et al. (2010) kinematics; Rajagopal et al. (2016) running EMG where measured,
    the walking model's curves time-warped to running timing elsewhere.

    ``walk_curves`` are the walking model's source curves (the muscles of ``walk``). Each
    peaks at the walking simulation's peak for that muscle (measured ones are scaled to it), so
    the amplitude anchor is the simulation's. The warped estimates take the walking model's
    curve, the best walking curve there is for that muscle. Every muscle warped here lacks
    walking EMG too (the walking EMG covers only muscles that the running EMG covers), so these
    are the simulation's curves; a muscle with walking EMG but no running EMG would get its
    measured walking timing warped, not a simulated timing that the walking model does not
    show."""
    table = read_table(gait / "run_hamner_subject02_3.9ms_kinematics_gaitcycle.csv")
    emg = read_table(gait / "run_rajagopal2016_emg_envelope_gaitcycle.csv")
    temporal = {r["dataset"]: r for r in read_csv_rows(gait / "temporal_parameters_from_files.csv")}
    row = temporal["run_hamner2010_subject02"]
    toe_off = float(row["stance_pct_mean"])  # Hamner GRF, 30 N threshold
    grf = read_mot(opensim / "grf_run.mot")
    emg_toe_off, _ = stance_share(grf["time"], grf["R_ground_force_vy"], GRF_THRESHOLD_N)
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
            "Measured activations: running EMG envelopes of the Rajagopal et al. (2016) subject "
            f"(about 3.7 m/s, toe-off at {emg_toe_off:.1f} % with the same 30 N threshold), "
            "time-warped so that their stance fills this cycle's stance, the noise floor (the "
            "curve's minimum) removed.",
            "Amplitude (an estimate of this project): EMG scaled to peak 1 says nothing about "
            f"effort, so each muscle's running peak is set to {RUN_GAIN:g} x its walking "
            "peak (the walking simulation's peak, which the walking model keeps for measured "
            f"muscles too), at most {RUN_CAP:g}. Rationale: EMG of the leg extensors rises "
            "steadily with running speed and nears maximal voluntary levels only at high "
            "speeds (Kyrolainen et al. 2005), so endurance running sits clearly above walking "
            "but below maximal.",
            "Estimated activations (muscles without running EMG): the walking model's curve "
            "(the walking simulation's for every muscle without walking EMG) time-warped so "
            "that walking stance maps onto running stance and walking swing onto running "
            "swing, scaled like the measured ones; vastus intermedius and "
            "semitendinosus follow their measured neighbours.",
            "Left leg = right leg half a cycle later; the pelvis is made left-right symmetric.",
        ],
        citations={
            k: CITATIONS[k]
            for k in ("hamner2010", "rajagopal2016", "rajagopal2016_run_emg", "kyrolainen2005")
        },
    )
    model.citations["mocotrack"] = CITATIONS["mocotrack"]
    fit_kinematics(model, table, "_mean")

    def envelope(channel: str) -> np.ndarray:
        return warp(floor_removed(emg[channel + "_mean"]), emg_toe_off, toe_off)

    def target(m: str) -> float:
        return min(RUN_CAP, RUN_GAIN * float(walk_curves[m].max()))

    curves: dict[str, np.ndarray] = {}
    emg_src = "Rajagopal 2016 running EMG, amplitude scaled (see notes)"
    for channel, muscles in RUN_EMG.items():
        for m in muscles:
            curves[m] = _peak_scaled(envelope(channel), target(m))
            model.muscles[m] = (fit_activation(curves[m]), "measured", emg_src)
    for m, (channels, what) in RUN_NEIGHBOURS.items():
        y = np.mean([envelope(c) for c in channels], axis=0)
        curves[m] = _peak_scaled(y, target(m))
        model.muscles[m] = (fit_activation(curves[m]), "estimated", f"{what}, scaled")
    for m in MUSCLES:
        if m in curves:
            continue
        curves[m] = _peak_scaled(warp(walk_curves[m], walk.toe_off, toe_off), target(m))
        what = "walking EMG" if walk.muscles[m][1] == "measured" else "walking simulation"
        model.muscles[m] = (
            fit_activation(curves[m]),
            "estimated",
            f"{what} time-warped to running stance and swing, scaled",
        )
    model.muscles = {m: model.muscles[m] for m in MUSCLES}
    return model, curves


def sprinting(
    gait: Path, run: GaitModel, run_curves: dict[str, np.ndarray]
) -> tuple[GaitModel, dict[str, np.ndarray]]:
    """Dorn et al. (2012) sagittal kinematics; frontal and transverse angles and every
    activation estimated from the running model."""
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
            "Activations: no measurements exist. Every curve is the running curve time-warped "
            "to sprint stance and swing (estimated), multiplied by a gain and saturating at "
            f"{SPRINT_CAP:g}: gluteus maximus, hamstrings and iliopsoas x{SPRINT_HIP_GAIN:g}, "
            f"every other muscle x{SPRINT_GAIN:g}. The gains are this project's estimate of "
            "the finding that above about 7 m/s the hip muscles, "
            "which swing the legs faster, take over the increase of speed from the ankle "
            "plantarflexors (Dorn et al. 2012).",
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
    curves = {}
    for m in MUSCLES:
        y = warp(run_curves[m], pct_run, toe_off)
        gain = SPRINT_HIP_GAIN if m in SPRINT_HIP_MUSCLES else SPRINT_GAIN
        curves[m] = np.minimum(gain * y, SPRINT_CAP)  # a muscle saturates at full activation
        source = "running curve time-warped to sprint timing, amplitude after Dorn et al. 2012"
        model.muscles[m] = (fit_activation(curves[m]), "estimated", source)
    return model, curves


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
    walk, walk_curves = walking(gait, opensim)
    run, run_curves = running(gait, opensim, walk, walk_curves)
    sprint, _ = sprinting(gait, run, run_curves)
    for model in (walk, run, sprint):
        (out / f"{model.name}.toml").write_text(to_toml(model))
        print(report(model))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
