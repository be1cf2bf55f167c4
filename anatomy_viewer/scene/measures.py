"""Measures of the drawn leg that a user would notice: muscles inside bones, muscles that a click
on what one sees does not select. Used by the tests and by ``benchmarks/measure_geometry.py``.

* :func:`penetration_share`: the share of muscle vertices that lie inside a bone, by the exact
  generalised winding number of the posed bone meshes (not the distance fields the geometry
  uses, so the measure does not grade its own homework).
* :func:`click_survey`: for a camera preset, which muscles are visible (an id render of the
  muscle cells with the bones as occluders) and whether a click on each one's visible belly
  selects it through :meth:`LegScene.pick`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from vtkmodules.util.numpy_support import numpy_to_vtk, vtk_to_numpy
from vtkmodules.vtkCommonCore import VTK_UNSIGNED_CHAR
from vtkmodules.vtkCommonDataModel import vtkPolyData
from vtkmodules.vtkRenderingCore import (
    vtkActor,
    vtkPolyDataMapper,
    vtkRenderer,
    vtkWindowToImageFilter,
)

from anatomy_viewer.anatomy.model import Bone, Pose

#: A muscle counts as visible in a view when at least this many of its belly pixels show.
MIN_VISIBLE_PIXELS = 40


# ----------------------------------------------------------------------------- framing
def display_positions(scene, points: np.ndarray) -> np.ndarray:
    """Display positions (k, 2), pixels from the bottom left, of world ``points`` (k, 3) in
    ``scene``'s view: what ``scene.display_position`` gives one point at a time, for all."""
    ren = scene.renderer
    w, h = ren.GetRenderWindow().GetSize()
    x0, y0, x1, y1 = ren.GetViewport()
    vw, vh = (x1 - x0) * w, (y1 - y0) * h
    m = ren.GetActiveCamera().GetCompositeProjectionTransformMatrix(vw / vh, -1, 1)
    mat = np.array([[m.GetElement(i, j) for j in range(4)] for i in range(4)])
    clip = np.c_[points, np.ones(len(points))] @ mat.T
    ndc = clip[:, :2] / clip[:, 3:]
    return (ndc + 1.0) / 2.0 * [vw, vh] + [x0 * w, y0 * h]


def leg_height_share(scene) -> float:
    """Height of the leg's projected bones (both legs, pelvis, sacrum) over the view's."""
    ys = display_positions(scene, scene.leg_points())[:, 1]
    return float((ys.max() - ys.min()) / scene.renderer.GetRenderWindow().GetSize()[1])


# ----------------------------------------------------------------------------- penetration
def winding_numbers(points: np.ndarray, tri: np.ndarray) -> np.ndarray:
    """Generalised winding number (Jacobson et al. 2013) of triangles ``tri`` (f, 3, 3) at
    ``points`` (k, 3): ~1 inside a closed surface, ~0 outside, robust to small holes."""
    out = np.zeros(len(points))
    for start in range(0, len(points), 2048):
        p = points[start : start + 2048]
        a = tri[None, :, 0] - p[:, None]
        b = tri[None, :, 1] - p[:, None]
        c = tri[None, :, 2] - p[:, None]
        la, lb, lc = (np.sqrt(np.einsum("pfi,pfi->pf", x, x)) for x in (a, b, c))
        det = np.einsum("pfi,pfi->pf", a, np.cross(b, c))
        den = (
            la * lb * lc
            + np.einsum("pfi,pfi->pf", a, b) * lc
            + np.einsum("pfi,pfi->pf", b, c) * la
            + np.einsum("pfi,pfi->pf", c, a) * lb
        )
        out[start : start + 2048] = np.arctan2(det, den).sum(axis=1) / (2.0 * np.pi)
    return out


