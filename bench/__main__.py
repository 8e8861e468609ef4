"""Run every benchmark, or the ones named: python -m bench [review ...]; python -m bench scale --patients N."""

import importlib
import subprocess
import sys

BENCHMARKS = ["review", "trends", "report"]
ON_REQUEST = ["scale", "web"]  # need PostgreSQL and Redis, or Lighthouse, and minutes: run by name only

if __name__ == "__main__":
    args = sys.argv[1:]
    names = [a for a in args if not a.startswith("-") and a in BENCHMARKS + ON_REQUEST] or BENCHMARKS
    for name in (a for a in args if not a.startswith("-") and a not in BENCHMARKS + ON_REQUEST):
        if not any(args[i].startswith("-") for i in range(args.index(name))):
            sys.exit(f"Unknown benchmark {name!r}; choose from {', '.join(BENCHMARKS + ON_REQUEST)}.")
    if names == ["scale"]:
        importlib.import_module("bench.scale").main(args[args.index("scale") + 1 :])
    elif len(names) == 1:
        importlib.import_module(f"bench.{names[0]}").main()
    else:
        # One process each: every benchmark sets up Django on its own scratch database.
        for name in names:
            subprocess.run([sys.executable, "-m", "bench", name], check=True)
