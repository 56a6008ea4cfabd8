"""How a coded act is stated: asserted, negated, future, hypothetical — and the CAMEO code
of an act stated as intended, refused, threatened or demanded.

"agreed to expand ties" is an intent (03), "refused to release" a refusal (12), "threatened
to impose sanctions" a threat (13), "urged X to negotiate" an appeal (02/10): the act's own
code is read under the verb that frames it.
"""

from __future__ import annotations

from itertools import pairwise

from spacy.tokens import Token

from schemas.events import Modality

# Heads of an xcomp that turn the action into an expression of intent, a refusal
# or a threat ("agreed to expand", "ready to discuss", "refused to release").
INTENT_HEADS = frozenset(
    {
        "agree",
        "promise",
        "pledge",
        "vow",
        "offer",
        "plan",
        "intend",
        "ready",
        "willing",
        "prepared",
        "decide",
        "commit",
        "undertake",
        "hope",
        "want",
        "seek",
        "aim",
        "eager",
        "expect",
    }
)


REFUSE_HEADS = frozenset({"refuse", "decline", "reject", "fail", "unwilling", "oppose"})


THREAT_HEADS = frozenset({"threaten", "warn"})


APPEAL_HEADS = frozenset(
    {"urge", "call", "appeal", "ask", "request", "press", "plead", "demand", "insist", "invite", "encourage"}
)


FUTURE_HEADS = frozenset({"plan", "intend", "expect", "schedule", "set", "due", "go"})


HYPOTHETICAL_MARKS = frozenset({"if", "unless", "whether"})


HYPOTHETICAL_AUX = frozenset({"would", "could", "might", "may", "should", "can"})
# "is likely to", "more likely to be stopped": someone's forecast or odds, not an act
SPECULATIVE_HEADS = frozenset({"likely", "unlikely"})


def intent_code(code: str) -> str:
    root = code[:2]
    return {
        "04": "036",
        "05": "032",
        "06": {"061": "0311", "062": "0312", "063": "0313", "064": "0314"}.get(code[:3], "031"),
        "07": {"071": "0331", "072": "0332", "073": "0333", "074": "0334"}.get(code[:3], "033"),
        "08": {"081": "0351", "084": "0353", "085": "0354", "086": "0355", "087": "0356"}.get(
            code[:3], "035"
        ),
        "03": code,
    }.get(root, "030")


def refusal_code(code: str) -> str:
    return {"03": "120", "04": "125", "05": "120", "06": "121", "07": "122", "08": "124"}.get(code[:2], "120")


def threat_code(code: str) -> str:
    """The threat (CAMEO 13) of carrying out a conflictual act."""
    c3, root = code[:3], int(code[:2])
    specific = {
        "161": "1313",
        "162": "1311",
        "163": "1312",
        "164": "134",
        "165": "135",
        "166": "136",
        "172": "132",
        "174": "136",
        "191": "1381",
        "192": "1382",
    }
    if code.startswith("1724"):
        return "1324"
    if code.startswith("1723"):
        return "1323"
    if c3 in specific:
        return specific[c3]
    if root == 16:
        return "131"
    if root == 17:
        return "130"
    if root == 15:
        return "130"
    if root >= 18:
        return "138"
    return "130"


def volition_code(code: str) -> str | None:
    """An act stated as intended, planned or conditional: cooperation → intent (03),
    conflict → threat (13); verbal acts (09–12) and appeals stay as they are."""
    root = int(code[:2])
    if not 1 <= root <= 20:
        return None  # not a CAMEO code (a test dictionary's own)
    if 3 <= root <= 8:
        return intent_code(code)
    if root >= 15 or root == 13:
        return threat_code(code)
    return None


REPORTING = frozenset(
    {
        "say",
        "announce",
        "confirm",
        "tell",
        "state",
        "declare",
        "add",
        "report",
        "insist",
        "warn",
        "promise",
        "pledge",
        "vow",
        "indicate",
        "reveal",
        "agree",
        "decide",
    }
)


