"""MediaWiki markup left in scraped text (`[[link|label]]`, `{{template}}`, `'''bold'''`).

Applied only to texts that look like wikitext, so that brackets in ordinary prose are safe.
"""

from __future__ import annotations

import re

_LINK_PIPED = re.compile(r"\[\[(?:[^\[\]|]*\|)+([^\[\]|]*)\]\]")
_LINK = re.compile(r"\[\[([^\[\]|]*)\]\]")
_FILE_LINK = re.compile(
    r"\[\[(?:File|Image|Fichier):[^\[\]]*(?:\[\[[^\[\]]*\]\][^\[\]]*)*\]\]", re.I
)
_EXT_LINK = re.compile(r"\[(?:https?:)?//[^\s\]]+\s+([^\]]+)\]")
_TEMPLATE = re.compile(r"\{\{[^{}]*\}\}")
#: Wikinews' dateline template renders as its date: that is text, the article's date.
_DATE_TEMPLATE = re.compile(r"\{\{\s*date\s*\|\s*([^{}|]+?)\s*\}\}", re.I)
_EMPHASIS = re.compile(r"'{2,}")
_HEADING = re.compile(r"^(={1,6})\s*(.*?)\s*\1$")
_RULE = re.compile(r"^-{3,}$")
_BROKEN_TEMPLATE = re.compile(r"^\{+[^{}\[\]]*\}+$")  # "{publish}}": a template cut by the scrape


def looks_like_wikitext(text: str) -> bool:
    return len(_LINK.findall(text)) + len(_LINK_PIPED.findall(text)) >= 3 or bool(
        re.search(r"^\{\{[^{}]*\}\}\s*$", text, re.M)
    )


def unwiki(line: str) -> str:
    """The line as a reader would see it: labels for links, no templates or emphasis."""
    line = _DATE_TEMPLATE.sub(r"\1", line)
    heading = _HEADING.match(line)
    if heading:
        line = heading.group(2)
    if _RULE.match(line.strip()) or _BROKEN_TEMPLATE.match(line.strip()):
        return ""
    line = _FILE_LINK.sub("", line)
    for _ in range(3):  # templates nest
        new = _TEMPLATE.sub("", line)
        if new == line:
            break
        line = new
    line = _LINK_PIPED.sub(r"\1", line)
    line = _LINK.sub(lambda m: m.group(1).removeprefix("w:").removeprefix(":"), line)
    line = _EXT_LINK.sub(r"\1", line)
    return _EMPHASIS.sub("", line)
