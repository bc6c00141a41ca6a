"""Benchmark: how long loading the shipped food catalogue takes.

    python benchmarks/catalogue_load.py [--repeat N]

cold  = a fresh Python process importing ``foods`` and calling ``load_foods()`` (includes importing pandas);
warm  = building the catalogue again in a process that has already done so (files in the OS cache,
        modules imported) — the cost of ``load_foods()`` itself, without its cache;
cached = a later ``load_foods()`` call (returns the cached object). Goal: warm well under 0.5 s,
for the default SR24 catalogue and for ``load_foods("fndds")``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL_WARM_SECONDS = 0.5
"""Issue 2's goal for one uncached ``load_foods()`` in a warm process (seconds)."""
COLD_SNIPPET = """
import time
started = time.perf_counter()
import foods
table = foods.load_foods()
print(time.perf_counter() - started, len(table))
"""


def cold_seconds() -> tuple[float, int]:
    """Seconds a fresh interpreter needs to import foods and load the catalogue, and the food count."""
    result = subprocess.run([sys.executable, "-c", COLD_SNIPPET], cwd=ROOT, capture_output=True, text=True,
                            check=True)
    seconds, count = result.stdout.split()
    return float(seconds), int(count)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="warm repetitions (median reported)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from foods.table import load_foods, timed_load

    cold, count = cold_seconds()
    load_foods()
    warm = [timed_load() for _ in range(args.repeat)]
    load_foods("fndds")
    warm_fndds = [timed_load("fndds") for _ in range(args.repeat)]
    started = time.perf_counter()
    table = load_foods()
    cached = time.perf_counter() - started
    frame = table.frame
    print(f"foods: {count} ({int(frame['everyday'].sum())} everyday), portions: {len(table.portions)}")
    print(f"magnesium known: {int(frame['magnesium_mg'].notna().sum())}, "
          f"vitamin D known: {int(frame['vitamin_d_ug'].notna().sum())}")
    median = statistics.median(warm)
    print(f"cold load (fresh process, incl. imports): {cold:.3f} s")
    print(f"warm load (median of {args.repeat}):           {median:.3f} s (min {min(warm):.3f}, max {max(warm):.3f})")
    print(f"cached load_foods():                      {cached * 1e6:.1f} µs")
    fndds = load_foods("fndds")
    median_fndds = statistics.median(warm_fndds)
    print(f"FNDDS foods: {len(fndds)} ({int(fndds.frame['everyday'].sum())} everyday), portions: "
          f"{len(fndds.portions)}, recipe rows: {len(fndds.recipes)}")
    print(f"FNDDS warm load (median of {args.repeat}):     {median_fndds:.3f} s (min {min(warm_fndds):.3f}, "
          f"max {max(warm_fndds):.3f})")
    verdict = "met" if max(median, median_fndds) < GOAL_WARM_SECONDS else "NOT met"
    print(f"goal: warm load under {GOAL_WARM_SECONDS:.1f} s (SR24 and FNDDS): {verdict}")


if __name__ == "__main__":
    main()
