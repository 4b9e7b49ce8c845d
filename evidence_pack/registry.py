"""Every replayable operation, assembled in one place: the kernel's, the counterfactuals' (sentencing and
risk-score cases), the reports', the review of a sentencing proposal and the plea negotiation's statements
(offers, opinions, recordings' digests, the court's leave and its decision on the proposal), and the adversarial
hearing's (a party's objection or submission, the technician's signed answer, the court's disposition of a finding)
the model's filing (备案) entered when a hearing opens, a party's demand for the deep tier, and the guideline
report of a hearing held without a model.

The hearing runs queries through this registry and replay runs them again through the same one,
so an operation recorded at the hearing is always found, under the same name and version, on appeal.
"""

from __future__ import annotations

from counterfactuals.operations import register_counterfactual_operations
from counterfactuals.risk_queries import register_risk_operations
from evidence_pack.signing import detached_signature_fingerprint
from explain_tiers.adversarial import register_adversarial_operations
from explain_tiers.duty import register_duty_operations
from explain_tiers.governance import register_governance_operations
from explain_tiers.guideline_report import register_guideline_report_operation
from explain_tiers.negotiation import register_negotiation_operations
from explain_tiers.operations import ReportPart, register_report_operations
from explain_tiers.proposal_review import register_proposal_operations
from sentencing.operations import OperationRegistry, default_registry

__all__ = ["full_registry", "report_operations"]


def full_registry() -> OperationRegistry:
    registry = default_registry()
    register_counterfactual_operations(registry)
    register_risk_operations(registry)
    register_report_operations(registry)
    register_guideline_report_operation(registry)
    register_proposal_operations(registry)
    register_negotiation_operations(registry)
    register_adversarial_operations(registry, detached_signature_fingerprint)
    register_governance_operations(registry)
    register_duty_operations(registry)
    return registry


def report_operations(registry: OperationRegistry | None = None) -> frozenset[str]:
    """The operations that enter a report in the record, one per kind of case (whose findings may be challenged)."""
    kinds = (registry or full_registry()).kinds
    return frozenset(kinds.part(kind, ReportPart).operation for kind in kinds.names())
