"""The muscles' actors: every body in one set of points, coloured by activation, in place.

:class:`MuscleLayer` draws the muscle geometry of
:class:`~anatomy_viewer.scene.muscle_bodies.MuscleBodies` (``bodies``) behind a narrow
interface, the whole of what the scene does with muscles:

- ``MuscleLayer(renderer, model, neutral_pose, cmap)`` builds the actors once (bellies,
  glossy tendons, faded ghosts, outline shells, the selected muscle's silhouette);
- :meth:`MuscleLayer.update` writes one frame's geometry and colours into the existing arrays
  (a pose's muscle paths and bones, activations, contraction modes);
- :meth:`MuscleLayer.set_state` chooses what is drawn (visible, isolated, highlighted,
  selected); :meth:`MuscleLayer.set_colours` the colour map and gain;
  :meth:`MuscleLayer.set_colour_mode` what the colours show: activation (in the colour map)
  or the fibre types at work (``scene.colormaps.FIBRE_COLOURS``);
- picking reads ``pick_tables`` (each pickable actor with the muscle of each of its cells).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from vtkmodules.util.numpy_support import numpy_to_vtk, vtk_to_numpy
from vtkmodules.vtkCommonCore import VTK_FLOAT, VTK_UNSIGNED_CHAR, vtkIntArray, vtkPoints
from vtkmodules.vtkCommonDataModel import vtkCellArray, vtkPolyData
from vtkmodules.vtkFiltersHybrid import vtkPolyDataSilhouette
from vtkmodules.vtkRenderingCore import (
    vtkActor,
    vtkActor2D,
    vtkCamera,
    vtkCoordinate,
    vtkPolyDataMapper,
    vtkPolyDataMapper2D,
    vtkRenderer,
)

from anatomy_viewer.anatomy.fibre_types import type1_fraction
from anatomy_viewer.anatomy.model import LegModel, Pose
from anatomy_viewer.app.display import COLOUR_MODES
from anatomy_viewer.gait.contraction import ContractionMode
from anatomy_viewer.gait.fibre_use import fibre_states
from anatomy_viewer.scene.colormaps import ColorMap, fibre_colours
from anatomy_viewer.scene.muscle_bodies import MuscleBodies
from anatomy_viewer.scene.vtk_util import vtk_triangles

TENDON_RGB = np.array([0.93, 0.88, 0.80])
GHOST_RGB = (0.72, 0.76, 0.82)
SELECTED_OUTLINE_RGB = np.array([0.30, 0.90, 1.00])
HIGHLIGHT_OUTLINE_RGB = np.array([0.96, 0.96, 0.96])
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
#: The colour modes (``app.display.COLOUR_MODES``) drawn here.
ACTIVATION, FIBRE_TYPES = "activation", "fibre_types"


class MuscleSurface(NamedTuple):
    """The muscles' surfaces as drawn at one instant (see :meth:`MuscleLayer.surface`)."""

    points: np.ndarray  # (n_vertices, 3) world, metres
    normals: np.ndarray  # (n_vertices, 3) unit, outwards
    colours: np.ndarray  # (n_vertices, 3) uint8, as shown
    triangles: np.ndarray  # (k, 3) vertex ids, bellies and tendons, wound outwards
    line: np.ndarray  # (k,) the muscle line (model muscle index) of every triangle
    around: np.ndarray  # (n_vertices,) each vertex's place round its cross-section (-1: an end)
    sides: int  # vertices round a cross-section


