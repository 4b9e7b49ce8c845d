"""The deep report computed ahead while a party reads: the answer escalating records is the one the operation gives
(same digest, and the record verifies); it is computed once, and not for a reader who cannot escalate."""

from __future__ import annotations

import dataclasses
import threading

from sentencing.operations import OperationContext


def _counting(service) -> list[str]:
    service._settings = dataclasses.replace(service._settings, compute_ahead=True)  # off for the rest of the suite
    runs: list[str] = []
    run = service._registry.run

    def counted(operation, *args, **kwargs):
        runs.append(operation)
        return run(operation, *args, **kwargs)

    service._registry.run = counted
    return runs


def test_escalating_takes_the_deep_report_computed_ahead(court) -> None:
    service, tokens, hearing = court.service, court.tokens, court.hearing_id
    runs = _counting(service)
    service.prepare_reports(tokens["clerk"], hearing)  # the clerk does not escalate: nothing computed ahead
    assert runs == []
    service.prepare_reports(tokens["defence"], hearing)
    service.prepare_reports(tokens["prosecution"], hearing)  # computed once per hearing
    assert runs == ["report"]
    outcome, seq = service.query(tokens["defence"], hearing, "report", {"tier": "deep"})
    assert runs == ["report"] and seq == 1  # taken, not computed again
    context = OperationContext(model=service._model(court.model_id), seed=0)  # the hearing's model and seed
    fresh = service._registry.run("report", service.case(tokens["judge"], hearing)[0], {"tier": "deep"}, context)
    assert fresh.result_sha256 == outcome.result_sha256 and fresh.result == outcome.result
    assert service.verify(tokens["judge"], hearing).ok
    service.prepare_reports(tokens["defence"], hearing)  # the record holds a deep report: not computed again
    assert runs.count("report") == 2  # (the second is the fresh run above)


def test_an_escalation_during_the_computation_waits_for_it(court) -> None:
    service, tokens, hearing = court.service, court.tokens, court.hearing_id
    runs = _counting(service)
    ahead = threading.Thread(target=service.prepare_reports, args=(tokens["defence"], hearing))
    ahead.start()
    while not service._ahead:  # the computation has begun
        threading.Event().wait(0.01)
    outcome, _ = service.query(tokens["prosecution"], hearing, "report", {"tier": "deep"})
    ahead.join()
    assert runs == ["report"] and outcome.result["tier"] == "deep"


def test_a_server_may_decline_to_compute_ahead(court) -> None:
    service, tokens, hearing = court.service, court.tokens, court.hearing_id
    runs = _counting(service)
    service._settings = dataclasses.replace(service._settings, compute_ahead=False)
    service.prepare_reports(tokens["defence"], hearing)
    assert runs == [] and not service._ahead
