"""Rendering a LegScene without a window: numpy images, and PNG/JPEG files written atomically.

Without an X display VTK renders through EGL (Mesa's llvmpipe on a machine without a GPU);
``offscreen_window`` asks for the EGL window directly in that case, which avoids VTK first
trying, and warning about, a missing X server.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import vtkmodules.vtkRenderingOpenGL2  # noqa: F401  (registers the OpenGL back end)
from vtkmodules.util.numpy_support import vtk_to_numpy
from vtkmodules.vtkRenderingCore import vtkRenderWindow, vtkWindowToImageFilter

from anatomy_viewer.safe_output import atomic_output, printable
from anatomy_viewer.scene.leg_scene import LegScene
from anatomy_viewer.scene.vtk_util import signals_held


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
        with signals_held():
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


#: Picture formats by extension (Pillow's format names); JPEG has no transparency.
PICTURE_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG"}
JPEG_QUALITY = 92


def write_file(
    path: str | os.PathLike,
    data: bytes,
    verify: Callable[[Path], None] | None = None,
) -> Path:
    """Write ``data`` to ``path`` atomically (:func:`~anatomy_viewer.safe_output.atomic_output`):
    a file already there is replaced only once the new one is complete, read back the same
    size, and passes ``verify``; an OSError is an OutputError naming the file and the cause."""

    def check(tmp: Path) -> None:
        if tmp.stat().st_size != len(data):
            raise ValueError(f"{tmp.stat().st_size} of {len(data)} bytes were written")
        if verify is not None:
            verify(tmp)

    with atomic_output(path, check) as tmp, open(tmp, "wb") as fh:
        fh.write(data)
    return Path(path)


def picture_format(path: str | os.PathLike, transparent: bool = False) -> str:
    """The format a picture at ``path`` is written in, by its extension ("PNG" or "JPEG"), or
    ValueError naming the extensions supported (and that JPEG cannot be transparent)."""
    name = printable(Path(path).name)
    suffix = Path(path).suffix.lower()
    fmt = PICTURE_FORMATS.get(suffix)
    if fmt is None:
        raise ValueError(
            f"{name}: a picture is written as .png, .jpg or .jpeg (by its "
            f"extension), not {printable(suffix) or 'a file without extension'!r}"
        )
    if transparent and fmt != "PNG":
        raise ValueError(f"{name}: a transparent background needs a .png file")
    return fmt


def save_picture(rgb: np.ndarray, path: str | os.PathLike) -> Path:
    """Write an (h, w, 3) RGB or (h, w, 4) RGBA uint8 image as PNG or JPEG, by the extension
    (:func:`picture_format`), atomically: the written file must decode as that format at
    that size before it replaces anything (:func:`write_file`)."""
    fmt = picture_format(path, transparent=rgb.ndim == 3 and rgb.shape[2] == 4)
    return _write_picture(rgb, path, fmt)


def _write_picture(rgb: np.ndarray, path: str | os.PathLike, fmt: str) -> Path:
    from PIL import Image

    buffer = io.BytesIO()
    if fmt == "JPEG":
        Image.fromarray(np.ascontiguousarray(rgb[..., :3])).save(
            buffer, format="JPEG", quality=JPEG_QUALITY
        )
    else:
        Image.fromarray(np.ascontiguousarray(rgb)).save(buffer, format="PNG")
    size = (rgb.shape[1], rgb.shape[0])

    def decodes(tmp: Path) -> None:
        with Image.open(tmp) as img:
            if img.format != fmt or img.size != size:
                raise ValueError(f"the written picture reads back as {img.format} {img.size}")
            img.load()

    return write_file(path, buffer.getvalue(), decodes)


def render_to_png(
    scene: LegScene,
    path: str | os.PathLike,
    size: tuple[int, int] | None = None,
    transparent_background: bool = False,
) -> Path:
    """Render ``scene`` to a PNG file (see :func:`render_to_array` for the window used),
    written atomically (:func:`write_file`)."""
    return _write_picture(render_to_array(scene, size, transparent_background), path, "PNG")
