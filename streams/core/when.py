"""When an event happened: the time expression attached to its verb or noun. Pure.

A sentence often holds several acts and several time expressions ("two weeks ago" of the
assault, "on Monday" of the hearing where a lawyer spoke of it). An event takes the
expression whose dependency path reaches its own trigger, or the clause that frames it:
the verb that controls it ("voted on Sunday to reject"), a conjoined verb, a participle
("killing five"), a present-tense statement reported by a dated verb ("said on Friday it
opposes ..."). A past-tense clause under a dated reporting verb ("said on Monday that
rebels attacked ...") is not dated by the report. The same act told again in another
sentence lends its date (:func:`same_act_dates`); failing both, the event is dated by the
publication day, and says so (``event_date_provenance``).

Relative expressions are resolved against the publication day in the article's time zone
(:func:`local_publication_date`: the dateline's place, else the outlet's home, else UTC).
Tweets' timestamps, bylines and "Updated:" stamps are not event dates (:func:`is_stamp`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from spacy.tokens import Span, Token

from streams.core.mentions import DateMention

# ---------------------------------------------------------------- the publication day

# Outlets whose copy is dated in their home zone (domains as RawArticle.source has them).
OUTLET_ZONES = {
    "nytimes.com": "America/New_York",
    "washingtonpost.com": "America/New_York",
    "cnn.com": "America/New_York",
    "npr.org": "America/New_York",
    "usatoday.com": "America/New_York",
    "foxnews.com": "America/New_York",
    "cbsnews.com": "America/New_York",
    "abcnews.go.com": "America/New_York",
    "nbcnews.com": "America/New_York",
    "nydailynews.com": "America/New_York",
    "huffingtonpost.com": "America/New_York",
    "bloomberg.com": "America/New_York",
    "cnbc.com": "America/New_York",
    "politico.com": "America/New_York",
    "apnews.com": "America/New_York",
    "latimes.com": "America/Los_Angeles",
    "bbc.com": "Europe/London",
    "bbc.co.uk": "Europe/London",
    "theguardian.com": "Europe/London",
    "reuters.com": "Europe/London",
    "rt.com": "Europe/Moscow",
    "tass.com": "Europe/Moscow",
    "thehindu.com": "Asia/Kolkata",
    "dw.com": "Europe/Berlin",
    "france24.com": "Europe/Paris",
    "aljazeera.com": "Asia/Qatar",
    "scmp.com": "Asia/Hong_Kong",
    "japantimes.co.jp": "Asia/Tokyo",
    "koreaherald.com": "Asia/Seoul",
}
# Country-code domains ("dailymail.co.uk", "chinadaily.com.cn").
TLD_ZONES = {
    "uk": "Europe/London",
    "cn": "Asia/Shanghai",
    "in": "Asia/Kolkata",
    "ru": "Europe/Moscow",
    "de": "Europe/Berlin",
    "fr": "Europe/Paris",
    "jp": "Asia/Tokyo",
    "kr": "Asia/Seoul",
    "au": "Australia/Sydney",
    "ca": "America/Toronto",
    "ie": "Europe/Dublin",
    "pk": "Asia/Karachi",
    "il": "Asia/Jerusalem",
    "tr": "Europe/Istanbul",
    "za": "Africa/Johannesburg",
    "ng": "Africa/Lagos",
    "ke": "Africa/Nairobi",
}


def outlet_zone(source: str | None) -> str | None:
    """The home time zone of an outlet named by its domain, where known."""
    host = (source or "").lower().strip().removeprefix("www.")
    if not host:
        return None
    for domain, zone in OUTLET_ZONES.items():
        if host == domain or host.endswith("." + domain):
            return zone
    return TLD_ZONES.get(host.rsplit(".", 1)[-1])


def local_publication_date(published_at: datetime | date | None, zone: str | None) -> date | None:
    """The publication day where the article was written: ``published_at`` in ``zone``
    (an IANA name; UTC when None or unknown). A stamp at exactly midnight UTC carries a
    day, not a time (feeds that know only the date), and is that day everywhere."""
    if published_at is None:
        return None
    if not isinstance(published_at, datetime):
        return published_at
    moment = published_at if published_at.tzinfo is not None else published_at.replace(tzinfo=UTC)
    utc = moment.astimezone(UTC)
    if (utc.hour, utc.minute, utc.second, utc.microsecond) == (0, 0, 0, 0):
        return utc.date()
    if zone:
        try:
            return moment.astimezone(ZoneInfo(zone)).date()
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return utc.date()


# ---------------------------------------------------------------- stamps, not events

_STAMP_BEFORE = re.compile(
    r"(?:\b(?:updated|published|posted|last modified|modified|first published|created|filed)\b"
    r"\s*(?:at|on)?\s*:?\s*(?:[A-Za-z]{3,9},?\s+)?)$",
    re.I,
)
# "— Donald J. Trump (@realDonaldTrump) September 15, 2017", "pic.twitter.com/x — Name (@h)"
_TWEET_BEFORE = re.compile(r"(?:\(@\w{1,15}\)|@\w{1,15}|pic\.twitter\.com/\S+)\s*[\u2014\u2013-]?\s*$")
_BYLINE_LINE = re.compile(r"^\s*By\s+[A-Z][\w.'\u2019-]+")
_TIME_AFTER = re.compile(r"^\s*(?:,|at)?\s*\d{1,2}[:.]\d{2}\b")


def is_stamp(text: str, start: int, end: int) -> bool:
    """Whether the date at ``text[start:end]`` stamps a tweet, a byline or an update
    ("Updated: 2017-09-15 17:52", "(@realDonaldTrump) September 15, 2017",
    "By Jane Doe | Sept. 15, 2017") rather than dating an act."""
    line_start = max(text.rfind("\n", 0, start) + 1, start - 160)
    before = text[line_start:start]
    if _STAMP_BEFORE.search(before) or _TWEET_BEFORE.search(before):
        return True
    if _BYLINE_LINE.match(before) and len(before.split()) <= 12 and "|" in before + text[end : end + 3]:
        return True
    if re.fullmatch(r"\s*(?:\w+\s*\|\s*)+", before) and _TIME_AFTER.match(text[end : end + 12]):
        return True  # "Xinhua | 2017-09-15 17:52"
    return False


# ---------------------------------------------------------------- attachment

# Nouns that name an act of a CAMEO root ("the talks in Geneva", "following that meeting").
ACT_NOUNS = {
    "04": frozenset(
        {"meeting", "talk", "talks", "summit", "visit", "conference", "negotiation", "consultation"}
    ),
    "03": frozenset({"meeting", "talks", "summit", "visit", "agreement", "deal"}),
    "05": frozenset({"meeting", "talks", "summit", "visit", "agreement", "deal", "signing"}),
    "14": frozenset({"protest", "rally", "demonstration", "march", "strike", "sit-in"}),
    "15": frozenset({"launch", "test", "exercise", "drill", "drills"}),
    "17": frozenset({"arrest", "raid", "crackdown", "detention"}),
    "18": frozenset({"attack", "bombing", "assault", "shooting", "stabbing", "explosion", "blast"}),
    "19": frozenset(
        {"attack", "strike", "strikes", "airstrike", "airstrikes", "shelling", "fighting", "clashes"}
    ),
    "20": frozenset({"attack", "bombing", "massacre", "killing", "killings"}),
}
_DEFINITE = frozenset({"the", "that", "this", "those", "these"})

_VERBAL = frozenset({"VERB", "AUX"})
# How a noun trigger reaches the verb that carries it ("held talks", "the meeting took place").
_NOUN_UP = frozenset(
    {"dobj", "pobj", "prep", "nsubj", "nsubjpass", "attr", "compound", "conj", "appos", "oprd"}
)
_PAST = frozenset({"VBD", "VBN"})


def _is_past(verb: Token) -> bool:
    if verb.tag_ in _PAST:
        return True
    return any(
        c.dep_ in ("aux", "auxpass") and c.tag_ in _PAST and c.lower_ not in ("did",) for c in verb.children
    )


def anchors(trigger: Token, verbal: bool = False) -> list[Token]:
    """The trigger and the tokens whose time (or place) is the trigger's, nearest first:
    the verb carrying a noun trigger, a controlling verb (xcomp), the first of conjoined
    verbs, the verb a participle or a "when" clause hangs on, the reporting verb of a present-tense
    statement. A past-tense clause under a reporting verb, a relative clause and an
    adverbial clause (other than a participle) keep their own time — except a verbal act
    (``verbal``: an appeal, a statement of intent, a criticism), which is the report
    itself ("The UN welcomed the release, a spokesman said on Monday")."""
    out = [trigger]
    t = trigger
    for _ in range(8):
        head = t.head
        if head.i == t.i:
            break
        dep = t.dep_
        if t.pos_ not in _VERBAL and dep in _NOUN_UP:
            pass
        elif dep in ("xcomp", "conj", "aux", "auxpass"):
            pass
        elif dep == "advcl" and t.tag_ == "VBG":
            pass
        elif dep == "advcl" and any(c.dep_ in ("advmod", "mark") and c.lower_ == "when" for c in t.children):
            pass  # "were killed last week when aircraft struck": the when-clause is the main clause's time
        elif dep == "ccomp" and (verbal or not _is_past(t)):
            pass
        elif verbal and dep in ("parataxis",) and head.lemma_.lower() in _REPORTING:
            pass
        else:
            break
        out.append(head)
        t = head
    return out


_REPORTING = frozenset({"say", "tell", "add", "announce", "state", "report", "write", "insist"})
# CAMEO roots whose acts are things said: the report of one is the act (not meetings,
# material acts or protests)
VERBAL_ROOTS = frozenset({"01", "02", "03", "05", "10", "11", "12", "13"})


def governors(token: Token) -> list[Token]:
    """The ancestors of a date or place phrase, up to and including the first verb."""
    out: list[Token] = []
    t = token
    for _ in range(10):
        if t.head.i == t.i:
            break
        t = t.head
        out.append(t)
        if t.pos_ in _VERBAL:
            break
    return out


def _span_root(sent: Span, start: int, end: int) -> Token | None:
    span = sent.doc.char_span(start, end, alignment_mode="expand")
    return span.root if span is not None else None


def attached_date(
    trigger: Token, sent: Span, dates: Sequence[DateMention], verbal: bool = False
) -> DateMention | None:
    """The date in ``sent`` attached to the event of ``trigger`` (see the module doc)."""
    near = anchors(trigger, verbal)
    rank = {t.i: k for k, t in enumerate(near)}
    best: tuple[int, int, DateMention] | None = None
    for d in dates:
        if not (sent.start_char <= d.start < sent.end_char):
            continue
        root = _span_root(sent, d.start, d.end)
        if root is None:
            continue
        if root.i in rank:  # "Monday's attack" parsed with the date as the trigger's own token
            k = rank[root.i]
        else:
            ks = [rank[g.i] for g in governors(root) if g.i in rank]
            if not ks:
                continue
            k = min(ks)
        if _of_another_act(root):
            continue  # "after air strikes last week": the time of the strikes, not of this act
        key = (k, 0, abs(root.i - trigger.i), d)
        if best is None or key[:3] < best[:3]:
            best = key
    return best[3] if best is not None else None


_SEQUENCE = frozenset({"after", "before", "since", "following", "until", "amid", "despite"})


def _of_another_act(date_root: Token) -> int:
    """1 when the date sits in a phrase that names another act before or after this one
    ("After air strikes last week, ... attacked"), which the parser may hang on the main
    verb all the same; 0 otherwise."""
    doc = date_root.doc
    lo = max(date_root.sent.start, date_root.i - 5)
    for t in reversed(doc[lo : date_root.i]):
        if t.is_punct:
            return 0
        if t.lower_ in _SEQUENCE:
            return 1
    return 0


def same_act_dates(keys: Sequence[tuple], found: Sequence[DateMention | None]) -> list[DateMention | None]:
    """Codings that found no date take the date of another coding of the same act (the
    same dyad and root, in either direction for symmetric acts), the nearest one first;
    ``keys`` are (source, target, root, offset) per coding."""
    out = list(found)
    for i, (src, tgt, root, pos) in enumerate(keys):
        if found[i] is not None:
            continue
        best = None
        for j, (s2, t2, r2, p2) in enumerate(keys):
            d = found[j]
            if d is None or r2 != root:
                continue
            if (s2, t2) == (src, tgt) or (
                tgt and (s2, t2) == (tgt, src) and root in ("03", "04", "05", "06")
            ):
                if best is None or abs(p2 - pos) < best[0]:
                    best = (abs(p2 - pos), d)
        if best is not None:
            out[i] = best[1]
    return out


def referred_dates(codings: Sequence, roots: Sequence[str], found: Sequence[DateMention | None]) -> list:
    """Codings still undated whose sentence refers back to an act by a definite noun
    ("Following the meeting, ... agreed", "a statement following that meeting") take the
    date of the last dated act of that kind told before them."""
    out = list(found)
    for i, c in enumerate(codings):
        if found[i] is not None:
            continue
        kinds: set[str] = set()
        for t in c.sentence:
            word = t.lemma_.lower()
            if t.pos_ == "NOUN" and any(ch.lower_ in _DEFINITE for ch in t.children):
                kinds.update(r for r, nouns in ACT_NOUNS.items() if word in nouns or t.lower_ in nouns)
        if not kinds:
            continue
        earlier = [
            j
            for j, d in enumerate(found)
            if d is not None and roots[j] in kinds and codings[j].sentence.start_char < c.sentence.start_char
        ]
        if earlier:
            out[i] = found[max(earlier, key=lambda j: codings[j].sentence.start_char)]
    return out


def speaker_dates(
    codings: Sequence, found: Sequence[DateMention | None], dates: Sequence[DateMention], actors=()
) -> list:
    """Codings still undated take the date of what their source said or did in one of
    the two sentences before or after, nearest first (a spokesman "said on Thursday" in
    one sentence, his quotation and its reading in the next): the same source (by its
    actor code) as the subject of a dated verb of saying, one occasion."""
    out = list(found)
    for i, c in enumerate(codings):
        if found[i] is not None or not (c.source.actor.code or c.source.actor.country):
            continue
        for sent in _around(c.sentence, 2):
            d = _dated_by(sent, c.source.actor, actors, dates)
            if d is not None:
                out[i] = d
                break
    return out


def _around(sent: Span, reach: int):
    """The sentences before and after ``sent``, nearest first (before, then after)."""
    doc = sent.doc
    before, after = sent, sent
    for _ in range(reach):
        if before is not None and before.start > 0:
            before = doc[before.start - 1].sent
            yield before
        else:
            before = None
        if after is not None and after.end < len(doc):
            after = doc[after.end].sent
            yield after
        else:
            after = None


def _same_source(a, b) -> bool:
    """The same actor code, or one country where one side is named only as the country
    ("China has strictly enforced ...", Ren said: the spokesman of CHNMIL)."""
    if a.code and a.code == b.code:
        return True
    return bool(a.country) and a.country == b.country and (a.code == a.country or b.code == b.country)


_SAYING = frozenset(
    {
        "say",
        "tell",
        "add",
        "announce",
        "state",
        "declare",
        "warn",
        "insist",
        "write",
        "tweet",
        "note",
        "respond",
    }
)


def _dated_by(sent: Span, actor, actors, dates: Sequence[DateMention]) -> DateMention | None:
    subjects = set()
    for m in actors:
        if _same_source(m.actor, actor) and sent.start_char <= m.start < sent.end_char:
            subjects.update(range(m.token_start, m.token_end))
    if not subjects:
        return None
    for d in dates:
        if not (sent.start_char <= d.start < sent.end_char):
            continue
        root = _span_root(sent, d.start, d.end)
        if root is None or _of_another_act(root):
            continue
        verbs = [g for g in governors(root) if g.pos_ in _VERBAL]
        if not verbs:
            continue
        verb = verbs[-1]
        if verb.lemma_.lower() not in _SAYING:
            continue  # what the source said that day, not any other act of it
        for ch in verb.children:
            if ch.dep_ in ("nsubj", "nsubjpass") and any(t.i in subjects for t in ch.subtree):
                return d
    return None


def event_dates(
    doc, codings: Sequence, roots: Sequence[str], keys, mentions, published_at, zones, base_zone=None
) -> list:
    """(date, provenance, text) per coding, in order: the time expression attached to its
    trigger (:func:`attached_date`), else the same act's told elsewhere
    (:func:`same_act_dates`), else the act a definite noun refers back to
    (:func:`referred_dates`), else what the same source said or did in the sentences
    around (:func:`speaker_dates`), else the publication day. ``zones`` holds each
    coding's time zone: a day of the week is the day where the act happened (the source's
    country; AP style), so weekdays are read there; "today", "yesterday", "last week" and
    the publication day itself are the writer's, read in the article's zone
    (``base_zone``).
    A future act's time expression schedules it ("will meet on Friday"): its date is the
    day the intent was told."""
    from streams.core.dates import provenance, resolve_date

    found = []
    for c, root in zip(codings, roots, strict=True):
        d = attached_date(doc[c.trigger], c.sentence, mentions.dates, root in VERBAL_ROOTS)
        if d is not None and _scheduled(c) and not re.search(r"\b(?:19|20)\d{2}\b", d.text):
            d = None  # a schedule ("will meet on Friday", "plans to visit in November")
        found.append(d)
    found = same_act_dates(keys, found)
    found = referred_dates(codings, roots, found)
    found = speaker_dates(codings, found, mentions.dates, mentions.actors)
    out = []
    written = local_publication_date(published_at, base_zone)
    for d, zone in zip(found, zones, strict=True):
        if d is None:
            out.append((written, "publication", None) if written is not None else (None, None, None))
            continue
        kind = provenance(d.text)
        value = d.value
        if kind == "relative" and _WEEKDAY_WORD.search(d.text):
            day = local_publication_date(published_at, zone)
            value = (resolve_date(d.text, day) if day is not None else None) or value
        out.append((value, kind, d.text))
    return out


_FUTURE_AUX = frozenset({"will", "wo", "shall", "'ll"})
_WEEKDAY_WORD = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b", re.I)
# "plans to visit ... in November", "requested the Council hold consultations on Friday":
# the time of the act planned or asked for, not of the plan or the request
_INTENT = frozenset(
    {
        "plan",
        "intend",
        "want",
        "hope",
        "expect",
        "schedule",
        "request",
        "ask",
        "propose",
        "call",
        "urge",
        "seek",
    }
)


def _scheduled(coding) -> bool:
    """A future act: coded so, or its verb (or the verb carrying its noun) takes "will"."""
    modality = getattr(coding.modality, "value", coding.modality)
    if modality == "future":
        return True
    trigger = coding.sentence.doc[coding.trigger]
    if trigger.lemma_.lower() in _INTENT or any(a.lemma_.lower() in _INTENT for a in anchors(trigger)[1:3]):
        return True
    for t in anchors(trigger)[:3]:
        if any(c.dep_ == "aux" and c.lower_ in _FUTURE_AUX for c in t.children):
            return True
        if t.lemma_.lower() == "go" and any(c.dep_ == "xcomp" for c in t.children) and t.tag_ == "VBG":
            return True
    return False


__all__ = [
    "ACT_NOUNS",
    "VERBAL_ROOTS",
    "event_dates",
    "speaker_dates",
    "referred_dates",
    "anchors",
    "attached_date",
    "governors",
    "is_stamp",
    "local_publication_date",
    "outlet_zone",
    "same_act_dates",
]
