"""Benchmark of importing a long recorded trial and of exporting video frames.

Run: python benchmarks/bench_import.py [--minutes 10] [--rate 100] [--repeats 3] [--frames 60]

1. Import: a generated trial of ``--minutes`` at ``--rate`` Hz is written to a temporary
   folder (a motion with every model coordinate, the pelvis translations and three lumbar
   columns; 80 muscle activations; ground forces of two plates at the same rate). Timed, median
   of ``--repeats``:
   - motion alone: read_motion + trial_to_cycle (the whole trial in time, at most 2001
     samples) + CycleAnimation (posing every sample with MuJoCo, contraction modes);
   - motion + activations + forces: the three files read + the first stride cut + posed;
   - the reading alone of each file (what the progress dialog covers).
2. Export: ``--frames`` frames of the running cycle rendered offscreen and encoded, as MP4 at
   1280x720 and 640x360 and as GIF at 480x270: frames per second of export (rendering and
   encoding together, the read-back check of the written file included).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from anatomy_viewer.anatomy import LegModel
from anatomy_viewer.gait.animation import CycleAnimation
from anatomy_viewer.gait.library import load_gait
from anatomy_viewer.gait.opensim_io import (
    MODEL_COORDINATES,
    model_muscle_names,
    read_activations,
    read_grf,
    read_motion,
)
from anatomy_viewer.gait.trial import load_trial
from anatomy_viewer.scene.export import VideoSettings, export_video

STRIDE = 1.1


def _write(path: Path, name: str, columns: list[str], time_s: np.ndarray, data: np.ndarray) -> None:
    header = (
        f"{name}\nversion=1\nnRows={len(time_s)}\nnColumns={len(columns) + 1}\n"
        "inDegrees=yes\nendheader\n" + "\t".join(["time", *columns]) + "\n"
    )
    table = np.column_stack([time_s, data])
    with path.open("w") as fh:
        fh.write(header)
        np.savetxt(fh, table, fmt="%.6f", delimiter="\t")


def write_trial(folder: Path, minutes: float, rate: float) -> tuple[Path, Path, Path]:
    t = np.arange(0.0, minutes * 60.0 + 1e-9, 1.0 / rate)
    w = 2 * np.pi * (t - 0.2) / STRIDE
    coords = list(MODEL_COORDINATES) + ["pelvis_tx", "pelvis_ty", "pelvis_tz"]
    coords += ["lumbar_extension", "lumbar_bending", "lumbar_rotation"]
    data = np.empty((len(t), len(coords)))
    for j, c in enumerate(coords):
        lag = np.pi if c.endswith("_l") else 0.0
        amp = 30.0 if "knee" in c else 15.0 if "hip_flexion" in c else 4.0
        data[:, j] = amp * np.cos(w - lag + 0.1 * j)
    data[:, coords.index("knee_angle_r")] += 32.0
    data[:, coords.index("knee_angle_l")] += 32.0
    data[:, coords.index("pelvis_tx")] = 1.3 * t
    data[:, coords.index("pelvis_ty")] = 0.95
    motion = folder / "long_ik.mot"
    _write(motion, "Coordinates", coords, t, data)

    muscles = list(model_muscle_names())
    acts = 0.3 + 0.25 * np.cos(w[:, None] + np.linspace(0, 2 * np.pi, len(muscles))[None])
    activations = folder / "long_states.sto"
    _write(activations, "Activations", [f"{m}.activation" for m in muscles], t, acts)

    phase = ((t - 0.2) / STRIDE) % 1.0
    right = np.where(phase < 0.62, 800.0, 0.0)
    left = np.where(((phase + 0.5) % 1.0) < 0.62, 800.0, 0.0)
    names = [f"ground_force_{s}_v{a}" for s in "rl" for a in "xyz"]
    forces = np.column_stack([0 * right, right, 0 * right, 0 * left, left, 0 * left])
    grf = folder / "long_grf.mot"
    _write(grf, "grf", names, t, forces)
    return motion, activations, grf


def _median(fn, repeats: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=float, default=10.0)
    ap.add_argument("--rate", type=float, default=100.0)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--frames", type=int, default=60)
    args = ap.parse_args()
    model = LegModel()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        motion, activations, grf = write_trial(folder, args.minutes, args.rate)
        rows = int(args.minutes * 60 * args.rate) + 1
        sizes = ", ".join(
            f"{p.name} {p.stat().st_size / 1e6:.0f} MB" for p in (motion, activations, grf)
        )
        print(f"trial: {args.minutes:g} min at {args.rate:g} Hz = {rows} rows ({sizes})")

        for label, fn in (
            ("read_motion", lambda: read_motion(motion)),
            ("read_activations (80 muscles)", lambda: read_activations(activations)),
            ("read_grf", lambda: read_grf(grf)),
        ):
            dt, _ = _median(fn, args.repeats)
            print(f"  {label:34s} {dt:6.2f} s")

        def whole():
            cycle = load_trial(motion).to_cycle()
            return CycleAnimation(cycle, model)

        dt, anim = _median(whole, args.repeats)
        print(
            f"  motion alone, whole trial posed      {dt:6.2f} s  "
            f"({anim.cycle.n_samples} samples over {anim.cycle.stride_time:.0f} s)"
        )
        t0 = time.perf_counter()
        CycleAnimation(anim.cycle, model)
        print(f"    of which posing (CycleAnimation)   {time.perf_counter() - t0:6.2f} s")

        def full():
            cycle = load_trial(motion, activations, grf).to_cycle()
            return CycleAnimation(cycle, model)

        dt, anim = _median(full, args.repeats)
        print(
            f"  motion + activations + forces        {dt:6.2f} s  "
            f"(first stride {anim.cycle.stride_time:.2f} s, {anim.cycle.n_samples} samples)"
        )

        running = CycleAnimation(load_gait("running"), model)
        cycles = args.frames / (running.cycle.stride_time * 30.0)
        for suffix, size in ((".mp4", (1280, 720)), (".mp4", (640, 360)), (".gif", (480, 270))):
            out = folder / f"bench{suffix}"
            settings = VideoSettings(fps=30, cycles=cycles, size=size)
            t0 = time.perf_counter()
            result = export_video(running, out, settings)
            dt = time.perf_counter() - t0
            print(
                f"export {suffix[1:].upper()} {size[0]}x{size[1]}: {result.frames} frames in "
                f"{dt:.2f} s = {result.frames / dt:.1f} frames/s"
            )


if __name__ == "__main__":
    main()
