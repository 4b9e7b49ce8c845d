"""The one exception tree of voirdire.

Every error a user can cause carries the fields a court clerk needs to fix it:
which field or file, which rule, what was expected and what was found. Messages
are built from the rule constants below, so tests match on ``rule`` rather than
on prose.

::

    VoirdireError
    ├── InputError(field, rule, detail)  bad input from a person; CLI exit code 2
    │   ├── CaseValidationError    a case breaks one or more rules (``violations``)
    │   ├── InputFileError         a file cannot be read or parsed (``path``)
    │   ├── OperationInputError    unknown operation or bad parameters (``operation``)
    │   ├── AuthenticationError    wrong credentials, or a session that expired or never was
    │   ├── AccessDeniedError      this role may not do this (``role``, ``action``)
    │   └── HearingStateError      not in this hearing state (e.g. closing without a ruling)
    ├── ConfigurationError         shipped or court-supplied data is inconsistent
    ├── ModelError                 the model under challenge; CLI exit code 3
    │   ├── ModelNotFoundError     no artifact where one was expected
    │   ├── ModelLoadError         the artifact exists but cannot be loaded
    │   ├── ModelEndpointError     the vendor's HTTP endpoint cannot be reached
    │   └── ModelOutputError       the model's answer is malformed
    │       └── ModelProbeError    ... detected by the test call made at load
    ├── ExplanationUnavailableError  an explainer cannot explain this kind of model
    ├── SchemaValidationError      a report or manifest breaks its JSON Schema
    ├── IntegrityError             a digest or fingerprint does not match
    └── StorageError               the machine could not write what it had to (disk full, no permission)
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sentencing.excerpts import one_line

__all__ = [
    "RULE_NAMES_ZH",
    "AccessDeniedError",
    "AuthenticationError",
    "CaseValidationError",
    "ConfigurationError",
    "ExplanationUnavailableError",
    "HearingStateError",
    "InputError",
    "InputFileError",
    "IntegrityError",
    "ModelEndpointError",
    "ModelError",
    "ModelLoadError",
    "ModelNotFoundError",
    "ModelOutputError",
    "ModelProbeError",
    "OperationInputError",
    "Rule",
    "SchemaValidationError",
    "StorageError",
    "UnverifiedPackError",
    "Violation",
    "VoirdireError",
]


class Rule(StrEnum):
    """Rule identifiers carried by errors; stable strings that tests and translations key on."""

    UNKNOWN_FIELD = "unknown_field"
    UNKNOWN_CHARGE = "unknown_charge"
    UNKNOWN_JURISDICTION = "unknown_jurisdiction"
    UNKNOWN_LANGUAGE = "unknown_language"
    WRONG_TYPE = "wrong_type"
    OUT_OF_RANGE = "out_of_range"
    NOT_ALLOWED_VALUE = "not_allowed_value"
    NOT_APPLICABLE = "not_applicable_to_charge"
    MISSING_REQUIRED = "missing_required_fact"
    CONTRADICTION = "contradiction"
    FIXED_BY_COURT = "fixed_by_court"
    BELOW_AGE_OF_RESPONSIBILITY = "below_age_of_responsibility"
    NO_RESPONSIBILITY_FOR_CHARGE = "no_responsibility_for_charge_at_age"
    BELOW_CRIMINAL_THRESHOLD = "below_criminal_threshold"
    UNSUPPORTED_SCHEMA = "unsupported_schema_version"
    FILE_UNREADABLE = "file_unreadable"
    FILE_NOT_JSON = "file_not_json"
    FILE_NOT_OBJECT = "file_not_object"
    PACK_MALFORMED = "pack_malformed"
    ARCHIVE_UNSAFE = "archive_unsafe"
    FILE_TOO_LARGE = "file_too_large"
    NOT_REGULAR_FILE = "not_a_regular_file"
    DUPLICATE_KEY = "duplicate_key"
    NESTED_TOO_DEEP = "nested_too_deep"
    NUMBER_OUT_OF_RANGE = "number_out_of_range"
    INVALID_TEXT = "invalid_text"
    BAD_PARAMETER = "bad_parameter"
    # refusals of the court's rules rather than of a value
    ACCESS_DENIED = "access_denied"
    HEARING_STATE = "hearing_state"
    AUTHENTICATION = "authentication"


# What each rule means, for a court user reading in Chinese (the detail stays in the message).
RULE_NAMES_ZH: dict[str, str] = {
    Rule.UNKNOWN_FIELD: "未知字段",
    Rule.UNKNOWN_CHARGE: "未知罪名",
    Rule.UNKNOWN_JURISDICTION: "未知辖区",
    Rule.WRONG_TYPE: "类型错误",
    Rule.OUT_OF_RANGE: "超出有效范围",
    Rule.NOT_ALLOWED_VALUE: "取值不在允许范围内",
    Rule.NOT_APPLICABLE: "不适用于该罪名",
    Rule.MISSING_REQUIRED: "缺少必要事实",
    Rule.CONTRADICTION: "情节相互矛盾",
    Rule.BELOW_AGE_OF_RESPONSIBILITY: "未达刑事责任年龄",
    Rule.NO_RESPONSIBILITY_FOR_CHARGE: "该年龄对此罪名不负刑事责任",
    Rule.BELOW_CRIMINAL_THRESHOLD: "未达入罪标准",
    Rule.UNSUPPORTED_SCHEMA: "不支持的格式版本",
    Rule.FILE_UNREADABLE: "文件无法读取",
    Rule.FILE_NOT_JSON: "文件不是有效的JSON",
    Rule.FILE_NOT_OBJECT: "文件内容不是JSON对象",
    Rule.PACK_MALFORMED: "证据包格式不正确",
    Rule.ARCHIVE_UNSAFE: "归档文件不安全",
    Rule.FILE_TOO_LARGE: "文件过大",
    Rule.NOT_REGULAR_FILE: "不是普通文件",
    Rule.DUPLICATE_KEY: "键重复",
    Rule.NESTED_TOO_DEEP: "嵌套层次过深",
    Rule.NUMBER_OUT_OF_RANGE: "数值超出可表示范围",
    Rule.INVALID_TEXT: "文本含无效字符",
    Rule.UNKNOWN_LANGUAGE: "不支持的语言",
    Rule.FIXED_BY_COURT: "法庭已认定的事实不可改变",
    Rule.BAD_PARAMETER: "查询参数有误",
    Rule.ACCESS_DENIED: "无此权限",
    Rule.HEARING_STATE: "听证所处阶段不允许此操作",
    Rule.AUTHENTICATION: "身份验证未通过",
}


class VoirdireError(Exception):
    """Root of every error voirdire raises on purpose.

    An error travels between processes as it is (a worker of a process pool or of a Dask cluster raising a bad file's
    line): pickled with its fields and message and rebuilt without calling its ``__init__``, whose arguments differ
    from class to class."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_error, (type(self), str(self), dict(self.__dict__)))


