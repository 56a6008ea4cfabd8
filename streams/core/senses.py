"""Verb sense: when a verb's reading is the event its code names, and when it is not.

PETRARCH's dictionary gives every verb a default code, the code of its synonym set:
"take" is 171 (seize), "think" and "face" 040 (consult), "go" 040, "buy" 061. Read
literally, these turn "takes a picture", "faces questions" or "went home" into events.
A verb here is read by its default code only as far as its sense allows:

* :data:`PATTERN_ONLY` — common verbs whose default code is almost never what they mean:
  they code an event only through a pattern of the dictionary that names the context
  ("take part in talks", "take control of", "go to war");
* :data:`DYAD_ONLY` — verbs of interaction and force whose default reading holds between
  parties ("Putin called Xi", "troops shot protesters") and not of things or metaphors
  ("called it a sad day", "shot to fame", "beat the Texans"): a political source and a
  target that is a party (not a thing, an idiom or a bare place).

And some uses of any verb are not asserted events: naming ("called it a revenge attack",
"described it as"), habitual or generic statements ("typically reacts with anger",
"tends to"), and analysis ("could face sanctions" is already hypothetical, see
:mod:`streams.core.readings`).
"""

from __future__ import annotations

import re

from spacy.tokens import Token

PATTERN_ONLY = frozenset(
    """
    take tell go come want expect need help give plan think claim buy sell face seek pay
    leave argue suggest prepare mean join travel see hit decide reveal gather serve steal
    introduce lead admit hear monitor determine increase learn tend encourage intend break
    ensure rule note boost control speak aim benefit check establish trade unveil affect clear
    dig announce interact appreciate link catch describe search compete push
    overtake pass step recognise recognize expose enlarge expand explain stock predict recommend
    watch struggle overcome weigh protect head damage dominate attend guard direct enable apply
    cry persuade inspire manage conduct regret examine kick pull study get oversee hope
    correlate bother enlist refer notify find hold keep put set bring turn move try run open
    receive work show start begin continue raise carry make do have be become remain stay
    live die fall rise drop grow lose win spend save cost deal
    """.split()
)
DYAD_ONLY = frozenset(
    """
    meet visit call ask urge warn accuse blame criticise criticize praise hail back invite
    attack shoot kill injure wound beat strike stab assault release arrest detain charge
    welcome thank congratulate host phone contact approach press pressure target
    allow arrive
    """.split()
)
# Verbs that name or qualify their object ("called it a sad day", "labelled them terrorists").
NAMING_VERBS = frozenset({"call", "name", "label", "brand", "dub", "describe", "term", "consider", "deem"})
# Verbs that are the event only without an object: "protesters demonstrated" is a protest,
# "the attack demonstrated the power of" shows; "workers struck" is a strike.
INTRANSITIVE_ONLY = frozenset({"demonstrate", "rally", "march", "protest"})
HABITUAL_ADVERBS = frozenset(
    {
        "typically",
        "usually",
        "often",
        "generally",
        "normally",
        "frequently",
        "sometimes",
        "rarely",
        "seldom",
        "traditionally",
        "customarily",
        "habitually",
        "commonly",
        "ordinarily",
    }
)
HABITUAL_HEADS = frozenset({"tend", "use", "continue"})  # "tends to react", "has continued to press"
# Adverbs that make any tense a summary of many acts, not one.
_ALWAYS = frozenset(
    {
        "always",
        "repeatedly",
        "periodically",
        "regularly",
        "continually",
        "constantly",
        "routinely",
        "persistently",
        "consistently",
        "increasingly",
        "invariably",
    }
)


# Verbs whose default code is a demand (100) but which mostly report a claim: "insisted it was
# for Parliament to decide", "Mr Blair insisted: ..." state a view; "insisted on improved
# standards", "insisted that reform must continue" demand.
ASSERTIVE_DEMANDS = frozenset({"insist"})


