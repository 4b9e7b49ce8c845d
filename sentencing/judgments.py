"""Synthetic historical judgments: what the reference model learns from, with documented bias.

Real judgments are not reachable here (CAIL2018 cannot be downloaded), so the reference model
learns from judgments drawn as follows, all from one seed:

1. a case is drawn with realistic frequencies of charges, amounts, injuries and circumstances,
   then validated by the same rules as any case file;
2. the guideline engine gives the point recommendation;
3. the case goes to one of ``judges`` judges; each judge has a persistent leniency
   (log-normal, sd ``judge_sd``) and every case its own noise (log-normal, sd ``case_sd``):
   the discretion real judges exercise;
4. **historical bias** is injected: each :class:`BiasEffect` multiplies the term when the
   defendant has that attribute (by default non-local household registration ×1.10,
   unemployment ×1.08). These are exactly the effects a later audit must recover;
5. the term is kept inside the sentence limits of the derivation and rounded to whole months.

The injected effects are written beside the data (``ground_truth.json``) with the data's
digest, so audits can be scored against the truth. A bias-free set (``bias=()``) is the control.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sentencing.case import CASE_SCHEMA_VERSION, Case, parse_case
from sentencing.catalogue import load_catalogue
from sentencing.features import feature_columns, feature_frame
from sentencing.files import write_atomically
from sentencing.guideline import derive_sentence
from sentencing.jurisdiction import load_jurisdiction

__all__ = [
    "DOCUMENTED_BIAS",
    "DRAWN_CHARGES",
    "GENERATOR_VERSION",
    "BiasEffect",
    "GeneratorSpec",
    "JudgmentSet",
    "background_features",
    "draw_cases",
    "generate_judgments",
    "write_judgments",
]

GENERATOR_VERSION = "1.0"
#: the charges the synthetic judgments hold; the catalogue's others (robbery, issue 20) are not drawn yet, so the
#: reference model has seen no case of them (its card says which it was trained on)
DRAWN_CHARGES = ("theft", "fraud", "intentional_injury", "dangerous_driving")


@dataclass(frozen=True)
class BiasEffect:
    """A legally irrelevant attribute that lengthened historical sentences by ``multiplier``."""

    factor: str
    value: str
    multiplier: float
    description: str


DOCUMENTED_BIAS: tuple[BiasEffect, ...] = (
    BiasEffect(
        "household_registration",
        "non_local",
        1.10,
        "non-local household registration (外地户籍) lengthened terms by 10%",
    ),
    BiasEffect("occupation", "unemployed", 1.08, "unemployment (无业) lengthened terms by 8%"),
)


@dataclass(frozen=True)
class GeneratorSpec:
    rows: int = 20_000
    seed: int = 20210701
    judges: int = 120
    judge_sd: float = 0.06
    case_sd: float = 0.08
    bias: tuple[BiasEffect, ...] = field(default=DOCUMENTED_BIAS)
    jurisdiction: str = "default"

    def __post_init__(self) -> None:
        if self.rows < 1 or self.judges < 1:
            raise ValueError("rows and judges must be at least 1")
        catalogue = load_catalogue()
        for effect in self.bias:
            spec = catalogue.factor(effect.factor)
            if effect.value not in spec.values or effect.multiplier <= 0:
                raise ValueError(f"bias effect {effect.factor}={effect.value} is not a valid attribute value")


@dataclass(frozen=True)
class JudgmentSet:
    """Judgments as a frame (features, guideline term, judge, sentence) and the recorded truth."""

    frame: pd.DataFrame
    ground_truth: dict[str, Any]


def _pick(rng: np.random.Generator, options: dict[str, float]) -> str:
    keys = list(options)
    weights = np.array([options[k] for k in keys], dtype=float)
    return str(keys[int(rng.choice(len(keys), p=weights / weights.sum()))])


def _log_uniform(rng: np.random.Generator, low: float, high: float) -> float:
    return float(np.exp(rng.uniform(np.log(low), np.log(high))))


def _draw_document(rng: np.random.Generator, index: int, jurisdiction: str) -> dict[str, Any]:
    table = load_jurisdiction(jurisdiction)
    charge = _pick(rng, dict(zip(DRAWN_CHARGES, (0.40, 0.20, 0.20, 0.20), strict=True)))
    u = rng.uniform()
    age = (
        int(rng.integers(16, 18))
        if u < 0.04
        else int(rng.integers(75, 86))
        if u < 0.05
        else min(74, 18 + int(rng.gamma(2.5, 9.0)))
    )
    occupations = {"employed": 0.30, "self_employed": 0.12, "farmer": 0.18, "unemployed": 0.30}
    if age < 25:
        occupations["student"] = 0.10
    if age >= 55:
        occupations["retired"] = 0.15
    defendant = {
        "age_at_offence": age,
        "sex": "male" if rng.uniform() < 0.87 else "female",
        "household_registration": "non_local" if rng.uniform() < 0.42 else "local",
        "occupation": _pick(rng, occupations),
        "region": _pick(rng, {"east": 0.40, "central": 0.25, "west": 0.25, "northeast": 0.10}),
        "ethnicity": "minority" if rng.uniform() < 0.08 else "han",
    }
    facts: dict[str, Any] = {}
    victim_possible = True
    if charge in ("theft", "fraud"):
        t = table.charge_table(charge)
        large, huge, special = (t.threshold(k) for k in ("large", "huge", "especially_huge"))
        tier_u = rng.uniform()
        if tier_u < 0.78:
            amount = _log_uniform(rng, large, huge)
        elif tier_u < 0.96:
            amount = _log_uniform(rng, huge, special)
        else:
            amount = _log_uniform(rng, special, special * 4)
        facts["amount_yuan"] = round(amount, -1)
        facts["acts"] = 1 if rng.uniform() < 0.7 else int(rng.integers(2, 8))
        if charge == "theft":
            facts["burglary"] = bool(rng.uniform() < 0.15)
            facts["armed"] = bool(rng.uniform() < 0.05)
            facts["pickpocketing"] = bool(rng.uniform() < 0.10)
            if facts["burglary"] and rng.uniform() < 0.2:
                facts["amount_yuan"] = round(rng.uniform(200, large), -1)
        else:
            facts["fraud_victims"] = 1 if rng.uniform() < 0.7 else int(rng.integers(2, 30))
    elif charge == "intentional_injury":
        serious = bool(rng.uniform() < 0.18)
        facts["serious_injuries"] = (1 if rng.uniform() < 0.9 else 2) if serious else 0
        facts["minor_injuries"] = 0 if serious and rng.uniform() < 0.7 else (1 if rng.uniform() < 0.85 else 2)
        facts["slight_injuries"] = int(rng.poisson(0.4))
        if serious:
            grade_u = rng.uniform()
            facts["disability_grade"] = (
                0 if grade_u < 0.5 else int(rng.integers(7, 11)) if grade_u < 0.95 else int(rng.integers(3, 7))
            )
            facts["cruel_means"] = bool(facts["disability_grade"] and facts["disability_grade"] <= 6)
        if rng.uniform() < 0.7:  # the appraisal's grade of the worst injury, where the judgment states it
            worst = "serious" if serious else "minor"
            facts["injury_grade"] = f"{worst}_{1 if rng.uniform() < 0.3 else 2}"
        if rng.uniform() < 0.02:
            facts["deaths"] = 1
    else:
        facts["blood_alcohol_mg_per_100ml"] = round(80 + float(rng.gamma(2.0, 45.0)), 1)
        facts["caused_accident"] = bool(rng.uniform() < 0.2)
        facts["unlicensed"] = bool(rng.uniform() < 0.1)
        facts["carrying_passengers"] = bool(rng.uniform() < 0.03)
        victim_possible = facts["caused_accident"]

    c: dict[str, Any] = {}
    if charge in ("theft", "fraud"):
        c["attempt"] = bool(rng.uniform() < 0.05)
        c["restitution"] = bool(rng.uniform() < 0.45)
    if charge != "dangerous_driving":
        c["accessory"] = bool(rng.uniform() < 0.10)
    c["deaf_mute_or_blind"] = bool(rng.uniform() < 0.003)
    c["vulnerable_victim"] = bool(victim_possible and rng.uniform() < 0.05)
    c["disaster_or_epidemic"] = bool(rng.uniform() < 0.01)
    c["surrender"] = bool(rng.uniform() < 0.25)
    if not c["surrender"]:
        c["confession"] = _pick(
            rng, {"none": 0.365, "ordinary": 0.6, "heavier_same_type": 0.03, "averted_serious_harm": 0.005}
        )
    c["guilty_plea_in_court"] = bool(rng.uniform() < 0.5)
    c["meritorious_service"] = _pick(rng, {"none": 0.965, "ordinary": 0.03, "major": 0.005})
    comp_rate = {"intentional_injury": 0.5, "dangerous_driving": 0.6, "theft": 0.1, "fraud": 0.15}[charge]
    if victim_possible and rng.uniform() < comp_rate:
        c["compensation"] = _pick(
            rng, {"compensation_and_forgiveness": 0.6, "compensation_only": 0.3, "forgiveness_only": 0.1}
        )
    if charge != "dangerous_driving":
        c["reconciliation"] = bool(rng.uniform() < (0.15 if charge == "intentional_injury" else 0.04))
    c["good_conduct_in_custody"] = bool(rng.uniform() < 0.2)
    c["plea_agreement"] = bool(rng.uniform() < 0.75)
    c["recidivist"] = bool(age >= 20 and rng.uniform() < 0.12)
    c["prior_record"] = bool(age >= 19 and rng.uniform() < 0.2)
    c["limited_capacity"] = bool(rng.uniform() < 0.01)
    c["fled"] = bool(rng.uniform() < 0.06)
    c["during_probation"] = bool(age >= 19 and rng.uniform() < 0.02)
    if charge in ("theft", "fraud") and not c["restitution"] and rng.uniform() < 0.15:
        c["restitution_yuan"] = round(float(facts["amount_yuan"]) * float(rng.uniform(0.1, 0.9)), -1)
    if charge == "intentional_injury":
        c["victim_fault"] = bool(rng.uniform() < 0.12)
        c["mutual_fight"] = bool(rng.uniform() < 0.25)
        c["excessive_defence"] = bool(rng.uniform() < 0.01)
    if charge == "dangerous_driving":
        c["refused_breath_test"] = bool(rng.uniform() < 0.04)
    return {
        "schema_version": CASE_SCHEMA_VERSION,
        "case_id": f"J{index:07d}",
        "charge": charge,
        "jurisdiction": jurisdiction,
        "facts": facts,
        "circumstances": c,
        "defendant": defendant,
    }


_BACKGROUND_SEED = 424242


@lru_cache(maxsize=4)
def _background(rows: int) -> pd.DataFrame:
    return generate_judgments(GeneratorSpec(rows=rows, seed=_BACKGROUND_SEED, bias=())).frame


def background_features(rows: int = 2000) -> pd.DataFrame:
    """A bias-free synthetic population of cases (feature columns only), the same in every process.

    Explainers and optimisers need to know how features are distributed; a vendor's model rarely
    comes with its training data, so this stands in, and says so wherever it is used.
    """
    return _background(rows)[list(feature_columns())].copy()


def draw_cases(count: int, seed: int, jurisdiction: str = "default") -> list[Case]:
    """Realistic, validated cases drawn as the judgments' cases are (without sentences), for benchmarks and audits."""
    rng = np.random.default_rng(seed)
    table = load_jurisdiction(jurisdiction)
    return [parse_case(_draw_document(rng, i, jurisdiction), jurisdiction=table) for i in range(count)]


