"""Opening a recorded trial: the work of File > Open, drag and drop and ``anatomy-viewer open``,
apart from their dialogs.

The window runs these steps in a worker thread (:mod:`anatomy_viewer.ui.io_actions` adds the
progress dialog, Cancel, the mapping dialog and the info bar); each takes a ``progress(fraction,
what)`` callback, and an exception raised by it (the window's Cancel) stops the work:

1. :func:`read_files`: which file holds what, read together (activations or forces opened
   alone join the motion shown before);
2. :func:`prepare`: the trial's muscle activity estimated when it has none, its foot events
   found from the motion when there are no force plates, its stride cut and the leg posed for
   every frame (:mod:`anatomy_viewer.gait.trial_activity`), on a LegModel of the caller's (not
   the one the window draws with: MuJoCo data is not shared between threads);
3. :func:`show`: the result into the application model, keeping the phase.

Qt-free and VTK-free.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from anatomy_viewer.anatomy.model import LegModel
from anatomy_viewer.app.model import AppModel
from anatomy_viewer.gait.animation import CycleAnimation
from anatomy_viewer.gait.cycle import GaitCycle
from anatomy_viewer.gait.muscle_activity import MuscleActivity
from anatomy_viewer.gait.trial import Trial, read_trial, sort_files
from anatomy_viewer.gait.trial_activity import trial_cycle

#: Progress of a step: (fraction done 0..1, or -1 when there is no measure; what is done).
Progress = Callable[[float, str], None]


@dataclass
class OpenedTrial:
    """A trial ready to show: its posed animation and what the user should be told."""

    trial: Trial
    animation: CycleAnimation
    activity: MuscleActivity | None = None
    #: Whether and how its muscle activity was estimated, the forces used, the residuals.
    summary: list[str] = field(default_factory=list)

    @property
    def cycle(self) -> GaitCycle:
        return self.animation.cycle

    def message(self) -> str:
        """One line: what was opened, what is shown, and where the activity comes from."""
        cycle = self.cycle
        span = (
            f"first right stride, {cycle.stride_time:.2f} s"
            if cycle.periodic
            else f"the whole trial in time, {cycle.stride_time:.3g} s"
        )
        text = f"Opened {self.trial.files.summary()}: {span}."
        if self.activity is not None:
            forces = "measured" if self.activity.forces_source == "measured" else "estimated"
            text += f" Muscle activity estimated by static optimisation (ground forces {forces})."
        return text


def read_files(
    paths: Sequence[str | Path], previous: Trial | None = None, progress: Progress | None = None
) -> Trial:
    """Read the files of a trial, in any order, their kinds guessed. Files without joint
    angles join the motion of ``previous`` (``trial.files.joined`` is then True: ask the
    user before showing them), reusing its confirmed activation mapping for the same file."""
    files = sort_files([Path(p) for p in paths])
    mapping = None
    if files.motion is None and previous is not None:
        files = files.merged_into(previous.files)
        if files.activations == previous.files.activations:
            mapping = previous.mapping
    return read_trial(files, mapping=mapping, progress=progress)


def prepare(
    trial: Trial,
    leg: LegModel,
    *,
    estimate: bool = True,
    mass: float | None = None,
    progress: Progress | None = None,
    lock: threading.Lock | None = None,
) -> OpenedTrial:
    """Estimate, cut and pose ``trial`` on ``leg`` (see the module). ``lock``: held while the
    shared models are in use (a cancelled job may still be finishing when the next starts)."""
    with lock or nullcontext():
        tc = trial_cycle(trial, estimate=estimate, mass=mass, progress=progress)
        if progress is not None:
            progress(-1.0, f"Posing the leg for {tc.cycle.n_samples} frames…")
        animation = CycleAnimation(tc.cycle, leg)
    animation.forces = tc.forces
    animation.power = tc.power
    if progress is not None:
        progress(1.0, "Done.")
    return OpenedTrial(trial, animation, tc.activity, list(tc.summary))


def show(model: AppModel, opened: OpenedTrial) -> None:
    """Show the trial in ``model`` (the phase is kept)."""
    model.show_cycle(opened.cycle, animation=opened.animation)


__all__ = ["OpenedTrial", "Progress", "prepare", "read_files", "show"]