def statement_not_demand(verb: Token) -> bool:
    """ "insisted he had been involved": a claim, not a demand (CAMEO 100 needs an action
    demanded: "insist on" something, or a complement saying what must, should, needs to be
    done or that it is time to do)."""
    if lemma(verb) not in ASSERTIVE_DEMANDS:
        return False
    if any(c.dep_ == "prep" and c.lower_ == "on" for c in verb.children):
        return False
    for c in verb.children:
        if c.dep_ in ("ccomp", "xcomp", "parataxis"):
            for t in c.subtree:
                if t.lower_ in ("must", "should", "ought", "time"):
                    return False
                if t.lemma_.lower() in ("need", "have") and any(
                    x.dep_ == "xcomp" and any(m.lower_ == "to" for m in x.children) for x in t.children
                ):
                    return False  # "needs to", "has to"
    return True


# People who read events rather than make them: what they say others do or want is their view.
COMMENTATORS = frozenset(
    """
    analyst academic expert observer commentator critic advocate scholar researcher economist
    pundit professor specialist strategist historian pollster columnist
    """.split()
)
_VIEW_VERBS = frozenset(
    {"say", "believe", "think", "argue", "suggest", "claim", "predict", "expect", "note", "fear", "contend"}
)


def commentators_view(verb: Token) -> bool:
    """ "advocates say it ensures the EU's operation", "the UK must realise it cannot prevent
    all attacks, says a top academic": an act stated inside what an analyst, expert or critic
    says is that commentator's reading, not a reported event."""
    t = verb
    for _ in range(4):
        if t.dep_ not in ("ccomp", "xcomp", "conj", "parataxis") or t.head.i == t.i:
            return False
        head = t.head
        if lemma(head) in _VIEW_VERBS:
            return any(c.dep_ == "nsubj" and lemma(c) in COMMENTATORS for c in head.children)
        t = head
    return False


# "came to power", "comes to office", "came to light", "came to terms with": a change of
# state, not a visit or a meeting.
_COME_TO_STATES = frozenset({"power", "office", "light", "terms", "mind", "prominence", "fame"})


def come_idiom(verb: Token) -> bool:
    """ "came to power", "when it comes to immigration", "have come close to it": idioms of
    "come" that name no movement between parties."""
    if lemma(verb) != "come":
        return False
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ == "to":
            if any(o.dep_ == "pobj" and o.lemma_.lower() in _COME_TO_STATES for o in c.children):
                return True
            if any(n.dep_ == "nsubj" and n.lower_ == "it" for n in verb.children):
                return True  # "when it came to its efforts over immigration"
        if c.dep_ in ("acomp", "advmod") and c.lower_ == "close":
            return True  # "they have come close to it"
    return False


def generic_present(verb: Token) -> bool:
    """A bare present tense after the lead ("Police and welfare officers patrol hotspots",
    a caption's "Police cordon off the area"): news reports what happened in the past or
    perfect tense, and the lead itself may be written as a headline ("U.S. military gives
    medical equipment to Nicaragua"). Only a verb's default reading is held to this; a
    pattern names a stance that holds now ("Moscow considers ties a priority")."""
    if verb.tag_ not in ("VBZ", "VBP") or verb.dep_ not in ("ROOT", "conj") or verb.sent.start == 0:
        return False
    if any(c.dep_ in ("aux", "auxpass") for c in verb.children):
        return False  # "has agreed", "is meeting", "will"
    dates = [t for t in verb.sent if t.ent_type_ in ("DATE", "TIME")]
    if dates and not any(_YEAR.fullmatch(t.text) for t in dates):
        return False  # "meets on Tuesday": a dated act; a caption's "on Dec. 31, 2016" is not
    return lemma(verb) not in ("say", "tell", "claim", "insist", "warn", "accuse")


_YEAR = re.compile(r"(?:19|20)\d\d")


def asked_question(verb: Token) -> bool:
    """ "Asked whether China would investigate, the spokesman said": a reporter's question
    put to the speaker (a subjectless participle opening the sentence), not an appeal."""
    if lemma(verb) != "ask" or verb.tag_ != "VBN":
        return False
    if any(c.dep_ in ("nsubj", "nsubjpass", "agent") for c in verb.children):
        return False
    return verb.i == verb.sent.start or verb.dep_ == "advcl"


