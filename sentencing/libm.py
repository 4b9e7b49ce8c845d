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

_UFUNCS = {f: np.frompyfunc(getattr(math, f), 1, 1) for f in ("exp", "log", "log1p", "expm1")}


def _apply(name: str, x: Any) -> Any:
    if np.ndim(x) == 0:
        return getattr(math, name)(float(x))
    values = np.asarray(x, dtype=np.float64)
    return np.asarray(_UFUNCS[name](values), dtype=np.float64)


@overload
def exp(x: float) -> float: ...
@overload
def exp(x: NDArray[Any]) -> NDArray[np.float64]: ...
def exp(x: Any) -> Any:
    return _apply("exp", x)


@overload
def log(x: float) -> float: ...
@overload
def log(x: NDArray[Any]) -> NDArray[np.float64]: ...
def log(x: Any) -> Any:
    return _apply("log", x)


@overload
def log1p(x: float) -> float: ...
@overload
def log1p(x: NDArray[Any]) -> NDArray[np.float64]: ...
def log1p(x: Any) -> Any:
    return _apply("log1p", x)


@overload
def expm1(x: float) -> float: ...
@overload
def expm1(x: NDArray[Any]) -> NDArray[np.float64]: ...
def expm1(x: Any) -> Any:
    return _apply("expm1", x)
