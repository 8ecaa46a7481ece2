"""HTML page -> main text, title, publication date and canonical URL (trafilatura).

This runs in the `extract` stage, on workers, not in the reader: extraction is the slow part of
reading HTML. The page is parsed once with lxml so that a page nested too deeply for libxml2
(which then silently drops everything below its depth limit) is rejected with its own reason
instead of coming out empty or cut short.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

import lxml.html
from lxml import etree

from sitrep.errors import InputError

log = logging.getLogger(__name__)

# Make trafilatura's own date search cheap: its answer is not used (see `_published`).
_TRAFILATURA_DATE_PARAMS = {"extensive_search": False, "original_date": True}


@dataclass(frozen=True, slots=True)
class HtmlText:
    """What a page says about itself: its main text (one paragraph a line) and metadata."""

    text: str
    title: str | None
    published: date | None
    url: str | None


def extract_html(html: str, url: str | None = None) -> HtmlText:
    """Extract the article of a page; raise InputError when there is none to be had.

    Reasons: `unparseable_html` (lxml or trafilatura failed), `too_deep` (nesting beyond
    libxml2's limit), `no_text` (no main text found). `published` comes only from the page's
    metadata (meta tags, JSON-LD), never from its URL or body text.
    """
    from trafilatura import bare_extraction
    from trafilatura.settings import Document

    tree = _parse(html)
    try:
        doc = bare_extraction(
            tree,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_precision=False,
            date_extraction_params=dict(_TRAFILATURA_DATE_PARAMS),
        )
        published = _published(tree)
    except (RecursionError, ValueError, etree.LxmlError) as exc:
        raise InputError("unparseable_html", f"the page could not be extracted: {exc!r}") from exc
    if not isinstance(doc, Document) or not doc.text or not doc.text.strip():
        raise InputError("no_text", "the page has no main text that could be extracted")
    text = "\n".join(line.strip() for line in doc.text.splitlines() if line.strip())
    return HtmlText(
        text=text,
        title=(doc.title or "").strip() or None,
        published=published,
        url=doc.url or url,
    )


def _parse(html: str) -> lxml.html.HtmlElement:
    """Parse with the options trafilatura uses, and refuse a page lxml could not read whole."""
    parser = lxml.html.HTMLParser(
        collect_ids=False,
        default_doctype=False,
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
    )
    try:
        tree = lxml.html.document_fromstring(html.encode("utf-8", "replace"), parser=parser)
    except etree.ParserError as exc:  # lxml's word for a page with no elements at all
        if "empty" in str(exc).lower():
            raise InputError("no_text", "the page has no content (no HTML elements)") from exc
        raise InputError("unparseable_html", f"the page could not be parsed: {exc}") from exc
    except (etree.LxmlError, ValueError) as exc:
        raise InputError("unparseable_html", f"the page could not be parsed: {exc}") from exc
    for entry in parser.error_log:
        if "excessive depth" in entry.message.lower():
            raise InputError(
                "too_deep", f"the page's elements are nested too deeply to parse ({entry.message})"
            )
    return tree


def _published(tree: lxml.html.HtmlElement) -> date | None:
    """The publication date the page declares in <meta> tags or JSON-LD, else None.

    htmldate is given a document made of those elements alone, and an empty URL, so that it
    cannot fall back on dates in the URL, the headline or the body text.
    """
    from htmldate import find_date

    parts = tree.xpath('//meta | //script[@type="application/ld+json"]')
    if not parts:
        return None
    head = "".join(etree.tostring(el, encoding="unicode", with_tail=False) for el in parts)
    found = find_date(
        f"<html><head>{head}</head><body></body></html>",
        extensive_search=False,
        original_date=True,
        url="",
    )
    if not found:
        return None
    try:
        return date.fromisoformat(found)
    except ValueError:
        log.debug("htmldate returned an unreadable date %r", found)
        return None
