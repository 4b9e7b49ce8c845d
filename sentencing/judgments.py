"""Synthetic historical judgments: what the reference model learns from, with documented bias.

Real judgments are not reachable here (CAIL2018 cannot be downloaded), so the reference model
learns from judgments drawn as follows, all from one seed:

1. a case is drawn with realistic frequencies of charges (every crime of 法发〔2021〕21号 at its share of a basic
   court's caseload by default; the first generator's four with ``charge_shares=FOUR_CHARGES``), amounts, quantities,
   injuries and circumstances — each crime's facts drawn as its law makes it a crime. Generator 3.0 draws every case
   at once, by columns (sentencing.draws; tested lawful row by row and of the same distributions as the row-by-row
   draws); ``version="2.1"`` draws each case as a document, validated by the rules of any case file, as every data set
   before 3.0 was drawn (the same bytes for a seed);
2. the guideline engine gives the point recommendation (by columns, sentencing.terms: the engine's own numbers);
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
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from sentencing import libm
from sentencing.case import CASE_SCHEMA_VERSION, RETURNABLE_SUMS, Case, parse_case
from sentencing.catalogue import FactorGroup, FactorType, load_catalogue
from sentencing.draws import (
    COMPENSATED,
    DRUG_KIND_SHARES,
    FIRST_GENERATOR_OWN,
    OWN_CIRCUMSTANCES,
    draw_feature_frame,
)
from sentencing.drugs import kind_of_factor
from sentencing.features import feature_columns, feature_frame
from sentencing.files import write_atomically
from sentencing.jurisdiction import Jurisdiction, load_jurisdiction
from sentencing.terms import guideline_terms

__all__ = [
    "ALL_CRIMES",
    "CHARGE_SHARES",
    "DOCUMENTED_BIAS",
    "DRAWN_CHARGES",
    "FOUR_CHARGES",
    "GENERATOR_VERSION",
    "BiasEffect",
    "GeneratorSpec",
    "JudgmentSet",
    "background_features",
    "draw_cases",
    "generate_judgments",
    "write_judgments",
]

#: 2.0: every crime of 法发〔2021〕21号 can be drawn (``charge_shares``); 2.1: and is by default (the reference model);
#: 3.0: drawn by columns (sentencing.draws), the guideline's numbers by columns (sentencing.terms): the same
#: distributions, another stream of draws for a seed; ``GeneratorSpec(version="2.1")`` draws as before, byte for byte
GENERATOR_VERSION = "3.0"
#: the versions a spec may ask for: the row-by-row draws (every data set built before 3.0, reproduced) and the columns
GENERATOR_VERSIONS = ("2.1", "3.0")
#: every crime of 法发〔2021〕21号 at its share of a basic court's caseload, roughly (theft and drunk driving the most;
#: fund-raising fraud and snatching the fewest): the reference model's judgments, ``GeneratorSpec()``
CHARGE_SHARES = {
    "theft": 0.25, "dangerous_driving": 0.20, "fraud": 0.08, "intentional_injury": 0.08, "traffic_accident": 0.05,
    "drug_trafficking": 0.05, "picking_quarrels": 0.04, "concealing_proceeds": 0.04, "credit_card_fraud": 0.03,
    "sheltering_drug_use": 0.02, "robbery": 0.02, "obstructing_official_duties": 0.02, "illegal_deposits": 0.015,
    "contract_fraud": 0.015, "employee_embezzlement": 0.015, "extortion": 0.015, "drug_possession": 0.01,
    "affray": 0.01, "rape": 0.01, "illegal_detention": 0.01, "prostitution_procuring": 0.01, "snatching": 0.005,
    "fundraising_fraud": 0.005,
}  # fmt: skip
ALL_CRIMES: tuple[tuple[str, float], ...] = tuple(CHARGE_SHARES.items())
#: the first generator's four charges at its shares (the same bytes for a seed as before the other crimes could be
#: drawn): ``GeneratorSpec(charge_shares=FOUR_CHARGES)``, ``voirdire build-model --four-charges``
FOUR_CHARGES: tuple[tuple[str, float], ...] = (
    ("theft", 0.40), ("fraud", 0.20), ("intentional_injury", 0.20), ("dangerous_driving", 0.20),
)  # fmt: skip
#: the charges the reference model's synthetic judgments hold (its card lists them; a report on another charge says the
#: model was never validated on it)
DRAWN_CHARGES = tuple(charge for charge, _ in ALL_CRIMES)


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
    charge_shares: tuple[tuple[str, float], ...] = ALL_CRIMES  # (charge, share), shares adding to 1
    version: str = GENERATOR_VERSION  # "2.1": row by row, as every data set before 3.0 was drawn

    def __post_init__(self) -> None:
        if self.rows < 1 or self.judges < 1:
            raise ValueError("rows and judges must be at least 1")
        if self.version not in GENERATOR_VERSIONS:
            raise ValueError(f"version: one of {', '.join(GENERATOR_VERSIONS)}, not {self.version!r}")
        catalogue = load_catalogue()
        charges = [charge for charge, _ in self.charge_shares]
        if not charges or len(set(charges)) != len(charges) or any(c not in _FACTS for c in charges):
            raise ValueError(f"charge_shares: distinct charges the generator draws ({', '.join(_FACTS)})")
        if any(share <= 0 for _, share in self.charge_shares) or abs(sum(s for _, s in self.charge_shares) - 1) > 1e-9:
            raise ValueError("charge_shares: positive shares adding to 1")
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
    return float(libm.exp(float(rng.uniform(libm.log(low), libm.log(high)))))


Draw = dict[str, Any]


def _amount_in_bands(
    rng: np.random.Generator, bands: tuple[tuple[float, float, float], ...], digits: int = -1
) -> float:
    """A quantity drawn log-uniformly inside one of ``bands`` ((share, low, high), shares adding to 1), rounded to
    ``digits`` (yuan to tens; grams to tenths)."""
    u, total = rng.uniform(), 0.0
    for share, low, high in bands:
        total += share
        if u < total:
            return round(_log_uniform(rng, low, high), digits)
    share, low, high = bands[-1]
    return round(_log_uniform(rng, low, high), digits)


def _by_thresholds(
    rng: np.random.Generator, table: Jurisdiction, charge: str, shares: tuple[float, float, float], top: float
) -> float:
    """An amount in the charge's 数额较大, 巨大 and 特别巨大 bands at ``shares``, the last up to ``top`` × 特别巨大."""
    t = table.charge_table(charge)
    large, huge, special = (t.threshold(k) for k in ("large", "huge", "especially_huge"))
    bands = ((shares[0], large, huge), (shares[1], huge, special), (shares[2], special, special * top))
    return _amount_in_bands(rng, bands)


