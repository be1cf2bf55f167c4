"""Muscle activity of any trial: inverse dynamics + static optimisation, with a cache.

:func:`estimate_activations` is what the window and the command line call for a motion
without activations: it reads the motion (and the ground reaction forces when there are any),
runs :func:`~anatomy_viewer.gait.inverse_dynamics.prepare_trial`, MuJoCo's inverse dynamics
(:class:`~anatomy_viewer.anatomy.dynamics.LegDynamics`) and static optimisation
(:class:`~anatomy_viewer.gait.static_optimization.StaticOptimizer`) in chunks, reporting
progress and checking for cancellation between chunks, and returns a
:class:`MuscleActivity`: activations, muscle forces (and their passive part), muscle-tendon
lengths, lengthening velocities and powers, joint moments, residuals and reserves, with notes
saying what was used (measured or estimated forces, the filter, the masses).

Results are cached per input: the key is a hash of the files' contents and the options, the
file lives in the user's cache folder (``$XDG_CACHE_HOME/anatomy-viewer/activity`` or
``~/.cache/anatomy-viewer/activity``), never beside the user's files, and is written through
:func:`~anatomy_viewer.safe_output.atomic_output`.

Muscle power is tension times shortening velocity, ``P = F x (-v_MTU)``: positive while the
muscle shortens under tension (it does work on the body), negative while it lengthens under
tension (it absorbs work). MuJoCo's muscles have rigid tendons, so the muscle-tendon unit's
velocity is the fibres' velocity: this is fibre power too.

numpy + the anatomy layer; no Qt, no VTK.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from anatomy_viewer.anatomy.dynamics import JOINT_COORDINATES, RESIDUAL_NAMES, LegDynamics
from anatomy_viewer.gait.filtering import LowPass
from anatomy_viewer.gait.inverse_dynamics import PreparedTrial, prepare_trial
from anatomy_viewer.gait.opensim_forces import GroundForces, read_grf
from anatomy_viewer.gait.opensim_io import Motion, read_motion
from anatomy_viewer.gait.opensim_table import open_regular
from anatomy_viewer.gait.static_optimization import StaticOptimizer
from anatomy_viewer.safe_output import OutputError, atomic_output

#: Frames analysed at a time: bounds memory (moment arms are 80 x 14 per frame) and paces the
#: progress callback and cancellation checks.
CHUNK_FRAMES = 500
#: Bump when the pipeline's results change, so that old cache entries are not used.
PIPELINE_VERSION = 2

Progress = Callable[[float], None]
Cancel = Callable[[], bool]


class Cancelled(Exception):
    """The caller's ``cancel()`` returned True: nothing was cached, nothing was written."""


@dataclass
class StrideSummary:
    """RMS and peak of a quantity per stride (between consecutive right foot strikes)."""

    names: tuple[str, ...]
    rms: np.ndarray  # (n_strides, n_names)
    peak: np.ndarray  # (n_strides, n_names): largest magnitude
    windows: list[tuple[float, float]]


