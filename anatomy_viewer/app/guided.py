"""Guided views of the Learn menu, as logic without widgets.

:class:`GuidedTour` opens, steps through and leaves the guided views
(:mod:`anatomy_viewer.anatomy.learn`) on an :class:`~anatomy_viewer.app.model.AppModel`. What a
view shows is a display overlay (:meth:`GuidedTour.overlay`: outlined and isolated muscles,
see-through bones, caption, camera preset and framing, plotted curves, and a colour mode such as
"Fibre types" where the view asks for one) on top of the user's own choices, which it never
touches: leaving a view removes the overlay, and the user's isolation, hidden muscles and
options are back as they were.

Two views do more:

- the hip-abductor view can switch on "weak hip abductors": the view's coordinate offsets are
  added to the cycle during each leg's single-leg stance (mirrored for the left leg), so the
  free side of the pelvis sags and the stance knee drifts inward; the normal stride stays
  drawn as a ghost beside it, and :func:`weak_abductor_measures` gives the pelvic drop and the
  knee's shift as numbers;
- the sagittal-plane view lists exercises; one shows the leg in the exercise's still pose with
  its target muscles outlined, until the playback moves again.

Qt-free and VTK-free: a panel (:mod:`anatomy_viewer.ui.learn`) shows the tour's state and calls
its methods; tests drive it directly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import mujoco
import numpy as np
from psygnal import Signal, SignalGroup

from anatomy_viewer.anatomy.learn import ExerciseView, GuidedView, guided_views
from anatomy_viewer.anatomy.model import LegModel
from anatomy_viewer.app.model import AppModel, StillPose
from anatomy_viewer.gait.animation import CycleAnimation
from anatomy_viewer.gait.cycle import GaitCycle
from anatomy_viewer.gait.sampling import interpolate

#: Bone opacity while focusing on a view's muscles: muscles behind a bone show through it.
FOCUS_BONE_OPACITY = 0.3
#: A view's muscles get activation curves below the 3-D view when they are this few.
MAX_CURVES = 4
#: Fraction of a stance over which the weak-abductor offsets fade in after foot strike and
#: out before toe-off (smoothly): the pelvis sags while one leg carries the body alone.
STANCE_RAMP = 0.2
#: The weak-abductor what-if is framed on the pelvis and the whole stance leg, foot included.
WHAT_IF_BONES = ("pelvis", "femur", "patella", "tibia", "fibula", "talus", "foot", "bofoot")
OWNER = "guided view"


# ---------------------------------------------------------------------------- weak abductors
def stance_weights(contact: np.ndarray, periodic: bool = True, ramp: float = STANCE_RAMP):
    """Per sample 0..1: 1 through the middle of each stance of one leg, easing in over the
    first and out over the last ``ramp`` of it (smoothstep), 0 while the foot is in the air.

    ``contact``: the leg's contact flags per sample; for a periodic cycle the last sample
    repeats the first, and a stance may run across the end of the cycle.
    """
    c = np.asarray(contact, bool)
    n = len(c)
    m = n - 1 if periodic and n > 1 else n  # distinct samples
    base = c[:m]
    w = np.zeros(m)
    if base.all():
        w[:] = 1.0
    elif base.any():
        # start at a sample in the air so that no stance is cut in two
        shift = int(np.flatnonzero(~base)[0])
        rolled = np.roll(base, -shift) if periodic else base
        i = 0
        out = np.zeros(m)
        while i < m:
            if not rolled[i]:
                i += 1
                continue
            j = i
            while j < m and rolled[j]:
                j += 1
            length = j - i
            s = (np.arange(length) + 0.5) / length  # position within the stance, 0..1
            edge = np.clip(np.minimum(s, 1.0 - s) / ramp, 0.0, 1.0)
            out[i:j] = edge * edge * (3.0 - 2.0 * edge)
            i = j
        w = np.roll(out, shift) if periodic else out
    if m < n:
        w = np.append(w, w[0])
    return w


def mirror_coordinate(name: str) -> tuple[str, float]:
    """The same coordinate of the other leg and the sign that mirrors a value across the
    body's midline: ``hip_adduction_r`` -> (``hip_adduction_l``, +1); ``pelvis_list`` -> -1."""
    if name.endswith("_r"):
        return f"{name[:-2]}_l", 1.0
    if name.endswith("_l"):
        return f"{name[:-2]}_r", 1.0
    if name in ("pelvis_list", "pelvis_rotation"):
        return name, -1.0
    return name, 1.0


