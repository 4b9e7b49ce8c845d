"""``voirdire read``, ``similar``, ``similar-index`` and ``evaluate --read`` as a user runs them."""

from __future__ import annotations

import json
import subprocess
from importlib import resources
from pathlib import Path
from typing import Any

from tests.cli.runner import VOIRDIRE, envelope_result, run

THEFT = str(resources.files("sentencing").joinpath("data/texts/theft-indictment.txt"))
DEFENDANT = {"age_at_offence": 33, "sex": "male", "household_registration": "local", "occupation": "employed",
             "region": "east", "ethnicity": "han"}  # fmt: skip
# texts written for these tests, in the style of a judgment's fact section (no CAIL2018 text is in the project)
TEXTS = [
    ("r1", "theft", "被告人张某于2020年3月1日在某超市窃得手机一部，经鉴定价值人民币5000元。到案后如实供述。", 6),
    ("r2", "theft", "被告人李某于2020年4月2日入户窃得现金人民币20000元。被告人主动投案。", 12),
    ("r3", "dangerous_driving", "被告人王某醉酒驾驶机动车，血液中乙醇含量为180mg/100ml。", 2),
    ("r4", "fraud", "被告人于2020年5月3日在某地被民警查获。", 3),  # states no amount: counted, not compared
]


def _cail(path: Path) -> Path:
    rows = [{"id": i, "charge": charge, "fact": text, "meta": {"term_of_imprisonment": {"imprisonment": months},
             "punish_of_money": 1000}} for i, charge, text, months in TEXTS]  # fmt: skip
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_read_prints_every_fact_with_its_source(env: dict[str, str]) -> None:
    done = run(["read", THEFT, "--json"], env)
    assert done.returncode == 0, done.stderr
    draft = envelope_result(done, "read")["draft"]
    facts = {f["field"]: f for f in draft["facts"]}
    assert facts["amount_yuan"]["value"] == 10000 and facts["amount_yuan"]["sources"][0]["rule"] == "amount.total"
    text = Path(THEFT).read_text(encoding="utf-8")
    for fact in draft["facts"]:
        for source in fact["sources"]:
            assert text[source["start"] : source["end"]] in source["quote"]
    assert draft["charge"]["value"] == "theft" and draft["document_kind"] == "indictment"
    zh = run(["read", THEFT, "--lang", "zh-CN"], env)
    assert zh.returncode == 0 and "读取的事实" in zh.stdout and "涉案数额" in zh.stdout


def test_read_from_standard_input_and_a_confirmation_writes_the_case(tmp_path: Path, env: dict[str, str]) -> None:
    text = "被告人醉酒驾驶机动车，与停放车辆发生碰撞，血液中乙醇含量为210mg/100ml。被告人到案后如实供述。"
    done = subprocess.run([*VOIRDIRE, "read", "--text", "-", "--json"], input=text.encode("utf-8"),
                          capture_output=True, env=env, timeout=180, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    draft = json.loads(done.stdout)["result"]["draft"]
    assert {f["field"]: f["value"] for f in draft["facts"]}["blood_alcohol_mg_per_100ml"] == 210
    source = tmp_path / "judgment.txt"
    source.write_text(text, encoding="utf-8")
    confirmation = tmp_path / "confirm.json"
    answer = {"schema_version": "1.0", "by": "defence", "confirm": "all",
              "set": {"caused_accident": False, **DEFENDANT}, "case_id": "dd-read"}  # fmt: skip
    confirmation.write_text(json.dumps(answer))
    out = tmp_path / "case.json"
    done = run(["read", str(source), "--confirmation", str(confirmation), "--out", str(out)], env)
    assert done.returncode == 0, done.stderr
    case = json.loads(out.read_text(encoding="utf-8"))
    assert case["case_id"] == "dd-read" and case["facts"]["caused_accident"] is False  # the party's correction
    assert case["extraction"]["confirmation"]["set"]["caused_accident"] is False
    assert any(f["field"] == "caused_accident" for f in case["extraction"]["facts"])  # what the reader had read


def test_bad_text_gets_one_line_naming_what_is_missing(tmp_path: Path, env: dict[str, str]) -> None:
    path = tmp_path / "english.txt"
    path.write_text("The defendant stole a bicycle.", encoding="utf-8")
    done = run(["read", str(path)], env)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "no Chinese text" in done.stderr
    done = run(["read", "--text", "被告人于2020年1月1日到本院。"], env)
    assert done.returncode == 2 and "charge" in done.stderr and done.stderr.count("\n") == 1
    done = run(["read", THEFT, "--confirm", "--by", "defence", "--out", str(tmp_path / "c.json")], env)
    assert done.returncode == 2 and "terminal" in done.stderr and not (tmp_path / "c.json").exists()


def test_similar_on_a_corpus_indexed_once(tmp_path: Path, env: dict[str, str]) -> None:
    judgments = _cail(tmp_path / "court.jsonl")
    index = tmp_path / "court.npz"
    done = run(["similar-index", "--judgments", str(judgments), "--read", "--out", str(index), "--json"], env)
    assert done.returncode == 0, done.stderr
    assert envelope_result(done, "similar-index")["judgments"] == 3  # r4 states no amount
    case = tmp_path / "case.json"
    case.write_text(json.dumps({"schema_version": "1.0", "case_id": "q", "charge": "theft",
                                "facts": {"amount_yuan": 6000}, "defendant": DEFENDANT}))  # fmt: skip
    done = run(["similar", str(case), "--index", str(index), "-k", "2", "--json"], env)
    assert done.returncode == 0, done.stderr
    body: dict[str, Any] = envelope_result(done, "similar")
    assert [n["judgment_id"] for n in body["neighbours"]] == ["r1", "r2"]
    assert body["corpus"]["synthetic"] is False and body["model_percentile"] is not None
    stand_in = run(["similar", str(case), "-k", "5", "--json"], env)
    assert stand_in.returncode == 0, stand_in.stderr
    assert envelope_result(stand_in)["corpus"]["synthetic"] is True


def test_evaluate_reads_raw_judgments_itself(tmp_path: Path, env: dict[str, str]) -> None:
    judgments = _cail(tmp_path / "court.jsonl")
    done = run(["evaluate", "--judgments", str(judgments), "--read", "--json"], env)
    assert done.returncode == 0, done.stderr
    body = envelope_result(done, "evaluate")
    assert body["read_by_reader"] == 3 and body["without_facts"] == 1
