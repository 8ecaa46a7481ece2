"""HTML: the reader only decodes the page; extract_html finds text, title, date and URL."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest

from sitrep.errors import InputError
from sitrep.model import Article, Rejection
from sitrep.read import DEFAULT_MAX_BYTES, read_paths
from sitrep.read.html import extract_html

PARAGRAPHS = [
    "La Russie a affirmé avoir négocié un cessez-le-feu entre l’Arménie et l’Azerbaïdjan "
    "après que des combats ont éclaté à la frontière entre les deux pays cette semaine.",
    "« Nous appelons les parties à s’abstenir de toute nouvelle escalade », a indiqué un "
    "communiqué du ministère russe des Affaires étrangères publié mardi soir.",
    "Les médias locaux en Azerbaïdjan ont également rendu compte du cessez-le-feu, mais ont "
    "déclaré qu’il avait déjà été rompu quelques heures plus tard.",
]


def page(head: str = "", body_extra: str = "") -> str:
    paragraphs = "".join(f"<p>{p}</p>\n" for p in PARAGRAPHS)
    return f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8">
{head}
</head><body>
<nav><a href="/">Accueil</a> | <a href="/monde">Monde</a> | <a href="/sport">Sport</a></nav>
<article>
{body_extra}
{paragraphs}
</article>
<footer><p>© 2022 Le Journal. Tous droits réservés. Mentions légales.</p></footer>
</body></html>"""


ARTICLE_HEAD = """
<title>Cessez-le-feu entre l’Arménie et l’Azerbaïdjan</title>
<meta property="article:published_time" content="2022-09-14T08:30:00+02:00">
<link rel="canonical" href="https://journal.example/monde/cessez-le-feu-armenie">
"""


def test_title_published_and_canonical_url_from_the_page() -> None:
    got = extract_html(page(ARTICLE_HEAD), url="https://journal.example/?id=123")
    assert got.title == "Cessez-le-feu entre l’Arménie et l’Azerbaïdjan"
    assert got.published == date(2022, 9, 14)
    assert got.url == "https://journal.example/monde/cessez-le-feu-armenie"


def test_text_is_the_article_one_paragraph_a_line() -> None:
    got = extract_html(page(ARTICLE_HEAD))
    assert got.text.split("\n") == PARAGRAPHS
    assert "Accueil" not in got.text and "droits réservés" not in got.text


def test_given_url_when_the_page_has_none() -> None:
    got = extract_html(page("<title>Cessez-le-feu</title>"), url="https://a.example/x")
    assert got.url == "https://a.example/x"
    assert extract_html(page("<title>Cessez-le-feu</title>")).url is None


def test_published_is_not_guessed_from_url_or_body() -> None:
    """Dates in the URL, a <time> element or the text are not the page's own metadata."""
    head = '<title>T</title><link rel="canonical" href="https://a.example/2020/05/06/story">'
    body = '<p>Publié le 3 mars 2021.</p><time datetime="2021-03-03">3 mars 2021</time>'
    got = extract_html(page(head, body), url="https://a.example/2019/01/02/story")
    assert got.published is None


def test_published_from_json_ld() -> None:
    head = """<title>T</title><script type="application/ld+json">
    {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "T",
     "datePublished": "2021-11-05T10:00:00Z", "dateModified": "2021-11-07T09:00:00Z"}
    </script>"""
    assert extract_html(page(head)).published == date(2021, 11, 5)


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("<html><head><title>Vide</title></head><body></body></html>", "no_text"),
        ("<html><body><script>var a = 1;</script></body></html>", "no_text"),
        ("<!-- nothing but a comment -->", "no_text"),
    ],
)
def test_nothing_to_extract(html: str, reason: str) -> None:
    with pytest.raises(InputError) as info:
        extract_html(html)
    assert info.value.reason == reason


def test_deeply_nested_page_is_rejected_fast() -> None:
    html = "<html><body>" + "<div>" * 100_000 + "<p>deep</p>" + "</div>" * 100_000
    start = time.perf_counter()
    with pytest.raises(InputError) as info:
        extract_html(html + "</body></html>")
    assert info.value.reason == "too_deep"
    assert time.perf_counter() - start < 5


def test_moderately_nested_page_is_fine() -> None:
    html = page(ARTICLE_HEAD).replace("<article>", "<article>" + "<div>" * 150)
    assert extract_html(html).text.split("\n") == PARAGRAPHS


def test_reader_only_decodes_the_page(tmp_path: Path) -> None:
    path = tmp_path / "page.HTML"
    path.write_text(page(ARTICLE_HEAD), encoding="utf-8")
    [art] = list(read_paths([str(path)]))
    assert isinstance(art, Article)
    assert art.html == page(ARTICLE_HEAD)
    assert art.text is None and art.title is None
    assert (art.input_id, art.source, art.locator) == (str(path), str(path), "")


def test_latin1_page_is_decoded(tmp_path: Path) -> None:
    html = page("<title>Genève</title>").replace("’", "'").replace("utf-8", "iso-8859-1")
    path = tmp_path / "latin1.htm"
    path.write_bytes(html.encode("latin-1"))
    [art] = list(read_paths([str(path)]))
    assert isinstance(art, Article) and art.html is not None
    assert "l'Arménie" in art.html and "à la frontière" in art.html


def test_page_over_the_limit_is_rejected_and_reading_goes_on(tmp_path: Path) -> None:
    big = tmp_path / "big.html"
    filler = "<p>" + "x" * 1022 + "</p>\n"  # 1 KiB a line
    big.write_text("<html><body>" + filler * (50 * 1024) + "</body></html>", encoding="ascii")
    size = big.stat().st_size
    assert size > 50 * 1024 * 1024
    good = tmp_path / "good.html"
    good.write_text(page(ARTICLE_HEAD), encoding="utf-8")

    rejected, art = list(read_paths([str(big), str(good)]))
    assert rejected == Rejection(
        str(big),
        "",
        "too_large",
        f"{size:,} bytes; the limit is {DEFAULT_MAX_BYTES:,} (--max-bytes)",
    )
    assert isinstance(art, Article) and art.source == str(good)
