"""A hearing's lifecycle, with every allowed transition in one place.

::

    open ──write the citation──► ruled ──close──► closed ──seal──► sealed ──seal again (a new version)──► sealed

Queries join the record only while the hearing is open; the judge writes the citation once, then
closes; a closed hearing is sealed, and a sealed one may be sealed again (the new version supersedes
the last). It lives low in the stack so that the evidence pack can check what it is asked to seal.
"""

from __future__ import annotations

from enum import StrEnum

from sentencing.errors import HearingStateError

__all__ = ["TRANSITIONS", "HearingState", "check_transition", "require_state"]


class HearingState(StrEnum):
    OPEN = "open"
    RULED = "ruled"
    CLOSED = "closed"
    SEALED = "sealed"


TRANSITIONS: dict[HearingState, frozenset[HearingState]] = {
    HearingState.OPEN: frozenset({HearingState.RULED}),
    HearingState.RULED: frozenset({HearingState.CLOSED}),
    HearingState.CLOSED: frozenset({HearingState.SEALED}),
    HearingState.SEALED: frozenset({HearingState.SEALED}),
}

# Why a hearing in another state is refused each move, as the user reads it.
_WHY = {
    HearingState.OPEN: "a hearing is never reopened: its record is closed",
    HearingState.RULED: "the ruling is written while the hearing is open",
    HearingState.CLOSED: "only a ruled hearing can be closed (write the algorithm citation first)",
    HearingState.SEALED: "only a closed hearing is sealed",
}


def check_transition(hearing_id: int, current: str, target: HearingState) -> HearingState:
    """``target`` if the hearing may move there from ``current``; else a :class:`HearingStateError` saying why."""
    state = HearingState(current)
    if target not in TRANSITIONS[state]:
        raise HearingStateError(hearing_id, state.value, _WHY[target])
    return target


def require_state(hearing_id: int, current: str, allowed: frozenset[HearingState], detail: str) -> HearingState:
    """The hearing's state, if it is one of ``allowed`` (e.g. queries: open only); else why not."""
    state = HearingState(current)
    if state not in allowed:
        raise HearingStateError(hearing_id, state.value, detail)
    return state
