#!/usr/bin/env python3
"""rplint's benchmark: rplint against the physical limit, measured side by side in one run.

    python3 bench/run.py [--runs 11] [--huge] [--corpus DIR]

Builds rplint and the baseline in release mode. The baseline (`bench/baseline/`, a crate of its
own so that it does not inherit rplint's `serde_json/preserve_order`; fat LTO, one codegen unit)
reads every file and parses it with a plain `serde_json::from_slice::<Value>`, on one thread and,
as `--threads 2`, on as many threads as rplint uses. Generates the corpus with
`../shared/bench/gen_corpus.py --small 10000 --large 4 --seed 1` and a tree of 200 worker
repositories with `bench/repo_tree.py`, then times, alternating the programs in every round, and
prints medians, ratios and peak memory as Markdown:

  - 10,000 small files: `rplint check --format json` vs the baseline (and jsonschema-cli on the
    parseable files, when it is on PATH);
  - the repository tree: every JSON file parsed (the baseline) vs rplint checking the RunPod
    documents among them and skipping the rest (with the counts rplint reports);
  - the 4 large files (22 MB);
  - one small file, as a pre-commit hook runs it (process start included);
  - peak RSS on the 10 MB document, and with --huge, 10,000 vs 100,000 files, in one directory
    and spread over directories of 1,000.
"""
import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
RPLINT = ROOT / "target" / "release" / "rplint"
BASELINE_CRATE = ROOT / "bench" / "baseline"
BASELINE = BASELINE_CRATE / "target" / "release" / "baseline_parse"


GNU_TIME = "/usr/bin/time" if Path("/usr/bin/time").exists() else None


