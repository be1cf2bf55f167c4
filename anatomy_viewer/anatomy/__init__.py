"""The leg: MyoLeg loaded and posed with MuJoCo. numpy + mujoco only; no Qt, no VTK.

``LegModel``, ``Pose`` and ``Bone`` load on first use, so that code needing only names
(``COORDINATES``, the catalogue) does not pay for importing MuJoCo.
"""

from typing import TYPE_CHECKING

from anatomy_viewer.anatomy.catalogue import Muscle, MuscleCatalogue, MuscleGroup, catalogue
from anatomy_viewer.anatomy.names import COORDINATES, model_muscle_names

if TYPE_CHECKING:
    from anatomy_viewer.anatomy.model import Bone, LegModel, Pose

__all__ = [
    "COORDINATES",
    "Bone",
    "LegModel",
    "Muscle",
    "MuscleCatalogue",
    "MuscleGroup",
    "Pose",
    "catalogue",
    "model_muscle_names",
]


def __getattr__(name: str):
    if name in ("Bone", "LegModel", "Pose"):
        from anatomy_viewer.anatomy import model

        return getattr(model, name)
    raise AttributeError(f"module 'anatomy_viewer.anatomy' has no attribute {name!r}")
