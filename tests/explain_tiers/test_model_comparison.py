"""`compare-models`: two versions of a model over one case file (issue 19, item 6).

A is trained on bias-free judgments; B on the same judgments with the documented bias injected (non-local +10%,
unemployed +8%: what a poisoning of the training data would plant). The comparison must name those two factors and
nothing else, say how far apart the versions are, and the command line must show it in both languages.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from explain_tiers.model_comparison import compare_models
from sentencing.errors import InputFileError
from sentencing.judgments import GeneratorSpec, generate_judgments
from sentencing.model import TrainingSpec, build_reference_model
from tests.cli.runner import envelope_result, run

TRAINING = TrainingSpec(n_estimators=400, max_depth=5)  # deep enough to learn a 10% effect: 6,000 judgments, 23 crimes


@pytest.fixture(scope="module")
def versions(tmp_path_factory) -> tuple[Path, Path, Path]:
    root = tmp_path_factory.mktemp("versions")
    clean = build_reference_model(root / "a", GeneratorSpec(rows=6000, seed=11, bias=()), TRAINING)
    poisoned = build_reference_model(root / "b", GeneratorSpec(rows=6000, seed=11), TRAINING)
    data = root / "cases.csv"
    generate_judgments(GeneratorSpec(rows=3000, seed=99, bias=())).frame.to_csv(data, index=False)
    return clean.folder, poisoned.folder, data


def test_the_poisoned_version_is_named_by_the_factors_it_learned(versions) -> None:
    a, b, data = versions
    comparison = compare_models(data, str(a), str(b), chunk_rows=700)
    assert comparison.rows == 3000
    changed = {(f.factor, f.value): round(f.points, 1) for f in comparison.flips if abs(f.points) >= 2}
    assert set(changed) == {("household_registration", "non_local"), ("occupation", "unemployed")}, changed
    assert 4 <= changed[("household_registration", "non_local")] <= 14  # +10% planted (learned: about +6.6)
    assert 3 <= changed[("occupation", "unemployed")] <= 12  # +8% planted (learned: about +4.8)
    texts = [f.en for f in comparison.findings]
    assert any(t.startswith("household registration (hukou)") and "poisoned training data" in t for t in texts)
    assert any("户籍" in f.zh for f in comparison.findings)
    # how far apart, and the same figures whatever the chunking
    assert comparison.overall.rows == 3000 and comparison.overall.mean_absolute > 0
    again = compare_models(data, str(a), str(b), chunk_rows=3000)
    assert again.overall.mean_absolute == pytest.approx(comparison.overall.mean_absolute, rel=1e-9)
    for first, second in zip(again.flips, comparison.flips, strict=True):  # sums in another order: equal to 1e-9
        assert (first.factor, first.value) == (second.factor, second.value)
        assert first.points == pytest.approx(second.points, abs=1e-9)
    # the non-local cases are further apart than the local ones
    by_fact = {(f.factor, f.value): f.mean_absolute for f in comparison.by_fact}
    assert by_fact[("household_registration", "non_local")] > by_fact[("household_registration", "local")]


def test_a_version_compared_with_itself_is_not_apart(versions) -> None:
    a, _, data = versions
    comparison = compare_models(data, str(a), str(a), chunk_rows=1000)
    assert comparison.overall.mean_absolute == 0 and comparison.findings == ()
    assert all(f.points == 0 for f in comparison.flips)


def test_compare_models_on_the_command_line_in_both_languages(versions, env, tmp_path) -> None:
    a, b, data = versions
    english = run(["compare-models", str(a), str(b), "--data", str(data), "--chunk-rows", "1500"], env)
    assert english.returncode == 0, english.stderr
    assert "Two versions of a model compared: cases 3000" in english.stdout
    assert "Controlled flip tests, A beside B" in english.stdout and "poisoned training data" in english.stdout
    chinese = run(["compare-models", str(a), str(b), "--data", str(data), "--lang", "zh-CN"], env)
    assert "两个模型版本的比较" in chinese.stdout and "户籍" in chinese.stdout and "训练数据被污染" in chinese.stdout
    body = envelope_result(run(["compare-models", str(a), str(b), "--data", str(data), "--json"], env))
    assert body["rows"] == 3000 and body["schema_version"] == "1.0" and body["audits"]["b"]["rows"] == 3000
    missing = run(["compare-models", str(a), str(b), "--data", str(tmp_path / "none.csv")], env)
    assert missing.returncode == 2 and "none.csv" in missing.stderr and "Traceback" not in missing.stderr


def test_a_bad_case_file_is_named(versions, tmp_path) -> None:
    a, b, _ = versions
    bad = tmp_path / "bad.csv"
    bad.write_text("charge,amount_yuan\ntheft,12\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"bad\.csv.*missing"):
        compare_models(bad, str(a), str(b))