def _rebuild_error(cls: type[VoirdireError], message: str, fields: dict[str, Any]) -> VoirdireError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(fields)
    return error


class InputError(VoirdireError):
    """Bad input from a person (a case, a file, an option, a parameter, a request the court's rules refuse).

    Fielded: ``field`` (what was wrong: a field, a file, an option), ``rule`` (which :class:`Rule`),
    ``detail`` (what was expected against what was found). The message is ``field: detail [rule]``.
    """

    def __init__(self, field: str, rule: Rule | str, detail: str) -> None:
        self.field = one_line(field, 300)
        self.rule = str(rule)
        self.detail = one_line(detail, 800)
        super().__init__(self._text())

    def _text(self) -> str:
        return f"{self.field}: {self.detail} [{self.rule}]"


@dataclass(frozen=True)
class Violation:
    """One broken rule: the field, the rule, and what was expected against what was found."""

    field: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{one_line(self.field, 80)}: {one_line(self.message, 400)} [{self.rule}]"


class CaseValidationError(InputError):
    """A case breaks one or more rules; ``violations`` lists each, first one first."""

    def __init__(self, violations: tuple[Violation, ...], source: str | None = None) -> None:
        if not violations:
            raise ValueError("CaseValidationError needs at least one violation")
        self.violations = violations
        self.source = source
        first = violations[0]
        super().__init__(first.field, first.rule, first.message)

    def _text(self) -> str:
        where = f"{self.source}: " if self.source else ""
        return where + "; ".join(str(v) for v in self.violations)


class InputFileError(InputError):
    """A file a person gave us cannot be read or parsed."""

    def __init__(self, path: str, rule: Rule | str, detail: str) -> None:
        self.path = one_line(path)
        super().__init__(self.path, rule, one_line(detail, 400))


class OperationInputError(InputError):
    """An operation was asked for that does not exist, or with parameters it does not take."""

    def __init__(self, operation: str, detail: str) -> None:
        self.operation = operation
        super().__init__(f"operation {operation!r}", Rule.BAD_PARAMETER, detail)


