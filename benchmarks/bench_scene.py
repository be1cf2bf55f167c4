"""Benchmark of the scene: muscle geometry update cost and render cost at 1280x800.

Run: python benchmarks/bench_scene.py [--frames N] [--compare REF]

With ``--compare REF`` (a git revision, e.g. ``main``) the same measurements are first taken,
in the same run, on that revision's scene (``revision.at_revision``: extracted with ``git
archive`` into a temporary folder and run in a child process with the same Python), and the
ratios printed: the cost of the muscle geometry against the one it replaced.

1. Geometry update: LegScene.update() for a precomputed pose (LegModel.pose is excluded, as in
   playback, where the poses of a cycle are computed once when it is loaded): bone matrices,
   the vertices, normals and colours of all 80 muscles, written in place into the VTK arrays.
2. Render: wall time of Render() plus glFinish (WaitForCompletion) of the full scene, animated
   (the muscle arrays change every frame, so their buffers are re-uploaded), against the same for
   an empty window (nothing but a clear) and for the scene's background alone.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from anatomy_viewer.anatomy import LegModel
from anatomy_viewer.gait.contraction import ContractionMode
from anatomy_viewer.scene.leg_scene import LegScene
from anatomy_viewer.scene.offscreen import offscreen_window

SIZE = (1280, 800)


def _timed_renders(window, frames: int, before=None) -> list[float]:
    out = []
    for i in range(frames):
        if before is not None:
            before(i)
        t = time.perf_counter()
        window.Render()
        window.WaitForCompletion()
        out.append(time.perf_counter() - t)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=60)
    parser.add_argument("--compare", help="git revision to measure first, e.g. main")
    args = parser.parse_args()
    n = args.frames

    model = LegModel()
    phases = np.linspace(0.0, 2.0 * np.pi, 32, endpoint=False)
    poses = model.pose_sequence(
        [
            {
                "hip_flexion_r": 25 * np.cos(p),
                "knee_angle_r": 30 - 25 * np.cos(p),
                "ankle_angle_r": 10 * np.sin(p),
                "hip_flexion_l": -25 * np.cos(p),
                "knee_angle_l": 30 + 25 * np.cos(p),
                "ankle_angle_l": -10 * np.sin(p),
            }
            for p in phases
        ]
    )
    rng = np.random.default_rng(0)
    acts = rng.random((len(poses), model.n_muscles))
    modes = rng.integers(0, 4, (len(poses), model.n_muscles)).astype(np.int8)
    modes[:, ::3] = ContractionMode.ECCENTRIC

    scene = LegScene(model)
    k = len(poses)

    # 1. geometry update ---------------------------------------------------------------------
    for i in range(10):
        scene.update(poses.frame(i % k), acts[i % k], modes[i % k])
    update_times = []
    for i in range(max(n, 200)):
        pose = poses.frame(i % k)
        t = time.perf_counter()
        scene.update(pose, acts[i % k], modes[i % k])
        update_times.append(time.perf_counter() - t)
    mesh_times = []
    # The muscle geometry: MuscleBodies (behind the scene's Muscles layer in later revisions).
    muscles = getattr(scene, "muscles", None)
    muscles = getattr(muscles, "bodies", muscles)
    for i in range(max(n, 200)):
        pose = poses.frame(i % k)
        t = time.perf_counter()
        if muscles is not None:
            muscles.update_geometry(pose)
        else:  # the tube geometry of earlier revisions
            scene.mesh.compute(pose.muscle_paths, None, scene._points_np, scene._normals_np)  # noqa: SLF001
        mesh_times.append(time.perf_counter() - t)

    # 2. render ------------------------------------------------------------------------------
    empty = offscreen_window(*SIZE)
    from vtkmodules.vtkRenderingCore import vtkRenderer

    bare = vtkRenderer()
    bare.SetBackground(0.1, 0.1, 0.1)
    empty.AddRenderer(bare)
    _timed_renders(empty, 5)
    t_empty = _timed_renders(empty, n)

    window = offscreen_window(*SIZE)
    scene.attach(window)
    scene.set_view("three_quarter")

    def animate(i: int) -> None:
        scene.update(poses.frame(i % k), acts[i % k], modes[i % k])

    _timed_renders(window, 5, animate)
    t_full = _timed_renders(window, n, animate)
    t_static = _timed_renders(window, n)

    # Background alone: the same renderer with every prop hidden.
    props = scene.renderer.GetViewProps()
    props.InitTraversal()
    hidden = []
    for _ in range(props.GetNumberOfItems()):
        p = props.GetNextProp()
        if p.GetVisibility():
            hidden.append(p)
            p.SetVisibility(False)
    _timed_renders(window, 5)
    t_background = _timed_renders(window, n)
    for p in hidden:
        p.SetVisibility(True)

    med = statistics.median
    ms = 1e3
    print(f"window {SIZE[0]}x{SIZE[1]}, {n} frames per render figure, medians")
    print(
        f"geometry update (LegScene.update, pose precomputed): {med(update_times) * ms:.3f} ms "
        f"(target < 2 ms)"
    )
    print(f"  of which muscle vertices + normals: {med(mesh_times) * ms:.3f} ms")
    print(f"render, empty window (clear only):           {med(t_empty) * ms:.2f} ms")
    print(f"render, scene background only (gradient):    {med(t_background) * ms:.2f} ms")
    print(f"render, full scene, animated (update+upload): {med(t_full) * ms:.2f} ms")
    print(f"render, full scene, static:                   {med(t_static) * ms:.2f} ms")
    print(
        f"ratio full / empty window: {med(t_full) / med(t_empty):.1f}x (target < 3x); "
        f"full / background only: {med(t_full) / med(t_background):.1f}x"
    )
    scene.detach()
    window.Finalize()
    empty.Finalize()
    return {
        "update": med(update_times),
        "geometry": med(mesh_times),
        "render": med(t_full),
        "empty": med(t_empty),
    }


if __name__ == "__main__":
    from revision import load_average, run_against

    ref, before, now = run_against(main, __file__, 60)
    if before is not None:
        print(
            f"this revision / {ref}: geometry update "
            f"{now['update'] / before['update']:.2f}x, full-scene render "
            f"{now['render'] / before['render']:.2f}x (target <= 1.5x)"
        )
    print(load_average())
