"""Names of the leg model's coordinates and muscles, known without loading MuJoCo.

Importers and exporters need the names but not the model; loading MyoLeg costs half a second.
``tests/test_anatomy.py`` checks these names against the compiled model.
"""

from __future__ import annotations

from functools import cache

#: Coordinates a pose is made of, in degrees, named as the model names them. Signs follow
#: OpenSim: hip flexion +, adduction +, internal rotation +, knee flexion +, ankle dorsiflexion +,
#: pelvis_tilt + = posterior tilt; pelvis_list (about the forward axis) + = the right side drops;
#: pelvis_rotation (about the vertical axis) + = the pelvis turns to the left.
PELVIS_COORDINATES: tuple[str, ...] = ("pelvis_tilt", "pelvis_list", "pelvis_rotation")
LEG_COORDINATES: tuple[str, ...] = (
    "hip_flexion",
    "hip_adduction",
    "hip_rotation",
    "knee_angle",
    "ankle_angle",
    "subtalar_angle",
    "mtp_angle",
)
COORDINATES: tuple[str, ...] = PELVIS_COORDINATES + tuple(
    f"{c}_{side}" for side in ("r", "l") for c in LEG_COORDINATES
)


@cache
def model_muscle_names() -> tuple[str, ...]:
    """The model's 80 muscle names in MyoLeg's actuator order: the right leg's 40 muscles in
    alphabetical order of their base names, then the left leg's (from groups.toml)."""
    from anatomy_viewer.resources import load_toml

    data = load_toml("muscles", "groups.toml")
    bases = sorted(b for g in data["group"] for b in g["muscles"])
    return tuple(f"{b}_{s}" for s in ("r", "l") for b in bases)
