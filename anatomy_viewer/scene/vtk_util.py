"""Small VTK helpers shared by the scene's parts: cell arrays, data arrays, mesh checks, masks,
and holding Ctrl-C / SIGTERM while VTK renders."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

import numpy as np
from vtkmodules.util.numpy_support import numpy_to_vtkIdTypeArray
from vtkmodules.vtkCommonCore import vtkFloatArray, vtkUnsignedCharArray
from vtkmodules.vtkCommonDataModel import vtkCellArray


def vtk_triangles(tris: np.ndarray) -> vtkCellArray:
    tris = np.ascontiguousarray(tris, dtype=np.int64)
    offsets = np.arange(0, 3 * len(tris) + 1, 3, dtype=np.int64)
    cells = vtkCellArray()
    cells.SetData(
        numpy_to_vtkIdTypeArray(offsets, deep=True),
        numpy_to_vtkIdTypeArray(tris.ravel(), deep=True),
    )
    return cells


def float_array(n: int, comps: int, name: str) -> vtkFloatArray:
    a = vtkFloatArray()
    a.SetName(name)
    a.SetNumberOfComponents(comps)
    a.SetNumberOfTuples(n)
    a.Fill(0.0)
    return a


def rgb_array(n: int, name: str = "rgb") -> vtkUnsignedCharArray:
    a = vtkUnsignedCharArray()
    a.SetName(name)
    a.SetNumberOfComponents(3)
    a.SetNumberOfTuples(n)
    a.Fill(0)
    return a


def is_closed_manifold(faces: np.ndarray) -> bool:
    """True if every edge of the triangle mesh is shared by exactly two triangles."""
    edges = np.sort(np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]]), axis=1)
    _, counts = np.unique(edges, axis=0, return_counts=True)
    return bool(np.all(counts == 2))


def is_outward_oriented(vertices: np.ndarray, faces: np.ndarray) -> bool:
    """True if no directed edge is used twice (consistent winding) and the enclosed volume is
    positive (the winding faces outwards)."""
    directed = np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]])
    _, counts = np.unique(directed, axis=0, return_counts=True)
    v = vertices[faces]
    volume = np.einsum("ij,ij->i", v[:, 0], np.cross(v[:, 1], v[:, 2])).sum() / 6.0
    return bool(np.all(counts == 1) and volume > 0.0)


def mask_of(value, n: int) -> np.ndarray:
    """A boolean mask of length n from None, a mask, or a sequence of indices."""
    if value is None:
        return np.zeros(n, bool)
    arr = np.asarray(value)
    if arr.dtype == bool:
        if arr.shape != (n,):
            raise ValueError(f"expected a mask of {n} muscles, got shape {arr.shape}")
        return arr.copy()
    out = np.zeros(n, bool)
    out[arr.astype(np.int64).ravel()] = True
    return out


#: Signals held back while VTK runs Python code of ours (render observers).
_HELD_SIGNALS = frozenset({signal.SIGINT, signal.SIGTERM})


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back while VTK renders.

    A KeyboardInterrupt raised inside a Python observer that VTK calls (the scene's render
    observers) makes VTK end the process at once with exit status 1, skipping every ``finally``
    and so the clean-up of a half-written output. While the block runs, these signals are only
    noted; when it ends, the handlers that were in place before take the first one noted
    (normally: KeyboardInterrupt raised in Python code). Signal handlers belong to the main
    thread; elsewhere this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = {}
    for sig in _HELD_SIGNALS:
        previous[sig] = signal.getsignal(sig)
        signal.signal(sig, lambda signum, _frame: caught.append(signum))
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler if handler is not None else signal.SIG_DFL)
        if caught:
            handler = previous[caught[0]]
            if callable(handler):
                handler(caught[0], None)
            elif handler != signal.SIG_IGN:
                signal.raise_signal(caught[0])
