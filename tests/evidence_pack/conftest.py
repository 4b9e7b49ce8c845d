"""One real hearing, run through the service, closed and sealed once per session; each test gets a copy."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from evidence_pack import Docket, LocalTimestampAuthority, SealedPack, TrustAnchors
from evidence_pack.signing import unlock_private_key
from hearing.service import HearingService
from hearing.store import SealingKey, make_engine, migrate
from tests.hearing.store_fixtures import Court, build_court, dispose_of_findings

PASSPHRASE = "the judge's sealing passphrase"
QUERIES = (
    ("defence", "predict", {}),
    ("prosecution", "guideline", {}),
    ("defence", "whatif", {"changes": {"surrender": False}}),
    ("defence", "counterfactual", {"target": {"high": 6.0, "label": "below 6 months"}, "answers": 2}),
    ("defence", "sensitivity", {}),
    ("judge", "examine", {}),
)


@dataclass
class SealedCourt:
    court: Court
    sealed: SealedPack
    tsa: LocalTimestampAuthority
    key_pem: bytes
    anchors: TrustAnchors
    docket: Docket
    workdir: Path
    published: Path

    @property
    def service(self) -> HearingService:
        return self.court.service

    def copy(self, into: Path) -> Path:
        target = into / self.sealed.path.name
        shutil.copytree(self.sealed.path, target)
        return target

    def private_key(self) -> Ed25519PrivateKey:
        """The judge's real sealing key (for faults an insider could make)."""
        from sqlmodel import Session, select

        with Session(self.service._engine) as session:
            row = session.exec(select(SealingKey)).one()
        return unlock_private_key(row.encrypted_private_key.encode(), PASSPHRASE)

    def published_copy(self, into: Path, **replace: bytes) -> Path:
        """A copy of the court's published folder with files replaced (``name=bytes``; ``__`` stands for ``/``)."""
        target = into / "published-copy"
        shutil.copytree(self.published, target)
        for name, data in replace.items():
            (target / name.replace("__", "/")).write_bytes(data)
        return target


def publish(service: HearingService, token: str, folder: Path, tsa: LocalTimestampAuthority) -> Path:
    """What the court publishes for verifiers (``voirdire publish``): key list, roots, docket, the script."""
    service.publish(token, folder, tsa_root_pem=tsa.root_pem.read_bytes())
    return folder


def run_published_script(published: Path, pack: Path) -> subprocess.CompletedProcess[str]:
    """``bash <published>/verify-pack.sh PACK``, as the court tells a verifier to run it (this venv's bagit.py)."""
    venv_bin = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": f"{venv_bin}:{os.environ['PATH']}"}
    return subprocess.run(["bash", str(published / "verify-pack.sh"), str(pack)], env=env, capture_output=True,
                          text=True, timeout=300, check=False)  # fmt: skip


@dataclass
class ClosedCourt:
    """A closed hearing whose judge has an approved sealing key, and a local TSA: ready to seal."""

    court: Court
    tsa: LocalTimestampAuthority
    work: Path

    @property
    def service(self) -> HearingService:
        return self.court.service

    @property
    def judge(self) -> str:
        return self.court.tokens["judge"]

    def seal(self, destination: Path | None = None, **options: Any) -> SealedPack:
        options.setdefault("authority", self.tsa)
        return self.service.seal(self.judge, self.court.hearing_id, PASSPHRASE, destination or self.work / "packs",
                                 **options)  # fmt: skip

    def published(self) -> Path:
        """The court's published folder as of now (keys, roots, docket, the script)."""
        return publish(self.service, self.judge, self.work / "published", self.tsa)

    def anchors(self) -> TrustAnchors:
        return TrustAnchors.from_published(self.published())


def closed_court(engine, model_folder: Path, work: Path, queries=QUERIES[:1]) -> ClosedCourt:
    court = build_court(engine, model_folder)
    run_hearing(court, queries)
    court.service.create_sealing_key(court.tokens["judge"], PASSPHRASE)
    court.service.certify_sealing_key(court.tokens["tech"], "judge")
    return ClosedCourt(court, LocalTimestampAuthority.create(work / "tsa", "test court TSA"), work)


def run_hearing(court: Court, queries=QUERIES) -> None:
    service, tokens, hearing = court.service, court.tokens, court.hearing_id
    for party, operation, parameters in queries:
        service.query(tokens[party], hearing, operation, parameters)
    dispose_of_findings(service, tokens["judge"], hearing)
    service.write_ruling(tokens["judge"], hearing, weighed_liability="盗窃数额 amount stolen",
                         weighed_prevention="自首 surrender, 退赔 restitution", particulars="none",
                         adopted_months=7.0, departure_reasons="the guideline's range")  # fmt: skip
    service.close_hearing(tokens["judge"], hearing)


@pytest.fixture(scope="session")
def sealed_court(tmp_path_factory, small_model) -> SealedCourt:
    work = tmp_path_factory.mktemp("sealed-court")
    engine = make_engine(f"sqlite:///{work / 'court.sqlite'}")
    migrate(engine)
    court = build_court(engine, small_model.folder)
    run_hearing(court)
    service = court.service
    service.create_sealing_key(court.tokens["judge"], PASSPHRASE)
    service.certify_sealing_key(court.tokens["tech"], "judge")
    tsa = LocalTimestampAuthority.create(work / "tsa", "test court TSA")
    sealed = service.seal(court.tokens["judge"], court.hearing_id, PASSPHRASE, work / "packs", authority=tsa)
    published = publish(service, court.tokens["judge"], work / "published", tsa)
    key_pem = service.published_sealers(court.tokens["judge"])[0].public_pem
    anchors = TrustAnchors.from_published(published)
    return SealedCourt(court, sealed, tsa, key_pem, anchors, service.docket(court.tokens["judge"]), work, published)
