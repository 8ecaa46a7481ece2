"""Plain-text articles: the text is kept exactly as read; the first line may be the title.

Saved articles and corpora (the Wikinews corpus, the seed) put the headline on the first line,
then a blank line or the first paragraph, sometimes after a dateline or byline. A first line
that reads like a sentence, or that is the only line, is body text and stays untitled.
"""

from __future__ import annotations

import re

from sitrep.model import Article

TITLE_MAX_CHARS = 300
_LOOKAHEAD_LINES = 3  # up to two header lines, then a blank line or the first paragraph

# Sentence-final punctuation, optionally followed by closing quotes or brackets.
_SENTENCE_END = re.compile(r"[.!?:;…][\"'»”’)\]}]*$")


def guess_title(text: str) -> str | None:
    """The first non-blank line when it looks like a headline, else None.

    A headline is at most 300 characters, does not end like a sentence and has more text after
    it. Then, looking at up to three following lines: a blank line or a line at least twice as
    long (the first paragraph) confirms it; short non-sentence lines in between (a dateline, a
    byline, wiki templates) are passed over; a line that ends like a sentence means the first
    line was the start of a paragraph (hard-wrapped text).
    """
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None:
        return None
    first = lines[start].strip()
    rest = [line.strip() for line in lines[start + 1 :]]
    if len(first) > TITLE_MAX_CHARS or _SENTENCE_END.search(first) or not any(rest):
        return None
    for line in rest[:_LOOKAHEAD_LINES]:
        if not line or len(line) >= 2 * len(first):
            return first
        if _SENTENCE_END.search(line):
            return None
    return None


def text_article(text: str, *, input_id: str, source: str, locator: str = "") -> Article:
    """An Article from decoded plain text, with the guessed title."""
    return Article(
        input_id=input_id, source=source, locator=locator, text=text, title=guess_title(text)
    )