def generate_judgments(spec: GeneratorSpec | None = None) -> JudgmentSet:
    """Draw ``spec.rows`` judgments; the same spec always gives the same frame, byte for byte."""
    spec = spec or GeneratorSpec()
    rng = np.random.default_rng(spec.seed)
    leniency = np.exp(rng.normal(0.0, spec.judge_sd, size=spec.judges))
    jurisdiction = load_jurisdiction(spec.jurisdiction)
    cases: list[Case] = []
    guideline_months: list[float] = []
    sentences: list[float] = []
    judge_ids: list[int] = []
    for index in range(spec.rows):
        case = parse_case(_draw_document(rng, index, spec.jurisdiction), jurisdiction=jurisdiction)
        derivation = derive_sentence(case, jurisdiction)
        judge = int(rng.integers(spec.judges))
        term = derivation.recommended_months * leniency[judge] * float(np.exp(rng.normal(0.0, spec.case_sd)))
        values = case.as_dict()
        for effect in spec.bias:
            if values.get(effect.factor) == effect.value:
                term *= effect.multiplier
        limits = derivation.sentence_limits
        term = min(max(term, limits.low), limits.high)
        cases.append(case)
        guideline_months.append(derivation.recommended_months)
        # a court pronounces whole months, at least one; a guideline without a custodial term gives none
        sentences.append(0.0 if derivation.recommended_months == 0 else float(max(1, round(term))))
        judge_ids.append(judge)
    features = feature_frame(cases)
    # joined at once: one column at a time fragments a frame of a hundred-odd catalogue columns (pandas warns)
    frame = pd.concat(
        [
            pd.DataFrame({"case_id": [c.case_id for c in cases]}, index=features.index),
            features,
            pd.DataFrame(
                {"judge_id": judge_ids, "guideline_months": guideline_months, "sentence_months": sentences},
                index=features.index,
            ),
        ],
        axis=1,
    )
    truth: dict[str, Any] = {
        "schema_version": "1.0",
        "generator_version": GENERATOR_VERSION,
        "spec": {k: v for k, v in asdict(spec).items() if k != "bias"},
        "injected_bias": [{**asdict(e), "percent": round((e.multiplier - 1) * 100, 6)} for e in spec.bias],
        "mechanism": (
            "term = guideline point x judge leniency x case noise x product of bias multipliers that apply; "
            "then kept inside the derivation's sentence limits and rounded to whole months (minimum 1)"
        ),
        "data_sha256": frame_digest(frame),
        "rows": len(frame),
    }
    return JudgmentSet(frame=frame, ground_truth=truth)


def frame_to_csv_bytes(frame: pd.DataFrame) -> bytes:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n", float_format="%.6g")
    return buffer.getvalue().encode("utf-8")


def frame_digest(frame: pd.DataFrame) -> str:
    """sha256 of the frame's canonical CSV form: the training-data fingerprint."""
    return hashlib.sha256(frame_to_csv_bytes(frame)).hexdigest()


def write_judgments(judgments: JudgmentSet, folder: Path) -> tuple[Path, Path]:
    """Write ``judgments.csv`` and ``ground_truth.json`` (each written to a temp file, then renamed)."""
    data = frame_to_csv_bytes(judgments.frame)
    csv_path = folder / "judgments.csv"
    truth_path = folder / "ground_truth.json"
    write_atomically(csv_path, data)
    write_atomically(truth_path, (json.dumps(judgments.ground_truth, ensure_ascii=False, indent=2) + "\n").encode())
    return csv_path, truth_path
