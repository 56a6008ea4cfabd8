"""Parsing the PETRARCH-2 verb dictionary format (inline snippets, no model)."""

from __future__ import annotations

from streams.codebook import load_codebook
from streams.codebook.verbs import PREP_HEAD, merge_verbs, parse_code, parse_verb_dictionary

SNIPPET = """
# a comment
&CURRENCY
+DOLLAR
+SWISS_FRANC

&HYPER_
+&CURRENCY
+BITCOIN

####### VERB PATTERNS #######

---  GRANT   [070]  ---
GRANT
GIVE {GAVE GIVEN }  # irregular forms in braces
CLEAR_UP [040]
+HAND_OVER [071]
- * &CURRENCY (TO +)  [071]   # a synset, then a PP holding the target
- $ * {ARMS SHIPMENT}  [072]
- * RELIEF  [---]
- * &UNDEFINED [075]

---  VISIT   [042:043]  ---
VISIT
- * (FOR TALKS)  [046:046]

######## TRANSFORMATIONS ##########
~ a (a b ATTACK) SAY = a b 015
"""


def test_verb_forms_and_default_codes() -> None:
    vd = parse_verb_dictionary(SNIPPET)
    (grant,) = vd.lookup("grant")
    assert grant.code == "070" and grant.block == "GRANT"
    (give,) = vd.lookup("GIVE")
    assert give.code == "070"  # no own code: the block's
    (clear,) = vd.lookup("CLEAR")
    assert clear.code == "040" and clear.particles == ("up",)
    (hand,) = vd.lookup("HAND")
    assert hand.code == "071" and hand.particles == ("over",)
    (visit,) = vd.lookup("visit")
    assert (visit.code, visit.reverse_code) == ("042", "043")
    assert "ATTACK" not in vd  # transformations are not verbs


def test_patterns_words_markers_and_prepositions() -> None:
    vd = parse_verb_dictionary(SNIPPET)
    (grant,) = vd.lookup("GRANT")
    texts = [p.text for p in grant.patterns]
    assert len(grant.patterns) == 3, texts  # the one with an undefined synset is skipped
    money, arms, relief = grant.patterns
    assert money.code == "071" and money.before == ()
    currency, to, target = money.after
    assert currency.alternatives == (("dollar",), ("swiss", "franc"))
    assert to.alternatives == (("to",),) and to.prep == PREP_HEAD
    assert target.marker == "+" and target.prep == "to"
    assert arms.before[0].marker == "$"
    assert arms.after[0].alternatives == (("arms", "shipment"),)
    assert relief.code is None  # "---": matches, but blocks the event
    assert money.words == 2 and arms.words == 1


def test_nested_synsets_expand() -> None:
    vd = parse_verb_dictionary(SNIPPET)
    assert vd.synsets["&HYPER"] == (("dollar",), ("swiss", "franc"), ("bitcoin",))


def test_reverse_codes() -> None:
    assert parse_code("042:043") == ("042", "043")
    assert parse_code("---") == (None, None)
    assert parse_code("0311") == ("0311", None)
    assert parse_code("075A") == (None, None)


def test_merge_overrides_default_and_prepends_patterns() -> None:
    base = parse_verb_dictionary(SNIPPET)
    extra = parse_verb_dictionary("---  GRANT   [073]  ---\nGRANT\n- * FOOD [0733]\n")
    merged = merge_verbs(base, extra)
    (grant,) = merged.lookup("GRANT")
    assert grant.code == "073"
    assert grant.patterns[0].code == "0733" and len(grant.patterns) == 4
    (give,) = merged.lookup("GIVE")
    assert give.code == "070"  # verbs not in the extra file are untouched


def test_bundled_dictionary_loads_whole() -> None:
    vd = load_codebook().verbs
    assert len(vd) > 1500
    assert vd.pattern_count > 4500
    assert vd.lookup("PRAISE")[0].code == "051"
    assert vd.lookup("AGREE")[0].code == "030"  # our override of CAMEO.2.0's 050