def _property_facts(rng: np.random.Generator, table: Jurisdiction, charge: str) -> Draw:
    """Theft and fraud, as drawn since the first generator."""
    facts: Draw = {"amount_yuan": _by_thresholds(rng, table, charge, (0.78, 0.18, 0.04), 4)}
    facts["acts"] = 1 if rng.uniform() < 0.7 else int(rng.integers(2, 8))
    if charge == "theft":
        facts["burglary"] = bool(rng.uniform() < 0.15)
        facts["armed"] = bool(rng.uniform() < 0.05)
        facts["pickpocketing"] = bool(rng.uniform() < 0.10)
        if facts["burglary"] and rng.uniform() < 0.2:
            facts["amount_yuan"] = round(rng.uniform(200, table.charge_table(charge).threshold("large")), -1)
    else:
        facts["fraud_victims"] = 1 if rng.uniform() < 0.7 else int(rng.integers(2, 30))
    return facts


def _injury_facts(rng: np.random.Generator, table: Jurisdiction, charge: str) -> Draw:
    facts: Draw = {}
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
    return facts


def _driving_facts(rng: np.random.Generator, table: Jurisdiction, charge: str) -> Draw:
    return {
        "blood_alcohol_mg_per_100ml": round(80 + float(rng.gamma(2.0, 45.0)), 1),
        "caused_accident": bool(rng.uniform() < 0.2),
        "unlicensed": bool(rng.uniform() < 0.1),
        "carrying_passengers": bool(rng.uniform() < 0.03),
    }