def inside_bones(points: np.ndarray, bones: tuple[Bone, ...], matrices: np.ndarray) -> np.ndarray:
    """Mask (k,) of ``points`` (world) inside any of ``bones`` posed by ``matrices``."""
    points = np.asarray(points, float)
    inside = np.zeros(len(points), bool)
    for bone, m in zip(bones, np.asarray(matrices), strict=True):
        world = bone.vertices @ m[:3, :3].T + m[:3, 3]
        lo, hi = world.min(0), world.max(0)
        near = np.flatnonzero(np.all((points >= lo) & (points <= hi), axis=1) & ~inside)
        if len(near) == 0:
            continue
        w = winding_numbers(points[near], world[bone.faces])
        inside[near[np.abs(w) > 0.5]] = True
    return inside


def penetration_share(scene, pose: Pose, attachments: bool = False) -> float:
    """Share (0..1) of the scene's muscle vertices inside a bone in ``pose`` (shown first).

    The attachments (each muscle's end rings and end points, where its tendon or belly enters
    the bone at the model's attachment site, often just inside the bone's mesh) count only
    with ``attachments=True``."""
    scene.update(pose)
    points = scene.muscles.points_np
    keep = np.ones(len(points), bool) if attachments else ~scene.muscles.shapes.attachment_mask()
    inside = inside_bones(points[keep], scene.model.bones, pose.bone_matrices)
    return float(inside.mean())


# ----------------------------------------------------------------------------- clicking
@dataclass
class ClickSurvey:
    """What a user finds by clicking the muscles seen from one camera preset."""

    view: str
    visible: list[int] = field(default_factory=list)  # muscles with a visible belly
    selected: list[int] = field(default_factory=list)  # ... that a click there selects
    missed: dict[int, int | None] = field(default_factory=dict)  # muscle -> what was picked

    @property
    def share(self) -> float:
        return len(self.selected) / max(len(self.visible), 1)


def muscle_id_image(scene) -> np.ndarray:
    """Per pixel of the scene's window, the muscle whose belly is drawn there, or -1.

    Renders the belly cells flat-coloured by muscle index, with the bones (when opaque enough
    to hide a muscle from picking) and tendons drawn black, from the scene's camera."""
    window = scene.window
    renderer = vtkRenderer()
    renderer.SetActiveCamera(scene.renderer.GetActiveCamera())
    renderer.SetBackground(1.0, 1.0, 1.0)
    renderer.SetViewport(scene.renderer.GetViewport())
    poly = vtkPolyData()
    src = scene.muscle_layer.poly  # the cells shown, as drawn
    poly.SetPoints(src.GetPoints())
    poly.SetPolys(src.GetPolys())
    owner = scene.muscle_layer.cell_muscle + 1
    rgb = np.stack([owner & 255, (owner >> 8) & 255, np.zeros_like(owner)], axis=1)
    poly.GetCellData().SetScalars(
        numpy_to_vtk(rgb.astype(np.uint8), deep=True, array_type=VTK_UNSIGNED_CHAR)
    )
    actors = [_flat_actor(poly, None)]
    tendons = vtkPolyData()
    tendons.SetPoints(src.GetPoints())
    tendons.SetPolys(scene.muscle_layer.tendon_poly.GetPolys())
    actors.append(_flat_actor(tendons, (0.0, 0.0, 0.0)))
    if scene.bone_opacity >= 0.5:  # bones block picks only when this opaque
        for actor in scene.bone_actors:
            if actor.GetVisibility():
                a = _flat_actor(actor.GetMapper().GetInput(), (0.0, 0.0, 0.0))
                a.SetUserMatrix(actor.GetUserMatrix())
                actors.append(a)
    for a in actors:
        renderer.AddActor(a)
    previous = [(r, r.GetDraw()) for r in _renderers(window)]
    for r, _ in previous:
        r.DrawOff()
    window.AddRenderer(renderer)
    try:
        multisamples = window.GetMultiSamples()
        window.SetMultiSamples(0)
        window.Render()
        grab = vtkWindowToImageFilter()
        grab.SetInput(window)
        grab.SetInputBufferTypeToRGB()
        grab.ReadFrontBufferOff()
        grab.Update()
        img = grab.GetOutput()
        w, h, _ = img.GetDimensions()
        arr = vtk_to_numpy(img.GetPointData().GetScalars()).reshape(h, w, 3).astype(np.int64)
    finally:
        window.RemoveRenderer(renderer)
        window.SetMultiSamples(multisamples)
        for r, draw in previous:
            r.SetDraw(draw)
    ids = arr[..., 0] + (arr[..., 1] << 8) - 1
    ids[(arr[..., 2] > 0) | (ids >= scene.n_muscles)] = -1  # background (white), anti-aliasing
    return ids  # rows from the bottom (display coordinates)