@dataclass
class MuscleActivity:
    """What :func:`estimate_activations` returns. Arrays have one row per analysed frame."""

    time: np.ndarray
    muscle_names: tuple[str, ...]
    joint_names: tuple[str, ...]
    activations: np.ndarray  # (n, muscles) 0..1
    forces: np.ndarray  # (n, muscles) N: tension, active and passive
    passive_forces: np.ndarray  # (n, muscles) N: the passive part of the tension
    lengths: np.ndarray  # (n, muscles) m: muscle-tendon length
    velocities: np.ndarray  # (n, muscles) m/s: muscle-tendon lengthening velocity
    moments: np.ndarray  # (n, joints) N m: inverse dynamics
    residuals: np.ndarray  # (n, 6): FX FY FZ N, MX MY MZ N m (OpenSim ground axes)
    residual_coordinates: np.ndarray  # (n, 6): pelvis_tx/ty/tz force, tilt/list/rotation moment
    reserves: np.ndarray  # (n, joints) N m
    contact: np.ndarray  # (n, 2) bool: right, left foot on the ground
    heel_strikes: dict[str, np.ndarray]
    toe_offs: dict[str, np.ndarray]
    forces_source: str  # "measured" or "estimated"
    model_mass: float
    subject_mass: float | None
    failed_frames: int
    notes: list[str] = field(default_factory=list)

    @property
    def body_weight(self) -> float:
        """The model's weight (N): residuals are compared with it."""
        return self.model_mass * 9.81

    @property
    def active_forces(self) -> np.ndarray:
        """(n, muscles) N: the contractile (active) part of the tension."""
        return np.maximum(self.forces - self.passive_forces, 0.0)

    @property
    def power(self) -> np.ndarray:
        """(n, muscles) W: tension x shortening velocity (positive = generating)."""
        return -self.forces * self.velocities

    def stride_windows(self) -> list[tuple[float, float]]:
        hs = self.heel_strikes.get("r", np.zeros(0))
        t0, t1 = float(self.time[0]), float(self.time[-1])
        return [
            (float(a), float(b))
            for a, b in zip(hs[:-1], hs[1:], strict=True)
            if a >= t0 - 1e-9 and b <= t1 + 1e-9
        ]

    def _summary(self, values: np.ndarray, names: tuple[str, ...]) -> StrideSummary:
        windows = self.stride_windows() or [(float(self.time[0]), float(self.time[-1]))]
        rms, peak = [], []
        for a, b in windows:
            sel = (self.time >= a) & (self.time < b)
            v = values[sel] if sel.any() else values
            rms.append(np.sqrt(np.mean(v**2, axis=0)))
            peak.append(np.abs(v).max(axis=0))
        return StrideSummary(names, np.array(rms), np.array(peak), windows)

    def residual_summary(self) -> StrideSummary:
        """Residual forces (N) and moments (N m) per stride."""
        return self._summary(self.residuals, RESIDUAL_NAMES)

    def residual_percent_body_weight(self) -> tuple[np.ndarray, np.ndarray]:
        """(RMS, peak) of the residual forces FX, FY, FZ in % of body weight, mean over strides."""
        s = self.residual_summary()
        bw = self.body_weight
        return s.rms[:, :3].mean(0) / bw * 100.0, s.peak[:, :3].mean(0) / bw * 100.0

    def reserve_summary(self) -> StrideSummary:
        """Reserve torques (N m) per stride and joint."""
        return self._summary(self.reserves, self.joint_names)

    def summary_lines(self) -> list[str]:
        """One-line texts for the user: forces used, residuals and reserves."""
        rms, peak = self.residual_percent_body_weight()
        s = self.residual_summary()
        reserves = self.reserve_summary()
        worst = int(np.argmax(reserves.rms.mean(0)))
        per = "per stride" if self.stride_windows() else "over the trial"
        return [
            f"ground reaction forces: {self.forces_source}",
            f"residual forces ({per}, RMS / peak, % of body weight): fore-aft "
            f"{rms[0]:.1f} / {peak[0]:.1f}, vertical {rms[1]:.1f} / {peak[1]:.1f}, lateral "
            f"{rms[2]:.1f} / {peak[2]:.1f}",
            "residual moments (RMS, N m): "
            + ", ".join(
                f"{n} {v:.0f}" for n, v in zip(s.names[3:], s.rms[:, 3:].mean(0), strict=True)
            ),
            f"largest reserve torque: {reserves.names[worst]} "
            f"{reserves.rms.mean(0)[worst]:.1f} N m RMS, "
            f"{reserves.peak.mean(0)[worst]:.1f} N m peak",
        ]

    def to_activations(self, source: str | None = None):  # noqa: ANN201 (Activations)
        """The activations as an :class:`~anatomy_viewer.gait.opensim_io.Activations` of kind
        "simulated", for :func:`~anatomy_viewer.gait.opensim_io.trial_to_cycle` to cut and
        show like activations read from a file; ``source`` names them (the provenance)."""
        from anatomy_viewer.gait.opensim_io import Activations

        name = source or "static optimisation (this program)"
        return Activations(
            path=Path(name.replace("/", "-")),
            time=self.time,
            muscle_names=self.muscle_names,
            values=self.activations.T.copy(),
            present=np.ones(len(self.muscle_names), bool),
            kind="simulated",
            notes=list(self.notes),
        )

    def work(self) -> tuple[np.ndarray, np.ndarray]:
        """(positive, negative) work of each muscle (J) per stride, mean over the strides
        (the whole trial when it holds no full stride): the time integrals of the power's
        positive and negative parts."""
        p = self.power
        windows = self.stride_windows() or [(float(self.time[0]), float(self.time[-1]))]
        pos, neg = [], []
        for a, b in windows:
            sel = (self.time >= a) & (self.time <= b)
            t = self.time[sel]
            pos.append(np.trapezoid(np.maximum(p[sel], 0.0), t, axis=0))
            neg.append(np.trapezoid(np.minimum(p[sel], 0.0), t, axis=0))
        return np.mean(pos, axis=0), np.mean(neg, axis=0)


