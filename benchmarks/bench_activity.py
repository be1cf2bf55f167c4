"""Benchmark of estimating muscle activity: inverse dynamics + static optimisation.

Run: python benchmarks/bench_activity.py [--minutes 10] [--rate 100] [--repeats 3] [--opensim DIR]

Prints (medians of ``--repeats``, one core: the pipeline is single-threaded):

1. frames per second of inverse dynamics + static optimisation on the Hamner running trial
   (``--opensim`` folder, default the shared reference data; skipped when absent), and the
   time of one stride (0.69 s of running, 41 frames at 60 Hz) from the frames' cost;
2. a long generated trial, ``--minutes`` at ``--rate`` Hz (default 10 minutes at 100 Hz:
   60 000 frames of the running cycle repeated, no forces: contacts and forces are estimated
   from the motion), from the file to the result: total time, frames per second, and the
   process's peak memory (resident set size) before and after, so that memory growth is seen.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from anatomy_viewer.gait.inverse_dynamics import prepare_trial  # noqa: E402
from anatomy_viewer.gait.library import load_gait  # noqa: E402
from anatomy_viewer.gait.muscle_activity import analyse, estimate_activations, shared_dynamics  # noqa: E402
from anatomy_viewer.gait.opensim_io import read_grf, read_motion  # noqa: E402
from anatomy_viewer.gait.sto_writer import write_sto  # noqa: E402

REF = Path(__file__).resolve().parents[2] / "shared" / "reference" / "opensim"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def arrays_mb(res) -> float:  # noqa: ANN001
    return sum(a.nbytes for a in (res.activations, res.forces, res.velocities)) / 1e6


def trial_rate(opensim: Path, repeats: int) -> None:
    motion = read_motion(opensim / "subject02_running_ik.mot")
    grf = read_grf(opensim / "subject02_running_grf.mot")
    dyn = shared_dynamics()
    trial = prepare_trial(motion, grf, dyn)
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        analyse(trial, dyn)
        times.append(time.perf_counter() - t)
    med = statistics.median(times)
    n = len(trial)
    fps = n / med
    print(f"running trial: {n} frames, inverse dynamics + static optimisation {med:.3f} s")
    print(f"  frames per second (one core): {fps:.0f}")
    stride_frames = 0.69 * motion.rate
    print(
        f"  one stride (0.69 s, {stride_frames:.0f} frames at {motion.rate:.0f} Hz): "
        f"{stride_frames / fps * 1000:.0f} ms"
    )
    t = time.perf_counter()
    prepare_trial(motion, grf, dyn)
    print(f"  preparing the trial (filtering, states, forces): {time.perf_counter() - t:.3f} s")


def long_trial(minutes: float, rate: float) -> None:
    cycle = load_gait("running", samples=201)
    n = int(minutes * 60 * rate) + 1
    t = np.arange(n) / rate
    phase = (t / cycle.stride_time * 100.0) % 100.0
    coords = {k: np.interp(phase, cycle.percent, v) for k, v in cycle.coordinates.items()}
    coords["pelvis_ty"] = 0.95 + 0.03 * np.cos(2 * np.pi * 2 * t / cycle.stride_time)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "long.mot"
        names = list(coords)
        write_sto(path, t, names, np.column_stack([coords[k] for k in names]), name="Coordinates")
        path.write_text(path.read_text().replace("inDegrees=no", "inDegrees=yes", 1))
        before = peak_rss_mb()
        seen: list[float] = []
        start = time.perf_counter()
        res = estimate_activations(path, progress=seen.append, use_cache=False)
        took = time.perf_counter() - start
        after = peak_rss_mb()
    print(f"long trial: {minutes:g} min at {rate:g} Hz = {n} frames (estimated forces)")
    print(f"  total {took:.1f} s ({n / took:.0f} frames/s), {len(seen)} progress reports")
    print(
        f"  peak memory {before:.0f} MB before, {after:.0f} MB after "
        f"(result arrays {arrays_mb(res):.0f} MB)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=10.0)
    ap.add_argument("--rate", type=float, default=100.0)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--opensim", type=Path, default=REF)
    args = ap.parse_args()
    if args.opensim.is_dir():
        trial_rate(args.opensim, args.repeats)
    else:
        print(f"no reference trials at {args.opensim}: trial rate skipped")
    long_trial(args.minutes, args.rate)


if __name__ == "__main__":
    main()
