"""counterfactuals: live what-if, exact minimal-change search, legally-irrelevant-factor tests.

Not built yet (issue 3). It will stand on ``sentencing`` only and add its operations to the
registry it is given (``sentencing.operations``).
"""

__all__: list[str] = []
