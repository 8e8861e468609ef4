"""Before `make test`: are PostgreSQL and Redis reachable? One line each when not, with how to start them.

Where `docker compose` exists it starts the compose file's `postgres` and `redis` services instead.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from urllib.parse import urlsplit

DEFAULTS = {
    "TEST_POSTGRES_URL": "postgres://postgres@127.0.0.1:5432/test",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}
HOW_TO_START = {
    "TEST_POSTGRES_URL": "start it (Debian: `pg_ctlcluster 16 main start`) or `docker compose up -d postgres`",
    "REDIS_URL": "start it (`redis-server --daemonize yes`) or `docker compose up -d redis`",
}


def reachable(url: str, timeout: float = 1.0) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 0), timeout=timeout):
            return True
    except OSError:
        return False


def docker_compose() -> list[str] | None:
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    return None


def main() -> int:
    missing = {name: os.getenv(name) or default for name, default in DEFAULTS.items()}
    missing = {name: url for name, url in missing.items() if not reachable(url)}
    compose = docker_compose() if missing else None
    if compose:
        services = ["postgres" if name == "TEST_POSTGRES_URL" else "redis" for name in missing]
        subprocess.run([*compose, "up", "-d", *services], check=False)
        deadline = time.monotonic() + 60
        while missing and time.monotonic() < deadline:
            missing = {name: url for name, url in missing.items() if not reachable(url)}
            time.sleep(1)
    for name, url in missing.items():
        print(f"make test: nothing answers at {name}={url}; {HOW_TO_START[name]}.", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