def _renderers(window) -> list:
    out = []
    rens = window.GetRenderers()
    rens.InitTraversal()
    for _ in range(rens.GetNumberOfItems()):
        out.append(rens.GetNextItem())
    return out


def _flat_actor(poly, colour) -> vtkActor:
    mapper = vtkPolyDataMapper()
    mapper.SetInputData(poly)
    actor = vtkActor()
    actor.SetMapper(mapper)
    prop = actor.GetProperty()
    prop.LightingOff()
    prop.SetInterpolationToFlat()
    if colour is None:
        mapper.SetColorModeToDirectScalars()
        mapper.SetScalarModeToUseCellData()
    else:
        mapper.ScalarVisibilityOff()
        prop.SetColor(*colour)
    return actor


def click_points(scene) -> dict[int, tuple[int, int]]:
    """Where a user would click each muscle whose belly shows in the scene's view as it is:
    the middle of what shows of it (the visible pixel nearest the centroid of its visible
    pixels, away from its edges), in display pixels (origin bottom-left), by muscle."""
    ids = muscle_id_image(scene)
    h, w = ids.shape
    # Pixels whose four neighbours show the same muscle: a click there is not on an edge.
    core = ids.copy()
    core[1:-1, 1:-1] = np.where(
        (ids[1:-1, 1:-1] == ids[:-2, 1:-1])
        & (ids[1:-1, 1:-1] == ids[2:, 1:-1])
        & (ids[1:-1, 1:-1] == ids[1:-1, :-2])
        & (ids[1:-1, 1:-1] == ids[1:-1, 2:]),
        ids[1:-1, 1:-1],
        -1,
    )
    counts = np.bincount(ids[ids >= 0].ravel(), minlength=scene.n_muscles)
    ys, xs = np.nonzero(core >= 0)
    owners = core[ys, xs]
    points = {}
    for i in np.flatnonzero(counts >= MIN_VISIBLE_PIXELS):
        mine = owners == i
        if not mine.any():
            continue
        px, py = xs[mine], ys[mine]
        k = int(np.argmin((px - px.mean()) ** 2 + (py - py.mean()) ** 2))
        points[int(i)] = (int(px[k]), int(py[k]))
    return points


def click_survey(scene, view: str) -> ClickSurvey:
    """Set ``view`` and, for every muscle whose belly shows, click the middle of what shows of
    it (:func:`click_points`) and record whether :meth:`LegScene.pick` selects it."""
    scene.set_view(view)
    survey = ClickSurvey(view)
    for i, (x, y) in click_points(scene).items():
        survey.visible.append(i)
        picked = scene.pick(float(x), float(y))
        if picked == i:
            survey.selected.append(i)
        else:
            survey.missed[i] = picked
    return survey


def clickable_when_isolated(scene, muscle: int, view: str) -> bool:
    """True if ``muscle`` is selected by a click on its belly's anchor when it is isolated
    (the others faded, not pickable) and the bones are see-through."""
    state = scene.display_state()
    try:
        scene.set_isolated([muscle])
        scene.set_bone_opacity(0.3)
        scene.set_view(view)
        scene.window.Render()
        x, y = scene.display_position(scene.muscle_anchor(muscle))
        return scene.pick(x, y) == muscle
    finally:
        scene.set_display_state(state)
