"""The coverage-guided fuzzer of the whole text pipeline (bench/fuzz.py), briefly: CI's short
version of the long run recorded in RELIABILITY.md."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO


@pytest.mark.slow
def test_a_short_fuzzing_run_of_the_pipeline_finds_nothing(tmp_path: Path) -> None:
    out = tmp_path / "fuzz.json"
    run = subprocess.run(
        # libFuzzer reads its RSS with getrusage, whose peak a child inherits from the process
        # that forked it (pytest, gigabytes by now): its 2 GB default would see an "out of
        # memory" at the first input. Memory is checked by tests/test_hostile.py instead.
        [
            sys.executable,
            "fuzz.py",
            "-runs=400",
            "-timeout=60",
            "-rss_limit_mb=16384",
            f"-artifact_prefix={tmp_path}/",
        ],
        cwd=REPO / "bench",
        env={**os.environ, "SITREP_FUZZ_OUT": str(out)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    stats = json.loads(out.read_text(encoding="utf-8"))
    assert stats["findings"] == 0
    assert stats["inputs"] >= 400 and stats["articles"] > 0 and stats["events"] > 0
    assert stats["slowest"] < 10
