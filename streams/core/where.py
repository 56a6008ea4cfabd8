"""Where an event happened. Pure.

In order, the first that applies (``location_provenance`` says which):

1. ``locative`` — a place in a locative phrase of the event's own verb or noun (see
   :func:`streams.core.when.anchors`), or of the act noun the verb carries ("held talks in
   Brussels"): "met in Beijing", "talks at the UN headquarters in New York", "police in
   Seattle arrested", "speaking at a conference in Kent, Conn., X said"; for launches and
   fire, "from" too ("fired from the town of Hwangju"). A place inside the object
   ("criticised the build-up in the South China Sea") or in another clause is only
   mentioned.
2. ``dateline`` — where the story was filed ("MOSCOW —"), when that is a country of the
   act: the source's, or the target's for statements and meetings.
3. ``context`` — the same act's place in a neighbouring sentence: a locative of a verb
   whose subject is the event's source ("Tillerson was speaking in Kent."), or of a noun
   naming the act ("The talks in Geneva ...").
4. ``target`` — for coercion and violence (CAMEO 17-20) the target's place: the town
   attacked, else the target's country.
5. ``domestic`` — both sides of one country: that country.

A name followed by its region ("Kent, Conn.", "Hebron, West Bank") is looked up in that
region; with no such town known, the region itself is the place.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Span, Token

from schemas.events import Location
from streams.core.locative import LOC_PREPS
from streams.core.mentions import Mentions, PlaceMention
from streams.core.when import ACT_NOUNS, VERBAL_ROOTS, _around, anchors, local_publication_date, outlet_zone

_FROM_ROOTS = frozenset({"15", "19", "20"})  # launched/fired from
_TARGET_ROOTS = frozenset({"17", "18", "19", "20"})
_VIOLENT = frozenset({"18", "19", "20"})
_VERBAL_ROOTS = frozenset({"02", "03", "04", "05", "06", "10", "11", "12", "13", "16"})


def _root_token(doc, start: int, end: int) -> Token | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    return span.root if span is not None else None


_SPEECH_VERBS = frozenset({"say", "speak", "tell", "announce", "declare", "warn", "add", "write", "report"})
_TRAVEL = frozenset({"visit", "trip", "travel", "fly", "arrive", "journey", "tour", "head", "return"})
# "at the request of the United States", "at the invitation of Japan": who asked, not where
_NOT_WHERE = frozenset(
    {"request", "invitation", "behest", "urging", "initiative", "suggestion", "expense", "hands"}
)


def _locative_head(tok: Token, preps: frozenset[str]) -> Token | None:
    """The word a place's locative phrase hangs on ("met" of "met in Beijing"), climbing
    through "the city of", appositions and nested locatives ("at a conference in Kent");
    "from" where a speaker speaks from ("From Washington, Rice said"), "to" where a
    visitor goes ("a visit to Germany")."""
    t = tok
    for _ in range(8):
        head = t.head
        if head.i == t.i:
            return None
        if t.dep_ in ("compound", "appos", "conj", "amod", "nmod"):
            t = head
            continue
        if head.lower_ == "of" and head.dep_ == "prep":
            if head.head.lemma_.lower() in _NOT_WHERE:
                return None
            t = head
            continue
        if t.dep_ == "pobj" and head.lower_ in preps:
            return head.head
        if t.dep_ == "pobj" and head.lower_ == "from" and head.head.lemma_.lower() in _SPEECH_VERBS:
            return head.head
        if t.dep_ == "pobj" and head.lower_ == "to" and head.head.lemma_.lower() in _TRAVEL:
            return head.head
        if t.dep_ == "pobj" and head.lower_ == "outside":
            return head.head
        if t.dep_ == "prep" and t.lower_ == "of":
            t = head  # "the town of" -> town
            continue
        return None
    return None


def attached(
    doc,
    place: PlaceMention,
    near: Sequence[Token],
    subjects: Sequence[Token],
    preps,
    parties: Sequence[Token] = (),
) -> bool:
    """Whether ``place`` is a locative of one of the ``near`` tokens (an event's trigger
    and its anchors), of a participle hanging on one of them or on a subject, of a
    subject ("police in Seattle"), or of a party the act names ("met with Xi in
    Uzbekistan": people are where they meet; a thing's place, "the build-up in the South
    China Sea", is not the act's)."""
    tok = _root_token(doc, place.start, place.end)
    if tok is None:
        return False
    idx = {t.i for t in near}
    subj = {t.i for t in subjects}
    party = {t.i for t in parties}
    h = _locative_head(tok, preps)
    for _ in range(4):
        if h is None:
            return False
        if h.i in idx:
            return True
        if h.pos_ in ("VERB", "AUX"):
            # "speaking at a conference in Kent, X said": a participle on the act or its actor
            return h.tag_ == "VBG" and h.dep_ in ("advcl", "acl") and (h.head.i in idx or h.head.i in subj)
        if h.dep_ in ("nsubj", "nsubjpass") and h.head.i in idx:
            return True  # "police in Seattle arrested"
        if h.i in subj:
            return True
        if h.i in party:
            up = h.head.head if h.dep_ == "pobj" and h.head.lower_ in ("with", "between", "to") else h.head
            return h.dep_ in ("pobj", "dobj", "dative", "appos", "conj") and up.i in idx
        if h.dep_ == "pobj" and h.head.lower_ in preps:
            h = h.head.head  # nested: "at the UN headquarters in New York"
            continue
        return False
    return False


def with_region(place: PlaceMention, mentions: Mentions, text: str, gazetteer) -> Location:
    """ "Kent, Conn.": the Kent of Connecticut, or Connecticut itself when no Kent there is
    known; a name without a region as it was geocoded."""
    nxt = next((p for p in mentions.places if p.start > place.end), None)
    if nxt is None or gazetteer is None or text[place.end : nxt.start].strip() != ",":
        return place.location
    region = nxt.location
    if region.feature not in ("admin1", "country"):
        return place.location
    for cand in gazetteer.candidates(place.text):
        if cand.country != region.country:
            continue
        if region.feature == "admin1" and cand.admin1_code != region.admin1_code:
            continue
        return cand.location()
    if place.location.country == region.country and (
        region.feature == "country" or place.location.admin1_code == region.admin1_code
    ):
        return place.location
    return region


def dateline_place(dateline: str | None, gazetteer, prefer: Sequence[str] = ()):
    """The gazetteer place (:class:`streams.codebook.places.Place`) of a dateline
    ("RAMALLAH, West Bank", "KENT, Conn.", "BEIJING"), or None."""
    if not dateline or gazetteer is None:
        return None
    dateline = dateline.split("/")[0]  # "TOKYO/SEOUL": filed from the first
    dateline = _DATELINE_SEATS.get(dateline.strip().upper(), dateline)
    head, _, region_text = dateline.partition(",")
    region = gazetteer.resolve(region_text.strip(), prefer=prefer) if region_text.strip() else None
    if region is not None and region.kind in ("admin1", "country"):
        for cand in sorted(gazetteer.candidates(head), key=lambda p: -p.population):
            if cand.country == region.country and (
                region.kind == "country" or cand.admin1_code == region.admin1_code
            ):
                return cand
        return region
    return gazetteer.resolve(head.strip(), prefer=prefer)


def zone_of(country: str | None, gazetteer) -> str | None:
    """The time zone of a country (its capital's), where the gazetteer knows it."""
    if not country or gazetteer is None:
        return None
    place = gazetteer.country(country)
    return place.timezone if place is not None else None


def publication_day(clean, gazetteer, now=None):
    """The article's publication day in its own time zone (:func:`article_zone`); ``now``
    stands in for a missing ``published_at``."""
    filed = dateline_place(clean.dateline, gazetteer)
    return local_publication_date(clean.published_at or now, article_zone(filed, clean.source))


# Where international organisations sit: an IGO acts at its seat's dateline, not at any.
_IGO_SEATS = frozenset(
    {"new york", "new york city", "geneva", "brussels", "vienna", "the hague", "strasbourg"}
)


def fold_name(name: str | None) -> str:
    return " ".join((name or "").lower().split())


# Datelines that name an institution's seat rather than a town.
_DATELINE_SEATS = {"UNITED NATIONS": "New York", "THE HAGUE": "The Hague", "VATICAN CITY": "Vatican City"}


def article_zone(dateline_place, source: str | None) -> str | None:
    """The article's time zone: its dateline's place's, else its outlet's home zone."""
    zone = getattr(dateline_place, "timezone", None)
    return zone or outlet_zone(source)


def _subjects(sent: Span, codes: set[str], mentions: Mentions) -> list[Token]:
    out = []
    for m in mentions.actors:
        if m.actor.code in codes and sent.start_char <= m.start < sent.end_char:
            out.extend(sent.doc[m.token_start : m.token_end])
    return out


def _neighbours(sent: Span) -> list[Span]:
    """The two sentences before and after, nearest first."""
    return list(_around(sent, 2))


def event_place(
    codings: Sequence,
    root: str,
    mentions: Mentions,
    *,
    gazetteer,
    dateline: Location | None,
    extra: Sequence[tuple[Span, Token]] = (),
) -> tuple[Location | None, str | None]:
    """(place, provenance) of the event reported by ``codings`` (one merged event's
    readings: :class:`streams.core.coding.Coding`), or (None, None); ``extra`` are
    further mentions of the act, (sentence, trigger noun) ("Following the meeting in
    Nanping")."""
    if not codings:
        return None, None
    best = codings[0]
    doc = best.sentence.doc
    text = doc.text
    # "launched from", "fired from"; "From Washington, Rice condemned": where one speaks from
    preps = LOC_PREPS | ({"from"} if root in _FROM_ROOTS or root in VERBAL_ROOTS else frozenset())
    verbal = root in VERBAL_ROOTS
    src = best.source.actor
    implied = best.target is not None and (
        (best.target.start, best.target.end) == (best.source.start, best.source.end)
        or best.target.how == "implied"
    )
    # an implied party (the government a protest faces, the civilians of a crackdown)
    # names no place of its own
    tgt = best.target.actor if best.target is not None and not implied else None
    # 1. a locative of the event's own verb or noun
    readings = [(c.sentence, doc[c.trigger], c) for c in codings] + [(s, t, None) for s, t in extra]
    acts = ACT_NOUNS.get(root, frozenset())
    for sent, trigger, c in readings:
        near = anchors(trigger, verbal)
        # "are holding talks in Brussels": the place of the act noun the verb carries
        near += [
            o for o in trigger.children if o.dep_ == "dobj" and (o.lemma_.lower() in acts or o.lower_ in acts)
        ]
        subj = list(doc[c.source.token_start : c.source.token_end]) if c is not None else []
        parties = [
            doc[m.token_end - 1] for m in mentions.actors if sent.start_char <= m.start < sent.end_char
        ]
        for p in mentions.places:
            if sent.start_char <= p.start < sent.end_char and attached(doc, p, near, subj, preps, parties):
                return with_region(p, mentions, text, gazetteer), "locative"
    # 2. the dateline, when it is a country of the act
    if dateline is not None and dateline.country:
        if (
            dateline.country == src.country
            or (src.country is None and (src.code or "").startswith("IGO"))
            or (
                tgt is not None
                and dateline.country == tgt.country
                and (root in _VERBAL_ROOTS or src.country is None)
            )
        ):
            return dateline, "dateline"
    # 3. the same act in a neighbouring sentence
    codes = {src.code} - {None}
    sides = codes | ({tgt.code} - {None} if tgt is not None else set())
    nouns = ACT_NOUNS.get(root, frozenset())
    seen = {c.sentence.start for c in codings}
    for c in codings:
        for sent in _neighbours(c.sentence):
            if sent.start in seen:
                continue
            subj = _subjects(sent, codes, mentions)
            if not _subjects(sent, sides, mentions):
                continue  # a sentence that names neither side tells of another act
            near = [t for t in sent if t.lemma_.lower() in nouns or t.lower_ in nouns]
            near += [s.head for s in subj if s.dep_ in ("nsubj", "nsubjpass")]
            for t in list(near):
                near.extend(a for a in anchors(t)[1:] if a.dep_ in ("conj", "xcomp"))
            if not near and not subj:
                continue
            for p in mentions.places:
                if sent.start_char <= p.start < sent.end_char and attached(doc, p, near, subj, preps):
                    return with_region(p, mentions, text, gazetteer), "context"
    # 4. the target's place for coercion and violence
    if root in _TARGET_ROOTS and best.target is not None:
        for c in codings:
            if c.target is not None and c.target.how == "implied":
                for p in mentions.places:  # the town an attack was aimed at
                    if p.start < c.target.end and c.target.start < p.end:
                        return p.location, "target"
            if c.target is None or (c.target.start, c.target.end) == (c.source.start, c.source.end):
                continue  # an implied party placed on its source's mention names no place
            for p in mentions.places:
                if p.start < c.target.end and c.target.start < p.end:
                    return p.location, "target"
        if root in _VIOLENT and tgt is not None and tgt.country and gazetteer is not None:
            # violence happens in the target's country; sanctions and coercion need not
            country = gazetteer.country(tgt.country)
            if country is not None:
                return country.location(), "target"
    # 5. a domestic event: both sides of one country
    if tgt is not None and src.country and src.country == tgt.country and gazetteer is not None:
        country = gazetteer.country(src.country)
        if country is not None:
            return country.location(), "domestic"
    return None, None


__all__ = [
    "ACT_NOUNS",
    "article_zone",
    "publication_day",
    "attached",
    "dateline_place",
    "event_place",
    "with_region",
]
