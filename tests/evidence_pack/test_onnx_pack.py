"""A hearing against an ONNX model: the pack carries the graph, says what it is, and replays unpickling nothing."""

from __future__ import annotations

import json
import pickle
import shutil
from dataclasses import dataclass
from pathlib import Path

import joblib
import pytest

from evidence_pack import AppellateSession, Match, SealedPack, replay_pack, verify_pack
from evidence_pack.published import TrustAnchors
from hearing.store import make_engine, migrate
from sentencing.canonical import sha256_file
from sentencing.errors import UnverifiedPackError
from sentencing.model import ONNX_FOLDER
from tests.evidence_pack.conftest import QUERIES, closed_court, run_published_script
from tests.evidence_pack.test_faults import failed, rebag
from tests.sentencing.test_onnx_model import _vendor_graph


@dataclass
class OnnxPack:
    sealed: SealedPack
    anchors: TrustAnchors
    published: Path
    onnx_file: Path


@pytest.fixture(scope="module")
def onnx_pack(tmp_path_factory, small_model) -> OnnxPack:
    work = tmp_path_factory.mktemp("onnx-court")
    engine = make_engine(f"sqlite:///{work / 'court.sqlite'}")
    migrate(engine)
    onnx_file = Path(small_model.folder) / ONNX_FOLDER / "model.onnx"
    court = closed_court(engine, onnx_file, work, QUERIES)
    sealed = court.seal()
    published = court.published()
    return OnnxPack(sealed, TrustAnchors.from_published(published), published, onnx_file)


def test_the_pack_carries_the_graph_its_card_and_data_and_no_pickle(onnx_pack) -> None:
    model = onnx_pack.sealed.path / "bag" / "data" / "model"
    assert sha256_file(str(model / "model.onnx")) == sha256_file(str(onnx_pack.onnx_file))
    card = json.loads((model / "model_card.json").read_text(encoding="utf-8"))
    assert card["artifact"]["file"] == "model.onnx" and "exported_from" in card
    assert (model / "training-data" / "judgments.csv").is_file()
    assert not list(model.rglob("*.joblib")) and not list(model.rglob("*.pkl"))


def test_a_pickles_pack_does_not_carry_its_onnx_export(sealed_court) -> None:
    """The export is a model of its own (a folder with its own card): it does not travel with the pickle."""
    model = sealed_court.sealed.path / "bag" / "data" / "model"
    assert (model / "model.joblib").is_file() and not (model / ONNX_FOLDER).exists()


def test_the_statement_and_both_verifiers_say_the_model_is_onnx(onnx_pack) -> None:
    verdict = verify_pack(onnx_pack.sealed.path, onnx_pack.anchors)
    assert verdict.ok, [(c.name, c.detail) for c in verdict.failed]
    model = verdict.predicate["model"]
    assert (model["adapter"], model["artifact"], model["travels"]) == ("onnx-file", "model.onnx", True)
    assert model["format"].startswith("an ONNX graph") and "unpickles nothing" in model["format"]
    assert "model.onnx, an ONNX graph" in next(c for c in verdict.checks if c.name == "model").detail
    done = run_published_script(onnx_pack.published, onnx_pack.sealed.path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "OK: model: bag/data/model/model.onnx is the sealed model" in done.stdout
    assert "NOTE: the model is an ONNX graph of standard operators" in done.stdout
    verify_txt = (onnx_pack.sealed.path / "VERIFY.txt").read_text(encoding="utf-8")
    assert "model.onnx) echo" in verify_txt  # the copy a reader opens says what each form of model is


@pytest.fixture
def no_unpickling(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("something was unpickled")

    for module, name in ((pickle, "load"), (pickle, "loads"), (joblib, "load")):
        monkeypatch.setattr(module, name, refuse)


def test_the_pack_replays_every_query_and_the_report_exactly_unpickling_nothing(onnx_pack, no_unpickling) -> None:
    report = replay_pack(onnx_pack.sealed.path, onnx_pack.anchors)
    assert report.ok, [(q.operation, q.detail) for q in report.queries if q.match is not Match.EXACT]
    assert [q.operation for q in report.queries][: len(QUERIES)] == [q[1] for q in QUERIES]
    assert all(q.match is Match.EXACT for q in (*report.queries, report.report))


def test_an_appellate_court_asks_the_sealed_graph_a_new_question(onnx_pack, tmp_path, no_unpickling) -> None:
    with AppellateSession(onnx_pack.sealed.path, onnx_pack.anchors, tmp_path / "appeal.jsonl", "appeal") as session:
        outcome, seq = session.query("whatif", {"changes": {"surrender": False}})
    assert seq == 1 and outcome.model_sha256 == sha256_file(str(onnx_pack.onnx_file))


def test_a_forgers_graph_is_caught_by_both_verifiers_and_never_run(onnx_pack, tmp_path) -> None:
    pack = tmp_path / onnx_pack.sealed.path.name
    shutil.copytree(onnx_pack.sealed.path, pack)
    (pack / "bag/data/model/model.onnx").write_bytes(_vendor_graph(months_per_act=0.0).SerializeToString())
    rebag(pack)  # manifests made consistent again: only the signed statement still names the real graph
    assert "model" in failed(pack, onnx_pack.anchors)
    done = run_published_script(onnx_pack.published, pack)
    assert done.returncode == 1 and "FAILED" in done.stdout
    with pytest.raises(UnverifiedPackError):
        replay_pack(pack, onnx_pack.anchors)
