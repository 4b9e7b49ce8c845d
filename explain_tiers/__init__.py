"""explain_tiers: the standard and deep reports, and the challenge findings.

Not built yet (issue 4). It will stand on ``sentencing`` and ``counterfactuals``.
"""

__all__: list[str] = []