def _robbery_facts(rng: np.random.Generator, table: Jurisdiction, charge: str) -> Draw:
    facts: Draw = {
        "amount_yuan": 0 if rng.uniform() < 0.15 else round(_log_uniform(rng, 100, 80_000), -1),
        "acts": 1 if rng.uniform() < 0.8 else int(rng.integers(2, 5)),
    }
    for form, p in (
        ("robbery_in_home", 0.08),
        ("robbery_on_public_transport", 0.02),
        ("robbery_of_financial_institution", 0.004),
        ("robbery_impersonating_police", 0.01),
        ("robbery_with_firearm", 0.004),
        ("robbery_of_special_supplies", 0.004),
    ):
        facts[form] = bool(rng.uniform() < p)
    facts["slight_injuries"] = int(rng.poisson(0.3))
    facts["minor_injuries"] = int(rng.uniform() < 0.15)
    facts["serious_injuries"] = int(rng.uniform() < 0.03)
    return facts


def _snatching_facts(rng: np.random.Generator, table: Jurisdiction, charge: str) -> Draw:
    return {
        "amount_yuan": _by_thresholds(rng, table, charge, (0.85, 0.13, 0.02), 2),
        "acts": 1 if rng.uniform() < 0.75 else int(rng.integers(2, 5)),
        "snatching_by_vehicle": bool(rng.uniform() < 0.3),
        "slight_injuries": int(rng.poisson(0.2)),
    }


def _extortion_facts(rng: np.random.Generator, table: Jurisdiction, charge: str) -> Draw:
    return {
        "amount_yuan": _by_thresholds(rng, table, charge, (0.8, 0.18, 0.02), 2),
        "acts": 1 if rng.uniform() < 0.7 else int(rng.integers(2, 6)),
        "extortion_threatening_grave_crime": bool(rng.uniform() < 0.1),
        "extortion_posing_as_gang_or_official": bool(rng.uniform() < 0.05),
    }


def _traffic_facts(rng: np.random.Generator, table: Jurisdiction, charge: str) -> Draw:
    """Drawn as the law makes it a crime (法释〔2000〕33号 第2条): mostly one death, the main or full responsibility."""
    u = rng.uniform()
    facts: Draw = {"accident_responsibility": "full" if u < 0.45 else "main" if u < 0.97 else "equal"}
    for fact, p in (
        ("drunk_or_drugged_driving", 0.05),
        ("unlicensed", 0.08),
        ("unsafe_or_unregistered_vehicle", 0.04),
        ("seriously_overloaded", 0.02),
    ):
        facts[fact] = bool(rng.uniform() < p)
    if facts["accident_responsibility"] == "equal":
        facts["deaths"] = 3
    elif rng.uniform() < 0.82:
        facts["deaths"] = 1 if rng.uniform() < 0.93 else 2
        facts["serious_injuries"] = int(rng.uniform() < 0.1)
    else:
        facts["serious_injuries"] = 1
        facts["drunk_or_drugged_driving" if rng.uniform() < 0.5 else "unlicensed"] = True
    facts["fled_after_accident"] = bool(rng.uniform() < 0.12)
    if facts["fled_after_accident"] and facts.get("deaths") and rng.uniform() < 0.1:
        facts["deaths_from_fleeing"] = 1
    return facts


def _drug_facts(rng: np.random.Generator, table: Jurisdiction, charge: str) -> Draw:
    """One kind of drug, its grams drawn against the kind's own 数量较大 and 数量大 (sentencing.drugs)."""
    kind = kind_of_factor(_pick(rng, DRUG_KIND_SHARES))
    assert kind is not None
    low, high = kind.relatively_large_g, kind.large_g
    if charge == "drug_possession":  # 数量较大 or no crime (刑法第348条)
        return {kind.factor: round(_log_uniform(rng, low, high * 2), 1), "drug_in_rehab_or_custody": False}
    grams = _amount_in_bands(rng, ((0.75, low / 100, low), (0.18, low, high), (0.07, high, high * 40)), 1)
    return {
        kind.factor: max(0.1, grams),
        "acts": 1 if rng.uniform() < 0.6 else int(rng.integers(2, 8)),
        "drug_buyers": int(rng.integers(0, 4)),
        "drug_to_students": bool(rng.uniform() < 0.01),
        "drug_group_ringleader": bool(rng.uniform() < 0.01),
    }


