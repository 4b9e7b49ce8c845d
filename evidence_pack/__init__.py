"""evidence_pack: seal, verify and replay the sealed evidence pack.

Not built yet (issue 6). It will replay through ``sentencing.operations`` without importing ``hearing``.
"""

__all__: list[str] = []
