"""Per-frame CPU cost of the frame flow, the time to load a gait, and the memory it takes.

Run: python benchmarks/bench_frame.py [--frames N] [--compare REF]

Per frame, as the window does while playing or scrubbing:
  CycleAnimation.at(percent)   look up and interpolate the precomputed poses and activations
  LegScene.update(...)         bone matrices, vertices/normals/colours of all 80 muscles
(no rendering: see bench_scene.py for render cost). The muscle surface of each frame of a cycle
is built the first time a pose next to it is shown and blended afterwards, so the update is
measured playing a freshly loaded cycle at 1x on a 60 Hz clock: the first cycle (building its
frames: mean and worst update), how long until every frame is built, the updates after that;
then scrubbing N scattered phases. Also: building one pose's surface outright (what a pose that is
not from a cycle costs), the one-off cost of loading a gait (building the cycle, posing every
sample with MuJoCo, contraction modes), the memory of the built surfaces kept and the
process's peak memory. Medians unless said.

With ``--compare REF`` (a git revision, e.g. ``main``) the same is measured first on that
revision, in the same run (see revision.py), and the ratios printed.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time

import numpy as np

from anatomy_viewer.anatomy import LegModel
from anatomy_viewer.anatomy.model import Pose
from anatomy_viewer.gait.animation import CycleAnimation
from anatomy_viewer.gait.library import GAIT_NAMES, load_gait
from anatomy_viewer.scene.leg_scene import LegScene


def ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1e3:.3f} ms"


def main() -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=400)
    parser.add_argument("--compare", help="git revision to measure first, e.g. main")
    args = parser.parse_args()

    model = LegModel()
    scene = LegScene(model)
    cache = getattr(scene.muscles, "cache", None)  # earlier revisions build every frame
    rng = np.random.default_rng(0)
    print(f"frames per measurement: {args.frames}")
    out: dict[str, dict] = {}
    for name in GAIT_NAMES:
        t = time.perf_counter()
        load_gait.cache_clear() if hasattr(load_gait, "cache_clear") else None
        cycle = load_gait(name)
        t_cycle = time.perf_counter() - t
        t = time.perf_counter()
        anim = CycleAnimation(cycle, model)
        t_anim = time.perf_counter() - t

        # Playing at 1x on a 60 Hz clock from a freshly loaded cycle: the first cycle, the
        # time until every frame of the cycle is built, and the updates after that.
        step = 100.0 / (60.0 * cycle.stride_time)
        first_cycle, steady = [], []
        built_after = None
        p = 0.0
        while len(steady) < 200 and p < 100.0 * 30:
            frame = anim.at(p)
            t0 = time.perf_counter()
            scene.update(frame.pose, frame.activations, frame.modes)
            dt = time.perf_counter() - t0
            if p < 100.0:
                first_cycle.append(dt)
            if built_after is not None or cache is None:
                steady.append(dt)
            elif cache.built_share(anim.poses) == 1.0:
                built_after = p / 100.0 * cycle.stride_time
            p += step

        # Scrubbing: scattered phases (every frame built by now).
        phases = rng.uniform(0, 100, args.frames)
        sample, scrub = [], []
        for p in phases:
            t0 = time.perf_counter()
            frame = anim.at(p)
            t1 = time.perf_counter()
            scene.update(frame.pose, frame.activations, frame.modes)
            scrub.append(time.perf_counter() - t1)
            sample.append(t1 - t0)

        built = []
        for p in phases[:100]:
            f = anim.at(p)
            pose = Pose(f.pose.bone_matrices, f.pose.muscle_paths, f.pose.muscle_lengths)
            t0 = time.perf_counter()
            scene.update(pose, f.activations, f.modes)
            built.append(time.perf_counter() - t0)

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
        print(f"  per frame: sample+interpolate {ms(sample)}")
        print(
            f"  scene update playing at 1x: first cycle mean "
            f"{statistics.fmean(first_cycle) * 1e3:.3f} ms (max {max(first_cycle) * 1e3:.1f})"
            + ("" if built_after is None else f", cycle built after {built_after:.1f} s")
            + f", then median {ms(steady)} (target < 2 ms); scrubbing median {ms(scrub)}"
        )
        print(f"  scene update of a pose built outright (not from a cycle): {ms(built)}")
        if cache is not None:
            kept = cache.nbytes / 1e6
            print(f"  built surfaces kept (this cycle and the one before): {kept:.1f} MB")
        print(f"  for comparison, posing one frame with MuJoCo directly: {ms(direct)}")
        out[name] = {
            "first": statistics.fmean(first_cycle),
            "later": statistics.median(steady),
            "scrub": statistics.median(scrub),
            "outright": statistics.median(built),
        }
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(f"\nprocess peak memory: {peak:.0f} MB")
    out["peak_mb"] = peak
    return out


if __name__ == "__main__":
    from revision import load_average, run_against

    ref, before, now = run_against(main, __file__, 400)
    if before is not None:
        print(f"\nthis revision / {ref}, scene update per frame:")
        for name in GAIT_NAMES:
            b, n = before[name], now[name]
            print(
                f"  {name:10s} first cycle (mean) {n['first'] / b['first']:.2f}x, once built "
                f"{n['later'] / b['later']:.2f}x, scrubbing {n['scrub'] / b['scrub']:.2f}x, "
                f"a pose built outright {n['outright'] / b['outright']:.2f}x"
            )
        print(f"  process peak memory {now['peak_mb']:.0f} MB / {before['peak_mb']:.0f} MB")
    print(load_average())
