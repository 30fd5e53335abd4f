#!/usr/bin/env python3
"""Feed rplint's machine formats to the programs that read them, installed from the registries
by `.ci/run`: every finding must survive, with no error from the consumer.

    python3 .ci/consumers.py RPLINT

JUnit: `junitparser` must count one test case per finding plus one per clean file, and as
failures exactly the errors (with `--deny-warnings`, the warnings too); `junit2html` must render
the report with and without `--report-matrix`. SARIF: Microsoft's `sarif-multitool validate`
(path in `SARIF_MULTITOOL`) must report nothing with its default, GitHub (`Gh`) and GitHub
Advanced Security (`Ghas`) rule sets, for relative and absolute paths and stdin, and the log
must hold one result per finding. Inputs: the real-world corpus, the fixtures, and files whose
names and contents are hostile (markup, quotes, control characters, spaces, non-ASCII).
"""
import os
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from junitparser import Error, Failure, JUnitXml

ROOT = Path(__file__).resolve().parent.parent
RPLINT = str(Path(sys.argv[1]).resolve())


def run(*args, cwd=ROOT, stdin=None):
    return subprocess.run([RPLINT, "check", "--no-config", *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True)


def hostile_tree(dir):
    names = {
        "a&b<c>.json": '{"input": {}, "<x>\\u0001&\\"\'": 1}',
        "spaced name é.json": '{"input": {}, "policy": {"ttl": 60}}',
        "quote\".json": '{"input": {}, "webhook": "http://localhost/x"}',
        "clean.json": '{"input": {"prompt": "a cat"}}',
    }
    for name, text in names.items():
        (dir / name).write_text(text)
    # A file that cannot be checked: every report must say so, and stay valid.
    os.mkfifo(dir / "pipe.json")


def check_junit(label, args, cwd=ROOT):
    report = json.loads(run("--format", "json", *args, cwd=cwd).stdout)
    diagnostics = report["diagnostics"]
    clean = report["summary"]["files"] - len({d["file"] for d in diagnostics})
    not_checked = len(report["not_checked"])
    errors = sum(d["severity"] == "error" for d in diagnostics)
    warnings = sum(d["severity"] == "warning" for d in diagnostics)
    for extra, failing in (([], errors), (["--deny-warnings"], errors + warnings)):
        with tempfile.TemporaryDirectory() as out:
            xml_path = Path(out) / "report.xml"
            xml_path.write_text(run("--format", "junit", *extra, *args, cwd=cwd).stdout)
            xml = JUnitXml.fromfile(str(xml_path))
            cases = [case for suite in xml for case in suite]
            failures = sum(any(isinstance(r, Failure) for r in case.result) for case in cases)
            assert len(cases) == len(diagnostics) + clean + not_checked, \
                (label, len(cases), len(diagnostics), clean, not_checked)
            in_error = sum(any(isinstance(r, Error) for r in case.result) for case in cases)
            assert in_error == not_checked, (label, in_error, not_checked)
            assert failures == failing, (label, extra, failures, failing)
            xml.update_statistics()
            assert (xml.tests, xml.failures, xml.errors) == (len(cases), failing, not_checked), \
                (label, xml.tests, xml.failures, xml.errors)
            for matrix in ([], ["--report-matrix"]):
                html = Path(out) / "report.html"
                result = subprocess.run(["junit2html", str(xml_path), *matrix, str(html)],
                                        capture_output=True, text=True)
                assert result.returncode == 0 and "Traceback" not in result.stderr, \
                    (label, matrix, result.stderr[-2000:])
    print(f"junit: {label}: {len(diagnostics)} findings, {clean} clean files, "
          f"{not_checked} not checked: ok")


def check_sarif(label, args, cwd=ROOT, stdin=None):
    report = json.loads(run("--format", "json", *args, cwd=cwd, stdin=stdin).stdout)
    findings = len(report["diagnostics"])
    with tempfile.TemporaryDirectory() as out:
        log = Path(out) / "rplint.sarif"
        log.write_text(run("--format", "sarif", *args, cwd=cwd, stdin=stdin).stdout)
        sarif_run = json.loads(log.read_text())["runs"][0]
        assert len(sarif_run["results"]) == findings, (label, len(sarif_run["results"]), findings)
        notes = sarif_run["invocations"][0].get("toolExecutionNotifications", [])
        assert len(notes) == len(report["not_checked"]), (label, notes)
        for kinds in ([], ["--rule-kind", "Gh"], ["--rule-kind", "Ghas"]):
            verdict = Path(out) / "validation.sarif"
            done = subprocess.run([os.environ["SARIF_MULTITOOL"], "validate", str(log), *kinds,
                                   "--output", str(verdict), "--log", "ForceOverwrite"],
                                  capture_output=True, text=True)
            assert verdict.exists(), (label, kinds, done.stdout[-2000:], done.stderr[-2000:])
            problems = [r for run_ in json.loads(verdict.read_text())["runs"]
                        for r in run_.get("results", [])]
            assert not problems, (label, kinds, problems[:5])
    print(f"sarif: {label}: {findings} findings: ok")


def check_other_formats(label, args, cwd=ROOT):
    """GitLab Code Quality, rdjson and Azure have no consumer on a registry: their documented
    fields are checked here, and that nothing is lost (a record per finding and per file that
    could not be checked)."""
    report = json.loads(run("--format", "json", *args, cwd=cwd).stdout)
    expected = len(report["diagnostics"]) + len(report["not_checked"])
    issues = json.loads(run("--format", "gitlab", *args, cwd=cwd).stdout)
    assert len(issues) == expected, (label, "gitlab", len(issues), expected)
    assert len({i["fingerprint"] for i in issues}) == len(issues), (label, "gitlab fingerprints")
    for issue in issues:
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}, issue
        assert issue["description"] and issue["check_name"] and issue["location"]["path"], issue
        assert issue["location"]["lines"]["begin"] >= 1, issue
    rd = json.loads(run("--format", "rdjson", *args, cwd=cwd).stdout)
    assert len(rd["diagnostics"]) == expected, (label, "rdjson", len(rd["diagnostics"]), expected)
    for d in rd["diagnostics"]:
        assert d["severity"] in {"ERROR", "WARNING", "INFO"} and d["message"], d
    azure = [l for l in run("--format", "azure", *args, cwd=cwd).stdout.splitlines()
             if l.startswith("##vso[task.logissue ")]
    assert len(azure) == expected, (label, "azure", len(azure), expected)
    print(f"gitlab, rdjson, azure: {label}: {expected} records: ok")


