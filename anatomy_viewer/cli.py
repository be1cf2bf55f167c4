"""The one entry point: the window by default, plus headless sub-commands.

    anatomy-viewer [--gait walking]                  open the window
    anatomy-viewer open trial.mot trial_grf.mot [emg.csv]   open the window on a recorded trial
    anatomy-viewer render --gait walking --phase 20 --view side --size 1280x800 -o leg.png
    anatomy-viewer cycle --gait walking -o walking.csv
    anatomy-viewer export --gait running --cycles 2 --fps 30 -o run.mp4   (or .gif)
    anatomy-viewer export --gait sprinting --slow 4 -o sprint.mp4   (4 times slower)
    anatomy-viewer activations --motion ik.mot [--grf grf.mot] [--mass KG] -o act.sto
    anatomy-viewer muscles [NAME]
    anatomy-viewer export-scene --gait walking --phase 20 -o leg.glb   (or .gltf)

``render``, ``cycle``, ``export`` and ``export-scene`` show a recorded trial with ``--motion
FILE [--activations FILE] [--grf FILE]`` in place of ``--gait``: with ground forces its first
full right stride, else the whole trial in time. A motion without activations gets them
estimated by inverse dynamics and static optimisation (``--no-estimate``: the leg at rest).
Errors in flags, values or files are reported in one line with exit status 2 (a file's error
names the file, the line and the problem).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import signal
import sys
from collections.abc import Callable, Sequence

from anatomy_viewer.safe_output import (
    OutputError,
    Terminated,
    check_output_target,
    describe_os_error,
    file_kind,
    printable,
    terminate_as_interrupt,
)

VIEW_NAMES = ("side", "front", "back", "three_quarter", "left")


class UsageError(Exception):
    """A problem with what the user asked for: reported in one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, no usage dump
        raise UsageError(message)


#: A number as typed on the command line: ASCII digits, an optional sign, point and exponent
#: (Python's float() would also take "1_000" and Arabic-Indic or full-width digits).
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", re.ASCII)
_SIZE = re.compile(r"(\d{1,6})[xX](\d{1,6})", re.ASCII)


def _size(text: str) -> tuple[int, int]:
    m = _SIZE.fullmatch(text.strip())
    if m is None:
        raise argparse.ArgumentTypeError(
            f"size must look like 1280x800, got {printable(repr(text))}"
        )
    w, h = int(m.group(1)), int(m.group(2))
    if not (16 <= w <= 7680 and 16 <= h <= 4320):
        raise argparse.ArgumentTypeError(f"size {w}x{h} is outside 16x16 .. 7680x4320")
    return w, h


def _number(
    what: str,
    lo: float,
    hi: float,
    *,
    range_text: str | None = None,
    above_lo: bool = False,
    hint: str = "",
) -> Callable[[str], float]:
    """An argparse type: a number within lo..hi (above lo when ``above_lo``), with messages
    that name the option and say what it accepts."""

    def parse(text: str) -> float:
        if _NUMBER.fullmatch(text.strip()) is None:
            raise argparse.ArgumentTypeError(
                f"{what} must be a number, got {printable(repr(text))}"
            )
        v = float(text)
        if not ((lo < v) if above_lo else (lo <= v)) or not v <= hi:
            shown = range_text or f"within {lo:g}..{hi:g}"
            raise argparse.ArgumentTypeError(f"{what} must be {shown}, got {v:g}{hint}")
        return v

    return parse


_percent = _number("phase", 0.0, 100.0, range_text="within 0..100 %")
_fps = _number("fps", 1.0, 120.0)
_cycles = _number(
    "cycles",
    0.0,
    100.0,
    above_lo=True,
    range_text="more than 0 and at most 100",
    hint=" (e.g. 0.5 or 2)",
)
_slow = _number("slow", 1.0, 20.0, range_text="within 1..20 (times slower than real time)")
_gain = _number("gain", 1.0, 4.0, range_text="within 1..4 (as in the window)")
_mass = _number("mass", 10.0, 400.0, range_text="within 10..400 kg")


def _gait_names() -> tuple[str, ...]:
    from anatomy_viewer.gait.library import GAIT_NAMES

    return GAIT_NAMES