def lemma(verb: Token) -> str:
    return verb.lemma_.lower()


def needs_pattern(verb: Token) -> bool:
    return lemma(verb) in PATTERN_ONLY


def needs_parties(verb: Token) -> bool:
    return lemma(verb) in DYAD_ONLY


def naming(verb: Token) -> bool:
    """ "called it a revenge attack", "described the deal as": the verb names or judges its
    object (an object predicate, or "as" after a naming verb), no act between parties."""
    if lemma(verb) not in NAMING_VERBS:
        return False
    for c in verb.children:
        if c.dep_ in ("oprd", "xcomp", "ccomp") and c.pos_ in ("NOUN", "PROPN", "ADJ", "PRON"):
            return True
        if c.dep_ == "prep" and c.lower_ == "as":
            return True
        if c.dep_ == "dobj" and any(g.dep_ in ("oprd", "attr", "appos") for g in c.children):
            return True
    return False


def transitive_other_sense(verb: Token) -> bool:
    """ "demonstrated the devastating power", "rallied support": with a direct object these
    verbs mean showing or gathering, not protesting."""
    return lemma(verb) in INTRANSITIVE_ONLY and any(c.dep_ == "dobj" for c in verb.children)


def habitual(verb: Token) -> bool:
    """A generic or habitual statement, not an event: "typically reacts", "tends to", "often
    testing weapons" (a participle under a habitual clause), "it typically takes hours to
    assert".

    A habitual adverb makes a present-tense clause a habit ("often meets"); a past one may
    report a series ("often met"), so it stays. A non-finite verb ("often testing", "to
    assert") takes the tense of the finite verb it hangs from."""
    chain = _clause_chain(verb)
    if verb.tag_ == "VBG" and any(c.dep_ == "aux" and c.lower_ == "been" for c in verb.children):
        return True  # "has been pressing China": an ongoing campaign, not an act
    for k, v in enumerate(chain):
        if k and lemma(v) in HABITUAL_HEADS and chain[k - 1].dep_ == "xcomp":
            return True  # "tends to react", "used to meet", "has continued to press"
        if any(c.dep_ == "advmod" and c.lower_ in _ALWAYS for c in v.children):
            return True  # "has always been willing to", "repeatedly urged": a summary, not one act
        if any(c.dep_ == "advmod" and c.lower_ in HABITUAL_ADVERBS for c in v.children):
            return _present(chain[k:])
    return False


def _clause_chain(verb: Token) -> list[Token]:
    """The verb and the verbs it depends on within its clause: up through an xcomp ("tends to
    react"), a conjunct, and a subjectless non-finite adverbial clause ("reacts with anger,
    often testing weapons"; "it takes hours to assert")."""
    chain = [verb]
    t = verb
    while t.head.i != t.i and (
        t.dep_ in ("xcomp", "conj")
        or (t.dep_ == "advcl" and t.tag_ in ("VBG", "VB") and not _has_subject(t) and not _marked(t))
    ):
        t = t.head
        chain.append(t)
    return chain


def _has_subject(verb: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in verb.children)


def _marked(verb: Token) -> bool:
    return any(c.dep_ == "mark" for c in verb.children)  # "after meeting", "before leaving"


def _present(chain: list[Token]) -> bool:
    """The tense of the first finite verb of the chain is the present (or a generic "will")."""
    for v in chain:
        auxes = [c for c in v.children if c.dep_ in ("aux", "auxpass") and c.lower_ != "to"]
        if auxes:
            return any(a.tag_ in ("VBZ", "VBP") or a.lower_ in ("will", "can", "'ll") for a in auxes)
        if v.tag_ in ("VBZ", "VBP"):
            return True
        if v.tag_ in ("VBD", "MD") or v.tag_ == "VBN" and v.dep_ != "xcomp":
            return False
    return False
