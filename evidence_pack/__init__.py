"""evidence_pack: seal, verify and replay the sealed evidence pack (EVIDENCE_PACK.md).

Seal (:func:`seal_pack`): a closed hearing's case, model, reports, record, ruling, environment,
provenance and replay facts as a BagIt 1.0 bag, signed (Ed25519 over the tag manifest and a DSSE
statement) and timestamped (RFC 3161). Verify (:func:`verify_pack`): every check, offline, no
database, in plain words; ``VERIFY.txt`` gives the same checks as standard commands. Replay
(:func:`replay_pack`): every recorded query again against the sealed model, exact digest first,
then the stated tolerance. Stands on ``explain_tiers``, ``counterfactuals`` and ``sentencing``;
never imports ``hearing``.
"""

from evidence_pack.archive import export_archive, extract_archive, opened_pack
from evidence_pack.chain import GENESIS, ChainVerification, entry_digest, entry_line, verify_entries
from evidence_pack.registry import full_registry
from evidence_pack.replay import AppellateSession, Match, QueryReplay, ReplayReport, compare_results, replay_pack
from evidence_pack.seal import HearingTranscript, SealedPack, Sealer, SealRequest, pack_folder_name, seal_pack
from evidence_pack.signing import (
    CourtAuthority,
    SealingKey,
    create_court_authority,
    generate_sealing_key,
    issue_sealer_certificate,
    key_fingerprint,
    unlock_private_key,
)
from evidence_pack.timestamp import (
    HttpTimestampAuthority,
    LocalTimestampAuthority,
    TimestampAuthority,
    make_timestamp_server,
)
from evidence_pack.verify import CHECK_NAMES, Check, Docket, DocketEntry, TrustAnchors, Verdict, verify_pack

__all__ = [
    "CHECK_NAMES",
    "GENESIS",
    "AppellateSession",
    "ChainVerification",
    "Check",
    "CourtAuthority",
    "Docket",
    "DocketEntry",
    "HearingTranscript",
    "HttpTimestampAuthority",
    "LocalTimestampAuthority",
    "Match",
    "QueryReplay",
    "ReplayReport",
    "SealRequest",
    "SealedPack",
    "Sealer",
    "SealingKey",
    "TimestampAuthority",
    "TrustAnchors",
    "Verdict",
    "compare_results",
    "create_court_authority",
    "entry_digest",
    "entry_line",
    "export_archive",
    "extract_archive",
    "full_registry",
    "generate_sealing_key",
    "issue_sealer_certificate",
    "key_fingerprint",
    "make_timestamp_server",
    "opened_pack",
    "pack_folder_name",
    "replay_pack",
    "seal_pack",
    "unlock_private_key",
    "verify_entries",
    "verify_pack",
]