# ------------------------------------------------------------------------------ the pipeline
def _residual_coordinates(residuals: np.ndarray, pelvis: np.ndarray) -> np.ndarray:
    """The residual as generalised forces of OpenSim's pelvis coordinates: the forces along
    pelvis_tx/ty/tz, and the moment about each rotation's axis (tilt about ground z, list about
    the tilted x axis, rotation about the tilted and listed y axis)."""
    tilt, lst = pelvis[:, 0], pelvis[:, 1]
    ct, st, cl, sl = np.cos(tilt), np.sin(tilt), np.cos(lst), np.sin(lst)
    a1 = np.stack([ct, st, np.zeros_like(ct)], 1)  # Rz x
    a2 = np.stack([-st * cl, ct * cl, sl], 1)  # Rz Rx y
    m = residuals[:, 3:]
    out = np.empty_like(residuals)
    out[:, :3] = residuals[:, :3]
    out[:, 3] = m[:, 2]
    out[:, 4] = np.einsum("ij,ij->i", m, a1)
    out[:, 5] = np.einsum("ij,ij->i", m, a2)
    return out


def analyse(
    trial: PreparedTrial,
    dyn: LegDynamics,
    *,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    chunk: int = CHUNK_FRAMES,
    start: float = 0.0,
    span: float = 1.0,
) -> MuscleActivity:
    """Inverse dynamics and static optimisation of a prepared trial, chunk by chunk."""
    n = len(trial)
    nm, nj = dyn.m.nu, len(JOINT_COORDINATES)
    acts = np.empty((n, nm))
    forces = np.empty((n, nm))
    passive = np.empty((n, nm))
    lengths = np.empty((n, nm))
    vels = np.empty((n, nm))
    moments = np.empty((n, nj))
    residuals = np.empty((n, 6))
    reserves = np.empty((n, nj))
    failed = 0
    so = StaticOptimizer(nm, nj)
    kin = trial.kinematics
    free = np.array([j not in trial.locked for j in JOINT_COORDINATES], dtype=float)
    for a in range(0, n, chunk):
        if cancel is not None and cancel():
            raise Cancelled()
        b = min(n, a + chunk)
        sl = slice(a, b)
        part = type(kin)(kin.qpos[sl], kin.qvel[sl], kin.qacc[sl], kin.knee_slopes[sl])
        frames = dyn.compute(part, trial.loads.sliced(sl))
        # a locked joint's moment is carried by the joint: no muscle needs to balance it
        res = so.solve(
            frames.moment_arms * free,
            frames.active_force,
            frames.passive_force,
            frames.moments * free,
        )
        acts[sl] = res.activations
        forces[sl] = res.forces
        passive[sl] = frames.passive_force
        lengths[sl] = frames.lengths
        vels[sl] = frames.velocities
        moments[sl] = frames.moments
        residuals[sl] = frames.residuals
        reserves[sl] = res.reserves
        failed += int(res.failed.sum())
        if progress is not None:
            progress(start + span * b / n)
    notes = list(trial.notes)
    if failed:
        notes.append(f"the optimiser found no solution in {failed} frames: activations 0 there")
    contact = np.stack([trial.contact["r"], trial.contact["l"]], axis=1)
    return MuscleActivity(
        time=trial.time,
        muscle_names=dyn.muscle_names,
        joint_names=JOINT_COORDINATES,
        activations=acts,
        forces=forces,
        passive_forces=passive,
        lengths=lengths,
        velocities=vels,
        moments=moments,
        residuals=residuals,
        residual_coordinates=_residual_coordinates(residuals, trial.pelvis_angles),
        reserves=reserves,
        contact=contact,
        heel_strikes={s: np.asarray(v, float) for s, v in trial.heel_strikes.items()},
        toe_offs={s: np.asarray(v, float) for s, v in trial.toe_offs.items()},
        forces_source=trial.forces,
        model_mass=trial.model_mass,
        subject_mass=trial.subject_mass,
        failed_frames=failed,
        notes=notes,
    )


_PER_THREAD = threading.local()


def shared_dynamics() -> LegDynamics:
    """One LegDynamics per thread (0.6 s to compile), reused by the analyses that thread runs.

    A LegDynamics poses one MjData in place, so two threads must never share one: a job still
    running in a worker thread while the command line or another worker estimates a second
    trial would otherwise write into the other's poses and give both wrong numbers."""
    dyn = getattr(_PER_THREAD, "dynamics", None)
    if dyn is None:
        dyn = _PER_THREAD.dynamics = LegDynamics()
    return dyn