def _add_source(p: argparse.ArgumentParser, gaits: tuple[str, ...]) -> None:
    """--gait, or a recorded trial: --motion [--activations] [--grf] [--map ...]."""
    p.add_argument("--gait", choices=gaits, default=None, help="built-in gait (default walking)")
    t = p.add_argument_group("a recorded trial (OpenSim .mot/.sto, CSV) in place of --gait")
    t.add_argument("--motion", metavar="FILE", help="joint angles (.mot/.sto)")
    t.add_argument("--activations", metavar="FILE", help="muscle activations (.sto) or EMG (.csv)")
    t.add_argument("--grf", metavar="FILE", help="ground reaction forces (.mot): cut one stride")
    _add_estimate(t)
    _add_mapping(t)


def _add_estimate(group) -> None:
    """--mass and --no-estimate: how a motion without activations gets them."""
    group.add_argument(
        "--mass",
        type=_mass,
        default=None,
        metavar="KG",
        help="the subject's mass, for estimating muscle activity (default: measured from the "
        "ground forces, else the model's 75 kg)",
    )
    group.add_argument(
        "--no-estimate",
        action="store_true",
        help="do not estimate the muscle activity of a motion given without activations "
        "(the leg is shown at rest)",
    )


def _add_mapping(group) -> None:
    group.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="COLUMN=MUSCLE[,MUSCLE]",
        help="drive these muscles by this activation column, e.g. TA=tibant_r (repeatable)",
    )
    group.add_argument(
        "--accept-suggested",
        action="store_true",
        help="use the suggested muscles for activation columns not named like the model's",
    )


def _add_highlight(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--highlight",
        action="append",
        default=[],
        metavar="GROUP_OR_MUSCLE",
        help="outline a muscle group (glutes, hamstrings, quadriceps, calves, hip_abductors, "
        "adductors, hip_flexors, shin_foot) or muscle (glmed1_r; glmed1 or 'soleus' for both "
        "legs); repeatable",
    )


def build_parser() -> argparse.ArgumentParser:
    gaits = _gait_names()
    p = _Parser(prog="anatomy-viewer", description="See what walking and running do to the legs.")
    p.add_argument("--version", action="store_true", help="print the version and exit")
    p.add_argument(
        "--gait",
        choices=gaits,
        default=None,
        help="gait to show first (default: the one shown last, else walking)",
    )
    sub = p.add_subparsers(dest="command", parser_class=_Parser)

    o = sub.add_parser("open", help="open the window on a recorded trial (files of any kind)")
    o.add_argument(
        "files", nargs="+", metavar="FILE", help="motion, activations and/or ground forces"
    )
    _add_estimate(o)
    _add_mapping(o)

    r = sub.add_parser("render", help="render the leg to a PNG or JPEG without a window")
    _add_source(r, gaits)
    r.add_argument("--phase", type=_percent, default=0.0, help="percent of the cycle (0..100)")
    r.add_argument("--view", choices=VIEW_NAMES, default="side")
    r.add_argument("--size", type=_size, default=(1280, 800), help="WIDTHxHEIGHT in pixels")
    r.add_argument("--transparent", action="store_true", help="transparent background (PNG only)")
    r.add_argument("--no-legend", action="store_true", help="no colour legend")
    r.add_argument("--no-caption", action="store_true", help="no caption (gait, percent, phases)")
    r.add_argument(
        "--gain",
        type=_gain,
        default=1.0,
        metavar="G",
        help="activation gain 1..4, as in the window: muscles show G times their activation "
        "(capped at 100 %%), so that low activity shows; the legend says so (default 1)",
    )
    _add_highlight(r)
    r.add_argument(
        "-o", "--output", required=True, help="picture to write: .png, or .jpg/.jpeg (JPEG)"
    )

    c = sub.add_parser("cycle", help="export a gait cycle as CSV (101 rows, 0..100 %%)")
    _add_source(c, gaits)
    c.add_argument("-o", "--output", required=True, help="CSV file to write ('-' for stdout)")

    e = sub.add_parser("export", help="export a video of the leg (MP4, or GIF by the extension)")
    _add_source(e, gaits)
    e.add_argument(
        "--cycles",
        type=_cycles,
        default=None,
        help="cycles to show (default: enough whole cycles for at least 5 s of video)",
    )
    e.add_argument("--fps", type=_fps, default=30.0, help="frames per second (default 30)")
    e.add_argument(
        "--slow",
        type=_slow,
        default=1.0,
        metavar="FACTOR",
        help="slow motion, FACTOR times slower than real time (1..20, default 1): with 4 a "
        "0.46 s sprint stride lasts 1.84 s of video, in 4 times as many frames",
    )
    e.add_argument("--size", type=_size, default=(1280, 720), help="WIDTHxHEIGHT, up to 3840x2160")
    e.add_argument("--view", choices=VIEW_NAMES, default="side")
    e.add_argument(
        "--no-overlays", action="store_true", help="no phase caption and no colour legend"
    )
    e.add_argument("-o", "--output", required=True, help="video file to write (.mp4 or .gif)")

    _add_activations_parser(sub)

    g = sub.add_parser(
        "export-scene",
        help="write the 3-D leg at one instant as a glTF 2.0 scene (.glb, or .gltf)",
    )
    _add_source(g, gaits)
    g.add_argument("--phase", type=_percent, default=0.0, help="percent of the cycle (0..100)")
    _add_highlight(g)
    g.add_argument(
        "-o", "--output", required=True, help="scene to write: .glb (binary) or .gltf (text)"
    )

    m = sub.add_parser("muscles", help="list the muscles, or describe one")
    m.add_argument(
        "name",
        nargs="?",
        help="a muscle by model name in any case (glmed1_r, GLMED1) or plain name ('soleus', "
        "'gluteus medius': its parts are listed), or a group (hamstrings)",
    )
    return p


