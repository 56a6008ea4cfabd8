"""Clean one raw article: artefacts of wire copy and web feeds out, paragraphs once each.

``clean_article`` is pure (no I/O) and idempotent on its own output: cleaning
``RawArticle(title=out.title, body=out.text)`` gives the same title, paragraphs
and text and reports no removals. The steps, in order:

1. decode: HTML tags dropped (stdlib ``html.parser``; only known HTML element
   names count as tags, so "a <b> c" in prose survives), entities unescaped,
   mojibake and control characters fixed (``ftfy``, curly quotes kept);
2. lines: title repeats, punctuation-only lines and boilerplate lines removed;
3. paragraphs: blank-line separated blocks; hard-wrapped lines rejoined;
   inline artefacts fixed (`` , `` before a quotation, doubled end punctuation);
4. duplicates: exact, near (same letters and digits, casefolded) and cut-off
   copies that are a prefix of a fuller paragraph are dropped;
5. the last paragraph is flagged when it stops mid-sentence; an oversized text
   is cut at a paragraph boundary; the language is detected.
"""

from __future__ import annotations

import bisect
import html
import re
import unicodedata
from dataclasses import dataclass, field

import ftfy
import regex

from schemas import CleanArticle, CleaningReport, RawArticle
from streams.core.html_text import strip_html
from streams.core.language import is_english, language_of
from streams.core.wirecopy import furniture_line, split_dateline, strip_credits

# --- data -------------------------------------------------------------------

# Lines that are page furniture, never reporting. Matched on the casefolded line
# with whitespace folded; kept short and conservative on purpose: a false hit
# deletes a real paragraph, a miss only leaves a harmless line in.
BOILERPLATE_EXACT: frozenset[str] = frozenset(
    {
        "advertisement",
        "advertisements",
        "skip advertisement",
        "story continues below advertisement",
        "article continues below advertisement",
        "continue reading the main story",
        "share this article",
        "share this story",
        "share this",
        "share",
        "click to share",
        "print",
        "email",
        "tweet",
        "related articles",
        "related stories",
        "all rights reserved",
    }
)
BOILERPLATE_PREFIXES: tuple[str, ...] = (
    "click to share",
    "click here to share",
    "share this article",
    "share on facebook",
    "share on twitter",
    "follow us on",
    "sign up for our newsletter",
    "sign up to our newsletter",
    "sign up for the newsletter",
    "subscribe to our newsletter",
    "read more:",
    "read more at",
    "also read:",
    "related:",
    "a version of this article appears in print",
    "©",
    "copyright ©",
    "copyright (c)",
)
BOILERPLATE_SUFFIXES: tuple[str, ...] = (
    "all rights reserved",
    "all rights reserved.",
)
BOILERPLATE_MAX_LEN = 250  # longer lines are prose even when they start like furniture
# Page furniture whatever its length: a newspaper's print-edition note and reprint links run
# on into the newsletter promotions after them, and no reporting starts this way.
BOILERPLATE_ANY_LENGTH: tuple[str, ...] = (
    "a version of this article appears in print",
    "order reprints |",
    "sign up for the ",
    "sign up for our ",
)


_TERMINAL = ".!?…"
_CLOSERS = "\"'”’»)]}*"
_OPEN_QUOTES = "“\"‘«„'"

# Control, format (zero-width, BOM, soft hyphen, bidi) and lone surrogate characters, less the
# newline, the tab and ZWNJ/ZWJ; "regex" knows Unicode categories, "re" does not.
_INVISIBLE = regex.compile(r"[[\p{Cc}\p{Cf}\p{Cs}]--[\n\t\u200c\u200d]]", flags=regex.V1)
_NOT_ALNUM = re.compile(r"[\W_]+")  # \w is str.isalnum() plus "_"
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
# "said that , “in" -> "said that “in": a comma floating between a word and an opening quote.
_COMMA_BEFORE_QUOTE = re.compile(r"(?<=\w)\s+,\s+(?=[" + re.escape(_OPEN_QUOTES) + r"])")
# ".”." -> ".”" and ".\"." -> ".\"": a full stop appended after a quotation already ended.
_DOUBLED_AFTER_QUOTE = re.compile(r"([.!?])([\"'”’»]+)\.(?=\s|$)")
# "goal.." -> "goal." (an ellipsis "..." is left alone).
_DOUBLED_STOP = re.compile(r"(?<![.])\.\.(?=\s|$)")

_MAX_DETAILS = 40
_SNIPPET = 60
_RAW_CAP_FACTOR = 4  # raw bodies beyond this many times max_chars are cut before any work


# --- report -----------------------------------------------------------------


