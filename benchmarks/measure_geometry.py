"""How the drawn muscles measure up: volumes, bones, clicks.

Run: python benchmarks/measure_geometry.py [--phases N] [--size WxH]

Over N phases of each built-in gait:
  volume      each drawn muscle's enclosed volume (divergence theorem over its closed surface)
              against its MRI volume (Handsfield et al. 2014 regressions, resources/muscles/
              volumes.toml): min / median / max of the ratio over all muscles and poses
  in bone     share of muscle vertices inside a bone (exact winding numbers of the posed bone
              meshes), without and with the attachment rings (where a tendon enters its bone)
And at walking 20 %, for the four camera presets: the share of muscles visible there whose
belly a click on what shows of it selects, and the muscles no preset lets one click (each then
tried isolated with the bones see-through).
"""

from __future__ import annotations

import argparse

import numpy as np

from anatomy_viewer.anatomy import LegModel
from anatomy_viewer.gait.animation import CycleAnimation
from anatomy_viewer.gait.library import GAIT_NAMES, load_gait
from anatomy_viewer.scene.leg_scene import LegScene
from anatomy_viewer.scene.measures import (
    click_survey,
    clickable_when_isolated,
    penetration_share,
)
from anatomy_viewer.scene.offscreen import offscreen_window

PRESETS = ("side", "front", "back", "three_quarter")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phases", type=int, default=5)
    parser.add_argument("--size", default="1280x800")
    args = parser.parse_args()
    w, h = (int(v) for v in args.size.split("x"))

    model = LegModel()
    scene = LegScene(model)
    window = offscreen_window(w, h)
    scene.attach(window)
    shapes = scene.muscles.shapes

    ratios, inside, inside_all = [], [], []
    for gait in GAIT_NAMES:
        anim = CycleAnimation(load_gait(gait), model)
        for p in np.linspace(0.0, 100.0, args.phases, endpoint=False):
            frame = anim.at(p)
            scene.update(frame.pose, frame.activations, frame.modes)
            ratios.append(shapes.closed_volumes(scene.muscles.points_np) / shapes.target)
            inside.append(penetration_share(scene, frame.pose))
            inside_all.append(penetration_share(scene, frame.pose, attachments=True))
        print(
            f"{gait:10s} in bone: max {max(inside[-args.phases :]) * 100:.2f} % of the muscle "
            f"vertices ({max(inside_all[-args.phases :]) * 100:.2f} % with the attachments)"
        )
    r = np.concatenate(ratios)
    worst = np.argmax(np.abs(np.concatenate(ratios) - 1.0)) % shapes.n_bodies
    b = shapes.bodies[worst]
    print(
        f"volume / MRI volume over {len(ratios)} poses x {shapes.n_bodies} muscles: "
        f"min {r.min():.3f}, median {np.median(r):.3f}, max {r.max():.3f} "
        f"(worst: {b.key}_{b.side}; target within 0.90 .. 1.10)"
    )
    print(
        f"in bone over all poses: median {np.median(inside) * 100:.2f} %, "
        f"max {max(inside) * 100:.2f} % (with attachments max {max(inside_all) * 100:.2f} %)"
    )

    frame = CycleAnimation(load_gait("walking"), model).at(20.0)
    scene.update(frame.pose, frame.activations, frame.modes)
    reached = set()
    for view in PRESETS:
        s = click_survey(scene, view)
        reached.update(s.selected)
        missed = ", ".join(
            f"{model.muscle_names[k]}->{'none' if v is None else model.muscle_names[v]}"
            for k, v in s.missed.items()
        )
        print(
            f"clicks {view:13s}: {len(s.selected)} of {len(s.visible)} visible muscles "
            f"selected ({s.share * 100:.0f} %; target >= 90 %) {missed}"
        )
    rest = sorted(set(range(model.n_muscles)) - reached)
    isolated = [i for i in rest if any(clickable_when_isolated(scene, i, v) for v in PRESETS)]
    print(
        f"muscles no preset lets one click: {len(rest)} "
        f"({', '.join(model.muscle_names[i] for i in rest) or 'none'}); "
        f"clickable isolated with see-through bones: {len(isolated)} of them"
    )
    scene.detach()
    window.Finalize()


if __name__ == "__main__":
    main()
