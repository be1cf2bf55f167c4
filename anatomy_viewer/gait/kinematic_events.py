"""Foot strikes and toe-offs from the motion alone, and ground reaction forces estimated from it.

For trials without force plates (motion capture without plates, markerless exports, any
inverse-kinematics file):

- :func:`contacts_from_kinematics`: when each foot is on the ground, from the posed model's
  feet. A foot is down while the lowest point of its sole is within :data:`CONTACT_HEIGHT_M`
  of the ground and it moves slower than :data:`CONTACT_SPEED_M_S` horizontally. The ground
  level is where the feet spend most of their lowest frames (see :func:`ground_level`). Short
  gaps and blips are removed as the force-plate events are debounced.
- :func:`zeni_events`: the coordinate-based rule of Zeni JA, Richards JG, Higginson JS (2008).
  Two simple methods for determining gait events during treadmill and overground walking using
  kinematic data. Gait Posture 27(4):710-714: a foot strike where the heel is farthest ahead of
  the pelvis, a toe-off where the toe is farthest behind it.
- :func:`estimate_ground_loads`: the ground reaction force the motion needs, shared between the
  feet. The whole-body linear and angular momentum of the model change only through gravity
  and the ground: the wrench the ground must supply is what inverse dynamics leaves at the free
  root when no ground force is applied. In single support the stance foot takes all of it
  (its centre of pressure follows from the moment). In double support the force is shared with
  the smooth transition assumption of Ren L, Jones RK, Howard D (2008). Whole body inverse
  dynamics over a complete gait cycle based only on measured kinematics. J Biomech
  41(12):2750-2759: the trailing foot's share falls smoothly from all to nothing while the
  leading foot's rises (here a cubic ease, zero slope at both ends); each foot's centre of
  pressure runs from heel to toe over its stance, and what that placement leaves of the moment
  stays a residual.

numpy + the anatomy layer; no Qt, no VTK.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: A foot is on the ground while its lowest sole point is this close to the ground (m)...
CONTACT_HEIGHT_M = 0.03
#: ... and its sole moves slower than this horizontally (m/s).
CONTACT_SPEED_M_S = 1.0
#: Contacts and gaps shorter than this are noise (s), as for force plates.
DEBOUNCE_S = 0.03


@dataclass
class KinematicContacts:
    """When each foot is down, from the motion. Times in seconds."""

    time: np.ndarray
    contact: dict[str, np.ndarray]  # "r" / "l" -> (n,) bool
    heel_strikes: dict[str, np.ndarray]
    toe_offs: dict[str, np.ndarray]
    method: str


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    m = np.concatenate([[False], mask, [False]]).astype(np.int8)
    d = np.diff(m)
    return list(zip(np.flatnonzero(d == 1).tolist(), np.flatnonzero(d == -1).tolist(), strict=True))


def _debounce(c: np.ndarray, time: np.ndarray, span: float) -> np.ndarray:
    c = c.copy()
    n = len(c)
    if n < 3:
        return c
    dt = float(np.median(np.diff(time)))
    k = span / dt
    for a, b in _runs(~c):
        if a > 0 and b < n and b - a < k:
            c[a:b] = True
    for a, b in _runs(c):
        if b - a < k:
            c[a:b] = False
    return c


def _edges(c: np.ndarray, time: np.ndarray, soft: np.ndarray | None = None):
    """Times a boolean signal switches on and off (sub-sample via ``soft`` crossing 0)."""
    on, off = [], []
    n = len(c)
    for a, b in _runs(c):
        if a > 0:
            on.append(_cross(time, soft, a) if soft is not None else float(time[a]))
        if b < n:
            off.append(_cross(time, soft, b) if soft is not None else float(time[b]))
    return np.asarray(on), np.asarray(off)


def _cross(time: np.ndarray, soft: np.ndarray, i: int) -> float:
    s0, s1 = float(soft[i - 1]), float(soft[i])
    if s1 == s0:
        return float(time[i])
    u = min(max(-s0 / (s1 - s0), 0.0), 1.0)
    return float(time[i - 1] + u * (time[i] - time[i - 1]))


def ground_level(sole_heights: np.ndarray) -> float:
    """Height of the ground under the model's feet (m): the 10th percentile of the lower
    foot's lowest point over the trial (a foot is down in most frames of walking and running,
    and the percentile ignores a few frames of skin or filter artefacts)."""
    return float(np.percentile(sole_heights.min(axis=1), 10))


def contacts_from_kinematics(
    time: np.ndarray,
    sole_heights: np.ndarray,
    sole_speed: np.ndarray,
    *,
    height: float = CONTACT_HEIGHT_M,
    speed: float = CONTACT_SPEED_M_S,
) -> KinematicContacts:
    """Foot contacts from the lowest sole point of each foot (``sole_heights`` (n, 2), m) and
    its horizontal speed (``sole_speed`` (n, 2), m/s); see the module documentation."""
    ground = ground_level(sole_heights)
    contact, hs, to = {}, {}, {}
    for j, side in enumerate(("r", "l")):
        h = sole_heights[:, j] - ground
        soft = np.minimum(height - h, (speed - sole_speed[:, j]) * height / speed)
        c = _debounce(soft > 0, time, DEBOUNCE_S)
        contact[side] = c
        hs[side], to[side] = _edges(c, time, soft)
    return KinematicContacts(time, contact, hs, to, "foot height and speed")


def zeni_events(
    time: np.ndarray, heel: np.ndarray, toe: np.ndarray, pelvis: np.ndarray, forward: np.ndarray
) -> KinematicContacts:
    """Zeni et al. (2008): foot strikes at the maxima of the heel's forward distance from the
    pelvis, toe-offs at the minima of the toe's. ``heel``/``toe`` are (n, 2, 3) (right, left),
    ``pelvis`` (n, 3), ``forward`` a horizontal unit vector; all in the ground frame."""
    contact, hs, to = {}, {}, {}
    for j, side in enumerate(("r", "l")):
        xh = (heel[:, j] - pelvis) @ forward
        xt = (toe[:, j] - pelvis) @ forward
        strikes = _peaks(time, xh)
        offs = _peaks(time, -xt)
        hs[side], to[side] = strikes, offs
        contact[side] = _stance_mask(time, strikes, offs)
    return KinematicContacts(time, contact, hs, to, "Zeni et al. (2008)")


def _stance_mask(time: np.ndarray, strikes: np.ndarray, offs: np.ndarray) -> np.ndarray:
    """On the ground from each strike to the next toe-off (and from the start to a first
    toe-off that comes before any strike)."""
    c = np.zeros(len(time), bool)
    for a in strikes:
        later = offs[offs > a]
        end = later[0] if len(later) else time[-1] + 1.0
        c |= (time >= a) & (time < end)
    if len(offs) and (not len(strikes) or offs[0] < strikes[0]):
        c |= time < offs[0]
    return c


def _peaks(time: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Times of the clear local maxima of ``y`` (parabolic interpolation), at least 0.25 s
    apart and in the upper half of the signal's range."""
    if len(y) < 3:
        return np.zeros(0)
    mid = 0.5 * (y.max() + y.min())
    i = np.flatnonzero((y[1:-1] > y[:-2]) & (y[1:-1] >= y[2:]) & (y[1:-1] > mid)) + 1
    out: list[float] = []
    for k in i:
        a, b, c = y[k - 1], y[k], y[k + 1]
        den = a - 2 * b + c
        u = 0.5 * (a - c) / den if den != 0 else 0.0
        t = float(time[k] + u * (time[k + 1] - time[k]))
        if out and t - out[-1] < 0.25:
            continue
        out.append(t)
    return np.asarray(out)


