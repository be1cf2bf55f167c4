"""Rendering a LegScene without a window: PNG files and numpy images.

Without an X display VTK renders through EGL (Mesa's llvmpipe on a machine without a GPU);
``offscreen_window`` asks for the EGL window directly in that case, which avoids VTK first
trying, and warning about, a missing X server.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import vtkmodules.vtkRenderingOpenGL2  # noqa: F401  (registers the OpenGL back end)
from vtkmodules.util.numpy_support import vtk_to_numpy
from vtkmodules.vtkIOImage import vtkPNGWriter
from vtkmodules.vtkRenderingCore import vtkRenderWindow, vtkWindowToImageFilter

from anatomy_viewer.scene.leg_scene import LegScene


def _egl_window() -> vtkRenderWindow | None:
    if not sys.platform.startswith("linux") or os.environ.get("DISPLAY"):
        return None
    try:
        from vtkmodules.vtkRenderingOpenGL2 import vtkEGLRenderWindow
    except ImportError:
        return None
    return vtkEGLRenderWindow()


def offscreen_window(width: int, height: int) -> vtkRenderWindow:
    """A vtkRenderWindow that renders offscreen, without multisampling (deterministic pixels)."""
    window = _egl_window() or vtkRenderWindow()
    window.SetOffScreenRendering(1)
    window.SetMultiSamples(0)
    window.SetSize(int(width), int(height))
    return window


def _capture(scene: LegScene, window: vtkRenderWindow, transparent: bool) -> np.ndarray:
    renderer = scene.renderer
    saved = (renderer.GetGradientBackground(), renderer.GetBackgroundAlpha(), scene.ground_visible)
    if transparent:
        # The floor fades into the background colour, which a transparent image does not have.
        scene.set_ground_visible(False)
        window.SetAlphaBitPlanes(1)
        renderer.GradientBackgroundOff()
        renderer.SetBackgroundAlpha(0.0)
    try:
        window.Render()
        grab = vtkWindowToImageFilter()
        grab.SetInput(window)
        grab.SetInputBufferTypeToRGBA() if transparent else grab.SetInputBufferTypeToRGB()
        grab.ReadFrontBufferOff()
        grab.ShouldRerenderOff()
        grab.Update()
        image = grab.GetOutput()
        w, h, _ = image.GetDimensions()
        pixels = vtk_to_numpy(image.GetPointData().GetScalars())
        comps = pixels.shape[1] if pixels.ndim == 2 else 1
        # VTK images start at the bottom row; numpy images at the top.
        return np.ascontiguousarray(pixels.reshape(h, w, comps)[::-1])
    finally:
        renderer.SetGradientBackground(saved[0])
        renderer.SetBackgroundAlpha(saved[1])
        scene.set_ground_visible(saved[2])


def render_to_array(
    scene: LegScene,
    size: tuple[int, int] | None = None,
    transparent_background: bool = False,
) -> np.ndarray:
    """Render ``scene`` and return the image as (h, w, 3) uint8 RGB, or (h, w, 4) RGBA with a
    transparent background.

    If the scene is attached to a window, that window is used (resized to ``size`` if given);
    otherwise a temporary offscreen window of ``size`` (default 1280x800) is created and the
    scene is detached from it afterwards.
    """
    window = scene.window
    temporary = window is None
    if temporary:
        w, h = size or (1280, 800)
        window = offscreen_window(w, h)
        scene.attach(window)
        scene.reset_camera()
    elif size is not None and tuple(window.GetSize()) != tuple(size):
        window.SetSize(int(size[0]), int(size[1]))
        scene.reset_camera()
    try:
        return _capture(scene, window, transparent_background)
    finally:
        if temporary:
            scene.detach()
            window.Finalize()


def render_to_png(
    scene: LegScene,
    path: str | os.PathLike,
    size: tuple[int, int] | None = None,
    transparent_background: bool = False,
) -> Path:
    """Render ``scene`` to a PNG file (see :func:`render_to_array` for the window used)."""
    from vtkmodules.util.numpy_support import numpy_to_vtk
    from vtkmodules.vtkCommonDataModel import vtkImageData

    rgb = render_to_array(scene, size, transparent_background)
    h, w, comps = rgb.shape
    image = vtkImageData()
    image.SetDimensions(w, h, 1)
    flat = np.ascontiguousarray(rgb[::-1]).reshape(-1, comps)
    image.GetPointData().SetScalars(numpy_to_vtk(flat, deep=True))
    out = Path(path)
    # Encode in memory and write with Python: an unwritable path then raises OSError naming
    # the file (vtkPNGWriter only logs the failure and carries on).
    writer = vtkPNGWriter()
    writer.WriteToMemoryOn()
    writer.SetInputData(image)
    writer.Write()
    data = writer.GetResult()
    payload = bytes(memoryview(np.frombuffer(data, dtype=np.uint8)))
    with open(out, "wb") as fh:
        fh.write(payload)
    return out
