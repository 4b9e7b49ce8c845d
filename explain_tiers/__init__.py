"""explain_tiers: the standard and deep reports, and the challenge findings.

Stands on ``sentencing`` and ``counterfactuals``. Reports are computed once (``report``) and rendered
separately (``render``: JSON with its schema, HTML, PDF/A-3b); explainers sit behind one adapter
each (``shap_adapter``, ``lime_adapter``); the stabilised attribution is ``surrogate``.
"""

from explain_tiers.attribution import Attribution, AttributionAgreement, compare_attributions
from explain_tiers.audit import GroupAudit, audit_groups
from explain_tiers.findings import Finding, FindingBasis, FindingKind, FindingPolicy, Severity
from explain_tiers.operations import register_report_operations
from explain_tiers.population import Population, assess_coverage, find_similar_judgments, population_of
from explain_tiers.render import load_report_json, render_html, render_pdf, report_json, validate_report, write_report
from explain_tiers.report import Report, build_deep_report, build_standard_report
from explain_tiers.stabilised_attribution import StabilisedAttribution, explain_stabilised
from explain_tiers.tiers import Tier

__all__ = [
    "Attribution",
    "AttributionAgreement",
    "Finding",
    "FindingBasis",
    "FindingKind",
    "FindingPolicy",
    "GroupAudit",
    "Population",
    "Report",
    "Severity",
    "StabilisedAttribution",
    "Tier",
    "assess_coverage",
    "audit_groups",
    "build_deep_report",
    "build_standard_report",
    "compare_attributions",
    "explain_stabilised",
    "find_similar_judgments",
    "load_report_json",
    "population_of",
    "register_report_operations",
    "render_html",
    "render_pdf",
    "report_json",
    "validate_report",
    "write_report",
]