def check_yaml():
    """The action and the hooks are valid YAML with what GitHub and pre-commit require."""
    import yaml
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite" and action["runs"]["steps"], action
    for step in action["runs"]["steps"]:
        assert "uses" in step or "shell" in step, step
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    for hook in hooks:
        assert {"id", "name", "entry", "language"} <= hook.keys(), hook
        assert hook["entry"].startswith("rplint check"), hook
    print(f"yaml: action.yml and {len(hooks)} pre-commit hooks: ok")
    check_action_script(action)


def check_action_script(action):
    """The action's check step, run by bash with hostile inputs: an input never runs a
    command, is never glob-expanded, and a path with spaces stays one path."""
    step = next(s for s in action["runs"]["steps"] if s.get("name") == "Check")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        fake = tmp / "bin"
        fake.mkdir()
        (fake / "rplint").write_text('#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done\n')
        (fake / "rplint").chmod(0o755)
        (tmp / "a.json").write_text("{}")
        cases = [
            ({"RPLINT_PATHS": "requests/$(touch pwned).json", "RPLINT_ARGS": "",
              "RPLINT_SARIF": "x.sarif"}, ["requests/$(touch", "pwned).json"]),
            ({"RPLINT_PATHS": "my file.json\n*.json\n", "RPLINT_ARGS": "--deny-warnings",
              "RPLINT_SARIF": 'a" ; touch pwned ; "b'}, ["my file.json", "*.json"]),
            ({"RPLINT_PATHS": ". requests/", "RPLINT_ARGS": "`touch pwned`",
              "RPLINT_SARIF": "x.sarif"}, [".", "requests/"]),
        ]
        for env, paths in cases:
            result = subprocess.run(
                ["bash", "-c", step["run"]], cwd=tmp, capture_output=True, text=True,
                env={**os.environ, "PATH": f"{fake}:{os.environ['PATH']}", **env})
            assert result.returncode == 0, result.stderr
            argv = result.stdout.splitlines()
            assert not (tmp / "pwned").exists(), ("an input ran a command", env)
            assert argv[argv.index("--") + 1:] == paths, (argv, env)
            assert f"sarif={env['RPLINT_SARIF']}" in argv, argv
    print(f"action: the check step with {len(cases)} hostile inputs: ok")


def main():
    check_yaml()
    corpus = ROOT.parent / "shared" / "corpus" / "real"
    check_junit("real-world corpus", ["--kind", "request", "../shared/corpus/real"])
    check_junit("fixtures", ["fixtures"])
    with tempfile.TemporaryDirectory() as tmp:
        hostile_tree(Path(tmp))
        check_junit("hostile names", ["--kind", "request", "."], cwd=tmp)
        check_sarif("hostile names", ["--kind", "request", "."], cwd=tmp)
        check_other_formats("hostile names", ["--kind", "request", "."], cwd=tmp)
    check_other_formats("real-world corpus", ["--kind", "request", "../shared/corpus/real"])
    check_other_formats("fixtures", ["fixtures"])
    check_sarif("corpus, relative paths", ["--kind", "request", "../shared/corpus/real"])
    check_sarif("corpus, absolute paths", ["--kind", "request", str(corpus.resolve())])
    check_sarif("fixtures", ["fixtures"])
    body = (corpus / "docs__serverless__endpoints__send-requests.mdx.block5.json").read_text()
    for name in ["job.json", str(ROOT / "requests" / "job.json")]:
        check_sarif(f"stdin as {name}", ["--stdin-filename", name, "-"], stdin=body)


if __name__ == "__main__":
    main()
