"""File menu of the main window: open recorded trials, save pictures, export videos and data.

``install_io_actions(window, model, scene, viewport)`` adds to ``window.file_menu``: Open…
(also drag and drop of files onto the window), Save picture…, Export video… and Export cycle
data…, puts the info bar above the 3-D view, and returns the :class:`IOActions` that carries
them out. IOActions works on the application model (what is shown, the playback) and the 3-D
scene whose look pictures and videos copy; the window is only the parent of its dialogs.

- Opening runs the Qt-free steps of :mod:`anatomy_viewer.app.trials` in a worker thread
  (:mod:`anatomy_viewer.ui.worker`; progress dialog with Cancel): read the files, estimate the
  muscle activity of a motion that has none (inverse dynamics and static optimisation; off with
  ``estimate = False``), find foot events from the motion when there are no force plates, cut
  and pose. It asks the user to confirm how activation columns map to muscles when some are
  not named like the model's (:class:`~anatomy_viewer.ui.io_dialogs.MappingDialog`), then
  shows the trial in the model. What was recognised, where the activity comes from (the forces
  used, the residuals) and the importers' notes appear in the info bar. A bad file opens an
  error dialog naming file, line and problem; what was shown before stays shown.
- Pictures and videos are rendered offscreen by :mod:`anatomy_viewer.scene.export` with a scene
  that copies the 3-D view's camera and display state; video frames are rendered one per turn
  of the event loop, with a progress dialog and Cancel. Cycle data is written by
  :func:`anatomy_viewer.gait.export.write_animation_csv`, the columns of ``anatomy-viewer cycle``.

Dialogs are opened with ``open()`` (window-modal, not blocking) and kept as attributes
(``error_box``, ``mapping_dialog``, ``progress``) so that tests can inspect and close them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QProgressDialog,
    QWidget,
)

from anatomy_viewer.app import trials
from anatomy_viewer.app.model import AppModel
from anatomy_viewer.gait.opensim_io import OpenSimFileError
from anatomy_viewer.gait.trial import Trial, mapping_rows, remap_activations
from anatomy_viewer.safe_output import printable
from anatomy_viewer.ui.info_bar import InfoBar
from anatomy_viewer.ui.io_dialogs import (
    MappingDialog,
    PictureDialog,
    PictureOptions,
    VideoDialog,
    io_texts,
    make_open_dialog,
)
from anatomy_viewer.ui.worker import Cancelled, Job

if TYPE_CHECKING:
    from anatomy_viewer.scene.export import VideoExport, VideoResult, VideoSettings
    from anatomy_viewer.scene.leg_scene import LegScene

#: How long (ms) a load may run before its progress dialog appears.
PROGRESS_DELAY_MS = 400
#: How long (s) closing the window waits for a file being read to stop.
SHUTDOWN_WAIT_S = 2.0


class IOActions(QObject):
    """Open, Save picture, Export video and Export cycle data, on one application model."""

    trialShown = Signal(object)  # the GaitCycle now shown
    loadFailed = Signal(str)  # the message shown in the error dialog
    videoFinished = Signal(object)  # VideoResult, or None when cancelled or failed
    status = Signal(str, int)  # a message for the status bar, and how long (ms) to show it

    def __init__(
        self, model: AppModel, scene: LegScene, viewport: QWidget, parent: QWidget
    ) -> None:
        """``model``: what is shown; ``scene``: the 3-D view whose camera and display state
        pictures and videos copy; ``viewport``: its widget (the default picture size);
        ``parent``: the window, parent of the dialogs, whose drops and closing are watched."""
        super().__init__(parent)
        self.model = model
        self.scene = scene
        self.viewport = viewport
        self.parent_widget = parent
        #: Estimate the muscle activity of a motion opened without activations.
        self.estimate = True
        #: The subject's mass (kg) for the estimate, when known (``anatomy-viewer open --mass``).
        self.mass: float | None = None
        self.trial: Trial | None = None
        self.opened: trials.OpenedTrial | None = None
        self.error_box: QMessageBox | None = None
        self.mapping_dialog: MappingDialog | None = None
        self.join_question: QMessageBox | None = None
        self.progress: QProgressDialog | None = None
        self.progress_bar: QProgressBar | None = None
        self.video_job: VideoExport | None = None
        self._job: Job | None = None
        self._video_timer: QTimer | None = None
        self._worker_model = None
        self._model_lock = threading.Lock()
        self._closed = False
        self._last_dir = ""
        self._resume_playback = False

        self.open_action = self._action(
            "&Open trial…", self.open_dialog, QKeySequence.StandardKey.Open
        )
        self.picture_action = self._action(
            "Save &picture…", self.save_picture_dialog, "Ctrl+Shift+P"
        )
        self.video_action = self._action("Export &video…", self.export_video_dialog, "Ctrl+Shift+V")
        self.data_action = self._action(
            "Export cycle &data…", self.export_data_dialog, "Ctrl+Shift+D"
        )
        self.info_bar = InfoBar()
        model.events.animation.connect(self._on_animation)
        parent.setAcceptDrops(True)
        parent.installEventFilter(self)

    @property
    def actions(self) -> tuple[QAction | None, ...]:
        """The File menu's entries, in order (None: a separator)."""
        return (self.open_action, None, self.picture_action, self.video_action, self.data_action)

    def _action(self, text: str, slot, shortcut) -> QAction:
        act = QAction(text, self.parent_widget)
        act.setShortcut(QKeySequence(shortcut))
        act.triggered.connect(lambda _=False: slot())
        return act

    # ------------------------------------------------------------------ window events
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if obj is self.parent_widget:
            kind = event.type()
            if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
                if self._dropped_paths(event):
                    event.acceptProposedAction()
                    return True
            elif kind == QEvent.Type.Drop:
                paths = self._dropped_paths(event)
                if paths:
                    event.acceptProposedAction()
                    self.open_files(paths)
                    return True
            elif kind == QEvent.Type.Close:
                self._shutdown()
        return False

    @staticmethod
    def _dropped_paths(event) -> list[str]:
        mime = event.mimeData()
        if mime is None or not mime.hasUrls():
            return []
        return [u.toLocalFile() for u in mime.urls() if u.isLocalFile() and u.toLocalFile()]

    def _shutdown(self) -> None:
        self._closed = True
        if self._job is not None:
            self._job.cancelled = True
            # give the worker a moment to stop at its next progress call, rather than
            # leave it running while the program exits
            self._job.thread.join(timeout=SHUTDOWN_WAIT_S)
        if self.video_job is not None:
            self._stop_video(cancelled=True)
        self._close_progress()

    def _on_animation(self, _animation) -> None:
        if self.model.gait_name is not None:
            self.builtin_gait_shown()

    # ------------------------------------------------------------------ messages
    def show_open_failure(self, path: Path | str | None, text: str) -> None:
        """Say, in the window, that a trial given on the command line could not be opened
        (``anatomy-viewer open BAD.mot``): the window starts anyway, on the gait shown."""
        name = printable(Path(path).name) if path is not None else "the files"
        self._show_error(
            f"Could not open {name}", text + "\n\nThe window shows a built-in gait instead."
        )
        self.loadFailed.emit(text)

    def _show_error(self, title: str, text: str) -> None:
        box = QMessageBox(self.parent_widget)
        box.setObjectName("errorBox")
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(title)
        box.setText(text)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.open()
        self.error_box = box

    def _status(self, text: str, ms: int = 8000) -> None:
        self.status.emit(text, ms)

    def _open_progress(
        self, title: str, maximum: int, cancel: Callable[[], None]
    ) -> QProgressDialog:
        """A window-modal progress dialog that appears if the work lasts PROGRESS_DELAY_MS.

        Progress is written to its bar directly (:meth:`_set_progress`): the dialog's own
        ``setValue`` runs the event loop from inside the caller when modal, which would let a
        finishing job close the dialog under our feet."""
        self._close_progress()
        dlg = QProgressDialog(title, "Cancel", 0, maximum, self.parent_widget)
        dlg.setObjectName("progressDialog")
        dlg.setWindowTitle(title)
        self.progress_bar = QProgressBar(dlg)
        self.progress_bar.setRange(0, maximum)
        dlg.setBar(self.progress_bar)
        dlg.setWindowModality(Qt.WindowModality.WindowModal)
        dlg.setMinimumDuration(PROGRESS_DELAY_MS)
        dlg.setAutoClose(False)
        dlg.setAutoReset(False)
        dlg.canceled.connect(cancel)
        dlg.setValue(0)  # not shown yet: starts the timer that shows it after the delay
        self.progress = dlg
        return dlg

    def _set_progress(self, value: int, maximum: int | None = None, text: str | None = None):
        bar = self.progress_bar
        if self.progress is None or bar is None:
            return
        if text is not None:
            self.progress.setLabelText(text)
        if maximum is not None and bar.maximum() != maximum:
            bar.setRange(0, maximum)
        bar.setValue(value)

    def _close_progress(self) -> None:
        dlg, self.progress, self.progress_bar = self.progress, None, None
        if dlg is not None:
            dlg.canceled.disconnect()
            # cancel() also stops the timer that shows the dialog after PROGRESS_DELAY_MS:
            # on a busy machine it could fire after hide() and show the dialog again, and a
            # dialog left showing keeps the program from quitting when the window closes.
            dlg.cancel()
            dlg.hide()
            dlg.deleteLater()

    # ------------------------------------------------------------------ opening
    @property
    def busy(self) -> bool:
        """True while a trial is being read, estimated or posed, or a video exported."""
        return (
            self._job is not None
            or self.mapping_dialog is not None
            or self.join_question is not None
            or self.video_job is not None
        )

    def open_dialog(self) -> None:
        dialog = make_open_dialog(self.parent_widget, self._last_dir)
        if dialog.exec() and dialog.selectedFiles():
            self.open_files(dialog.selectedFiles())

    def open_files(self, paths: Sequence[str | Path]) -> bool:
        """Read, map, estimate, pose and show the trial in ``paths`` (any order, kinds guessed).

        Runs in the background; ``trialShown`` or ``loadFailed`` tell the outcome. Activations
        or forces opened without a motion join the trial shown. Returns False if busy.
        """
        if self.busy or self._closed:
            self._status("Still busy with the previous file; try again when it is done.")
            return False
        paths = [Path(p) for p in paths]
        self._last_dir = str(paths[0].parent) if paths else self._last_dir
        previous = self.trial

        def work(progress):
            return trials.read_files(paths, previous, progress)

        names = ", ".join(p.name for p in paths)
        self._run(work, f"Opening {names}", self._after_read)
        return True

    def show_trial(self, trial: Trial) -> None:
        """Show a trial read elsewhere (``anatomy-viewer open``): confirm its mapping if
        needed, estimate and pose it in the background, show it."""
        self._after_read(trial)

    def builtin_gait_shown(self) -> None:
        """The model went back to a built-in gait: the "Opened …" bar no longer describes
        what is shown, so it goes (with its notes box), and files opened alone no longer
        join the trial shown before."""
        self.trial = None
        self.opened = None
        self.info_bar.hide()
        if self.info_bar.details_box is not None:
            self.info_bar.details_box.close()

    def _pause_playback(self) -> None:
        """Playback pauses while a trial loads: rendering competes with the worker for the
        CPU and the interpreter (a long trial loads about four times faster)."""
        if self.model.playback.playing:
            self._resume_playback = True
            self.model.playback.pause()

    def _loading_ended(self) -> None:
        if self._resume_playback and not self._closed:
            self.model.playback.play()
        self._resume_playback = False

    def _run(self, fn, title: str, on_done: Callable[[object], None]) -> None:
        self._pause_playback()
        job = Job(fn, on_done)
        self._job = job
        dlg = self._open_progress(title, 1000, self._cancel_job)
        # bound methods of this QObject (GUI thread): the worker's signals arrive queued
        job.progressed.connect(self._on_job_progress)
        job.succeeded.connect(self._job_done)
        job.failed.connect(self._job_failed)
        dlg.setLabelText(title)
        job.start()

    def _cancel_job(self) -> None:
        """Cancel ends the job at once: the worker is told to stop and its result, should it
        still come (a read the operating system is finishing), is ignored; what was shown
        before stays, and the next file can be opened straight away."""
        job, self._job = self._job, None
        if job is None:
            return
        job.cancelled = True
        self._close_progress()
        if self._closed:
            return
        self._loading_ended()
        self._status("Opening cancelled: what was shown before is still shown.")

    def _on_job_progress(self, job: Job, fraction: float, what: str) -> None:
        if job is not self._job:
            return
        if fraction < 0:  # no measure of progress: a busy indicator
            self._set_progress(0, 0, what)
        else:
            self._set_progress(int(fraction * 1000), 1000, what)

    def _job_done(self, job: Job, result) -> None:
        if job is not self._job:
            return
        self._job = None
        self._close_progress()
        if not self._closed:
            job.on_done(result)

    def _job_failed(self, job: Job, exc: BaseException) -> None:
        if job is not self._job:
            return
        self._job = None
        self._close_progress()
        if self._closed:
            return
        self._loading_ended()
        if isinstance(exc, Cancelled):
            self._status("Opening cancelled: what was shown before is still shown.")
            return
        if isinstance(exc, OpenSimFileError):
            title = f"Could not open {exc.path.name}"
            text = str(exc)
        else:
            title = "Could not open the files"
            text = f"{type(exc).__name__}: {exc}" if not isinstance(exc, ValueError) else str(exc)
        self._show_error(title, text + "\n\nWhat was shown before is still shown.")
        self.loadFailed.emit(text)

    def _after_read(self, trial: Trial) -> None:
        if trial.files.joined:
            self._ask_to_join(trial)
        else:
            self._map_and_pose(trial)

    def _ask_to_join(self, trial: Trial) -> None:
        """Files without joint angles were read with the motion shown: they may come from
        another trial (the stride would be cut at the wrong times), so the user says."""
        given = [p for p in (trial.files.activations, trial.files.grf) if p is not None]
        motion = trial.files.motion.name if trial.files.motion is not None else "?"
        names = " and ".join(printable(p.name) for p in given) or "These files"
        box = QMessageBox(self.parent_widget)
        box.setObjectName("joinQuestion")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Use with the motion shown?")
        box.setText(
            f"{names} {'hold' if len(given) > 1 else 'holds'} no joint angles. Use "
            f"{'them' if len(given) > 1 else 'it'} with the motion shown, {printable(motion)}?"
        )
        box.setInformativeText(
            "Only if they were recorded in the same trial: their times must match the "
            "motion's. To show another trial, open its motion with them."
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        self.join_question = box

        def finished(_code: int) -> None:
            self.join_question = None
            yes = box.clickedButton() is box.button(QMessageBox.StandardButton.Yes)
            box.deleteLater()
            if self._closed:
                return
            if yes:
                self._map_and_pose(trial)
            else:
                self._loading_ended()
                self._status(f"{names} not opened: what was shown before is still shown.")
                self.loadFailed.emit("not joined to the motion shown")

        box.finished.connect(finished)
        box.open()

    def _map_and_pose(self, trial: Trial) -> None:
        if trial.needs_mapping and trial.activations is not None:
            rows = mapping_rows(trial.activations)
            dialog = MappingDialog(rows, trial.activations.path.name, self.parent_widget)
            self.mapping_dialog = dialog
            dialog.finished.connect(lambda code: self._mapping_finished(trial, dialog, code))
            dialog.open()
        else:
            self._pose(trial)

    def _mapping_finished(self, trial: Trial, dialog: MappingDialog, code: int) -> None:
        self.mapping_dialog = None
        dialog.deleteLater()
        if self._closed:
            return
        if code != QDialog.DialogCode.Accepted:
            self._pose(trial)  # only the columns named like the model's muscles
            return
        mapping = dialog.mapping()

        def work(progress):
            return remap_activations(trial, mapping, progress=progress)

        self._run(work, f"Reading {trial.activations.path.name}", self._pose)

    def _model_for_posing(self):
        """A LegModel for the worker threads, apart from the window's (MuJoCo data is not to
        be shared between threads); used while holding ``_model_lock`` (a cancelled job may
        still be working when the next one starts)."""
        if self._worker_model is None:
            from anatomy_viewer.anatomy import LegModel

            self._worker_model = LegModel()
        return self._worker_model

    def _pose(self, trial: Trial) -> None:
        estimate, mass = self.estimate, self.mass

        def work(progress):
            with self._model_lock:
                leg = self._model_for_posing()
            return trials.prepare(
                trial, leg, estimate=estimate, mass=mass, progress=progress, lock=self._model_lock
            )

        self._run(work, "Preparing the trial", self._show_prepared)

    def _show_prepared(self, opened: trials.OpenedTrial) -> None:
        trials.show(self.model, opened)
        self.trial = opened.trial
        self.opened = opened
        self.info_bar.show_message(opened.message(), opened.cycle.notes)
        self._loading_ended()
        self.trialShown.emit(opened.cycle)

    # ------------------------------------------------------------------ pictures
    def _viewport_size(self) -> tuple[int, int]:
        vp = self.viewport
        ratio = vp.devicePixelRatioF()
        w, h = round(vp.width() * ratio), round(vp.height() * ratio)
        return max(16, min(w, 3840)), max(16, min(h, 2160))

    def _save_name(self, title: str, filters: str, suffix: str, default: str) -> str | None:
        start = str(Path(self._last_dir or Path.home()) / default)
        path, _ = QFileDialog.getSaveFileName(self.parent_widget, title, start, filters)
        if not path:
            return None
        if not path.lower().endswith(suffix):
            path += suffix
        self._last_dir = str(Path(path).parent)
        return path

    def save_picture_dialog(self) -> None:
        if self.model.animation is None:
            return
        dialog = PictureDialog(self._viewport_size(), self.scene.legend_visible, self.parent_widget)
        if not dialog.exec():
            return
        options = dialog.options()
        t = io_texts("picture")
        path = self._save_name(t["title"], t["filter"], ".png", f"{self._stem()}.png")
        if path:
            self.save_picture(path, options)

    def save_picture(self, path: str | Path, options: PictureOptions | None = None) -> Path | None:
        """Render the frame shown, as the 3-D view shows it, to a PNG (see PictureOptions)."""
        from anatomy_viewer.scene.export import render_picture

        if self.model.animation is None:
            return None
        options = options or PictureOptions(self._viewport_size())
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            out = render_picture(
                self.model.animation,
                self.model.playback.percent,
                path,
                options.size,
                like=self.scene,
                transparent_background=options.transparent,
                caption=options.caption or None,  # unticked: the view's own caption, if any
                legend=options.legend,
            )
        except (OSError, ValueError) as exc:
            self._show_error("Could not save the picture", _problem(path, exc))
            return None
        finally:
            QApplication.restoreOverrideCursor()
        self._status(f"Saved {printable(out)} ({options.size[0]} × {options.size[1]})")
        return out

    def _stem(self) -> str:
        cycle = self.model.cycle
        return "leg" if cycle is None else cycle.name.replace(" ", "_")

    # ------------------------------------------------------------------ video
    def export_video_dialog(self) -> None:
        if self.model.animation is None or self.busy:
            return
        dialog = VideoDialog(self.model.cycle, self.parent_widget)
        if not dialog.exec():
            return
        t = io_texts("video")
        filters = t["filter_mp4"] if dialog.suffix == ".mp4" else t["filter_gif"]
        path = self._save_name(t["title"], filters, dialog.suffix, f"{self._stem()}{dialog.suffix}")
        if path:
            self.export_video(path, dialog.settings())

    def export_video(self, path: str | Path, settings: VideoSettings) -> bool:
        """Start writing a video of the cycle shown; frames are rendered one per event-loop
        turn. ``videoFinished`` carries the VideoResult (None if cancelled or failed).

        The video goes to a temporary file and replaces a file at ``path`` only once it is
        complete and reads back; a cancel or a failure (shown in a dialog) leaves that file
        as it was. A destination that cannot be written is refused before rendering."""
        from anatomy_viewer.scene.export import VideoExport

        if self.model.animation is None or self.busy:
            return False
        try:
            job = VideoExport(self.model.animation, path, settings, like=self.scene)
        except (OSError, ValueError) as exc:
            self._show_error("Could not export the video", _problem(path, exc))
            return False
        self.video_job = job
        name = printable(job.path.name)
        dlg = self._open_progress(f"Exporting {name}", job.n_frames, self.cancel_video)
        dlg.setLabelText(f"Rendering {job.n_frames} frames of {name}")
        self._video_timer = QTimer(self)
        self._video_timer.setInterval(0)
        self._video_timer.timeout.connect(self._video_step)
        self._video_timer.start()
        return True

    def cancel_video(self) -> None:
        job = self.video_job
        if job is not None:
            self._stop_video(cancelled=True)
            name = printable(job.path.name)
            kept = "was left as it was" if job.path.exists() else "was not written"
            self._status(f"Video export cancelled: {name} {kept}.")
            self.videoFinished.emit(None)

    def _stop_video(self, cancelled: bool) -> None:
        """End the export job: always closes the progress dialog, also if stopping fails."""
        try:
            if self._video_timer is not None:
                self._video_timer.stop()
                self._video_timer.deleteLater()
                self._video_timer = None
            job, self.video_job = self.video_job, None
            if job is not None and cancelled:
                job.abort()  # the temporary file goes; a file already there stays
        finally:
            self.video_job = None
            self._close_progress()

    def _video_step(self) -> None:
        job = self.video_job
        if job is None:
            return
        try:
            more = job.write_next()
            self._set_progress(job.index)
            if more:
                return
            self._set_progress(job.index, text=f"Writing {printable(job.path.name)}…")
            result: VideoResult = job.finish()
        except Exception as exc:  # noqa: BLE001 - encoder or disk trouble, shown to the user
            self._stop_video(cancelled=True)
            kept = " It was left as it was." if job.path.exists() else ""
            self._show_error("Could not export the video", _problem(job.path, exc) + kept)
            self.videoFinished.emit(None)
            return
        self._stop_video(cancelled=False)
        self._status(
            f"Saved {printable(result.path)} ({result.frames} frames, {result.size[0]} × "
            f"{result.size[1]}, {result.fps:g} frames/s, {result.seconds:.2f} s)"
        )
        self.videoFinished.emit(result)

    # ------------------------------------------------------------------ data
    def export_data_dialog(self) -> None:
        if self.model.animation is None:
            return
        t = io_texts("data")
        path = self._save_name(t["title"], t["filter"], ".csv", f"{self._stem()}.csv")
        if path:
            self.export_cycle_data(path)

    def export_cycle_data(self, path: str | Path) -> Path | None:
        """The cycle shown as CSV: the columns of ``anatomy-viewer cycle`` (modes, fast-fibre
        shares, and muscle forces and powers where the cycle has activations)."""
        from anatomy_viewer.gait.export import write_animation_csv

        anim = self.model.animation
        if anim is None:
            return None
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            columns = write_animation_csv(anim, path)
        except OSError as exc:
            self._show_error("Could not export the cycle data", _problem(path, exc))
            return None
        finally:
            QApplication.restoreOverrideCursor()
        self._status(
            f"Saved {printable(path)} (101 rows of {columns} columns: 0..100 % of "
            f"{anim.cycle.label})"
        )
        return Path(path)


def _problem(path: str | Path, exc: BaseException) -> str:
    """An error for a dialog: an OutputError names the file itself; other errors get it."""
    from anatomy_viewer.safe_output import OutputError

    if isinstance(exc, OutputError):
        return str(exc)
    return printable(f"{Path(path).name}: {exc}")


def install_io_actions(
    window: QMainWindow, model: AppModel, scene: LegScene, viewport: QWidget
) -> IOActions:
    """Add Open…, Save picture…, Export video… and Export cycle data… to ``window``'s File
    menu (``window.file_menu``, before its last entry, Quit), drag and drop of files onto the
    window, the info bar above the 3-D view (first in the central widget's layout), and the
    status bar messages."""
    io = IOActions(model, scene, viewport, window)
    menu = window.file_menu  # type: ignore[attr-defined]
    first = menu.actions()[0] if menu.actions() else None  # Quit stays last
    for act in (*io.actions, None):
        if act is None:
            menu.insertSeparator(first)
        else:
            menu.insertAction(first, act)
    central = window.centralWidget()
    layout = central.layout() if central is not None else None
    if layout is not None:
        layout.insertWidget(0, io.info_bar)
    io.status.connect(window.statusBar().showMessage)
    return io


__all__ = ["IOActions", "install_io_actions"]
