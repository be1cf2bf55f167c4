"""Camera framing, in one place: the presets and fitting points into the view.

MuJoCo's world is z-up, the body faces -y and the right leg is at -x.
"""

from __future__ import annotations

import numpy as np
from vtkmodules.vtkRenderingCore import vtkCamera

#: Camera presets: direction from the body towards the camera (z-up world, body faces -y).
VIEWS: dict[str, tuple[float, float, float]] = {
    "side": (-1.0, 0.0, 0.0),  # from the right side, looking +x
    "left": (1.0, 0.0, 0.0),
    "front": (0.0, -1.0, 0.0),
    "back": (0.0, 1.0, 0.0),
    "three_quarter": (-0.72, -0.62, 0.30),  # front-right, slightly from above
}
#: Room left around what a preset frames.
FRAMING_MARGIN = 1.06
#: A close framing (a few bones) leaves a little more room around them.
CLOSE_MARGIN = 1.12
VIEW_ANGLE = 30.0


def body_envelope() -> np.ndarray:
    """Corners (8, 3) of a standard standing body's lower half: a preset keeps them in view,
    so that the framing does not jump during a gait cycle."""
    return np.array([[x, y, z] for x in (-0.2, 0.2) for y in (-0.3, 0.3) for z in (0.0, 1.1)])


def _fit(
    points: np.ndarray,
    forward: np.ndarray,
    up: np.ndarray,
    view_angle: float,
    aspect: float,
    margin: float,
    inset: float = 0.0,
    flat: np.ndarray | None = None,
) -> tuple[np.ndarray, float]:
    """Focal point and distance that fit ``points`` in a view looking along ``forward``;
    ``flat`` points count with their outline at the focal point's depth only (a box kept in
    view whose near corners would otherwise make the view larger than what is in it)."""
    right = np.cross(forward, up)
    right /= np.linalg.norm(right)
    up = np.cross(right, forward)
    flat = np.zeros((0, 3)) if flat is None else np.asarray(flat, float).reshape(-1, 3)
    every = np.concatenate([points, flat])
    lo, hi = every.min(0), every.max(0)
    centre = 0.5 * (lo + hi)
    rel = every - centre
    x, y = rel @ right, rel @ up
    # Centre the projected extents, then back off until every point fits.
    centre = centre + right * 0.5 * (x.max() + x.min()) + up * 0.5 * (y.max() + y.min())
    rel = every - centre
    x, y, z = rel @ right, rel @ up, rel @ forward
    z[len(points) :] = 0.0
    tan_v = np.tan(np.deg2rad(view_angle / 2.0))
    inset = min(max(float(inset), 0.0), 0.5)
    dist = max(
        np.max(np.abs(y) * margin / tan_v - z),
        np.max(np.abs(x) * margin / (tan_v * aspect * (1.0 - inset)) - z),
    )
    # With an inset, move the focal point right so the points fill the rest of the width.
    centre = centre + right * inset * dist * tan_v * aspect
    return centre, float(dist)


def frame_preset(
    camera: vtkCamera,
    view: str,
    points: np.ndarray,
    aspect: float,
    inset: float = 0.0,
    margin: float = FRAMING_MARGIN,
    flat: np.ndarray | None = None,
) -> None:
    """Point ``camera`` from preset ``view`` so that ``points`` (k, 3) fill the viewport
    (``aspect`` = width / height), leaving ``inset`` of the width free at the right;
    ``flat`` points are kept in view by their outline at the focal depth (see ``_fit``)."""
    direction = np.array(VIEWS[view], dtype=float)
    direction /= np.linalg.norm(direction)
    forward = -direction
    camera.SetViewAngle(VIEW_ANGLE)
    centre, dist = _fit(
        points, forward, np.array([0.0, 0.0, 1.0]), VIEW_ANGLE, aspect, margin, inset, flat
    )
    camera.SetFocalPoint(*centre)
    camera.SetPosition(*(centre + direction * dist))
    camera.SetViewUp(0.0, 0.0, 1.0)
    camera.OrthogonalizeViewUp()


def frame_points(camera: vtkCamera, points: np.ndarray, aspect: float, margin: float) -> None:
    """Move ``camera`` along its view direction and sideways so that ``points`` (k, 3) fill
    the viewport with ``margin`` to spare; the direction, view-up and view angle stay."""
    pos, focal = np.array(camera.GetPosition()), np.array(camera.GetFocalPoint())
    forward = focal - pos
    forward /= np.linalg.norm(forward)
    centre, dist = _fit(
        points, forward, np.array(camera.GetViewUp()), camera.GetViewAngle(), aspect, margin
    )
    camera.SetFocalPoint(*centre)
    camera.SetPosition(*(centre - forward * dist))
