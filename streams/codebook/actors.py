"""PETRARCH-2 / TABARI actor dictionaries: parsing, date-ranged codes, longest-match lookup.

The format (``Phoenix.*.actors.txt``, ``PETR.Validate.actors.txt``)::

    XI_JINPING                      # a head phrase starts an entry
    +PRESIDENT_XI_JINPING           # '+' lines are synonyms of the current entry
        [CHNGOV >20121115]          # indented code lines, optionally date-restricted
    RUSSIA  [RUS]                   # or the code(s) on the head line itself
    ZIMBABWE
        [RHO <790606]               # '<d' before d, '>d' from d on, 'd1-d2' inclusive
        [ZBW]                       # no date: the default
    THE_SHIRE  [FRO/BIL/SAM]        # '/' joins several actors
    BOROMIR  [---]                  # '---': known, but not coded

Comments are ``#`` to the end of the line and ``<!-- ... -->`` (lines starting ``<!`` are
skipped whole). Dates are ``YYYYMMDD`` or ``YYMMDD`` (``YY <= 30`` is 20YY, as in TABARI).
Words are joined by ``_`` or blanks; a trailing ``_`` (TABARI's "no stemming" mark) means
nothing here.

Matching is on normalized tokens (see :func:`token_keys`): uppercase, curly apostrophes
straightened, hyphens dropped (spaCy splits ``al-Qaeda`` into three tokens, the dictionary
writes ``AL-QAEDA``), the possessive ``'S`` its own token (as spaCy splits it).
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Generic, TypeVar

from streams.errors import ConfigError

NO_CODE = "---"
V = TypeVar("V")

# A bracket group: code, optional restriction. Restrictions seen in the wild:
# '>20121115', '< 950601', '20100109-20100112', '19950601 - 19990815'.
_BRACKET = re.compile(r"\[([^\]]*)\]")
# A bare date (``[MNEGOV 20121204]``) is read as "from then on"; 9 digits are a typo'd
# YYYYMMDD (PETRARCH reads the first 8).
_RESTRICTION = re.compile(r"^\s*(?:(?P<op>[<>]?)\s*(?P<d>\d{6,9})|(?P<a>\d{6,9})\s*-\s*(?P<b>\d{6,9}))\s*$")
_POSSESSIVE = re.compile(r"^(.+?)('S|')$")


class DictionaryFormatError(ConfigError):
    """A dictionary file could not be read."""


def parse_dict_date(text: str) -> date:
    """``YYYYMMDD`` or ``YYMMDD`` (TABARI: ``YY <= 30`` means 20YY, otherwise 19YY)."""
    text = text.strip()
    # as PETRARCH: 8+ characters read as YYYYMMDD, 6-7 as YYMMDD (a typo'd 7th digit ignored)
    if len(text) >= 8:
        year, month, day = int(text[:4]), int(text[4:6]), int(text[6:8])
    elif len(text) >= 6:
        yy = int(text[:2])
        year = 2000 + yy if yy <= 30 else 1900 + yy
        month, day = int(text[2:4]), int(text[4:6])
    else:
        raise ValueError(f"bad dictionary date {text!r}")
    return date(year, month, day)


@dataclass(frozen=True, slots=True)
class CodeSpan:
    """One ``[CODE restriction]`` group. ``codes`` is empty for ``---`` (known, not coded)."""

    codes: tuple[str, ...]
    start: date | None = None  # inclusive
    end: date | None = None  # inclusive
    dated: bool = False

    def covers(self, when: date) -> bool:
        if self.start is not None and when < self.start:
            return False
        return not (self.end is not None and when > self.end)

    @property
    def width(self) -> int:
        """Days covered; open-ended spans count as very wide so closed ones win."""
        if self.start is None or self.end is None:
            return 10**7
        return (self.end - self.start).days


@dataclass(frozen=True, slots=True)
class ActorEntry:
    """One dictionary entry: a canonical name, its synonyms and its (date-ranged) codes."""

    name: str
    spans: tuple[CodeSpan, ...]

    def codes_at(self, when: date | None) -> tuple[str, ...]:
        """The codes that apply on ``when``; without a date, the newest ones.

        With a date: the narrowest restriction that covers it (so an embedded interval
        overrides the one around it), else the undated default, else nothing. Without a
        date: an open-ended ``>`` restriction (the latest starting), else the undated
        default (what applies after all closed ranges), else the latest-ending range.
        """
        dated = [s for s in self.spans if s.dated]
        default = next((s for s in self.spans if not s.dated), None)
        if when is not None:
            covering = [s for s in dated if s.covers(when)]
            if covering:
                return min(covering, key=lambda s: s.width).codes
            return default.codes if default is not None else ()
        open_ended = [s for s in dated if s.end is None and s.start is not None]
        if open_ended:
            return max(open_ended, key=lambda s: s.start or date.min).codes
        if default is not None:
            return default.codes
        if dated:
            return max(dated, key=lambda s: s.end or date.max).codes
        return ()

    def code_at(self, when: date | None) -> str | None:
        codes = self.codes_at(when)
        return codes[0] if codes else None

    def latest_codes(self) -> tuple[str, ...]:
        """The most recent codes regardless of date (a fallback for stale entries)."""
        return self.codes_at(None)


@dataclass(frozen=True, slots=True)
class ActorMatch:
    """A dictionary phrase found in a token sequence: ``[start, end)`` token indices."""

    start: int
    end: int
    entry: ActorEntry
    phrase: tuple[str, ...]


def _split_word(word: str) -> list[str]:
    """Split one dictionary word the way spaCy splits running text (see module doc)."""
    out: list[str] = []
    lead: list[str] = []
    while word and word[0] in "([\"'":
        if word[0] == "'" and len(word) > 1 and word[1].isalpha():
            break
        lead.append(word[0])
        word = word[1:]
    trail: list[str] = []
    while word and word[-1] in ')]",;:':
        trail.insert(0, word[-1])
        word = word[:-1]
    out.extend(lead)
    poss = _POSSESSIVE.match(word)
    suffix = None
    if poss and len(poss.group(1)) > 1 and poss.group(1)[-1] != "'":
        word, suffix = poss.group(1), poss.group(2)
    out.extend(p for p in word.split("-") if p)
    if suffix:
        out.append(suffix)
    out.extend(trail)
    return out


def phrase_keys(phrase: str) -> tuple[str, ...]:
    """Normalized token keys of a dictionary phrase such as ``PEOPLE'S_REPUBLIC_OF_CHINA``."""
    phrase = phrase.upper().replace("\u2019", "'").replace("\u2018", "'")
    keys: list[str] = []
    for word in re.split(r"[_\s]+", phrase):
        if word:
            keys.extend(_split_word(word))
    return tuple(keys)