def _sheltering_facts(rng: np.random.Generator, table: Jurisdiction, charge: str) -> Draw:
    at_once = 1 if rng.uniform() < 0.5 else int(rng.integers(2, 5))
    facts: Draw = {
        "drug_users_at_once": at_once,
        "drug_users_sheltered": at_once + int(rng.poisson(0.8)),
        "acts": 1 if rng.uniform() < 0.3 else int(rng.integers(2, 8)),
    }
    if at_once < 3 and facts["acts"] < 3:  # 法释〔2016〕8号 第12条: a ground it needs
        facts["sheltering_prior_penalty" if rng.uniform() < 0.6 else "sheltering_for_profit"] = True
    return facts


def _quarrel_facts(rng: np.random.Generator, table: Jurisdiction, charge: str) -> Draw:
    ground = _pick(rng, {"minor": 0.4, "slight": 0.2, "acts": 0.15, "armed": 0.15, "taken": 0.1})
    facts: Draw = {
        "acts": 3 + int(rng.poisson(0.5)) if ground == "acts" else 1,
        "minor_injuries": 1 if ground == "minor" else 0,
        "slight_injuries": 2 if ground == "slight" else int(rng.poisson(0.3)),
        "quarrel_armed": ground == "armed",
        "quarrel_taken_yuan": round(_log_uniform(rng, 1000, 8000), -1) if ground == "taken" else 0,
        "quarrel_public_disorder": bool(rng.uniform() < 0.05),
        "quarrel_gang_leader": bool(rng.uniform() < 0.1),
    }
    return facts


def _embezzlement_facts(rng: np.random.Generator, table: Jurisdiction, charge: str) -> Draw:
    return {
        "amount_yuan": _by_thresholds(rng, table, charge, (0.85, 0.13, 0.02), 2),
        "acts": 1 if rng.uniform() < 0.4 else int(rng.integers(2, 12)),
    }


def _fundraising_facts(rng: np.random.Generator, table: Jurisdiction, charge: str) -> Draw:
    t = table.charge_table(charge)
    large, huge = t.threshold("large"), t.threshold("huge")
    return {
        "amount_yuan": _amount_in_bands(rng, ((0.6, large, huge), (0.4, huge, huge * 30))),
        "fundraising_grave_effect": bool(rng.uniform() < 0.05),
    }


def _obstruction_facts(rng: np.random.Generator, table: Jurisdiction, charge: str) -> Draw:
    return {
        "slight_injuries": int(rng.poisson(0.6)),
        "minor_injuries": int(rng.uniform() < 0.05),
        "obstruction_damage_yuan": 0 if rng.uniform() < 0.8 else round(_log_uniform(rng, 500, 20_000), -1),
        "obstruction_grave_consequence": bool(rng.uniform() < 0.02),
    }


def _affray_facts(rng: np.random.Generator, table: Jurisdiction, charge: str) -> Draw:
    return {
        "acts": 1 if rng.uniform() < 0.9 else int(rng.integers(2, 4)),
        "affray_participants": int(rng.integers(6, 21)),
        "slight_injuries": int(rng.poisson(1.0)),
        "minor_injuries": int(rng.uniform() < 0.25),
        "affray_armed": bool(rng.uniform() < 0.5),
        "affray_public_disorder": bool(rng.uniform() < 0.1),
        "affray_large_scale": bool(rng.uniform() < 0.05),
    }


def _detention_facts(rng: np.random.Generator, table: Jurisdiction, charge: str) -> Draw:
    return {
        "detention_hours": round(12 + float(rng.gamma(2.0, 20.0))),
        "detention_victims": 1 if rng.uniform() < 0.85 else int(rng.integers(2, 4)),
        "slight_injuries": int(rng.poisson(0.5)),
        "minor_injuries": int(rng.uniform() < 0.1),
        "serious_injuries": int(rng.uniform() < 0.03),
    }


def _rape_facts(rng: np.random.Generator, table: Jurisdiction, charge: str) -> Draw:
    child = bool(rng.uniform() < 0.2)
    return {
        "rape_victims": 1 if rng.uniform() < 0.9 else int(rng.integers(2, 4)),
        "acts": 1 if rng.uniform() < 0.8 else int(rng.integers(2, 4)),
        "rape_child_victim": child,
        "rape_child_under_10": child and bool(rng.uniform() < 0.2),
        "rape_gang": bool(rng.uniform() < 0.05),
        "rape_in_public": bool(rng.uniform() < 0.01),
        "rape_heinous": bool(rng.uniform() < 0.03),
        "minor_injuries": int(rng.uniform() < 0.1),
        "serious_injuries": int(rng.uniform() < 0.02),
    }


