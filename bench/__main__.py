"""python -m bench [options]: see `python -m bench --help`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bench.runner import ROW_NAMES, Options, run

# Tiny data and a few requests, so `make test` can run the whole path in seconds.
SMOKE = {
    "duration": 1.0,
    "warmup": 0.0,
    "connections": 4,
    "threads": 1,
    "workers": 2,
    "scale": 2_000,
    "base_bookings": 100,
    "future_showtimes": 20,
    "past_days": 1,
    "users": 10,
    "race_rounds": 2,
    "race_clients": 10,
    "lock_bookings": 20,
    "alone_requests": 2,
    "adjacent_floor": False,
}


def bookings(text: str) -> int:
    """`1m`, `10k`, `2000`, or `none`/`0` for no scaling."""
    text = text.strip().lower().replace(",", "").replace("_", "")
    if text in ("none", "0", ""):
        return 0
    multiplier = {"k": 1_000, "m": 1_000_000}.get(text[-1], 1)
    try:
        return int(float(text.rstrip("km")) * multiplier)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of bookings: {text!r}") from None


def row_names(text: str) -> tuple[str, ...]:
    names = tuple(name.strip() for name in text.split(",") if name.strip())
    unknown = [name for name in names if name not in ROW_NAMES]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown rows {unknown}: choose from {', '.join(ROW_NAMES)}")
    return names


def parse(argv: list[str]) -> Options:
    defaults = Options()
    # Only the options given appear in the result: they override the smoke preset and the defaults.
    parser = argparse.ArgumentParser(
        prog="python -m bench", description="The benchmark of DESIGN.md.", argument_default=argparse.SUPPRESS
    )
    parser.add_argument(
        "--smoke", action="store_true", help="tiny data, 1-second runs (what `make test` does)"
    )
    parser.add_argument("--duration", type=float, help=f"seconds per measurement ({defaults.duration:g})")
    parser.add_argument("--warmup", type=float, help=f"seconds of warm-up before each ({defaults.warmup:g})")
    parser.add_argument("--connections", type=int, help=f"wrk connections ({defaults.connections})")
    parser.add_argument("--threads", type=int, help=f"wrk threads ({defaults.threads})")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: gunicorn.conf.py's)")
    parser.add_argument("--scale", type=bookings, help="bookings for the scaled run: 1m (default), 10k, none")
    parser.add_argument(
        "--base-bookings", type=int, help=f"bookings in the base data ({defaults.base_bookings:,})"
    )
    parser.add_argument("--future-showtimes", type=int, help=f"({defaults.future_showtimes})")
    parser.add_argument(
        "--past-days", type=int, help=f"days of past showtimes in the base data ({defaults.past_days})"
    )
    parser.add_argument("--users", type=int, help=f"customers ({defaults.users})")
    parser.add_argument("--race-rounds", type=int, help=f"({defaults.race_rounds})")
    parser.add_argument("--race-clients", type=int, help=f"({defaults.race_clients})")
    parser.add_argument(
        "--alone-requests", type=int, help="sequential requests per report for its latency alone"
    )
    parser.add_argument(
        "--rows",
        type=row_names,
        help="only these rows, comma-separated, the floor always included: " + ", ".join(ROW_NAMES),
    )
    parser.add_argument(
        "--no-adjacent-floor",
        dest="adjacent_floor",
        action="store_false",
        help="ratios against the phase's one floor row only, not the floor measured around each row",
    )
    parser.add_argument("--no-race", dest="race_rounds", action="store_const", const=0, help="skip the race")
    parser.add_argument("--database-name", help=f"dropped and recreated each run ({defaults.database_name})")
    parser.add_argument("--drop-database", action="store_true", help="drop it at the end too")
    parser.add_argument("--output", type=Path, help="where the figures go (bench/results.json)")
    arguments = vars(parser.parse_args(argv))
    preset = SMOKE if arguments.get("smoke") else {}
    return Options(**{**preset, **arguments})


def main(argv: list[str] | None = None) -> int:
    from bench import results

    found = run(parse(sys.argv[1:] if argv is None else argv))
    print(results.table(found))
    return 0


if __name__ == "__main__":
    sys.exit(main())