def weak_abductor_offsets(
    offsets: Mapping[str, float], side: str, cycle: GaitCycle
) -> dict[str, np.ndarray]:
    """Per-sample coordinate offsets (degrees) of weak hip abductors over ``cycle``.

    ``offsets`` are written for single-leg stance on leg ``side`` (as in a guided view's
    ``weak_abductors`` table); they apply in full through the middle of that leg's stance and
    mirrored through the other leg's stance, fading at foot strike and toe-off.
    """
    own = stance_weights(cycle.contact_r if side == "r" else cycle.contact_l, cycle.periodic)
    other = stance_weights(cycle.contact_l if side == "r" else cycle.contact_r, cycle.periodic)
    out: dict[str, np.ndarray] = {}
    for name, deg in offsets.items():
        out[name] = out.get(name, np.zeros(cycle.n_samples)) + float(deg) * own
        twin, sign = mirror_coordinate(name)
        out[twin] = out.get(twin, np.zeros(cycle.n_samples)) + sign * float(deg) * other
    return out


@dataclass(frozen=True)
class WeakAbductorMeasures:
    """How the weak-abductor stride differs from the normal one at an instant."""

    pelvic_drop_deg: float  # the free side of the pelvis lower by this much (frontal plane)
    knee_shift_cm: float  # the stance knee this much closer to the midline
    side: str  # the stance leg

    def text(self) -> str:
        leg = "right" if self.side == "r" else "left"
        return (
            f"Pelvis drops {self.pelvic_drop_deg:.1f}\u00b0 more on the free side; "
            f"{leg} knee {self.knee_shift_cm:.1f} cm closer to the midline"
        )


def _joint_positions(leg: LegModel, coordinates: Mapping[str, float]) -> dict[str, np.ndarray]:
    leg.pose(dict(coordinates))
    out = {}
    for body in ("femur_r", "femur_l", "tibia_r", "tibia_l"):
        out[body] = np.array(leg.d.xpos[mujoco.mj_name2id(leg.m, mujoco.mjtObj.mjOBJ_BODY, body)])
    return out


def weak_abductor_measures(
    leg: LegModel, plain: CycleAnimation, weak: CycleAnimation, side: str, percent: float
) -> WeakAbductorMeasures:
    """Pelvic drop (degrees, the hip-to-hip line against the normal stride's) and the stance
    knee's shift toward the midline (cm) of ``weak`` against ``plain`` at ``percent``, measured
    on the model posed both ways."""
    cycle = plain.cycle
    normal = cycle.sample(percent).coordinates
    shifted = dict(normal)
    for name, value in weak.offsets.items():
        shifted[name] = shifted.get(name, 0.0) + float(
            interpolate(
                cycle, np.broadcast_to(np.asarray(value, float), (cycle.n_samples,)), percent
            )
        )
    a, b = _joint_positions(leg, normal), _joint_positions(leg, shifted)
    free = "l" if side == "r" else "r"

    def tilt(p: dict[str, np.ndarray]) -> float:
        d = p[f"femur_{free}"] - p[f"femur_{side}"]
        return float(np.degrees(np.arctan2(d[2], abs(d[0]))))

    toward_midline = 1.0 if side == "r" else -1.0  # the right leg is at -x
    shift = (b[f"tibia_{side}"][0] - a[f"tibia_{side}"][0]) * toward_midline
    return WeakAbductorMeasures(tilt(a) - tilt(b), 100.0 * float(shift), side)


# ---------------------------------------------------------------------------- the tour
class TourEvents(SignalGroup):
    view = Signal(object)  # GuidedView | None: a view opened or left
    exercise = Signal(object)  # ExerciseView | None
    weak = Signal(bool)
    focus = Signal(bool)
    measures = Signal(object)  # WeakAbductorMeasures | None, live while weak abductors show


