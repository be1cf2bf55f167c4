"""Benchmark of the ``activations`` and ``cycle --motion`` commands as a user runs them.

Run: python benchmarks/bench_activations_cli.py [--repeats 3] [--opensim DIR]

On the Hamner running trial (subject 02, 10 s at 60 Hz with its force plates; ``--opensim``
folder, default the shared reference data), each command started as its own process, the
way a user or a script calls it. Prints medians of ``--repeats`` wall-clock times:

1. ``activations --motion ik --grf grf -o act.sto --forces --moments``, with an empty cache
   folder (the whole estimate) and again with the result cached;
2. ``cycle --motion ik --grf grf`` (estimated activity, cached) and
   ``cycle --motion ik --grf grf --activations act.sto`` (read back), which write the same table;
3. the start of the process alone (``anatomy-viewer --version``), to read the rest against.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REF = Path(__file__).resolve().parents[2] / "shared" / "reference" / "opensim"


def _run(args: list[str], cache: Path) -> float:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "anatomy_viewer", *args],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--opensim", type=Path, default=REF)
    args = parser.parse_args()
    ik = args.opensim / "subject02_running_ik.mot"
    grf = args.opensim / "subject02_running_grf.mot"
    if not ik.is_file():
        print(f"no {ik}: nothing to measure")
        return
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        out = [
            "-o",
            str(d / "act.sto"),
            "--forces",
            str(d / "f.sto"),
            "--moments",
            str(d / "m.sto"),
        ]
        command = ["activations", "--motion", str(ik), "--grf", str(grf), *out]
        cold, warm, estimated, read_back, start = [], [], [], [], []
        for i in range(args.repeats):
            cache = d / f"cache{i}"
            cold.append(_run(command, cache))
            warm.append(_run(command, cache))
            cycle = ["cycle", "--motion", str(ik), "--grf", str(grf)]
            estimated.append(_run([*cycle, "-o", str(d / "a.csv")], cache))
            read_back.append(
                _run([*cycle, "--activations", str(d / "act.sto"), "-o", str(d / "b.csv")], cache)
            )
            start.append(_run(["--version"], cache))
    med = statistics.median
    print(f"Hamner running trial, 10 s at 60 Hz with force plates; medians of {args.repeats}:")
    print(f"  activations, empty cache (the whole estimate):  {med(cold):6.2f} s")
    print(f"  activations, cached result:                     {med(warm):6.2f} s")
    print(f"  cycle --motion --grf (estimate cached):         {med(estimated):6.2f} s")
    print(f"  cycle --motion --grf --activations act.sto:     {med(read_back):6.2f} s")
    print(f"  process start alone (--version):                {med(start):6.2f} s")


if __name__ == "__main__":
    main()