def _add_activations_parser(sub) -> None:
    a = sub.add_parser(
        "activations",
        help="estimate muscle activations of a motion (inverse dynamics and static "
        "optimisation) and write them as OpenSim .sto",
    )
    a.add_argument("--motion", metavar="FILE", required=True, help="joint angles (.mot/.sto)")
    a.add_argument(
        "--grf",
        metavar="FILE",
        help="ground reaction forces (.mot); without, they are estimated from the motion",
    )
    a.add_argument(
        "--mass",
        type=_mass,
        default=None,
        metavar="KG",
        help="the subject's mass (default: measured from the ground forces, else the "
        "model's 75 kg)",
    )
    a.add_argument(
        "-o", "--output", required=True, help="activations to write (.sto, 0..1 per muscle)"
    )
    a.add_argument("--forces", metavar="FILE", help="also write the muscle forces (.sto, N)")
    a.add_argument(
        "--moments",
        metavar="FILE",
        help="also write the joint moments, residuals and reserve torques (.sto, N m)",
    )


def _note(text: str) -> None:
    print(f"anatomy-viewer: note: {printable(text)}", file=sys.stderr)


def _check_inputs(named: Sequence[tuple[str, str | None]]) -> None:
    """Each (flag, path) given must be a regular file that can be reached: else one line
    naming the path as typed and the reason (no such file, a loop of symbolic links, a folder
    that may not be searched, a named pipe or device, which would block or never end)."""
    for flag, text in named:
        if text is None:
            continue
        where = printable(f"{flag} {text}" if flag else text)
        try:
            st = os.stat(text)
        except FileNotFoundError:
            raise UsageError(f"{where}: no such file") from None
        except OSError as exc:
            raise UsageError(f"{where}: {input_problem(exc)}") from None
        kind = file_kind(st.st_mode)
        if kind is not None:
            raise UsageError(f"{where}: is {kind}, not a regular file")


def input_problem(exc: OSError) -> str:
    """Why a file cannot be opened, in plain words."""
    import errno

    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied (the file, or a folder on its path, may not be read)"
    return describe_os_error(exc)


def _check_output(path: str) -> None:
    """Refuse an output that cannot be written before any work is done (OutputError)."""
    if path != "-":
        check_output_target(path)


