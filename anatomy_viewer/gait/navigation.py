"""Moving about a gait cycle: sample steps, foot events, and each leg's stance intervals.

Used by the transport bar, the timeline, the plots and the Muscle panel. numpy and the
standard library only; no Qt.
"""

from __future__ import annotations

import math

from anatomy_viewer.gait.cycle import Event, GaitCycle

EVENT_NAMES = {"initial_contact": "initial contact (foot strike)", "toe_off": "toe-off"}


def sample_step(cycle: GaitCycle | None) -> float:
    """One sample of the cycle in percent: 100 / (n_samples - 1)."""
    if cycle is None or cycle.n_samples < 2:
        return 1.0
    return 100.0 / (cycle.n_samples - 1)


def step_percent(cycle: GaitCycle | None, percent: float, steps: int, wrap: bool = True) -> float:
    """``percent`` moved ``steps`` samples along the cycle's grid (snapped to the grid).

    From a position between two samples, one step forward lands on the next sample and one
    step back on the previous one. With ``wrap``, 100 % and 0 % are the same instant.
    """
    step = sample_step(cycle)
    k = percent / step
    eps = 1e-6
    if steps > 0:
        k = math.floor(k + eps) + steps
    elif steps < 0:
        k = math.ceil(k - eps) + steps
    else:
        k = round(k)
    p = k * step
    if wrap:
        if p > 100.0 + eps:
            p -= 100.0
        elif p < -eps:
            p += 100.0
    p = min(max(p, 0.0), 100.0)
    return round(p, 9)


def event_percent(cycle: GaitCycle | None, percent: float, direction: int) -> float | None:
    """Percent of the next (``direction`` > 0) or previous event of either leg, wrapping."""
    if cycle is None or not cycle.events:
        return None
    eps = 1e-6
    p = percent % 100.0 if percent < 100.0 else 0.0 if direction > 0 else 100.0
    times = sorted({e.percent % 100.0 for e in cycle.events})
    if direction > 0:
        later = [t for t in times if t > p + eps]
        return later[0] if later else times[0]
    earlier = [t for t in times if t < p - eps]
    return earlier[-1] if earlier else times[-1]


def events_at(cycle: GaitCycle | None, percent: float, tolerance: float) -> list[Event]:
    """Events within ``tolerance`` percent of ``percent`` (0 % and 100 % are the same)."""
    if cycle is None:
        return []
    out = []
    for e in cycle.events:
        d = abs((percent - e.percent + 50.0) % 100.0 - 50.0)
        if d <= tolerance:
            out.append(e)
    return out


def stance_intervals(cycle: GaitCycle, side: str) -> list[tuple[float, float]]:
    """Non-wrapping (start, end) percent intervals of stance of leg ``side``.

    From the leg's initial-contact and toe-off events when it has exactly one of each, else
    from the sampled contact flags (boundaries half-way between samples).
    """
    evs = cycle.events_of(side)
    ic = [e.percent for e in evs if e.kind == "initial_contact"]
    to = [e.percent for e in evs if e.kind == "toe_off"]
    if len(ic) == 1 and len(to) == 1:
        s, e = ic[0] % 100.0, to[0] % 100.0
        if s == e:
            return []
        return [(s, e)] if s < e else [(s, 100.0), (0.0, e)]
    contact = cycle.contact_r if side == "r" else cycle.contact_l
    p = cycle.percent
    mids = (p[:-1] + p[1:]) / 2.0
    out = []
    start = None
    for i, c in enumerate(contact):
        lo = p[0] if i == 0 else mids[i - 1]
        if c and start is None:
            start = lo
        elif not c and start is not None:
            out.append((float(start), float(lo)))
            start = None
    if start is not None:
        out.append((float(start), float(p[-1])))
    return out