def _reported(verb: Token) -> bool:
    """A clause reported after a past reporting verb: "said that X would", the future in the past."""
    head = verb.head
    return verb.dep_ in ("ccomp", "xcomp") and head.i != verb.i and head.lemma_.lower() in REPORTING


def modality_of(verb: Token) -> Modality:
    chain = [verb]
    t = verb
    while t.dep_ in ("xcomp", "conj", "acomp") and t.head.i != t.i:
        t = t.head
        chain.append(t)
    for v in chain:
        for c in v.children:
            if c.dep_ == "neg":
                return Modality.NEGATED
    for v in chain:
        for c in v.children:
            if c.dep_ == "mark" and c.lower_ in HYPOTHETICAL_MARKS:
                return Modality.HYPOTHETICAL
    if any(v.i != verb.i and v.lower_ in SPECULATIVE_HEADS for v in chain):
        return Modality.HYPOTHETICAL  # "is likely to demand": a forecast, not an act
    if _obligation(chain):
        return Modality.HYPOTHETICAL  # "both have to approve it", "it must go through": a duty, no act
    for v in chain:
        for c in v.children:
            if c.dep_ == "aux" and c.lower_ == "would" and _reported(v):
                return Modality.FUTURE  # "NATO confirmed it would tighten the blockade"
            if c.dep_ == "aux" and c.lower_ in HYPOTHETICAL_AUX:
                return Modality.HYPOTHETICAL
    for v in chain:
        for c in v.children:
            if c.dep_ == "aux" and c.lower_ in ("will", "shall", "'ll"):
                return Modality.FUTURE
        if v.i != verb.i and v.lemma_.lower() in FUTURE_HEADS:
            return Modality.FUTURE
    if _be_to(chain):
        return Modality.FUTURE  # "the foreign secretary is to visit Thailand": a plan
    return Modality.ASSERTED


def _obligation(chain: list[Token]) -> bool:
    """ "must", "have to", "need to": what someone is bound to do, not what was done."""
    if any(c.dep_ == "aux" and c.lower_ == "must" for v in chain for c in v.children):
        return True
    for prev, v in pairwise(chain):
        if (
            prev.dep_ == "xcomp"
            and v.lemma_.lower() in ("have", "need")
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in prev.children)
        ):
            return True
    return False


def _be_to(chain: list[Token]) -> bool:
    """ "is to visit", "are to meet": "be" with a "to" infinitive, the newsroom's plan."""
    for prev, v in pairwise(chain):
        if (
            v.lemma_.lower() == "be"
            and prev.dep_ == "xcomp"
            and prev.tag_ == "VB"
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in prev.children)
            and not any(c.dep_ in ("acomp", "attr") for c in v.children)  # "it was important to"
        ):
            return True
    return False


def appeal_code(head_code: str | None, code: str) -> str:
    base = "10" if head_code and head_code.startswith("10") else "02"
    return base + {"04": "6", "05": "2", "06": "1", "07": "3", "08": "5"}.get(code[:2], "0")


def has_future(verb: Token) -> bool:
    for c in verb.children:
        if c.dep_ == "aux" and c.lower_ in ("will", "would", "shall", "'ll", "wo"):
            return True
    head = verb.head
    # "is going to restore", "plans to send"
    return (
        verb.dep_ == "xcomp"
        and head.lemma_.lower() in ("go", "plan", "intend", "prepare")
        and head.i != verb.i
    )


def future_code(code: str) -> str | None:
    return None if code[:2] == "03" else volition_code(code)


def conditional(verb: Token) -> bool:
    """ "may halt mediation if …", "would blockade unless …"."""
    aux = any(
        c.dep_ == "aux" and c.lower_ in ("may", "might", "could", "would", "will") for c in verb.children
    )
    cond = any(
        c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children)
        for c in verb.children
    )
    return aux and cond
