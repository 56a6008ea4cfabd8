"""What someone must, has to or needs to do is a duty, not an act (coder 0.9.8); a duty is a
demand only when someone states it. Read by the real model and codebook on sentences written
for wirewatch."""

from __future__ import annotations

from readkit import codings as events

from schemas.events import Modality
from streams.core.readings import modality_of


def verb(coder, sentence: str, word: str):
    return next(t for t in coder.nlp(sentence) if t.text == word)


def test_must_have_to_and_need_to_are_not_asserted(coder):
    for sentence, word in [
        ("Before the treaty takes effect, both parliaments have to ratify it.", "ratify"),
        ("The government needs to approve the loan before March.", "approve"),
        ("Every member state must approve the budget.", "approve"),
    ]:
        assert modality_of(verb(coder, sentence, word)) is Modality.HYPOTHETICAL, sentence
    assert modality_of(verb(coder, "Both parliaments ratified the treaty.", "ratified")) is Modality.ASSERTED


def test_a_duty_in_narrative_yields_no_event_but_the_act_does(coder):
    assert events(coder, "Before the treaty takes effect, both parliaments have to ratify it.") == []
    assert events(coder, "France and Germany signed the treaty on Monday.")


def test_a_duty_coordinated_with_an_act_is_no_demand_by_the_actor(coder):
    # coder 0.9.7 coded both as demands (102, 106) by the first clause's subject
    for sentence in [
        "Ukraine lost the vote and now the EU must go through another round of talks.",
        "MPs threw out the bill and now the government must go back to the drawing board.",
    ]:
        found = events(coder, sentence)
        assert not any(code.startswith("10") for code, *_ in found), (sentence, found)


def test_a_stated_duty_is_still_a_demand(coder):
    found = events(coder, "The European Union said that Iran must stop enriching uranium.")
    assert any(code.startswith("10") for code, *_ in found), found