def token_keys(text: str) -> list[str]:
    """Normalized keys of one running-text token (may be none: a bare hyphen, or several)."""
    text = text.upper().replace("\u2019", "'").replace("\u2018", "'")
    if text in ("'S", "'"):
        return [text]
    if "_" in text and len(text) > 1:
        # dictionary spelling in running text ("Dol_Amroth" in PETRARCH's own records)
        return list(phrase_keys(text))
    return (
        [p for p in text.split("-") if p]
        if "-" in text and len(text) > 1
        else ([] if text == "-" else [text])
    )


def keyed_tokens(tokens: Sequence[str]) -> tuple[list[str], list[int]]:
    """Keys of a token sequence and, for each key, the index of the token it came from."""
    keys: list[str] = []
    index: list[int] = []
    for i, tok in enumerate(tokens):
        for k in token_keys(tok):
            keys.append(k)
            index.append(i)
    return keys, index


class PhraseIndex(Generic[V]):
    """Phrase keys → value, with a longest-match scan over token sequences.

    Phrases are stored whole in one dict; ``_longest[first_key]`` bounds how many keys to
    try from a position, so a lookup is a handful of dict probes.
    """

    def __init__(self, items: Iterable[tuple[tuple[str, ...], V]]):
        self._phrases: dict[tuple[str, ...], V] = {}
        self._longest: dict[str, int] = {}
        self.problems: tuple[str, ...] = ()  # malformed lines skipped while reading
        for keys, value in items:
            if not keys:
                continue
            self._phrases[keys] = value  # a later definition wins, as in PETRARCH
            if len(keys) > self._longest.get(keys[0], 0):
                self._longest[keys[0]] = len(keys)

    def __len__(self) -> int:
        return len(self._phrases)

    def __contains__(self, phrase: object) -> bool:
        return isinstance(phrase, str) and phrase_keys(phrase) in self._phrases

    def get(self, phrase: str) -> V | None:
        """Exact lookup of a phrase written like the dictionary or like running text."""
        return self._phrases.get(phrase_keys(phrase))

    def get_keys(self, keys: Sequence[str]) -> V | None:
        return self._phrases.get(tuple(keys))

    def match_at(self, keys: Sequence[str], i: int) -> tuple[int, V] | None:
        """Longest phrase starting at key ``i``: (number of keys, value), or None."""
        longest = self._longest.get(keys[i])
        if longest is None:
            return None
        for n in range(min(longest, len(keys) - i), 0, -1):
            value = self._phrases.get(tuple(keys[i : i + n]))
            if value is not None:
                return n, value
        return None

    def scan(self, tokens: Sequence[str]) -> list[tuple[int, int, V, tuple[str, ...]]]:
        """Left-to-right, non-overlapping longest matches: (token start, token end, value, keys)."""
        keys, index = keyed_tokens(tokens)
        found: list[tuple[int, int, V, tuple[str, ...]]] = []
        i = 0
        while i < len(keys):
            hit = self.match_at(keys, i)
            if hit is None:
                i += 1
                continue
            n, value = hit
            found.append((index[i], index[i + n - 1] + 1, value, tuple(keys[i : i + n])))
            i += n
        return found

    def items(self) -> Iterable[tuple[tuple[str, ...], V]]:
        return self._phrases.items()


