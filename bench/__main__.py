"""Run every benchmark, or the ones named: python -m bench [review ...]."""

import importlib
import subprocess
import sys

BENCHMARKS = ["review", "trends", "report"]

if __name__ == "__main__":
    names = sys.argv[1:] or BENCHMARKS
    for name in names:
        if name not in BENCHMARKS:
            sys.exit(f"Unknown benchmark {name!r}; choose from {', '.join(BENCHMARKS)}.")
    if len(names) == 1:
        importlib.import_module(f"bench.{names[0]}").main()
    else:
        # One process each: every benchmark sets up Django on its own scratch database.
        for name in names:
            subprocess.run([sys.executable, "-m", "bench", name], check=True)
