"""Data, models and audits: obtain real data, build and serve models, fit a risk tool's surrogate, write a person
of the data as a case, audit a tool's recorded scores, audit a model over a large case file."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cli.arguments import count, port, positive_number, seed, sha256_hex
from cli.commands.questions import model_for
from cli.framework import Options, emit, language_of, settings
from sentencing.errors import InputError, Rule

if TYPE_CHECKING:
    import pandas as pd

    from sentencing.records import FilterStep

__all__ = ["register", "register_risk_data"]


def _records(data: str | None) -> tuple[pd.DataFrame, tuple[FilterStep, ...], str, str]:
    """The published filter's rows of the COMPAS data (given, or the cached one), its steps, path and sha256."""
    from sentencing.canonical import sha256_file
    from sentencing.compas import load_compas, obtain_compas, propublica_filter

    path = Path(data) if data else obtain_compas(settings().compas_cache).path
    frame, steps = propublica_filter(load_compas(path))
    return frame, steps, str(path), sha256_file(str(path))


def _cmd_data(args: argparse.Namespace) -> int:
    from sentencing.compas import obtain_compas

    data = obtain_compas(settings().compas_cache, Path(args.source) if args.source else None, refresh=args.refresh)
    print(f"COMPAS data ({data.rows} defendants, identifying columns removed): {data.path}")
    print(f"sha256 {data.sha256} (the published de-identified file); obtained from {data.obtained_from}")
    return 0


def _cmd_audit_scores(args: argparse.Namespace) -> int:
    from cli.views.audits import render_score_audit
    from explain_tiers.score_audit import audit_recorded_scores
    from sentencing.risk import load_instrument

    frame, steps, path, _ = _records(args.data)
    audit = audit_recorded_scores(frame, load_instrument(), group_column=args.group)
    body = {**audit.to_dict(), "data": path, "filter": [s.__dict__ for s in steps]}
    emit(args, "audit-scores", body, lambda: render_score_audit(audit, steps, language_of(args)))
    return 0


def _cmd_audit(args: argparse.Namespace) -> int:
    import sys

    from cli.views.audits import render_batch_audit
    from explain_tiers.batch_audit import BatchAudit, run_batch_audit

    model = args.model or str(settings().reference_model_dir)
    if args.engine != "dask" and args.scheduler:
        raise InputError("--scheduler", Rule.NOT_ALLOWED_VALUE, "a scheduler is for --engine dask")
    if args.engine != "spark" and args.master:
        raise InputError("--master", Rule.NOT_ALLOWED_VALUE, "a master is for --engine spark")
    audit: BatchAudit
    if args.engine == "dask":
        from explain_tiers.dask_audit import run_batch_audit_dask

        if not args.scheduler:
            raise InputError("--scheduler", Rule.MISSING_REQUIRED, "--engine dask needs the scheduler's address")
        audit, on_dask = run_batch_audit_dask(
            Path(args.data),
            model,
            args.scheduler,
            blocksize=args.blocksize,
            threshold_months=args.threshold,
            model_sha256=args.model_sha256,
        )
        where = (f"dask: {on_dask.partitions} blocks of the file audited by {len(on_dask.workers)} workers "
                 f"({', '.join(on_dask.workers)}) of {on_dask.scheduler}")  # fmt: skip
    elif args.engine == "spark":
        from explain_tiers.spark_audit import run_batch_audit_spark

        if not args.master:
            raise InputError("--master", Rule.MISSING_REQUIRED, "--engine spark needs the master, e.g. local[2]")
        audit, on_spark = run_batch_audit_spark(
            Path(args.data),
            model,
            args.master,
            partition_bytes=args.blocksize,
            threshold_months=args.threshold,
            model_sha256=args.model_sha256,
        )
        where = (f"spark: {on_spark.partitions} partitions of the file audited by {len(on_spark.workers)} Python "
                 f"workers of {on_spark.master}")  # fmt: skip
    else:
        audit = run_batch_audit(Path(args.data), model, chunk_rows=args.chunk_rows, workers=args.workers,
                                threshold_months=args.threshold, progress=not args.no_progress,
                                model_sha256=args.model_sha256)  # fmt: skip
        where = ""
    if where and not args.no_progress:
        print(where, file=sys.stderr)
    emit(args, "audit", audit.to_dict(), lambda: render_batch_audit(audit, language_of(args)), kind="sentencing")
    return 0


def _cmd_compare_models(args: argparse.Namespace) -> int:
    from cli.views.audits import render_model_comparison
    from explain_tiers.model_comparison import compare_models

    comparison = compare_models(Path(args.data), args.a, args.b, chunk_rows=args.chunk_rows,
                                threshold_months=args.threshold)  # fmt: skip
    emit(args, "compare-models", comparison.to_dict(), lambda: render_model_comparison(comparison, language_of(args)),
         kind="sentencing")  # fmt: skip
    return 0


