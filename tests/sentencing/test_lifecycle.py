"""A hearing's lifecycle: exactly the transitions in the table are allowed, every other is refused with why."""

from __future__ import annotations

import itertools

import pytest

from sentencing.errors import HearingStateError
from sentencing.lifecycle import TRANSITIONS, HearingState, check_transition, require_state


@pytest.mark.parametrize(("current", "target"), list(itertools.product(HearingState, HearingState)))
def test_only_the_tables_transitions_are_allowed(current, target) -> None:
    allowed = {(HearingState.OPEN, HearingState.RULED), (HearingState.RULED, HearingState.CLOSED),
               (HearingState.CLOSED, HearingState.SEALED), (HearingState.SEALED, HearingState.SEALED)}  # fmt: skip
    assert {(a, b) for a, targets in TRANSITIONS.items() for b in targets} == allowed
    if (current, target) in allowed:
        assert check_transition(7, current.value, target) is target
    else:
        with pytest.raises(HearingStateError) as raised:
            check_transition(7, current.value, target)
        assert raised.value.state == current.value and "[hearing_state]" in str(raised.value)


def test_a_state_outside_those_allowed_is_refused_with_the_reason() -> None:
    assert require_state(3, "open", frozenset({HearingState.OPEN}), "x") is HearingState.OPEN
    with pytest.raises(HearingStateError, match="hearing 3 is closed: queries are taken only while"):
        require_state(3, "closed", frozenset({HearingState.OPEN}), "queries are taken only while the hearing is open")