class ActorDictionary(PhraseIndex[ActorEntry]):
    """Actor phrases → :class:`ActorEntry`.

    A phrase written without its apostrophe (``DEMOCRATIC_PEOPLES_REPUBLIC_OF_KOREA``) is
    also indexed as running text writes it ("People's"), unless that form is taken.
    """

    def __init__(self, entries: Iterable[tuple[tuple[str, ...], ActorEntry]]):
        items = list(entries)
        super().__init__(items)
        variants = []
        for keys, entry in items:
            if len(keys) > 1 and any(k.endswith("S") and len(k) > 4 and k.isalpha() for k in keys[:-1]):
                alt: list[str] = []
                for k in keys[:-1]:
                    alt.extend([k[:-1], "'S"] if k.endswith("S") and len(k) > 4 and k.isalpha() else [k])
                alt.append(keys[-1])
                variants.append((tuple(alt), entry))
        for keys, entry in variants:
            if keys not in self._phrases:
                self._phrases[keys] = entry
                if len(keys) > self._longest.get(keys[0], 0):
                    self._longest[keys[0]] = len(keys)

    def find_all(self, tokens: Sequence[str]) -> list[ActorMatch]:
        """Left-to-right, non-overlapping longest matches over running-text tokens."""
        return [ActorMatch(a, b, e, k) for a, b, e, k in self.scan(tokens)]

    def surname_index(self) -> dict[str, list[tuple[tuple[str, ...], ActorEntry]]]:
        """Last word → (phrase, entry) of the people in the dictionary (two to four words,
        coded with a sector), built on first use; for names spelt another way
        ("Nikolai" for "Nikolay")."""
        index = getattr(self, "_surnames", None)
        if index is None:
            index = {}
            for keys, entry in self._phrases.items():
                if 2 <= len(keys) <= 4 and all(k.isalpha() for k in keys):
                    codes = entry.latest_codes()
                    if codes and len(codes[0]) > 3:
                        index.setdefault(keys[-1], []).append((keys, entry))
            self._surnames = index
        return index


