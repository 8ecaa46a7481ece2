"""The hostile corpus (tests/hostile.py) through `sitrep ingest`: each input is stored or
rejected with the reason stated for it, the run goes on to the end, and memory stays near
what a run on one ordinary article takes (no input is ever held whole past the limit)."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hostile import STORY, build

from sitrep.store import Store

#: What the hostile run may take beyond a run on one ordinary article.
EXTRA_MB = 150
SECONDS = 120


def _peak_rss_mb(cmd: list[str]) -> tuple[float, float, int]:
    """Run `cmd` in a child; its own peak RSS in MB, its seconds, its exit code.

    The peak is the child's VmHWM, read from /proc while it runs: getrusage and wait4 report
    a peak the child inherits from the process that forked it (this test process, large by
    now), which would hide what the child itself used."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0.0
    while proc.poll() is None:
        try:
            with open(f"/proc/{proc.pid}/status", encoding="ascii") as f:
                for line in f:
                    if line.startswith("VmHWM:"):  # the high-water mark: it only rises
                        peak = max(peak, int(line.split()[1]) / 1024)
        except (OSError, ValueError):
            pass  # it has just ended
        time.sleep(0.02)
    return peak, time.perf_counter() - start, proc.returncode


def _outcomes(store: Store) -> dict[str, list[str]]:
    """For each file, in record order: "stored" or the reason it was rejected."""
    found: dict[str, list[tuple[int, str]]] = {}

    def number(locator: str) -> int:
        digits = re.findall(r"\d+", locator)
        return int(digits[0]) if digits else 0

    for source, locator in store.con.execute("SELECT source, locator FROM inputs").fetchall():
        found.setdefault(Path(source).name, []).append((number(locator), "stored"))
    for row in store.rejected():
        found.setdefault(Path(row["source"]).name, []).append(
            (number(row["locator"]), row["reason"])
        )
    return {name: [what for _, what in sorted(items)] for name, items in found.items()}


@pytest.mark.slow
def test_every_hostile_input_is_stored_or_rejected_as_stated_and_memory_stays_flat(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "hostile"
    expect = build(folder)
    ordinary = tmp_path / "one.txt"
    ordinary.write_text(STORY, encoding="utf-8")
    cmd = [sys.executable, "-m", "sitrep", "ingest", "--executor", "inline", "--db"]
    # each child measured on its own: one ordinary article, then the hostile folder
    base, _, code = _peak_rss_mb([*cmd, str(tmp_path / "one.duckdb"), str(ordinary)])
    assert code == 0
    peak, seconds, code = _peak_rss_mb([*cmd, str(tmp_path / "h.duckdb"), str(folder)])
    assert code == 3  # finished, with rejections to report
    assert seconds < SECONDS
    assert peak < base + EXTRA_MB, f"{peak:.0f} MB against {base:.0f} MB for one article"
    with Store(tmp_path / "h.duckdb", read_only=True) as store:
        got = _outcomes(store)
        details = {r["reason"]: r["detail"] for r in store.rejected()}
        cut_finished = store.finished_shard(str(folder / "cut.jsonl.gz"))
        rtl = store.con.execute(
            "SELECT a.clean_text FROM articles a JOIN inputs i USING (article_id) "
            "WHERE i.source LIKE '%rtl.txt'"
        ).fetchone()
    assert got == {name: what.split(",") for name, what in expect.items()}
    assert all(details.values())  # every rejection says why
    assert cut_finished is None  # read again next time
    assert rtl is not None and not re.search("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", rtl[0])
