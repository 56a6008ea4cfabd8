"""Generic, habitual and ability statements are not asserted events (coder 0.9.1), read by the
real model and codebook on sentences written for wirewatch."""

from __future__ import annotations

from readkit import codings as events

from streams.core.senses import habitual


def verb(coder, sentence: str, word: str):
    return next(t for t in coder.nlp(sentence) if t.text == word)


HABIT = "North Korea typically reacts with anger to the drills, often testing missiles and threatening Seoul."


def test_a_participle_under_a_habitual_clause_is_habitual(coder):
    for word in ("reacts", "testing", "threatening"):
        assert habitual(verb(coder, HABIT, word)), word


def test_an_infinitive_under_a_habitual_clause_is_habitual(coder):
    s = "It typically takes the rebels several hours to claim responsibility for attacks."
    assert habitual(verb(coder, s, "claim"))


def test_a_habitual_adverb_in_the_past_may_report_a_series(coder):
    assert not habitual(verb(coder, "North Korea often tested missiles in 2016.", "tested"))
    assert not habitual(verb(coder, "North Korea tested missiles and threatened Seoul.", "threatened"))


def test_tends_to_is_habitual(coder):
    assert habitual(verb(coder, "China tends to criticise Washington over Taiwan.", "criticise"))


def test_habitual_background_yields_no_event_but_the_act_does(coder):
    assert events(coder, HABIT) == []
    assert events(coder, "North Korea tested missiles on Sunday and threatened Seoul.")


def test_an_ability_is_not_an_act(coder):
    assert events(coder, "The army can arrest opposition leaders without a warrant.") == []
    assert events(coder, "The army arrested opposition leaders without a warrant.")


def test_is_to_with_an_infinitive_is_a_plan(coder):
    from schemas.events import Modality
    from streams.core.readings import modality_of

    assert modality_of(verb(coder, "The foreign secretary is to visit Thailand this week.", "visit")) is (
        Modality.FUTURE
    )
    assert modality_of(verb(coder, "He said it was important to support Russia.", "support")) is (
        Modality.ASSERTED
    )


def test_what_a_commentator_says_others_do_is_a_view(coder):
    from streams.core.senses import commentators_view

    assert commentators_view(verb(coder, "Analysts said North Korea wants to test another missile.", "test"))
    assert commentators_view(
        verb(coder, "The allies cannot prevent all attacks, says a top academic.", "prevent")
    )
    assert not commentators_view(verb(coder, "Officials said North Korea tested another missile.", "tested"))
    assert events(coder, "Analysts say Russia rejected the proposal from Japan.") == []
    assert events(coder, "Officials say Russia rejected the proposal from Japan.")


def test_idioms_of_come_name_no_movement_between_parties(coder):
    from streams.core.senses import come_idiom

    def come(sentence):
        return next(t for t in coder.nlp(sentence) if t.lemma_ == "come")

    assert come_idiom(come("The general came to power in a coup in 1999."))
    assert come_idiom(come("The party is weak when it comes to immigration."))
    assert come_idiom(come("The two sides have come close to a deal."))
    assert not come_idiom(come("The president came to Moscow for talks with Putin."))
