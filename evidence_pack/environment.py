"""The machine a result was computed on: exact package versions, Python, platform, CPU, BLAS.

Written into a pack at sealing and compared at replay, so that a numerical drift can be traced to
what differs (another BLAS, another CPU, another library version).
"""

from __future__ import annotations

import os
import platform
import sys
from importlib import metadata
from typing import Any

__all__ = ["describe_environment", "environment_differences", "installed_packages"]

_KEY_PACKAGES = ("voirdire", "numpy", "pandas", "scipy", "scikit-learn", "joblib", "lime", "shap", "dice-ml",
                 "weasyprint", "cryptography", "bagit")  # fmt: skip


def installed_packages() -> dict[str, str]:
    found: dict[str, str] = {}
    for distribution in metadata.distributions():
        name = distribution.metadata["Name"]
        if name:
            found[name.lower().replace("_", "-")] = distribution.version
    return dict(sorted(found.items()))


def _blas() -> dict[str, Any]:
    import numpy

    try:
        config: Any = numpy.show_config(mode="dicts")
        dependencies: dict[str, dict[str, Any]] = config.get("Build Dependencies", {})
        return {
            kind: {
                "name": dependencies.get(kind, {}).get("name"),
                "version": dependencies.get(kind, {}).get("version"),
                "configuration": dependencies.get(kind, {}).get("openblas configuration"),
            }
            for kind in ("blas", "lapack")
        }
    except Exception as exc:  # numpy's build report varies by build; its absence is itself a fact
        return {"unavailable": f"{type(exc).__name__}: {exc}"}


def describe_environment() -> dict[str, Any]:
    packages = installed_packages()
    return {
        "python": {"version": platform.python_version(), "implementation": platform.python_implementation(),
                   "executable_prefix": sys.prefix},
        "platform": {"system": platform.system(), "release": platform.release(), "machine": platform.machine(),
                     "processor": platform.processor() or platform.machine(), "cpu_count": os.cpu_count(),
                     "description": platform.platform()},
        "blas": _blas(),
        "key_packages": {name: packages.get(name) for name in _KEY_PACKAGES},
    }  # fmt: skip


def environment_differences(sealed: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """What differs between the sealing machine and this one, in the parts that can move a number."""
    differences: list[str] = []
    for section, fields in (("python", ("version",)), ("platform", ("system", "machine", "processor")),
                            ("blas", ("blas",)), ("key_packages", tuple(_KEY_PACKAGES))):  # fmt: skip
        for field in fields:
            before = (sealed.get(section) or {}).get(field)
            after = (current.get(section) or {}).get(field)
            if before != after:
                differences.append(f"{section}.{field}: sealed {before!r}, here {after!r}")
    return differences