def _strip_comments(line: str) -> str:
    if "#" in line:
        line = line[: line.index("#")]
    while "<!--" in line and "-->" in line:
        a = line.index("<!--")
        b = line.index("-->", a)
        line = line[:a] + line[b + 3 :]
    return line


def _parse_bracket(body: str, where: str) -> CodeSpan:
    body = body.strip()
    code, _, rest = body.partition(" ")
    if "\t" in code:
        code, _, more = code.partition("\t")
        rest = more + " " + rest
    code = code.strip().upper()
    codes = () if code in ("", NO_CODE, "+++") else tuple(c for c in code.split("/") if c)
    rest = rest.strip()
    if not rest:
        return CodeSpan(codes)
    m = _RESTRICTION.match(rest)
    if m is None:
        raise DictionaryFormatError(f"{where}: bad date restriction [{body}]")
    try:
        if m.group("op") == "<":
            # '<d' : strictly before d
            d = parse_dict_date(m.group("d"))
            return CodeSpan(codes, None, date.fromordinal(d.toordinal() - 1), True)
        if m.group("d") is not None:
            return CodeSpan(codes, parse_dict_date(m.group("d")), None, True)
        return CodeSpan(codes, parse_dict_date(m.group("a")), parse_dict_date(m.group("b")), True)
    except ValueError as e:
        raise DictionaryFormatError(f"{where}: bad date in [{body}]: {e}") from e


def _add_spans(line: str, where: str, spans: list[CodeSpan], problems: list[str] | None) -> None:
    for body in _BRACKET.findall(line):
        try:
            spans.append(_parse_bracket(body, where))
        except DictionaryFormatError as e:
            if problems is None:
                raise
            problems.append(str(e))


def parse_actor_lines(
    lines: Iterable[str], source: str = "<actors>", problems: list[str] | None = None
) -> list[tuple[tuple[str, ...], ActorEntry]]:
    """Parse the text of an actor dictionary into (phrase keys, entry) pairs.

    The Phoenix files hold a few malformed restrictions (``[ARMUNR 9008223-911221]``,
    impossible days): such a group is skipped and described in ``problems`` (if given),
    so one typo does not lose the other ~50,000 lines.

    They also list spellings as heads of their own without codes, directly above the
    entry whose codes they share::

        BORIS_YELTSIN_
        YELTSIN
        RUSSIAN_PRESIDENT_YELTSIN
            [RUSGOV 910710-991231]

    A head without codes therefore takes the codes of the next entry when no blank or
    comment line separates them, else those of the entry directly above it
    (``UN_ [IGOUNO]`` / ``U.N._``), else none.
    """
    out: list[tuple[tuple[str, ...], ActorEntry]] = []
    name: str | None = None
    phrases: list[tuple[str, ...]] = []
    spans: list[CodeSpan] = []
    in_comment = False
    gap = False  # a blank or comment line since the current head
    pending: list[tuple[str, list[tuple[str, ...]]]] = []  # codeless heads waiting for codes
    above: tuple[CodeSpan, ...] | None = None  # codes of the entry directly above
    group_above: tuple[CodeSpan, ...] | None = None

    def emit(
        entry_name: str, entry_phrases: list[tuple[str, ...]], entry_spans: tuple[CodeSpan, ...]
    ) -> None:
        entry = ActorEntry(entry_name, entry_spans)
        out.extend((p, entry) for p in entry_phrases)

    def flush() -> None:
        nonlocal pending, above, group_above
        if name is None or not phrases:
            return
        if spans:
            emit(name, phrases, tuple(spans))
            for n, ph in pending:
                emit(n, ph, tuple(spans))
            pending = []
            above = None if gap else tuple(spans)
            return
        if not pending:
            group_above = above
        pending.append((name, phrases))
        if gap:
            for n, ph in pending:
                emit(n, ph, group_above or ())
            pending = []
            above = None

    for lineno, raw in enumerate(lines, 1):
        where = f"{source}:{lineno}"
        line = raw.rstrip("\n")
        if in_comment:
            if "-->" in line:
                in_comment = False
            continue
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            gap = True
            continue
        if stripped.startswith("<!"):
            # an opener without its closer starts a multi-line comment (the validation
            # file's unclosed "<!-- " line is closed by the "... -->" line after it)
            in_comment = stripped.startswith("<!--") and "-->" not in stripped
            continue
        if "<!--" in line and "-->" not in line[line.index("<!--") :]:
            line = line[: line.index("<!--")]
            in_comment = True
        line = _strip_comments(line).strip()
        if not line:
            continue
        if line.startswith("["):
            _add_spans(line, where, spans, problems)
            continue
        synonym = line.startswith("+")
        if synonym:
            line = line[1:]
        head, bracket, _ = line.partition("[")
        keys = phrase_keys(head.strip())
        if not synonym:
            flush()
            gap = False
            name = re.sub(r"[_\s]+", "_", head.strip()).strip("_").upper()
            phrases, spans = [], []
        elif name is None:
            raise DictionaryFormatError(f"{where}: synonym before any entry")
        if keys:
            phrases.append(keys)
        if bracket:
            _add_spans(line, where, spans, problems)
    gap = True
    flush()
    return out