def _card_facts(rng: np.random.Generator, table: Jurisdiction, charge: str) -> Draw:
    if rng.uniform() < 0.75:  # a malicious overdraft: 法释〔2018〕19号 第8条's own thresholds
        return {"card_overdraft_yuan": _amount_in_bands(rng, ((0.9, 50_000, 500_000), (0.1, 500_000, 3_000_000)))}
    return {"amount_yuan": _by_thresholds(rng, table, charge, (0.8, 0.2, 0.0), 1)}


def _contract_facts(rng: np.random.Generator, table: Jurisdiction, charge: str) -> Draw:
    return {
        "amount_yuan": _by_thresholds(rng, table, charge, (0.5, 0.35, 0.15), 5),
        "acts": 1 if rng.uniform() < 0.7 else int(rng.integers(2, 5)),
    }


def _deposits_facts(rng: np.random.Generator, table: Jurisdiction, charge: str) -> Draw:
    amount = _by_thresholds(rng, table, charge, (0.65, 0.3, 0.05), 2)
    return {
        "amount_yuan": amount,
        "depositors": int(min(20_000, max(30, amount / _log_uniform(rng, 5_000, 50_000)))),
        "deposit_loss_yuan": round(amount * float(rng.uniform(0.2, 0.7)), -1),
    }


def _concealing_facts(rng: np.random.Generator, table: Jurisdiction, charge: str) -> Draw:
    return {
        "amount_yuan": _amount_in_bands(rng, ((0.8, 3_000, 100_000), (0.2, 100_000, 1_000_000))),
        "acts": 1 if rng.uniform() < 0.5 else int(rng.integers(2, 13)),
    }


def _prostitution_facts(rng: np.random.Generator, table: Jurisdiction, charge: str) -> Draw:
    u = rng.uniform()
    persons = int(rng.integers(2, 7)) if u < 0.8 else int(rng.integers(10, 21)) if u < 0.9 else 1
    return {
        "prostitution_persons": persons,
        "prostitution_induced": 1 if persons == 1 else 0,
        "prostitution_vulnerable": int(rng.uniform() < 0.1),
        "prostitution_profit_yuan": round(_log_uniform(rng, 2_000, 60_000), -1) if rng.uniform() < 0.7 else 0,
    }


_FACTS = {
    "theft": _property_facts,
    "fraud": _property_facts,
    "intentional_injury": _injury_facts,
    "dangerous_driving": _driving_facts,
    "robbery": _robbery_facts,
    "snatching": _snatching_facts,
    "extortion": _extortion_facts,
    "traffic_accident": _traffic_facts,
    "drug_trafficking": _drug_facts,
    "drug_possession": _drug_facts,
    "sheltering_drug_use": _sheltering_facts,
    "picking_quarrels": _quarrel_facts,
    "employee_embezzlement": _embezzlement_facts,
    "fundraising_fraud": _fundraising_facts,
    "obstructing_official_duties": _obstruction_facts,
    "affray": _affray_facts,
    "illegal_detention": _detention_facts,
    "rape": _rape_facts,
    "credit_card_fraud": _card_facts,
    "contract_fraud": _contract_facts,
    "illegal_deposits": _deposits_facts,
    "concealing_proceeds": _concealing_facts,
    "prostitution_procuring": _prostitution_facts,
}


