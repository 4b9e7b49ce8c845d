"""counterfactuals: live what-if, exact minimal-change search, and legally-irrelevant-factor tests.

Stands on ``sentencing`` only. Its operations join the replayable-operation registry through
:func:`register_counterfactual_operations`.
"""

from counterfactuals.dice_search import DICE_METHODS, find_with_dice
from counterfactuals.edits import Change, apply_changes, parse_assignments, parse_value
from counterfactuals.operations import SEARCH_METHODS, QuestionOperations, register_counterfactual_operations
from counterfactuals.search import Counterfactual, SearchResult, Target, find_minimal_changes, search_space
from counterfactuals.sensitivity import IrrelevantFactorFinding, SensitivityResult, probe_irrelevant_factors
from counterfactuals.whatif import Divergence, DivergencePolicy, WhatIfResult, ask_disputed_fact, ask_what_if

__all__ = [
    "DICE_METHODS",
    "SEARCH_METHODS",
    "Change",
    "Counterfactual",
    "Divergence",
    "DivergencePolicy",
    "IrrelevantFactorFinding",
    "QuestionOperations",
    "SearchResult",
    "SensitivityResult",
    "Target",
    "WhatIfResult",
    "apply_changes",
    "ask_disputed_fact",
    "ask_what_if",
    "find_minimal_changes",
    "find_with_dice",
    "parse_assignments",
    "parse_value",
    "probe_irrelevant_factors",
    "register_counterfactual_operations",
    "search_space",
]
