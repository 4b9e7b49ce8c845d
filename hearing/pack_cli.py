"""The evidence-pack commands of ``voirdire``: keys, sealing, publishing what others need, verify, replay, appeal.

``verify``, ``replay`` and ``appeal`` need no database and no network: what they trust (the
sealers' published keys, the court's root, the TSA's root, the docket) is given as files, the
ones ``voirdire publish`` writes for the court to hand over with a pack.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hearing.text_views import render_replay, render_verdict
from sentencing.errors import InputError
from sentencing.files import write_atomically
from sentencing.i18n import choose_language
from sentencing.paths import data_home

if TYPE_CHECKING:
    from evidence_pack.verify import Docket, TrustAnchors
    from hearing.service import HearingService

__all__ = ["EXIT_NOT_VERIFIED", "add_pack_commands"]

EXIT_NOT_VERIFIED = 1  # the pack did not verify, or replay did not reproduce the record


def _secret(variable: str, prompt: str) -> str:
    value = os.environ.get(variable) or getpass.getpass(prompt)
    if not value:
        raise InputError(f"{variable}: empty [missing_required_fact]")
    return value


def _service_and_token(args: argparse.Namespace) -> tuple[HearingService, str]:
    from hearing.service import HearingService
    from hearing.store import make_engine, migrate

    engine = make_engine()
    migrate(engine)
    service = HearingService(engine)
    password = _secret("VOIRDIRE_AS_PASSWORD", f"{args.as_user}'s password: ")
    return service, service.login(args.as_user, password)


def _cmd_key_create(args: argparse.Namespace) -> int:
    service, token = _service_and_token(args)
    passphrase = _secret("VOIRDIRE_PASSPHRASE", "passphrase for the new sealing key (8+ characters): ")
    fingerprint = service.create_sealing_key(token, passphrase)
    print(f"sealing key for {args.as_user} created; fingerprint (sha256) {fingerprint}")
    print("the private key is stored encrypted with the passphrase; it never enters a pack")
    return 0


def _cmd_court_ca(args: argparse.Namespace) -> int:
    service, token = _service_and_token(args)
    passphrase = _secret("VOIRDIRE_CA_PASSPHRASE", "passphrase for the court CA's key (8+ characters): ")
    root = service.create_court_authority(token, args.name, passphrase)
    write_atomically(Path(args.out), root.encode("ascii"))
    print(f"the court's root certificate is in {args.out}: publish it; it verifies sealers' certificates")
    return 0


def _cmd_key_certify(args: argparse.Namespace) -> int:
    service, token = _service_and_token(args)
    passphrase = _secret("VOIRDIRE_CA_PASSPHRASE", "the court CA's passphrase: ")
    service.certify_sealing_key(token, args.user, passphrase)
    print(f"the court's certificate for {args.user}'s sealing key is stored; it travels in each pack they seal")
    return 0


def _cmd_seal(args: argparse.Namespace) -> int:
    from evidence_pack.archive import export_archive

    service, token = _service_and_token(args)
    passphrase = _secret("VOIRDIRE_PASSPHRASE", "passphrase of your sealing key: ")
    out = Path(args.out) if args.out else data_home() / "packs"
    sealed = service.seal(token, args.hearing, passphrase, out, model_travels=not args.escrow_model)
    print(f"sealed pack version {sealed.version}: {sealed.path}")
    print(f"pack digest (sha256 of seal/statement.json): {sealed.digest}")
    print(f"hearing record: {sealed.record_length} entries, head {sealed.record_head}")
    if args.archive:
        archive, digest = export_archive(sealed.path)
        print(f"archive: {archive} (sha256 {digest}; also in {archive.name}.sha256)")
    return 0


def _cmd_publish(args: argparse.Namespace) -> int:
    """What the court hands over with its packs: sealers' keys, its CA root, its TSA root, its docket."""
    from evidence_pack.timestamp import LocalTimestampAuthority

    service, token = _service_and_token(args)
    out = Path(args.out)
    anchors = service.trust_anchors(token)
    for sealer in anchors["sealers"]:
        name = f"{sealer['username']}-{sealer['fingerprint'][:16]}{'-retired' if sealer['retired'] else ''}.pub.pem"
        write_atomically(out / "sealers" / name, sealer["public_pem"].encode("ascii"))
    if anchors["court_root_pem"]:
        write_atomically(out / "court-root.pem", anchors["court_root_pem"].encode("ascii"))
    local_tsa = data_home() / "tsa"
    if not os.environ.get("VOIRDIRE_TSA_URL") and (local_tsa / "tsa.cnf").is_file():
        write_atomically(out / "tsa-root.pem", LocalTimestampAuthority(local_tsa).root_pem.read_bytes())
    docket = service.docket(token)
    write_atomically(out / "docket.json", json.dumps(docket.to_dict(), indent=2).encode("utf-8"))
    extras = [name for name in ("court-root.pem", "tsa-root.pem") if (out / name).is_file()]
    print(f"published to {out}: {len(anchors['sealers'])} sealer key(s), docket of {len(docket.entries)} pack(s)"
          + "".join(f", {name}" for name in extras))  # fmt: skip
    return 0