# ------------------------------------------------------------------------------ caching
def cache_folder() -> Path:
    """Where results are cached: the XDG cache folder of the user, never the data's folder."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "anatomy-viewer" / "activity"


def _digest(paths: list[Path], options: dict) -> str:
    h = hashlib.sha256()
    h.update(json.dumps({**options, "version": PIPELINE_VERSION}, sort_keys=True).encode())
    for p in paths:
        h.update(b"\0file\0")
        with open_regular(p) as f:  # a named pipe or device is refused, not waited on
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()[:32]


_ARRAYS = (
    "time",
    "activations",
    "forces",
    "passive_forces",
    "lengths",
    "velocities",
    "moments",
    "residuals",
    "residual_coordinates",
    "reserves",
    "contact",
)


def _save(result: MuscleActivity, path: Path) -> None:
    meta = {
        "muscle_names": list(result.muscle_names),
        "joint_names": list(result.joint_names),
        "heel_strikes": {s: v.tolist() for s, v in result.heel_strikes.items()},
        "toe_offs": {s: v.tolist() for s, v in result.toe_offs.items()},
        "forces_source": result.forces_source,
        "model_mass": result.model_mass,
        "subject_mass": result.subject_mass,
        "failed_frames": result.failed_frames,
        "notes": result.notes,
    }
    buf = io.BytesIO()
    np.savez(
        buf,
        meta=np.array(json.dumps(meta)),
        **{k: getattr(result, k).astype(np.float32 if k != "contact" else bool) for k in _ARRAYS},
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_output(path) as tmp:
        Path(tmp).write_bytes(buf.getvalue())


def _load(path: Path) -> MuscleActivity | None:
    try:
        with np.load(path, allow_pickle=False) as z:
            meta = json.loads(str(z["meta"]))
            arrays = {k: np.asarray(z[k], dtype=bool if k == "contact" else float) for k in _ARRAYS}
    except (OSError, ValueError, KeyError, json.JSONDecodeError):
        return None
    return MuscleActivity(
        muscle_names=tuple(meta["muscle_names"]),
        joint_names=tuple(meta["joint_names"]),
        heel_strikes={s: np.asarray(v, float) for s, v in meta["heel_strikes"].items()},
        toe_offs={s: np.asarray(v, float) for s, v in meta["toe_offs"].items()},
        forces_source=meta["forces_source"],
        model_mass=float(meta["model_mass"]),
        subject_mass=meta["subject_mass"],
        failed_frames=int(meta["failed_frames"]),
        notes=list(meta["notes"]),
        **arrays,
    )


# ------------------------------------------------------------------------------ the API
def estimate_activations(
    motion: str | Path | Motion,
    grf: str | Path | GroundForces | None = None,
    *,
    mass: float | None = None,
    low_pass: LowPass | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    use_cache: bool = True,
) -> MuscleActivity:
    """Activations of the model's 80 muscles over a trial (see the module documentation).

    ``motion``: a motion file or a :class:`Motion`; ``grf``: a ground reaction force file, a
    :class:`GroundForces` or None (forces then estimated from the motion); ``mass``: the
    subject's mass in kg when known. ``progress(fraction)`` is called as the work advances;
    ``cancel()`` returning True stops it with :class:`Cancelled` at the next chunk.

    Raises :class:`~anatomy_viewer.gait.opensim_io.OpenSimFileError` for a file that cannot
    be used (the message names it and the problem), ``ValueError`` for a bad argument.
    """
    low_pass = low_pass or LowPass()
    motion_path = motion.path if isinstance(motion, Motion) else Path(motion)
    grf_path = None if grf is None else (grf.path if isinstance(grf, GroundForces) else Path(grf))
    cache_file = None
    if use_cache and isinstance(motion, (str, Path)) and not isinstance(grf, GroundForces):
        files = [motion_path] + ([grf_path] if grf_path is not None else [])
        try:
            key = _digest(
                files,
                {
                    "mass": mass,
                    "cutoff": low_pass.cutoff_hz,
                    "order": low_pass.order,
                    "filter_forces": low_pass.filter_forces,
                    "grf": grf_path is not None,
                },
            )
            cache_file = cache_folder() / f"{key}.npz"
        except OSError:
            cache_file = None
        if cache_file is not None and cache_file.is_file():
            cached = _load(cache_file)
            if cached is not None:
                if progress is not None:
                    progress(1.0)
                return cached
    if progress is not None:
        progress(0.0)
    m = motion if isinstance(motion, Motion) else read_motion(motion_path)
    g = grf if isinstance(grf, GroundForces) or grf is None else read_grf(grf_path)
    if cancel is not None and cancel():
        raise Cancelled()
    dyn = shared_dynamics()
    trial = prepare_trial(m, g, dyn, mass=mass, low_pass=low_pass)
    if progress is not None:
        progress(0.1)
    result = analyse(trial, dyn, progress=progress, cancel=cancel, start=0.1, span=0.9)
    if cache_file is not None:
        try:
            _save(result, cache_file)
        except (OutputError, OSError):
            result.notes.append("the result could not be cached (the cache folder is not writable)")
    return result
