"""How fast OpenSim's static optimisation is beside this program's, on the same running trial.

Run: python benchmarks/bench_opensim_ratio.py --model MODEL.osim [--opensim-python PYTHON]
     [--start 2.0] [--end 2.7] [--repeats 3] [--opensim DIR]

Measures, on one span of the Hamner running trial (subject 02, 60 Hz joint angles and force
plates; ``--opensim`` folder, default the shared reference data) and the same frames:

1. OpenSim: an AnalyzeTool with a StaticOptimization analysis (its own inverse dynamics
   inside), the joint angles as coordinates low-pass filtered at 6 Hz, the ground reaction
   forces as two ExternalForces in ground applied to calcn_r and calcn_l. Only the model's 80
   leg muscles (the Rajagopal et al. 2016 set, the muscles this program's model has) are kept;
   coordinate actuators stand in for everything else: residuals on the six pelvis coordinates
   (optimal force 100 N or N m), reserves on the leg joints of ``--leg-reserve`` (10 N m:
   costly, so muscles carry the legs; at 1 N m the optimiser fails on about a third of the
   frames, around the impacts) and of 100 N m on the trunk, arm and other coordinates (nothing
   else drives them). The model's contact forces are removed: the measured forces replace
   them. The time is the wall time of ``AnalyzeTool.run()`` (filtering, states, optimisation),
   the model loaded beforehand; optimiser failures and the largest leg reserve torque are
   printed with it.
2. This program: ``estimate_activations(..., use_cache=False)`` on the same frames (reading
   the files, filtering at 6 Hz, MuJoCo inverse dynamics, static optimisation).

Each is the median wall time of ``--repeats`` runs, one core; frames per second and the ratio
(OpenSim time / this program's time) are printed.

OpenSim is not a dependency of this program: install it in a separate virtual environment
(``python -m venv osim && osim/bin/pip install opensim``) and pass that interpreter as
``--opensim-python`` (or run this script with it when it also has this program installed).
The model: Rajagopal2016.osim from the opensim-org/opensim-models repository
(``Models/Rajagopal``, Apache-2.0), or any OpenSim 4 model with the Rajagopal leg muscles
and bodies calcn_r / calcn_l, such as ``OpenSim_Setup/Model_Pose2Sim_muscles_flex.osim`` in
the ``pose2sim`` package on PyPI (BSD-3-Clause: a full-body model whose legs are Rajagopal's,
with DeGroote-Fregly muscles; the figures in the README were measured with it, unscaled).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

REF = Path(__file__).resolve().parents[2] / "shared" / "reference" / "opensim"
IK = "subject02_running_ik.mot"
GRF = "subject02_running_grf.mot"

# OpenSim's interpreter runs this file too (--opensim-only), without the project installed:
# the names come from the source tree (anatomy_viewer.anatomy.names needs only the stdlib).
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from anatomy_viewer.anatomy import names  # noqa: E402

# The Rajagopal et al. (2016) leg muscles of both legs, as MyoLeg names them; OpenSim's model
# keeps these and drops its trunk muscles.
LEG_MUSCLES = frozenset(names.model_muscle_names())
LEG_COORDINATES = tuple(f"{j}_{s}" for s in "rl" for j in names.LEG_COORDINATES)
PELVIS = (*names.PELVIS_COORDINATES, "pelvis_tx", "pelvis_ty", "pelvis_tz")


class Unavailable(Exception):
    """OpenSim, the model or the trial cannot be had: the message says which."""


# --- OpenSim side (runs in an interpreter that has the opensim package) -------------------


def _opensim_setup(
    osim, model_path: Path, ik: Path, grf: Path, t0: float, t1: float, out: Path, reserve: float
):  # noqa: ANN001, ANN202
    """The AnalyzeTool, its model trimmed to the leg muscles plus actuators, ready to run."""
    model = osim.Model(str(model_path))
    keep = set(LEG_MUSCLES)
    forces = model.updForceSet()
    for i in reversed(range(forces.getSize())):
        if forces.get(i).getName() not in keep:
            forces.remove(i)
    missing = keep - {forces.get(i).getName() for i in range(forces.getSize())}
    if missing:
        raise Unavailable(f"the model lacks {len(missing)} leg muscles, e.g. {sorted(missing)[0]}")
    coords = model.getCoordinateSet()
    for i in range(coords.getSize()):
        c = coords.get(i)
        if c.getDefaultLocked() or c.getName().endswith("_beta"):
            continue  # locked, or coupled to the knee angle by a constraint
        name = c.getName()
        optimal = reserve if name in LEG_COORDINATES else 100.0
        act = osim.CoordinateActuator(name)
        act.setName(("residual_" if name in PELVIS else "reserve_") + name)
        act.setOptimalForce(optimal)
        act.setMinControl(-math.inf)
        act.setMaxControl(math.inf)
        model.addForce(act)
    model.finalizeConnections()
    model_file = out / "model.osim"
    model.printToXML(str(model_file))

    loads = osim.ExternalLoads()
    loads.setName("grf")
    loads.setDataFileName(str(grf))
    for side, prefix in (("r", ""), ("l", "1_")):
        f = osim.ExternalForce()
        f.setName(f"grf_{side}")
        f.set_applied_to_body(f"calcn_{side}")
        f.set_force_expressed_in_body("ground")
        f.set_point_expressed_in_body("ground")
        f.set_force_identifier(f"{prefix}ground_force_v")
        f.set_point_identifier(f"{prefix}ground_force_p")
        f.set_torque_identifier(f"{prefix}ground_torque_")
        loads.cloneAndAppend(f)
    loads_file = out / "loads.xml"
    loads.printToXML(str(loads_file))

    tool = osim.AnalyzeTool()
    tool.setName("so")
    tool.setModelFilename(str(model_file))
    tool.setCoordinatesFileName(str(ik))
    tool.setLowpassCutoffFrequency(6.0)
    tool.setExternalLoadsFileName(str(loads_file))
    tool.setInitialTime(t0)
    tool.setFinalTime(t1)
    tool.setResultsDir(str(out / "results"))
    tool.setReplaceForceSet(False)
    so = osim.StaticOptimization()
    so.setName("StaticOptimization")
    so.setStartTime(t0)
    so.setEndTime(t1)
    so.setUseModelForceSet(True)
    so.setActivationExponent(2.0)
    so.setUseMusclePhysiology(True)
    so.setConvergenceCriterion(1e-4)
    so.setMaxIterations(100)
    tool.getAnalysisSet().cloneAndAppend(so)
    setup = out / "setup.xml"
    tool.printToXML(str(setup))
    return setup


def run_opensim(
    model_path: Path, ik: Path, grf: Path, t0: float, t1: float, repeats: int, reserve: float
) -> dict:
    """Median wall time of OpenSim's static optimisation over the span, and what it produced."""
    here = Path.cwd()
    os.chdir(ik.parent)  # OpenSim opens its log file, opensim.log, in the working folder
    try:
        import opensim as osim
    except ImportError as exc:
        raise Unavailable(f"OpenSim cannot be imported ({exc}): pip install opensim") from None
    finally:
        os.chdir(here)
    osim.Logger.setLevelString("warn")  # the optimiser's failures are warnings
    times = []
    frames = 0
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        setup = _opensim_setup(osim, model_path, ik, grf, t0, t1, out, reserve)
        log = out / "opensim.log"
        osim.Logger.addFileSink(str(log))
        for _ in range(repeats):
            tool = osim.AnalyzeTool(str(setup), True)
            t = time.perf_counter()
            ok = tool.run()
            times.append(time.perf_counter() - t)
            if not ok:
                raise Unavailable("OpenSim's AnalyzeTool reported a failure")
        act = next((out / "results").glob("*StaticOptimization_activation.sto"))
        table = osim.TimeSeriesTable(str(act))
        frames = table.getNumRows()
        osim.Logger.removeFileSink()
        force = osim.TimeSeriesTable(str(next((out / "results").glob("*_force.sto"))))
        legs = [f"reserve_{c}" for c in LEG_COORDINATES]
        peaks = {c: float(abs(force.getDependentColumn(c).to_numpy()).max()) for c in legs}
        worst = max(peaks, key=peaks.get)
        failed = log.read_text().count("OPTIMIZATION FAILED") / repeats
        labels = list(table.getColumnLabels())
        muscles = sum(1 for x in labels if x in LEG_MUSCLES)
    return {
        "seconds": statistics.median(times),
        "times": times,
        "frames": frames,
        "muscles": muscles,
        "failed": failed,
        "reserve_peak": peaks[worst],
        "reserve_worst": worst.removeprefix("reserve_"),
        "version": osim.GetVersion(),
    }