def _mapping(args: argparse.Namespace) -> dict[str, tuple[str, ...]] | None:
    from anatomy_viewer.gait.trial import parse_mapping

    try:
        return parse_mapping(args.map) or None
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def unmapped_message(trial) -> str | None:
    """One note on the activation columns that drive no muscle: each with its suggested
    muscles, and the flags that use them (None when every column is used)."""
    unmapped = trial.unmapped_suggestions
    if not unmapped:
        return None
    shown = ", ".join(
        f"{c} (suggested: {','.join(m)})" if m else f"{c} (no suggestion)"
        for c, m in unmapped.items()
    )
    n = len(unmapped)
    name = trial.files.activations.name if trial.files.activations else "activations"
    text = (
        f"{name}: {n} activation column{'s' if n > 1 else ''} matched no muscle of the model "
        f"and {'are' if n > 1 else 'is'} not shown: {shown}."
    )
    suggested = {c: m for c, m in unmapped.items() if m}
    flags = " ".join(f"--map {c}={','.join(m)}" for c, m in suggested.items())
    if suggested:
        text += (
            f" To use the suggestions add --accept-suggested (or {flags}); map any column "
            "with --map COLUMN=MUSCLE[,MUSCLE] ('anatomy-viewer muscles' lists the muscles)."
        )
    else:
        text += (
            f" To use {'them' if n > 1 else 'it'}, add --map COLUMN=MUSCLE[,MUSCLE] "
            "('anatomy-viewer muscles' lists the muscles)."
        )
    return text


def _report_trial(trial, cycle) -> None:
    """What was read and what the importers did, on stderr (stdout may carry the CSV)."""
    _note("read " + trial.files.summary())
    for text in cycle.notes:
        _note(text)
    unmapped = unmapped_message(trial)
    if unmapped:
        _note(unmapped)


