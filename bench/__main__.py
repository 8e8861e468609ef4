"""Run every benchmark, or those named: python -m bench [startup review …]; python -m bench load|scale|web [options]."""

import importlib
import subprocess
import sys

BENCHMARKS = ["startup", "review", "trends", "report"]
ON_REQUEST = ["load", "scale", "web"]  # need PostgreSQL and Redis, or Lighthouse, and minutes: only when named

if __name__ == "__main__":
    if sys.argv[1:2] in (["load"], ["scale"]):
        importlib.import_module(f"bench.{sys.argv[1]}").main(sys.argv[2:])
        sys.exit()
    names = sys.argv[1:] or BENCHMARKS
    for name in names:
        if name not in BENCHMARKS + ON_REQUEST:
            sys.exit(f"Unknown benchmark {name!r}; choose from {', '.join(BENCHMARKS + ON_REQUEST)}.")
    if len(names) == 1:
        importlib.import_module(f"bench.{names[0]}").main()
    else:
        # One process each: every benchmark sets up Django on its own scratch database.
        for name in names:
            subprocess.run([sys.executable, "-m", "bench", name], check=True)
