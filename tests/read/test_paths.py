"""read_paths: files, directories, stdin, format sniffing, and bad inputs that cost only
themselves."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from sitrep.model import Article, Rejection
from sitrep.read import ReadStats, kind_of, read_paths

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
CORPUS = SHARED / "corpus" / "wikinews"
GOOD_TEXT = "Ceasefire agreed\n\nBoth sides signed the agreement in Geneva on Monday.\n"


@pytest.fixture
def good(tmp_path: Path) -> Path:
    """The input after a bad one: it must still be read."""
    path = tmp_path / "zz-good.txt"
    path.write_text(GOOD_TEXT, encoding="utf-8")
    return path


def read_with_good(bad: Path, good: Path) -> Rejection:
    """Read a bad input then a good one; return the bad one's rejection."""
    rejected, after = list(read_paths([str(bad), str(good)]))
    assert isinstance(after, Article)
    assert after.source == str(good) and after.text == GOOD_TEXT
    assert isinstance(rejected, Rejection)
    assert rejected.source == str(bad) and rejected.locator == "" and rejected.stage == "read"
    return rejected


def test_missing_path(tmp_path: Path, good: Path) -> None:
    rejected = read_with_good(tmp_path / "nope.txt", good)
    assert rejected.reason == "not_found"


def test_binary_file_named_txt(tmp_path: Path, good: Path) -> None:
    png = tmp_path / "photo.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)))
    rejected = read_with_good(png, good)
    assert (rejected.reason, rejected.detail) == ("binary", "the input is a PNG image, not text")


def test_undecodable_bytes(tmp_path: Path, good: Path) -> None:
    junk = tmp_path / "junk.txt"
    junk.write_bytes(bytes(range(128, 256)) * 20)
    assert read_with_good(junk, good).reason == "undecodable"


@pytest.mark.parametrize("content", [b"", b" \n\n\t \r\n"])
def test_empty_file(tmp_path: Path, good: Path, content: bytes) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(content)
    assert read_with_good(empty, good).reason == "empty"


