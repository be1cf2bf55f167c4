"""Pictures and videos of the leg, rendered offscreen: PNG, MP4 and GIF. No Qt.

- :func:`render_picture`: one frame of a :class:`CycleAnimation` to PNG (up to 4K, optionally
  with a transparent background), showing what another LegScene shows (:func:`copy_view`) or
  a camera preset.
- :class:`VideoExport`: the frame loop of a video, one frame per :meth:`~VideoExport.write_next`
  call (so a window can drive it from its event loop), and :func:`export_video`, the same loop
  run to the end with a progress callback and cancellation.
- :class:`VideoWriter`: MP4 (H.264 through imageio-ffmpeg's own ffmpeg binary) or GIF
  (streamed frame by frame, one palette shared by every frame), by the file's extension.

Nothing the user had is lost: pictures and videos are written to a temporary file beside the
target, read back (a picture decoded, a video's every frame decoded and counted) and only then
renamed over it (:mod:`anatomy_viewer.safe_output`); a failure, cancel, Ctrl-C or SIGTERM
leaves an existing file as it was. Video lengths are checked before rendering
(:func:`check_frame_count`); by default a video lasts at least DEFAULT_VIDEO_SECONDS
(:func:`default_cycles`).

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

import contextlib
import errno
import io
import math
import os
import re
import struct
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import BinaryIO

import numpy as np
from vtkmodules.vtkRenderingCore import vtkRenderWindow

from anatomy_viewer.gait.animation import AnimationFrame, CycleAnimation
from anatomy_viewer.gait.sampling import caption_text
from anatomy_viewer.safe_output import OutputError, PendingOutput, describe_os_error, printable
from anatomy_viewer.scene.leg_scene import VIEWS, LegScene
from anatomy_viewer.scene.offscreen import (  # noqa: F401 (pictures are part of this API)
    JPEG_QUALITY,
    PICTURE_FORMATS,
    offscreen_window,
    picture_format,
    render_to_array,
    render_to_png,
    save_picture,
    write_file,
)

#: Largest picture or video frame (4K UHD).
MAX_SIZE = (3840, 2160)
MIN_SIZE = (16, 16)
VIDEO_SUFFIXES = (".mp4", ".gif")
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
#: H.264 constant rate factor of an MP4 (0 lossless .. 51 worst; 10 looks as rendered).
MP4_CRF = 10
#: Most frames of a video: 10 minutes at 30 frames/s (about a quarter of an hour of
#: rendering at 1280x720 on a laptop without a GPU). A GIF, whose frames are much larger
#: and which players hold in memory, has at most MAX_GIF_FRAMES.
MAX_VIDEO_FRAMES = 18_000
MAX_GIF_FRAMES = 1_800
#: GIF frame delays are whole hundredths of a second and players slow down delays under
#: 2/100 s: a GIF plays at most this many frames per second.
GIF_MAX_FPS = 50.0
#: A video is made of whole cycles lasting at least this long unless asked otherwise.
DEFAULT_VIDEO_SECONDS = 5.0

Progress = Callable[[int, int], None]  # (frames done, frames in all)
Cancel = Callable[[], bool]


class ExportCancelled(Exception):
    """The export was cancelled; its temporary file has been removed and a file already at
    the target is unchanged."""


# ============================================================================ timing
def frame_count(stride_time: float, fps: float, cycles: float = 1) -> int:
    """Frames of ``cycles`` cycles at ``fps``: round(cycles * stride_time * fps), at least 1."""
    return max(1, round(float(cycles) * float(stride_time) * float(fps)))


def default_cycles(stride_time: float, slow: float = 1.0) -> float:
    """Whole cycles that make a video of at least DEFAULT_VIDEO_SECONDS (at least one): a
    single 0.69 s running stride is over before it can be watched; eight last 5.5 s."""
    seconds = float(stride_time) * float(slow)
    if not seconds > 0:
        return 1.0
    return float(max(1, math.ceil(DEFAULT_VIDEO_SECONDS / seconds - 1e-9)))


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
    """Pose ``scene`` at ``percent``. ``caption``: True writes the caption of
    :func:`anatomy_viewer.gait.sampling.caption_text`, a string that text, False none; None
    leaves the scene's caption as it is."""
    frame = animation.at(percent)
    scene.update(frame.pose, frame.activations, frame.modes)
    if isinstance(caption, str):
        scene.set_caption(caption or None)
    elif caption is not None:
        scene.set_caption(caption_text(animation.cycle, percent) if caption else None)
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
def check_frame_count(n_frames: int, fps: float, suffix: str = ".mp4") -> int:
    """``n_frames`` if a video of that many frames can be made, else ValueError saying why
    and what to change: at most MAX_VIDEO_FRAMES (MAX_GIF_FRAMES for a GIF, whose frames are
    large and slow to show), and a GIF plays at most GIF_MAX_FPS frames per second."""
    n = int(n_frames)
    gif = suffix.lower() == ".gif"
    limit = MAX_GIF_FRAMES if gif else MAX_VIDEO_FRAMES
    if n > limit:
        what = "a GIF" if gif else "a video"
        more = f" (an MP4 up to {MAX_VIDEO_FRAMES:,})" if gif and n <= MAX_VIDEO_FRAMES else ""
        raise ValueError(
            f"{n:,} frames ({n / fps:,.0f} s at {fps:g} frames/s) are too many: {what} has at "
            f"most {limit:,}{more}; choose fewer cycles, a lower frame rate or less slow motion"
        )
    if gif and fps > GIF_MAX_FPS:
        raise ValueError(
            f"a GIF plays at most {GIF_MAX_FPS:g} frames/s (its frame delays are whole "
            f"hundredths of a second, and players slow down shorter ones), not {fps:g}; "
            "choose a lower frame rate or MP4"
        )
    return n