def double_support_shares(
    time: np.ndarray, contact: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """Each foot's share (0..1) of the ground force: 1 in its single support, 0 in swing, and
    in double support a smooth hand-over from the trailing to the leading foot (Ren et al.
    2008's smooth transition assumption; the ease here is 3 s^2 - 2 s^3 of the elapsed
    fraction s of the double-support period). In flight both shares are 0."""
    n = len(time)
    cr, cl = contact["r"], contact["l"]
    share_r = np.where(cr & ~cl, 1.0, 0.0)
    both = cr & cl
    for a, b in _runs(both):
        # the leading foot is the one that came down last
        r_before = a > 0 and cr[a - 1]
        l_before = a > 0 and cl[a - 1]
        t0 = time[a]
        t1 = time[b] if b < n else time[-1]
        span = max(t1 - t0, 1e-9)
        s = np.clip((time[a:b] - t0) / span, 0.0, 1.0)
        rise = 3 * s**2 - 2 * s**3
        if r_before and not l_before:  # left foot leads: the right hands over to it
            share_r[a:b] = 1.0 - rise
        elif l_before and not r_before:
            share_r[a:b] = rise
        else:  # both down from the start of the recording: half each
            share_r[a:b] = 0.5
    share_l = np.where(cr | cl, 1.0 - share_r, 0.0)
    share_r = np.where(cr | cl, share_r, 0.0)
    return {"r": share_r, "l": share_l}


def stance_progress(time: np.ndarray, contact: np.ndarray) -> np.ndarray:
    """0 at each contact's start to 1 at its end (0 outside contacts); a contact already under
    way when the recording starts is taken as half done."""
    out = np.zeros(len(time))
    n = len(time)
    for a, b in _runs(contact):
        t0, t1 = time[a], time[b - 1] if b - 1 > a else time[a] + 1e-3
        s = (time[a:b] - t0) / max(t1 - t0, 1e-9)
        if a == 0 and b < n:
            s = 0.5 + 0.5 * s
        elif b == n and a > 0:
            s = 0.5 * s
        out[a:b] = s
    return out


def detect_contacts(
    time: np.ndarray,
    heel: np.ndarray,
    toe: np.ndarray,
    pelvis: np.ndarray,
    forward: np.ndarray,
    sole_heights: np.ndarray,
    sole_speed: np.ndarray,
) -> KinematicContacts:
    """Foot strikes by Zeni et al. (2008); toe-offs by Zeni et al. in walking and by the foot
    leaving the ground (:func:`contacts_from_kinematics`) in running, i.e. when Zeni's contacts
    leave (almost) no double support. Measured against the force plates of the
    reference trials (tests/test_muscle_activity_reference.py): Zeni's toe-off comes 12-15 % of
    the cycle late in running, because the foot keeps moving back after it leaves the ground,
    whereas the height rule's foot strike comes late (the heel touches down while the model's
    sole is still above the level it reaches in mid-stance)."""
    z = zeni_events(time, heel, toe, pelvis, forward)
    h = contacts_from_kinematics(time, sole_heights, sole_speed)
    # walking has 20-25 % double support; running, even with Zeni's late toe-offs, little
    running = bool((z.contact["r"] & z.contact["l"]).mean() < 0.08)
    offs = h.toe_offs if running else z.toe_offs
    contact = {s: _stance_mask(time, z.heel_strikes[s], offs[s]) for s in ("r", "l")}
    method = "foot strikes after Zeni et al. (2008), toe-offs " + (
        "when the foot leaves the ground (running)" if running else "after Zeni et al. (walking)"
    )
    return KinematicContacts(time, contact, z.heel_strikes, offs, method)
