"""Who may do what: one rule for every service call, as data (role × action)."""

from __future__ import annotations

from enum import StrEnum

from sentencing.errors import AccessDeniedError

__all__ = ["ROLES", "Action", "Role", "authorize", "may"]


class Role(StrEnum):
    CLERK = "clerk"
    DEFENCE = "defence"
    PROSECUTION = "prosecution"
    DUTY_LAWYER = "duty_lawyer"  # 值班律师: legal help in a plea case, with limited rights (below)
    JUDGE = "judge"
    APPELLATE_JUDGE = "appellate_judge"
    TECHNOLOGIST = "technologist"  # the court's own: registers and audits models, approves keys
    TECHNICIAN = "technician"  # 技术人员出庭: the model's technical expert, a party who answers the findings


ROLES = tuple(Role)


class Action(StrEnum):
    MANAGE_USERS = "manage users"
    REGISTER_MODEL = "register a model"
    AUDIT_MODEL = "audit a registered model over a file of past cases"
    CREATE_CASE = "create a case"
    OPEN_HEARING = "open a hearing"
    VIEW_HEARING = "view a hearing and its record"
    QUERY_OPEN_COURT = "query the algorithm in open court"
    QUERY_WORKSPACE = "query the algorithm in a private workspace"
    ENTER_STATEMENT = (
        "enter a statement in the record (the plea negotiation's offers, opinions and recordings' "
        "digests; objections and submissions; the court's disposition of a finding)"
    )
    ANSWER_FINDING = "answer a finding's question in the record, signed with one's own key (技术人员出庭)"
    VIEW_SENSITIVE = "see sensitive fields (a minor's identity)"
    WRITE_RULING = "write the algorithm citation"
    CLOSE_HEARING = "close a hearing"
    VERIFY_RECORD = "verify a hearing record"
    VIEW_DEVIATION = "see a judge's deviation monitor"
    SEAL_PACK = "seal an evidence pack (with one's own sealing key)"
    MANAGE_SEALING_KEYS = "run the court's certificate authority and certify sealing keys"
    VIEW_DOCKET = "see the docket of sealed packs and the sealers' public keys"
    VIEW_AUDIT = "read the audit log (lock-outs, users created, keys approved)"


_ALL_PARTIES = {
    Role.CLERK,
    Role.DEFENCE,
    Role.PROSECUTION,
    Role.DUTY_LAWYER,
    Role.JUDGE,
    Role.APPELLATE_JUDGE,
    Role.TECHNICIAN,
}
# The duty lawyer's rights are limited (CPL arts. 36, 173, 174): present at the signing, opinions on the proposal,
# private preparation; no open-court queries, save by the court's leave (a ``court_leave`` entry in the record, which
# the service checks: ``HearingService.query``).
PERMISSIONS: dict[Action, frozenset[Role]] = {
    # The clerk alone creates users: a technologist who could create a clerk would read a minor's identity
    # through it, and one who could create judges would approve their keys as sealers (two people, not one).
    Action.MANAGE_USERS: frozenset({Role.CLERK}),
    Action.REGISTER_MODEL: frozenset({Role.TECHNOLOGIST}),
    Action.AUDIT_MODEL: frozenset({Role.TECHNOLOGIST}),
    Action.CREATE_CASE: frozenset({Role.CLERK}),
    Action.OPEN_HEARING: frozenset({Role.CLERK}),
    Action.VIEW_HEARING: frozenset(_ALL_PARTIES),
    Action.QUERY_OPEN_COURT: frozenset({Role.DEFENCE, Role.PROSECUTION, Role.JUDGE, Role.APPELLATE_JUDGE}),
    Action.QUERY_WORKSPACE: frozenset({Role.DEFENCE, Role.PROSECUTION, Role.DUTY_LAWYER}),
    Action.ENTER_STATEMENT: frozenset({Role.CLERK, Role.DEFENCE, Role.PROSECUTION, Role.DUTY_LAWYER, Role.JUDGE}),
    Action.VIEW_SENSITIVE: frozenset(
        {Role.CLERK, Role.DEFENCE, Role.PROSECUTION, Role.DUTY_LAWYER, Role.JUDGE, Role.APPELLATE_JUDGE}
    ),
    Action.ANSWER_FINDING: frozenset({Role.TECHNICIAN}),
    Action.WRITE_RULING: frozenset({Role.JUDGE}),
    Action.CLOSE_HEARING: frozenset({Role.JUDGE}),
    Action.VERIFY_RECORD: frozenset(
        {
            Role.CLERK,
            Role.JUDGE,
            Role.APPELLATE_JUDGE,
            Role.TECHNOLOGIST,
            Role.DEFENCE,
            Role.PROSECUTION,
            Role.DUTY_LAWYER,
            Role.TECHNICIAN,
        }
    ),
    # a judge sees their own; the appellate court and the court's technologist (who audits the system's use) any judge's
    Action.VIEW_DEVIATION: frozenset({Role.JUDGE, Role.APPELLATE_JUDGE, Role.TECHNOLOGIST}),
    Action.SEAL_PACK: frozenset({Role.JUDGE}),
    Action.MANAGE_SEALING_KEYS: frozenset({Role.TECHNOLOGIST}),
    Action.VIEW_DOCKET: frozenset(Role),
    Action.VIEW_AUDIT: frozenset({Role.CLERK, Role.TECHNOLOGIST}),
}


def may(role: str, action: Action) -> bool:
    return role in {r.value for r in PERMISSIONS[action]}


def authorize(role: str, action: Action) -> None:
    if not may(role, action):
        raise AccessDeniedError(role, action.value)
