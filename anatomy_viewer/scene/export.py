"""Pictures and videos of the leg, rendered offscreen: PNG, MP4 and GIF. No Qt.

- :func:`render_picture`: one frame of a :class:`CycleAnimation` to PNG (up to 4K, optionally
  with a transparent background), showing what another LegScene shows (:func:`copy_view`) or
  a camera preset.
- :class:`VideoExport`: the frame loop of a video, one frame per :meth:`~VideoExport.write_next`
  call (so a window can drive it from its event loop), and :func:`export_video`, the same loop
  run to the end with a progress callback and cancellation.
- :class:`VideoWriter`: MP4 (H.264 through imageio's ffmpeg plugin, imageio-ffmpeg's own
  ffmpeg binary) or GIF (Pillow, one palette shared by every frame), by the file's extension.

Timing is fixed, independent of rendering speed: frame ``i`` shows the cycle at time ``i / fps``,
percent ``(i / fps / stride_time * 100) mod 100``, so one cycle takes ``stride_time`` seconds
of video and ``cycles`` cycles take ``round(cycles * stride_time * fps)`` frames. In slow motion
(``VideoSettings.slow`` = k) frame ``i`` shows time ``i / fps / k``: one cycle takes
``k * stride_time`` seconds of video (a 0.46 s sprint stride 1.84 s at k = 4) and
``round(cycles * k * stride_time * fps)`` frames.

Overlays (caption with the phase of each leg and the percent, colour legend) are the scene's own;
their text is scaled with the image height (window DPI) so it reads the same at 720p and 4K.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from vtkmodules.vtkRenderingCore import vtkRenderWindow

from anatomy_viewer.gait.animation import AnimationFrame, CycleAnimation
from anatomy_viewer.gait.cycle import GaitCycle
from anatomy_viewer.scene.leg_scene import VIEWS, LegScene
from anatomy_viewer.scene.offscreen import offscreen_window, render_to_array, render_to_png

#: Largest picture or video frame (4K UHD).
MAX_SIZE = (3840, 2160)
MIN_SIZE = (16, 16)
VIDEO_SUFFIXES = (".mp4", ".gif")
#: Picture formats by extension (Pillow's format names); JPEG has no transparency.
PICTURE_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG"}
JPEG_QUALITY = 92
MAX_FPS = 120.0
#: Slow motion: how many times slower than real time a video may play.
SLOW_RANGE = (1.0, 20.0)
#: Text is drawn at the scene's sizes for a frame this tall and scaled with the height.
TEXT_REFERENCE_SIZE = (1280, 720)
TEXT_SCALE_LIMITS = (0.5, 3.0)
#: Narrower images have no room for the colour legend beside the leg: it is left out.
LEGEND_MIN_WIDTH = 480
#: Phases of the cycle sampled to frame a video's camera so no pose leaves the picture.
FRAMING_SAMPLES = 8
#: A GIF's one palette: built from this many frames spread over the video, plus up to
#: GIF_KEY_COLOURS colours of the colour map (so the legend and the muscles keep their shades).
GIF_PALETTE_SAMPLES = 6
GIF_KEY_COLOURS = 48
#: Pixels of the sample frames looked at to build the palette (larger frames are thinned).
GIF_PALETTE_PIXELS = 1_500_000

Progress = Callable[[int, int], None]  # (frames done, frames in all)
Cancel = Callable[[], bool]


class ExportCancelled(Exception):
    """The export was cancelled; its partial file has been removed."""


# ============================================================================ timing
def frame_count(stride_time: float, fps: float, cycles: float = 1) -> int:
    """Frames of ``cycles`` cycles at ``fps``: round(cycles * stride_time * fps), at least 1."""
    return max(1, round(float(cycles) * float(stride_time) * float(fps)))


def frame_percents(stride_time: float, fps: float, cycles: float = 1) -> np.ndarray:
    """Percent of the cycle shown by each frame: frame i is at time i / fps."""
    if not stride_time > 0:
        raise ValueError("stride_time must be positive")
    if not 0 < fps <= MAX_FPS:
        raise ValueError(f"fps must be more than 0 and at most {MAX_FPS:g}, got {fps:g}")
    if not cycles > 0:
        raise ValueError("cycles must be positive")
    i = np.arange(frame_count(stride_time, fps, cycles))
    return (i / float(fps) / float(stride_time) * 100.0) % 100.0


def check_size(size: tuple[int, int], suffix: str = ".png") -> tuple[int, int]:
    """The size as ints, or ValueError naming the limit it breaks."""
    w, h = (int(v) for v in size)
    if not (MIN_SIZE[0] <= w <= MAX_SIZE[0] and MIN_SIZE[1] <= h <= MAX_SIZE[1]):
        raise ValueError(
            f"size {w}x{h} is outside {MIN_SIZE[0]}x{MIN_SIZE[1]} .. {MAX_SIZE[0]}x{MAX_SIZE[1]}"
        )
    if suffix.lower() == ".mp4" and (w % 2 or h % 2):
        raise ValueError(f"an MP4 video needs an even width and height, got {w}x{h}")
    return w, h


# ============================================================================ overlays and state
def caption_text(
    cycle: GaitCycle, frame: AnimationFrame, *, percent: bool = True, phase: bool = True
) -> str:
    """Two lines: the gait (or trial), then the percent of the stride (the time into a
    whole trial) and each leg's phase (left out when the cycle knows no foot contacts)."""
    parts = []
    if percent:
        if cycle.periodic:
            parts.append(f"{frame.percent:.0f} % of the stride")
        else:
            parts.append(f"{frame.percent / 100.0 * cycle.stride_time:.2f} s into the trial")
    contacts_known = bool(cycle.phases) or bool(cycle.contact_r.any() or cycle.contact_l.any())
    if phase and contacts_known:
        parts.append(f"right: {frame.phase_r}    left: {frame.phase_l}")
    return "\n".join([cycle.label, *(["    ".join(parts)] if parts else [])])