def gif_durations(n: int, fps: float) -> list[int]:
    """Delays (ms, multiples of 10) of ``n`` GIF frames whose running sum tracks i / fps:
    at 30 frames/s 30, 40, 30, 30, 40, 30 ... ms, so 30 frames last exactly one second
    although 1/30 s is no whole number of hundredths."""
    ends = np.round(np.arange(1, n + 1) * 100.0 / float(fps)).astype(int)  # hundredths
    cs = np.diff(np.concatenate([[0], ends]))
    return [int(max(c, 1)) * 10 for c in cs]


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


def _os_cause(text: str) -> str | None:
    """The plain cause ("the disk is full", ...) of an OS error an encoder reported, if any."""
    for code in (errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EROFS, errno.EFBIG, errno.EIO):
        if os.strerror(code) in text:
            return describe_os_error(OSError(code, os.strerror(code)))
    return None


class _Mp4Encoder:
    """H.264 through the ffmpeg that imageio-ffmpeg ships, fed raw RGB frames on a pipe.

    ffmpeg runs in its own session (Ctrl-C in a terminal reaches only this program, which
    stops it) and its messages are kept, so that an encoder failure, such as a full disk, is
    reported with its cause instead of being printed and ignored."""

    def __init__(self, path: Path, fps: float, size: tuple[int, int]) -> None:
        import imageio_ffmpeg

        w, h = size
        rate = Fraction(float(fps)).limit_denominator(1001)
        cmd = [
            imageio_ffmpeg.get_ffmpeg_exe(),
            "-nostdin", "-y", "-loglevel", "error",
            "-f", "rawvideo", "-vcodec", "rawvideo", "-s", f"{w}x{h}", "-pix_fmt", "rgb24",
            "-r", str(rate), "-i", "-",
            "-an", "-vcodec", "libx264", "-pix_fmt", "yuv420p", "-crf", str(MP4_CRF),
            "-movflags", "+faststart", "-f", "mp4", str(path),
        ]  # fmt: skip
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            cmd,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
            start_new_session=True,
        )

    def problem(self) -> str:
        """What ffmpeg said went wrong, in plain words where the cause is known."""
        self.log.seek(0)
        text = self.log.read().decode("utf-8", "replace")
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        cause = _os_cause(text)
        if cause is not None:
            return cause
        last = printable(lines[-1])[:200] if lines else "no message"
        return f"the video encoder failed (exit status {self.process.returncode}: {last})"

    def append(self, rgb: np.ndarray) -> None:
        try:
            self.process.stdin.write(np.ascontiguousarray(rgb[..., :3]).tobytes())
        except (BrokenPipeError, OSError, ValueError):
            self.process.wait()
            raise RuntimeError(self.problem()) from None

    def close(self) -> None:
        """Flush the last frames and wait for ffmpeg; RuntimeError with the cause unless it
        ended cleanly."""
        try:
            self.process.stdin.close()
        except OSError:
            pass
        code = self.process.wait()
        try:
            if code != 0:
                raise RuntimeError(self.problem())
        finally:
            self.log.close()

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.process.kill()
        with contextlib.suppress(OSError, ValueError):
            self.process.stdin.close()
        self.process.wait()
        self.log.close()


