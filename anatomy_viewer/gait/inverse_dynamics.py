"""A trial ready for inverse dynamics: smoothed coordinates, their derivatives, and ground loads.

:func:`prepare_trial` turns a :class:`~anatomy_viewer.gait.opensim_io.Motion` (and, when
there are force plates, a :class:`~anatomy_viewer.gait.opensim_forces.GroundForces`) into the
model's states and the ground reaction force under each foot, frame by frame, and says in its
``notes`` everything it assumed:

- coordinates and pelvis translations filtered and differentiated (:class:`LowPass`, by
  default as OpenSim's inverse dynamics does);
- the knee kept within the model's range; the body lifted so that the model's feet stand on
  the ground (the subject's legs are not the model's: a constant height offset);
- measured forces: the plates' whole force, centre of pressure and free moment, filtered like
  the coordinates, resampled to the motion, checked against the feet (forces under the other
  foot are exchanged), and scaled by model mass / subject mass (the model is the 75 kg
  generic subject; the subject's mass is given, or measured as the mean vertical force over
  whole strides divided by g);
- no forces (or forces that never load a foot): foot contacts from the kinematics and forces
  estimated from the motion (:mod:`anatomy_viewer.gait.kinematic_events`), labelled estimated.

numpy + SciPy + the anatomy layer; no Qt, no VTK.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from anatomy_viewer.anatomy.dynamics import (
    JOINT_COORDINATES,
    GroundLoads,
    Kinematics,
    LegDynamics,
)
from anatomy_viewer.anatomy.names import PELVIS_COORDINATES
from anatomy_viewer.gait.filtering import LowPass, smooth_and_differentiate
from anatomy_viewer.gait.ground_loads import FootWrenches, read_foot_wrenches
from anatomy_viewer.gait.kinematic_events import (
    KinematicContacts,
    detect_contacts,
    double_support_shares,
    ground_level,
    stance_progress,
)
from anatomy_viewer.gait.opensim_forces import GroundForces, detect_events
from anatomy_viewer.gait.opensim_io import Motion
from anatomy_viewer.gait.opensim_names import coordinate_key, describe_other_coordinates
from anatomy_viewer.gait.opensim_table import OpenSimFileError, read_table

#: Coordinates whose sign and size are checked: a value this far beyond the model's range of
#: motion (degrees) is not a human joint angle.
ABSURD_MARGIN_DEG = 60.0
#: Vertical force (N) above which a foot counts as loaded (as the force-plate events use).
CONTACT_THRESHOLD_N = 20.0

ForcesKind = Literal["measured", "estimated"]


@dataclass
class PreparedTrial:
    """States and ground loads of every analysed frame (see :func:`prepare_trial`)."""

    time: np.ndarray
    kinematics: Kinematics
    loads: GroundLoads  # OpenSim ground frame; force applied at ``point`` with ``moment``
    contact: dict[str, np.ndarray]
    heel_strikes: dict[str, np.ndarray]
    toe_offs: dict[str, np.ndarray]
    forces: ForcesKind
    model_mass: float
    subject_mass: float | None
    force_scale: float
    pelvis_angles: np.ndarray  # (n, 3) rad: tilt, list, rotation (for OpenSim residual names)
    locked: tuple[str, ...] = ()  # joint coordinates the motion holds still (see locked_joints)
    notes: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.time)


def _check_motion(motion: Motion, dyn: LegDynamics) -> None:
    m = dyn.m
    for name, values in motion.coordinates.items():
        v = np.asarray(values, float)
        bad = np.flatnonzero(~np.isfinite(v))
        if len(bad):
            raise OpenSimFileError(
                motion.path,
                None,
                f"{name} is not a number at {motion.time[bad[0]]:.4g} s: fill or cut the gap "
                "before estimating muscle activity",
            )
        if name in PELVIS_COORDINATES:
            lo, hi = -90.0, 90.0
        else:
            j = m.joint(name).id
            lo, hi = np.rad2deg(m.jnt_range[j])
        i = int(np.argmax(np.maximum(v - hi, lo - v)))
        excess = max(v[i] - hi, lo - v[i])
        if excess > ABSURD_MARGIN_DEG:
            raise OpenSimFileError(
                motion.path,
                None,
                f"{name} reaches {v[i]:.4g}° at {motion.time[i]:.4g} s, far outside a human "
                f"joint's range ({lo:.0f}..{hi:.0f}° in the model): wrong column, units or sign?",
            )
    for name, values in motion.pelvis_translation.items():
        if not np.all(np.isfinite(values)):
            raise OpenSimFileError(motion.path, None, f"{name} holds values that are not numbers")
    if len(motion.time) < 5:
        raise OpenSimFileError(motion.path, None, "fewer than 5 frames: too short to analyse")


#: Column names of the back's coordinates in the models met (Rajagopal, Gait2392, Hamner: lumbar_*;
#: some full-body models call the axial rotation a twist).
_BACK_ALIASES = {
    "lumbar_extension": "lumbar_extension",
    "lumbar_bending": "lumbar_bending",
    "lumbar_rotation": "lumbar_rotation",
    "lumbar_twist": "lumbar_rotation",
}


def back_coordinates(motion: Motion, notes: list[str] | None = None) -> dict[str, np.ndarray]:
    """The trunk's angles relative to the pelvis (degrees) when the motion file has them.

    The motion reader keeps only the legs' and pelvis's coordinates; the back's columns are in
    its ``unknown`` list and are read here from the same file, in the same units."""
    wanted = {}
    for col in motion.unknown:
        kind, name = coordinate_key(col)
        if kind in ("value", "plain") and name in _BACK_ALIASES:
            wanted.setdefault(_BACK_ALIASES[name], col)
    if not wanted:
        if notes is not None:
            notes.append("no back (lumbar) angles in the motion: the trunk moves with the pelvis")
        return {}
    try:
        table = read_table(motion.path)
    except (OSError, OpenSimFileError):
        return {}
    if table.n_rows != len(motion.time):
        return {}
    scale = 1.0 if motion.in_degrees else 180.0 / np.pi
    out = {}
    for k, col in wanted.items():
        v = table.column(col) * scale
        if np.all(np.isfinite(v)) and np.abs(v).max() < 90.0:
            out[k] = v
    if notes is not None and out:
        notes.append(
            "the trunk follows the motion's back angles (" + ", ".join(wanted.values()) + ")"
        )
    return out


#: A leg coordinate that moves less than this over the trial (degrees) is taken as locked.
LOCKED_RANGE_DEG = 0.5


def locked_joints(motion: Motion) -> tuple[str, ...]:
    """Leg coordinates the motion does not move: missing from the file or (nearly) constant.

    Models used for gait often lock the subtalar and toe joints (Rajagopal et al. 2016 did in
    their simulations; Gait2392 models lock the toes): the joint, not the muscles, then holds
    whatever moment the forces put on it, and static optimisation leaves it out."""
    out = []
    for name in JOINT_COORDINATES:
        v = motion.coordinates.get(name)
        if name in motion.missing or v is None or float(np.ptp(v)) < LOCKED_RANGE_DEG:
            out.append(name)
    return tuple(out)


def _translation(motion: Motion) -> np.ndarray:
    n = len(motion.time)
    out = np.zeros((n, 3))
    for j, k in enumerate(("pelvis_tx", "pelvis_ty", "pelvis_tz")):
        if k in motion.pelvis_translation:
            out[:, j] = motion.pelvis_translation[k]
    return out


def _states(
    motion: Motion, sl: slice, dyn: LegDynamics, low_pass: LowPass, notes: list[str]
) -> tuple[Kinematics, np.ndarray]:
    time = motion.time[sl]
    source = dict(motion.coordinates)
    back = back_coordinates(motion, notes)
    source.update(back)
    names = list(source)
    coords = np.stack([np.asarray(source[k], float)[sl] for k in names], axis=1)
    m = dyn.m
    for side in ("r", "l"):
        k = names.index(f"knee_angle_{side}")
        lo, hi = np.rad2deg(m.jnt_range[m.joint(f"knee_angle_{side}").id])
        over = float(np.max(np.maximum(coords[:, k] - hi, lo - coords[:, k])))
        if over > 1.0:
            notes.append(
                f"knee_angle_{side} goes {over:.0f}° beyond the model's {lo:.0f}..{hi:.0f}° "
                "range: held at the limit"
            )
        coords[:, k] = np.clip(coords[:, k], lo, hi)
    tr = _translation(motion)[sl]
    both = np.concatenate([coords, tr], axis=1)
    pos, vel, acc = smooth_and_differentiate(time, both, low_pass, notes)
    nc = len(names)
    kin = dyn.kinematics(
        {k: pos[:, i] for i, k in enumerate(names)},
        {k: vel[:, i] for i, k in enumerate(names)},
        {k: acc[:, i] for i, k in enumerate(names)},
        pos[:, nc:],
        vel[:, nc:],
        acc[:, nc:],
    )
    pelvis = np.deg2rad(np.stack([pos[:, names.index(k)] for k in PELVIS_COORDINATES], 1))
    return kin, pelvis


def _subject_mass(
    wrenches: FootWrenches, strikes: np.ndarray, gravity: float
) -> tuple[float | None, str]:
    """Mean vertical force over whole strides / g, or None with the reason."""
    t = wrenches.time
    if len(strikes) < 2:
        return None, "fewer than two strikes of one foot in the forces"
    a, b = float(strikes[0]), float(strikes[-1])
    sel = (t >= a) & (t < b)
    if sel.sum() < 10:
        return None, "too few force samples between the foot strikes"
    fy = wrenches.force["r"][sel, 1] + wrenches.force["l"][sel, 1]
    return float(np.mean(fy)) / gravity, f"{len(strikes) - 1} whole strides"


def _foot_distance(cop: np.ndarray, heel: np.ndarray, toe: np.ndarray, loaded: np.ndarray) -> float:
    """Median horizontal distance (m) of the centre of pressure from the heel-toe segment."""
    if not loaded.any():
        return np.nan
    p = cop[loaded][:, [0, 2]]
    a = heel[loaded][:, [0, 2]]
    b = toe[loaded][:, [0, 2]]
    ab = b - a
    u = np.clip(
        np.einsum("ij,ij->i", p - a, ab) / np.maximum(np.einsum("ij,ij->i", ab, ab), 1e-9), 0, 1
    )
    closest = a + u[:, None] * ab
    return float(np.median(np.linalg.norm(p - closest, axis=1)))


def _kinematic_contacts(
    dyn: LegDynamics, kin: Kinematics, time: np.ndarray, soles: np.ndarray
) -> tuple[KinematicContacts, np.ndarray]:
    """Foot contacts from the motion (see :func:`detect_contacts`) and the feet's heel and toe
    points (n, 4, 3: right heel, right toe, left heel, left toe), ground frame."""
    pts = dyn.body_points(kin.qpos, ["calcn_r", "toes_r", "calcn_l", "toes_l", "pelvis"])
    feet = pts[:, :4]
    sole_xz = np.stack([(feet[:, 0] + feet[:, 1]) / 2, (feet[:, 2] + feet[:, 3]) / 2], 1)
    vel = np.gradient(sole_xz[:, :, [0, 2]], time, axis=0)  # (n, 2, 2) horizontal
    # the ground's own speed: 0 overground, the belt's on a treadmill; the lower foot is on
    # the ground in most frames, so the median of its velocity is the ground's
    lower = np.argmin(soles, axis=1)
    ground_vel = np.median(vel[np.arange(len(time)), lower], axis=0)
    speed = np.linalg.norm(vel - ground_vel, axis=2)
    pelvis = pts[:, 4]
    travel = pelvis[-1] - pelvis[0]
    travel[1] = 0.0
    dist = float(np.linalg.norm(travel))
    if dist > 0.3 * (time[-1] - time[0]):
        forward = travel / dist
    else:
        forward = np.array([1.0, 0.0, 0.0])  # a treadmill: OpenSim's +x is forward
    kc = detect_contacts(time, feet[:, [0, 2]], feet[:, [1, 3]], pelvis, forward, soles, speed)
    return kc, feet


def _mass_from_momentum(
    dyn: LegDynamics,
    kin: Kinematics,
    time: np.ndarray,
    vertical: np.ndarray,
    kc: KinematicContacts,
) -> tuple[float | None, str]:
    """The subject's mass from Newton's second law in single support on a plate: m = sum of
    the vertical force / sum of (g + the centre of mass's vertical acceleration), over the
    frames where the motion has exactly one foot down and the forces load one foot alone.
    ``vertical`` (n, 2) is each foot's recorded vertical force at the motion's frames, filtered
    like the coordinates. Unlike a mean over strides, this stays right when a foot steps off
    the plates (overground trials with few plates)."""
    com = dyn.centre_of_mass(kin.qpos)[:, 1]
    acc = np.gradient(np.gradient(com, time), time)
    loaded = vertical > CONTACT_THRESHOLD_N
    down = np.stack([kc.contact["r"], kc.contact["l"]], axis=1)
    # one foot down and one foot loaded (which foot the plates call it is checked later)
    single = (down.sum(1) == 1) & (loaded.sum(1) == 1)
    inner = np.zeros(len(time), bool)
    inner[len(time) // 20 : len(time) - len(time) // 20] = True  # away from filter ends
    sel = single & inner
    if sel.sum() < max(10, 0.1 * len(time)):
        return None, "too few frames of single support on a plate"
    mass = float(vertical[sel].sum() / (dyn.gravity + acc[sel]).sum())
    return mass, f"{int(sel.sum())} frames of single support on a plate"


def _stand_on_ground(
    dyn: LegDynamics, kin: Kinematics, time: np.ndarray, soles: np.ndarray
) -> tuple[float, KinematicContacts, np.ndarray]:
    """Without forces: lift or lower the body (``kin`` in place) so that the feet stand on the
    ground, then find the foot contacts from the motion. (height change m, contacts, feet)."""
    dz = -ground_level(soles)
    kin.qpos[:, 2] += dz
    kc, feet = _kinematic_contacts(dyn, kin, time, soles + dz)
    return dz, kc, feet


def kinematic_contacts(
    motion: Motion, dyn: LegDynamics, *, low_pass: LowPass | None = None
) -> KinematicContacts:
    """Foot strikes, toe-offs and contacts of a motion without ground forces, found from the
    posed model's feet exactly as :func:`prepare_trial` finds them (so a trial shows the same
    foot events whether or not its muscle activity is estimated).

    Raises :class:`OpenSimFileError` for a motion :func:`prepare_trial` refuses too."""
    _check_motion(motion, dyn)
    time = np.asarray(motion.time, float)
    kin, _ = _states(motion, slice(0, len(time)), dyn, low_pass or LowPass(), [])
    _, kc, _ = _stand_on_ground(dyn, kin, time, dyn.lowest_sole_points(kin.qpos))
    return kc


def prepare_trial(
    motion: Motion,
    grf: GroundForces | None,
    dyn: LegDynamics,
    *,
    mass: float | None = None,
    low_pass: LowPass | None = None,
) -> PreparedTrial:
    """States and ground loads for inverse dynamics (see the module documentation).

    Raises :class:`OpenSimFileError` (naming the file) for a motion with values that are not
    numbers or joint angles far outside a human range, and for forces that do not overlap the
    motion in time; ``ValueError`` for a mass that is not a positive number.
    """
    low_pass = low_pass or LowPass()
    if mass is not None and not (np.isfinite(mass) and 10.0 <= mass <= 400.0):
        raise ValueError(f"the subject's mass must be 10..400 kg, not {mass}")
    _check_motion(motion, dyn)
    notes: list[str] = [low_pass.describe()]
    unused = [c for c in motion.unknown if coordinate_key(c)[1] not in _BACK_ALIASES]
    notes.extend(describe_other_coordinates(unused))  # worded as the motion's own notes
    t_all = np.asarray(motion.time, float)
    sl = slice(0, len(t_all))
    wrenches: FootWrenches | None = None
    events = None
    if grf is not None:
        events = detect_events(grf, CONTACT_THRESHOLD_N)
        if not any(len(iv) for iv in events.intervals.values()):
            notes.append(
                f"{grf.path.name}: no foot is ever loaded above {CONTACT_THRESHOLD_N:.0f} N: "
                "the forces were not used; contacts and forces estimated from the motion"
            )
            grf = None
        else:
            t0, t1 = float(grf.time[0]), float(grf.time[-1])
            inside = np.flatnonzero((t_all >= t0 - 1e-9) & (t_all <= t1 + 1e-9))
            if len(inside) < 5:
                raise OpenSimFileError(
                    grf.path,
                    None,
                    f"the forces ({t0:.4g}-{t1:.4g} s) and the motion ({t_all[0]:.4g}-"
                    f"{t_all[-1]:.4g} s) do not overlap in time",
                )
            if len(inside) < len(t_all):
                sl = slice(int(inside[0]), int(inside[-1]) + 1)
                notes.append(
                    f"the forces cover {t0:.4g}-{t1:.4g} s of the {t_all[0]:.4g}-"
                    f"{t_all[-1]:.4g} s motion: only that part is analysed"
                )
            wrenches = read_foot_wrenches(grf)
            notes.extend(wrenches.notes)
    time = t_all[sl]
    kin, pelvis = _states(motion, sl, dyn, low_pass, notes)
    soles = dyn.lowest_sole_points(kin.qpos)
    n = len(time)
    model_mass = dyn.mass
    subject_mass = mass
    scale = 1.0
    if wrenches is not None and grf is not None and events is not None:
        contact = {s: events.in_contact(s, time) for s in ("r", "l")}
        # stand the model's feet on the ground: the loaded foot's sole at y = 0 on average
        lows = np.where(contact["r"], soles[:, 0], np.where(contact["l"], soles[:, 1], np.nan))
        loaded = np.isfinite(lows)
        dz = -float(np.median(lows[loaded])) if loaded.any() else -ground_level(soles)
        if subject_mass is None:
            gt = wrenches.time
            rate = (len(gt) - 1) / (gt[-1] - gt[0])
            fy = np.stack([wrenches.force[s][:, 1] for s in ("r", "l")], axis=1)
            fy = LowPass(low_pass.cutoff_hz, low_pass.order).apply(fy, rate)
            fy = np.stack([np.interp(time, gt, fy[:, j]) for j in range(2)], axis=1)
            kc, _ = _kinematic_contacts(dyn, kin, time, soles)
            subject_mass, how = _mass_from_momentum(dyn, kin, time, fy, kc)
            if subject_mass is None:
                strikes = max(events.heel_strikes.values(), key=len)  # either foot's strides
                subject_mass, how = _subject_mass(wrenches, strikes, dyn.gravity)
                how = f"the mean vertical force over {how}"
            if subject_mass is not None and 25.0 <= subject_mass <= 250.0:
                notes.append(f"subject's mass {subject_mass:.1f} kg, measured from {how}")
            else:
                subject_mass = None
                notes.append(
                    f"the subject's mass is unknown ({how}): the forces are applied as recorded "
                    f"to the {model_mass:.0f} kg model"
                )
        if subject_mass is not None:
            scale = model_mass / subject_mass
            notes.append(
                f"forces scaled by the model's mass / the subject's ({model_mass:.1f} / "
                f"{subject_mass:.1f} kg = {scale:.3f})"
            )
        # filter at the forces' own rate, then resample to the motion
        force = {}
        moment = {}
        gt = wrenches.time
        rate = (len(gt) - 1) / (gt[-1] - gt[0])
        for s in ("r", "l"):
            both = np.concatenate([wrenches.force[s], wrenches.moment[s]], axis=1)
            if low_pass.filter_forces:
                both = LowPass(low_pass.cutoff_hz, low_pass.order).apply(both, rate)
            res = np.stack([np.interp(time, gt, both[:, j]) for j in range(6)], axis=1)
            force[s] = res[:, :3] * scale
            moment[s] = res[:, 3:] * scale
        if abs(rate - motion.rate) > 0.01 * motion.rate:
            notes.append(
                f"forces recorded at {rate:.4g} Hz, resampled to the motion's {motion.rate:.4g} Hz"
            )
        loads = GroundLoads(force, {s: np.zeros((n, 3)) for s in ("r", "l")}, moment)
        kin.qpos[:, 2] += dz
        # which foot stands where: exchange the feet if the forces act under the other one
        feet = dyn.body_points(kin.qpos, ["calcn_r", "toes_r", "calcn_l", "toes_l"])
        fw = FootWrenches(time, force, moment)
        dist = {}
        for s, k in (("r", 0), ("l", 2)):
            cop = fw.centre_of_pressure(s)
            ok = np.isfinite(cop[:, 0])
            own = _foot_distance(cop, feet[:, k], feet[:, k + 1], ok)
            other = _foot_distance(cop, feet[:, 2 - k], feet[:, 3 - k], ok)
            dist[s] = (own, other)
        wrong = [s for s, (own, other) in dist.items() if np.isfinite(own) and other < own - 0.05]
        if len(wrong) == 2 or (
            len(wrong) == 1 and not np.isfinite(dist["l" if wrong[0] == "r" else "r"][0])
        ):
            loads = GroundLoads(
                {"r": loads.force["l"], "l": loads.force["r"]},
                loads.point,
                {"r": loads.moment["l"], "l": loads.moment["r"]},
            )
            contact = {"r": contact["l"], "l": contact["r"]}
            hs = {"r": events.heel_strikes["l"], "l": events.heel_strikes["r"]}
            to = {"r": events.toe_offs["l"], "l": events.toe_offs["r"]}
            notes.append(
                "the forces of the two feet were exchanged: the recorded right foot's centre "
                "of pressure lies under the model's left foot and vice versa"
            )
        else:
            hs, to = events.heel_strikes, events.toe_offs
        far = [s for s, (own, other) in dist.items() if np.isfinite(own) and min(own, other) > 0.25]
        if far:
            notes.append(
                "the centre of pressure lies more than 25 cm from the "
                + " and ".join({"r": "right", "l": "left"}[s] for s in far)
                + " foot: are the motion and the forces in the same laboratory frame?"
            )
        kind: ForcesKind = "measured"
        notes.append("ground reaction forces: measured (" + grf.path.name + ")")
    else:
        dz, kc, feet = _stand_on_ground(dyn, kin, time, soles)
        contact, hs, to = kc.contact, kc.heel_strikes, kc.toe_offs
        loads = estimate_ground_loads(dyn, kin, time, contact, feet)
        kind = "estimated"
        if subject_mass is not None:
            notes.append(
                f"subject's mass {subject_mass:.1f} kg given; with estimated forces the model's "
                f"{model_mass:.1f} kg is used throughout"
            )
        notes.append(
            "ground reaction forces: estimated from the motion (whole-body momentum, shared "
            "between the feet through double support after Ren et al. 2008); foot contacts: "
            + kc.method
        )
        if not any(c.any() for c in contact.values()):
            notes.append("neither foot ever touches the ground in this motion: no ground force")
    locked = locked_joints(motion)
    if locked:
        notes.append(
            "joints the motion holds still (locked), whose moments the joint carries, not the "
            "muscles: " + ", ".join(locked)
        )
    notes.append(
        f"the model's feet were set on the ground: the body lowered by {-dz:.3f} m"
        if dz < 0
        else f"the model's feet were set on the ground: the body raised by {dz:.3f} m"
    )
    return PreparedTrial(
        time=time,
        kinematics=kin,
        loads=loads,
        contact=contact,
        heel_strikes=hs,
        toe_offs=to,
        forces=kind,
        model_mass=model_mass,
        subject_mass=subject_mass,
        force_scale=scale,
        pelvis_angles=pelvis,
        locked=locked,
        notes=notes,
    )


def estimate_ground_loads(
    dyn: LegDynamics,
    kin: Kinematics,
    time: np.ndarray,
    contact: dict[str, np.ndarray],
    feet: np.ndarray,
) -> GroundLoads:
    """Ground loads from the motion alone (see :mod:`anatomy_viewer.gait.kinematic_events`).

    ``feet`` (n, 4, 3): heel (calcaneus) and toe origins of the right then left foot."""
    n = len(time)
    free = dyn.compute_root_wrench(kin)  # (n, 6): force, moment about the ground origin
    shares = double_support_shares(time, contact)
    force = {s: np.zeros((n, 3)) for s in ("r", "l")}
    moment = {s: np.zeros((n, 3)) for s in ("r", "l")}
    single = {
        "r": contact["r"] & ~contact["l"],
        "l": contact["l"] & ~contact["r"],
    }
    for s, k in (("r", 0), ("l", 2)):
        w = shares[s][:, None]
        force[s] = free[:, :3] * w
        # single support: the whole wrench (its centre of pressure follows from it);
        # double support: the force acts at a point running from heel to toe over the stance
        prog = stance_progress(time, contact[s])[:, None]
        point = feet[:, k] + prog * (feet[:, k + 1] - feet[:, k])
        point[:, 1] = 0.0
        moment[s] = np.where(single[s][:, None], free[:, 3:], np.cross(point, force[s]))
        moment[s] = np.where(contact[s][:, None], moment[s], 0.0)
    return GroundLoads(force, {s: np.zeros((n, 3)) for s in ("r", "l")}, moment)