def _draw_document(
    rng: np.random.Generator, index: int, jurisdiction: str, shares: tuple[tuple[str, float], ...] = FOUR_CHARGES
) -> dict[str, Any]:
    table = load_jurisdiction(jurisdiction)
    catalogue = load_catalogue()
    charge = _pick(rng, dict(shares))
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
    facts = _FACTS[charge](rng, table, charge)
    victim_possible = charge != "dangerous_driving" or bool(facts["caused_accident"])

    def applies(factor: str) -> bool:
        return catalogue.factor(factor).applies_to(charge)

    c: dict[str, Any] = {}
    if applies("attempt"):
        c["attempt"] = bool(rng.uniform() < (0.05 if charge in ("theft", "fraud") else 0.03))
    if applies("restitution"):
        c["restitution"] = bool(rng.uniform() < 0.45)
    if applies("accessory"):
        c["accessory"] = bool(rng.uniform() < 0.10)
    c["deaf_mute_or_blind"] = bool(rng.uniform() < 0.003)
    if applies("vulnerable_victim"):
        c["vulnerable_victim"] = bool(victim_possible and rng.uniform() < 0.05)
    c["disaster_or_epidemic"] = bool(rng.uniform() < 0.01)
    c["surrender"] = bool(rng.uniform() < 0.25)
    if not c["surrender"]:
        c["confession"] = _pick(
            rng, {"none": 0.365, "ordinary": 0.6, "heavier_same_type": 0.03, "averted_serious_harm": 0.005}
        )
    c["guilty_plea_in_court"] = bool(rng.uniform() < 0.5)
    c["meritorious_service"] = _pick(rng, {"none": 0.965, "ordinary": 0.03, "major": 0.005})
    if applies("compensation") and victim_possible and rng.uniform() < COMPENSATED.get(charge, 0.15):
        c["compensation"] = _pick(
            rng, {"compensation_and_forgiveness": 0.6, "compensation_only": 0.3, "forgiveness_only": 0.1}
        )
    if applies("reconciliation"):
        c["reconciliation"] = bool(rng.uniform() < (0.15 if charge == "intentional_injury" else 0.04))
    c["good_conduct_in_custody"] = bool(rng.uniform() < 0.2)
    c["plea_agreement"] = bool(rng.uniform() < 0.75)
    if applies("recidivist"):
        c["recidivist"] = bool(age >= 20 and rng.uniform() < 0.12)
    c["prior_record"] = bool(age >= 19 and rng.uniform() < 0.2)
    c["limited_capacity"] = bool(rng.uniform() < 0.01)
    if applies("fled"):
        c["fled"] = bool(rng.uniform() < 0.06)
    c["during_probation"] = bool(age >= 19 and rng.uniform() < 0.02)
    taken = sum(float(facts.get(f, 0)) for f in RETURNABLE_SUMS)
    if not c.get("restitution", True) and taken > 0 and rng.uniform() < 0.15:
        c["restitution_yuan"] = round(taken * float(rng.uniform(0.1, 0.9)), -1)
    own = FIRST_GENERATOR_OWN.get(charge) or tuple(  # the crime's own circumstances (of three charges or fewer)
        spec.id for spec in catalogue.factors_for(charge)
        if spec.group is FactorGroup.CIRCUMSTANCE and spec.type is FactorType.BOOLEAN and len(spec.charges) <= 3
    )  # fmt: skip
    for circumstance in own:
        c[circumstance] = bool(rng.uniform() < OWN_CIRCUMSTANCES.get(circumstance, 0.05))
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


def draw_cases(
    count: int, seed: int, jurisdiction: str = "default", shares: tuple[tuple[str, float], ...] = FOUR_CHARGES
) -> list[Case]:
    """Realistic, validated cases drawn as the judgments' cases are (without sentences), for benchmarks and audits: of
    the first generator's four charges unless ``shares`` says otherwise."""
    rng = np.random.default_rng(seed)
    table = load_jurisdiction(jurisdiction)
    return [parse_case(_draw_document(rng, i, jurisdiction, shares), jurisdiction=table) for i in range(count)]


def _draw_row_by_row(
    rng: np.random.Generator, spec: GeneratorSpec, jurisdiction: Jurisdiction
) -> tuple[pd.DataFrame, NDArray[np.int64], NDArray[np.float64]]:
    """Generator 2.1: each row's case document drawn, validated and made features, its judge and noise drawn after it,
    in the order they have always been taken from the stream (the same bytes as every data set drawn before 3.0)."""
    cases: list[Case] = []
    judges = np.zeros(spec.rows, dtype=np.int64)
    noise = np.zeros(spec.rows)
    for index in range(spec.rows):
        cases.append(
            parse_case(_draw_document(rng, index, spec.jurisdiction, spec.charge_shares), jurisdiction=jurisdiction)
        )
        judges[index] = int(rng.integers(spec.judges))
        noise[index] = libm.exp(float(rng.normal(0.0, spec.case_sd)))
    return feature_frame(cases), judges, noise