def _read_back_mp4(path: Path) -> tuple[int, tuple[int, int] | None]:
    """Decode every frame of an MP4 with ffmpeg: (frames, (width, height)); ValueError
    naming what ffmpeg found wrong (a cut file: "moov atom not found")."""
    import imageio_ffmpeg

    cmd = [
        imageio_ffmpeg.get_ffmpeg_exe(), "-nostdin", "-hide_banner", "-nostats", "-xerror",
        "-i", str(path), "-map", "0:v:0", "-f", "null", "-progress", "pipe:1", "-",
    ]  # fmt: skip
    result = subprocess.run(cmd, capture_output=True, text=True, errors="replace")
    frames = [ln for ln in result.stdout.splitlines() if ln.startswith("frame=")]
    if result.returncode != 0 or not frames:
        errors = [ln.strip() for ln in result.stderr.splitlines() if "rror" in ln or "not" in ln]
        why = printable(errors[0])[:160] if errors else f"exit status {result.returncode}"
        raise ValueError(f"the written video does not read back ({why})")
    size = re.search(r"Stream #0:\d+.*?: Video: .*?(\d{2,5})x(\d{2,5})", result.stderr)
    return int(frames[-1].split("=", 1)[1]), (
        (int(size.group(1)), int(size.group(2))) if size else None
    )


