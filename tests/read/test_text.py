"""Plain-text files: the text kept as is, the headline found on the first line."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from sitrep.model import Article
from sitrep.read import read_paths
from sitrep.read.text import guess_title

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SEED = SHARED / "seed" / "ceasefire-fr.raw.txt"
CORPUS = SHARED / "corpus" / "wikinews"


def test_seed_first_line_is_the_title_and_text_is_kept_whole() -> None:
    [art] = list(read_paths([str(SEED)]))
    assert isinstance(art, Article)
    raw = SEED.read_text(encoding="utf-8")
    assert art.text == raw
    assert art.title == raw.splitlines()[0].strip()
    assert art.title is not None and art.title.startswith("La Russie affirme qu’un cessez-le-feu")
    assert (art.input_id, art.source, art.locator) == (str(SEED), str(SEED), "")
    assert art.html is None and art.published is None


def test_every_corpus_file_gets_its_indexed_title() -> None:
    """INDEX.tsv holds each file's title; its first line must be recognised as that title."""
    with open(CORPUS / "INDEX.tsv", encoding="utf-8", newline="") as f:
        index = {row["file"]: row["title"].strip() for row in csv.DictReader(f, delimiter="\t")}
    for rel, title in index.items():
        [art] = list(read_paths([str(CORPUS / rel)]))
        assert isinstance(art, Article), rel
        assert art.title == title, rel


@pytest.mark.parametrize(
    "text",
    [
        "Ceasefire agreed in Geneva\n\nBoth sides signed the agreement on Monday.",
        # first paragraph straight after, at least twice as long
        "Ceasefire agreed\nBoth sides signed the agreement on Monday after weeks of talks.",
        # dateline (or wiki template) between the headline and the blank line
        "Ceasefire agreed in Geneva\nMonday, March 2, 2020\n\nBoth sides signed it.",
        "Ceasefire agreed in Geneva\n{{date|November 18, 2004}}\n\nBoth sides signed it.",
        # dateline, then the first paragraph with no blank line
        "Ceasefire agreed in Geneva\nMonday, March 2, 2020\n"
        "Both sides signed the agreement on Monday after weeks of talks in the Swiss city.",
        # blank lines before the headline
        "\n\n  Ceasefire agreed in Geneva  \n\nBoth sides signed it.",
    ],
)
def test_headline_found(text: str) -> None:
    assert guess_title(text) in ("Ceasefire agreed in Geneva", "Ceasefire agreed")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Ceasefire agreed in Geneva",  # nothing after it
        "Ceasefire agreed in Geneva\n\n\n",
        "Both sides signed the agreement.\n\nIt holds.",  # a sentence
        "Did the ceasefire hold?\n\nIt did.",
        "He said: “It will hold.”\n\nIt did.",  # a closing quote after the full stop
        "Fighting resumed (again.)\n\nIt did.",
        "Ceasefire talks:\n\nThey went on.",
        "x" * 301 + "\n\nBody.",  # too long for a headline
        # hard-wrapped paragraph: the next line ends the sentence
        "Both sides signed the agreement in Geneva on\nMonday after weeks of talks.\n\nMore.",
        # next line about as long: no sign the first line stands apart
        "Both sides signed the agreement in Geneva on\nMonday after weeks of talks in the\ncity",
    ],
)
def test_no_headline(text: str) -> None:
    assert guess_title(text) is None


def test_crlf_text_is_kept_as_is(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"Ceasefire agreed\r\n\r\nBoth sides signed it.\r\n")
    [art] = list(read_paths([str(path)]))
    assert isinstance(art, Article)
    assert art.text == "Ceasefire agreed\r\n\r\nBoth sides signed it.\r\n"
    assert art.title == "Ceasefire agreed"


def test_cp1252_file_is_decoded(tmp_path: Path) -> None:
    text = (
        "Cessez-le-feu à Genève\n\nL’accord a été signé lundi, après des semaines de "
        "négociations entre les délégations.\n"
    )
    path = tmp_path / "article.txt"
    path.write_bytes(text.encode("cp1252"))
    [art] = list(read_paths([str(path)]))
    assert isinstance(art, Article)
    assert art.text == text
    assert art.title == "Cessez-le-feu à Genève"
