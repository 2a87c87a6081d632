import json
import subprocess
import sys

import pytest

import tests.toy_claims as toy
import verify.claims as claims_module
from verify.claims import Registry, claims_in_module
from verify.cli import main


@pytest.fixture
def toy_registry(monkeypatch):
    reg = Registry()
    for claim in claims_in_module(toy):
        reg.register(claim)
    monkeypatch.setattr(claims_module, "_REGISTRY", reg)
    return reg


def run_cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_and_json(toy_registry, capsys):
    code, out, _ = run_cli(capsys, "list")
    assert code == 0 and "TOY-Square" in out
    code, out, _ = run_cli(capsys, "list", "--paper", "TOY", "--json")
    assert json.loads(out)[0]["variants"] == ["as-printed", "mutant:constant"]


def test_show(toy_registry, capsys, tmp_path):
    code, out, _ = run_cli(capsys, "show", "TOY-Square", "--results", str(tmp_path))
    assert code == 0 and "x^2 <= 4" in out and "mutant:constant" in out


def test_run_writes_reports_and_replays(toy_registry, capsys, tmp_path):
    out_dir = tmp_path / "out"
    code, out, err = run_cli(capsys, "run", "--out", str(out_dir), "--seed", "3")
    assert code == 0
    assert "[  2/2]" in err and "refuted" in out
    for name in ("results.json", "trials.jsonl", "report.md", "report.html", "junit.xml"):
        assert (out_dir / name).exists(), name
    doc = json.loads((out_dir / "results.json").read_text())
    cex = next(r["counterexample"] for r in doc["results"] if r["counterexample"])
    cex_file = tmp_path / "cex.json"
    cex_file.write_text(json.dumps(cex))
    code, out, _ = run_cli(capsys, "replay", str(cex_file))
    assert code == 0 and "VIOLATED" in out
    code, out, _ = run_cli(capsys, "show", "TOY-Square", "--results", str(out_dir))
    assert "last result: supported" in out
    code, _, _ = run_cli(capsys, "report", str(out_dir))
    assert code == 0
    assert run_cli(capsys, "run", "--out", str(out_dir), "--fail-on", "refuted")[0] == 1
    assert run_cli(capsys, "run", "--out", str(out_dir), "--fail-on", "unexpected")[0] == 0


@pytest.mark.parametrize(("argv", "message"), [
    (["run", "NOPE-1"], "unknown claim id"),
    (["run", "--paper", "nope"], "unknown paper"),
    (["run", "--budget", "huge"], "unknown budget"),
    (["run", "--seed", "-1"], "seed"),
    (["run", "--jobs", "0"], "jobs"),
    (["run", "--fail-on", "sometimes"], "fail-on"),
    (["show", "NOPE-1"], "unknown claim id"),
    (["replay", "/nonexistent/cex.json"], "cannot read"),
    (["report", "/nonexistent/dir"], "no results.json"),
    (["frobnicate"], "invalid choice"),
])
def test_bad_input_is_one_clear_line(toy_registry, capsys, argv, message):
    code, _, err = run_cli(capsys, *argv)
    assert code == 2
    assert err.startswith("verify: error:") and message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_unwritable_out_dir(toy_registry, capsys, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    code, _, err = run_cli(capsys, "run", "--out", str(blocker / "sub"))
    assert code == 2 and "cannot write reports" in err


def test_corrupt_counterexample_via_cli(toy_registry, capsys, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    code, _, err = run_cli(capsys, "replay", str(bad))
    assert code == 2 and "corrupt counterexample" in err


def test_python_dash_m_entry_point():
    proc = subprocess.run([sys.executable, "-m", "verify", "run", "--budget", "nope"],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.strip() == ("verify: error: unknown budget 'nope'; "
                                   "choose one of: quick, standard, thorough")


def test_list_missing_shows_uncovered_catalog(capsys):
    implemented = {c.id for c in claims_module.registry().claims()}
    code, out, _ = run_cli(capsys, "list", "--missing", "--paper", "initialization")
    assert code == 0 and "catalogued statements without a module" in out
    code, out, _ = run_cli(capsys, "list", "--missing", "--json")
    ids = [row["id"] for row in json.loads(out)]
    assert not set(ids) & implemented
    assert all(i.split("-")[0] in {"ALIGN", "CONV", "BIAS", "INIT"} for i in ids)
    assert len(ids) + len(implemented) == 101
