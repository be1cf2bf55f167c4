"""The leg: MyoLeg loaded and posed with MuJoCo. numpy + mujoco only; no Qt, no VTK."""

from anatomy_viewer.anatomy.catalogue import Muscle, MuscleCatalogue, MuscleGroup, catalogue
from anatomy_viewer.anatomy.model import COORDINATES, Bone, LegModel, Pose

__all__ = [
    "COORDINATES",
    "Bone",
    "LegModel",
    "Muscle",
    "MuscleCatalogue",
    "MuscleGroup",
    "Pose",
    "catalogue",
]