def text_scale(size: tuple[int, int]) -> float:
    """How much larger than the scene's own sizes text is drawn in an image of ``size``
    (1 at 1280x720, 3 at 3840x2160; limited by the narrower of width and height)."""
    lo, hi = TEXT_SCALE_LIMITS
    rw, rh = TEXT_REFERENCE_SIZE
    return float(np.clip(min(size[0] / rw, size[1] / rh), lo, hi))


def legend_fits(size: tuple[int, int]) -> bool:
    """Whether the colour legend fits beside the leg in an image of ``size``."""
    return int(size[0]) >= LEGEND_MIN_WIDTH


def picture_window(size: tuple[int, int]) -> vtkRenderWindow:
    """An offscreen window of ``size`` whose text is scaled to its height."""
    w, h = size
    window = offscreen_window(w, h)
    window.SetDPI(round(72 * text_scale(size)))
    return window


def copy_view(source: LegScene, target: LegScene) -> None:
    """Make ``target`` look like ``source``: camera, display state (shown, isolated,
    highlighted and selected muscles, legs, bone opacity, gain, colour map), legend, floor
    and caption."""
    target.renderer.GetActiveCamera().DeepCopy(source.renderer.GetActiveCamera())
    target.set_display_state(source.display_state())
    target.set_legend_visible(source.legend_visible)
    target.set_ground_visible(source.ground_visible)
    target.set_caption(source.caption)


def show_frame(
    scene: LegScene,
    animation: CycleAnimation,
    percent: float,
    *,
    caption: bool | str | None = None,
) -> AnimationFrame:
    """Pose ``scene`` at ``percent``. ``caption``: True writes :func:`caption_text`, a string
    that text, False none; None leaves the scene's caption as it is."""
    frame = animation.at(percent)
    scene.update(frame.pose, frame.activations, frame.modes)
    if isinstance(caption, str):
        scene.set_caption(caption or None)
    elif caption is not None:
        scene.set_caption(caption_text(animation.cycle, frame) if caption else None)
    return frame


def frame_camera(scene: LegScene, animation: CycleAnimation, view: str) -> None:
    """Point the camera from preset ``view`` so that every pose of the cycle stays in the
    picture (the preset framed around the poses at FRAMING_SAMPLES phases)."""
    if view not in VIEWS:
        raise KeyError(f"no view {view!r}; choose one of {', '.join(VIEWS)}")
    points = [
        scene.framing_points(animation.at(float(p)).pose)
        for p in np.linspace(0.0, 100.0, FRAMING_SAMPLES, endpoint=False)
    ]
    scene.frame_also = np.concatenate(points)
    scene.set_view(view)


