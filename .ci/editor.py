"""A real editor as the language client: headless Neovim starts `rplint server`, shows the
diagnostics of a request, applies the quick fix at the first one and writes the file
(tests/editor/nvim.lua). This checks what it saw and wrote.

Usage: python3 .ci/editor.py path/to/rplint
"""

import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

REQUEST = (
    '{\n  "input": {"prompt": "a \U0001f600 cat"},'
    ' "policy": {"executionTimeout": "600000", "ttll": 60000}\n}\n'
)


def main() -> int:
    rplint = os.path.abspath(sys.argv[1])
    nvim = shutil.which("nvim")
    if nvim is None:
        print("editor: nvim is not installed", file=sys.stderr)
        return 1
    script = pathlib.Path(__file__).resolve().parent.parent / "tests" / "editor" / "nvim.lua"
    with tempfile.TemporaryDirectory() as work:
        work = pathlib.Path(work)
        doc = work / "request.json"
        doc.write_text(REQUEST, encoding="utf-8")
        out = work / "seen.json"
        env = dict(os.environ, RPLINT_BIN=rplint, RPLINT_DOC=str(doc), RPLINT_OUT=str(out),
                   XDG_CONFIG_HOME=str(work / "config"), XDG_DATA_HOME=str(work / "data"),
                   XDG_STATE_HOME=str(work / "state"))
        run = subprocess.run(
            [nvim, "--headless", "-u", "NONE", "-i", "NONE", "-n", "-c", f"luafile {script}"],
            env=env, cwd=work, timeout=120, capture_output=True, text=True,
        )
        seen = json.loads(out.read_text()) if out.exists() else {}
        failures = []
        if run.returncode != 0 or seen.get("failure"):
            failures.append(f"nvim exited {run.returncode}: {seen.get('failure')} {run.stderr[-2000:]}")
        diagnostics = seen.get("diagnostics") or []
        codes = [d["code"] for d in diagnostics]
        if codes != ["invalid-type", "unknown-key"]:
            failures.append(f"diagnostics: {codes}")
        # Neovim shows them at byte columns: right only if both sides counted the emoji alike.
        line = REQUEST.split("\n")[1].encode("utf-8")
        want = line.index(b'"600000"')
        if diagnostics and (diagnostics[0]["col"], diagnostics[0]["end_col"]) != (want, want + 8):
            failures.append(f"columns: {diagnostics[0]} against {want}")
        written = doc.read_text(encoding="utf-8")
        fixed = REQUEST.replace('"600000"', "600000")
        if written != fixed:
            failures.append(f"the file after the quick fix:\n{written}")
        titles = [a["title"] for a in seen.get("actions") or []]
        if "Write `600000` (invalid-type)" not in titles:
            failures.append(f"actions: {titles}")
        for failure in failures:
            print(f"editor: {failure}", file=sys.stderr)
        if not failures:
            print(f"editor: Neovim ({seen.get('encoding')}) showed {codes} and applied the quick fix")
        return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