def read_actor_file(
    path: Path, problems: list[str] | None = None
) -> list[tuple[tuple[str, ...], ActorEntry]]:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return parse_actor_lines(f, source=str(path), problems=problems)
    except OSError as e:
        raise DictionaryFormatError(f"cannot read actor dictionary {path}: {e}") from e


DATA_DIR = Path(__file__).parent / "data"
# the installed Phoenix dictionaries (manifest paths, see streams/codebook/sources.toml)
PHOENIX_ACTORS = (
    "dictionaries/petrarch2/Phoenix.Countries.actors.txt",
    "dictionaries/petrarch2/Phoenix.International.actors.txt",
    "dictionaries/petrarch2/Phoenix.MilNonState.actors.txt",
)
EXTRA_ACTORS = DATA_DIR / "wirewatch.actors.txt"


def phoenix_actor_files() -> list[Path]:
    from streams.codebook.location import codebook_file

    return [codebook_file(p) for p in PHOENIX_ACTORS]


def load_actor_dictionary(paths: Sequence[Path] | None = None) -> ActorDictionary:
    """Read actor dictionaries in order (a later file's phrase overrides an earlier one).

    Without paths: the installed Phoenix dictionaries (about 0.5 s for 34,000 phrases).
    Whenever a Phoenix file is read, our additions (``wirewatch.actors.txt``:
    organisations and office holders since 2014) are read last; a foreign dictionary
    (PETRARCH's validation one) is read as it is.
    """
    paths = [Path(p) for p in (phoenix_actor_files() if paths is None else paths)]
    phoenix = {Path(p).name for p in PHOENIX_ACTORS}
    if any(p.name in phoenix for p in paths) and EXTRA_ACTORS.exists():
        paths = [p for p in paths if p.resolve() != EXTRA_ACTORS.resolve()] + [EXTRA_ACTORS]
    pairs: list[tuple[tuple[str, ...], ActorEntry]] = []
    problems: list[str] = []
    for p in paths:
        pairs.extend(read_actor_file(Path(p), problems))
    d = ActorDictionary(pairs)
    d.problems = tuple(problems)
    return d


def split_actor_code(code: str | None, countries: Container[str]) -> tuple[str | None, str | None]:
    """(country ISO3, first sector) of a CAMEO actor code: ``RUSGOVMIL`` → (RUS, GOV).

    Codes that do not start with a country (``IGOUNO``, ``MED``, ``NGO``) have no country;
    their first three letters are the sector.
    """
    if not code:
        return None, None
    code = code.upper()
    if code[:3] in countries:
        return code[:3], (code[3:6] or None)
    return None, code[:3] or None
