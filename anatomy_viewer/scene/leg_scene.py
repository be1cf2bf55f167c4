"""The 3-D leg: bones, muscle bellies coloured by activation, ground, legend, camera and picking.

``LegScene`` owns one vtkRenderer and is the one object the rest of the program draws with.
Attach it to any vtkRenderWindow (the Qt viewport's, or an offscreen one from
:mod:`anatomy_viewer.scene.offscreen`) and call :meth:`LegScene.update` with a ``Pose`` each
frame: bones move by their user matrices, and the 80 muscles, one merged vtkPolyData of fixed
topology, get new vertices, normals and colours written in place.

Its parts, one module each: :mod:`~anatomy_viewer.scene.bones`,
:mod:`~anatomy_viewer.scene.ground`, :mod:`~anatomy_viewer.scene.muscles` (the whole muscle
geometry), :mod:`~anatomy_viewer.scene.overlays` (legend and caption),
:mod:`~anatomy_viewer.scene.camera` (presets and framing), :mod:`~anatomy_viewer.scene.picking`;
:mod:`~anatomy_viewer.scene.display` applies the application's display state to a scene.

MuJoCo's world is z-up, the body faces -y and the right leg is at -x; the floor is z = 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import vtkmodules.vtkInteractionStyle  # noqa: F401  (registers the default interactor style)
import vtkmodules.vtkRenderingFreeType  # noqa: F401  (text rendering)
import vtkmodules.vtkRenderingOpenGL2  # noqa: F401  (registers the OpenGL back end)
from vtkmodules.vtkRenderingCore import vtkActor, vtkLightKit, vtkRenderer, vtkRenderWindow

from anatomy_viewer.anatomy.model import LegModel, Pose
from anatomy_viewer.scene.bones import Bones
from anatomy_viewer.scene.camera import (
    CLOSE_MARGIN,
    FRAMING_MARGIN,
    VIEWS,
    body_envelope,
    frame_points,
    frame_preset,
)
from anatomy_viewer.scene.colormaps import DEFAULT_COLORMAP, ColorMap, colormap
from anatomy_viewer.scene.ground import Ground
from anatomy_viewer.scene.muscles import STRIPE_MIN_ACTIVATION, MuscleLayer
from anatomy_viewer.scene.overlays import Overlays
from anatomy_viewer.scene.picking import Picker
from anatomy_viewer.scene.vtk_util import mask_of, signals_held

__all__ = ["STRIPE_MIN_ACTIVATION", "VIEWS", "LegScene"]

BACKGROUND_BOTTOM = (0.105, 0.115, 0.135)
#: A close framing leaves this fraction of the bones' height free above them (the caption).
CAPTION_ROOM = 0.18
BACKGROUND_TOP = (0.33, 0.36, 0.41)


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

        self.renderer = vtkRenderer()
        self.renderer.GradientBackgroundOn()
        self.renderer.SetBackground(*BACKGROUND_BOTTOM)
        self.renderer.SetBackground2(*BACKGROUND_TOP)
        kit = vtkLightKit()
        kit.SetKeyLightIntensity(0.85)
        kit.AddLightsToRenderer(self.renderer)
        self.renderer.AddObserver("StartEvent", self._on_start_render)

        # What is drawn ----------------------------------------------------------------------
        self._gain = 1.0
        self._cmap: ColorMap = colormap(colormap_name)
        self._user_visible = np.ones(nm, bool)
        self._side_visible = {"r": True, "l": True}
        self._isolated = np.zeros(nm, bool)
        self._highlighted = np.zeros(nm, bool)
        self._selected: int | None = None
        self._view = "side"
        self._framing: tuple[str, ...] = ()
        self._pose: Pose | None = None
        self._framed: tuple | None = None  # camera state, aspect and how of the last framing
        self._stride: np.ndarray | None = None  # bone vertices over the stride shown
        #: Camera presets also keep these world points (k, 3) in view (e.g. the poses of a
        #: second leg sharing the camera) and leave this fraction of the viewport's width free
        #: at its right edge (for the legend of a narrow viewport).
        self.frame_also: np.ndarray | None = None
        self.frame_right_inset = 0.0

        self.bones = Bones(self.renderer, model, subdivide_bones)
        self.ground = Ground(self.renderer)
        neutral = model.pose({})
        #: The muscles' actors; ``muscles`` is their geometry (the bodies' points and shapes).
        self.muscle_layer = MuscleLayer(self.renderer, model, neutral, self._cmap)
        self.muscles = self.muscle_layer.bodies
        self.overlays = Overlays(self.renderer, self._cmap)
        self._picker = Picker(self.renderer)

        self._apply_states()
        self.update(neutral)
        self.set_view("side")

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
            with signals_held():
                window.Render()

    def _on_start_render(self, *_args) -> None:
        self._reframe_if_resized()
        self.renderer.ResetCameraClippingRange()
        self.muscle_layer.set_camera(self.renderer.GetActiveCamera())
        if self.ground.visible:
            self.ground.update_colours(self._aspect())

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
        self.bones.update(pose.bone_matrices)
        self.muscle_layer.update(pose, activations, modes)
        self.overlays.set_modes_known(modes is not None)

    @property
    def pose(self) -> Pose | None:
        """The pose shown (the last one given to :meth:`update`)."""
        return self._pose

    def set_ghost_pose(self, pose: Pose | None) -> None:
        """Draw the bones of a second pose as see-through ghosts (None: none)."""
        self.bones.set_ghost(None if pose is None else pose.bone_matrices)

    @property
    def ghost_visible(self) -> bool:
        return self.bones.ghost_visible

    # ====================================================================== appearance
    @property
    def gain(self) -> float:
        return self._gain

    def set_gain(self, gain: float) -> None:
        """Displayed activation = clip(gain * activation, 0, 1), so that low activity shows."""
        if not gain > 0:
            raise ValueError("gain must be positive")
        self._gain = float(gain)
        self._colours_changed()

    def set_colormap(self, name: str) -> None:
        """Switch the activation colour map (see ``scene.colormaps.COLORMAPS``)."""
        self._cmap = colormap(name)
        self._colours_changed()

    def set_colour_mode(self, mode: str) -> None:
        """What the muscles' colours show: ``"activation"`` (the colour map) or
        ``"fibre_types"`` (at rest, slow fibres only, fast fibres recruited; its own legend)."""
        self.muscle_layer.set_colour_mode(mode)
        self.overlays.set_fibre_legend(mode == "fibre_types")

    @property
    def colour_mode(self) -> str:
        return self.muscle_layer.colour_mode

    def fibre_states(self) -> np.ndarray:
        """Each muscle's ``FibreState`` at the activations shown (what "Fibre types" draws)."""
        return self.muscle_layer.fibre_states()

    def _colours_changed(self) -> None:
        self.overlays.set_colours(self._cmap, self._gain)
        self.muscle_layer.set_colours(self._cmap, self._gain)

    @property
    def colormap(self) -> ColorMap:
        return self._cmap

    def set_legend_visible(self, visible: bool) -> None:
        self.overlays.set_legend_visible(visible)

    @property
    def legend_visible(self) -> bool:
        return self.overlays.legend_visible

    def set_legend_placement(self, x: float = 0.9, y: float = 0.28, height: float = 0.46) -> None:
        """Place the colour legend (see :meth:`Overlays.set_legend_placement`)."""
        self.overlays.set_legend_placement(x, y, height)

    @property
    def caption(self) -> str | None:
        """The caption shown, or None."""
        return self.overlays.caption

    def set_caption(self, text: str | None) -> None:
        """Text in the top-left corner (phase name and percent, guided-view titles); None hides."""
        self.overlays.set_caption(text)

    def set_bone_opacity(self, opacity: float) -> None:
        """Bone opacity 0..1; translucent bones (< 0.5) no longer hide muscles from picking."""
        self.bones.set_opacity(opacity)

    def set_ground_visible(self, visible: bool) -> None:
        self.ground.set_visible(visible)

    @property
    def ground_visible(self) -> bool:
        return self.ground.visible

    # ====================================================================== visibility, selection
    def set_muscle_visible(self, mask) -> None:
        """Show only the muscles in ``mask`` (bool (n,) or indices); None shows all."""
        self._user_visible = (
            np.ones(self.n_muscles, bool) if mask is None else mask_of(mask, self.n_muscles)
        )
        self._apply_states()

    def set_isolated(self, mask) -> None:
        """Isolate muscles: the others fade to translucent ghosts. None or empty ends isolation."""
        self._isolated = mask_of(mask, self.n_muscles)
        self._apply_states()

    def set_highlighted(self, mask) -> None:
        """Outline the muscles in ``mask`` and dim the others; None or empty clears."""
        self._highlighted = mask_of(mask, self.n_muscles)
        self.overlays.set_dimmed_shown(bool(self._highlighted.any()))
        self._apply_states()

    def set_selected(self, index: int | None) -> None:
        """Select one muscle: a bright outline around it, the others dimmed slightly."""
        if index is not None and not 0 <= int(index) < self.n_muscles:
            raise IndexError(f"no muscle {index}")
        self._selected = None if index is None else int(index)
        self._apply_states()

    @property
    def selected(self) -> int | None:
        return self._selected

    def set_side_visible(self, r: bool, l: bool) -> None:  # noqa: E741 (side names)
        """Show or hide the right and left leg (bones and muscles)."""
        self._side_visible = {"r": bool(r), "l": bool(l)}
        self.bones.set_sides(r, l)
        self._apply_states()

    def display_state(self) -> dict:
        """What the viewer chose to see, apart from the pose, legend and caption: shown,
        isolated and highlighted muscles, selection, legs, bone opacity, gain, colour map and
        colour mode.
        ``set_display_state`` gives another scene the same (e.g. a picture of the view)."""
        return {
            "visible": self._user_visible.copy(),
            "isolated": self._isolated.copy(),
            "highlighted": self._highlighted.copy(),
            "selected": self._selected,
            "sides": (self._side_visible["r"], self._side_visible["l"]),
            "bone_opacity": self.bones.opacity,
            "gain": self._gain,
            "colormap": self._cmap.name,
            "colour_mode": self.colour_mode,
        }

    def set_display_state(self, state: dict) -> None:
        """Apply a ``display_state()`` (of this or another scene of the same model) at once."""
        n = self.n_muscles
        self._user_visible = mask_of(state["visible"], n)
        self._isolated = mask_of(state["isolated"], n)
        self._highlighted = mask_of(state["highlighted"], n)
        selected = state["selected"]
        self._selected = None if selected is None else int(selected)
        r, l = state["sides"]  # noqa: E741 (side names)
        self._side_visible = {"r": bool(r), "l": bool(l)}
        self.bones.set_sides(r, l)
        self.bones.set_opacity(state["bone_opacity"])
        self._gain = float(state["gain"])
        self._cmap = colormap(state["colormap"])
        self._colours_changed()
        self.set_colour_mode(state.get("colour_mode", "activation"))
        self._apply_states()

    @property
    def bone_opacity(self) -> float:
        return self.bones.opacity

    @property
    def bone_actors(self) -> tuple[vtkActor, ...]:
        """One actor per bone, in ``LegModel.bones`` order."""
        return tuple(self.bones.actors)

    def visible_muscles(self) -> np.ndarray:
        """Mask of the muscles drawn (opaque or faded)."""
        side_ok = np.array([self._side_visible[s] for s in self._muscle_side])
        return self._user_visible & side_ok

    def _apply_states(self) -> None:
        self.muscle_layer.set_state(
            self.visible_muscles(), self._isolated, self._highlighted, self._selected
        )

    # ====================================================================== muscle geometry
    @property
    def muscle_actor(self) -> vtkActor:
        """The actor of the muscles' bellies."""
        return self.muscle_layer.actor

    @property
    def tendon_actor(self) -> vtkActor:
        """The actor of the muscles' tendons (same points as ``muscle_actor``, glossier)."""
        return self.muscle_layer.tendon_actor

    def stripe_depths(self) -> np.ndarray:
        """How much darker (0..1) the alternate bands of each muscle's belly are drawn: only
        muscles lengthening while meaningfully active (eccentric, activation >= 10 %)."""
        return self.muscle_layer.stripe_depths()

    def muscle_anchor(self, index: int) -> np.ndarray:
        """A world point on muscle ``index``'s belly surface facing the camera: where it shows
        in the middle of its belly if it does, elsewhere on its belly if only that shows."""
        cam = np.array(self.renderer.GetActiveCamera().GetPosition())
        candidates = self.muscles.anchor_candidates(int(index), cam)
        if self.window is not None:
            for p in candidates:
                # The muscle at the point and all round its pixel: a click there (to the
                # nearest pixel) hits it.
                xf, yf = self.display_position(p)
                x, y = round(xf), round(yf)
                around = ((0, 0), (-1, 0), (1, 0), (0, -1), (0, 1))
                if self.pick(xf, yf) == int(index) and all(
                    self.pick(x + dx, y + dy) == int(index) for dx, dy in around
                ):
                    return p
            for p in candidates:
                if self.pick(*self.display_position(p)) == int(index):
                    return p
        return candidates[0]

    def muscle_centre(self, index: int) -> np.ndarray:
        """The mid-point of muscle ``index``'s path (inside the belly)."""
        return self.muscles.centre(int(index))

    # ====================================================================== camera
    @property
    def view(self) -> str:
        return self._view

    def set_view(self, name: str, framing: Iterable[str] = ()) -> None:
        """Camera preset: "side" (from the right), "left", "front", "back", "three_quarter".
        ``framing``: bone names to frame closely (e.g. one leg and the pelvis); none frames
        the whole leg, feet and floor included."""
        if name not in VIEWS:
            raise KeyError(f"no view {name!r}; choose one of {', '.join(VIEWS)}")
        self._view = name
        self._framing = tuple(framing)
        self.reset_camera()

    @property
    def framing(self) -> tuple[str, ...]:
        """The bones the camera preset frames closely (empty: the whole leg)."""
        return self._framing

    def framing_points(self, pose: Pose | None = None) -> np.ndarray:
        """Points (k, 3) a camera preset keeps in view for ``pose`` (default: the pose shown):
        the corners of the posed bones and the floor under them."""
        return self._framing_box(pose, extra=False)

    def _framing_box(self, pose: Pose | None = None, extra: bool = True) -> np.ndarray:
        """The bones' corners and the floor under them (and ``frame_also``)."""
        pose = self._pose if pose is None else pose
        pts = [np.zeros((0, 3))]
        if extra and self.frame_also is not None and len(self.frame_also):
            pts.append(np.asarray(self.frame_also, dtype=float).reshape(-1, 3))
        if pose is not None:
            world = self.bones.world_corners(pose.bone_matrices).reshape(-1, 3)
            pts.append(world)
            floor = world.copy()
            floor[:, 2] = 0.0
            pts.append(floor)
        return np.concatenate(pts)

    def reset_camera(self) -> None:
        """Frame the preset: the whole leg, feet and floor included, or the bones of
        ``framing`` closely."""
        cam = self.renderer.GetActiveCamera()
        aspect = self._aspect()
        inset = self.frame_right_inset
        # The bones over the whole stride shown: the framing holds still while the leg moves,
        # and is as large as the stride allows. Without a stride, the pose's bones and a
        # standard body's envelope with the floor under the bones (counted by their outline
        # at the leg's depth, so that their parts nearest the camera do not make it small).
        pose = self._pose
        pts = [np.zeros((0, 3))]
        if self.frame_also is not None and len(self.frame_also):
            pts.append(np.asarray(self.frame_also, dtype=float).reshape(-1, 3))
        flat = [np.zeros((0, 3))]
        if self._stride is not None:
            pts.append(self._stride)
        elif pose is not None:
            bones = self.bones.world_vertices(set(self.bones.names), pose.bone_matrices)
            pts.append(bones)
            floor = bones.copy()
            floor[:, 2] = 0.0
            flat += [body_envelope(), floor]
        frame_preset(cam, self._view, np.concatenate(pts), aspect, inset, flat=np.concatenate(flat))
        if self._framing and self._pose is not None:
            pts = self.bones.world_vertices(set(self._framing), self._pose.bone_matrices)
            if len(pts):
                # Room above the bones for the caption at the top left.
                top = pts[np.argmax(pts[:, 2])].copy()
                top[2] += CAPTION_ROOM * (pts[:, 2].max() - pts[:, 2].min())
                frame_points(cam, np.vstack([pts, top]), aspect, CLOSE_MARGIN)
        self.renderer.ResetCameraClippingRange()
        self._framed = (self._camera_state(), round(aspect, 3), self.reset_camera)

    def set_stride(self, bone_matrices: np.ndarray | None) -> None:
        """The bones' world matrices (k, n_bones, 4, 4) at poses spread over the stride shown:
        camera presets fit all of them, so the framing holds still while the leg moves and is
        as tight as this stride allows (None: a standard body's envelope instead). A preset
        the user has not moved since it was framed is framed anew."""
        if bone_matrices is None:
            self._stride = None
        else:
            names = set(self.bones.names)
            self._stride = np.concatenate(
                [self.bones.world_vertices(names, m) for m in np.asarray(bone_matrices)]
            )
        if self._framed is not None:
            state, _aspect, frame = self._framed
            if self._camera_state() == state:
                frame()

    def leg_points(self, pose: Pose | None = None) -> np.ndarray:
        """Vertices (k, 3) of the bones of the legs shown in ``pose`` (default: the pose
        shown), the pelvis and sacrum included."""
        pose = self._pose if pose is None else pose
        if pose is None:
            return np.zeros((0, 3))
        shown = {
            b.name
            for b in self.model.bones
            if (b.side == "c" and any(self._side_visible.values()))
            or self._side_visible.get(b.side, False)
        }
        return self.bones.world_vertices(shown, pose.bone_matrices)

    def frame_leg(self) -> None:
        """Fit the leg shown (bones of the legs shown, pelvis; while comparing, the other
        gait's leg too) in the view from the direction the camera looks now, e.g. after the
        user rotated or zoomed it."""
        pts = [self.leg_points()]
        if self.frame_also is not None and len(self.frame_also):
            pts.append(np.asarray(self.frame_also, dtype=float).reshape(-1, 3))
        pts = np.concatenate(pts)
        if len(pts) == 0:
            return
        aspect = self._aspect()
        frame_points(self.renderer.GetActiveCamera(), pts, aspect, FRAMING_MARGIN)
        self.renderer.ResetCameraClippingRange()
        self._framed = (self._camera_state(), round(aspect, 3), self.frame_leg)

    def _camera_state(self) -> tuple:
        cam = self.renderer.GetActiveCamera()
        return (cam.GetPosition(), cam.GetFocalPoint(), cam.GetViewUp(), cam.GetViewAngle())

    def _reframe_if_resized(self) -> None:
        """Re-frame the preset when the window's shape changed and the user has not moved the
        camera since (e.g. a preset chosen before a Qt window got its real size)."""
        if self._framed is None:
            return
        state, aspect, frame = self._framed
        if round(self._aspect(), 3) != aspect and self._camera_state() == state:
            frame()

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
        return self._picker.pick(
            x, y, self.muscle_layer.pick_tables, self.bones.actors, self.bones.opacity
        )

    def display_position(self, world_xyz: Sequence[float]) -> tuple[float, float]:
        """Display coordinates (pixels, origin bottom-left) of a world point."""
        return self._picker.display_position(world_xyz)
