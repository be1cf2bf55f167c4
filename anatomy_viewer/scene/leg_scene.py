"""The 3-D leg: bones, muscle bellies coloured by activation, ground, legend, camera and picking.

``LegScene`` owns one vtkRenderer. Attach it to any vtkRenderWindow (the Qt viewport's, or an
offscreen one from :mod:`anatomy_viewer.scene.offscreen`) and call :meth:`LegScene.update` with a
``Pose`` each frame: bones move by their user matrices, and the 80 muscles, one merged
vtkPolyData of fixed topology, get new vertices, normals and colours written in place.

MuJoCo's world is z-up, the body faces -y and the right leg is at -x; the floor is z = 0.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import vtkmodules.vtkInteractionStyle  # noqa: F401  (registers the default interactor style)
import vtkmodules.vtkRenderingFreeType  # noqa: F401  (text rendering)
import vtkmodules.vtkRenderingOpenGL2  # noqa: F401  (registers the OpenGL back end)
from vtkmodules.util.numpy_support import (
    numpy_to_vtk,
    numpy_to_vtkIdTypeArray,
    vtk_to_numpy,
)
from vtkmodules.vtkCommonCore import (
    VTK_FLOAT,
    VTK_UNSIGNED_CHAR,
    vtkDoubleArray,
    vtkFloatArray,
    vtkIntArray,
    vtkPoints,
    vtkUnsignedCharArray,
)
from vtkmodules.vtkCommonDataModel import vtkCellArray, vtkPolyData
from vtkmodules.vtkCommonMath import vtkMatrix4x4
from vtkmodules.vtkFiltersCore import vtkPolyDataNormals
from vtkmodules.vtkFiltersHybrid import vtkPolyDataSilhouette
from vtkmodules.vtkFiltersModeling import vtkButterflySubdivisionFilter
from vtkmodules.vtkRenderingAnnotation import vtkScalarBarActor
from vtkmodules.vtkRenderingCore import (
    vtkActor,
    vtkActor2D,
    vtkCellPicker,
    vtkCoordinate,
    vtkLightKit,
    vtkPolyDataMapper,
    vtkPolyDataMapper2D,
    vtkRenderer,
    vtkRenderWindow,
    vtkTextActor,
)

from anatomy_viewer.anatomy.model import LegModel, Pose
from anatomy_viewer.gait.contraction import ContractionMode
from anatomy_viewer.scene.colormaps import DEFAULT_COLORMAP, ColorMap, colormap
from anatomy_viewer.scene.muscle_bodies import MuscleBodies

#: Camera presets: direction from the body towards the camera (z-up world, body faces -y).
VIEWS: dict[str, tuple[float, float, float]] = {
    "side": (-1.0, 0.0, 0.0),  # from the right side, looking +x
    "left": (1.0, 0.0, 0.0),
    "front": (0.0, -1.0, 0.0),
    "back": (0.0, 1.0, 0.0),
    "three_quarter": (-0.72, -0.62, 0.30),  # front-right, slightly from above
}

BONE_RGB = (0.89, 0.85, 0.76)  # warm ivory
TENDON_RGB = np.array([0.93, 0.88, 0.80])
GHOST_RGB = (0.72, 0.76, 0.82)
SELECTED_OUTLINE_RGB = np.array([0.30, 0.90, 1.00])
HIGHLIGHT_OUTLINE_RGB = np.array([0.96, 0.96, 0.96])
FLOOR_RGB = np.array([0.50, 0.53, 0.58])
GRID_RGB = np.array([0.80, 0.82, 0.86])
FLOOR_OPACITY = 0.55
GRID_OPACITY = 0.28
GROUND_RADIUS = 0.9
BACKGROUND_BOTTOM = (0.105, 0.115, 0.135)
BACKGROUND_TOP = (0.33, 0.36, 0.41)

#: A muscle lengthening while it works (eccentric) shows soft darker bands across its belly,
#: only while its activation is at least STRIPE_MIN_ACTIVATION: below that it does little work
#: and the bands would only add noise. The bands are STRIPE_DEPTH darker than the muscle.
STRIPE_MIN_ACTIVATION = 0.10
STRIPE_DEPTH = 0.30
#: Brightness of the other muscles while one is selected.
SELECTION_DIM = 0.72
#: Brightness of the muscles outside a highlight: dimmer than for a selection, so a highlighted
#: group stands out from any side, also where its outline is hidden behind other muscles.
HIGHLIGHT_DIM = 0.5
#: Opacity of muscles faded by isolation.
GHOST_OPACITY = 0.15

_FRAMING_MARGIN = 1.06
#: Bones with fewer triangles than this are subdivided once (the feet are detailed already).
SUBDIVIDE_MAX_FACES = 1200


def _vtk_triangles(tris: np.ndarray) -> vtkCellArray:
    tris = np.ascontiguousarray(tris, dtype=np.int64)
    offsets = np.arange(0, 3 * len(tris) + 1, 3, dtype=np.int64)
    cells = vtkCellArray()
    cells.SetData(
        numpy_to_vtkIdTypeArray(offsets, deep=True),
        numpy_to_vtkIdTypeArray(tris.ravel(), deep=True),
    )
    return cells


def _float_array(n: int, comps: int, name: str) -> vtkFloatArray:
    a = vtkFloatArray()
    a.SetName(name)
    a.SetNumberOfComponents(comps)
    a.SetNumberOfTuples(n)
    a.Fill(0.0)
    return a


def _rgb_array(n: int, name: str = "rgb") -> vtkUnsignedCharArray:
    a = vtkUnsignedCharArray()
    a.SetName(name)
    a.SetNumberOfComponents(3)
    a.SetNumberOfTuples(n)
    a.Fill(0)
    return a


def _is_closed_manifold(faces: np.ndarray) -> bool:
    """True if every edge of the triangle mesh is shared by exactly two triangles."""
    edges = np.sort(np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]]), axis=1)
    _, counts = np.unique(edges, axis=0, return_counts=True)
    return bool(np.all(counts == 2))


def _is_outward_oriented(vertices: np.ndarray, faces: np.ndarray) -> bool:
    """True if no directed edge is used twice (consistent winding) and the enclosed volume is
    positive (the winding faces outwards)."""
    directed = np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]])
    _, counts = np.unique(directed, axis=0, return_counts=True)
    v = vertices[faces]
    volume = np.einsum("ij,ij->i", v[:, 0], np.cross(v[:, 1], v[:, 2])).sum() / 6.0
    return bool(np.all(counts == 1) and volume > 0.0)


def _nice_ticks(top: float) -> list[float]:
    """Round tick values from 0 to ``top`` (at most 6 of them, ``top`` included)."""
    for step in (0.5, 1, 2, 2.5, 5, 10, 20, 25, 50):
        if top / step <= 5.0 + 1e-9:
            break
    ticks = list(np.arange(0.0, top + 1e-9, step))
    if top - ticks[-1] > 0.35 * step:
        ticks.append(top)
    elif ticks[-1] != top:
        ticks[-1] = top
    return [float(t) for t in ticks]


def _mask(value, n: int) -> np.ndarray:
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


class LegScene:
    """Bones, muscles, ground, legend and caption of the leg in one vtkRenderer."""

    def __init__(
        self,
        model: LegModel,
        *,
        colormap_name: str = DEFAULT_COLORMAP,
        subdivide_bones: bool = True,
    ) -> None:
        self.model = model
        self.n_muscles = model.n_muscles
        nm = self.n_muscles
        self._muscle_side = np.array([m.side for m in model.muscles])
        self._muscle_group = np.array([m.group for m in model.muscles])

        self.renderer = vtkRenderer()
        self.renderer.GradientBackgroundOn()
        self.renderer.SetBackground(*BACKGROUND_BOTTOM)
        self.renderer.SetBackground2(*BACKGROUND_TOP)
        kit = vtkLightKit()
        kit.SetKeyLightIntensity(0.85)
        kit.AddLightsToRenderer(self.renderer)
        self.renderer.AddObserver("StartEvent", self._on_start_render)

        # State -----------------------------------------------------------------------------
        self._activations = np.zeros(nm)
        self._modes = np.zeros(nm, np.int8)
        self._modes_given = False
        self._gain = 1.0
        self._cmap: ColorMap = colormap(colormap_name)
        self._user_visible = np.ones(nm, bool)
        self._side_visible = {"r": True, "l": True}
        self._isolated = np.zeros(nm, bool)
        self._highlighted = np.zeros(nm, bool)
        self._selected: int | None = None
        self._bone_opacity = 1.0
        self._view = "side"
        self._pose: Pose | None = None
        self._framed: tuple | None = None  # camera state and aspect of the last framing
        #: Camera presets also keep these world points (k, 3) in view (e.g. the poses of a
        #: second leg sharing the camera) and leave this fraction of the viewport's width free
        #: at its right edge (for the legend of a narrow viewport).
        self.frame_also: np.ndarray | None = None
        self.frame_right_inset = 0.0

        self._build_bones(subdivide_bones)
        self._build_ground()
        neutral = model.pose({})
        self._reference_lengths = np.array(neutral.muscle_lengths)
        self._build_muscles(neutral)
        self._build_overlays()

        self._picker = vtkCellPicker()
        self._picker.SetTolerance(1e-6)
        self._picker.PickFromListOn()
        self._coordinate = vtkCoordinate()
        self._coordinate.SetCoordinateSystemToWorld()

        self._apply_states()
        self.update(neutral)
        self.set_view("side")

    # ====================================================================== construction
    def _build_bones(self, subdivide: bool) -> None:
        self._bone_actors: list[vtkActor] = []
        self._bone_matrices: list[vtkMatrix4x4] = []
        self._bone_sides = [b.side for b in self.model.bones]
        self._bone_corners = []  # (8, 3) local bounding-box corners, for framing
        for bone in self.model.bones:
            poly = vtkPolyData()
            pts = vtkPoints()
            pts.SetData(numpy_to_vtk(np.ascontiguousarray(bone.vertices, np.float32), deep=True))
            poly.SetPoints(pts)
            poly.SetPolys(_vtk_triangles(bone.faces))
            source = poly
            # One butterfly subdivision rounds off the low-poly meshes. It interpolates (the
            # original vertices stay put; Loop subdivision would shrink a fibula by ~15 %),
            # and needs a closed manifold surface, which the MyoLeg pelvis and tibia are not:
            # those stay as they are.
            if (
                subdivide
                and len(bone.faces) < SUBDIVIDE_MAX_FACES
                and _is_closed_manifold(bone.faces)
            ):
                sub = vtkButterflySubdivisionFilter()
                sub.SetNumberOfSubdivisions(1)
                sub.SetInputData(poly)
                sub.Update()
                source = sub.GetOutput()
            normals = vtkPolyDataNormals()
            normals.SetInputData(source)
            normals.SplittingOff()
            normals.ConsistencyOn()
            normals.Update()
            out = vtkPolyData()
            out.DeepCopy(normals.GetOutput())
            mapper = vtkPolyDataMapper()
            mapper.SetInputData(out)
            mapper.ScalarVisibilityOff()
            mapper.StaticOn()
            actor = vtkActor()
            actor.SetMapper(mapper)
            prop = actor.GetProperty()
            prop.SetColor(*BONE_RGB)
            prop.SetAmbient(0.16)
            prop.SetDiffuse(0.84)
            prop.SetSpecular(0.22)
            prop.SetSpecularPower(18.0)
            prop.SetInterpolationToPhong()
            # Skipping back faces halves the shading work of a bone on software OpenGL; only
            # safe where the triangles are consistently wound outwards (not the MyoLeg tibia).
            prop.SetBackfaceCulling(_is_outward_oriented(bone.vertices, bone.faces))
            matrix = vtkMatrix4x4()
            actor.SetUserMatrix(matrix)
            self.renderer.AddActor(actor)
            self._bone_actors.append(actor)
            self._bone_matrices.append(matrix)
            lo, hi = bone.vertices.min(0), bone.vertices.max(0)
            corners = np.array(
                [[x, y, z] for x in (lo[0], hi[0]) for y in (lo[1], hi[1]) for z in (lo[2], hi[2])]
            )
            self._bone_corners.append(corners)
        self._bone_corners = np.stack(self._bone_corners)

    def _build_ground(self) -> None:
        """A floor disc at z = 0 with a soft contact shadow and faint 10 cm grid lines.

        Both are opaque (translucency costs a full-screen pass on software OpenGL): their
        colours fade into the background gradient at the pixels they cover, recomputed
        whenever the camera or the window changes (see ``_update_ground_colours``).
        """
        radius, rings, segs = GROUND_RADIUS, 24, 72
        rr = np.linspace(0.0, 1.0, rings + 1)[1:] ** 1.3 * radius
        th = np.linspace(0.0, 2 * np.pi, segs, endpoint=False)
        ring_xy = rr[:, None, None] * np.stack([np.cos(th), np.sin(th)], -1)[None]
        xy = np.concatenate([[[0.0, 0.0]], ring_xy.reshape(-1, 2)])
        j = np.arange(segs)
        j1 = (j + 1) % segs
        tris = [np.stack([np.zeros(segs, int), 1 + j, 1 + j1], 1)]
        for r in range(rings - 1):
            a, b = 1 + r * segs, 1 + (r + 1) * segs
            tris.append(np.stack([a + j, b + j, b + j1], 1))
            tris.append(np.stack([a + j, b + j1, a + j1], 1))
        disc_pts = np.column_stack([xy, np.zeros(len(xy))])

        # Grid lines every 10 cm inside the disc, 1 mm above it.
        step, lim = 0.1, 0.8 * radius
        line_pts, lines = [], []
        for axis in (0, 1):
            for v in np.arange(-lim + step, lim - 1e-9, step):
                half = np.sqrt(max(lim * lim - v * v, 0.0))
                seg = np.zeros((17, 3))
                seg[:, axis] = v
                seg[:, 1 - axis] = np.linspace(-half, half, 17)
                lines.append(np.arange(len(line_pts) * 17, (len(line_pts) + 1) * 17))
                line_pts.append(seg)
        grid_pts = np.concatenate(line_pts)
        grid_pts[:, 2] = 0.001

        self._ground_parts = []
        for kind, pts in (("disc", disc_pts), ("grid", grid_pts)):
            poly = vtkPolyData()
            vp = vtkPoints()
            vp.SetData(numpy_to_vtk(pts.astype(np.float32), deep=True))
            poly.SetPoints(vp)
            if kind == "disc":
                poly.SetPolys(_vtk_triangles(np.concatenate(tris)))
            else:
                cells = vtkCellArray()
                offsets = np.arange(0, len(grid_pts) + 1, 17, dtype=np.int64)
                cells.SetData(
                    numpy_to_vtkIdTypeArray(offsets, deep=True),
                    numpy_to_vtkIdTypeArray(np.arange(len(grid_pts), dtype=np.int64), deep=True),
                )
                poly.SetLines(cells)
            colours = _rgb_array(len(pts))
            poly.GetPointData().SetScalars(colours)
            mapper = vtkPolyDataMapper()
            mapper.SetInputData(poly)
            mapper.SetColorModeToDirectScalars()
            actor = vtkActor()
            actor.SetMapper(mapper)
            actor.GetProperty().LightingOff()
            actor.PickableOff()
            self.renderer.AddActor(actor)
            d = np.linalg.norm(pts[:, :2], axis=1)
            # How much of the floor shows over the background, fading out towards the rim.
            floor = np.clip(1.0 - d / radius, 0.0, 1.0) ** 1.5
            shadow = np.exp(-1.6 * np.linalg.norm(pts[:, :2] / [0.2, 0.45], axis=1) ** 2)
            tone = FLOOR_RGB[None, :] * (1.0 - 0.45 * shadow[:, None])
            line = np.clip(1.0 - d / lim, 0.0, 1.0) ** 1.2 if kind == "grid" else None
            self._ground_parts.append(
                (actor, poly, pts, vtk_to_numpy(colours), floor * FLOOR_OPACITY, tone, line)
            )
        self._ground, self._grid = (part[0] for part in self._ground_parts)
        self._ground_key = None

    def _background_at(self, t: np.ndarray) -> np.ndarray:
        """Background colour (k, 3) at normalised viewport heights ``t`` (0 bottom, 1 top)."""
        ren = self.renderer
        bottom = np.array(ren.GetBackground())
        if not ren.GetGradientBackground():
            return np.broadcast_to(bottom, (len(t), 3))
        top = np.array(ren.GetBackground2())
        return bottom + np.clip(t, 0.0, 1.0)[:, None] * (top - bottom)

    def _update_ground_colours(self) -> None:
        ren = self.renderer
        cam = ren.GetActiveCamera()
        aspect = self._aspect()
        # Not the camera's MTime: resetting the clipping range before each render touches it.
        key = (
            cam.GetPosition(),
            cam.GetFocalPoint(),
            cam.GetViewUp(),
            cam.GetViewAngle(),
            cam.GetParallelProjection(),
            cam.GetParallelScale(),
            round(aspect, 4),
            ren.GetGradientBackground(),
            ren.GetBackground(),
            ren.GetBackground2(),
        )
        if key == self._ground_key:
            return
        self._ground_key = key
        m = cam.GetCompositeProjectionTransformMatrix(aspect, -1.0, 1.0)
        proj = np.array([[m.GetElement(i, j) for j in range(4)] for i in range(4)])
        for _actor, poly, pts, out, floor, tone, line in self._ground_parts:
            clip = np.column_stack([pts, np.ones(len(pts))]) @ proj.T
            w = clip[:, 3]
            t = np.where(w > 1e-9, 0.5 * (clip[:, 1] / np.where(w > 1e-9, w, 1.0) + 1.0), 0.0)
            colour = self._background_at(t)
            colour = colour * (1.0 - floor[:, None]) + tone * floor[:, None]
            if line is not None:
                colour = colour + (GRID_RGB - colour) * (GRID_OPACITY * line)[:, None]
            out[:] = np.clip(colour * 255.0 + 0.5, 0, 255).astype(np.uint8)
            poly.GetPointData().GetScalars().Modified()
            poly.Modified()

    def _build_muscles(self, neutral: Pose) -> None:
        # All muscles share one set of points, normals and colours (scene.muscle_bodies);
        # the belly, tendon and faded polydata below take their cells from it.
        self.muscles = MuscleBodies(self.model, neutral)
        self._points = self.muscles.points
        self._normals = self.muscles.normals
        self._colours = self.muscles.colours
        self._points_np = self.muscles.points_np

        def make(opaque: bool, tendon: bool = False) -> tuple[vtkPolyData, vtkActor]:
            poly = vtkPolyData()
            poly.SetPoints(self._points)
            poly.GetPointData().SetNormals(self._normals)
            poly.GetPointData().SetScalars(self._colours)
            poly.SetPolys(vtkCellArray())
            mapper = vtkPolyDataMapper()
            mapper.SetInputData(poly)
            actor = vtkActor()
            actor.SetMapper(mapper)
            prop = actor.GetProperty()
            prop.SetInterpolationToPhong()
            prop.BackfaceCullingOn()
            if opaque:
                mapper.SetColorModeToDirectScalars()
                mapper.SetScalarModeToUsePointData()
                prop.SetAmbient(0.20)
                prop.SetDiffuse(0.80)
                # Tendons are glossy, like the pale fibrous tissue in an atlas.
                prop.SetSpecular(0.75 if tendon else 0.32)
                prop.SetSpecularPower(60.0 if tendon else 28.0)
            else:
                mapper.ScalarVisibilityOff()
                prop.SetColor(*GHOST_RGB)
                prop.SetOpacity(GHOST_OPACITY)
                prop.SetSpecular(0.0)
                actor.PickableOff()
            self.renderer.AddActor(actor)
            return poly, actor

        self._muscle_poly, self.muscle_actor = make(True)
        self._tendon_poly, self._tendon_actor = make(True, tendon=True)
        self._ghost_poly, self._ghost_actor = make(False)
        self._main_cell_muscle = np.zeros(0, np.int64)
        self._tendon_cell_muscle = np.zeros(0, np.int64)

        # Outline shells (inverted hulls) of the selected and highlighted muscles.
        self._hull_poly = vtkPolyData()
        self._hull_poly.SetPoints(vtkPoints())
        hm = vtkPolyDataMapper()
        hm.SetInputData(self._hull_poly)
        hm.SetColorModeToDirectScalars()
        self._hull_actor = vtkActor()
        self._hull_actor.SetMapper(hm)
        hp = self._hull_actor.GetProperty()
        hp.LightingOff()
        hp.FrontfaceCullingOn()
        self._hull_actor.PickableOff()
        self.renderer.AddActor(self._hull_actor)
        self._hull_muscles = np.zeros(0, np.int64)
        self._hull_selected = -1
        self._hull_ids = np.zeros(0, np.int64)
        self._hull_factor = np.zeros((0, 1))
        self._hull_extra = np.zeros((0, 1))

        # Silhouette of the selected muscle, drawn as a 2-D overlay on top of everything, so
        # that a selected muscle stays findable where other muscles or bones cover it.
        self._sel_poly = vtkPolyData()
        self._sel_poly.SetPoints(vtkPoints())
        self._sel_ids = np.zeros(0, np.int64)
        self._sel_for: int | None = None
        self._silhouette = vtkPolyDataSilhouette()
        self._silhouette.SetInputData(self._sel_poly)
        self._silhouette.SetCamera(self.renderer.GetActiveCamera())
        self._silhouette.SetEnableFeatureAngle(False)
        self._silhouette.BorderEdgesOff()
        world = vtkCoordinate()
        world.SetCoordinateSystemToWorld()
        sm = vtkPolyDataMapper2D()
        sm.SetInputConnection(self._silhouette.GetOutputPort())
        sm.SetTransformCoordinate(world)
        sm.ScalarVisibilityOff()
        self._sel_outline = vtkActor2D()
        self._sel_outline.SetMapper(sm)
        op = self._sel_outline.GetProperty()
        op.SetColor(*SELECTED_OUTLINE_RGB)
        op.SetLineWidth(2.0)
        op.SetOpacity(0.9)
        self._sel_outline.SetVisibility(False)
        self._sel_outline.PickableOff()
        self.renderer.AddViewProp(self._sel_outline)

    def _build_overlays(self) -> None:
        self._legend = vtkScalarBarActor()
        self._legend.SetTitle("Activation")
        self._legend.SetNumberOfLabels(5)
        self._legend.SetLabelFormat("%.0f%%")
        self._legend.SetOrientationToVertical()
        self._legend.UnconstrainedFontSizeOn()
        self._legend.SetBarRatio(0.28)
        self._legend.SetTextPad(6)
        self._legend.SetVerticalTitleSeparation(8)
        pos = self._legend.GetPositionCoordinate()
        pos.SetCoordinateSystemToNormalizedViewport()
        pos.SetValue(0.9, 0.28)
        self._legend.SetWidth(0.085)
        self._legend.SetHeight(0.46)
        self._legend.SetMaximumWidthInPixels(110)
        for tp, size, bold in (
            (self._legend.GetTitleTextProperty(), 17, True),
            (self._legend.GetLabelTextProperty(), 14, False),
        ):
            tp.SetFontSize(size)
            tp.SetBold(bold)
            tp.SetItalic(False)
            tp.SetShadow(True)
            tp.SetColor(0.95, 0.95, 0.95)
            tp.SetFontFamilyToArial()
        self._legend.PickableOff()
        self.renderer.AddViewProp(self._legend)
        self._update_legend()

        self._mode_hint = vtkTextActor()
        self._mode_hint.SetInput("striped = lengthening\n(eccentric)")
        tp = self._mode_hint.GetTextProperty()
        tp.SetFontSize(13)
        tp.SetColor(0.88, 0.88, 0.88)
        tp.SetShadow(True)
        tp.SetJustificationToRight()
        tp.SetVerticalJustificationToTop()
        hc = self._mode_hint.GetPositionCoordinate()
        hc.SetCoordinateSystemToNormalizedViewport()
        hc.SetValue(0.985, 0.25)
        self._mode_hint.SetVisibility(False)
        self._mode_hint.PickableOff()
        self.renderer.AddViewProp(self._mode_hint)

        self._caption = vtkTextActor()
        tp = self._caption.GetTextProperty()
        tp.SetFontSize(20)
        tp.SetColor(0.96, 0.96, 0.96)
        tp.SetShadow(True)
        tp.SetJustificationToLeft()
        tp.SetVerticalJustificationToTop()
        cc = self._caption.GetPositionCoordinate()
        cc.SetCoordinateSystemToNormalizedViewport()
        cc.SetValue(0.02, 0.975)
        self._caption.SetVisibility(False)
        self._caption.PickableOff()
        self.renderer.AddViewProp(self._caption)
        self._legend_visible = True

    # ====================================================================== window
    def attach(self, window: vtkRenderWindow) -> None:
        """Add the scene's renderer to ``window`` (once)."""
        if not window.HasRenderer(self.renderer):
            window.AddRenderer(self.renderer)

    def detach(self) -> None:
        window = self.renderer.GetRenderWindow()
        if window is not None:
            window.RemoveRenderer(self.renderer)

    @property
    def window(self) -> vtkRenderWindow | None:
        return self.renderer.GetRenderWindow()

    def render(self) -> None:
        """Render the window the scene is attached to (no-op if not attached)."""
        window = self.window
        if window is not None:
            window.Render()

    def _on_start_render(self, *_args) -> None:
        self._reframe_if_resized()
        self.renderer.ResetCameraClippingRange()
        cam = self.renderer.GetActiveCamera()
        if self._silhouette.GetCamera() is not cam:
            self._silhouette.SetCamera(cam)
        if self._ground.GetVisibility():
            self._update_ground_colours()

    # ====================================================================== frame update
    def update(
        self,
        pose: Pose,
        activations: np.ndarray | None = None,
        modes: np.ndarray | None = None,
    ) -> None:
        """Show ``pose`` with muscle ``activations`` (n_muscles, 0..1) and contraction ``modes``
        (n_muscles int8 ContractionMode codes; eccentric muscles are striped). Does not render.

        ``activations=None`` keeps the previous activations (re-posing only); ``modes=None``
        means no contraction modes are known: no stripes, and the stripe key is hidden.
        """
        self._pose = pose
        mats = np.asarray(pose.bone_matrices, dtype=float)
        for matrix, m in zip(self._bone_matrices, mats, strict=True):
            matrix.DeepCopy(m.ravel())
        # Bellies hold their volumes (a shortening muscle bulges) and lie on the bones.
        self.muscles.update_geometry(pose)
        if activations is not None:
            self._activations = np.clip(np.asarray(activations, dtype=float), 0.0, 1.0)
        given = modes is not None
        if given:
            self._modes = np.asarray(modes, dtype=np.int8)
        elif self._modes_given:
            self._modes = np.zeros(self.n_muscles, np.int8)
        if given != self._modes_given:
            self._modes_given = given
            self._mode_hint.SetVisibility(self._legend_visible and given)
        self._recolour()
        self._update_hull_points()
        self._muscle_poly.Modified()
        self._ghost_poly.Modified()

    def _recolour(self) -> None:
        shown = np.clip(self._gain * self._activations, 0.0, 1.0)
        rgb = self._cmap(shown)  # (n, 3)
        dim = np.ones(self.n_muscles)
        if self._highlighted.any():
            dim[~self._highlighted] = HIGHLIGHT_DIM
        if self._selected is not None:
            dim *= SELECTION_DIM
            dim[self._selected] = 1.0
        if (dim < 1.0).any():
            rgb = rgb * dim[:, None]
        self.muscles.update_colours(rgb, TENDON_RGB, self.stripe_depths())

    def stripe_depths(self) -> np.ndarray:
        """How much darker (0..1) the alternate bands of each muscle's belly are drawn: only
        muscles lengthening while meaningfully active (eccentric, activation >= 10 %)."""
        banded = (self._modes == ContractionMode.ECCENTRIC) & (
            self._activations >= STRIPE_MIN_ACTIVATION
        )
        return np.where(banded, STRIPE_DEPTH, 0.0)

    # ====================================================================== appearance
    @property
    def gain(self) -> float:
        return self._gain

    def set_gain(self, gain: float) -> None:
        """Displayed activation = clip(gain * activation, 0, 1), so that low activity shows."""
        if not gain > 0:
            raise ValueError("gain must be positive")
        self._gain = float(gain)
        self._update_legend()
        self._recolour()

    def set_colormap(self, name: str) -> None:
        """Switch the activation colour map (see ``scene.colormaps.COLORMAPS``)."""
        self._cmap = colormap(name)
        self._update_legend()
        self._recolour()

    @property
    def colormap(self) -> ColorMap:
        return self._cmap

    def _update_legend(self) -> None:
        # The bar shows activation in percent: with a gain g > 1 the colours saturate at 100/g %.
        top = 100.0 / max(self._gain, 1.0)
        self._lut = self._cmap.lookup_table((0.0, top))
        self._legend.SetLookupTable(self._lut)
        ticks = _nice_ticks(top)
        labels = vtkDoubleArray()
        for v in ticks:
            labels.InsertNextValue(v)
        self._legend.SetCustomLabels(labels)
        self._legend.UseCustomLabelsOn()
        self._legend.SetLabelFormat("%.0f%%" if all(v == round(v) for v in ticks) else "%.1f%%")
        title = "Activation" if self._gain == 1.0 else f"Activation\n(gain x{self._gain:g})"
        self._legend.SetTitle(title)

    def set_legend_visible(self, visible: bool) -> None:
        self._legend_visible = bool(visible)
        self._legend.SetVisibility(self._legend_visible)
        self._mode_hint.SetVisibility(self._legend_visible and self._modes_given)

    @property
    def legend_visible(self) -> bool:
        return self._legend_visible

    def set_legend_placement(self, x: float = 0.9, y: float = 0.28, height: float = 0.46) -> None:
        """Place the colour legend: lower-left corner and height in normalised viewport
        coordinates (the defaults are the usual place); the stripe key goes under it. A narrow
        viewport (half of a side-by-side view) needs a smaller x so that the labels fit."""
        self._legend.GetPositionCoordinate().SetValue(float(x), float(y))
        self._legend.SetHeight(float(height))
        self._mode_hint.GetPositionCoordinate().SetValue(0.985, float(y) - 0.03)

    @property
    def caption(self) -> str | None:
        """The caption shown, or None."""
        return str(self._caption.GetInput()) if self._caption.GetVisibility() else None

    def set_caption(self, text: str | None) -> None:
        """Text in the top-left corner (phase name and percent, guided-view titles); None hides."""
        if text:
            self._caption.SetInput(text)
            self._caption.SetVisibility(True)
        else:
            self._caption.SetVisibility(False)

    def set_bone_opacity(self, opacity: float) -> None:
        """Bone opacity 0..1; translucent bones (< 0.5) no longer hide muscles from picking."""
        self._bone_opacity = float(np.clip(opacity, 0.0, 1.0))
        for actor in self._bone_actors:
            actor.GetProperty().SetOpacity(self._bone_opacity)
        self._apply_side_to_bones()

    def set_ground_visible(self, visible: bool) -> None:
        self._ground.SetVisibility(bool(visible))
        self._grid.SetVisibility(bool(visible))

    @property
    def ground_visible(self) -> bool:
        return bool(self._ground.GetVisibility())

    # ====================================================================== visibility, selection
    def set_muscle_visible(self, mask) -> None:
        """Show only the muscles in ``mask`` (bool (n,) or indices); None shows all."""
        self._user_visible = (
            np.ones(self.n_muscles, bool) if mask is None else _mask(mask, self.n_muscles)
        )
        self._apply_states()

    def set_isolated(self, mask) -> None:
        """Isolate muscles: the others fade to translucent ghosts. None or empty ends isolation."""
        self._isolated = _mask(mask, self.n_muscles)
        self._apply_states()

    def set_highlighted(self, mask) -> None:
        """Outline the muscles in ``mask`` and dim the others; None or empty clears."""
        self._highlighted = _mask(mask, self.n_muscles)
        self._apply_states()
        self._recolour()

    def set_selected(self, index: int | None) -> None:
        """Select one muscle: a bright outline around it, the others dimmed slightly."""
        if index is not None and not 0 <= int(index) < self.n_muscles:
            raise IndexError(f"no muscle {index}")
        self._selected = None if index is None else int(index)
        self._apply_states()
        self._recolour()

    @property
    def selected(self) -> int | None:
        return self._selected

    def set_side_visible(self, r: bool, l: bool) -> None:  # noqa: E741 (side names)
        """Show or hide the right and left leg (bones and muscles)."""
        self._side_visible = {"r": bool(r), "l": bool(l)}
        self._apply_side_to_bones()
        self._apply_states()

    def display_state(self) -> dict:
        """What the viewer chose to see, apart from the pose, legend and caption: shown,
        isolated and highlighted muscles, selection, legs, bone opacity, gain and colour map.
        ``set_display_state`` gives another scene the same (e.g. a side-by-side comparison)."""
        return {
            "visible": self._user_visible.copy(),
            "isolated": self._isolated.copy(),
            "highlighted": self._highlighted.copy(),
            "selected": self._selected,
            "sides": (self._side_visible["r"], self._side_visible["l"]),
            "bone_opacity": self._bone_opacity,
            "gain": self._gain,
            "colormap": self._cmap.name,
        }

    def set_display_state(self, state: dict) -> None:
        """Apply a ``display_state()`` (of this or another scene of the same model) at once."""
        n = self.n_muscles
        self._user_visible = _mask(state["visible"], n)
        self._isolated = _mask(state["isolated"], n)
        self._highlighted = _mask(state["highlighted"], n)
        selected = state["selected"]
        self._selected = None if selected is None else int(selected)
        r, l = state["sides"]  # noqa: E741 (side names)
        self._side_visible = {"r": bool(r), "l": bool(l)}
        self._bone_opacity = float(np.clip(state["bone_opacity"], 0.0, 1.0))
        for actor in self._bone_actors:
            actor.GetProperty().SetOpacity(self._bone_opacity)
        self._apply_side_to_bones()
        self._gain = float(state["gain"])
        self._cmap = colormap(state["colormap"])
        self._update_legend()
        self._apply_states()
        self._recolour()

    def _apply_side_to_bones(self) -> None:
        for actor, side in zip(self._bone_actors, self._bone_sides, strict=True):
            # The sacrum ("c", in the middle) belongs to both legs.
            shown = any(self._side_visible.values()) if side == "c" else self._side_visible[side]
            actor.SetVisibility(shown and self._bone_opacity > 0.0)

    @property
    def tendon_actor(self) -> vtkActor:
        """The actor of the muscles' tendons (same points as ``muscle_actor``, glossier)."""
        return self._tendon_actor

    @property
    def bone_actors(self) -> tuple[vtkActor, ...]:
        """One actor per bone, in ``LegModel.bones`` order."""
        return tuple(self._bone_actors)

    def visible_muscles(self) -> np.ndarray:
        """Mask of the muscles drawn (opaque or faded)."""
        side_ok = np.array([self._side_visible[s] for s in self._muscle_side])
        return self._user_visible & side_ok

    def _apply_states(self) -> None:
        visible = self.visible_muscles()
        isolating = bool((self._isolated & visible).any())
        faded = visible & ~self._isolated if isolating else np.zeros_like(visible)
        main = visible & ~faded
        main_idx = np.flatnonzero(main)
        ghost_idx = np.flatnonzero(faded)
        bodies = self.muscles
        for poly, tendon, attr in (
            (self._muscle_poly, False, "_main_cell_muscle"),
            (self._tendon_poly, True, "_tendon_cell_muscle"),
        ):
            tris, owner = bodies.cells(main_idx, tendon=tendon)
            poly.SetPolys(_vtk_triangles(tris))
            setattr(self, attr, owner)
            ids = vtkIntArray()
            ids.SetName("muscle")
            ids.SetNumberOfTuples(len(owner))
            vtk_to_numpy(ids)[:] = owner
            poly.GetCellData().AddArray(ids)
            poly.Modified()
        self._ghost_poly.SetPolys(_vtk_triangles(bodies.cells(ghost_idx)[0]))
        self.muscle_actor.SetVisibility(len(main_idx) > 0)
        self._tendon_actor.SetVisibility(len(main_idx) > 0)
        self._ghost_actor.SetVisibility(len(ghost_idx) > 0)
        self._ghost_poly.Modified()

        outlined = self._highlighted.copy()
        if self._selected is not None:
            outlined[self._selected] = True
        hull = np.flatnonzero(outlined & main)
        selected = -1 if self._selected is None else self._selected
        if not np.array_equal(hull, self._hull_muscles) or self._hull_selected != selected:
            self._hull_muscles = hull
            self._hull_selected = selected
            # A thicker rim around the selected muscle than around highlighted ones.
            ids = bodies.vertex_ids(hull)
            tris, owner = bodies.cells(hull)
            local = np.searchsorted(ids, tris)
            vertex_owner = np.zeros(len(ids), np.int64)
            vertex_owner[local.ravel()] = np.repeat(owner, 3)
            is_sel = (vertex_owner == selected)[:, None]
            self._hull_ids = ids
            self._hull_factor = np.where(is_sel, 1.12, 1.06)
            self._hull_extra = np.where(is_sel, 0.005, 0.003)
            pts = vtkPoints()
            pts.SetDataType(VTK_FLOAT)
            pts.SetNumberOfPoints(len(ids))
            self._hull_poly.SetPoints(pts)
            self._hull_poly.SetPolys(_vtk_triangles(local))
            colours = np.where(is_sel, SELECTED_OUTLINE_RGB, HIGHLIGHT_OUTLINE_RGB)
            self._hull_poly.GetPointData().SetScalars(
                numpy_to_vtk(
                    (colours * 255).astype(np.uint8), deep=True, array_type=VTK_UNSIGNED_CHAR
                )
            )
        self._hull_actor.SetVisibility(len(hull) > 0)
        if self._sel_for != self._selected:
            self._sel_for = self._selected
            ids = bodies.vertex_ids([] if self._selected is None else [self._selected])
            tris, _ = bodies.cells([] if self._selected is None else [self._selected])
            self._sel_ids = ids
            pts = vtkPoints()
            pts.SetDataType(VTK_FLOAT)
            pts.SetNumberOfPoints(len(ids))
            self._sel_poly.SetPoints(pts)
            self._sel_poly.SetPolys(_vtk_triangles(np.searchsorted(ids, tris)))
        self._update_hull_points()

    def _update_hull_points(self) -> None:
        sel = self._selected
        show_outline = sel is not None and bool(self.visible_muscles()[sel])
        self._sel_outline.SetVisibility(show_outline)
        if show_outline:
            pts = self._sel_poly.GetPoints()
            vtk_to_numpy(pts.GetData())[:] = self._points_np[self._sel_ids]
            pts.Modified()
            self._sel_poly.Modified()
        if len(self._hull_muscles) == 0:
            return
        pts = self._hull_poly.GetPoints()
        vtk_to_numpy(pts.GetData())[:] = self.muscles.inflated(
            self._hull_ids, self._hull_factor, self._hull_extra
        )
        pts.Modified()
        self._hull_poly.Modified()

    # ====================================================================== camera
    @property
    def view(self) -> str:
        return self._view

    def set_view(self, name: str) -> None:
        """Camera preset: "side" (from the right), "left", "front", "back", "three_quarter"."""
        if name not in VIEWS:
            raise KeyError(f"no view {name!r}; choose one of {', '.join(VIEWS)}")
        self._view = name
        self.reset_camera()

    def framing_points(self, pose: Pose | None = None) -> np.ndarray:
        """Corners (k, 3) a camera preset keeps in view for ``pose`` (default: the pose shown):
        the posed bones, the floor under them and a standard body envelope."""
        return self._framing_box(pose, extra=False)

    def _framing_box(self, pose: Pose | None = None, extra: bool = True) -> np.ndarray:
        """Corners (k, 3) the camera must keep in view: the posed bones, the floor under them
        and a standard body envelope (so the framing does not jump during a gait cycle)."""
        pose = self._pose if pose is None else pose
        pts = [np.array([[x, y, z] for x in (-0.2, 0.2) for y in (-0.3, 0.3) for z in (0.0, 1.1)])]
        if extra and self.frame_also is not None and len(self.frame_also):
            pts.append(np.asarray(self.frame_also, dtype=float).reshape(-1, 3))
        if pose is not None:
            m = np.asarray(pose.bone_matrices)
            world = np.einsum("bij,bkj->bki", m[:, :3, :3], self._bone_corners) + m[:, None, :3, 3]
            world = world.reshape(-1, 3)
            pts.append(world)
            floor = world.copy()
            floor[:, 2] = 0.0
            pts.append(floor)
        return np.concatenate(pts)

    def reset_camera(self) -> None:
        """Frame the whole leg, feet and floor included, from the current preset direction."""
        direction = np.array(VIEWS[self._view], dtype=float)
        direction /= np.linalg.norm(direction)
        pts = self._framing_box()
        lo, hi = pts.min(0), pts.max(0)
        centre = 0.5 * (lo + hi)
        forward = -direction
        right = np.cross(forward, [0.0, 0.0, 1.0])
        right /= np.linalg.norm(right)
        up = np.cross(right, forward)
        cam = self.renderer.GetActiveCamera()
        angle = 30.0
        cam.SetViewAngle(angle)
        tan_v = np.tan(np.deg2rad(angle / 2.0))
        aspect = self._aspect()
        rel = pts - centre
        x, y, z = rel @ right, rel @ up, rel @ forward
        # Centre the projected extents, then back off until every corner fits.
        centre = centre + right * 0.5 * (x.max() + x.min()) + up * 0.5 * (y.max() + y.min())
        rel = pts - centre
        x, y, z = rel @ right, rel @ up, rel @ forward
        inset = min(max(float(self.frame_right_inset), 0.0), 0.5)
        dist = max(
            np.max(np.abs(y) * _FRAMING_MARGIN / tan_v + z),
            np.max(np.abs(x) * _FRAMING_MARGIN / (tan_v * aspect * (1.0 - inset)) + z),
        )
        # With an inset, move the camera right so the leg fills the rest of the width.
        centre = centre + right * inset * dist * tan_v * aspect
        cam.SetFocalPoint(*centre)
        cam.SetPosition(*(centre + direction * dist))
        cam.SetViewUp(0.0, 0.0, 1.0)
        cam.OrthogonalizeViewUp()
        self.renderer.ResetCameraClippingRange()
        self._framed = (self._camera_state(), round(aspect, 3))

    def _camera_state(self) -> tuple:
        cam = self.renderer.GetActiveCamera()
        return (cam.GetPosition(), cam.GetFocalPoint(), cam.GetViewUp(), cam.GetViewAngle())

    def _reframe_if_resized(self) -> None:
        """Re-frame the preset when the window's shape changed and the user has not moved the
        camera since (e.g. a preset chosen before a Qt window got its real size)."""
        if self._framed is None:
            return
        state, aspect = self._framed
        if round(self._aspect(), 3) != aspect and self._camera_state() == state:
            self.reset_camera()

    def _aspect(self) -> float:
        window = self.window
        if window is not None:
            w, h = window.GetSize()
            vp = self.renderer.GetViewport()
            w, h = w * (vp[2] - vp[0]), h * (vp[3] - vp[1])
            if w > 0 and h > 0:
                return float(w) / float(h)
        return 1280.0 / 800.0

    # ====================================================================== picking
    def pick(self, x: float, y: float) -> int | None:
        """Index of the muscle drawn at display position (x, y) (pixels, origin bottom-left),
        or None for empty space, a bone in front, or a faded muscle."""
        picker = self._picker
        picker.InitializePickList()
        if self.muscle_actor.GetVisibility():
            picker.AddPickList(self.muscle_actor)
            picker.AddPickList(self._tendon_actor)
        if self._bone_opacity >= 0.5:
            for actor in self._bone_actors:
                if actor.GetVisibility():
                    picker.AddPickList(actor)
        if not picker.Pick(x, y, 0.0, self.renderer):
            return None
        actor = picker.GetActor()
        if actor is self.muscle_actor:
            table = self._main_cell_muscle
        elif actor is self._tendon_actor:
            table = self._tendon_cell_muscle
        else:
            return None
        cell = picker.GetCellId()
        if not 0 <= cell < len(table):
            return None
        return int(table[cell])

    def display_position(self, world_xyz: Sequence[float]) -> tuple[float, float]:
        """Display coordinates (pixels, origin bottom-left) of a world point."""
        self._coordinate.SetValue(*(float(v) for v in world_xyz))
        x, y = self._coordinate.GetComputedDoubleDisplayValue(self.renderer)
        return float(x), float(y)

    def muscle_anchor(self, index: int) -> np.ndarray:
        """A world point on muscle ``index``'s belly surface facing the camera: where it shows
        in the middle of its belly if it does, elsewhere on its belly if only that shows."""
        cam = np.array(self.renderer.GetActiveCamera().GetPosition())
        candidates = self.muscles.anchor_candidates(int(index), cam)
        if self.window is not None:
            for p in candidates:
                if self.pick(*self.display_position(p)) == int(index):
                    return p
        return candidates[0]

    def muscle_centre(self, index: int) -> np.ndarray:
        """The mid-point of muscle ``index``'s path (inside the belly)."""
        return self.muscles.centre(int(index))