class GuidedTour:
    """Opens, steps through and leaves the guided views on ``model``."""

    def __init__(self, model: AppModel, views: Sequence[GuidedView] | None = None) -> None:
        self.model = model
        self.events = TourEvents()
        self.views: list[GuidedView] = list(views if views is not None else guided_views())
        self.current: GuidedView | None = None
        self.exercise: ExerciseView | None = None
        self.focus = True  # fade the other muscles and see through bones
        self.measures: WeakAbductorMeasures | None = None
        self._plain: CycleAnimation | None = None
        self._weak: CycleAnimation | None = None
        self._comparing = False
        self._user_selection: str | None = None  # the muscle selected before the tour began
        model.events.still.connect(self._on_still)
        model.events.animation.connect(self._on_animation)
        model.playback.events.percent.connect(self._on_percent)

    # ------------------------------------------------------------------ queries
    @property
    def index(self) -> int | None:
        return None if self.current is None else self.views.index(self.current)

    @property
    def weak_abductors(self) -> bool:
        """True while the weak-abductor stride is shown."""
        return self._weak is not None and self.model.animation is self._weak

    def view(self, key: str) -> GuidedView:
        for v in self.views:
            if v.key == key:
                return v
        raise KeyError(f"no guided view {key!r}; views: {', '.join(v.key for v in self.views)}")

    def highlighted(self) -> tuple[str, ...]:
        """Model names of the muscles the open view (or exercise) outlines."""
        if self.exercise is not None:
            return tuple(f"{b}_{self.exercise.side}" for b in self.exercise.highlight)
        return () if self.current is None else self.current.highlighted_muscles()

    def curve_muscles(self, muscles: Sequence[str]) -> list[str]:
        """At most MAX_CURVES of a view's muscles for the curve plot: all of them when few,
        else the strongest muscle (largest maximum isometric force) of each highlighted group
        in turn, so a seven-muscle posterior chain still shows its glutes and hamstrings."""
        muscles = list(muscles)
        if len(muscles) <= MAX_CURVES:
            return muscles
        leg = self.model.leg
        force = {m: leg.max_isometric_force[leg.muscle_index(m)] for m in muscles}
        by_group: dict[str, list[str]] = {}
        for m in sorted(muscles, key=lambda m: -force[m]):
            by_group.setdefault(leg.muscles[leg.muscle_index(m)].group, []).append(m)
        chosen: list[str] = []
        while len(chosen) < MAX_CURVES and any(by_group.values()):
            for queue in by_group.values():
                if queue and len(chosen) < MAX_CURVES:
                    chosen.append(queue.pop(0))
        return chosen

    def caption(self) -> str | None:
        """The 3-D view's caption: the exercise's name, or the view's title (with the
        weak-abductor numbers while they show)."""
        if self.exercise is not None:
            return self.exercise.name
        if self.current is None:
            return None
        if self.measures is not None and self.weak_abductors:
            return f"{self.current.title}\n{self.measures.text()}"
        return self.current.title

    def overlay(self) -> dict[str, Any]:
        """The display overlay of the current state (empty when no view is open)."""
        view = self.current
        if view is None:
            return {}
        muscles = frozenset(self.highlighted())
        ov: dict[str, Any] = {
            "highlighted": muscles,
            "isolated": muscles if self.focus else frozenset(),
            "caption": self.caption(),
        }
        if self.focus and not self.weak_abductors:
            # (The weak-abductor what-if is about the bones' posture: they stay solid, with
            # the normal stride's bones ghosted beside them.)
            ov["bone_opacity"] = min(self.model.display.user.bone_opacity, FOCUS_BONE_OPACITY)
        if self.exercise is not None:
            ov["camera"] = self.exercise.camera
            ov["framing"] = ()
            ov["legend"] = False
        else:
            ov["camera"] = view.camera
            ov["framing"] = self._framing(view)
            ov["curves"] = tuple(self.curve_muscles(view.highlighted_muscles()))
            if view.colour_mode is not None:
                ov["colour_mode"] = view.colour_mode
        return ov

    @staticmethod
    def _framing(view: GuidedView) -> tuple[str, ...]:
        if not view.weak_abductors:
            return ()
        bones = [f"{b}_{view.side}" for b in WHAT_IF_BONES]
        other = "l" if view.side == "r" else "r"
        return (*bones, f"pelvis_{other}")

    # ------------------------------------------------------------------ commands
    def open(self, view: GuidedView | str | int) -> None:
        """Open a guided view (the view, its key or its index)."""
        if isinstance(view, str):
            view = self.view(view)
        elif isinstance(view, int):
            view = self.views[view]
        m = self.model
        if self.current is None:
            self._user_selection = m.selection.name
        self._end_exercise()
        self._restore_animation()
        self.current = view
        m.playback.pause()
        if view.compare:
            m.compare(list(view.compare), labels=dict(view.labels))
            self._comparing = True
        else:
            self._stop_comparing()
            m.stop_comparing()  # the user's own comparison: this view shows one gait
            if m.gait_name != view.gait:
                m.show_gait(view.gait)
        m.playback.seek(view.phase)
        m.selection.clear()
        self._apply(reframe=True)
        self.events.view.emit(view)

    def leave(self) -> None:
        """Leave the guided view: the user's display state is back; the gait stays where it is."""
        if self.current is None:
            return
        self._end_exercise(apply=False)
        self._restore_animation()
        self._stop_comparing()
        self.current = None
        self.model.display.clear_overlay()
        # the muscle the user had selected comes back, unless one was chosen in the tour
        if self.model.selection.name is None and self._user_selection is not None:
            self.model.selection.select(self._user_selection)
        self._user_selection = None
        self.events.view.emit(None)

    def next(self) -> None:
        i = self.index
        self.open(0 if i is None else min(i + 1, len(self.views) - 1))

    def previous(self) -> None:
        i = self.index
        if i is not None and i > 0:
            self.open(i - 1)

    def set_focus(self, on: bool) -> None:
        """Focus on the outlined muscles: the others fade to ghosts and the bones turn
        see-through (off: every muscle solid, the bones as the user set them)."""
        on = bool(on)
        if on != self.focus:
            self.focus = on
            self.events.focus.emit(on)
        if self.current is not None:
            self._apply()

    def set_weak_abductors(self, on: bool) -> None:
        """Show the stride with weak hip abductors (the open view's ``weak_abductors``), the
        normal stride ghosted beside it."""
        view = self.current
        m = self.model
        on = bool(on) and view is not None and bool(view.weak_abductors)
        if on == self.weak_abductors or m.animation is None:
            return
        if on:
            self._end_exercise(apply=False)
            plain = m.animation
            offsets = weak_abductor_offsets(view.weak_abductors, view.side, plain.cycle)
            self._plain = plain
            self._weak = CycleAnimation(plain.cycle, m.leg, offsets=offsets)
            m.set_reference(plain)
            m.set_animation(self._weak)
            self._update_measures()
        else:
            self._restore_animation()
        self._apply()
        self.events.weak.emit(on)

    def show_exercise(self, exercise: ExerciseView | str | None) -> None:
        """Show an exercise of the open view in its still pose; None returns to the stride."""
        view = self.current
        if view is None:
            return
        if exercise is None:
            self._end_exercise()
            self.model.display.reframe()
            return
        if isinstance(exercise, str):
            exercise = next(e for e in view.exercises if e.key == exercise)
        m = self.model
        if self.weak_abductors:
            self._restore_animation()
            self.events.weak.emit(False)
        self.exercise = exercise
        seq = m.leg.pose_sequence([dict(exercise.pose)], np.ones(1, bool), np.ones(1, bool))
        m.show_still(StillPose(exercise.name, seq.frame(0)))
        self._apply(reframe=True)
        self.events.exercise.emit(exercise)

    # ------------------------------------------------------------------ internals
    def _apply(self, reframe: bool = False) -> None:
        display = self.model.display
        display.set_overlay(self.overlay(), owner=OWNER)
        if reframe:
            display.reframe()

    def _stop_comparing(self) -> None:
        if self._comparing:
            self._comparing = False
            self.model.stop_comparing()

    def _restore_animation(self) -> None:
        m = self.model
        if self._weak is not None and m.animation is self._weak:
            m.set_animation(self._plain)
        self._weak = self._plain = None
        self.measures = None
        m.set_reference(None)

    def _end_exercise(self, apply: bool = True) -> None:
        if self.exercise is None:
            return
        self.exercise = None
        if self.model.still is not None:
            self.model.show_still(None)
        if apply and self.current is not None:
            self._apply()
        self.events.exercise.emit(None)

    def _update_measures(self) -> None:
        view = self.current
        if self._weak is None or self._plain is None or view is None:
            self.measures = None
        else:
            self.measures = weak_abductor_measures(
                self.model.leg, self._plain, self._weak, view.side, self.model.playback.percent
            )
        self.events.measures.emit(self.measures)

    # ------------------------------------------------------------------ model events
    def _on_still(self, still: StillPose | None) -> None:
        if still is None and self.exercise is not None:
            # The playback moved on from the exercise's still pose: back to the stride.
            self._end_exercise()
            self.model.display.reframe()

    def _on_animation(self, animation: CycleAnimation | None) -> None:
        if self._weak is not None and animation is not self._weak:
            # Another gait or trial replaced the what-if: it is over.
            self._weak = self._plain = None
            self.measures = None
            self.model.set_reference(None)
            if self.current is not None:
                self._apply()
            self.events.weak.emit(False)

    def _on_percent(self, _percent: float) -> None:
        if self.weak_abductors and self.current is not None:
            self._update_measures()
            self.model.display.update_overlay(caption=self.caption())
