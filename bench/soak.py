"""Soak test of the HTTP API on loopback (issue 8): concurrent reads and `POST /articles` writes
against one `sitrep serve` for a bounded time; no errors, no lost writes, memory flat.

    .venv/bin/python bench/soak.py [--seconds 600] [--readers 6] [--writers 2] [--out FILE]

The server starts on an empty DuckDB store with a token, as `make demo` would serve it. Writers
post Wikinews articles (each made new by a numbered sentence of its own, so every post stores
an article) one at a time, readers loop over the dashboard's requests: events with and without
filters, GeoJSON, the timeline, stats, an article. An error is any answer but 2xx, or a failed
connection. After the run every article a 201 answer named must be readable at
/articles/{id}, and in the DuckDB file reopened once the server has stopped: those that are
not are lost writes. The clock starts after one warm-up post (models load on the first). The
server's RSS is sampled every second; *flat* compares the peak of the last fifth of the run
with the peak of the second fifth (the first fifth holds the first writes' growth). Figures
go to bench/results/soak.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
from _news import wikinews
from _results import run_info, write_json
from api_load import free_port

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "soak-test-token"
READS = ["/health", "/stats", "/events?limit=50", "/events?class=violence&limit=20",
         "/events?country=ARM", "/events?actor=army&limit=20", "/events.geojson",
         "/events/days", "/events?text=ceasefire", "/ceasefires"]  # fmt: skip


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def serve(db: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SITREP_API_TOKEN": TOKEN}
    cmd = [str(Path(sys.executable).with_name("sitrep")), "serve", "--db", str(db), "--port",
           str(port)]  # fmt: skip
    with log.open("wb") as err:  # a file, not a pipe nobody reads: the server never blocks on it
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=err)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
        if proc.poll() is not None:
            raise SystemExit(f"sitrep serve stopped: {log.read_text()[-2000:]}")
    raise SystemExit("sitrep serve did not answer /health")


def soak(seconds: float, readers: int, writers: int) -> dict[str, Any]:
    arts = list(wikinews())
    lock = threading.Lock()
    latencies: dict[str, list[float]] = {"read": [], "write": []}
    errors: list[str] = []
    stored: list[str] = []
    posted = [0]
    rss: list[tuple[float, float]] = []

    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        db = Path(tmp) / "soak.duckdb"
        proc = serve(db, port, Path(tmp) / "serve.log")
        base = f"http://127.0.0.1:{port}"
        # one post first, so the models are loaded before the clock and the memory samples start
        warm = httpx.post(f"{base}/articles", json={"id": "warm-up", "text": arts[0]["text"]},
                          headers={"Authorization": f"Bearer {TOKEN}"}, timeout=300)  # fmt: skip
        if warm.status_code != 201:
            raise SystemExit(f"the warm-up post failed: {warm.status_code} {warm.text[:300]}")
        stored.extend(warm.json()["stored_ids"])
        start = time.monotonic()
        stop = start + seconds

        def record(kind: str, took: float, problem: str | None) -> None:
            with lock:
                latencies[kind].append(took)
                if problem:
                    errors.append(problem)

        def reader(n: int) -> None:
            rng = random.Random(n)
            with httpx.Client(base_url=base, timeout=60) as client:
                while time.monotonic() < stop:
                    path = rng.choice(READS)
                    t = time.perf_counter()
                    try:
                        status = client.get(path).status_code
                        problem = None if status < 300 else f"GET {path}: {status}"
                    except Exception as exc:  # any failure is counted, none ends the thread
                        problem = f"GET {path}: {exc!r}"
                    record("read", time.perf_counter() - t, problem)

        def writer(n: int) -> None:
            headers = {"Authorization": f"Bearer {TOKEN}"}
            with httpx.Client(base_url=base, timeout=120, headers=headers) as client:
                k = 0
                while time.monotonic() < stop:
                    art = arts[(n * 7919 + k) % len(arts)]
                    text = f"{art['text']}\n\nDépêche numéro {n}-{k} de l'envoyé."
                    body = {"id": f"soak-{n}-{k}", "title": art["title"], "text": text}
                    k += 1
                    t = time.perf_counter()
                    try:
                        response = client.post("/articles", json=body)
                        problem = None
                        if response.status_code != 201:
                            problem = f"POST: {response.status_code} {response.text[:200]}"
                        else:
                            with lock:
                                stored.extend(response.json()["stored_ids"])
                    except Exception as exc:  # a bad body too: counted, never a dead thread
                        problem = f"POST: {exc!r}"
                    with lock:
                        posted[0] += 1
                    record("write", time.perf_counter() - t, problem)

        threads = [threading.Thread(target=reader, args=(n,)) for n in range(readers)]
        threads += [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
        for t in threads:
            t.start()
        while any(t.is_alive() for t in threads):
            rss.append((time.monotonic() - start, rss_mb(proc.pid)))
            time.sleep(1)
        for t in threads:
            t.join()
        with httpx.Client(base_url=base, timeout=60) as client:
            unreadable = [a for a in stored if client.get(f"/articles/{a}").status_code != 200]
        proc.terminate()
        proc.wait(timeout=30)
        # durable, not just served: the file, reopened once the server has gone
        from sitrep.store import Store

        with Store(db, read_only=True) as store:
            on_disk = {
                r[0] for r in store.con.execute("SELECT article_id FROM articles").fetchall()
            }
            total = len(on_disk)
        lost = sorted(set(unreadable) | (set(stored) - on_disk))

    fifth = seconds / 5
    warm = [m for t, m in rss if fifth <= t < 2 * fifth]
    late = [m for t, m in rss if t >= 4 * fifth]
    if not warm or not late:
        raise SystemExit(f"too few memory samples ({len(rss)}) to compare two fifths of the run")
    return {
        "seconds": seconds, "readers": readers, "writers": writers,
        "reads": len(latencies["read"]), "posts": posted[0] + 1, "articles_stored": len(stored),
        "errors": len(errors), "error_examples": errors[:5], "lost_writes": len(lost),
        "read_p50_ms": round(percentile(latencies["read"], 0.5) * 1000, 1),
        "read_p99_ms": round(percentile(latencies["read"], 0.99) * 1000, 1),
        "write_p50_ms": round(percentile(latencies["write"], 0.5) * 1000, 1),
        "write_p99_ms": round(percentile(latencies["write"], 0.99) * 1000, 1),
        "rss_mb_second_fifth_peak": round(max(warm), 1),
        "rss_mb_last_fifth_peak": round(max(late), 1),
        "rss_ratio": round(max(late) / max(warm), 3), "store_articles": total,
    }  # fmt: skip


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--seconds", type=float, default=600, help="at most 600")
    p.add_argument("--readers", type=int, default=6)
    p.add_argument("--writers", type=int, default=2)
    p.add_argument("--out", type=Path, default=ROOT / "bench/results/soak.json")
    args = p.parse_args()
    result = soak(min(args.seconds, 600), args.readers, args.writers)
    write_json(args.out, {"run": run_info(args), **result})
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
