#!/usr/bin/env python3
"""A realistic tree of worker repositories for rplint's benchmark (python3 stdlib only).

    python3 bench/repo_tree.py --out DIR [--workers 200] [--seed 1]

Each worker repository holds what real ones do: `.runpod/hub.json` and `.runpod/tests.json`
(about one in five with a mistake: a GPU name where a pool belongs, a timeout in seconds, a
duplicate env key), `test_input.json`, a few request bodies under `requests/` (some with a
stray top-level key or a timeout in seconds), and the files that are not RunPod documents:
`package.json`, `package-lock.json`, `tsconfig.json` (with comments), `.vscode/settings.json`,
a README, a handler, a Dockerfile, and in one worker of ten a 1 MB `vocab.json`. The same
arguments give the same files. Prints the number of JSON files, and of RunPod documents
among them, as `json=N runpod=M`.
"""
import argparse
import json
import random
from pathlib import Path

POOLS = ["ADA_24", "AMPERE_24", "AMPERE_48", "ADA_48_PRO", "AMPERE_80", "ADA_80_PRO"]


def hub(rng, i, broken):
    env = [{"key": "MODEL_NAME", "input": {"name": "Model", "type": "string",
                                           "default": f"org/model-{i}"}},
           {"key": "MAX_TOKENS", "input": {"name": "Max tokens", "type": "number",
                                           "default": 1024, "min": 32, "max": 8192}},
           {"key": "LOG_LEVEL", "value": "info"}]
    gpu_ids = ",".join(rng.sample(POOLS, 2))
    if broken == 1:
        gpu_ids = "NVIDIA GeForce RTX 4090"
    if broken == 2:
        env.append({"key": "LOG_LEVEL", "value": "debug"})
    return {"title": f"Worker {i}", "description": "A worker.", "type": "serverless",
            "category": rng.choice(["language", "image", "audio", "video", "embedding"]),
            "iconUrl": "https://example.com/icon.png",
            "config": {"runsOn": "GPU", "containerDiskInGb": rng.choice([10, 20, 50]),
                       "gpuIds": gpu_ids, "gpuCount": 1,
                       "allowedCudaVersions": ["12.8", "12.9"], "env": env,
                       "presets": [{"name": "Small", "defaults": {"MODEL_NAME": "org/small"}}]}}


def job_input(rng):
    return {"prompt": "a photo of a cat " * rng.randint(1, 20), "steps": rng.randint(10, 50),
            "width": 1024, "height": 1024, "seed": rng.randint(0, 2**31)}


def tests(rng, broken):
    timeout = 30 if broken == 3 else 300000
    return {"tests": [{"name": f"test-{k}", "input": job_input(rng), "timeout": timeout}
                      for k in range(rng.randint(1, 3))],
            "config": {"gpuTypeId": "NVIDIA GeForce RTX 4090", "gpuCount": 1}}


def request(rng, broken):
    body = {"input": job_input(rng), "policy": {"executionTimeout": 600000, "ttl": 3600000}}
    if broken == 4:
        body["policy"]["executionTimeout"] = 600
    if broken == 5:
        body["prompt"] = "outside input"
    return body


def worker(root, rng, i):
    broken = rng.randint(0, 24)  # 1..5 are mistakes: one worker in five has one
    files = {}
    files[".runpod/hub.json"] = json.dumps(hub(rng, i, broken), indent=2)
    files[".runpod/tests.json"] = json.dumps(tests(rng, broken), indent=2)
    files["test_input.json"] = json.dumps({"input": job_input(rng)}, indent=2)
    for k in range(rng.randint(1, 4)):
        files[f"requests/job-{k}.json"] = json.dumps(request(rng, broken if k == 0 else 0))
    files["package.json"] = json.dumps({"name": f"worker-{i}", "version": "1.0.0",
                                        "scripts": {"test": "jest"},
                                        "dependencies": {"runpod-sdk": "^1.0.0"}}, indent=2)
    files["package-lock.json"] = json.dumps(
        {"name": f"worker-{i}", "lockfileVersion": 3,
         "packages": {f"node_modules/dep-{d}": {"version": f"1.{d}.0",
                                                 "resolved": f"https://registry.example/dep-{d}.tgz",
                                                 "integrity": "sha512-" + "x" * 60}
                      for d in range(rng.randint(50, 300))}}, indent=2)
    files["tsconfig.json"] = ('{\n  // compiler options\n  "compilerOptions": {"strict": true,'
                              ' "target": "es2022"},\n}\n')
    files[".vscode/settings.json"] = json.dumps({"editor.formatOnSave": True}, indent=2)
    files["README.md"] = f"# Worker {i}\n\n```json\n{json.dumps(request(rng, 0), indent=2)}\n```\n"
    files["src/handler.py"] = "import runpod\n\ndef handler(job):\n    return job['input']\n" \
                              "\nrunpod.serverless.start({'handler': handler})\n"
    files["Dockerfile"] = "FROM python:3.12-slim\nCOPY src /src\nCMD python /src/handler.py\n"
    if i % 10 == 0:
        files["vocab.json"] = json.dumps({f"tok{t}": t for t in range(60000)})
    for path, text in files.items():
        target = root / f"worker-{i:04}" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    json_files = [p for p in files if p.endswith(".json")]
    runpod = [p for p in json_files if p.startswith((".runpod/", "requests/")) or p == "test_input.json"]
    return len(json_files), len(runpod)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--workers", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    total = [0, 0]
    for i in range(args.workers):
        counts = worker(args.out, rng, i)
        total[0] += counts[0]
        total[1] += counts[1]
    print(f"json={total[0]} runpod={total[1]}")


if __name__ == "__main__":
    main()
