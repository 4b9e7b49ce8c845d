"""A party in its own process: logs in and puts ``count`` what-if queries to a hearing (``-1``: until killed).

Used by the record's concurrency and kill tests and by ``bench/bench_hearing.py``:
``python -m hearing.load_client URL USER PASSWORD HEARING COUNT``.
"""

from __future__ import annotations

import argparse
import itertools

from hearing.service import HearingService

__all__ = ["main"]
from hearing.settings import settings_from_environment
from hearing.store import make_engine


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("user")
    parser.add_argument("password")
    parser.add_argument("hearing", type=int)
    parser.add_argument("count", type=int)
    args = parser.parse_args()
    service = HearingService(make_engine(args.url), settings_from_environment())
    token = service.login(args.user, args.password)
    steps = itertools.count() if args.count < 0 else range(args.count)
    for step in steps:
        service.query(token, args.hearing, "whatif", {"changes": {"acts": 1 + step % 5}})
        print(step, flush=True)


if __name__ == "__main__":
    main()
