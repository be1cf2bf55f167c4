"""Benchmark of what the Analysis windows and the EMG comparison compute.

Run: python benchmarks/bench_analysis.py [--repeats 5]

Prints (medians of ``--repeats``, one core):

1. compiling the leg model for inverse dynamics (LegDynamics), once per window;
2. muscle power and work of one built-in stride (201 samples) per gait, with that model;
3. the fast-fibre rows of the three gaits (31 anatomical muscles) and their costs, what the
   Fibres and energy window computes the first time it opens (the model already compiled);
4. static optimisation of the reference walking trial with its EMG, cut like the trial's
   cycle: the window's background job for a trial opened with EMG, compiling its own
   dynamics model each time (skipped when the reference data are absent).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from anatomy_viewer.anatomy.dynamics import LegDynamics  # noqa: E402
from anatomy_viewer.gait.energy import gait_energy  # noqa: E402
from anatomy_viewer.gait.gait_summary import muscle_fibre_rows  # noqa: E402
from anatomy_viewer.gait.library import GAIT_NAMES, load_gait  # noqa: E402
from anatomy_viewer.gait.muscle_work import cycle_muscle_power  # noqa: E402

REF = Path(__file__).resolve().parents[2] / "shared" / "reference" / "opensim"


def median_time(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    r = args.repeats

    print(f"LegDynamics() compile: {median_time(LegDynamics, max(1, r // 2)) * 1000:.0f} ms")
    dyn = LegDynamics()
    cycles = {g: load_gait(g) for g in GAIT_NAMES}
    for g, c in cycles.items():
        t = median_time(lambda c=c: cycle_muscle_power(c, dyn), r)
        print(f"muscle power of one {g} stride ({c.n_samples} samples): {t * 1000:.0f} ms")
    muscle_fibre_rows()  # warm the caches (MyoLeg with its back, the composition table)
    t_rows = median_time(muscle_fibre_rows, r)
    t_cost = median_time(lambda: [gait_energy(c, dyn=dyn) for c in cycles.values()], r)
    print(f"fast-fibre rows of the three gaits: {t_rows * 1000:.0f} ms")
    print(f"energy of the three gaits: {t_cost * 1000:.0f} ms")

    if not REF.is_dir():
        print("reference trial absent: trial simulation skipped")
        return
    from anatomy_viewer.gait.emg import trial_simulation
    from anatomy_viewer.gait.trial import load_trial

    trial = load_trial(
        REF / "coordinates.sto",
        REF / "electromyography.sto",
        REF / "grf_walk.mot",
        accept_suggestions=True,
    )
    shown = trial.to_cycle()

    def simulate() -> None:
        trial_simulation(trial, shown)  # its own dynamics model, as in the window

    simulate()  # MyoLeg with its back is compiled once per process
    t = median_time(simulate, max(1, r // 2))
    print(f"static optimisation of the walking trial with EMG, cut like its cycle: {t:.2f} s")


if __name__ == "__main__":
    main()
