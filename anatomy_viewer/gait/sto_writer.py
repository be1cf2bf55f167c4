"""OpenSim ``.sto`` files out: activations, muscle forces and joint moments.

The files use OpenSim's version-1 storage header (``nRows``, ``nColumns``, ``inDegrees``,
``endheader``) and the column names OpenSim's own tools write, so OpenSim and this program
read them back:

- activations: one column per muscle, named as the model's muscle (``glmax1_r``), as
  OpenSim's static optimisation writes ``*_StaticOptimization_activation.sto``;
- muscle forces (N): the same names, as in ``*_StaticOptimization_force.sto``;
- joint moments (N m): ``<coordinate>_moment`` for rotations and ``<coordinate>_force`` for
  the pelvis translations, as OpenSim's inverse dynamics names its output (residuals are the
  pelvis coordinates' columns); reserve torques as ``<coordinate>_reserve``.

Every file is written through :func:`~anatomy_viewer.safe_output.atomic_output`: a failure
leaves any existing file untouched, and the written file is read back before it replaces it.

numpy + stdlib; no Qt, no VTK.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from anatomy_viewer.gait.opensim_table import OpenSimFileError, read_table
from anatomy_viewer.safe_output import OutputError, atomic_output

#: OpenSim's names of the pelvis coordinates, in the order of MuscleActivity.residual_coordinates.
PELVIS_RESIDUAL_COLUMNS = (
    "pelvis_tx_force",
    "pelvis_ty_force",
    "pelvis_tz_force",
    "pelvis_tilt_moment",
    "pelvis_list_moment",
    "pelvis_rotation_moment",
)


def _text(name: str, time: np.ndarray, columns: Sequence[str], data: np.ndarray) -> str:
    out = io.StringIO()
    out.write(f"{name}\nversion=1\nnRows={len(time)}\nnColumns={len(columns) + 1}\n")
    out.write("inDegrees=no\nendheader\n")
    out.write("time\t" + "\t".join(columns) + "\n")
    block = np.column_stack([time, data])
    np.savetxt(out, block, fmt="%.8g", delimiter="\t")
    return out.getvalue()


def write_sto(
    path: str | Path,
    time: np.ndarray,
    columns: Sequence[str],
    data: np.ndarray,
    *,
    name: str = "anatomy-viewer",
) -> Path:
    """Write a table (``data`` (n, len(columns))) as an OpenSim ``.sto`` file.

    Raises :class:`~anatomy_viewer.safe_output.OutputError` (naming the file and the cause) if
    it cannot be written; ``ValueError`` for mismatched shapes or values that are not numbers.
    """
    time = np.asarray(time, float)
    data = np.asarray(data, float).reshape(len(time), -1)
    if data.shape[1] != len(columns):
        raise ValueError(f"{data.shape[1]} data columns for {len(columns)} names")
    if len(time) < 1 or not np.all(np.isfinite(time)) or np.any(np.diff(time) <= 0):
        raise ValueError("time must be finite and increase")
    if not np.all(np.isfinite(data)):
        raise ValueError("the values to write include some that are not numbers")
    text = _text(name, time, list(columns), data)
    path = Path(path)

    def verify(tmp: Path) -> None:
        try:
            back = read_table(tmp)
        except OpenSimFileError as exc:
            raise OutputError(
                path, f"the written file does not read back ({exc.problem})"
            ) from None
        if back.n_rows != len(time) or tuple(back.columns) != tuple(columns):
            raise OutputError(path, "the written file does not read back complete")

    with atomic_output(path, verify=verify) as tmp:
        tmp.write_text(text)
    return path


def write_activations(path: str | Path, result) -> Path:  # noqa: ANN001 (MuscleActivity)
    """Activations (0..1) of every muscle, OpenSim static-optimisation naming."""
    return write_sto(
        path, result.time, result.muscle_names, result.activations, name="Static Optimization"
    )


def write_forces(path: str | Path, result) -> Path:  # noqa: ANN001
    """Muscle tensions (N), OpenSim static-optimisation naming."""
    return write_sto(
        path, result.time, result.muscle_names, result.forces, name="Static Optimization"
    )


def write_moments(path: str | Path, result) -> Path:  # noqa: ANN001
    """Joint moments (N m) and the residuals, OpenSim inverse-dynamics naming, then the
    reserve torques."""
    cols = list(PELVIS_RESIDUAL_COLUMNS)
    cols += [f"{j}_moment" for j in result.joint_names]
    cols += [f"{j}_reserve" for j in result.joint_names]
    data = np.column_stack([result.residual_coordinates, result.moments, result.reserves])
    return write_sto(path, result.time, cols, data, name="Inverse Dynamics Generalized Forces")