def generate_judgments(spec: GeneratorSpec | None = None) -> JudgmentSet:
    """Draw ``spec.rows`` judgments; the same spec always gives the same frame, byte for byte."""
    spec = spec or GeneratorSpec()
    rng = np.random.default_rng(spec.seed)
    leniency = libm.exp(rng.normal(0.0, spec.judge_sd, size=spec.judges))  # the C library's exp: the same on every CPU
    jurisdiction = load_jurisdiction(spec.jurisdiction)
    case_ids = [f"J{index:07d}" for index in range(spec.rows)]
    if spec.version == "2.1":
        features, judges, noise = _draw_row_by_row(rng, spec, jurisdiction)
    else:
        features = draw_feature_frame(rng, spec.rows, jurisdiction, spec.charge_shares)
        judges = rng.integers(spec.judges, size=spec.rows)
        noise = libm.exp(rng.normal(0.0, spec.case_sd, size=spec.rows))
    # the guideline engine's numbers for every row at once (sentencing.terms: equal to derive_sentence's, tested)
    terms = guideline_terms(features, jurisdiction)
    guideline_months = terms.recommended_months
    term = guideline_months * leniency[judges] * noise
    for effect in spec.bias:
        term = np.where(features[effect.factor].to_numpy(dtype=object) == effect.value, term * effect.multiplier, term)
    term = np.minimum(np.maximum(term, terms.limit_low), terms.limit_high)
    # a court pronounces whole months, at least one (half to even, as Python's round); a guideline without a
    # custodial term gives none
    sentences = np.where(guideline_months == 0, 0.0, np.maximum(1.0, np.rint(term)))
    # joined at once: one column at a time fragments a frame of a hundred-odd catalogue columns (pandas warns)
    frame = pd.concat(
        [
            pd.DataFrame({"case_id": case_ids}, index=features.index),
            features,
            pd.DataFrame(
                {"judge_id": judges, "guideline_months": guideline_months, "sentence_months": sentences},
                index=features.index,
            ),
        ],
        axis=1,
    )
    truth: dict[str, Any] = {
        "schema_version": "1.0",
        "generator_version": spec.version,
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


_CSV_SPECIAL = re.compile(r'[,"\r\n]')


def _csv_cells(column: pd.Series) -> list[str] | None:
    """A column's cells as ``DataFrame.to_csv(float_format="%.6g")`` writes them, or None where this cannot be sure
    (a missing or infinite number, a text needing quotes, another type): pandas then writes the whole frame."""
    kind = column.dtype.kind
    if kind == "f":
        values = column.to_numpy(dtype=np.float64)
        if not np.isfinite(values).all():
            return None
        if ((values == 0.0) | (values == 1.0)).all() and not np.signbit(values).any():  # a yes/no fact
            return np.where(values == 1.0, "1", "0").tolist()  # type: ignore[no-any-return]
        distinct, inverse = np.unique(values, return_inverse=True)
        texts = np.array(["%.6g" % v for v in distinct.tolist()], dtype=object)  # noqa: UP031  # pandas' own formatting
        return texts[inverse.ravel()].tolist()  # type: ignore[no-any-return]
    if kind in "iu":
        return [str(v) for v in column.to_numpy().tolist()]
    if kind == "b":
        return [str(v) for v in column.to_numpy().tolist()]
    cells = column.to_numpy(dtype=object).tolist()
    if not all(type(c) is str and c and not _CSV_SPECIAL.search(c) for c in set(cells)):
        return None
    return cells  # type: ignore[no-any-return]


def frame_to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """The frame's canonical CSV: pandas' ``to_csv(index=False, lineterminator="\\n", float_format="%.6g")``, byte for
    byte. A frame of numbers and plain ids (a judgments frame) is written by columns, many times faster (a million
    judgments: seconds, not minutes); anything else by pandas itself."""
    names = [str(name) for name in frame.columns]
    columns = [_csv_cells(frame.iloc[:, i]) for i in range(frame.shape[1])] if len(frame) else []
    if (
        not len(frame)
        or any(cells is None for cells in columns)
        or any(not name or _CSV_SPECIAL.search(name) for name in names)
    ):
        buffer = io.StringIO()
        frame.to_csv(buffer, index=False, lineterminator="\n", float_format="%.6g")
        return buffer.getvalue().encode("utf-8")
    lines = [",".join(names), *map(",".join, zip(*columns, strict=True))]
    return ("\n".join(lines) + "\n").encode("utf-8")


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
