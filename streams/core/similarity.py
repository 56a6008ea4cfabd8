"""Do two reports describe the same real-world event? A scored pairwise decision.

Each coded event becomes a :class:`Report`: the identities of its two sides, its
CAMEO root and quad class, its event day (a range's start and end), its place,
and a MinHash signatures (datasketch, fixed seed) of the content words of its
evidence sentences and of its article's headline. Everything is a pure function of
the one event, so every worker computes the same report.

Two reports are compared by :func:`score`:

* **Gates** (any one fails: no link, score ``None``): both sides in conflict (a
  side known on both reports — country, actor code or resolved person — that
  disagrees, directly and, for consultations, also the other way round); one
  side in conflict beside a side that does not match (``conflict_needs_match``);
  different root families (``ROOT_FAMILIES``: a missile launch coded 150, 190
  or 194 is one family, a condemnation of it, 111, another); event days further apart
  than ``max_day_gap``; a date vaguer than ``max_span_days`` ("2015", "last
  month": background, and no evidence of closeness) on either report, unless it
  is at most a month long and holds the other report's exact day (then the date
  feature is a weak ``vague_date_credit``); unless
  both sides match, evidence and headlines that share less than ``min_text``
  (MinHash Jaccard) of their words.
* **Features** in [0, 1]: ``actors`` (the mean over the two sides of 1 the side
  matches, 0.5 unknown on one report — one-sided events, text-only actors — and
  0 a conflict), ``type`` (1 same root,
  ``family_credit`` same family), ``date`` (1 same day, falling linearly to 0 at
  ``max_day_gap + 1`` days), ``place`` (1 same place, 0.6 same country, 0 two
  countries, 0.5 unknown), ``text`` (the MinHash estimate of the Jaccard
  similarity of the content words of the evidence sentences, divided by
  ``text_full`` and capped at 1), ``headline`` (the same for the headlines).
* **Score**: the weighted mean of the features. A pair links when the score
  reaches ``threshold``. The weights and the threshold are chosen on one half of
  the labelled stories and measured on the other (``wirewatch eval dedup``).

The score is symmetric (``score(a, b) == score(b, a)``), which the canonical
stage relies on for order-independence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date

from schemas.events import Actor, DateRange, DiplomaticEvent

NUM_PERM = 64
MINHASH_SEED = 14
CONSULT_ROOT = "04"
# Root families: CAMEO roots whose reports of one happening coders confuse. Uses of force (a missile
# launch is coded 150, 190 or 194; an attack 18x or 19x); statements and appeals; criticism and
# rejection. Every other root is a family of its own (an arrest, 173, is no attack; an
# investigation, 090, no concession, 080).
VAGUE_SPAN_DAYS = 31
ROOT_FAMILIES = {"15": 15, "18": 15, "19": 15, "20": 15, "01": 1, "02": 1, "11": 11, "12": 11}
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Function words and the reporting vocabulary every article shares; kept short on purpose
# (the MinHash compares content: names, places, numbers, the act).
_STOP = frozenset(
    """a about after again against all also an and any are as at be been before being between both but by
    can could did do does during each for from had has have he her here him his how i if in into is it its
    just more most no nor not now of off on once only or other our out over own said same says she should
    so some such than that the their them then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your told tuesday monday
    wednesday thursday friday saturday sunday news report reported reports according statement added
    """.split()
)


@dataclass(frozen=True)
class Side:
    """The identity of one dyad side: country, actor code, resolved person, or only its text."""

    country: str | None = None
    code: str | None = None
    name: str | None = None
    text: str | None = None

    @property
    def known(self) -> bool:
        return bool(self.country or self.code or self.name)


@dataclass(frozen=True)
class Report:
    """What the merge decision reads of one coded event."""

    event_id: str
    article_id: str
    source: Side
    target: Side | None
    root: str
    family: int
    day_start: int | None  # proleptic ordinal of the event day (a range's start)
    day_end: int | None
    place: tuple[str | None, str | None] | None  # (geonameid or name, country)
    signature: tuple[int, ...] = field(repr=False)  # of the evidence sentences
    headline: tuple[int, ...] = field(repr=False)  # of the article's headline


@dataclass(frozen=True)
class MergeParams:
    """The weights and threshold of the pair score (defaults chosen on the tuning half of news_cluster)."""

    threshold: float = 0.72
    w_actors: float = 1.0
    w_type: float = 1.0
    w_date: float = 1.0
    w_place: float = 0.5
    w_text: float = 2.0
    w_headline: float = 0.0  # headlines are shared by a story's reports, not only by one event's
    text_full: float = 0.3
    family_credit: float = 0.6
    max_day_gap: int = 1
    max_span_days: int = 7  # a vaguer date ("2015", "last month") says nothing about closeness
    vague_date_credit: float = 0.3  # ... except a month-long one holding the other report's exact day
    side_conflict_gates: bool = False  # True: one conflicting side already keeps two reports apart
    # A conflicting side is forgiven only when the other side is the same actor on both reports (coders
    # disagree on who attacked whom, not on everything): with the other side unknown, "Australia, France
    # and the Netherlands announced investigations" is three events, not one.
    conflict_needs_match: bool = True
    # Unless both sides match, two reports must share some words (evidence or headline): a one-sided
    # dyad, a root and a day are not enough ("USA|-|03" held unrelated technology stories).
    min_text: float = 0.1


def family(root: str) -> int:
    """The root family of a CAMEO root (``ROOT_FAMILIES``; else the root itself)."""
    return ROOT_FAMILIES.get(root, int(root))


def side(actor: Actor | None) -> Side | None:
    if actor is None:
        return None
    text = " ".join(actor.text.split()).casefold() or None
    return Side(country=actor.country, code=(actor.code or "").upper() or None, name=actor.name, text=text)


def event_days(event: DiplomaticEvent) -> tuple[int | None, int | None]:
    """The event's day span as ordinals: its date (range), else its publication day."""
    when = event.event_date
    if isinstance(when, DateRange):
        return when.start.toordinal(), when.end.toordinal()
    if isinstance(when, date):
        return when.toordinal(), when.toordinal()
    if event.published_at is not None:
        day = event.published_at.astimezone(UTC).date().toordinal()
        return day, day
    return None, None