@dataclass
class _Report:
    counts: dict[str, int] = field(default_factory=dict)
    details: list[str] = field(default_factory=list)
    extra_details: int = 0

    def add(self, kind: str, detail: str, n: int = 1) -> None:
        if n <= 0:
            return
        self.counts[kind] = self.counts.get(kind, 0) + n
        if len(self.details) < _MAX_DETAILS:
            self.details.append(detail)
        else:
            self.extra_details += 1

    def build(self) -> CleaningReport:
        details = list(self.details)
        if self.extra_details:
            details.append(f"... and {self.extra_details} more")
        return CleaningReport(**self.counts, details=details)


def _snip(text: str) -> str:
    return repr(text if len(text) <= _SNIPPET else text[: _SNIPPET - 1] + "…")


# --- step 1: decode ---------------------------------------------------------


def _decode_markup(text: str, report: _Report) -> str:
    entities = len(_ENTITY.findall(text)) if "&" in text else 0
    # Feeds double-escape ("&amp;lt;p&amp;gt;"), so repeat to a fixed point (bounded).
    for _ in range(4):
        before = text
        if "<" in text:
            text, tags = strip_html(text)
            report.add("html_tags", f"removed {tags} HTML tag(s)/comment(s)", tags)
        if "&" in text:
            text = html.unescape(text)
        if text == before:
            break
    if entities:
        decoded = entities - len(_ENTITY.findall(text))
        report.add(
            "artefacts_fixed", f"decoded {decoded} HTML entit{'y' if decoded == 1 else 'ies'}", decoded
        )
    return text


_FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,  # done above, with tags
    uncurl_quotes=False,  # quotation marks stay as the source wrote them
    explain=True,
)


def _fix_characters(text: str, report: _Report) -> str:
    # Mojibake needs non-ASCII characters and ftfy is the slowest step: pure ASCII skips it
    # (escape sequences aside); the invisible-character pass below still runs.
    # Line by line: ftfy reads a line's encoding from the whole string it is given, so fixing the
    # text at once made a line's repair depend on its neighbours (a near-duplicate removed later
    # changed how the line it duplicated was decoded, and cleaning was no longer idempotent).
    if not text.isascii() or "\x1b" in text:
        lines = text.split("\n")
        names: set[str] = set()
        for k, line in enumerate(lines):
            if line.isascii() and "\x1b" not in line:
                continue
            fixed, steps = ftfy.fix_and_explain(line, config=_FTFY_CONFIG)
            if fixed != line:
                names.update(step[1] for step in steps or () if step[1] != "fix_line_breaks")
                lines[k] = fixed
        if names:
            report.add("artefacts_fixed", f"fixed characters ({', '.join(sorted(names))})")
        text = "\n".join(lines)
    text, dropped = _INVISIBLE.subn("", text)
    if dropped:
        report.add("artefacts_fixed", f"removed {dropped} control/invisible character(s)", dropped)
    return text


def _squash_lines(text: str) -> str:
    return "\n".join(_squash(line) for line in text.splitlines())


def _normalise(text: str, report: _Report) -> str:
    """Markup, characters and whitespace (per line), repeated until nothing changes.

    ftfy is not idempotent on every input (it fixes a sequence that only becomes
    recognisable once a neighbour is gone), so one round is not enough for
    clean(clean(x)) == clean(x); a second round runs only when the first changed
    something, and three settle anything seen in testing.
    """
    text = _squash_lines(text)
    for _ in range(3):
        fixed = _squash_lines(_fix_characters(_decode_markup(text, report), report))
        if fixed == text:
            break
        text = fixed
    return text


def _settle_characters(paragraph: str, report: _Report) -> str:
    """The character fixes once more on the paragraph as it will be stored.

    A line break ftfy never saw as one ("\x85", "\u2028": ``str.splitlines`` breaks there)
    split a sequence that the paragraph's joined lines bring back together; the next clean
    read the joined paragraph as one line and decoded it ("á€ a" became "ဠa")."""
    for _ in range(3):
        fixed = _squash(_fix_characters(paragraph, report))
        if fixed == paragraph:
            break
        paragraph = fixed
    return paragraph


# --- steps 2-3: lines and paragraphs -----------------------------------------


def _key(text: str) -> str:
    """Letters and digits only, casefolded, single-spaced: what two copies of a paragraph share."""
    return " ".join(_NOT_ALNUM.sub(" ", unicodedata.normalize("NFKC", text).casefold()).split())


def _squash(text: str) -> str:
    return " ".join(text.split())


def _is_boilerplate(line: str) -> bool:
    low = line.casefold()
    if low.startswith(BOILERPLATE_ANY_LENGTH):
        return True
    if len(line) > BOILERPLATE_MAX_LEN:
        return False
    bare = low.strip(" .!:;-–—|•·*")
    if bare in BOILERPLATE_EXACT:
        return True
    return low.startswith(BOILERPLATE_PREFIXES) or low.endswith(BOILERPLATE_SUFFIXES)


