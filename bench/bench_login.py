"""Log-in answers in the same time whether or not the name exists, and guessing is throttled.

Measured side by side in one run on one store: the median time of a failed log-in for a known name (a
wrong password) and for an unknown name, and their ratio (the red team measured 38.8 ms against 0.9 ms:
a ratio of 43 that told which names exist); then how many guesses at one name get an answer before the
name is locked (the red team made 25 guesses a second, without end).

    .venv/bin/python bench/bench_login.py [--rounds 40]
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import tempfile
import time
from pathlib import Path

from hearing.service import HearingService, LoginPolicy
from hearing.settings import settings_from_environment
from hearing.store import make_engine, migrate
from sentencing.errors import AuthenticationError

PASSWORD = "correct horse battery"


def _failed_login(service: HearingService, name: str, source: str) -> float:
    started = time.perf_counter()
    with contextlib.suppress(AuthenticationError):
        service.login(name, "not the password", source=source)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="voirdire-bench-login-"))
    engine = make_engine(f"sqlite:///{work / 'court.sqlite'}")
    migrate(engine)
    # A policy loose enough that the timing rounds are not locked out; the lock-out is measured after.
    service = HearingService(
        engine,
        settings_from_environment(),
        login_policy=LoginPolicy(failures_per_user=10**6, failures_per_source=10**6),
    )
    service.create_user(None, "clerk", PASSWORD, "clerk")
    known, unknown = [], []
    for number in range(args.rounds):  # interleaved, so that drift of the machine hits both alike
        known.append(_failed_login(service, "clerk", f"bench {number}"))
        unknown.append(_failed_login(service, f"nobody{number}", f"bench {number}"))
    known_ms, unknown_ms = statistics.median(known) * 1000, statistics.median(unknown) * 1000
    print(f"{'failed log-in':<28} {'median ms':>10}")
    print(f"{'known name, wrong password':<28} {known_ms:>10.1f}")
    print(f"{'unknown name':<28} {unknown_ms:>10.1f}")
    print(f"ratio known/unknown: {known_ms / unknown_ms:.2f} (1.00: the answer's time does not tell)")

    service.create_user(service.login("clerk", PASSWORD), "judge", PASSWORD, "judge")
    strict = HearingService(engine, settings_from_environment())  # the default policy
    answered = 0
    started = time.perf_counter()
    for _ in range(25):
        try:
            strict.login("judge", "a guess", source="one attacker")
        except AuthenticationError as error:
            answered += "wrong user name" in str(error)
    seconds = time.perf_counter() - started
    print(
        f"25 guesses at one name in {seconds:.1f} s: {answered} answered, {25 - answered} refused as locked out "
        f"(policy: {LoginPolicy().failures_per_user} failures per {LoginPolicy().window})"
    )


if __name__ == "__main__":
    main()