class MuscleLayer:
    """The muscles of ``model`` in ``renderer``, built around ``neutral`` (a pose)."""

    def __init__(
        self, renderer: vtkRenderer, model: LegModel, neutral: Pose, cmap: ColorMap
    ) -> None:
        self.renderer = renderer
        self.model = model
        self.n = model.n_muscles
        n = self.n
        self._activations = np.zeros(n)
        self._modes = np.zeros(n, np.int8)
        self.modes_given = False
        self._gain = 1.0
        self._cmap = cmap
        self._mode = ACTIVATION
        self._type1 = type1_fraction(model.muscle_names)  # share of slow fibres per muscle
        self._visible = np.ones(n, bool)
        self._isolated = np.zeros(n, bool)
        self._highlighted = np.zeros(n, bool)
        self._selected: int | None = None
        self._build(neutral)
        self._apply_states()

    def _build(self, neutral: Pose) -> None:
        # All muscles share one set of points, normals and colours (scene.muscle_bodies);
        # the belly, tendon and faded polydata below take their cells from it.
        self.bodies = MuscleBodies(self.model, neutral)
        self._points = self.bodies.points
        self._normals = self.bodies.normals
        self._colours = self.bodies.colours
        self._points_np = self.bodies.points_np

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

    # ------------------------------------------------------------------ per frame
    def update(self, pose: Pose, activations=None, modes=None) -> None:
        """Write the bodies of ``pose`` and their colours in place (see
        :meth:`LegScene.update` for ``activations`` and ``modes``)."""
        # Bellies hold their volumes (a shortening muscle bulges) and lie on the bones.
        self.bodies.update_geometry(pose)
        if activations is not None:
            self._activations = np.clip(np.asarray(activations, dtype=float), 0.0, 1.0)
        given = modes is not None
        if given:
            self._modes = np.asarray(modes, dtype=np.int8)
        elif self.modes_given:
            self._modes = np.zeros(self.n, np.int8)
        self.modes_given = given
        self._recolour()
        self._update_hull_points()
        self._muscle_poly.Modified()
        self._tendon_poly.Modified()
        self._ghost_poly.Modified()

    # ------------------------------------------------------------------ appearance
    def set_colours(self, cmap: ColorMap, gain: float) -> None:
        """Colour map and gain (displayed activation = clip(gain * activation, 0, 1))."""
        self._cmap = cmap
        self._gain = float(gain)
        self._recolour()

    def set_colour_mode(self, mode: str) -> None:
        """``"activation"``: each muscle in the colour map by its activation (times the gain);
        ``"fibre_types"``: by the fibres it is using (recruitment by size from its activation,
        the gain left out): at rest, slow fibres only, or fast fibres recruited as well."""
        if mode not in COLOUR_MODES:
            raise ValueError(f"no colour mode {mode!r}; choose one of {', '.join(COLOUR_MODES)}")
        if mode != self._mode:
            self._mode = mode
            self._recolour()

    @property
    def colour_mode(self) -> str:
        return self._mode

    def fibre_states(self) -> np.ndarray:
        """Each muscle's ``FibreState`` (int8) at the activations shown."""
        return fibre_states(self._activations, self._type1)

    def set_state(
        self,
        visible: np.ndarray,
        isolated: np.ndarray,
        highlighted: np.ndarray,
        selected: int | None,
    ) -> None:
        """Which muscles are drawn (masks of n): ``visible`` at all; while ``isolated`` has a
        visible muscle, the others are faded ghosts; ``highlighted`` outlined (the others
        dimmed); ``selected`` outlined brighter (the others dimmed slightly)."""
        recolour = not (
            np.array_equal(highlighted, self._highlighted) and selected == self._selected
        )
        self._visible = np.asarray(visible, bool).copy()
        self._isolated = np.asarray(isolated, bool).copy()
        self._highlighted = np.asarray(highlighted, bool).copy()
        self._selected = selected
        self._apply_states()
        if recolour:
            self._recolour()

    def set_camera(self, camera: vtkCamera) -> None:
        """The camera the selected muscle's silhouette is computed for."""
        if self._silhouette.GetCamera() is not camera:
            self._silhouette.SetCamera(camera)

    def _recolour(self) -> None:
        if self._mode == FIBRE_TYPES:
            rgb = fibre_colours(self.fibre_states())  # (n, 3)
        else:
            rgb = self._cmap(np.clip(self._gain * self._activations, 0.0, 1.0))
        dim = np.ones(self.n)
        if self._highlighted.any():
            dim[~self._highlighted] = HIGHLIGHT_DIM
        if self._selected is not None:
            dim *= SELECTION_DIM
            dim[self._selected] = 1.0
        if (dim < 1.0).any():
            rgb = rgb * dim[:, None]
        self.bodies.update_colours(rgb, TENDON_RGB, self.stripe_depths())

    def stripe_depths(self) -> np.ndarray:
        """How much darker (0..1) the alternate bands of each muscle's belly are drawn: only
        muscles lengthening while meaningfully active (eccentric, activation >= 10 %)."""
        banded = (self._modes == ContractionMode.ECCENTRIC) & (
            self._activations >= STRIPE_MIN_ACTIVATION
        )
        return np.where(banded, STRIPE_DEPTH, 0.0)

    def _apply_states(self) -> None:
        visible = self._visible
        isolating = bool((self._isolated & visible).any())
        faded = visible & ~self._isolated if isolating else np.zeros_like(visible)
        main = visible & ~faded
        main_idx = np.flatnonzero(main)
        ghost_idx = np.flatnonzero(faded)
        bodies = self.bodies
        for poly, tendon, attr in (
            (self._muscle_poly, False, "_main_cell_muscle"),
            (self._tendon_poly, True, "_tendon_cell_muscle"),
        ):
            tris, owner = bodies.cells(main_idx, tendon=tendon)
            poly.SetPolys(vtk_triangles(tris))
            setattr(self, attr, owner)
            ids = vtkIntArray()
            ids.SetName("muscle")
            ids.SetNumberOfTuples(len(owner))
            vtk_to_numpy(ids)[:] = owner
            poly.GetCellData().AddArray(ids)
            poly.Modified()
        self._ghost_poly.SetPolys(vtk_triangles(bodies.cells(ghost_idx)[0]))
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
            self._hull_poly.SetPolys(vtk_triangles(local))
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
            self._sel_poly.SetPolys(vtk_triangles(np.searchsorted(ids, tris)))
        self._update_hull_points()

    def _update_hull_points(self) -> None:
        sel = self._selected
        show_outline = sel is not None and bool(self._visible[sel])
        self._sel_outline.SetVisibility(show_outline)
        if show_outline:
            pts = self._sel_poly.GetPoints()
            vtk_to_numpy(pts.GetData())[:] = self._points_np[self._sel_ids]
            pts.Modified()
            self._sel_poly.Modified()
        if len(self._hull_muscles) == 0:
            return
        pts = self._hull_poly.GetPoints()
        vtk_to_numpy(pts.GetData())[:] = self.bodies.inflated(
            self._hull_ids, self._hull_factor, self._hull_extra
        )
        pts.Modified()
        self._hull_poly.Modified()

    # ------------------------------------------------------------------ queries
    @property
    def actor(self) -> vtkActor:
        """The opaque bellies' actor."""
        return self.muscle_actor

    @property
    def tendon_actor(self) -> vtkActor:
        """The tendons' actor (same points as the bellies, glossier)."""
        return self._tendon_actor

    @property
    def pick_tables(self) -> tuple[tuple[vtkActor, np.ndarray], ...]:
        """Each actor a click may hit, with the muscle of each of its cells."""
        return (
            (self.muscle_actor, self._main_cell_muscle),
            (self._tendon_actor, self._tendon_cell_muscle),
        )

    @property
    def cell_muscle(self) -> np.ndarray:
        """The muscle index of every cell of the opaque bellies' polydata."""
        return self._main_cell_muscle

    @property
    def poly(self) -> vtkPolyData:
        """The polydata of the opaque bellies (points shared with tendons and ghosts)."""
        return self._muscle_poly

    @property
    def tendon_poly(self) -> vtkPolyData:
        return self._tendon_poly

    @property
    def activations(self) -> np.ndarray:
        return self._activations

    def surface(self) -> MuscleSurface:
        """A copy of every muscle's surface as drawn now (pose, colours), for export: each
        body is closed; a sheet's triangles are shared out among its lines."""
        tris, line = self.bodies.cells(np.arange(self.n))
        shapes = self.bodies.shapes  # bodies of rings of ``sides`` vertices and two end points
        local = np.arange(shapes.n_vertices) % shapes.verts_per_body
        ring_part = local < shapes.rings * shapes.sides
        return MuscleSurface(
            self.bodies.points_np.astype(np.float64),
            self.bodies.normals_np.astype(np.float64),
            self.bodies.colours_np.copy(),
            np.asarray(tris, np.int64),
            np.asarray(line, np.int64),
            np.where(ring_part, local % shapes.sides, -1),
            int(shapes.sides),
        )
