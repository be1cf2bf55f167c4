"""Per-frame CPU cost of the frame flow, and time to load a gait.

Run: python benchmarks/bench_frame.py [--frames N]

Per frame, as the window does while playing or scrubbing:
  CycleAnimation.at(percent)   look up and interpolate the precomputed poses and activations
  LegScene.update(...)         bone matrices, vertices/normals/colours of all 80 muscles
(no rendering: see bench_scene.py for render cost). Also reported: the one-off cost of loading a
gait (building the cycle, posing every sample with MuJoCo, contraction modes), which happens when
a gait is chosen, and the cost of posing one frame with MuJoCo directly (what the per-frame cost
would be without precomputation). Medians over N frames at scattered phases.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from anatomy_viewer.anatomy import LegModel
from anatomy_viewer.gait.animation import CycleAnimation
from anatomy_viewer.gait.library import GAIT_NAMES, load_gait
from anatomy_viewer.scene.leg_scene import LegScene


def ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1e3:.3f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=400)
    args = parser.parse_args()

    model = LegModel()
    scene = LegScene(model)
    rng = np.random.default_rng(0)
    print(f"frames per measurement: {args.frames}")
    for name in GAIT_NAMES:
        t = time.perf_counter()
        load_gait.cache_clear() if hasattr(load_gait, "cache_clear") else None
        cycle = load_gait(name)
        t_cycle = time.perf_counter() - t
        t = time.perf_counter()
        anim = CycleAnimation(cycle, model)
        t_anim = time.perf_counter() - t

        phases = rng.uniform(0, 100, args.frames)
        sample, update, total = [], [], []
        for p in phases:
            t0 = time.perf_counter()
            frame = anim.at(p)
            t1 = time.perf_counter()
            scene.update(frame.pose, frame.activations, frame.modes)
            t2 = time.perf_counter()
            sample.append(t1 - t0)
            update.append(t2 - t1)
            total.append(t2 - t0)

        direct = []
        for p in phases[:100]:
            coords = cycle.sample(p).coordinates
            t0 = time.perf_counter()
            model.pose(coords)
            direct.append(time.perf_counter() - t0)

        print(f"\n{name} ({cycle.n_samples} samples per cycle)")
        print(
            f"  load: build cycle {t_cycle * 1e3:.0f} ms, pose all samples + modes "
            f"{t_anim * 1e3:.0f} ms"
        )
        print(
            f"  per frame: sample+interpolate {ms(sample)}, scene geometry update "
            f"{ms(update)}, total {ms(total)} (target < 2 ms)"
        )
        print(f"  for comparison, posing one frame with MuJoCo directly: {ms(direct)}")


if __name__ == "__main__":
    main()
