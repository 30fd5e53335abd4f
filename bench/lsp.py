#!/usr/bin/env python3
"""The language server's keystroke latency: how long `rplint server` takes from a one-character
edit to the diagnostics of the new version, as an editor sees it (the round trip over stdio
included).

    python3 bench/lsp.py [--runs 201] [--binary target/release/rplint]

Opens three documents in one server and types into each in turn (alternating, so that the
machine's noise falls on all alike), one `didChange` per keystroke, waiting for each
version's `publishDiagnostics`:

  - a 100 KB request (pretty-printed JSON, an `input` of 560 records, two findings);
  - a 100 KB Markdown guide with 114 request fences (one finding each);
  - a 14-byte request: the floor (the protocol's round trip and one check of nothing).

Prints medians and 90th percentiles in milliseconds, as Markdown.
"""
import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def request_100k() -> str:
    records = [
        {"id": i, "prompt": f"a photo of item {i}", "steps": 30, "scale": 7.5, "tags": ["a", "b"]}
        for i in range(560)
    ]
    body = {
        "input": {"records": records},
        "webhook": "https://hooks.example.com/done",
        "policy": {"executionTimeout": 600, "ttl": "86400000"},
    }
    return json.dumps(body, indent=2) + "\n"


def markdown_100k() -> str:
    parts = ["# Sending jobs\n"]
    for i in range(114):
        parts.append(f"\n## Example {i}\n\nSend the job with a prompt and a policy. " * 3)
        fence = json.dumps(
            {"input": {"prompt": f"example {i}", "steps": list(range(60))}, "policy": {"ttl": 60000}},
            indent=2,
        )
        parts.append(f"\n\n```json\n{fence.replace('60000', '60')}\n```\n")
    return "".join(parts)


class Server:
    def __init__(self, binary: str):
        self.proc = subprocess.Popen(
            [binary, "server"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self.next_id = 0

    def send(self, message: dict) -> None:
        body = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def receive(self) -> dict:
        length = None
        while True:
            line = self.proc.stdout.readline()
            if not line:
                sys.exit("the server ended")
            if line == b"\r\n":
                break
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        return json.loads(self.proc.stdout.read(length))

    def request(self, method: str, params) -> dict:
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        while True:
            message = self.receive()
            if message.get("id") == self.next_id and "method" not in message:
                return message

    def diagnostics(self, uri: str, version: int) -> list:
        while True:
            message = self.receive()
            params = message.get("params") or {}
            if (
                message.get("method") == "textDocument/publishDiagnostics"
                and params.get("uri") == uri
                and params.get("version") == version
            ):
                return params["diagnostics"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=201)
    parser.add_argument("--binary", default=str(ROOT / "target" / "release" / "rplint"))
    args = parser.parse_args()
    if args.binary == str(ROOT / "target" / "release" / "rplint"):
        subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "rplint"], cwd=ROOT, check=True)
    server = Server(args.binary)
    server.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
    server.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    documents = {
        "100 KB request": ("file:///bench/request.json", "json", request_100k()),
        "100 KB Markdown, 114 fences": ("file:///bench/guide.md", "markdown", markdown_100k()),
        "14-byte request (floor)": ("file:///bench/tiny.json", "json", '{"input": {}}\n'),
    }
    found = {}
    for name, (uri, language, text) in documents.items():
        server.send({
            "jsonrpc": "2.0",
            "method": "textDocument/didOpen",
            "params": {"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}},
        })
        found[name] = len(server.diagnostics(uri, 1))
    times = {name: [] for name in documents}
    for run in range(args.runs):
        version = run + 2
        for name, (uri, _, _) in documents.items():
            # Type a space at the start of line 2, then delete it: every other keystroke.
            at = {"line": 1, "character": 0}
            change = (
                {"range": {"start": at, "end": at}, "text": " "}
                if run % 2 == 0
                else {"range": {"start": at, "end": {"line": 1, "character": 1}}, "text": ""}
            )
            start = time.perf_counter()
            server.send({
                "jsonrpc": "2.0",
                "method": "textDocument/didChange",
                "params": {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]},
            })
            diagnostics = server.diagnostics(uri, version)
            times[name].append((time.perf_counter() - start) * 1000)
            if len(diagnostics) != found[name]:
                sys.exit(f"{name}: {len(diagnostics)} diagnostics after a space, {found[name]} before")
    server.request("shutdown", None)
    server.send({"jsonrpc": "2.0", "method": "exit"})
    server.proc.wait(timeout=10)
    print(f"Keystroke to diagnostics, {args.runs} keystrokes per document, milliseconds:\n")
    print("| document | bytes | diagnostics | median | p90 |")
    print("|---|---:|---:|---:|---:|")
    for name, (_, _, text) in documents.items():
        ordered = sorted(times[name])
        p90 = ordered[int(len(ordered) * 0.9)]
        print(
            f"| {name} | {len(text.encode()):,} | {found[name]} "
            f"| {statistics.median(ordered):.2f} | {p90:.2f} |"
        )


if __name__ == "__main__":
    main()
