"""HTML product descriptions (Shopify's Body (HTML), Merchant CDATA) turned into plain text."""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["html_to_text", "looks_like_html"]

_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(\s[^<>]*)?/?>")


def looks_like_html(text: str) -> bool:
    """Whether the text has at least one tag ("5 < 6" does not count)."""
    return _HTML_TAG.search(text) is not None


class _TextExtractor(HTMLParser):
    """Collects the text of an HTML fragment: blocks become paragraphs, <br> and <li> new lines."""

    _PARAGRAPHS = {"p", "div", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6", "section",
                   "article", "blockquote", "hr"}
    _LINES = {"br", "li", "tr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # &amp; &eacute; &#39; unescaped by the parser
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in self._PARAGRAPHS:
            self.parts.append("\n\n")
        elif tag in self._LINES:
            self.parts.append("\n- " if tag == "li" else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in self._PARAGRAPHS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment: entities unescaped, one blank line between paragraphs."""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    lines = [" ".join(line.split()) for line in "".join(extractor.parts).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