def test_text_file_over_the_limit(tmp_path: Path, good: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("word " * 300, encoding="ascii")
    rejected, after = list(read_paths([str(big), str(good)], max_bytes=1000))
    assert isinstance(rejected, Rejection)
    assert (rejected.reason, rejected.detail) == (
        "too_large",
        "1,500 bytes; the limit is 1,000 (--max-bytes)",
    )
    assert isinstance(after, Article)


def test_directory_walk_is_recursive_sorted_and_skips_what_it_cannot_read(tmp_path: Path) -> None:
    root = tmp_path / "in"
    files = {
        "b.txt": GOOD_TEXT,
        "a/z.html": "<html><body><p>page</p></body></html>",
        "a/b/deep.TXT": GOOD_TEXT,
        "c.jsonl": json.dumps({"id": "j1", "text": "from jsonl"}) + "\n",
        "notes.md": "# not read",
        "data.csv": "a,b\n",
        ".hidden.txt": "hidden",
        ".git/config.txt": "hidden folder",
        "a/.cache/x.txt": "hidden folder",
    }
    for rel, content in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(content, encoding="utf-8")

    stats = ReadStats()
    got = list(read_paths([str(root)], stats=stats))
    assert all(isinstance(a, Article) for a in got)
    assert [(a.source, a.input_id) for a in got if isinstance(a, Article)] == [
        (str(root / "a/b/deep.TXT"), str(root / "a/b/deep.TXT")),
        (str(root / "a/z.html"), str(root / "a/z.html")),
        (str(root / "b.txt"), str(root / "b.txt")),
        (str(root / "c.jsonl"), "j1"),
    ]
    assert stats.files == 4
    assert stats.skipped == 2
    assert stats.skipped_paths == [str(root / "data.csv"), str(root / "notes.md")]


def test_the_corpus_folder() -> None:
    stats = ReadStats()
    got = list(read_paths([str(CORPUS)], stats=stats))
    assert len(got) == 170
    assert all(isinstance(a, Article) and a.text and a.title for a in got)
    assert stats.files == 170
    assert sorted(Path(p).name for p in stats.skipped_paths) == ["INDEX.tsv", "README.md"]
    assert got == list(read_paths([str(CORPUS)]))  # same order every time


def test_stdin_text(good: Path) -> None:
    stdin = io.BytesIO(GOOD_TEXT.encode("cp1252"))
    stats = ReadStats()
    art, after = list(read_paths(["-", str(good)], stdin=stdin, stats=stats))
    assert art == Article(input_id="-", source="-", text=GOOD_TEXT, title="Ceasefire agreed")
    assert isinstance(after, Article)
    assert stats.files == 2


def test_stdin_html() -> None:
    html = "\ufeff  <!DOCTYPE html><html><body><p>page</p></body></html>"
    [art] = list(read_paths(["-"], stdin=io.BytesIO(html.encode("utf-8"))))
    assert isinstance(art, Article)
    assert art.html == html[1:] and art.text is None


def test_stdin_jsonl() -> None:
    data = "\n" + json.dumps({"text": "one"}) + "\n" + json.dumps({"id": "x", "text": "two"})
    got = list(read_paths(["-"], stdin=io.BytesIO(data.encode())))
    assert all(isinstance(a, Article) for a in got)
    assert [(a.input_id, a.source, a.locator) for a in got if isinstance(a, Article)] == [
        ("-:2", "-", "line 2"),
        ("x", "-", "line 3"),
    ]


def test_stdin_jsonl_with_a_first_line_longer_than_the_sniffing_window() -> None:
    data = json.dumps({"id": "long", "text": "x" * 200_000}) + "\n" + json.dumps({"text": "b"})
    got = list(read_paths(["-"], stdin=io.BytesIO(data.encode())))
    assert [a.locator for a in got] == ["line 1", "line 2"]
    assert isinstance(got[0], Article) and got[0].text == "x" * 200_000


def test_stdin_text_starting_with_a_brace_is_text() -> None:
    text = "{Breaking} Ceasefire agreed in Geneva.\n"
    [art] = list(read_paths(["-"], stdin=io.BytesIO(text.encode())))
    assert isinstance(art, Article) and art.text == text


def test_stdin_over_the_limit() -> None:
    [rejected] = list(read_paths(["-"], stdin=io.BytesIO(b"word " * 300), max_bytes=1000))
    assert rejected == Rejection(
        "-", "", "too_large", "more than 1,000 bytes; the limit is 1,000 (--max-bytes)"
    )


def test_stdin_binary() -> None:
    [rejected] = list(read_paths(["-"], stdin=io.BytesIO(b"%PDF-1.7\n\x00\x01")))
    assert isinstance(rejected, Rejection)
    assert (rejected.source, rejected.reason) == ("-", "binary")


@pytest.mark.parametrize(
    ("name", "content", "field"),
    [
        ("export.dat", json.dumps({"id": "e1", "text": "hello"}) + "\n", "text"),
        ("page.php", "<html><body><p>hi</p></body></html>", "html"),
        ("README", "Ceasefire agreed\n\nIt holds.", "text"),
    ],
)
def test_explicit_file_with_unknown_extension_is_sniffed(
    tmp_path: Path, name: str, content: str, field: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    [art] = list(read_paths([str(path)]))
    assert isinstance(art, Article) and art.source == str(path)
    assert getattr(art, field)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("a.txt", "text"),
        ("a.TEXT", "text"),
        ("a.html", "html"),
        ("a.htm", "html"),
        ("a.xhtml", "html"),
        ("a.jsonl", "jsonl"),
        ("a.ndjson", "jsonl"),
        ("a.jsonl.gz", "jsonl.gz"),
        ("a.warc", "warc"),
        ("a.warc.gz", "warc"),
        ("a.txt.gz", None),
        ("a.json", None),
        ("a", None),
    ],
)
def test_kind_of(name: str, kind: str | None) -> None:
    assert kind_of(f"some/dir/{name}") == kind
