"""CI's short version of the soak test (bench/soak.py runs it for up to ten minutes)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO


@pytest.mark.slow
def test_thirty_seconds_of_reads_and_writes_lose_nothing_and_fail_nothing(
    tmp_path: Path,
) -> None:
    out = tmp_path / "soak.json"
    run = subprocess.run(
        [sys.executable, "soak.py", "--seconds", "30", "--readers", "4", "--writers", "2",
         "--out", str(out)],
        cwd=REPO / "bench", capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["errors"] == 0, result["error_examples"]
    assert result["lost_writes"] == 0
    assert result["posts"] >= 4 and result["reads"] >= 100
    assert result["store_articles"] == result["articles_stored"] == result["posts"]
    assert result["rss_ratio"] < 1.3  # no growth beyond the store's own