class _Progress:
    """Progress of a long step on stderr, when it is a terminal: one line rewritten."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.shown = ""

    def __call__(self, fraction: float, what: str) -> None:
        if not self.tty or fraction < 0:
            return
        text = f"\r{what} {fraction:4.0%}"
        if text != self.shown:
            print(text, end="", file=sys.stderr, flush=True)
            self.shown = text

    def done(self) -> None:
        if self.shown:
            print(file=sys.stderr)
            self.shown = ""


def _load(args: argparse.Namespace):  # noqa: ANN202 (a TrialCycle)
    """The built-in gait or the recorded trial the flags name, as a
    :class:`~anatomy_viewer.gait.trial_activity.TrialCycle` (a trial's muscle activity
    estimated when it has none, unless --no-estimate)."""
    from anatomy_viewer.gait.library import load_gait
    from anatomy_viewer.gait.trial_activity import TrialCycle, trial_cycle

    if args.motion is None:
        if args.activations or args.grf or args.map or args.accept_suggested:
            raise UsageError("--activations, --grf and --map need --motion FILE (the joint angles)")
        if args.mass is not None or args.no_estimate:
            raise UsageError("--mass and --no-estimate need --motion FILE (the joint angles)")
        return TrialCycle(load_gait(args.gait or "walking"))
    if args.gait is not None:
        raise UsageError("give either --gait or --motion, not both")
    from anatomy_viewer.gait.trial import load_trial

    _check_inputs(
        [("--motion", args.motion), ("--activations", args.activations), ("--grf", args.grf)]
    )
    trial = load_trial(
        args.motion,
        args.activations,
        args.grf,
        mapping=_mapping(args),
        accept_suggestions=args.accept_suggested,
    )
    progress = _Progress()
    try:
        result = trial_cycle(
            trial,
            estimate=not args.no_estimate,
            mass=args.mass,
            progress=progress,
            report_unmapped=False,  # said in the CLI's words, naming its flags
        )
    finally:
        progress.done()
    _report_trial(trial, result.cycle)
    return result


def _load_cycle(args: argparse.Namespace):  # noqa: ANN202 (a GaitCycle)
    """The built-in gait or the recorded trial the flags name."""
    return _load(args).cycle


def _animation(args: argparse.Namespace):  # noqa: ANN202 (a CycleAnimation)
    """The cycle the flags name, posed, with its muscle forces and powers when known."""
    from anatomy_viewer.anatomy import LegModel
    from anatomy_viewer.gait.animation import CycleAnimation

    loaded = _load(args)
    anim = CycleAnimation(loaded.cycle, LegModel())
    anim.forces, anim.power = loaded.forces, loaded.power
    return anim


def _highlight_mask(items: Sequence[str], muscle_names: Sequence[str]):
    """Which of the model's muscles the --highlight values name: group keys or names, or
    muscles (a base name or plain name stands for both legs). UsageError for an unknown one."""
    import numpy as np

    from anatomy_viewer.anatomy.catalogue import catalogue
    from anatomy_viewer.anatomy.descriptions import find_muscles

    cat = catalogue()
    groups = {g.key.lower(): g for g in cat.groups}
    index = {n: i for i, n in enumerate(muscle_names)}
    mask = np.zeros(len(muscle_names), bool)
    for item in items:
        group = groups.get(item.strip().lower())
        names = group.bases if group is not None else find_muscles(item)
        if not names:
            raise UsageError(
                f"--highlight {item!r}: no such muscle group or muscle; groups: "
                f"{', '.join(groups)} ('anatomy-viewer muscles' lists the muscles)"
            )
        for name in names:
            for full in (name,) if name in index else (f"{name}_r", f"{name}_l"):
                if full in index:
                    mask[index[full]] = True
    return mask


def _cmd_render(args: argparse.Namespace) -> int:
    from anatomy_viewer.gait.sampling import caption_text
    from anatomy_viewer.scene.export import picture_format, save_picture
    from anatomy_viewer.scene.leg_scene import LegScene
    from anatomy_viewer.scene.offscreen import render_to_array

    try:
        picture_format(args.output, args.transparent)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    _check_output(args.output)
    anim = _animation(args)
    model = anim.model
    frame = anim.at(args.phase)
    scene = LegScene(model)
    scene.update(frame.pose, frame.activations, frame.modes)
    scene.set_view(args.view)
    # as the video's caption: percent of a stride, seconds into a whole trial
    scene.set_caption(None if args.no_caption else caption_text(anim.cycle, args.phase))
    scene.set_legend_visible(not args.no_legend)
    scene.set_gain(args.gain)
    if args.highlight:
        scene.set_highlighted(_highlight_mask(args.highlight, model.muscle_names))
    rgb = render_to_array(scene, args.size, transparent_background=args.transparent)
    save_picture(rgb, args.output)
    print(f"wrote {printable(args.output)} ({args.size[0]}x{args.size[1]})")
    return 0


def _cmd_cycle(args: argparse.Namespace) -> int:
    from anatomy_viewer.gait.export import write_animation_csv

    _check_output(args.output)
    anim = _animation(args)
    if args.output == "-":
        write_animation_csv(anim, sys.stdout)
    else:
        columns = write_animation_csv(anim, args.output)
        print(f"wrote {printable(args.output)} (101 rows, {columns} columns)")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from anatomy_viewer.scene.export import (
        VideoExport,
        VideoSettings,
        check_frame_count,
        check_size,
        default_cycles,
        frame_count,
    )

    suffix = os.path.splitext(args.output)[1].lower()
    if suffix not in (".mp4", ".gif"):
        raise UsageError(
            f"{printable(args.output)}: a video is written as .mp4 or .gif (by its extension)"
        )
    try:
        size = check_size(args.size, suffix)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    _check_output(args.output)
    animation = _animation(args)
    stride = animation.cycle.stride_time * args.slow
    cycles = default_cycles(stride) if args.cycles is None else args.cycles
    try:
        check_frame_count(frame_count(stride, args.fps, cycles), args.fps, suffix)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    settings = VideoSettings(
        fps=args.fps,
        cycles=cycles,
        size=size,
        view=args.view,
        caption=not args.no_overlays,
        legend=not args.no_overlays,
        slow=args.slow,
    )
    job = VideoExport(animation, args.output, settings)
    tty = sys.stderr.isatty()
    try:
        more = job.n_frames > 0
        while more:
            more = job.write_next()
            if tty and (job.index == job.n_frames or job.index % 5 == 0):
                end = "" if job.index < job.n_frames else "\n"
                print(f"\rframe {job.index}/{job.n_frames}", end=end, file=sys.stderr)
        result = job.finish()
    except BaseException:
        job.abort()
        raise
    print(
        f"wrote {printable(args.output)} ({result.frames} frames, {result.size[0]}x"
        f"{result.size[1]}, {result.fps:g} fps, {result.seconds:.2f} s, "
        f"{cycles:g} cycle{'s' if cycles != 1 else ''}"
        + (f", {args.slow:g} times slower than real time)" if args.slow != 1 else ")")
    )
    return 0


def _cmd_export_scene(args: argparse.Namespace) -> int:
    from anatomy_viewer.anatomy.names import model_muscle_names
    from anatomy_viewer.scene.gltf import SUFFIXES, export_scene
    from anatomy_viewer.scene.leg_scene import LegScene

    _check_output(args.output)
    if os.path.splitext(args.output)[1].lower() not in SUFFIXES:
        raise UsageError(
            f"{printable(args.output)}: a 3-D scene is written as .glb or .gltf (by its extension)"
        )
    if args.highlight:  # a bad name is refused before the work
        _highlight_mask(args.highlight, model_muscle_names())
    anim = _animation(args)
    model = anim.model
    frame = anim.at(args.phase)
    scene = LegScene(model)
    scene.update(frame.pose, frame.activations, frame.modes)
    if args.highlight:
        scene.set_highlighted(_highlight_mask(args.highlight, model.muscle_names))
    try:
        export_scene(
            scene,
            args.output,
            {"gait": anim.cycle.label, "percent": float(args.phase)},
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    print(f"wrote {printable(args.output)} ({anim.cycle.label}, {args.phase:g} %)")
    return 0


def _cmd_open(args: argparse.Namespace) -> int:
    _check_inputs([("", f) for f in args.files])
    if not _has_display():
        raise UsageError(
            "no display to open a window on (DISPLAY is not set); run it on a desktop or under "
            "xvfb-run, or use 'anatomy-viewer render/export --motion FILE ...'"
        )
    from anatomy_viewer.gait.opensim_table import OpenSimFileError
    from anatomy_viewer.gait.trial import read_trial, sort_files
    from anatomy_viewer.ui import app

    files = sort_files(args.files)
    try:
        trial = read_trial(files, mapping=_mapping(args), accept_suggestions=args.accept_suggested)
    except (OpenSimFileError, ValueError) as exc:
        # The program always starts: the window opens on a built-in gait and says why the
        # file was not opened; the exit status still tells a script that it was not.
        _error(exc)
        app.run(trial=None, failure=(getattr(exc, "path", None), str(exc)))
        return 2
    _note("read " + files.summary())
    # the window's own settings are restored and saved, as when it is opened without a trial
    return app.run(trial=trial, estimate=not args.no_estimate, mass=args.mass)


def _cmd_muscles(args: argparse.Namespace) -> int:
    from anatomy_viewer.anatomy.descriptions import (
        find_muscles,
        format_description,
        format_matches,
        format_muscle_list,
    )
    from anatomy_viewer.anatomy.search import search_muscles

    if args.name:
        # A name that says exactly which muscle(s) first (GLMED1_R, "gluteus medius"), else
        # what the window's search box shows for it ("calf", "quads", "vas").
        found = find_muscles(args.name) or search_muscles(args.name)
        if not found:
            msg = (
                f"unknown muscle {printable(repr(args.name))}; 'anatomy-viewer muscles' lists them"
            )
            raise UsageError(msg)
        if len(found) == 1:
            from anatomy_viewer.anatomy.fibre_types import format_composition

            print(format_description(found[0]))
            print()
            print(format_composition(found[0]))
        else:
            print(format_matches(args.name, found))
    else:
        print(format_muscle_list())
    return 0


def _cmd_activations(args: argparse.Namespace) -> int:
    """Inverse dynamics and static optimisation of a motion, written as OpenSim .sto files."""
    from anatomy_viewer.gait.muscle_activity import estimate_activations
    from anatomy_viewer.gait.sto_writer import write_activations, write_forces, write_moments

    outputs = [("-o", args.output), ("--forces", args.forces), ("--moments", args.moments)]
    given = [(flag, path) for flag, path in outputs if path is not None]
    for flag, path in given:
        if path == "-" or not path.lower().endswith(".sto"):
            raise UsageError(f"{flag} {printable(path)}: write the table as an OpenSim .sto file")
    names = [os.path.realpath(path) for _, path in given]
    inputs = {os.path.realpath(p) for p in (args.motion, args.grf) if p is not None}
    for flag, path in given:
        if names.count(os.path.realpath(path)) > 1:
            raise UsageError(f"{flag} {printable(path)}: the same file is named twice")
        if os.path.realpath(path) in inputs:
            raise UsageError(f"{flag} {printable(path)}: would replace an input file")
    _check_inputs([("--motion", args.motion), ("--grf", args.grf)])
    for _, path in given:
        _check_output(path)
    progress = _Progress()
    try:
        result = estimate_activations(
            args.motion,
            args.grf,
            mass=args.mass,
            progress=lambda f: progress(f, "estimating muscle activity"),
        )
    finally:
        progress.done()
    for line in result.summary_lines() + result.notes:
        _note(line)
    n, m = result.activations.shape
    write_activations(args.output, result)
    print(f"wrote {printable(args.output)} ({n} frames of {m} muscles' activations)")
    if args.forces is not None:
        write_forces(args.forces, result)
        print(f"wrote {printable(args.forces)} ({n} frames of {m} muscles' forces, N)")
    if args.moments is not None:
        write_moments(args.moments, result)
        print(
            f"wrote {printable(args.moments)} ({n} frames of joint moments, residuals and "
            "reserves, N m)"
        )
    return 0


def _has_display() -> bool:
    if sys.platform != "linux":
        return True
    if os.environ.get("QT_QPA_PLATFORM", "").split(":")[0] in ("offscreen", "minimal", "vnc"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _cmd_gui(args: argparse.Namespace) -> int:
    if not _has_display():
        raise UsageError(
            "no display to open a window on (DISPLAY is not set); run it on a desktop, "
            "under xvfb-run, or use a headless command such as 'anatomy-viewer render'"
        )
    from anatomy_viewer.ui.app import run

    return run(gait=args.gait)


COMMANDS = {
    "open": _cmd_open,
    "render": _cmd_render,
    "cycle": _cmd_cycle,
    "export": _cmd_export,
    "activations": _cmd_activations,
    "muscles": _cmd_muscles,
    "export-scene": _cmd_export_scene,
}


def _error(text: object) -> None:
    """One line on stderr, whatever the text holds (file names with newlines included)."""
    print(f"anatomy-viewer: error: {printable(text)}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    from anatomy_viewer.gait.opensim_table import OpenSimFileError

    handlers = {sig: signal.getsignal(sig) for sig in _TERMINATING if sig is not None}
    terminate_as_interrupt()  # SIGTERM cleans up like Ctrl-C: no half-written file stays
    try:
        args = build_parser().parse_args(argv)
        if args.version:
            from anatomy_viewer import version

            print(f"anatomy-viewer {version()}")
            return 0
        return COMMANDS.get(args.command, _cmd_gui)(args)
    except (UsageError, OpenSimFileError, OutputError) as exc:  # each names file and problem
        _error(exc)
        return 2
    except BrokenPipeError:
        # the reader went away (e.g. `anatomy-viewer muscles | head`): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        _error(f"{where}{describe_os_error(exc)}")
        return 2
    except KeyboardInterrupt as exc:
        signum = exc.signum if isinstance(exc, Terminated) else signal.SIGINT
        print(
            f"anatomy-viewer: interrupted ({signal.Signals(signum).name}); a file being "
            "written was left as it was",
            file=sys.stderr,
        )
        return 128 + int(signum)
    finally:
        for sig, handler in handlers.items():
            with contextlib.suppress(ValueError, OSError, TypeError):
                signal.signal(sig, handler)


#: Signals that end the program (and that :func:`terminate_as_interrupt` turns into Ctrl-C).
_TERMINATING = (signal.SIGTERM, getattr(signal, "SIGHUP", None))


if __name__ == "__main__":
    raise SystemExit(main())