def _ends_sentence(text: str) -> bool:
    stripped = text.rstrip(_CLOSERS + " ")
    return bool(stripped) and stripped[-1] in _TERMINAL


def _looks_cut(text: str, min_words: int) -> bool:
    """A paragraph that stops mid-sentence (not a bracketed note such as a byline)."""
    if _ends_sentence(text):
        return False
    if text[:1] in "([{" and text[-1:] in ")]}":
        return False
    return len(text.split()) >= min_words


def _drop_line(line: str, title_key: str, report: _Report) -> bool:
    """Whether ``line`` is a title repeat, punctuation only or boilerplate (and report it)."""
    key = _key(line)
    if not key:
        report.add("punctuation_only_lines", f"punctuation-only line {_snip(line)}")
        return True
    if title_key and key == title_key:
        report.add("duplicate_titles", f"title repeated in body {_snip(line)}")
        return True
    if _is_boilerplate(line):
        report.add("boilerplate_lines", f"boilerplate line {_snip(line)}")
        return True
    return False


def _joins(previous: str, line: str) -> bool:
    """Whether ``line`` continues ``previous`` (a hard-wrapped paragraph) rather than starting one."""
    if _ends_sentence(previous):
        return False
    first = line[:1]
    return first.islower() or previous.endswith((",", "-", "–", "—")) or len(previous) >= 60


def _paragraphs(body: str, title_key: str, report: _Report) -> list[str]:
    paragraphs: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            paragraphs.append(" ".join(current))
            current.clear()

    for raw_line in body.splitlines():
        line = _squash(raw_line)
        if not line:
            flush()
            continue
        if _drop_line(line, title_key, report):
            flush()  # a removed line (a lone "." between paragraphs) separates like a blank one
            continue
        if current and not _joins(current[-1], line):
            flush()
        current.append(line)
    flush()
    return paragraphs


def _fix_inline(text: str) -> tuple[str, dict[str, int]]:
    """Fix `` , `` before quotations and doubled end punctuation, to a fixed point."""
    fixes: dict[str, int] = {}
    for _ in range(5):
        before = text
        for name, pattern, repl in (
            ("comma before quotation", _COMMA_BEFORE_QUOTE, " "),
            ("doubled end punctuation", _DOUBLED_AFTER_QUOTE, r"\1\2"),
            ("doubled end punctuation", _DOUBLED_STOP, "."),
        ):
            text, n = pattern.subn(repl, text)
            if n:
                fixes[name] = fixes.get(name, 0) + n
        if text == before:
            break
    return text, fixes


# --- step 4: duplicates -----------------------------------------------------


def _punctuation(text: str) -> int:
    return sum(1 for ch in text if not ch.isalnum() and not ch.isspace())


def _deduplicate(paragraphs: list[str], report: _Report) -> list[int]:
    """Indices of the paragraphs to keep, in order.

    Copies with the same key collapse into the first position; the text kept is
    the copy with the least punctuation (stray commas, an appended full stop are
    what wire re-sends add). A paragraph that stops mid-sentence and is a prefix
    of a fuller one is a cut-off copy of it.
    """
    keys = [_key(p) for p in paragraphs]
    first_of: dict[str, int] = {}
    chosen: dict[int, int] = {}  # slot (first index of a key) -> index of the text kept
    for i, (text, key) in enumerate(zip(paragraphs, keys, strict=True)):
        slot = first_of.setdefault(key, i)
        if slot == i:
            chosen[slot] = i
            continue
        kept = chosen[slot]
        if text == paragraphs[kept]:
            report.add("duplicate_paragraphs", f"duplicate paragraph {_snip(text)}")
            continue
        report.add("near_duplicate_paragraphs", f"near-duplicate paragraph {_snip(text)}")
        if _punctuation(text) < _punctuation(paragraphs[kept]):
            chosen[slot] = i
    slots = sorted(chosen)
    # Keys that extend a key sort right after it, so one look at the successor tells
    # whether a longer paragraph starts with this one (n log n, not n²).
    ordered = sorted(keys[s] for s in slots)
    keep: list[int] = []
    for slot in slots:
        key, text = keys[slot], paragraphs[chosen[slot]]
        after = bisect.bisect_right(ordered, key)
        if _looks_cut(text, min_words=5) and after < len(ordered) and ordered[after].startswith(key):
            report.add("near_duplicate_paragraphs", f"cut-off copy of a longer paragraph {_snip(text)}")
            continue
        keep.append(chosen[slot])
    return keep


# --- step 5: size -----------------------------------------------------------


