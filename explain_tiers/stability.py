"""How far LIME's story holds across seeds and sample sizes, beside the stabilised attribution.

*Raw stability*: the LIME library as usually run (perturbations at the population's frequencies),
for each sample size, over seeds 0..n-1: how often the top-k set and the top-k order equal the most
common ones. The stabilised attribution (``surrogate.py``) is reported beside it, with its spread.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from explain_tiers.attribution import Attribution
from explain_tiers.stabilised_attribution import StabilisedAttribution

__all__ = ["SizeStability", "StabilityReport", "measure_stability"]


@dataclass(frozen=True)
class SizeStability:
    samples: int
    seeds: int
    modal_top: tuple[str, ...]
    set_agreement: float
    order_agreement: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "samples": self.samples,
            "seeds": self.seeds,
            "modal_top": list(self.modal_top),
            "set_agreement": self.set_agreement,
            "order_agreement": self.order_agreement,
        }


@dataclass(frozen=True)
class StabilityReport:
    top_k: int
    sizes: tuple[SizeStability, ...]
    stabilised: StabilisedAttribution

    @property
    def raw_set_agreement(self) -> float:
        """Agreement at the largest sample size: what a single LIME run of the usual size can promise."""
        return self.sizes[-1].set_agreement

    def to_dict(self) -> dict[str, Any]:
        return {
            "top_k": self.top_k,
            "sizes": [s.to_dict() for s in self.sizes],
            "stabilised": self.stabilised.to_dict(),
        }


def _agreement(tops: Sequence[tuple[str, ...]]) -> tuple[tuple[str, ...], float, float]:
    sets = Counter(frozenset(t) for t in tops)
    orders = Counter(tops)
    modal_order, order_count = sorted(orders.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    # set agreement: the share of seeds giving the most common top-k set (never less than the modal order's)
    return modal_order, round(max(sets.values()) / len(tops), 4), round(order_count / len(tops), 4)


def measure_stability(
    raw: Callable[[int, int], Attribution],
    stabilised: StabilisedAttribution,
    *,
    seeds: int = 10,
    sample_sizes: Sequence[int] = (1000, 5000),
    k: int = 5,
    base_seed: int = 0,
) -> StabilityReport:
    """``raw(seed, samples)`` builds a fresh LIME explainer and explains the case."""
    sizes = []
    for samples in sample_sizes:
        tops = [raw(base_seed + seed, samples).top(k) for seed in range(seeds)]
        modal, set_agreement, order_agreement = _agreement(tops)
        sizes.append(SizeStability(samples, seeds, modal, set_agreement, order_agreement))
    return StabilityReport(k, tuple(sizes), stabilised)
