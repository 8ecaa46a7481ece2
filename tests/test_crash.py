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
import time
from pathlib import Path

import pytest

from sitrep.store import Store

from conftest import CORPUS, NewDb, corpus_index

#: Kills at random moments (model loading, reading, analysis, storage), then one in the merge.
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


def _kill_when(cmd: list[str], ready: float | str) -> bool:
    """Start `cmd`, SIGKILL it after `ready` seconds or once its log says `ready`; False if it
    finished first."""
    env = {**os.environ, "SITREP_LOG_LEVEL": "INFO"}
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                            text=True)  # fmt: skip
    assert proc.stderr is not None
    if isinstance(ready, str):
        for line in proc.stderr:
            if ready in line:
                break
    else:
        time.sleep(ready)
    if proc.poll() is not None:
        return False
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return True


@pytest.mark.slow
def test_kill_9_at_random_points_and_in_the_merge_then_a_rerun_equals_a_whole_run(
    tmp_path: Path, new_db: NewDb
) -> None:
    inputs = _inputs(tmp_path)
    cmd = [sys.executable, "-m", "sitrep", "ingest", *inputs, "--executor", "inline",
           "--batch-size", "4", "--db"]  # fmt: skip
    whole, killed = new_db("whole"), new_db("killed")
    subprocess.run([*cmd, whole], check=True, capture_output=True)

    rng = random.Random(8)
    # model loading takes some 7 s, then 6 articles a second: three runs this short leave work
    for delay in sorted(rng.uniform(1, 10) for _ in range(RANDOM_KILLS)):
        assert _kill_when([*cmd, killed], delay), "a run ended before it was killed"
    assert _kill_when([*cmd, killed], "merging"), "the run ended before its merge"
    with Store(killed) as store:
        waiting = store.con.execute("SELECT count(*) FROM reports WHERE event_id IS NULL")
        assert waiting.fetchone()[0] > 0  # killed inside the merge: its transaction undone

    done = subprocess.run([*cmd, killed], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert _snapshot(killed) == _snapshot(whole)
