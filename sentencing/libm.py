"""exp, log, log1p and expm1 from the C library, element by element: the same bits on every CPU.

numpy chooses its loops for these functions by the CPU it runs on: with AVX-512 it uses its own vectorised ``exp`` and
``log`` and SVML's ``log1p`` and ``expm1``, whose results differ from the C library's in the last bit (numpy issue
#23523); on other CPUs it calls the C library. The synthetic judgments (log-uniform amounts, the judges' leniency, each
case's noise), the reference model's training target (log(1 + months)) and its answers go through these functions, so
with numpy's loops the same code built a different model on a machine with AVX-512 (the reference model's sha256 was
f37aee38… there and 03889be0… here, from the same code and seed). Element by element with :mod:`math` they are the
C library's everywhere (on a CPU without AVX-512 they equal numpy's bit for bit, tested): about 0.12 s per million
values, against the seconds a million judgments take to draw.
"""

from __future__ import annotations

import math
from typing import Any, overload

import numpy as np
from numpy.typing import NDArray

__all__ = ["exp", "expm1", "log", "log1p"]


class _Elementwise:
    """One function of :mod:`math`, on a number (a float back) or an array (a float64 array back)."""

    def __init__(self, name: str) -> None:
        self._scalar = getattr(math, name)
        self._array = np.frompyfunc(self._scalar, 1, 1)

    @overload
    def __call__(self, x: float) -> float: ...
    @overload
    def __call__(self, x: NDArray[Any]) -> NDArray[np.float64]: ...
    def __call__(self, x: Any) -> Any:
        if np.ndim(x) == 0:
            return self._scalar(float(x))
        return np.asarray(self._array(np.asarray(x, dtype=np.float64)), dtype=np.float64)


exp = _Elementwise("exp")
log = _Elementwise("log")
log1p = _Elementwise("log1p")
expm1 = _Elementwise("expm1")
