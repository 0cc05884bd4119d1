"""Run a command and kill it with SIGKILL at a chosen point: the crash that no handler sees.

A store that survives only polite shutdowns is not durable. This runs the real command in its own
process group (so worker processes die with it), sends SIGKILL to the whole group after a chosen
number of seconds, and reports whether the kill landed before the command ended by itself.

Kill points are chosen, not guessed: :func:`kill_points` spreads ``count`` points over a measured
duration, one in each equal slice at a seeded offset, so a run is repeatable and covers the start,
the middle and the end of the operation.

Usage: ``python scripts/chaos_kill.py --after 2.5 -- proscribe lists import --bundled un_2026-08-01``
or ``--when-grows FILE`` to kill the moment the command has appended to FILE (exit 137 when killed,
else the command's own exit code).
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass
class KillResult:
    killed: bool  # SIGKILL landed while the command was still running
    returncode: int
    elapsed: float
    stdout: str
    stderr: str


def kill_points(duration: float, count: int, seed: int, *, start: float = 0.0) -> list[float]:
    """``count`` seconds in ``[start, duration)``, one in each equal slice, each at a seeded offset
    in its slice: spread over the whole operation and the same for the same seed."""
    rng = random.Random(seed)
    width = max(duration - start, 0.0) / count
    return [round(start + width * (i + rng.uniform(0.1, 0.9)), 3) for i in range(count)]


def run_killed(
    command: Sequence[str],
    after: float,
    *,
    env: Mapping[str, str] | None = None,
    cwd: str | None = None,
    timeout: float = 300.0,
) -> KillResult:
    """Run ``command``; SIGKILL its process group ``after`` seconds in, unless it ended first."""
    started = time.monotonic()
    process = subprocess.Popen(
        list(command),
        env=dict(env) if env is not None else None,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    killed = False
    try:
        out, err = process.communicate(timeout=after)
    except subprocess.TimeoutExpired:
        killed = True
        os.killpg(process.pid, signal.SIGKILL)
        out, err = process.communicate(timeout=timeout)
    return KillResult(killed, process.returncode, time.monotonic() - started, out, err)


def run_killed_when(
    command: Sequence[str],
    ready: Callable[[], bool],
    *,
    env: Mapping[str, str] | None = None,
    timeout: float = 300.0,
    poll: float = 0.002,
) -> KillResult:
    """Run ``command``; SIGKILL its process group as soon as ``ready()`` holds (a named point the
    command shows from outside, such as a file it has just written), unless it ended first."""
    started = time.monotonic()
    process = subprocess.Popen(
        list(command),
        env=dict(env) if env is not None else None,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    killed = False
    while process.poll() is None and time.monotonic() - started < timeout:
        if ready():
            os.killpg(process.pid, signal.SIGKILL)
            killed = True
            break
        time.sleep(poll)
    else:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    out, err = process.communicate(timeout=timeout)
    return KillResult(killed, process.returncode, time.monotonic() - started, out, err)


def run_whole(
    command: Sequence[str], *, env: Mapping[str, str] | None = None, timeout: float = 300.0
) -> KillResult:
    """Run ``command`` to its end (no kill), with the same result shape."""
    started = time.monotonic()
    done = subprocess.run(list(command), env=dict(env) if env is not None else None,
                          capture_output=True, text=True, timeout=timeout)
    return KillResult(False, done.returncode, time.monotonic() - started, done.stdout, done.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    point = parser.add_mutually_exclusive_group(required=True)
    point.add_argument("--after", type=float, help="seconds before SIGKILL")
    point.add_argument("--when-grows", metavar="FILE", help="SIGKILL as soon as FILE grows")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- then the command")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given")
    if args.when_grows:
        watched = Path(args.when_grows)

        def size() -> int:
            return watched.stat().st_size if watched.exists() else 0

        first = size()
        result = run_killed_when(command, lambda: size() > first)
    else:
        result = run_killed(command, args.after)
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    state = "killed" if result.killed else "ended by itself"
    print(f"{state} after {result.elapsed:.2f}s (exit {result.returncode})", file=sys.stderr)
    return 137 if result.killed else result.returncode


if __name__ == "__main__":
    raise SystemExit(main())
