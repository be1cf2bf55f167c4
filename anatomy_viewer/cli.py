"""The one entry point: the window by default, plus headless sub-commands.

    anatomy-viewer [--gait walking]                  open the window
    anatomy-viewer render --gait walking --phase 20 --view side --size 1280x800 -o leg.png
    anatomy-viewer cycle --gait walking -o walking.csv
    anatomy-viewer muscles [NAME]

Errors in flags, values or files are reported in one line with exit status 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

VIEW_NAMES = ("side", "front", "back", "three_quarter", "left")


class UsageError(Exception):
    """A problem with what the user asked for: reported in one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, no usage dump
        raise UsageError(message)


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size must look like 1280x800, got {text!r}") from None
    if not (16 <= w <= 7680 and 16 <= h <= 4320):
        raise argparse.ArgumentTypeError(f"size {w}x{h} is outside 16x16 .. 7680x4320")
    return w, h


def _percent(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"phase must be a percentage, got {text!r}") from None
    if not 0.0 <= v <= 100.0:
        raise argparse.ArgumentTypeError(f"phase must be within 0..100 %, got {v:g}")
    return v


def _gait_names() -> tuple[str, ...]:
    from anatomy_viewer.gait.library import GAIT_NAMES

    return GAIT_NAMES


def build_parser() -> argparse.ArgumentParser:
    gaits = _gait_names()
    p = _Parser(prog="anatomy-viewer", description="See what walking and running do to the legs.")
    p.add_argument("--gait", choices=gaits, default="walking", help="gait to show first")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)

    r = sub.add_parser("render", help="render the leg to a PNG without a window")
    r.add_argument("--gait", choices=gaits, default="walking")
    r.add_argument("--phase", type=_percent, default=0.0, help="percent of the cycle (0..100)")
    r.add_argument("--view", choices=VIEW_NAMES, default="side")
    r.add_argument("--size", type=_size, default=(1280, 800), help="WIDTHxHEIGHT in pixels")
    r.add_argument("--transparent", action="store_true", help="transparent background")
    r.add_argument("-o", "--output", required=True, help="PNG file to write")

    c = sub.add_parser("cycle", help="export a gait cycle as CSV (101 rows, 0..100 %%)")
    c.add_argument("--gait", choices=gaits, default="walking")
    c.add_argument("-o", "--output", required=True, help="CSV file to write ('-' for stdout)")

    m = sub.add_parser("muscles", help="list the muscles, or describe one")
    m.add_argument("name", nargs="?", help="a muscle, e.g. glmed1_r")
    return p


def _cmd_render(args: argparse.Namespace) -> int:
    from anatomy_viewer.anatomy import LegModel
    from anatomy_viewer.gait.animation import CycleAnimation
    from anatomy_viewer.gait.library import load_gait
    from anatomy_viewer.scene.leg_scene import LegScene
    from anatomy_viewer.scene.offscreen import render_to_png

    model = LegModel()
    anim = CycleAnimation(load_gait(args.gait), model)
    frame = anim.at(args.phase)
    scene = LegScene(model)
    scene.update(frame.pose, frame.activations, frame.modes)
    scene.set_view(args.view)
    scene.set_caption(
        f"{anim.cycle.label}  {args.phase:.0f} %  right: {frame.phase_r}  left: {frame.phase_l}"
    )
    render_to_png(scene, args.output, args.size, transparent_background=args.transparent)
    print(f"wrote {args.output} ({args.size[0]}x{args.size[1]})")
    return 0


def _cmd_cycle(args: argparse.Namespace) -> int:
    from anatomy_viewer.anatomy import LegModel
    from anatomy_viewer.gait.animation import CycleAnimation
    from anatomy_viewer.gait.export import write_cycle_csv
    from anatomy_viewer.gait.library import load_gait

    anim = CycleAnimation(load_gait(args.gait), LegModel())
    if args.output == "-":
        write_cycle_csv(anim.cycle, sys.stdout, modes=anim.modes)
    else:
        write_cycle_csv(anim.cycle, args.output, modes=anim.modes)
        print(f"wrote {args.output}")
    return 0


def _cmd_muscles(args: argparse.Namespace) -> int:
    from anatomy_viewer.anatomy.descriptions import format_description, format_muscle_list

    if args.name:
        try:
            print(format_description(args.name))
        except KeyError:
            msg = f"unknown muscle {args.name!r}; 'anatomy-viewer muscles' lists them"
            raise UsageError(msg) from None
    else:
        print(format_muscle_list())
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


COMMANDS = {"render": _cmd_render, "cycle": _cmd_cycle, "muscles": _cmd_muscles}


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return COMMANDS.get(args.command, _cmd_gui)(args)
    except UsageError as exc:
        print(f"anatomy-viewer: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # the reader went away (e.g. `anatomy-viewer muscles | head`): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        print(f"anatomy-viewer: error:{where} {exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