# ============================================================================ pictures
def render_picture(
    animation: CycleAnimation,
    percent: float,
    path: str | os.PathLike,
    size: tuple[int, int] = (1920, 1080),
    *,
    like: LegScene | None = None,
    view: str | None = None,
    transparent_background: bool = False,
    caption: bool | str | None = None,
    legend: bool | None = None,
) -> Path:
    """Render the frame at ``percent`` to a PNG of ``size`` pixels (no window needed).

    With ``like``, the picture shows what that scene shows (:func:`copy_view`: its camera and
    display state, caption included); ``view`` (a preset name) replaces the camera.
    ``legend`` None keeps the legend as ``like`` has it (shown without ``like``); ``caption``
    True writes the gait, percent and phases, a string that text, False none, None the caption
    of ``like`` (none without). Pictures narrower than LEGEND_MIN_WIDTH have no legend.
    """
    size = check_size(size)
    scene = LegScene(animation.model)
    window = picture_window(size)
    scene.attach(window)
    try:
        show_frame(scene, animation, percent)
        if like is not None:
            copy_view(like, scene)
        if caption is not None:
            show_frame(scene, animation, percent, caption=caption)
        if view is not None or like is None:
            scene.set_view(view or "side")
        if legend is not None:
            scene.set_legend_visible(legend)
        if not legend_fits(size):
            scene.set_legend_visible(False)
        return render_to_png(scene, path, transparent_background=transparent_background)
    finally:
        scene.detach()
        window.Finalize()


