"""The evidence-pack commands: keys, sealing, publishing what verifiers need, verify, replay, appeal, archive.

``verify``, ``replay`` and ``appeal`` need no database and no network: what they trust (the
sealers' published keys, the court's root, the TSA's root, the docket) is given as files, the
ones ``voirdire publish`` writes for the court to hand over with a pack.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cli.arguments import count, port, secret
from cli.commands.court import court_service, log_in
from cli.framework import EXIT_NOT_VERIFIED, Options, emit, language_of, settings
from cli.views.packs import render_replay, render_verdict
from sentencing.errors import InputError, Rule
from sentencing.excerpts import one_line
from sentencing.files import write_atomically

if TYPE_CHECKING:
    from evidence_pack.published import Docket, TrustAnchors
    from hearing.service import HearingService

__all__ = ["register"]


def _service_and_token(args: argparse.Namespace) -> tuple[HearingService, str]:
    service = court_service()
    return service, log_in(service, args.as_user)


def _cmd_key_create(args: argparse.Namespace) -> int:
    service, token = _service_and_token(args)
    passphrase = secret("VOIRDIRE_PASSPHRASE", "passphrase for the new sealing key (8+ characters): ")
    fingerprint = service.create_sealing_key(token, passphrase)
    print(f"sealing key for {args.as_user} created; fingerprint (sha256) {fingerprint}")
    print("the private key is stored encrypted with the passphrase; it never enters a pack")
    return 0


def _cmd_court_ca(args: argparse.Namespace) -> int:
    service, token = _service_and_token(args)
    passphrase = secret("VOIRDIRE_CA_PASSPHRASE", "passphrase for the court CA's key (8+ characters): ")
    root = service.create_court_authority(token, args.name, passphrase)
    write_atomically(Path(args.out), root.encode("ascii"))
    print(f"the court's root certificate is in {args.out}: publish it; it verifies sealers' certificates")
    return 0


def _cmd_key_certify(args: argparse.Namespace) -> int:
    service, token = _service_and_token(args)
    passphrase = None
    if service.court_root(token) is not None:
        passphrase = secret("VOIRDIRE_CA_PASSPHRASE", "the court CA's passphrase: ")
    fingerprint = service.certify_sealing_key(token, args.user, passphrase)
    print(f"{args.user}'s sealing key {fingerprint[:16]}… is approved as a sealer's key"
          + (", with the court CA's certificate (it travels in each pack they seal)" if passphrase else "")
          + "; publish again (`voirdire publish`) so that verifiers know it")  # fmt: skip
    return 0


def _cmd_seal(args: argparse.Namespace) -> int:
    from evidence_pack.archive import export_archive

    service, token = _service_and_token(args)
    passphrase = secret("VOIRDIRE_PASSPHRASE", "passphrase of your sealing key: ")
    out = Path(args.out) if args.out else settings().packs_dir
    sealed = service.seal(token, args.hearing, passphrase, out, model_travels=not args.escrow_model)
    print(f"sealed pack version {sealed.version}: {sealed.path}")
    print(f"pack digest (sha256 of seal/statement.json): {sealed.digest}")
    print(f"hearing record: {sealed.record_length} entries, head {sealed.record_head}")
    if args.archive:
        archive, digest = export_archive(sealed.path)
        print(f"archive: {archive} (sha256 {digest}; also in {archive.name}.sha256)")
    return 0


def _cmd_publish(args: argparse.Namespace) -> int:
    """What the court hands over with its packs: the key list, its CA root, its TSA root, the docket, the script."""
    from evidence_pack.timestamp import LocalTimestampAuthority
    from sentencing.untrusted import read_untrusted_file

    service, token = _service_and_token(args)
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {one_line(str(out))}", Rule.NOT_ALLOWED_VALUE, "is a file, not a folder")
    tsa_root: bytes | None = None
    configured = settings()
    if configured.tsa_url:
        tsa_root = read_untrusted_file(configured.tsa_root, limit=1 << 16) if configured.tsa_root else None
    elif (configured.local_tsa_dir / "tsa.cnf").is_file():
        tsa_root = LocalTimestampAuthority(configured.local_tsa_dir).root_pem.read_bytes()
    written = service.publish(token, out, tsa_root_pem=tsa_root)
    sealers = len(service.published_sealers(token))
    print(f"published to {out}: {len(written)} files; {sealers} approved sealing key(s), "
          f"docket of {len(service.docket(token).entries)} pack(s)"
          + ("" if tsa_root else "; no TSA root known (VOIRDIRE_TSA_ROOT)"))  # fmt: skip
    print(f"verifiers run: sha256sum -c {out / 'verify-pack.sh.sha256'} && bash {out / 'verify-pack.sh'} PACK_FOLDER")
    return 0


def _trust(args: argparse.Namespace) -> tuple[TrustAnchors, Docket | None]:
    from evidence_pack.published import SEALERS_FILE, Docket, TrustAnchors

    published = Path(args.published) if args.published else None
    sealers = Path(args.sealers) if args.sealers else None
    court_root = Path(args.ca) if args.ca else None
    tsa_root = Path(args.tsa_root) if args.tsa_root else None
    docket_file = Path(args.docket) if args.docket else None
    if published is not None:
        if not published.is_dir():
            raise InputError(
                f'--published {one_line(str(published))}', Rule.FILE_UNREADABLE,
                'not a folder written by `voirdire publish`',
            )  # fmt: skip

        def found(name: str) -> Path | None:
            return (published / name) if (published / name).is_file() else None

        sealers = sealers or found(SEALERS_FILE)
        court_root = court_root or found("court-root.pem")
        tsa_root = tsa_root or found("tsa-root.pem")
        docket_file = docket_file or found("docket.json")
    anchors = TrustAnchors.from_files(sealers, court_root, tsa_root)
    return anchors, (Docket.load(docket_file) if docket_file else None)


def _cmd_verify(args: argparse.Namespace) -> int:
    from evidence_pack.verify import verify_pack

    anchors, docket = _trust(args)
    recordings = Path(args.recordings) if args.recordings else None
    verdict = verify_pack(Path(args.pack), anchors, docket, recordings=recordings)
    emit(args, "verify", verdict.to_dict(), lambda: render_verdict(verdict, language_of(args)))
    return 0 if verdict.ok else EXIT_NOT_VERIFIED


def _cmd_replay(args: argparse.Namespace) -> int:
    from evidence_pack.replay import replay_pack

    anchors, docket = _trust(args)
    report = replay_pack(Path(args.pack), anchors, docket=docket, model=args.model)
    emit(args, "replay", report.to_dict(), lambda: render_replay(report, language_of(args)))
    return 0 if report.ok else EXIT_NOT_VERIFIED


def _cmd_appeal(args: argparse.Namespace) -> int:
    from evidence_pack.replay import AppellateSession
    from sentencing.errors import InputFileError
    from sentencing.untrusted import parse_json

    anchors, _ = _trust(args)
    try:
        parameters: Any = parse_json(args.parameters, "--parameters")
    except InputFileError as exc:
        raise InputError("--parameters", exc.rule, exc.detail) from None
    if not isinstance(parameters, dict):
        raise InputError("--parameters", Rule.WRONG_TYPE, "must be a JSON object")
    with AppellateSession(Path(args.pack), anchors, Path(args.record), args.party, model=args.model) as session:
        outcome, seq = session.query(args.operation, parameters)

    def text() -> str:
        head = f"appellate record {args.record}: entry {seq}, chained to pack {session.digest[:16]}…"
        return head + "\n" + json.dumps(outcome.result, ensure_ascii=False, indent=2)

    emit(args, "appeal", {"seq": seq, "answer": outcome.result}, text, outcome=outcome)
    return 0


def _cmd_archive(args: argparse.Namespace) -> int:
    from evidence_pack.archive import export_archive

    archive, digest = export_archive(Path(args.pack), Path(args.out) if args.out else None)
    print(f"{archive}  sha256 {digest}")
    return 0


def _cmd_serve_tsa(args: argparse.Namespace) -> int:
    from evidence_pack.timestamp import LocalTimestampAuthority, make_timestamp_server

    authority = LocalTimestampAuthority.open_or_create(Path(args.folder) if args.folder else settings().local_tsa_dir)
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


def register(sub: Any) -> None:
    def as_user(p: argparse.ArgumentParser) -> None:
        p.add_argument("--as", dest="as_user", metavar="USER", required=True,
                       help="who acts (password from $VOIRDIRE_AS_PASSWORD, else asked)")  # fmt: skip

    def trust(p: argparse.ArgumentParser) -> None:
        p.add_argument("pack", metavar="PACK", help="a pack folder or its .tar archive")
        p.add_argument(
            "--published", metavar="DIR", help="a folder written by `voirdire publish` (keys, roots, docket)"
        )
        p.add_argument("--sealers", metavar="TSV", help="the court's published key list (sealers.tsv)")
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

    p = sub.add_parser("key-certify", help="(technologist) approve a judge's sealing key (with the court CA's "
                       "certificate, where the court has a CA)")  # fmt: skip
    as_user(p)
    p.add_argument("user")
    p.set_defaults(run=_cmd_key_certify)

    p = sub.add_parser("seal", help="(judge) seal a closed hearing into a signed, timestamped evidence pack")
    as_user(p)
    p.add_argument("hearing", type=count(1, 2**31 - 1), metavar="HEARING_ID")
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
    p.add_argument("--recordings", metavar="FOLDER", help="the plea negotiation's audio/video recordings (kept by the "
                   "court): each checked against the sha256 the record holds")  # fmt: skip
    Options.common(p, model=False)
    p.set_defaults(run=_cmd_verify)

    p = sub.add_parser(
        "replay", help="verify a pack, then re-run every recorded query and compare; exit 1 if any differs"
    )
    trust(p)
    p.add_argument("--model", metavar="PATH", help="the escrowed model's copy, when the model did not travel")
    Options.common(p, model=False)
    p.set_defaults(run=_cmd_replay)

    p = sub.add_parser("appeal", help="(appellate court) a new query against the sealed model, chained to the pack")
    trust(p)
    p.add_argument("--record", required=True, metavar="FILE", help="the appellate session's record (JSON lines)")
    p.add_argument("--party", required=True, help="who asks, as it should appear in the record")
    p.add_argument("--operation", required=True, help="predict, whatif, counterfactual, sensitivity, report, ...")
    p.add_argument("--parameters", default="{}", metavar="JSON", help='e.g. \'{"changes": {"surrender": false}}\'')
    p.add_argument("--model", metavar="PATH", help="the escrowed model's copy, when the model did not travel")
    Options.common(p, model=False)
    p.set_defaults(run=_cmd_appeal)

    p = sub.add_parser("archive", help="write a pack folder as one .tar file with its sha256")
    p.add_argument("pack", metavar="PACK_DIR")
    p.add_argument("--out", metavar="FILE")
    p.set_defaults(run=_cmd_archive)

    p = sub.add_parser("serve-tsa", help="serve the local offline TSA over RFC 3161 HTTP (demos, tests)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=port, default=3161)
    p.add_argument("--folder", metavar="DIR", help="the TSA's folder (default: <data home>/tsa)")
    p.set_defaults(run=_cmd_serve_tsa)