def _cmd_build_model(args: argparse.Namespace) -> int:
    from sentencing.judgments import FOUR_CHARGES, GeneratorSpec
    from sentencing.model import build_reference_model, is_model_current

    defaults = GeneratorSpec()
    rows = defaults.rows if args.rows is None else args.rows
    seed_value = defaults.seed if args.seed is None else args.seed
    if rows < 200:
        raise InputError(f"--rows {rows}", Rule.OUT_OF_RANGE, "at least 200 judgments are needed to train and hold out")
    generator = GeneratorSpec(rows=rows, seed=seed_value, bias=() if args.bias_free else defaults.bias,
                              charge_shares=FOUR_CHARGES if args.four_charges else defaults.charge_shares)  # fmt: skip
    out = Path(args.out) if args.out else settings().reference_model_dir
    if args.if_stale and is_model_current(out, generator):
        print(f"model: {out / 'model.joblib'} is current (built from today's code and data)")
        return 0
    built = build_reference_model(out, generator)
    overall = built.card["held_out_error"]["overall"]
    print(f"model: {built.model_path}")
    print(f"sha256: {built.sha256}")
    print(f"held-out: MAE {overall['mae_months']:.2f} months, CAIL2018 prison-term score "
          f"{overall['cail2018_score']:.3f} on {overall['n']} judgments")  # fmt: skip
    exported = built.onnx_card["exported_from"]
    print(f"onnx: {out / 'onnx' / 'model.onnx'} (sha256 {built.onnx_card['artifact']['sha256']}), at most "
          f"{exported['largest_difference_months']:.1g} months from the pickle on {exported['rows']} held-out "
          "judgments")  # fmt: skip
    return 0


def _cmd_serve_model(args: argparse.Namespace) -> int:
    from sentencing.vendor_server import serve_model

    model = model_for(args)

    def announce(url: str) -> None:
        print(f"serving {model.identity.name} (sha256 {model.identity.sha256}) on {url}/v1/", flush=True)

    try:
        serve_model(model, args.host, args.port, background=False, on_ready=announce)
    except KeyboardInterrupt:
        return 0
    return 0


def _cmd_surrogate(args: argparse.Namespace) -> int:
    from cli.views.risk import render_fidelity
    from explain_tiers.points_table_fit import fit_points_table, write_points_table
    from sentencing.risk import load_instrument

    instrument = load_instrument()
    frame, steps, data, digest = _records(args.data)
    note = "ProPublica's filter: " + "; ".join(s.condition for s in steps)
    fit = fit_points_table(frame, instrument, data_sha256=digest, filter_note=note)
    folder = Path(args.out) if args.out else settings().surrogate_dir(instrument.id)
    path = write_points_table(fit.surrogate, folder, Path(data))
    body = {"path": str(path), "sha256": fit.surrogate.identity.sha256, **fit.surrogate.card}
    emit(args, "risk surrogate", body, lambda: render_fidelity(fit.surrogate.card, str(path), language_of(args)),
         kind="risk_assessment")  # fmt: skip
    return 0


def _cmd_case(args: argparse.Namespace) -> int:
    from sentencing.files import write_atomically
    from sentencing.records import risk_case_from_record
    from sentencing.risk import load_instrument

    frame, _, path, _ = _records(args.data)
    instrument = load_instrument()
    rows = frame[frame[instrument.records.person_id] == args.id]
    if rows.empty:
        raise InputError(f"id {args.id}", Rule.UNKNOWN_FIELD, f"no such person in {path} after the published filter")
    case = risk_case_from_record(rows.iloc[0].to_dict(), instrument, case_id=f"compas-{args.id}")
    text = json.dumps(case.to_document(), ensure_ascii=False, indent=2) + "\n"
    if args.out:
        write_atomically(Path(args.out), text.encode("utf-8"))
        print(args.out)
    else:
        print(text, end="")
    return 0


def _data_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", metavar="CSV", help="the COMPAS CSV (default: the cached one, `voirdire data compas`)")


def register_risk_data(commands: Any) -> None:
    """``risk surrogate`` and ``risk case``: the risk group's data commands."""
    p = commands.add_parser("surrogate", help="fit the transparent surrogate (a points table) to the tool's "
                            "recorded scores")  # fmt: skip
    _data_option(p)
    p.add_argument(
        "--out", metavar="DIR", help="the surrogate's folder (default: <data home>/risk/<instrument>-surrogate)"
    )
    Options.common(p, model=False)
    p.set_defaults(run=_cmd_surrogate)

    p = commands.add_parser("case", help="write one person of the COMPAS data (by its id) as a case file")
    p.add_argument("id", type=count(0, 2**31 - 1), help="the data's id column")
    p.add_argument("--out", metavar="CASE.json", help="write here instead of printing")
    _data_option(p)
    p.set_defaults(run=_cmd_case)