def run(cmd, cwd):
    """Wall seconds of one run; output thrown away."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, _ = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"{cmd[0]} exited with {code}")
    return wall


def peak_rss(cmd, cwd):
    """Peak RSS in KiB, measured by GNU time (a child of this Python process would report at
    least Python's own size: Linux keeps the pre-exec high-water mark)."""
    if GNU_TIME is None:
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return os.wait4(proc.pid, 0)[2].ru_maxrss
    with tempfile.NamedTemporaryFile("r") as out:
        subprocess.run([GNU_TIME, "-f", "%M", "-o", out.name, *cmd], cwd=cwd,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return int(out.read().split()[-1])


def measure(programs, runs, cwd):
    """Median wall time and peak RSS per program, alternating programs in each round."""
    walls = {name: [] for name in programs}
    for name, cmd in programs.items():  # warm-up
        run(cmd, cwd)
    for _ in range(runs):
        for name, cmd in programs.items():
            walls[name].append(run(cmd, cwd))
    return {n: (statistics.median(walls[n]), peak_rss(programs[n], cwd)) for n in programs}


def table(title, results, reference):
    ref = results[reference][0]
    lines = [f"### {title}", "", "| program | median wall | ÷ baseline | peak RSS |", "|---|---|---|---|"]
    for name, (wall, peak) in results.items():
        lines.append(f"| {name} | {wall * 1000:.1f} ms | {wall / ref:.2f}× | {peak / 1024:.1f} MiB |")
    return "\n".join(lines) + "\n"


def generate(out, small, large):
    subprocess.run(
        [sys.executable, str(SHARED / "bench" / "gen_corpus.py"), "--out", str(out),
         "--small", str(small), "--large", str(large), "--seed", "1"],
        check=True, stdout=subprocess.DEVNULL)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--huge", action="store_true", help="also run 100,000 files (memory)")
    parser.add_argument("--corpus", type=Path, help="reuse a generated corpus")
    args = parser.parse_args()

    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "rplint"], cwd=ROOT,
                   check=True)
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=BASELINE_CRATE, check=True)
    threads = str(os.cpu_count() or 1)
    work = Path(tempfile.mkdtemp(prefix="rplint-bench-"))
    corpus = args.corpus or work / "corpus"
    if not args.corpus:
        generate(corpus, 10000, 4)
    rplint = [str(RPLINT), "check", "--no-config", "--format", "json"]
    out = [f"Machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}; "
           f"{args.runs} runs after a warm-up, programs alternating in each round.", ""]

    out.append(table("10,000 small files", measure({
        "baseline (read + serde_json, sequential)": [str(BASELINE), "small"],
        f"baseline on {threads} threads": [str(BASELINE), "--threads", threads, "small"],
        "rplint check --format json": rplint + ["small"],
    }, args.runs, corpus), "baseline (read + serde_json, sequential)"))

    tree = work / "tree"
    counts = subprocess.run([sys.executable, str(ROOT / "bench" / "repo_tree.py"), "--out",
                             str(tree), "--workers", "200", "--seed", "1"],
                            check=True, capture_output=True, text=True).stdout.strip()
    report = subprocess.run(rplint + [str(tree)], capture_output=True, text=True).stdout
    summary = json.loads(report)["summary"]
    out.append(f"Repository tree (`repo_tree.py --workers 200 --seed 1`: {counts}); rplint "
               f"checked {summary['files']} files, skipped {summary['skipped']}, found "
               f"{summary['errors']} errors and {summary['warnings']} warnings.\n")
    out.append(table("A tree of 200 worker repositories", measure({
        "baseline (read + serde_json, sequential)": [str(BASELINE), "tree"],
        f"baseline on {threads} threads": [str(BASELINE), "--threads", threads, "tree"],
        "rplint check --format json": rplint + ["tree"],
        # What reading the READMEs and handlers (host files) adds to the walk.
        "rplint check --format json --hosts none": rplint + ["--hosts", "none", "tree"],
    }, args.runs, work), "baseline (read + serde_json, sequential)"))

    jsonschema_cli = shutil.which("jsonschema-cli")
    if jsonschema_cli:
        manifest = (corpus / "manifest.tsv").read_text().splitlines()[1:]
        parseable = [row.split("\t")[0] for row in manifest
                     if row.split("\t")[1] != "syntax_error" and row.startswith("small/")]
        # All three get the same list of files by name (jsonschema-cli takes no directory).
        files = [str(corpus / p) for p in parseable]
        schema = str(SHARED / "bench" / "request.schema.json")
        out.append(table(f"{len(files):,} parseable small files, named on the command line", measure({
            "baseline (read + serde_json, sequential)": [str(BASELINE), *files],
            "rplint check --format json": rplint + files,
            "jsonschema-cli validate": [jsonschema_cli, "validate", schema, "-i", *files],
        }, args.runs, corpus), "baseline (read + serde_json, sequential)"))

    out.append(table("4 large files (22 MB)", measure({
        "baseline (read + serde_json, sequential)": [str(BASELINE), "large"],
        "rplint check --format json": rplint + ["large"],
    }, args.runs, corpus), "baseline (read + serde_json, sequential)"))

    one = "small/req-00000.json"
    singles = {
        "baseline (read + serde_json)": [str(BASELINE), one],
        "rplint check": [str(RPLINT), "check", "--no-config", one],
    }
    if jsonschema_cli:
        singles["jsonschema-cli validate"] = [jsonschema_cli, "validate",
                                              str(SHARED / "bench" / "request.schema.json"), "-i", one]
    out.append(table(f"one small file ({one}), process start included", measure(
        singles, max(args.runs, 101), corpus), "baseline (read + serde_json)"))
    loops = {}
    for name, cmd in singles.items():
        loop = " ".join(cmd) + " >/dev/null 2>&1"
        times = []
        for _ in range(5):
            start = time.perf_counter()
            subprocess.run(["sh", "-c", f"for i in $(seq 100); do {loop}; done"], cwd=corpus)
            times.append((time.perf_counter() - start) / 100)
        loops[name] = statistics.median(times)
    out.append("The same, as a shell loop of 100 calls (5 loops, median per call):\n\n"
               + "\n".join(f"- {name}: {t * 1000:.2f} ms" for name, t in loops.items()) + "\n")

    big = next(sorted((corpus / "large").glob("*image-b64.json")).__iter__())
    size = big.stat().st_size
    peak = peak_rss(rplint + [str(big)], corpus)
    out.append(f"### Memory on one {size / 1e6:.1f} MB document\n\n"
               f"rplint peak RSS {peak / 1024:.1f} MiB = {peak * 1024 / size:.2f}× the document.\n")

    if args.huge:
        huge = work / "huge"
        generate(huge, 100000, 0)
        # The same files spread over directories of 1,000 (hard links, no copies): a walk holds
        # one directory's listing at a time, so the layout decides what a sorted walk keeps.
        names = sorted(p.name for p in (huge / "small").iterdir())
        for count in (10000, 100000):
            for i, name in enumerate(names[:count]):
                folder = huge / f"tree{count}" / f"d{i // 1000:03}"
                folder.mkdir(parents=True, exist_ok=True)
                os.link(huge / "small" / name, folder / name)
        rows = [
            ("10,000 in one directory", corpus / "small"),
            ("100,000 in one directory", huge / "small"),
            ("10,000 in 10 directories", huge / "tree10000"),
            ("100,000 in 100 directories", huge / "tree100000"),
        ]
        out.append("### Memory against the number of files\n\n| files | median wall | peak RSS |\n|---|---|---|")
        for label, folder in rows:
            wall, peak = measure({label: rplint + [str(folder)]}, 3, huge)[label]
            out.append(f"| {label} | {wall:.2f} s | {peak / 1024:.1f} MiB |")
        out.append("")

    print("\n".join(out))
    # The corpus given with --corpus is elsewhere; everything here is this run's own.
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
