"""kill -9 at random points of `sitrep ingest`, the merge included, then a rerun: the database
equals the one an uninterrupted run builds (issue 8), on DuckDB and on PostgreSQL."""

from __future__ import annotations

import gzip
import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from sitrep.store import Store

from conftest import CORPUS, NewDb, corpus_index

#: Kills after a random number of batches (the next one being read, analysed or stored), then
#: one inside the merge's transaction.
RANDOM_KILLS = 3


def _snapshot(db: str) -> dict:
    with Store(db) as store:
        return store.snapshot()


def _inputs(tmp_path: Path) -> list[str]:
    rows = corpus_index()
    paths = []
    for n, part in enumerate((rows[:40], rows[-40:])):  # French, then English
        path = tmp_path / f"part{n}.jsonl.gz"
        with gzip.open(path, "wt", encoding="utf-8") as f:
            for r in part:
                text = (CORPUS / r["file"]).read_text("utf-8")
                f.write(json.dumps({"id": r["file"], "text": text}) + "\n")
        paths.append(str(path))
    return paths


def _kill_when(cmd: list[str], line: str, times: int = 1) -> bool:
    """Start `cmd` and SIGKILL it once its log has said `line` `times` times; False if it
    finished first."""
    env = {**os.environ, "SITREP_LOG_LEVEL": "INFO"}
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                            text=True)  # fmt: skip
    assert proc.stderr is not None
    seen = 0
    for said in proc.stderr:
        seen += line in said
        if seen >= times:
            break
    if proc.poll() is not None:
        return False
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return True


def _stored(db: str) -> int:
    with Store(db) as store:
        return store.count("inputs")


@pytest.mark.slow
def test_kill_9_at_random_batches_and_in_the_merge_then_a_rerun_equals_a_whole_run(
    tmp_path: Path, new_db: NewDb
) -> None:
    inputs = _inputs(tmp_path)
    cmd = [sys.executable, "-m", "sitrep", "ingest", *inputs, "--executor", "inline",
           "--batch-size", "4", "--db"]  # fmt: skip
    whole, killed = new_db("whole"), new_db("killed")
    subprocess.run([*cmd, whole], check=True, capture_output=True)

    rng = random.Random(8)
    stored = [0]
    for _ in range(RANDOM_KILLS):  # each run killed after a random number of its batches
        assert _kill_when([*cmd, killed], "batch written", rng.randint(1, 4)), "ran to its end"
        stored.append(_stored(killed))
    assert stored == sorted(set(stored)), stored  # every run stored more before it died
    # the merge, killed inside its transaction: nothing of it may remain
    assert _kill_when([*cmd, killed], "not yet committed"), "the run ended before its merge"
    with Store(killed) as store:
        waiting = store.con.execute("SELECT count(*) FROM reports WHERE event_id IS NULL")
        assert waiting.fetchone()[0] > 0
        assert store.count("report_links") == 0 and store.count("events") == 0

    done = subprocess.run([*cmd, killed], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert _snapshot(killed) == _snapshot(whole)