class _GifEncoder:
    """A looping GIF written frame by frame to an open file, so memory stays that of one
    frame however long the video (Pillow's own writer keeps every frame until the end).

    Every frame is mapped, without dithering, to one palette (the file's global colour
    table) and written as the rectangle that changed since the previous frame (at least one
    pixel, so that every frame and its delay stay in the file); Pillow's encoder compresses
    each rectangle."""

    def __init__(self, fh: BinaryIO, fps: float, size: tuple[int, int]) -> None:
        self.fh = fh
        self.fps = float(fps)
        self.size = size
        self.palette = None  # a Pillow "P" image holding the palette
        self._table = b""
        self._previous: np.ndarray | None = None
        self.frames = 0
        self.delays: list[int] = []

    def start(self, palette) -> None:
        """Write the header with ``palette`` (from :func:`gif_palette`) as colour table."""
        self.palette = palette
        self._table = bytes(palette.getpalette()[:768]).ljust(768, b"\0")
        w, h = self.size
        self.fh.write(b"GIF89a" + struct.pack("<HHBBB", w, h, 0xF7, 0, 0) + self._table)
        self.fh.write(b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00")  # loop forever

    def append(self, rgb: np.ndarray) -> None:
        from PIL import Image

        indexed = Image.fromarray(np.ascontiguousarray(rgb[..., :3])).quantize(
            palette=self.palette, dither=Image.Dither.NONE
        )
        index = np.asarray(indexed)
        if self._previous is None:
            box = (0, 0, index.shape[1], index.shape[0])
        else:
            changed = index != self._previous
            rows, cols = np.flatnonzero(changed.any(axis=1)), np.flatnonzero(changed.any(axis=0))
            if len(rows):
                box = (int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1)
            else:
                box = (0, 0, 1, 1)  # unchanged: one pixel keeps the frame and its delay
        self._previous = index
        end = round((self.frames + 1) * 100.0 / self.fps)
        delay = max(end - round(self.frames * 100.0 / self.fps), 1)
        self.fh.write(b"\x21\xf9\x04\x04" + struct.pack("<H", delay) + b"\x00\x00")
        self.fh.write(self._image_block(indexed.crop(box), box[0], box[1]))
        self.frames += 1
        self.delays.append(delay * 10)

    def _image_block(self, region, left: int, top: int) -> bytes:
        """The image descriptor and compressed data of ``region`` as Pillow encodes it,
        placed at (left, top); with a local colour table if Pillow's differs from ours."""
        buffer = io.BytesIO()
        region.save(buffer, format="GIF", optimize=False)
        data = buffer.getvalue()
        flags = data[10]
        pos = 13
        table = b""
        if flags & 0x80:
            n = 3 << ((flags & 7) + 1)
            table, pos = data[pos : pos + n], pos + n
        while data[pos] == 0x21:  # extensions before the image
            pos += 2
            while data[pos]:
                pos += data[pos] + 1
            pos += 1
        if data[pos] != 0x2C:
            raise RuntimeError("unexpected GIF data from the image encoder")
        descriptor = bytearray(data[pos : pos + 10])
        struct.pack_into("<HH", descriptor, 1, left, top)
        body_start = pos + 10
        local = b""
        if descriptor[9] & 0x80:
            n = 3 << ((descriptor[9] & 7) + 1)
            local, body_start = data[body_start : body_start + n], body_start + n
        elif table and table != self._table[: len(table)]:
            descriptor[9] |= 0x80 | (flags & 7)
            local = table
        end = body_start + 1  # past the LZW code size
        while data[end]:
            end += data[end] + 1
        return bytes(descriptor) + local + data[body_start : end + 1]

    def close(self) -> None:
        self.fh.write(b"\x3b")


def _read_back_gif(path: Path) -> tuple[int, tuple[int, int], int]:
    """(frames, (width, height), total delay in ms) of a GIF, read with Pillow."""
    from PIL import Image

    try:
        with Image.open(path) as img:
            if img.format != "GIF":
                raise ValueError(f"the written file reads back as {img.format}, not GIF")
            total = 0
            n = 0
            for n in range(1, img.n_frames + 1):
                img.seek(n - 1)
                total += int(img.info.get("duration", 0))
            return n, img.size, total
    except (OSError, EOFError, SyntaxError) as exc:
        raise ValueError(f"the written GIF does not read back ({printable(exc)})") from None


class VideoWriter:
    """Frames in, an MP4 or GIF file out (by the extension of ``path``), written atomically.

    Frames go to a temporary file beside ``path`` (:class:`~anatomy_viewer.safe_output.
    PendingOutput`); :meth:`close` ends the encoder, reads the file back (every frame decoded,
    the count and size as written) and only then renames it over ``path``. A failure
    (an OutputError naming the file and the cause, e.g. a full disk) or :meth:`abort` removes
    the temporary file and leaves a file already at ``path`` exactly as it was. The target
    is checked when the writer is made: a folder that cannot be written, or a target that is
    a device, folder or named pipe, is refused before any frame is rendered.

    MP4: H.264, yuv420p (plays in browsers, PowerPoint, Keynote), even width and height.
    GIF: looping, streamed frame by frame (:class:`_GifEncoder`); frame delays are whole
    hundredths of a second, so they alternate (30, 40, 30 ms at 30 fps) to keep the video's
    total time right (:func:`gif_durations`). Every frame is mapped to one shared 256-colour
    palette (:func:`gif_palette`) built from :meth:`set_palette_samples` (else the first
    frame), so a colour is the same palette entry in every frame: the legend and a resting
    muscle do not flicker.
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
                f"{printable(self.path.name)}: a video is written as .mp4 or .gif, not "
                f"{printable(self.path.suffix) or 'a file without extension'!r}"
            )
        if not 0 < fps <= MAX_FPS:
            raise ValueError(f"fps must be more than 0 and at most {MAX_FPS:g}, got {fps:g}")
        self.fps = float(fps)
        self.size = check_size(size, self.suffix)
        self.frames_written = 0
        self._samples: list[np.ndarray] | None = None
        self._output = PendingOutput(self.path, self._verify)
        self._mp4: _Mp4Encoder | None = None
        self._gif: _GifEncoder | None = None
        self._gif_file: BinaryIO | None = None
        try:
            if self.suffix == ".mp4":
                self._mp4 = _Mp4Encoder(self._output.tmp, self.fps, self.size)
            else:
                self._gif_file = open(self._output.tmp, "wb")  # noqa: SIM115 (closed in close)
                self._gif = _GifEncoder(self._gif_file, self.fps, self.size)
        except BaseException:
            self._output.discard()
            raise

    @property
    def temporary_path(self) -> Path:
        """Where the frames go until the video is complete."""
        return self._output.tmp

    def set_palette_samples(self, samples: list[np.ndarray]) -> None:
        """Frames spread over the video to build a GIF's one palette from (before the first
        frame; ignored for MP4)."""
        self._samples = [np.ascontiguousarray(s[..., :3]) for s in samples]

    def append(self, rgb: np.ndarray) -> None:
        """Add one frame, (h, w, 3) uint8 RGB of the writer's size."""
        h, w = rgb.shape[:2]
        if (w, h) != self.size:
            raise ValueError(f"frame is {w}x{h}, the video {self.size[0]}x{self.size[1]}")
        if self._mp4 is None and self._gif is None:
            raise ValueError(f"{printable(self.path.name)}: the video is already closed")
        with self._aborted_on_failure():
            if self._mp4 is not None:
                self._mp4.append(rgb)
            elif self._gif is not None:
                if self._gif.palette is None:
                    self._gif.start(gif_palette(self._samples or [rgb], self.key_colours))
                self._gif.append(rgb)
        self.frames_written += 1

    @contextlib.contextmanager
    def _aborted_on_failure(self) -> Iterator[None]:
        """Any exception stops the encoder and removes the temporary file; an encoder's
        failure or an OSError comes out as an OutputError naming the file and the cause."""
        try:
            yield
        except RuntimeError as exc:
            self.abort()
            raise OutputError(self.path, str(exc)) from None
        except OSError as exc:
            self.abort()
            if isinstance(exc, OutputError):
                raise
            raise OutputError(self.path, describe_os_error(exc)) from exc
        except BaseException:
            self.abort()
            raise

    def gif_durations(self, n: int) -> list[int]:
        """Delays (ms) of ``n`` GIF frames at this writer's rate (:func:`gif_durations`)."""
        return gif_durations(n, self.fps)

    def _verify(self, tmp: Path) -> None:
        """The written file, read back, has every frame at the size written."""
        want = self.frames_written
        if self.suffix == ".mp4":
            frames, size = _read_back_mp4(tmp)
        else:
            frames, size, total = _read_back_gif(tmp)
            if frames == want and total != sum(gif_durations(want, self.fps)):
                raise ValueError(f"the GIF's frames last {total} ms, not the time written")
        if frames != want:
            raise ValueError(f"the written video reads back with {frames} of {want} frames")
        if size is not None and tuple(size) != tuple(self.size):
            raise ValueError(
                f"the written video reads back at {size[0]}x{size[1]}, not "
                f"{self.size[0]}x{self.size[1]}"
            )

    def close(self) -> Path:
        """End the encoder cleanly, check the file and put it in place; returns ``path``.
        An OutputError (naming the file and the cause) leaves any old file as it was."""
        if self.frames_written == 0:
            self.abort()
            raise OutputError(self.path, "no frame was written")
        with self._aborted_on_failure():
            if self._mp4 is not None:
                mp4, self._mp4 = self._mp4, None
                mp4.close()
            elif self._gif is not None and self._gif_file is not None:
                gif, fh = self._gif, self._gif_file
                self._gif = self._gif_file = None
                with fh:
                    gif.close()
                    fh.flush()
        return self._output.commit()

    def abort(self) -> None:
        """Stop writing and remove the temporary file; a file already at ``path`` stays as
        it was. Never raises."""
        mp4, self._mp4 = self._mp4, None
        if mp4 is not None:
            with contextlib.suppress(Exception):
                mp4.kill()
        fh, self._gif_file = self._gif_file, None
        self._gif = None
        if fh is not None:
            with contextlib.suppress(OSError):
                fh.close()
        self._output.discard()


