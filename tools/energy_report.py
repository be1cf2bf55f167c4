"""What each built-in gait costs in energy, and how that compares with measured costs.

    python tools/energy_report.py [--top 8] [--opensim DIR]

For walking, endurance running and sprinting prints, for the 2010 revision of Umberger's muscle
energy model (the program's) and the 2003 original:

- the net cost of the legs' muscles in W/kg and J/kg/m (and gross, with the whole body's
  standing rate), the parts (heat of activation and maintenance, of shortening and
  lengthening, fibre work), and the measured net cost with its source, tolerance and the ratio;
- each muscle group's share and the ``--top`` most costly muscles (both legs, all lines);
- the time taken to compute each gait.

With the reference OpenSim trials (``--opensim``, default the shared reference folder; skipped
when absent) it also prints the cost of every full stride of static optimisation's own result
(its forces, lengths and velocities), the walking trial's whole span, and the muscles' positive
and negative fibre work per stride.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np

from anatomy_viewer.anatomy.energetics import ENERGY_MODELS
from anatomy_viewer.gait.energy import (
    GaitEnergy,
    activity_energy,
    gait_energy,
    measured_costs,
)
from anatomy_viewer.gait.library import GAIT_NAMES, load_gait

REF = Path(__file__).resolve().parents[2] / "shared" / "reference" / "opensim"
TRIALS = {
    "walking": ("coordinates.sto", "grf_walk.mot", 1.24),
    "running": ("subject02_running_ik.mot", "subject02_running_grf.mot", 3.9),
}


def fibre_work(e: GaitEnergy, stride_time: float) -> tuple[float, float]:
    """Positive and negative fibre work per stride, J per kg of body mass."""
    s = e.states
    power = -s.active_force * s.fiber_velocity
    t = s.percent / 100.0 * stride_time
    pos = np.trapezoid(np.maximum(power, 0.0), t, axis=1).sum()
    neg = np.trapezoid(np.minimum(power, 0.0), t, axis=1).sum()
    return pos / e.body_mass, neg / e.body_mass


def report_gait(name: str, model: str, top: int) -> None:
    cycle = load_gait(name)
    start = time.perf_counter()
    e = gait_energy(cycle, model=model)  # type: ignore[arg-type]
    seconds = time.perf_counter() - start
    s = e.summary()
    print(f"\n{cycle.label} ({cycle.speed} m/s), model {model}, computed in {seconds:.2f} s")
    for line in s.lines(top=top):
        print("  " + line)
    pos, neg = fibre_work(e, cycle.stride_time)
    print(f"  fibre work per stride: +{pos:.2f} / {neg:.2f} J/kg")
    ref = measured_costs().get(name)
    if ref is None:
        return
    if ref.net_j_per_kg_per_m is None:
        print(f"  measured: none. {ref.why}")
        return
    ratio = ref.ratio(e)
    verdict = "within" if abs(ratio - 1.0) <= ref.tolerance else "OUTSIDE"
    print(
        f"  measured net {ref.net_j_per_kg_per_m:.2f} J/kg/m "
        f"({ref.net_w_per_kg(cycle.speed):.2f} W/kg at {cycle.speed} m/s); estimate / measured "
        f"= {ratio:.2f}, {verdict} +/-{ref.tolerance:.0%}. Source: {ref.source}"
    )


def report_trials(folder: Path) -> None:
    from anatomy_viewer.gait.muscle_activity import estimate_activations

    print(f"\nStatic optimisation's own forces, lengths and velocities ({folder}):")
    for name, (motion, grf, speed) in TRIALS.items():
        start = time.perf_counter()
        act = estimate_activations(folder / motion, folder / grf, use_cache=False)
        seconds = time.perf_counter() - start
        windows = act.stride_windows() or [(float(act.time[0]), float(act.time[-1]))]
        kind = "full right strides" if act.stride_windows() else "the trial's whole span"
        for model in ENERGY_MODELS:
            costs = [
                activity_energy(act, window=w, speed=speed, model=model)  # type: ignore[arg-type]
                for w in windows
            ]
            w_kg = [c.w_per_kg for c in costs]
            spread = f" +/- {statistics.stdev(w_kg):.2f}" if len(w_kg) > 1 else ""
            print(
                f"  {name}, {len(windows)} of {kind}, {model}: {statistics.mean(w_kg):.2f}"
                f"{spread} W/kg, {statistics.mean(c.j_per_kg_per_m for c in costs):.2f} J/kg/m"
                f" (static optimisation {seconds:.1f} s)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=8, help="muscles listed per gait")
    parser.add_argument("--opensim", type=Path, default=REF, help="reference OpenSim trials")
    args = parser.parse_args()
    print("Net cost of the legs' 80 muscles (each muscle's resting share included, the whole")
    print("body's standing rate not; trunk and arms are not in the model).")
    for model in ENERGY_MODELS:
        for name in GAIT_NAMES:
            report_gait(name, model, args.top)
    if args.opensim.is_dir():
        report_trials(args.opensim)
    else:
        print(f"\n(no reference trials in {args.opensim}: static optimisation's figures skipped)")


if __name__ == "__main__":
    main()
