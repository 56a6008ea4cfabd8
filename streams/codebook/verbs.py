"""The PETRARCH-2 verb pattern dictionary (``CAMEO.2.0.txt`` format), parsed.

The file holds synonym sets and verb blocks::

    &CURRENCY                      a synset: "+" lines, words or phrases
    +DOLLAR
    ---  GRANT   [070]  ---        a verb block and its default code ("---": no event)
    GRANT                          verb forms (base form; {IRREGULAR FORMS} ignored:
    GIVE {GAVE GIVEN }               spaCy's lemma already folds them)
    CLEAR_UP [040]                 a multi-word verb (verb + particle) with its own code
    +ANGERED_BY                    "+" verb line: a multi-word verb
    - * &CURRENCY (TO +)  [071]    a pattern: words before / after the verb ("*"),
                                     "(PREP ...)" a prepositional phrase, "{A B}" a noun
                                     phrase, "&SYN" a synset, "+" the target, "$" the
                                     source, "%" a compound actor (both sides)

Words of a pattern may be joined by ``_``, so a synset name is read up to the first
inner ``_`` (``&TIETYPES_RELATIONS`` is ``&TIETYPES`` then ``RELATIONS``): synset names
carry ``_`` only at their end, as in PETRARCH's files.

Codes ``[a:b]`` give the code of the source→target event and of the reverse one
(``[042:043]``: A visits B, B hosts A). Patterns and synsets are turned into plain
word lists so that :mod:`streams.core.classify` can match them against a dependency
subtree; the grammar of PETRARCH's reader is followed where it matters for that
and documented here where we simplify (order of words inside a pattern is kept,
but gaps between them are allowed, as TABARI's blank means).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

# the installed PETRARCH-2 verb dictionary (manifest path, see streams/codebook/sources.toml)
VERBS_FILE = "dictionaries/petrarch2/CAMEO.2.0.txt"


def verbs_file() -> Path:
    from streams.codebook.location import codebook_file

    return codebook_file(VERBS_FILE)


TARGET = "+"
SOURCE = "$"
COMPOUND = "%"
MARKERS = frozenset({TARGET, SOURCE, COMPOUND})
PREP_HEAD = "(prep)"  # Element.prep of the preposition that opens a "(PREP ...)" phrase


@dataclass(frozen=True)
class Element:
    """One slot of a pattern: alternatives, each a sequence of lower-case words."""

    alternatives: tuple[tuple[str, ...], ...]
    marker: str | None = None  # "+", "$" or "%" when the slot is an actor
    prep: str | None = (
        None  # the preposition when the slot sits in a "(PREP ...)" phrase, PREP_HEAD for the preposition
    )

    @property
    def is_marker(self) -> bool:
        return self.marker is not None


@dataclass(frozen=True)
class VerbPattern:
    code: str | None  # None: the pattern matches but produces no event ("---")
    reverse_code: str | None
    before: tuple[Element, ...]
    after: tuple[Element, ...]
    text: str = ""

    @cached_property
    def words(self) -> int:
        """How specific the pattern is: the number of word slots it must match."""
        return sum(1 for e in (*self.before, *self.after) if not e.is_marker)


@dataclass(frozen=True)
class VerbEntry:
    lemma: str  # upper-case base form, "_"-joined for multi-word verbs
    code: str | None  # default code of the verb (None: no event unless a pattern fires)
    reverse_code: str | None
    block: str  # the block's name (its first verb)
    particles: tuple[str, ...] = ()  # lower-case words that must follow the verb (CLEAR_UP)
    patterns: tuple[VerbPattern, ...] = ()


@dataclass
class VerbDictionary:
    """Verb lemma (upper case) → entries (one per multi-word variant)."""

    entries: dict[str, list[VerbEntry]] = field(default_factory=dict)
    synsets: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)

    def lookup(self, lemma: str) -> list[VerbEntry]:
        return self.entries.get(lemma.upper(), [])

    def __contains__(self, lemma: object) -> bool:
        return isinstance(lemma, str) and lemma.upper() in self.entries

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def pattern_count(self) -> int:
        """Patterns in the file (a block's patterns are shared by all its verbs)."""
        blocks = {id(e.patterns): len(e.patterns) for es in self.entries.values() for e in es}
        return sum(blocks.values())


_COMMENT_XML = re.compile(r"<!--.*?-->", re.S)
_BLOCK = re.compile(r"^-{3}\s*(.*?)\s*(?:\[([^\]]*)\])?\s*-{3}\s*$")
_CODE = re.compile(r"\[([^\]]*)\]\s*$")
_IRREG = re.compile(r"\{[^}]*\}")


def _strip_comment(line: str) -> str:
    return line.split("#", 1)[0].rstrip()


def parse_code(raw: str | None) -> tuple[str | None, str | None]:
    """``"042:043"`` → ("042", "043"); ``"---"``/empty → (None, None)."""
    if raw is None:
        return None, None
    raw = raw.strip()
    parts = raw.split(":", 1)

    def one(p: str) -> str | None:
        p = p.strip()
        return p if re.fullmatch(r"\d{2,4}", p) else None

    first = one(parts[0])
    second = one(parts[1]) if len(parts) > 1 else None
    return first, second


def _phrase_words(phrase: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in re.split(r"[\s_]+", phrase.strip()) if w)


def parse_verb_dictionary(text: str) -> VerbDictionary:
    text = _COMMENT_XML.sub("", text)
    vd = VerbDictionary()
    lines = text.splitlines()
    cur_synset: str | None = None
    syn_items: list[tuple[str, ...]] = []
    block_name: str | None = None
    block_code: tuple[str | None, str | None] = (None, None)
    verbs: list[tuple[str, tuple[str, ...], tuple[str | None, str | None]]] = []
    raw_patterns: list[str] = []
    pending: list[
        tuple[str, list[tuple[str, tuple[str, ...], tuple[str | None, str | None]]], list[str]]
    ] = []

    def close_synset() -> None:
        nonlocal cur_synset, syn_items
        if cur_synset is not None:
            items: list[tuple[str, ...]] = []
            for item in syn_items:
                # a synset may name another, defined earlier ("+&TIETYPES")
                if len(item) == 1 and item[0].startswith("&"):
                    items.extend(vd.synsets.get(item[0].upper().rstrip("_"), ()))
                else:
                    items.append(item)
            vd.synsets[cur_synset.rstrip("_")] = tuple(items)
        cur_synset, syn_items = None, []

    def close_verbs() -> None:
        nonlocal verbs, raw_patterns
        if verbs:
            pending.append((block_name or verbs[0][0], verbs, raw_patterns))
        verbs, raw_patterns = [], []

    in_transformations = False
    for raw_line in lines:
        line = _strip_comment(raw_line)
        stripped = line.strip()
        if raw_line.lstrip().startswith("########") and "TRANSFORMATIONS" in raw_line:
            in_transformations = True
        if in_transformations or not stripped:
            if not stripped:
                close_synset()
            continue
        if stripped.startswith("~"):
            continue
        m = _BLOCK.match(stripped)
        if m:
            close_synset()
            close_verbs()
            block_name = m.group(1).strip().upper()
            block_code = parse_code(m.group(2))
            continue
        if stripped.startswith("&"):
            close_synset()
            close_verbs()
            cur_synset = stripped.split()[0].upper()
            continue
        if cur_synset is not None and stripped.startswith("+"):
            syn_items.append(_phrase_words(stripped[1:].rstrip("_")))
            continue
        if stripped.startswith("-"):
            raw_patterns.append(stripped[1:].strip())
            continue
        # A verb form line: WORD {IRREG} [code], possibly multi-word with "+" or "_".
        cm = _CODE.search(stripped)
        code = parse_code(cm.group(1)) if cm else block_code
        body = _CODE.sub("", stripped)
        body = _IRREG.sub("", body).strip()
        if not body:
            continue
        words = [w for w in re.split(r"[\s_]+", body) if w]
        verb_idx = next((k for k, w in enumerate(words) if w.startswith("+")), 0)
        words = [w.lstrip("+") for w in words]
        words = [w for w in words if w]
        if not words:
            continue
        if verb_idx != 0:
            # "KLM_NOP_+RST": words before the verb are not supported as verb forms
            # (PETRARCH uses them for noun-verb disambiguation); keep the verb alone.
            lemma = words[verb_idx] if verb_idx < len(words) else words[-1]
            particles: tuple[str, ...] = ()
        else:
            lemma = words[0]
            particles = tuple(w.lower() for w in words[1:])
        # A verb without its own code takes the block's ("---": no event unless a pattern fires).
        verbs.append((lemma.upper(), particles, code))
    close_synset()
    close_verbs()

    for name, block_verbs, pats in pending:
        patterns = tuple(p for p in (parse_pattern(s, vd.synsets) for s in pats) if p is not None)
        for lemma, particles, (code, rev) in block_verbs:
            entry = VerbEntry(
                lemma=lemma, code=code, reverse_code=rev, block=name, particles=particles, patterns=patterns
            )
            vd.entries.setdefault(lemma, []).append(entry)
    return vd


_TOKEN = re.compile(r"\(|\)|\{|\}|[^\s(){}]+")


def parse_pattern(spec: str, synsets: dict[str, tuple[tuple[str, ...], ...]]) -> VerbPattern | None:
    """``"* &CURRENCY (TO +)  [071]"`` → a :class:`VerbPattern` (None if malformed)."""
    cm = _CODE.search(spec)
    if not cm:
        return None
    code, rev = parse_code(cm.group(1))
    body = _CODE.sub("", spec).strip()
    if "*" not in body:
        return None
    before: list[Element] = []
    after: list[Element] = []
    target = before
    prep: str | None = None
    in_pp = False
    in_np: list[str] | None = None
    for tok in _TOKEN.findall(body):
        if tok in ("*", "**"):
            target = after
            continue
        if tok == "(":
            in_pp, prep = True, None
            continue
        if tok == ")":
            in_pp, prep = False, None
            continue
        if tok == "{":
            in_np = []
            continue
        if tok == "}":
            if in_np:
                target.append(Element((tuple(in_np),), prep=prep))
            in_np = None
            continue
        for piece in [p for p in tok.split("_") if p] or [tok]:
            el = _element(piece, synsets, prep)
            if el is None:
                return None  # an undefined synset: PETRARCH skips such patterns too
            if in_np is not None and not el.is_marker and len(el.alternatives) == 1:
                in_np.extend(el.alternatives[0])
                continue
            if in_pp and prep is None and not el.is_marker:
                # the first word of "(PREP ...)" is the preposition itself
                prep = el.alternatives[0][0]
                el = Element(el.alternatives, prep=PREP_HEAD)
            target.append(el)
    return VerbPattern(code=code, reverse_code=rev, before=tuple(before), after=tuple(after), text=spec)


def _element(piece: str, synsets: dict[str, tuple[tuple[str, ...], ...]], prep: str | None) -> Element | None:
    if piece in MARKERS:
        return Element((), marker=piece, prep=prep)
    if piece.startswith("&"):
        alts = synsets.get(piece.upper().rstrip("_"))
        if alts is None:
            return None
        return Element(alts, prep=prep)
    word = piece.strip("^").lower()
    if not word:
        return None
    return Element(((word,),), prep=prep)


def merge_verbs(base: VerbDictionary, extra: VerbDictionary) -> VerbDictionary:
    """``extra`` on top of ``base``: a verb in both takes ``extra``'s default code, and its
    patterns are ``extra``'s followed by ``base``'s (so ours win a tie of specificity)."""
    out = VerbDictionary(
        entries={k: list(v) for k, v in base.entries.items()}, synsets={**base.synsets, **extra.synsets}
    )
    for lemma, new_entries in extra.entries.items():
        old = out.entries.get(lemma, [])
        merged: list[VerbEntry] = []
        for ne in new_entries:
            same = [e for e in old if e.particles == ne.particles]
            patterns = ne.patterns + tuple(p for e in same[:1] for p in e.patterns)
            merged.append(VerbEntry(ne.lemma, ne.code, ne.reverse_code, ne.block, ne.particles, patterns))
        kept = [e for e in old if all(e.particles != ne.particles for ne in new_entries)]
        out.entries[lemma] = merged + kept
    return out


def load_verb_dictionary(path: Path | None = None) -> VerbDictionary:
    """The verb dictionary in ``path``; without one, the installed CAMEO.2.0.txt."""
    path = verbs_file() if path is None else path
    return parse_verb_dictionary(path.read_text(encoding="utf-8", errors="replace"))
