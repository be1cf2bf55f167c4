"""The application model: animations, playback, selection and display state in one place.

How a view plugs in (a panel, a plot, a 3-D scene, an exporter): it receives the
:class:`AppModel`, connects to the events it needs and changes the model through its methods:

- ``model.events.animation(animation)``: the current animation changed (another gait, an
  opened trial, a what-if such as weak hip abductors). ``model.animation`` and ``model.cycle``.
- ``model.events.compared(comparison)``: a second gait shown beside the first, or None.
- ``model.events.still(still)``: a still pose (an exercise) replaces the motion, or None.
- ``model.events.reference(animation)``: the plain motion drawn as a ghost beside a what-if.
- ``model.events.simulated(cycle)``: static optimisation of the trial shown, cut like its cycle,
  for its measured EMG to be shown beside (``model.simulated``; None until known, and again
  whenever the animation changes).
- ``model.playback.events.percent / playing / speed / loop``: where and how fast.
- ``model.selection.changed(name)``: the selected muscle.
- ``model.display.events.changed(fields)``: the effective display state changed
  (``model.display.effective``); ``view_requested(camera)``: frame a camera preset anew.

What is shown at the current instant comes from :mod:`anatomy_viewer.gait.sampling`
(``model.muscle_now(name)``, ``model.frame()``), so every view reads the same numbers.

Qt-free and VTK-free; the events run synchronously in the thread that changes the model.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from psygnal import Signal, SignalGroup

from anatomy_viewer.anatomy.model import LegModel, Pose
from anatomy_viewer.app.display import DEFAULT_COLORMAP, DisplayModel
from anatomy_viewer.app.playback import Playback
from anatomy_viewer.app.selection import Selection
from anatomy_viewer.gait.animation import AnimationFrame, CycleAnimation
from anatomy_viewer.gait.cycle import GaitCycle
from anatomy_viewer.gait.library import GAIT_NAMES, load_gait
from anatomy_viewer.gait.sampling import MuscleInstant, muscle_at


@dataclass(frozen=True)
class StillPose:
    """A still pose shown instead of the motion (an exercise), with what it is."""

    label: str  # e.g. "Single-leg squat"
    pose: Pose


@dataclass(frozen=True)
class Comparison:
    """Two built-in gaits side by side: the left one is the model's current animation."""

    gaits: tuple[str, str]
    animation: CycleAnimation  # the right-hand gait's
    labels: Mapping[str, str] = field(default_factory=dict)  # {gait: caption} replacing names


class ModelEvents(SignalGroup):
    animation = Signal(object)  # CycleAnimation | None
    compared = Signal(object)  # Comparison | None
    still = Signal(object)  # StillPose | None
    reference = Signal(object)  # CycleAnimation | None
    simulated = Signal(object)  # GaitCycle | None


