"""The ``verify`` command: list, show, run, report, replay, bench.

Exit status: 0 when the command completed (verdicts are results, not errors), 2 for bad usage
or bad input (one clear line on stderr), 1 with ``--fail-on`` when a listed verdict occurred.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from verify import counterexample as cex_io
from verify import report
from verify.budget import BUDGETS, get_budget
from verify.claims import Claim, registry
from verify.counterexample import evaluate_hp
from verify.errors import VerifyError
from verify.runner import run_claims
from verify.verdicts import Verdict

DEFAULT_OUT = Path("reports/latest")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2 (argparse's default prints usage)
        raise VerifyError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="verify", description="Verify the statements of ML-theory papers.")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    p = sub.add_parser("list", help="list claims")
    p.add_argument("--paper", help="paper key (e.g. INIT) or name (e.g. initialization)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--missing", action="store_true",
                   help="list catalogued statements that have no claim module yet")

    p = sub.add_parser("show", help="statement, variants, checks and last result of a claim")
    p.add_argument("id")
    p.add_argument("--results", type=Path, default=DEFAULT_OUT,
                   help="report directory to read the last result from")

    p = sub.add_parser("run", help="run claims and write the proof-check report")
    p.add_argument("ids", nargs="*", metavar="ID")
    p.add_argument("--paper")
    p.add_argument("--budget", default="quick", help=f"one of {', '.join(BUDGETS)}")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", type=Path, default=DEFAULT_OUT)
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                   help="worker processes running claims in parallel (default: all cores; "
                        "results do not depend on it)")
    p.add_argument("--fail-on", action="append", default=[], metavar="VERDICT",
                   help="exit 1 if any variant gets this verdict (repeatable), "
                        "or 'unexpected' for any verdict differing from the expected one")
    p.add_argument("--quiet", action="store_true", help="no live progress")

    p = sub.add_parser("report", help="re-render the reports of a saved run")
    p.add_argument("dir", type=Path)

    p = sub.add_parser("replay", help="re-evaluate a saved counterexample at high precision")
    p.add_argument("file", type=Path)
    p.add_argument("--digits", type=int, default=60)

    p = sub.add_parser("bench", help="benchmark the numeric core kernels")
    p.add_argument("--json", type=Path, dest="json_path", help="also write the figures here")
    p.add_argument("--quick", action="store_true", help="fewer shapes and repeats")
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if args.command is None:
            build_parser().print_help()
            return 2
        return COMMANDS[args.command](args)
    except VerifyError as exc:
        print(f"verify: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("verify: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into e.g. `head`: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def cmd_list(args: argparse.Namespace) -> int:
    if args.missing:
        return _list_missing(args)
    claims = registry().claims(args.paper)
    if args.json:
        print(json.dumps([{"id": c.id, "paper": c.paper.key, "location": c.location,
                           "variants": [v.name for v in c.variants],
                           "asymptotic": c.asymptotic} for c in claims], indent=1))
        return 0
    for claim in claims:
        variants = ", ".join(v.name for v in claim.variants)
        print(f"{claim.id:<24} {claim.location:<28} {variants}")
    print(f"{len(claims)} claims")
    return 0


def _list_missing(args: argparse.Namespace) -> int:
    reg = registry()
    coverage = reg.coverage()
    implemented = set(coverage["implemented"])
    prefix = reg.paper(args.paper).key + "-" if args.paper else ""
    missing = [row for row in coverage["catalog"]
               if row[0] not in implemented and row[0].startswith(prefix)]
    if args.json:
        print(json.dumps([{"id": i, "where": w, "what": t} for i, w, t in missing], indent=1))
        return 0
    for claim_id, where, what in missing:
        print(f"{claim_id:<24} {where:<34} {what}")
    print(f"{len(missing)} catalogued statements without a module "
          f"({len(implemented)} of {len(coverage['catalog'])} implemented)")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    claim = registry().get(args.id)
    print(f"{claim.id} — {claim.paper.title}, {claim.location}")
    if claim.asymptotic:
        print("(asymptotic statement: can be supported, never certified)")
    print("\nStatement (as printed):\n  " + claim.statement.replace("\n", "\n  "))
    if claim.notes:
        print("\nNotes:\n  " + claim.notes.replace("\n", "\n  "))
    last = _last_results(args.results, claim.id)
    print("\nVariants:")
    for variant in claim.variants:
        expected = f" (expected: {variant.expected})" if variant.expected else ""
        print(f"  {variant.name}{expected}: {variant.description}")
        for check in variant.checks:
            print(f"    - {check.kind}: {check.name}")
        if variant.name in last:
            entry = last[variant.name]
            print(f"    last result: {entry['verdict']}, margin {entry.get('margin')}")
    return 0


def _last_results(out_dir: Path, claim_id: str) -> dict[str, dict[str, Any]]:
    try:
        doc = report.load(out_dir)
    except VerifyError:
        return {}
    return {e["variant"]: e for e in doc["results"] if e.get("id") == claim_id}


def _select(args: argparse.Namespace) -> list[Claim]:
    reg = registry()
    if args.ids:
        claims = [reg.get(i) for i in args.ids]
        if args.paper:
            key = reg.paper(args.paper).key
            claims = [c for c in claims if c.paper.key == key]
        return claims
    return reg.claims(args.paper)


def cmd_run(args: argparse.Namespace) -> int:
    budget = get_budget(args.budget)
    if args.seed < 0:
        raise VerifyError(f"--seed must be >= 0, got {args.seed}")
    if args.jobs < 1:
        raise VerifyError(f"--jobs must be >= 1, got {args.jobs}")
    allowed = {v.value for v in Verdict} | {"unexpected"}
    for name in args.fail_on:
        if name not in allowed:
            raise VerifyError(f"--fail-on expects one of {', '.join(sorted(allowed))}")
    claims = _select(args)
    if not claims:
        raise VerifyError("no claims selected")
    report._writable(args.out)
    total = sum(len(c.variants) for c in claims)
    done = [0]

    def progress(entry: dict[str, Any]) -> None:
        done[0] += 1
        if not args.quiet:
            flag = "" if entry["expected"] in (None, entry["verdict"]) else \
                f"  (expected {entry['expected']})"
            print(f"[{done[0]:>3}/{total}] {entry['id']:<22} {entry['variant']:<28} "
                  f"{entry['verdict']:<10} {entry['wall_time']:6.2f}s{flag}",
                  file=sys.stderr, flush=True)

    doc = run_claims(claims, budget, args.seed, jobs=args.jobs, progress=progress)
    paths = report.write(doc, args.out)
    _print_summary(doc)
    print(f"reports: {', '.join(str(p) for p in paths)}")
    return _exit_status(doc, args.fail_on)


def _print_summary(doc: dict[str, Any]) -> None:
    results = doc["results"]
    print(f"\n{'claim':<22} {'variant':<30} {'verdict':<10} {'expected':<10} margin")
    for e in results:
        margin = e.get("margin")
        margin_text = f"{margin:.3g}" if isinstance(margin, (int, float)) else "-"
        mark = "" if e["expected"] in (None, e["verdict"]) else "  <-- unexpected"
        print(f"{e['id']:<22} {e['variant']:<30} {e['verdict']:<10} "
              f"{e['expected'] or '-':<10} {margin_text}{mark}")
    counts = Counter(e["verdict"] for e in results)
    summary = ", ".join(f"{counts[v.value]} {v.value}" for v in Verdict)
    print(f"\n{len(results)} variants of {len(doc['claims'])} claims: {summary} "
          f"({doc['provenance']['wall_time']} s)")


def _exit_status(doc: dict[str, Any], fail_on: list[str]) -> int:
    for entry in doc["results"]:
        if entry["verdict"] in fail_on:
            return 1
        if "unexpected" in fail_on and entry["expected"] not in (None, entry["verdict"]):
            return 1
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    doc = report.load(args.dir)
    report.render(doc, report.load_trials(args.dir), args.dir)
    print(f"re-rendered {args.dir}/report.md, report.html, junit.xml")
    return 0


def cmd_replay(args: argparse.Namespace) -> int:
    if args.digits < 15:
        raise VerifyError("--digits must be at least 15")
    saved = cex_io.load(args.file)
    claim = registry().get(saved.claim_id)
    check = claim.variant(saved.variant).check(saved.check)
    if check.replay is None:
        raise VerifyError(f"check {saved.check!r} of {saved.claim_id} cannot replay inputs")
    instance = saved.instance()
    hp = evaluate_hp(check.replay, instance, saved.tolerance, args.digits)
    print(f"{saved.claim_id} [{saved.variant}] check {saved.check!r}, found by {saved.stage} "
          f"(seed {saved.seed})")
    for key, value in instance.items():
        print(f"  {key} = {_pretty(value)}")
    if hp is None:
        print("the inputs do not satisfy the hypotheses at high precision: not a counterexample")
        return 0
    print(f"high precision: {hp.describe()}")
    print(f"saved margin: float {saved.margin_float:.6g}, high precision {saved.margin_hp}")
    print("VIOLATED: the counterexample stands" if hp.violated
          else "not violated at this precision: the counterexample does not stand")
    return 0


def _pretty(value: Any) -> str:
    import numpy as np

    if isinstance(value, np.ndarray):
        if value.ndim == 2:
            rows = ["[" + ", ".join(str(x) for x in row) + "]" for row in value]
            return "[" + ",\n      ".join(rows) + "]"
        return "[" + ", ".join(str(x) for x in value.ravel()) + "]"
    return str(value)


def cmd_bench(args: argparse.Namespace) -> int:
    from verify import bench

    return bench.main(json_path=args.json_path, quick=args.quick)


COMMANDS = {"list": cmd_list, "show": cmd_show, "run": cmd_run, "report": cmd_report,
            "replay": cmd_replay, "bench": cmd_bench}
