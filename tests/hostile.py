"""A hostile corpus: inputs written to make a reader or the pipeline fall over (issue 8).

    .venv/bin/python tests/hostile.py DIR     # writes the files, prints what each should give

Every file says what it is by its name. `build` returns, for each file, what a run must do
with it: the reason it is rejected for, or "stored" (the article, whatever is left of it once
cleaned, is stored). tests/test_hostile.py ingests the folder and checks each.
"""

from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

STORY = (
    "Des tirs d'artillerie ont visé le village de Sotk mardi matin, selon le ministère de la "
    "Défense. Trois soldats ont été blessés, a indiqué un porte-parole de l'armée.\n\n"
    "Les autorités locales ont demandé l'évacuation des habitants des zones frontalières."
)
MB = 1024 * 1024


def _warc(path: Path, payloads: list[bytes]) -> None:
    with path.open("wb") as f:
        writer = WARCWriter(f, gzip=True)
        for n, payload in enumerate(payloads):
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            writer.write_record(writer.create_warc_record(
                f"https://hostile.example/{n}", "response", payload=io.BytesIO(payload),
                http_headers=headers,
            ))  # fmt: skip


def build(folder: Path, max_bytes: int = 10 * MB) -> dict[str, str]:
    """Write the hostile inputs into `folder`; return file name -> what must happen to it
    (for a WARC or JSONL file: to each of its records, in order, joined by commas)."""
    folder.mkdir(parents=True, exist_ok=True)
    expect: dict[str, str] = {}
    page = f"<html><body><article><p>{STORY}</p></article></body></html>".encode()

    # a gzip bomb in a WARC: a record that inflates to 20x the article limit, then a good one
    bomb = b"<html><body>" + b" " * (20 * max_bytes) + b"</body></html>"
    _warc(folder / "bomb.warc.gz", [bomb, page])
    expect["bomb.warc.gz"] = "too_large,stored"

    # a million nested tags, never closed, around a real paragraph (5 MB: under the limit)
    nested = "<html><body>" + "<div>" * 1_000_000 + f"<p>{STORY}</p>"
    (folder / "nested.html").write_text(nested + "</body></html>", encoding="utf-8")
    expect["nested.html"] = "too_deep"  # the extractor's stated limit

    # 100 MB on one line, no newline anywhere
    with (folder / "oneline.txt").open("wb") as f:
        chunk = b"x" * MB
        for _ in range(100):
            f.write(chunk)
    expect["oneline.txt"] = "too_large"

    # NUL bytes in a real article: text has none, so this is data
    (folder / "nuls.txt").write_bytes(STORY.encode().replace(b" ", b" \x00", 3))
    expect["nuls.txt"] = "binary"

    # one file, three encodings: UTF-8, then Latin-1, then Windows-1252
    latin1 = "Déclaration du ministère à Érevan.".encode("latin-1")
    cp1252 = "Le \u2018cessez-le-feu\u2019 \u2014 rompu.".encode("cp1252")
    mixed = STORY.encode("utf-8") + b"\n\n" + latin1 + b"\n\n" + cp1252
    (folder / "mixed.txt").write_bytes(mixed)
    expect["mixed.txt"] = "stored"

    # right-to-left overrides and other invisible controls inside the words
    rtl = STORY.replace("village", "vil\u202elage\u202c").replace("Sotk", "\u2066Sotk\u2069\u200f")
    (folder / "rtl.txt").write_text(rtl, encoding="utf-8")
    expect["rtl.txt"] = "stored"

    # a "word" of a million letters between two real paragraphs
    (folder / "longword.txt").write_text(STORY + "\n\n" + "a" * 1_000_000 + "\n\n" + STORY,
                                         encoding="utf-8")  # fmt: skip
    expect["longword.txt"] = "stored"

    # JSONL: a 50 MB line between two good ones
    good = json.dumps({"id": "ok", "text": STORY})
    with (folder / "huge_line.jsonl").open("w", encoding="utf-8") as f:
        f.write(good + "\n")
        f.write(json.dumps({"id": "huge", "text": "y" * (50 * MB)}) + "\n")
        f.write(json.dumps({"id": "ok2", "text": STORY + " Bis."}) + "\n")
    expect["huge_line.jsonl"] = "stored,too_large,stored"

    # gzip cut short in the middle of a JSONL file
    data = gzip.compress(("\n".join([good] * 50) + "\n").encode())
    (folder / "cut.jsonl.gz").write_bytes(data[: len(data) // 2])
    expect["cut.jsonl.gz"] = "corrupt_gzip"  # cut inside the first block: no line survives
    return expect


if __name__ == "__main__":
    for name, what in build(Path(sys.argv[1])).items():
        print(f"{name}\t{what}")