# --- this program's side ------------------------------------------------------------------


def read_rows(path: Path) -> list[str]:
    lines = path.read_text().splitlines()
    end = next(i for i, x in enumerate(lines) if x.strip().lower() == "endheader")
    return [r for r in lines[end + 2 :] if r.strip()]


def span_files(ik: Path, grf: Path, t0: float, t1: float, out: Path) -> tuple[Path, Path, int]:
    """Copies of the two files holding only the rows in [t0, t1] (headers kept)."""
    made = []
    frames = 0
    for src in (ik, grf):
        lines = src.read_text().splitlines()
        end = next(i for i, x in enumerate(lines) if x.strip().lower() == "endheader")
        head, body = lines[: end + 2], lines[end + 2 :]
        rows = [r for r in body if r.strip() and t0 - 1e-6 <= float(r.split()[0]) <= t1 + 1e-6]
        head = [
            f"nRows={len(rows)}"
            if h.startswith("nRows=")
            else f"datarows {len(rows)}"
            if h.startswith("datarows")
            else h
            for h in head
        ]
        dst = out / src.name
        dst.write_text("\n".join(head + rows) + "\n")
        made.append(dst)
        if src is ik:
            frames = len(rows)
    return made[0], made[1], frames


def run_project(ik: Path, grf: Path, repeats: int) -> dict:
    from anatomy_viewer.gait.muscle_activity import estimate_activations, shared_dynamics

    shared_dynamics()  # the model is loaded once per process, not part of the work
    frames = len(read_rows(ik))
    estimate_activations(ik, grf, use_cache=False)  # warm-up: lazy imports, first calls
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        res = estimate_activations(ik, grf, use_cache=False)
        times.append(time.perf_counter() - t)
    return {
        "seconds": statistics.median(times),
        "times": times,
        "frames": frames,
        "muscles": res.activations.shape[1],
        "result_frames": res.activations.shape[0],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", type=Path, required=True, help="an OpenSim .osim model")
    ap.add_argument("--opensim-python", type=Path, help="an interpreter with opensim installed")
    ap.add_argument("--opensim", type=Path, default=REF, help="folder of the running trial")
    ap.add_argument("--start", type=float, default=2.0)
    ap.add_argument("--end", type=float, default=2.7)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument(
        "--leg-reserve", type=float, default=10.0, help="leg reserves' optimal torque, N m"
    )
    ap.add_argument("--opensim-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    ik, grf = args.opensim / IK, args.opensim / GRF
    try:
        if not args.model.is_file():
            raise Unavailable(f"no OpenSim model at {args.model}")
        for f in (ik, grf):
            if not f.is_file():
                raise Unavailable(f"no running trial file {f}")
        if args.opensim_only:  # the files are already cut to the span
            r = run_opensim(
                args.model.resolve(),
                ik.resolve(),
                grf.resolve(),
                args.start,
                args.end,
                args.repeats,
                args.leg_reserve,
            )
            print(json.dumps(r))
            return
        tmp = tempfile.TemporaryDirectory()
        ik, grf, _ = span_files(ik, grf, args.start, args.end, Path(tmp.name))
        if args.opensim_python is not None:
            cmd = [
                str(args.opensim_python),
                str(Path(__file__).resolve()),
                "--opensim-only",
                "--model",
                str(args.model.resolve()),
                "--opensim",
                tmp.name,
                "--start",
                str(args.start),
                "--end",
                str(args.end),
                "--repeats",
                str(args.repeats),
                "--leg-reserve",
                str(args.leg_reserve),
            ]
            p = subprocess.run(cmd, capture_output=True, text=True)
            lines = p.stdout.strip().splitlines()
            if p.returncode != 0 or not lines or not lines[-1].startswith("{"):
                why = (lines or p.stderr.strip().splitlines() or ["no output"])[-1]
                raise Unavailable(f"OpenSim run failed: {why}")
            osim_r = json.loads(lines[-1])
        else:
            osim_r = run_opensim(
                args.model, ik, grf, args.start, args.end, args.repeats, args.leg_reserve
            )
    except Unavailable as exc:
        print(f"bench_opensim_ratio: {exc}", file=sys.stdout if args.opensim_only else sys.stderr)
        sys.exit(2)
    ours = run_project(ik, grf, args.repeats)
    tmp.cleanup()
    print(
        f"running trial, {args.start:g}-{args.end:g} s: {ours['frames']} frames at 60 Hz "
        f"(OpenSim solved {osim_r['frames']}), medians of {args.repeats}, one core"
    )
    print(
        f"  OpenSim {osim_r['version']} StaticOptimization ({osim_r['muscles']} muscles): "
        f"{osim_r['seconds']:.2f} s, {osim_r['frames'] / osim_r['seconds']:.1f} frames/s, "
        f"optimiser failed on {osim_r['failed']:.0f} frames, "
        f"largest leg reserve torque {osim_r['reserve_peak']:.0f} N m "
        f"({osim_r['reserve_worst']}, optimal torque {args.leg_reserve:g} N m)"
    )
    print(
        f"  this program, inverse dynamics + static optimisation ({ours['muscles']} muscles): "
        f"{ours['seconds']:.3f} s, {ours['frames'] / ours['seconds']:.0f} frames/s"
    )
    ratio = (osim_r["seconds"] / osim_r["frames"]) / (ours["seconds"] / ours["frames"])
    print(f"  ratio (OpenSim time per frame / this program's): {ratio:.0f}x")


if __name__ == "__main__":
    main()