def register(sub: Any) -> None:
    p = sub.add_parser("audit", help="(technologist) batch audit of a model over a large case file, streamed in chunks")
    p.add_argument("--data", required=True, metavar="CSV",
                   help="one case per row: the feature columns (and sentence_months)")  # fmt: skip
    p.add_argument("--chunk-rows", type=count(100, 10_000_000), default=50_000,
                   help="rows per chunk (memory is bounded by this)")  # fmt: skip
    p.add_argument("--workers", type=count(1, 64), default=1, help="local worker processes (default 1: this process)")
    p.add_argument("--engine", choices=("local", "dask", "spark"), default="local",
                   help="local (this machine's processes), dask or spark (a cluster reads the file)")  # fmt: skip
    p.add_argument("--scheduler", metavar="ADDRESS", help="with --engine dask: the scheduler, e.g. tcp://10.0.0.5:8786")
    p.add_argument("--master", metavar="URL", help="with --engine spark: the master, e.g. local[2] or spark://h:7077")
    p.add_argument("--blocksize", type=count(1024, 2**31), default=64 * 2**20,
                   help="dask or spark: bytes of the file per block or partition (default 64 MiB)")  # fmt: skip
    p.add_argument("--threshold", type=positive_number(600), default=0.5,
                   help="months a flip must move a case to count")  # fmt: skip
    p.add_argument("--no-progress", action="store_true", help="no progress bar on standard error")
    Options.common(p)
    p.set_defaults(run=_cmd_audit)

    p = sub.add_parser("compare-models", help="(technologist) two versions of a model over the same case file: "
                       "how far apart, on which facts, flip tests side by side (a vendor's update, suspected "
                       "poisoning)")  # fmt: skip
    p.add_argument("a", metavar="A",
                   help="the first model (the version in use): a folder, .joblib, .onnx or http(s) URL")  # fmt: skip
    p.add_argument("b", metavar="B", help="the second model (the update)")
    p.add_argument("--data", required=True, metavar="CSV",
                   help="one case per row: the feature columns (as for `voirdire audit`)")  # fmt: skip
    p.add_argument("--chunk-rows", type=count(100, 10_000_000), default=50_000,
                   help="rows per chunk (memory is bounded by this)")  # fmt: skip
    p.add_argument("--threshold", type=positive_number(600), default=0.5,
                   help="months apart that count a case as apart")  # fmt: skip
    Options.common(p, model=False)
    p.set_defaults(run=_cmd_compare_models)

    p = sub.add_parser("data", help="obtain real data: `voirdire data compas` (ProPublica's COMPAS scores)")
    p.add_argument("dataset", choices=["compas"])
    p.add_argument("--from", dest="source", metavar="CSV", help="use this CSV (upstream or de-identified) instead")
    p.add_argument("--refresh", action="store_true", help="obtain it again even when cached")
    p.set_defaults(run=_cmd_data)

    p = sub.add_parser("audit-scores", help="audit a tool's recorded risk scores: error rates, calibration, AUC")
    p.add_argument("--data", metavar="CSV", help="the de-identified COMPAS CSV (default: the cached one)")
    p.add_argument("--group", help="the column whose groups are compared (the instrument's records.groups; COMPAS: "
                   "race, sex, age_cat; default its first)")  # fmt: skip
    Options.common(p, model=False)
    p.set_defaults(run=_cmd_audit_scores)

    p = sub.add_parser("build-model", help="(technologist) generate the synthetic judgments and train the reference "
                       "model")  # fmt: skip
    p.add_argument("--out", metavar="DIR", help="where to write the model (default: the reference model folder)")
    p.add_argument("--rows", type=count(200, 5_000_000), help="number of synthetic judgments (default 20,000)")
    p.add_argument("--seed", type=seed, help="seed of the judgment generator (default 20210701)")
    p.add_argument("--bias-free", action="store_true", help="inject no historical bias (a control model)")
    p.add_argument("--four-charges", action="store_true", help="draw only the first generator's four "
                   "charges (theft, fraud, intentional injury, dangerous driving), not every crime of "
                   "法发〔2021〕21号")  # fmt: skip
    p.add_argument("--if-stale", action="store_true",
                   help="build only if the model is missing or was built by older code")  # fmt: skip
    p.set_defaults(run=_cmd_build_model)

    p = sub.add_parser("serve-model", help="(technologist) serve a model as a vendor-style HTTP JSON endpoint")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=port, default=8765)
    p.add_argument("--model", "--surrogate", dest="model", metavar="PATH",
                   help="model folder, .joblib or .onnx file, or points table (default: the reference model)"
                   )  # fmt: skip
    p.add_argument("--model-sha256", type=sha256_hex, metavar="HEX", help="the sha256 you trust for the model file")
    p.set_defaults(run=_cmd_serve_model)
