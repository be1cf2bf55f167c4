"""Do the built-in gaits work slow fibres in endurance running and fast fibres in sprinting?

    python tools/fibre_check.py [--model size|bhargava]

For gluteus maximus, the hamstrings, iliopsoas and (for contrast) soleus, in walking, endurance
running and sprinting, prints the stride averages of recruitment by size
(anatomy_viewer.anatomy.recruitment) applied to the gaits' activations:
  fast share   fast-fibre share of the active fibres
  fast pool    share of the muscle's fast fibres in use
  time fast    share of the stride during which any fast fibre works
  peak         highest fast-fibre share in the stride
A muscle made of several model lines (gluteus maximus 1-3, the four hamstrings) is taken as one,
each line weighted by its maximal isometric force in the model (a stand-in for its share of the
fibres), right leg.
"""

from __future__ import annotations

import argparse

from anatomy_viewer.anatomy.model import load_myoleg
from anatomy_viewer.anatomy.recruitment import MODELS
from anatomy_viewer.gait.fibre_use import gait_fast_fibre_summary
from anatomy_viewer.gait.library import GAIT_NAMES, load_gait

GROUPS = {
    "gluteus maximus": ["glmax1_r", "glmax2_r", "glmax3_r"],
    "hamstrings": ["bflh_r", "bfsh_r", "semimem_r", "semiten_r"],
    "iliopsoas": ["iliacus_r", "psoas_r"],
    "soleus": ["soleus_r"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=MODELS, default="size")
    args = parser.parse_args()

    m, _ = load_myoleg()
    fmax = {m.actuator(i).name: float(m.actuator_gainprm[i][2]) for i in range(m.nu)}

    print(f"recruitment model: {args.model}; stride averages, right leg")
    print(f"{'muscle':16s} {'gait':10s} {'slow %':>6s} {'fast share':>10s} {'fast pool':>9s} "
          f"{'time fast':>9s} {'peak':>5s}")  # fmt: skip
    summaries = {g: gait_fast_fibre_summary(load_gait(g), args.model) for g in GAIT_NAMES}
    for label, muscles in GROUPS.items():
        for gait in GAIT_NAMES:
            r = summaries[gait].combined(label, muscles, [fmax[x] for x in muscles])
            print(
                f"{label:16s} {gait:10s} {100 * r.type1:6.1f} {r.mean_fast_share:10.3f} "
                f"{r.mean_fast_pool:9.3f} {r.time_with_fast:9.2f} {r.peak_fast_share:5.2f}"
            )


if __name__ == "__main__":
    main()