def _trust(args: argparse.Namespace) -> tuple[TrustAnchors, Docket | None]:
    from evidence_pack.verify import Docket, TrustAnchors

    published = Path(args.published) if args.published else None
    keys = [Path(k) for k in args.key or []]
    court_root = Path(args.ca) if args.ca else None
    tsa_root = Path(args.tsa_root) if args.tsa_root else None
    docket_file = Path(args.docket) if args.docket else None
    if published is not None:
        if not published.is_dir():
            raise InputError(f"--published {published}: not a folder written by `voirdire publish` [file_unreadable]")
        keys += sorted((published / "sealers").glob("*.pub.pem"))
        court_root = court_root or (
            (published / "court-root.pem") if (published / "court-root.pem").is_file() else None
        )
        tsa_root = tsa_root or ((published / "tsa-root.pem") if (published / "tsa-root.pem").is_file() else None)
        docket_file = docket_file or ((published / "docket.json") if (published / "docket.json").is_file() else None)
    anchors = TrustAnchors.from_files(keys, court_root, tsa_root)
    return anchors, (Docket.load(docket_file) if docket_file else None)


def _cmd_verify(args: argparse.Namespace) -> int:
    from evidence_pack.verify import verify_pack

    anchors, docket = _trust(args)
    verdict = verify_pack(Path(args.pack), anchors, docket)
    if args.json:
        print(json.dumps(verdict.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(render_verdict(verdict, choose_language(args.lang)))
    return 0 if verdict.ok else EXIT_NOT_VERIFIED


def _cmd_replay(args: argparse.Namespace) -> int:
    from evidence_pack.replay import replay_pack

    anchors, docket = _trust(args)
    report = replay_pack(Path(args.pack), anchors, docket=docket, model=args.model)
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(render_replay(report, choose_language(args.lang)))
    return 0 if report.ok else EXIT_NOT_VERIFIED


def _cmd_appeal(args: argparse.Namespace) -> int:
    from evidence_pack.replay import AppellateSession

    anchors, _ = _trust(args)
    try:
        parameters: Any = json.loads(args.parameters)
    except ValueError as exc:
        raise InputError(f"--parameters: not JSON ({exc}) [file_not_json]") from None
    if not isinstance(parameters, dict):
        raise InputError("--parameters: must be a JSON object [wrong_type]")
    session = AppellateSession(Path(args.pack), anchors, Path(args.record), args.party, model=args.model)
    outcome, seq = session.query(args.operation, parameters)
    if args.json:
        print(json.dumps({"seq": seq, **outcome.to_dict()}, ensure_ascii=False, indent=2))
    else:
        print(f"appellate record {args.record}: entry {seq}, chained to pack {session.digest[:16]}…")
        print(json.dumps(outcome.result, ensure_ascii=False, indent=2))
    return 0


def _cmd_archive(args: argparse.Namespace) -> int:
    from evidence_pack.archive import export_archive

    archive, digest = export_archive(Path(args.pack), Path(args.out) if args.out else None)
    print(f"{archive}  sha256 {digest}")
    return 0


def _cmd_serve_tsa(args: argparse.Namespace) -> int:
    from evidence_pack.timestamp import LocalTimestampAuthority, make_timestamp_server

    authority = LocalTimestampAuthority.open_or_create(Path(args.folder) if args.folder else data_home() / "tsa")
    server = make_timestamp_server(authority, args.host, args.port)
    host, port = server.server_address[:2]
    print(f"voirdire: RFC 3161 timestamp authority on http://{host!s}:{port}/ (root: {authority.root_pem})",
          file=sys.stderr, flush=True)  # fmt: skip
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def add_pack_commands(sub: Any, common: Callable[..., None]) -> None:
    def as_user(p: argparse.ArgumentParser) -> None:
        p.add_argument("--as", dest="as_user", metavar="USER", required=True,
                       help="who acts (password from $VOIRDIRE_AS_PASSWORD, else asked)")  # fmt: skip

    def trust(p: argparse.ArgumentParser) -> None:
        p.add_argument("pack", metavar="PACK", help="a pack folder or its .tar archive")
        p.add_argument(
            "--published", metavar="DIR", help="a folder written by `voirdire publish` (keys, roots, docket)"
        )
        p.add_argument("--key", action="append", metavar="PEM", help="a sealer's published public key (repeatable)")
        p.add_argument("--ca", metavar="PEM", help="the court CA's root certificate")
        p.add_argument("--tsa-root", metavar="PEM", help="the timestamp authority's root certificate")
        p.add_argument("--docket", metavar="JSON", help="the court's docket, to catch a superseded pack")

    p = sub.add_parser("key-create", help="(judge) create your sealing key; the private half is stored encrypted")
    as_user(p)
    p.set_defaults(run=_cmd_key_create)

    p = sub.add_parser("court-ca", help="(technologist) create the court's certificate authority (once)")
    as_user(p)
    p.add_argument("--name", required=True, help="the court's name, as on its certificate")
    p.add_argument("--out", required=True, metavar="PEM", help="where to write the root certificate to publish")
    p.set_defaults(run=_cmd_court_ca)

    p = sub.add_parser("key-certify", help="(technologist) issue the court's certificate for a user's sealing key")
    as_user(p)
    p.add_argument("user")
    p.set_defaults(run=_cmd_key_certify)

    p = sub.add_parser("seal", help="(judge) seal a closed hearing into a signed, timestamped evidence pack")
    as_user(p)
    p.add_argument("hearing", type=int, metavar="HEARING_ID")
    p.add_argument("--out", metavar="DIR", help="where to write the pack (default: <data home>/packs)")
    p.add_argument("--archive", action="store_true", help="also write the pack as one .tar with its sha256")
    p.add_argument("--escrow-model", action="store_true", help="the model may not travel: write an escrow record")
    p.set_defaults(run=_cmd_seal)

    p = sub.add_parser("publish", help="write what verifiers need: sealers' keys, court and TSA roots, the docket")
    as_user(p)
    p.add_argument("--out", required=True, metavar="DIR")
    p.set_defaults(run=_cmd_publish)

    p = sub.add_parser("verify", help="verify a pack offline (no database, no network); exit 1 if it fails")
    trust(p)
    common(p, model=False)
    p.set_defaults(run=_cmd_verify)

    p = sub.add_parser(
        "replay", help="verify a pack, then re-run every recorded query and compare; exit 1 if any differs"
    )
    trust(p)
    p.add_argument("--model", metavar="PATH", help="the escrowed model's copy, when the model did not travel")
    common(p, model=False)
    p.set_defaults(run=_cmd_replay)

    p = sub.add_parser("appeal", help="(appellate court) a new query against the sealed model, chained to the pack")
    trust(p)
    p.add_argument("--record", required=True, metavar="FILE", help="the appellate session's record (JSON lines)")
    p.add_argument("--party", required=True, help="who asks, as it should appear in the record")
    p.add_argument("--operation", required=True, help="predict, whatif, counterfactual, sensitivity, report, ...")
    p.add_argument("--parameters", default="{}", metavar="JSON", help='e.g. \'{"changes": {"surrender": false}}\'')
    p.add_argument("--model", metavar="PATH", help="the escrowed model's copy, when the model did not travel")
    common(p, model=False)
    p.set_defaults(run=_cmd_appeal)

    p = sub.add_parser("archive", help="write a pack folder as one .tar file with its sha256")
    p.add_argument("pack", metavar="PACK_DIR")
    p.add_argument("--out", metavar="FILE")
    p.set_defaults(run=_cmd_archive)

    p = sub.add_parser("serve-tsa", help="serve the local offline TSA over RFC 3161 HTTP (demos, tests)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=3161)
    p.add_argument("--folder", metavar="DIR", help="the TSA's folder (default: <data home>/tsa)")
    p.set_defaults(run=_cmd_serve_tsa)
