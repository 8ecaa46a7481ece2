"""Load test of the HTTP API on loopback (issue 6): 100,000 synthetic events in the store, 50
concurrent clients, p50/p99 latency of `/events` with filters and of `/events.geojson`.

    .venv/bin/python bench/api_load.py [--events 100000] [--connections 50] [--seconds 20]
        [--backend duckdb|postgresql|both] [--pg postgresql://…] [--workers 1]

Events are generated straight into the store (no NLP): 50 countries over three years, every
class of the ontology, one to three sources and a claim each, written with the merge's own
writer. `sitrep serve` runs in its own process (one Uvicorn worker, as `make demo` starts it);
wrk (Debian's package) is the load generator, in another process, each request a different
filter from a fixed list. Errors are non-2xx answers and socket errors: there must be none.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from _results import run_info, write_json

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench/results"
#: Fifty real ISO codes (the API checks them), the same on every run.
CODES = sorted(c.alpha_3 for c in __import__("pycountry").countries)[::5][:50]
DAYS = 3 * 365
START = date(2021, 1, 1)

#: wrk's script: each request the next path of a list; at the end, the figures as one JSON line.
WRK_LUA = """
local paths = {%s}
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  io.write(string.format(
    "RESULT {\\"requests\\": %%d, \\"seconds\\": %%.3f, \\"p50_ms\\": %%.2f, \\"p90_ms\\": %%.2f, "
    .. "\\"p99_ms\\": %%.2f, \\"max_ms\\": %%.2f, \\"non_2xx\\": %%d, \\"socket_errors\\": %%d, "
    .. "\\"bytes\\": %%d}\\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout, summary.bytes))
end
"""


def synthetic_events(n: int, seed: int = 11) -> list[dict[str, Any]]:
    """Merged event records as the merge writes them, spread like a real archive's."""
    from sitrep.events.ontology import load_ontology

    rng = random.Random(seed)
    types = list(load_ontology().types.values())
    countries = [(code, rng.uniform(-30, 50), rng.uniform(-20, 100)) for code in CODES]
    out = []
    for k in range(n):
        t = rng.choice(types)
        country, lat, lon = rng.choice(countries)
        other = rng.choice(countries)[0]
        day = START + timedelta(days=rng.randrange(DAYS))
        precise = rng.random() < 0.7
        sources = [
            {"article_id": f"a{k}_{j}", "input_id": f"in{k}_{j}", "url": None,
             "published": day.isoformat(), "sentence": f"Report {j} of event {k} in {country}.",
             "char_start": 0, "char_end": 30}
            for j in range(rng.randint(1, 3))
        ]  # fmt: skip
        out.append({
            "event_id": f"ev_{k:012d}", "type": t.code, "class": t.event_class,
            "acled_event_type": None, "acled_sub_event_type": None, "plover": None,
            "event_date": day, "event_time": None, "time_precision": 1, "historical": False,
            "ceasefire_id": None, "actor1": f"Forces of {country}", "actor2": f"Forces of {other}",
            "mediator": None, "actor1_country": country, "actor2_country": other, "targets": [],
            "country": country, "admin1": f"Province {rng.randrange(10)}", "admin2": None,
            "location": f"Town {rng.randrange(200)}" if precise else None,
            "latitude": lat + rng.uniform(-3, 3), "longitude": lon + rng.uniform(-3, 3),
            "geo_precision": 1 if precise else 3, "geonames_id": None, "weapons": [],
            "fatalities": rng.choice((None, 0, 1, 2, 5, 12)), "injuries": None,
            "status": rng.choice(("reported", "claimed", "contested")), "notes": "",
            "confidence": 0.7, "reports": [s["article_id"] for s in sources],
            "independent_sources": len(sources),
            "claims": [{"by": f"Forces of {country}", "by_country": country, "stance": "asserts",
                        "article_id": sources[0]["article_id"], "sentence": sources[0]["sentence"],
                        "char_start": 0, "char_end": 30}],
            "sources": sources,
        })  # fmt: skip
    return out


def fill(db: str, n: int) -> float:
    from sitrep.merge.run import _write_events
    from sitrep.store import Store

    t0 = time.perf_counter()
    events = synthetic_events(n)
    with Store(db) as store:
        for start in range(0, n, 20_000):
            store.con.execute("BEGIN TRANSACTION")
            _write_events(store, events[start : start + 20_000], {})
            store.con.execute("COMMIT")
        assert store.count("events") == n
    return time.perf_counter() - t0


def scenarios(rng: random.Random) -> dict[str, list[str]]:
    """Each a list of request paths that wrk cycles through: filters an analyst would set."""
    classes = ["violence", "unrest", "agreement", "diplomacy"]
    events, geo = [], []
    for _ in range(200):
        c = rng.choice(CODES)
        d0 = START + timedelta(days=rng.randrange(DAYS - 90))
        d1 = d0 + timedelta(days=90)
        cls = rng.choice(classes)
        events.append(
            f"/events?country={c}&class={cls}&date_from={d0}&date_to={d1}&limit=100"
            f"&sort={rng.choice(['-event_date', '-fatalities'])}"
        )
        events.append(f"/events?actor=Forces%20of%20{c}&status=contested&limit=50&offset=50")
        geo.append(f"/events.geojson?country={c}&date_from={d0}&date_to={d1}")
        geo.append(f"/events.geojson?class={cls}&date_from={d0}&date_to={d0 + timedelta(7)}")
    return {"events": events, "events.geojson": geo}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(db: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SITREP_API_TOKEN": ""}
    proc = subprocess.Popen(
        [str(ROOT / ".venv/bin/sitrep"), "serve", "--db", db, "--port", str(port), "--read-only",
         "--workers", str(workers)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    for _ in range(600):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.1)
        if proc.poll() is not None:
            raise SystemExit(
                f"sitrep serve stopped: {proc.stderr.read().decode() if proc.stderr else ''}"
            )
    raise SystemExit("sitrep serve did not answer /health")


def wrk(port: int, paths: list[str], connections: int, seconds: int, tmp: Path) -> dict[str, Any]:
    script = tmp / "paths.lua"
    script.write_text(WRK_LUA % ", ".join(json.dumps(p) for p in paths), encoding="utf-8")
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s",
         str(script), f"http://127.0.0.1:{port}"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    line = next(x for x in out.stdout.splitlines() if x.startswith("RESULT "))
    res: dict[str, Any] = json.loads(line[len("RESULT ") :])
    res["requests_per_s"] = round(res["requests"] / res["seconds"], 1)
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--connections", type=int, default=50)
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--workers", type=int, default=1, help="server processes (sitrep serve)")
    ap.add_argument("--backend", choices=["duckdb", "postgresql", "both"], default="both")
    ap.add_argument("--pg", default=os.environ.get("SITREP_TEST_PG") or _pg_url_file())
    args = ap.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    tmp = Path(tempfile.mkdtemp(prefix="sitrep-load-"))
    targets = []
    if args.backend in ("duckdb", "both"):
        targets.append(("duckdb", str(tmp / "load.duckdb")))
    if args.backend in ("postgresql", "both"):
        if not args.pg:
            raise SystemExit("no PostgreSQL URL: run `bash .ci/services` or pass --pg")
        targets.append(("postgresql", _fresh_schema(args.pg)))
    report: dict[str, Any] = {"run": run_info(args), "results": {}}
    for name, db in targets:
        fill_s = fill(db, args.events)
        print(f"{name}: {args.events:,} events written in {fill_s:.1f} s", flush=True)
        port = free_port()
        proc = serve(db, port, args.workers)
        try:
            res = {"fill_seconds": round(fill_s, 1)}
            for scenario, paths in scenarios(random.Random(3)).items():
                wrk(port, paths[:20], args.connections, 3, tmp)  # warm-up
                res[scenario] = r = wrk(port, paths, args.connections, args.seconds, tmp)
                print(f"  /{scenario}: p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms, "
                      f"{r['requests_per_s']} req/s, {r['non_2xx']} non-2xx, "
                      f"{r['socket_errors']} socket errors", flush=True)  # fmt: skip
        finally:
            proc.terminate()
            proc.wait(30)
        report["results"][name] = res
    write_json(RESULTS / "api_load.json", report)
    shutil.rmtree(tmp, ignore_errors=True)


def _pg_url_file() -> str | None:
    path = ROOT / ".venv/test-pg-url"
    return path.read_text().strip() if path.exists() else None


def _fresh_schema(base: str) -> str:
    import psycopg

    from sitrep.store.backend import with_search_path

    with psycopg.connect(base, autocommit=True) as con:
        con.execute(b"DROP SCHEMA IF EXISTS bench_load CASCADE")
        con.execute(b"CREATE SCHEMA bench_load")
    return with_search_path(base, "bench_load")


if __name__ == "__main__":
    main()
