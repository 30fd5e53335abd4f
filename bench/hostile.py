#!/usr/bin/env python3
"""Time and peak memory of rplint on hostile input (issue 13), for one or more builds.

    python3 bench/hostile.py --binary before=/tmp/rplint-old --binary after=target/release/rplint

Generates every case into a temporary directory, runs each binary on each case (alternating,
`--runs` times, the median kept) under `/usr/bin/time -f "%e %M"`, and prints a Markdown table
of seconds and peak resident memory (MiB). Exit codes are not checked: the hostile cases are
meant to produce findings or refusals; what is measured is that they end, and at what cost.
"""

import argparse
import os
import random
import statistics
import string
import subprocess
import sys
import tempfile


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def cases(root):
    """(label, argv after the binary, working directory) for every case, files written."""
    out = []

    def case(label, name, text, *args):
        path = os.path.join(root, name)
        write(path, text)
        out.append((label, ["check", "--no-config", *args, path], root))

    case(
        "a 20 MB `{\"input\": [1,1,…]}` of 10 million numbers",
        "array.json",
        '{"input": [' + ",".join(["1"] * 10_000_000) + "]}",
        "--route",
        "runsync",
    )
    case(
        "500,000 unknown top-level keys (6.9 MB)",
        "keys.json",
        '{"input": {}, ' + ", ".join(f'"k{i}": 1' for i in range(500_000)) + "}",
    )
    case(
        "1 million distinct keys in `input` (12.9 MB)",
        "input-keys.json",
        '{"input": {' + ", ".join(f'"key{i}": {i}' for i in range(1_000_000)) + "}}",
        "--route",
        "runsync",
    )
    case(
        "a request followed by 10 million line breaks",
        "lines.json",
        '{"input": {}}' + "\n" * 10_000_000,
    )
    case(
        "20 MB of `>` before a fence (Markdown)",
        "quotes.md",
        ">" * 20_000_000 + ' ```json\n{"input":{}}\n',
    )
    case(
        "1,001 passwords, then a webhook's password quoted by its help (0.04 MB)",
        "passwords.json",
        '{"input": {'
        + ",".join(f'"password{i}": "{i:012d}x"' for i in range(1001))
        + '},\n"webhook": " https://u:zQm7Vz2Rk9Tp4@example.com/h"}\n',
    )
    rng = random.Random(1)
    letters = string.ascii_letters + string.digits
    case(
        "a broken document of 1,000 `\"passwordN\": \"<1,000 random characters>\"` (1 MB)",
        "broken-passwords.json",
        '{"input": {}, '
        + ",".join(
            f'"password{i}": "' + "".join(rng.choice(letters) for _ in range(1000)) + '"'
            for i in range(1000)
        )
        + ",,}",
    )
    case(
        "30,000 `{}` nested 9,000 arrays deep (0.1 MB)",
        "deep-many.json",
        '{"input":' + "[" * 9000 + ",".join(["{}"] * 30_000) + "]" * 9000 + "}",
    )
    case(
        "a URL of 40,000 `kNtoken=` query parameters (1 MB)",
        "query.json",
        '{"input": {"u": "https://h.example/x?'
        + "&".join(f"k{i}token=abcdefgh{i}" for i in range(40_000))
        + '"}}',
    )
    case(
        "8 MB of `:` each followed by 255 `@` in a broken document",
        "colons-ats.json",
        '{"input": {"a": "' + (":" + "@" * 255) * (8 * 1024 * 1024 // 256) + '"',
    )
    case(
        "a `password` key at each of 9,999 levels (0.3 MB)",
        "deep-passwords.json",
        '{"input": {}, "x": ' + '{"password": "", "a": ' * 9999 + "1" + "}" * 9999 + "}",
    )
    case(
        "200,000 `-H 'Authorization: x'` on one curl line (4.4 MB)",
        "headers.sh",
        "curl https://api.runpod.ai/v2/a/run " + "-H 'Authorization: x' " * 200_000
        + "-d '{\"input\":{}}'\n",
    )
    case(
        "50,000 `\"tokenN\": f\"{a}{b}\"` pairs on one Python line (1.3 MB)",
        "tokens.py",
        'import requests\nrequests.post("https://api.runpod.ai/v2/a/run", json={"input": {}}); h = {'
        + ", ".join(f'"token{i}": f"{{a}}{{b}}"' for i in range(50_000))
        + "}\n",
    )
    deep = 450_000
    case(
        "JavaScript nested 450,000 brackets deep (0.9 MB)",
        "deep.js",
        'fetch("https://api.runpod.ai/v2/x/run",{method:"POST",body:JSON.stringify({input:'
        + "[" * deep
        + "]" * deep
        + "})})\n",
    )

    # Ignore files over a tree of 10,000 small requests.
    tree = os.path.join(root, "tree")
    for i in range(10_000):
        write(os.path.join(tree, f"d{i % 100}", f"f{i}.json"), '{"input": {}}')
    patterns = "".join(f"*/pat{i}/**/x{i}.json\n" for i in range(30_000))
    for label, name, text in [
        ("a `.gitignore` of 30,000 patterns over 10,000 files", "gi-patterns", patterns),
        (
            "a 1 MB `.gitignore` of 500 patterns of 2,000 `*`, 10,000 files",
            "gi-stars",
            "".join("*" * 2000 + f"{i}\n" for i in range(500)),
        ),
        ("a `.gitignore` of 9,000 patterns over 10,000 files (accepted)", "gi-ok", patterns[: patterns.index("*/pat9000/")]),
    ]:
        write(os.path.join(tree, ".gitignore"), text)
        snapshot = os.path.join(root, name + ".gitignore")
        write(snapshot, text)
        out.append((label, ["check", "--no-config", "--format", "concise", "."], tree, snapshot))
    return out


def measure(binary, argv, cwd, gitignore=None):
    if gitignore is not None:
        with open(gitignore, encoding="utf-8") as src, open(
            os.path.join(cwd, ".gitignore"), "w", encoding="utf-8"
        ) as dst:
            dst.write(src.read())
    result = subprocess.run(
        ["/usr/bin/time", "-f", "%e %M", "timeout", "300", binary, *argv],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    last = result.stderr.strip().splitlines()[-1].split()
    return float(last[0]), int(last[1]) / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", action="append", required=True, help="NAME=PATH")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    binaries = [b.split("=", 1) for b in args.binary]
    with tempfile.TemporaryDirectory() as root:
        print("| input | " + " | ".join(name for name, _ in binaries) + " |")
        print("|---|" + "---|" * len(binaries))
        for label, argv, cwd, *gitignore in cases(root):
            results = {name: [] for name, _ in binaries}
            for _ in range(args.runs):
                for name, path in binaries:
                    results[name].append(measure(path, argv, cwd, *gitignore))
            cells = []
            for name, _ in binaries:
                seconds = statistics.median(r[0] for r in results[name])
                mib = statistics.median(r[1] for r in results[name])
                cells.append(f"{seconds:.2f} s, {mib:,.0f} MiB")
            print(f"| {label} | " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
