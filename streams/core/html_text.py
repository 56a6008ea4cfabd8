"""HTML in a feed's body turned into text: known tags dropped, block tags as line breaks.

Only known HTML element names count as tags, so "a <b> c" in prose survives; the content
of script, style and similar elements is dropped with them; page furniture (nav, aside,
footer, forms) too. Used by :mod:`streams.core.clean`.
"""

from __future__ import annotations

from html.parser import HTMLParser

# HTML element names that count as markup; anything else in angle brackets is text.
_BLOCK_TAGS = frozenset(
    "address article aside blockquote body br dd div dl dt figcaption figure footer form h1 h2 h3 h4 h5 h6 "
    "header hr html li main nav ol p pre section table tbody td tfoot th thead tr ul".split()
)


_SKIP_CONTENT_TAGS = frozenset("script style noscript template svg iframe head title".split())


# Page furniture around an article (menus, share buttons, "related" boxes): skipped too, unless one
# is left unclosed, when skipping it would swallow the rest of the page.
_FURNITURE_TAGS = frozenset("nav aside footer form button".split())


_INLINE_TAGS = frozenset(
    "a abbr b bdi bdo big button caption center cite code col colgroup data del dfn em font i img input ins "
    "kbd label link mark meta picture q rp rt ruby s samp small source span strike strong sub sup time tt u "
    "var video audio wbr".split()
)


_KNOWN_TAGS = _BLOCK_TAGS | _SKIP_CONTENT_TAGS | _FURNITURE_TAGS | _INLINE_TAGS


class _TextExtractor(HTMLParser):
    """Text of an HTML fragment; block elements become paragraph breaks."""

    def __init__(self, skip: frozenset[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.skip = skip
        self.parts: list[str] = []
        self.tags = 0
        self.block_tags = 0
        self._skip_depth = 0

    def _start(self, tag: str, *, closes: bool) -> None:
        if tag not in _KNOWN_TAGS:
            self.parts.append(self.get_starttag_text() or "")
            return
        self.tags += 1
        if tag in self.skip and not closes:
            self._skip_depth += 1
        elif tag == "br":
            self.block_tags += 1
            self.parts.append("\n")
        elif tag in _BLOCK_TAGS:
            self.block_tags += 1
            self.parts.append("\n\n")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, closes=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, closes=True)

    def handle_endtag(self, tag: str) -> None:
        if tag not in _KNOWN_TAGS:
            self.parts.append(f"</{tag}>")
            return
        self.tags += 1
        if tag in self.skip:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in _BLOCK_TAGS:
            self.block_tags += 1
            self.parts.append("\n\n")

    @property
    def unclosed_skip(self) -> bool:
        return self._skip_depth > 0

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self.parts.append(data)

    def handle_comment(self, data: str) -> None:
        self.tags += 1

    def handle_decl(self, decl: str) -> None:
        self.tags += 1

    def handle_pi(self, data: str) -> None:
        self.tags += 1

    def unknown_decl(self, data: str) -> None:
        self.tags += 1


def _parse_html(text: str, skip: frozenset[str]) -> _TextExtractor | None:
    parser = _TextExtractor(skip)
    try:
        parser.feed(text)
        parser.close()
    except Exception:  # noqa: BLE001 - html.parser can trip on pathological input; keep the text then
        return None
    return parser


def strip_html(text: str) -> tuple[str, int]:
    """(text without markup, number of tags); the text unchanged when it holds no known tag."""
    parser = _parse_html(text, _SKIP_CONTENT_TAGS | _FURNITURE_TAGS)
    if parser is not None and parser.unclosed_skip:
        parser = _parse_html(text, _SKIP_CONTENT_TAGS)
    if parser is None:
        return text, 0
    if not parser.tags:
        return text, 0
    if parser.block_tags:
        # An HTML document: source newlines are layout, only block elements break paragraphs.
        out = "".join(
            p if p.startswith("\n") and not p.strip() else p.replace("\n", " ") for p in parser.parts
        )
    else:
        out = "".join(parser.parts)
    return out, parser.tags