class ConfigurationError(VoirdireError):
    """Shipped or court-supplied data (catalogue, jurisdiction table) is inconsistent."""

    def __init__(self, source: str, detail: str) -> None:
        self.source = source
        self.detail = detail
        super().__init__(f"{source}: {detail}")


class ModelError(VoirdireError):
    """The model under challenge could not be used."""


class ModelNotFoundError(ModelError):
    """No model artifact where one was expected."""

    def __init__(self, path: str, hint: str) -> None:
        self.path = path
        super().__init__(f"{path}: no model artifact here; {hint}")


class ModelLoadError(ModelError):
    """A model artifact exists but cannot be loaded."""

    def __init__(self, source: str, detail: str) -> None:
        self.source = source
        self.detail = detail
        super().__init__(f"{source}: cannot load the model: {detail}")


class ModelEndpointError(ModelError):
    """The vendor's HTTP endpoint cannot be reached or answered with an HTTP error."""

    def __init__(self, url: str, detail: str) -> None:
        self.url = url
        self.detail = detail
        super().__init__(f"{url}: {detail}")


class ModelOutputError(ModelError):
    """The model answered, but the answer is malformed (wrong length, not numbers, not finite)."""

    def __init__(self, source: str, expected: str, found: str) -> None:
        self.source = source
        self.expected = expected
        self.found = found
        super().__init__(f"{source}: malformed answer from the model: expected {expected}, found {found}")


class ModelProbeError(ModelOutputError):
    """The test call made when a model is loaded returned a malformed answer."""


class ExplanationUnavailableError(VoirdireError):
    """An explainer cannot explain this model (e.g. tree SHAP needs the model's trees, an endpoint hides them)."""

    def __init__(self, explainer: str, reason: str) -> None:
        self.explainer = explainer
        self.reason = reason
        super().__init__(f"{explainer}: {reason}")


class SchemaValidationError(VoirdireError):
    """A schema-versioned output (report, manifest) does not match its JSON Schema."""

    def __init__(self, source: str, path: str, detail: str) -> None:
        self.source = source
        self.path = path
        self.detail = detail
        super().__init__(f"{source}: {path}: {detail} [schema]")


class AuthenticationError(InputError):
    """Wrong user name or password, or a session that expired or does not exist (one message for all)."""

    def __init__(self, detail: str) -> None:
        super().__init__("log-in", Rule.AUTHENTICATION, detail)

    def _text(self) -> str:
        return self.detail


class AccessDeniedError(InputError):
    """This role may not do this (``role``, ``action``)."""

    def __init__(self, role: str, action: str, detail: str = "") -> None:
        self.role = role
        self.action = action
        super().__init__(f"role {role!r}", Rule.ACCESS_DENIED, f"may not {action}" + (f": {detail}" if detail else ""))

    def _text(self) -> str:
        return f"{self.field} {self.detail} [{self.rule}]"


class HearingStateError(InputError):
    """Not in this hearing state (e.g. closing without a ruling); see ``sentencing.lifecycle``."""

    def __init__(self, hearing_id: int, state: str, detail: str) -> None:
        self.hearing_id = hearing_id
        self.state = str(state)
        super().__init__(f"hearing {hearing_id}", Rule.HEARING_STATE, f"is {self.state}: {detail}")

    def _text(self) -> str:
        return f"{self.field} {self.detail} [{self.rule}]"


class IntegrityError(VoirdireError):
    """A digest or fingerprint does not match the one recorded."""

    def __init__(self, subject: str, expected: str, found: str) -> None:
        self.subject = subject
        self.expected = expected
        self.found = found
        super().__init__(f"{subject}: digest mismatch: expected {expected}, found {found}")


class StorageError(VoirdireError):
    """Writing failed on this machine (a full disk, a folder without permission); nothing was half-written."""

    def __init__(self, path: str, detail: str) -> None:
        self.path = one_line(path)
        self.detail = one_line(detail, 300)
        super().__init__(f"{self.path}: {self.detail} [storage]")


class UnverifiedPackError(VoirdireError):
    """An evidence pack did not verify, so nothing in it (least of all its model) is used."""

    def __init__(self, pack: str, failed: tuple[str, ...]) -> None:
        self.pack = pack
        self.failed = failed
        super().__init__(f"{pack}: the pack did not verify ({'; '.join(failed)}); run `voirdire verify` for details")