# ============================================================================ video files
def write_file(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path``; an OSError (a full disk, a folder not writable) names the
    file, also when the operating system reports it while writing rather than on opening."""
    path = Path(path)
    try:
        with open(path, "wb") as fh:
            fh.write(data)
    except OSError as exc:
        if exc.filename is not None:
            raise
        raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from exc
    return path


def picture_format(path: str | os.PathLike, transparent: bool = False) -> str:
    """The format a picture at ``path`` is written in, by its extension ("PNG" or "JPEG"), or
    ValueError naming the extensions supported (and that JPEG cannot be transparent)."""
    suffix = Path(path).suffix.lower()
    fmt = PICTURE_FORMATS.get(suffix)
    if fmt is None:
        raise ValueError(
            f"{Path(path).name}: a picture is written as .png, .jpg or .jpeg (by its "
            f"extension), not {suffix or 'a file without extension'!r}"
        )
    if transparent and fmt != "PNG":
        raise ValueError(f"{Path(path).name}: a transparent background needs a .png file")
    return fmt


def save_picture(rgb: np.ndarray, path: str | os.PathLike) -> Path:
    """Write an (h, w, 3) RGB or (h, w, 4) RGBA uint8 image as PNG or JPEG, by the extension
    (:func:`picture_format`); an OSError names the file (:func:`write_file`)."""
    from PIL import Image

    fmt = picture_format(path, transparent=rgb.ndim == 3 and rgb.shape[2] == 4)
    buffer = io.BytesIO()
    if fmt == "JPEG":
        Image.fromarray(np.ascontiguousarray(rgb[..., :3])).save(
            buffer, format="JPEG", quality=JPEG_QUALITY
        )
    else:
        Image.fromarray(np.ascontiguousarray(rgb)).save(buffer, format="PNG")
    return write_file(path, buffer.getvalue())


def gif_palette(samples: list[np.ndarray], key_colours: np.ndarray | None = None):
    """One 256-colour palette (a Pillow "P" image) for every frame of a GIF.

    It holds ``key_colours`` ((k, 3) RGB, 0..1 floats or 0..255; at most GIF_KEY_COLOURS are
    kept, evenly spread), e.g. the colour map sampled along the legend, and the colours a
    median cut finds in the ``samples`` frames (thinned to about GIF_PALETTE_PIXELS pixels).
    """
    from PIL import Image

    keys = np.zeros((0, 3), np.uint8)
    if key_colours is not None and len(key_colours):
        k = np.asarray(key_colours, dtype=float).reshape(-1, 3)
        k = k * 255.0 if k.max() <= 1.0 else k
        k = np.clip(np.round(k), 0, 255).astype(np.uint8)
        _, first = np.unique(k, axis=0, return_index=True)
        k = k[np.sort(first)]
        if len(k) > GIF_KEY_COLOURS:
            k = k[np.linspace(0, len(k) - 1, GIF_KEY_COLOURS).round().astype(int)]
        keys = k
    pixels = sum(s.shape[0] * s.shape[1] for s in samples)
    step = max(1, int(np.ceil(np.sqrt(pixels / GIF_PALETTE_PIXELS))))
    mosaic = np.concatenate([np.ascontiguousarray(s[::step, ::step, :3]) for s in samples])
    cut = Image.fromarray(mosaic).quantize(
        colors=256 - len(keys), method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
    )
    used = int(np.asarray(cut).max()) + 1
    found = np.asarray(cut.getpalette()[: 3 * used], dtype=np.uint8).reshape(-1, 3)
    colours = np.concatenate([keys, found])
    colours = np.concatenate([colours, np.repeat(colours[-1:], 256 - len(colours), axis=0)])
    palette = Image.new("P", (1, 1))
    palette.putpalette(colours.reshape(-1).tolist())
    return palette


class VideoWriter:
    """Frames in, an MP4 or GIF file out (by the extension of ``path``).

    MP4: H.264, yuv420p (plays in browsers, PowerPoint, Keynote), even width and height.
    GIF: looping; frame delays are whole hundredths of a second, so they alternate (e.g. 30, 40,
    30 ms at 30 fps) to keep the video's total time right; frames are kept in memory until
    :meth:`close` (GIF is meant for short clips). Every frame is mapped, without dithering, to
    one shared 256-colour palette (:func:`gif_palette`), so a colour is the same palette entry
    in every frame: the legend and a resting muscle do not flicker from frame to frame.
    """

    def __init__(
        self,
        path: str | os.PathLike,
        fps: float,
        size: tuple[int, int],
        *,
        key_colours: np.ndarray | None = None,
    ) -> None:
        self.path = Path(path)
        #: Colours a GIF's palette must hold (the colour map's, for the legend): see gif_palette.
        self.key_colours = key_colours
        self.suffix = self.path.suffix.lower()
        if self.suffix not in VIDEO_SUFFIXES:
            raise ValueError(
                f"{self.path.name}: a video is written as .mp4 or .gif, not "
                f"{self.path.suffix or 'a file without extension'!r}"
            )
        self.fps = float(fps)
        self.size = check_size(size, self.suffix)
        self.frames_written = 0
        self._gif_frames: list[np.ndarray] = []
        self._writer = None
        if self.suffix == ".mp4":
            import imageio.v2 as iio

            self._writer = iio.get_writer(
                self.path,
                format="FFMPEG",
                mode="I",
                fps=self.fps,
                codec="libx264",
                pixelformat="yuv420p",
                quality=8,
                macro_block_size=1,
                ffmpeg_log_level="error",
                output_params=["-movflags", "+faststart"],
            )

    def append(self, rgb: np.ndarray) -> None:
        """Add one frame, (h, w, 3) uint8 RGB of the writer's size."""
        h, w = rgb.shape[:2]
        if (w, h) != self.size:
            raise ValueError(f"frame is {w}x{h}, the video {self.size[0]}x{self.size[1]}")
        if self._writer is not None:
            self._writer.append_data(np.ascontiguousarray(rgb[..., :3]))
        else:
            self._gif_frames.append(np.array(rgb[..., :3], copy=True))
        self.frames_written += 1

    def gif_durations(self, n: int) -> list[int]:
        """Delays (ms, multiples of 10) of ``n`` GIF frames whose running sum tracks i / fps."""
        ends = np.round(np.arange(1, n + 1) * 100.0 / self.fps).astype(int)  # hundredths
        cs = np.diff(np.concatenate([[0], ends]))
        return [int(max(c, 1)) * 10 for c in cs]

    def close(self) -> Path:
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        elif self._gif_frames:
            from PIL import Image

            frames = self._gif_frames
            self._gif_frames = []
            picks = np.linspace(0, len(frames) - 1, min(GIF_PALETTE_SAMPLES, len(frames)))
            palette = gif_palette([frames[i] for i in picks.round().astype(int)], self.key_colours)
            images = []
            for i in range(len(frames)):  # each RGB frame is dropped once it is mapped
                images.append(
                    Image.fromarray(frames[i]).quantize(palette=palette, dither=Image.Dither.NONE)
                )
                frames[i] = None  # type: ignore[call-overload]
            buffer = io.BytesIO()
            images[0].save(
                buffer,
                format="GIF",
                save_all=True,
                append_images=images[1:],
                duration=self.gif_durations(len(images)),
                loop=0,
                optimize=False,
            )
            write_file(self.path, buffer.getvalue())
        return self.path

    def abort(self) -> None:
        """Stop writing and remove the partial file."""
        try:
            if self._writer is not None:
                self._writer.close()
        except Exception:  # noqa: BLE001 - the file is removed anyway
            pass
        self._writer = None
        self._gif_frames = []
        self.path.unlink(missing_ok=True)


# ============================================================================ the frame loop
@dataclass(frozen=True)
class VideoSettings:
    """What a video shows. ``view`` None keeps the camera of the scene the video is made
    ``like`` (else "side"); ``caption``: phase names and percent; ``legend``: colour legend;
    ``slow``: slow motion, this many times slower than real time (1: real time)."""

    fps: float = 30.0
    cycles: float = 1
    size: tuple[int, int] = (1280, 720)
    view: str | None = "side"
    caption: bool = True
    legend: bool = True
    slow: float = 1.0


@dataclass(frozen=True)
class VideoResult:
    path: Path
    frames: int
    fps: float
    size: tuple[int, int]
    seconds: float  # length of the video


class VideoExport:
    """The frames of a video rendered and written one at a time.

    >>> job = VideoExport(animation, "run.mp4", VideoSettings(cycles=2))
    >>> while job.write_next(): pass
    >>> job.finish()

    :meth:`abort` removes the partial file. The offscreen scene and window are released by
    :meth:`finish` and :meth:`abort`.
    """

    def __init__(
        self,
        animation: CycleAnimation,
        path: str | os.PathLike,
        settings: VideoSettings | None = None,
        *,
        like: LegScene | None = None,
    ) -> None:
        self.settings = s = settings or VideoSettings()
        self.animation = animation
        cycle = animation.cycle
        lo, hi = SLOW_RANGE
        if not lo <= s.slow <= hi:
            raise ValueError(f"slow must be within {lo:g}..{hi:g} (times slower), got {s.slow:g}")
        self.percents = frame_percents(cycle.stride_time * s.slow, s.fps, s.cycles)
        self.n_frames = len(self.percents)
        self.index = 0
        self.writer = VideoWriter(path, s.fps, s.size)  # checks suffix and size first
        self.scene = LegScene(animation.model)
        self.window = picture_window(self.writer.size)
        self.scene.attach(self.window)
        if like is not None:
            copy_view(like, self.scene)
        self.writer.key_colours = self.scene.colormap(np.linspace(0.0, 1.0, GIF_KEY_COLOURS))
        if s.view is not None or like is None:
            frame_camera(self.scene, animation, s.view or "side")
        self.scene.set_legend_visible(s.legend and legend_fits(self.writer.size))
        self._closed = False

    @property
    def path(self) -> Path:
        return self.writer.path

    def write_next(self) -> bool:
        """Render and write the next frame; False once every frame is written."""
        if self.index >= self.n_frames or self._closed:
            return False
        show_frame(
            self.scene,
            self.animation,
            float(self.percents[self.index]),
            caption=self.settings.caption,
        )
        self.writer.append(render_to_array(self.scene))
        self.index += 1
        return self.index < self.n_frames

    def _release(self) -> None:
        if not self._closed:
            self._closed = True
            self.scene.detach()
            self.window.Finalize()

    def finish(self) -> VideoResult:
        """Close the file (write any frames still missing first)."""
        while self.write_next():
            pass
        self._release()
        self.writer.close()
        s = self.settings
        return VideoResult(self.path, self.n_frames, s.fps, self.writer.size, self.n_frames / s.fps)

    def abort(self) -> None:
        self._release()
        self.writer.abort()


def export_video(
    animation: CycleAnimation,
    path: str | os.PathLike,
    settings: VideoSettings | None = None,
    *,
    like: LegScene | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> VideoResult:
    """Render ``settings.cycles`` cycles of ``animation`` to an MP4 or GIF at ``path``.

    ``progress(done, total)`` is called after every frame; when ``cancel()`` returns True the
    partial file is removed and :class:`ExportCancelled` raised.
    """
    job = VideoExport(animation, path, settings, like=like)
    try:
        more = job.n_frames > 0
        while more:
            if cancel is not None and cancel():
                raise ExportCancelled(f"export of {job.path.name} cancelled")
            more = job.write_next()
            if progress is not None:
                progress(job.index, job.n_frames)
        return job.finish()
    except BaseException:
        job.abort()
        raise