# ============================================================================ the frame loop
@dataclass(frozen=True)
class VideoSettings:
    """What a video shows. ``view`` None keeps the camera of the scene the video is made
    ``like`` (else "side"); ``caption``: phase names and percent; ``legend``: colour legend;
    ``slow``: slow motion, this many times slower than real time (1: real time);
    ``cycles`` None: enough whole cycles to last DEFAULT_VIDEO_SECONDS (:func:`default_cycles`)."""

    fps: float = 30.0
    cycles: float | None = None
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

    The video is written to a temporary file beside ``path`` and put in place by
    :meth:`finish` once read back complete; :meth:`abort` (or any failure) removes it and
    leaves a file already at ``path`` as it was. Everything that can be checked before
    rendering is: the format, size, length (:func:`check_frame_count`) and that ``path`` can
    be written. The offscreen scene and window are released by :meth:`finish` and
    :meth:`abort`.
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
        suffix = Path(path).suffix.lower()
        if suffix not in VIDEO_SUFFIXES:
            raise ValueError(
                f"{printable(Path(path).name)}: a video is written as .mp4 or .gif, not "
                f"{printable(suffix) or 'a file without extension'!r}"
            )
        stride = cycle.stride_time * s.slow
        self.cycles = default_cycles(stride) if s.cycles is None else float(s.cycles)
        if not 0 < s.fps <= MAX_FPS:
            raise ValueError(f"fps must be more than 0 and at most {MAX_FPS:g}, got {s.fps:g}")
        if not self.cycles > 0:
            raise ValueError("cycles must be positive")
        check_frame_count(frame_count(stride, s.fps, self.cycles), s.fps, suffix)
        self.percents = frame_percents(stride, s.fps, self.cycles)
        self.n_frames = len(self.percents)
        self.index = 0
        self.writer = VideoWriter(path, s.fps, s.size)  # checks size and the target
        try:
            self.scene = LegScene(animation.model)
            self.window = picture_window(self.writer.size)
            self.scene.attach(self.window)
        except BaseException:
            self.writer.abort()
            raise
        self._closed = False
        if like is not None:
            copy_view(like, self.scene)
        self.writer.key_colours = self.scene.colormap(np.linspace(0.0, 1.0, GIF_KEY_COLOURS))
        if s.view is not None or like is None:
            frame_camera(self.scene, animation, s.view or "side")
        self.scene.set_legend_visible(s.legend and legend_fits(self.writer.size))

    @property
    def path(self) -> Path:
        return self.writer.path

    def write_next(self) -> bool:
        """Render and write the next frame; False once every frame is written."""
        if self.index >= self.n_frames or self._closed:
            return False
        if self.index == 0 and self.writer.suffix == ".gif":
            self.writer.set_palette_samples(self._palette_samples())
        show_frame(
            self.scene,
            self.animation,
            float(self.percents[self.index]),
            caption=self.settings.caption,
        )
        self.writer.append(render_to_array(self.scene))
        self.index += 1
        return self.index < self.n_frames

    def _palette_samples(self) -> list[np.ndarray]:
        """Frames spread over the video (rendered ahead) for a GIF's one palette."""
        picks = np.linspace(0, self.n_frames - 1, min(GIF_PALETTE_SAMPLES, self.n_frames))
        samples = []
        for i in picks.round().astype(int):
            show_frame(
                self.scene,
                self.animation,
                float(self.percents[i]),
                caption=self.settings.caption,
            )
            samples.append(render_to_array(self.scene))
        return samples

    def _release(self) -> None:
        if not self._closed:
            self._closed = True
            with contextlib.suppress(Exception):
                self.scene.detach()
                self.window.Finalize()

    def finish(self) -> VideoResult:
        """Write any frames still missing, end the encoder and put the checked file in
        place (an OutputError naming the cause leaves an old file as it was)."""
        try:
            while self.write_next():
                pass
        except BaseException:
            self.abort()
            raise
        self._release()
        if self.writer.frames_written != self.n_frames:
            self.writer.abort()
            raise OutputError(
                self.path, f"{self.writer.frames_written} of {self.n_frames} frames were rendered"
            )
        self.writer.close()
        s = self.settings
        return VideoResult(self.path, self.n_frames, s.fps, self.writer.size, self.n_frames / s.fps)

    def abort(self) -> None:
        """Stop: the temporary file goes, a file already at the target stays. Never raises."""
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
    temporary file is removed and :class:`ExportCancelled` raised. On any failure, cancel or
    interrupt a file already at ``path`` is left exactly as it was.
    """
    job = VideoExport(animation, path, settings, like=like)
    try:
        more = job.n_frames > 0
        while more:
            if cancel is not None and cancel():
                raise ExportCancelled(f"export of {printable(job.path.name)} cancelled")
            more = job.write_next()
            if progress is not None:
                progress(job.index, job.n_frames)
        return job.finish()
    except BaseException:
        job.abort()
        raise