def words(text: str) -> set[str]:
    """Content words, lower-cased and cut to 6 letters (a cheap stem: launch/launched/launches)."""
    out = set()
    for token in _WORD.findall(text.casefold()):
        if token in _STOP or (len(token) < 3 and not token.isdigit()):
            continue
        out.add(token[:6])
    return out


def signature(tokens: set[str]) -> tuple[int, ...]:
    """The MinHash of a word set; () for no words (nothing to compare, similarity 0)."""
    if not tokens:
        return ()
    from datasketch import MinHash  # here, not at import: datasketch loads scipy, which the CLI need not

    digest = MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED)
    for token in sorted(tokens):
        digest.update(token.encode("utf-8"))
    return tuple(int(v) for v in digest.hashvalues)


def report_text(event: DiplomaticEvent) -> str:
    return "\n".join(ev.text for ev in event.evidence)


def report(event: DiplomaticEvent) -> Report:
    start, end = event_days(event)
    loc = event.location
    place = None
    if loc is not None:
        ident = str(loc.geonameid) if loc.geonameid is not None else " ".join(loc.name.split()).casefold()
        place = (ident or None, loc.country)
    return Report(
        event_id=event.event_id,
        article_id=event.article_id,
        source=side(event.source) or Side(),
        target=side(event.target),
        root=event.cameo.root,
        family=family(event.cameo.root),
        day_start=start,
        day_end=end,
        place=place,
        signature=signature(words(report_text(event))),
        headline=signature(words(event.article_title or "")),
    )


# --- the pair decision -----------------------------------------------------------------------------


def side_match(a: Side | None, b: Side | None) -> float | None:
    """1 the same actor, 0.5 unknown (missing or text only on one report), None a conflict (two known
    actors that differ)."""
    if a is None or b is None or not a.known or not b.known:
        if a is not None and b is not None and not a.known and not b.known and a.text and a.text == b.text:
            return 1.0
        return 0.5
    if a.name and b.name:
        return 1.0 if a.name == b.name else None
    if a.code and b.code and a.code == b.code:
        return 1.0
    if a.country and b.country:
        return 1.0 if a.country == b.country else None
    if a.code and b.code:
        # no country on one side: codes of one country share their first three letters
        return 1.0 if a.code[:3] == b.code[:3] else None
    return 0.5


