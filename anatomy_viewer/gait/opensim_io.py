"""OpenSim data in: motions, muscle activations, EMG and ground reaction forces -> a GaitCycle.

numpy + stdlib only (no Qt, no VTK). One place to import the readers from; each job lives in
its own module:

- :func:`read_table` -> :class:`Table`: any OpenSim ``.mot``/``.sto`` or CSV with a time column
  (:mod:`~anatomy_viewer.gait.opensim_table`);
- :func:`read_motion` -> :class:`Motion`: joint coordinates in degrees under the model's names,
  units and knee sign decided (:mod:`~anatomy_viewer.gait.opensim_motion`);
- :func:`read_activations` -> :class:`Activations`: activations (simulation) or EMG envelopes
  mapped to the model's muscles, with :func:`suggest_mapping` for EMG labels
  (:mod:`~anatomy_viewer.gait.opensim_activations`);
- :func:`read_grf` -> :class:`GroundForces` and :func:`detect_events` -> :class:`ContactEvents`
  (:mod:`~anatomy_viewer.gait.opensim_forces`);
- :func:`trial_to_cycle` -> :class:`~anatomy_viewer.gait.cycle.GaitCycle`: the stride cut
  (:mod:`~anatomy_viewer.gait.stride_cut`).

Every problem with a file's content raises :class:`OpenSimFileError` (``str()``: "file, line N:
problem."); no other exception escapes these functions for any file content. Wrong *arguments*
(an unknown muscle in ``mapping=``, a side other than "r"/"l") raise ``ValueError``.
What each reader did beyond the obvious (a sign flipped, units guessed, EMG normalised, plates
assigned) is written in the result's ``notes``, for the user to see.
"""

from __future__ import annotations

from anatomy_viewer.anatomy.names import model_muscle_names
from anatomy_viewer.gait.opensim_activations import Activations, read_activations
from anatomy_viewer.gait.opensim_forces import (
    ContactEvents,
    GroundForces,
    detect_events,
    read_grf,
)
from anatomy_viewer.gait.opensim_motion import MAX_JOINT_ANGLE, RADIANS_SWING, Motion, read_motion
from anatomy_viewer.gait.opensim_names import MODEL_COORDINATES, MUSCLE_ALIASES, suggest_mapping
from anatomy_viewer.gait.opensim_table import (
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    OpenSimFileError,
    Table,
    read_table,
)
from anatomy_viewer.gait.stride_cut import (
    MAX_JOIN_CORRECTION,
    MAX_TRIAL_SAMPLES,
    NO_ACTIVATION_DATA,
    trial_to_cycle,
)

__all__ = [
    "MAX_COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_JOIN_CORRECTION",
    "MAX_JOINT_ANGLE",
    "MAX_ROWS",
    "MAX_TRIAL_SAMPLES",
    "MODEL_COORDINATES",
    "MUSCLE_ALIASES",
    "NO_ACTIVATION_DATA",
    "RADIANS_SWING",
    "Activations",
    "ContactEvents",
    "GroundForces",
    "Motion",
    "OpenSimFileError",
    "Table",
    "detect_events",
    "model_muscle_names",
    "read_activations",
    "read_grf",
    "read_motion",
    "read_table",
    "suggest_mapping",
    "trial_to_cycle",
]