def _cap(paragraphs: list[str], max_chars: int, report: _Report) -> tuple[list[str], bool]:
    total = len("\n\n".join(paragraphs))
    if total <= max_chars:
        return paragraphs, False
    kept: list[str] = []
    length = 0
    for p in paragraphs:
        extra = len(p) + (2 if kept else 0)
        if length + extra > max_chars:
            break
        kept.append(p)
        length += extra
    if not kept:
        # One paragraph longer than the cap: cut it at a word boundary.
        head = paragraphs[0][:max_chars]
        cut = head.rsplit(" ", 1)[0] if " " in head else head
        kept = [cut.strip()] if cut.strip() else []
    report.add(
        "artefacts_fixed", f"text of {total} chars cut to {len(chr(10).join(kept))} (max_chars={max_chars})"
    )
    return kept, True


# --- entry point ------------------------------------------------------------


def _furniture(
    paragraphs: list[str], fixes: list[dict[str, int]], report: _Report
) -> tuple[list[str], list[dict[str, int]]]:
    """Caption lines, bylines, photo credits and gallery captions out of every paragraph."""
    out: list[str] = []
    out_fixes: list[dict[str, int]] = []
    for para, found in zip(paragraphs, fixes, strict=True):
        if furniture_line(para):
            report.add("boilerplate_lines", f"caption or byline {_snip(para)}")
            continue
        text, n = strip_credits(para)
        if n:
            report.add("artefacts_fixed", f"photo credit or caption removed ({n}x) in {_snip(para)}", n)
        if text:
            out.append(text)
            out_fixes.append(found)
    return out, out_fixes


def _dateline(paragraphs: list[str], report: _Report) -> tuple[list[str], str | None]:
    """The dateline out of the first paragraph that opens with one (web copy often puts a
    gallery or a standfirst before it), kept apart. After de-duplication, so that copies
    of the dateline's paragraph still collapse into one."""
    for k, para in enumerate(paragraphs):
        line, rest = split_dateline(para)
        if line is not None:
            report.add("artefacts_fixed", f"dateline {line.text!r} kept apart")
            return [*paragraphs[:k], *([rest] if rest else []), *paragraphs[k + 1 :]], line.text
    return paragraphs, None


def _clean_title(title: str, report: _Report) -> str:
    for _ in range(3):
        before = title
        title, _ = _fix_inline(_squash(_normalise(title, report)))
        if title == before:
            break
    return title


def clean_article(raw: RawArticle, *, max_chars: int = 100_000) -> CleanArticle:
    """The cleaned article; never raises on any title/body text."""
    report = _Report()
    title = _clean_title(raw.title or "", report)
    title_key = _key(title)

    body = raw.body or ""
    raw_cap = max(max_chars, 1) * _RAW_CAP_FACTOR
    if len(body) > raw_cap:
        cut = body.rfind("\n", 0, raw_cap)
        body = body[: cut if cut > 0 else raw_cap]
        report.add("artefacts_fixed", f"raw body of {len(raw.body)} chars cut to {len(body)} before cleaning")
    body = _normalise(body, report)

    paragraphs: list[str] = []
    fixes: list[dict[str, int]] = []
    for block in _paragraphs(body, title_key, report):
        fixed, found = _fix_inline(block)
        fixed = _settle_characters(fixed, report)
        # Checked again after joining: a wrapped "Follow us" + "on X" is one boilerplate line.
        if _drop_line(fixed, title_key, report):
            continue
        paragraphs.append(fixed)
        fixes.append(found)

    paragraphs, fixes = _furniture(paragraphs, fixes, report)
    keep = _deduplicate(paragraphs, report)
    for i in keep:  # fixes are counted once per paragraph kept, not once per duplicate copy
        for name, n in fixes[i].items():
            report.add("artefacts_fixed", f"{name} fixed ({n}x) in {_snip(paragraphs[i])}", n)
    paragraphs = [paragraphs[i] for i in keep]
    paragraphs, dateline = _dateline(paragraphs, report)

    paragraphs, oversized = _cap(paragraphs, max_chars, report)
    truncated = oversized or bool(paragraphs and _looks_cut(paragraphs[-1], min_words=4))
    text = "\n\n".join(paragraphs)

    language = language_of(raw.language, text)
    codable, skip_reason = True, None
    if not paragraphs:
        codable, skip_reason = False, "empty"
    elif language is not None and not is_english(language):
        codable, skip_reason = False, f"language:{language}"

    return CleanArticle(
        article_id=raw.id,
        source=raw.source,
        url=raw.url,
        published_at=raw.published_at,
        title=title,
        paragraphs=paragraphs,
        text=text,
        truncated=truncated,
        dateline=dateline,
        language=language,
        codable=codable,
        skip_reason=skip_reason,
        removed=report.build(),
    )