def actor_score(a: Report, b: Report, *, strict: bool = False, needs_match: bool = True) -> float | None:
    """The mean of the two sides' matches (a conflict counts 0); None when both sides conflict.

    One conflicting side is scored, not gated, when the other side matches: coders
    disagree on who did it (the attacker, his group, his country) far more often
    than reports of one event disagree on everything. With ``needs_match``, a
    conflict beside an unknown side gates (nothing on the dyad says they are
    one event, and one side says they are not); ``strict`` gates any conflict.
    """

    def pair(x_src: Side | None, x_tgt: Side | None, y_src: Side | None, y_tgt: Side | None) -> float | None:
        s, t = side_match(x_src, y_src), side_match(x_tgt, y_tgt)
        if (s is None and t is None) or (strict and (s is None or t is None)):
            return None
        if needs_match and (s is None or t is None) and (s or t or 0.0) < 1.0:
            return None
        return ((s or 0.0) + (t or 0.0)) / 2

    direct = pair(a.source, a.target, b.source, b.target)
    if a.root == CONSULT_ROOT and b.root == CONSULT_ROOT and a.target is not None and b.target is not None:
        swapped = pair(a.source, a.target, b.target, b.source)
        if swapped is not None and (direct is None or swapped > direct):
            return swapped
    return direct


def day_gap(a: Report, b: Report) -> int | None:
    if a.day_start is None or b.day_start is None or a.day_end is None or b.day_end is None:
        return None
    if a.day_start <= b.day_end and b.day_start <= a.day_end:
        return 0
    return min(abs(a.day_start - b.day_end), abs(b.day_start - a.day_end))


def _span(r: Report) -> int:
    return (r.day_end or 0) - (r.day_start or 0) + 1


def place_score(a: Report, b: Report) -> float:
    if a.place is None or b.place is None:
        return 0.5
    if a.place[0] is not None and a.place[0] == b.place[0]:
        return 1.0
    if a.place[1] and b.place[1]:
        return 0.6 if a.place[1] == b.place[1] else 0.0
    return 0.5


def jaccard(x: tuple[int, ...], y: tuple[int, ...]) -> float:
    """The MinHash estimate of the Jaccard similarity of two word sets (0 when one has no words)."""
    if not x or not y:
        return 0.0
    return sum(1 for p, q in zip(x, y, strict=True) if p == q) / len(x)


def text_similarity(a: Report, b: Report) -> float:
    return jaccard(a.signature, b.signature)


@dataclass(frozen=True)
class PairScore:
    """An explained pair decision: the features, the weighted score, and whether the pair links."""

    actors: float
    type: float
    date: float
    place: float
    text: float
    headline: float
    score: float
    linked: bool


def explain(a: Report, b: Report, params: MergeParams) -> PairScore | None:
    """The features and score of a pair; None when a gate keeps them apart."""
    if a.family != b.family:
        return None
    actors = actor_score(a, b, strict=params.side_conflict_gates, needs_match=params.conflict_needs_match)
    if actors is None:
        return None
    gap = day_gap(a, b)
    if gap is None:
        return None  # an undated report is an event of its own
    if gap > params.max_day_gap:
        return None
    date_f = 1.0 - gap / (params.max_day_gap + 1)
    wide = max(_span(a), _span(b))
    if wide > params.max_span_days:
        # A vague date ("this month") is no evidence of closeness, but neither does it contradict
        # an exact day inside it: allowed up to a month, with a weak date feature.
        if wide > VAGUE_SPAN_DAYS or gap > 0 or min(_span(a), _span(b)) > params.max_span_days:
            return None
        date_f = params.vague_date_credit
    type_f = 1.0 if a.root == b.root else params.family_credit
    place_f = place_score(a, b)
    # One article's events share its headline by construction: no evidence that they are one event.
    same_article = a.article_id == b.article_id
    text_sim, head_sim = text_similarity(a, b), 0.0 if same_article else jaccard(a.headline, b.headline)
    if actors < 1.0 and max(text_sim, head_sim) < params.min_text:
        return None
    text_f = min(1.0, text_sim / params.text_full)
    head_f = min(1.0, head_sim / params.text_full)
    weights = (
        params.w_actors,
        params.w_type,
        params.w_date,
        params.w_place,
        params.w_text,
        params.w_headline,
    )
    values = (actors, type_f, date_f, place_f, text_f, head_f)
    total = sum(w * v for w, v in zip(weights, values, strict=True)) / sum(weights)
    return PairScore(
        actors, type_f, date_f, place_f, text_f, head_f, round(total, 6), total >= params.threshold
    )


def score(a: Report, b: Report, params: MergeParams) -> float | None:
    """The pair's score (None: gated apart); symmetric in ``a`` and ``b``."""
    if b.event_id < a.event_id:
        a, b = b, a
    explained = explain(a, b, params)
    return None if explained is None else explained.score