class AppModel:
    """What the program shows (see the module's description for the events)."""

    def __init__(self, leg: LegModel, colormaps: Collection[str] = (DEFAULT_COLORMAP,)) -> None:
        self.leg = leg
        self.events = ModelEvents()
        self.playback = Playback()
        self.selection = Selection()
        self.display = DisplayModel(colormaps)
        self._animation: CycleAnimation | None = None
        self._gait_name: str | None = None
        self._compared: Comparison | None = None
        self._still: StillPose | None = None
        self._reference: CycleAnimation | None = None
        self._simulated: GaitCycle | None = None
        self._loaded: dict[str, CycleAnimation] = {}
        # Connected first, so a still pose has ended before any view draws the new instant.
        self.playback.events.percent.connect(self._end_still)
        self.playback.events.playing.connect(self._end_still_on_play)

    # ------------------------------------------------------------------ queries
    @property
    def animation(self) -> CycleAnimation | None:
        """The animation shown (the left one while comparing)."""
        return self._animation

    @property
    def cycle(self) -> GaitCycle | None:
        return None if self._animation is None else self._animation.cycle

    @property
    def gait_name(self) -> str | None:
        """The built-in gait shown, None for an imported trial."""
        return self._gait_name

    @property
    def compared(self) -> Comparison | None:
        return self._compared

    @property
    def still(self) -> StillPose | None:
        return self._still

    @property
    def reference(self) -> CycleAnimation | None:
        return self._reference

    @property
    def simulated(self) -> GaitCycle | None:
        """Static optimisation of the trial shown (cut like its cycle), when it was computed:
        what the trial's own EMG is compared with. None for a built-in gait."""
        return self._simulated

    def frame(self, percent: float | None = None) -> AnimationFrame | None:
        """The current animation at ``percent`` (default: the playback's). Its arrays are
        reused by the next call: copy to keep."""
        if self._animation is None:
            return None
        return self._animation.at(self.playback.percent if percent is None else percent)

    def muscle_now(self, muscle: str, compared: bool = False) -> MuscleInstant | None:
        """What ``muscle`` does now in the current (or the compared) animation."""
        anim = self._compared.animation if compared and self._compared else self._animation
        if compared and self._compared is None:
            return None
        if anim is None:
            return None
        return muscle_at(anim, muscle, self.playback.percent)

    # ------------------------------------------------------------------ animations
    def gait_animation(self, name: str) -> CycleAnimation:
        """The built-in gait ``name``, posed (once; later calls reuse it)."""
        if name not in GAIT_NAMES:
            raise ValueError(f"no gait {name!r}; choose from {', '.join(GAIT_NAMES)}")
        if name not in self._loaded:
            self._loaded[name] = CycleAnimation(load_gait(name), self.leg)
        return self._loaded[name]

    def show_gait(self, name: str) -> None:
        """Show a built-in gait, keeping the current phase."""
        self.set_animation(self.gait_animation(name), gait_name=name)

    def show_cycle(self, cycle: GaitCycle, animation: CycleAnimation | None = None) -> None:
        """Show any cycle (e.g. an imported trial), keeping the current phase. ``animation``:
        the cycle already posed (e.g. in a worker thread), else it is posed here."""
        self.set_animation(animation or CycleAnimation(cycle, self.leg), gait_name=None)

    def set_animation(
        self, animation: CycleAnimation | None, gait_name: str | None | bool = False
    ) -> None:
        """Make ``animation`` the current one. ``gait_name``: the built-in gait it is, None
        for none; False keeps the name (a what-if of the same gait)."""
        if gait_name is not False:
            self._gait_name = gait_name  # type: ignore[assignment]
        if animation is self._animation:
            return
        self._animation = animation
        if animation is not None:
            self.playback.set_stride_time(animation.cycle.stride_time)
        if self._simulated is not None:
            self._simulated = None
            self.events.simulated.emit(None)
        self.events.animation.emit(animation)

    def set_simulated(self, cycle: GaitCycle, simulated: GaitCycle | None) -> None:
        """Static optimisation of ``cycle``'s trial (cut like it). Ignored unless ``cycle`` is
        still the one shown (a computation may end after another trial was opened)."""
        if cycle is not self.cycle or simulated is self._simulated:
            return
        if simulated is not None and simulated.n_samples != cycle.n_samples:
            raise ValueError("the simulation must be sampled like the cycle shown")
        self._simulated = simulated
        self.events.simulated.emit(simulated)

    # ------------------------------------------------------------------ comparing
    def compare(self, gaits: Sequence[str] | None, labels: Mapping[str, str] | None = None) -> None:
        """Show two built-in gaits side by side (left, right), or one again with None.

        The left gait becomes the current one (the phase is kept)."""
        if not gaits:
            self.stop_comparing()
            return
        gaits = tuple(gaits)
        if len(gaits) != 2:
            raise ValueError(f"compare two gaits, got {len(gaits)}: {gaits!r}")
        for g in gaits:
            if g not in GAIT_NAMES:
                raise ValueError(f"no gait {g!r}; choose from {', '.join(GAIT_NAMES)}")
        if self._gait_name != gaits[0]:
            self.show_gait(gaits[0])
        self._compared = Comparison(gaits, self.gait_animation(gaits[1]), dict(labels or {}))
        self.events.compared.emit(self._compared)

    def stop_comparing(self) -> None:
        if self._compared is not None:
            self._compared = None
            self.events.compared.emit(None)

    # ------------------------------------------------------------------ still pose, ghost
    def show_still(self, still: StillPose | None) -> None:
        """Show a still pose instead of the motion (pausing it); None goes back to the motion."""
        if still is not None:
            self.playback.pause()
        if still is not self._still:
            self._still = still
            self.events.still.emit(still)

    def set_reference(self, animation: CycleAnimation | None) -> None:
        """Draw ``animation`` as a ghost beside the current one (None: no ghost)."""
        if animation is not self._reference:
            self._reference = animation
            self.events.reference.emit(animation)

    def _end_still(self, _percent: float) -> None:
        # The playback moved (a seek or playing): the gait's frame replaces a still pose.
        if self._still is not None:
            self.show_still(None)

    def _end_still_on_play(self, playing: bool) -> None:
        if playing and self._still is not None:
            self.show_still(None)
