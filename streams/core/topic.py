"""The story-level relevance gate: is this article about political action at all?

A news wire carries sport, business, technology, science, entertainment and accident
reports beside politics; their sentences hold verbs a coder reads as events ("the Steelers
beat the Texans", "Goldman takes a $5 billion hit", "the tram derailed, killing seven")
and actors it reads as political ("officials said", "the company's president"). This
module scores an article's words against small topic lexicons — politics and conflict on
one side; sport, business, technology, science, entertainment and accidents on the other —
and calls the story political unless another topic clearly dominates it and politics is
thin. The words are read from the tokenizer's output only (lower case, a plural ``s``
stripped), so the decision can be taken before the expensive parse.

The lexicons are written for wirewatch from general newsroom vocabulary (not from any
evaluation corpus); the thresholds were set on the development half of the local corpora
and are measured on the other half (docs/evaluation.md).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


POLITICS = _words(
    """
    government minister ministry president presidential prime parliament parliamentary
    senate senator congress congressional lawmaker legislator legislature election vote
    voter ballot referendum campaign party opposition coalition cabinet regime
    administration diplomat diplomatic embassy ambassador envoy consulate treaty summit
    talk negotiation sanction embargo tariff military army troop soldier force navy
    militant rebel insurgent jihadist terrorist terrorism terror militia guerrilla war
    conflict ceasefire truce invasion airstrike missile nuclear weapon bomb bombing attack
    gunman gunmen hostage kidnap kidnapping assassination protest protester demonstrator
    rally riot strike police court judge prosecutor trial indict indictment charge
    sentence verdict arrest detain detention prison jail security intelligence border
    refugee asylum migrant human rights activist dissident crackdown curfew martial
    united nation un nato eu union council commission state foreign interior defence
    defense spokesman spokeswoman official authority authorities leader king queen
    monarch dictator junta coup occupation settlement annexation sovereignty independence
    separatist territory province governor mayor
    labour tory tories conservative liberal democrat mp mps westminster whitehall commons
    lords downing manifesto constituency poll chancellor politician political politics
    policy corruption bribery scandal aid reform law legislation citizen
    """
)
# Economic vocabulary that marks a business *story* (0.9.0): counted with the business topic
# in stories of SHORT_ITEM_WORDS or more, not in a short item, where one sentence on tariffs,
# import bans or a budget deficit is as often a political act as a business report.
STORY_ONLY: dict[str, frozenset[str]] = {
    "business": _words(
        """
        debt debts bankruptcy bankrupt creditor lender loan bond asset privatisation
        privatization sell-off auction export import exporter importer oil gas crude barrel
        opec fuel currency dollar euro yen yuan deficit surplus gdp output industry
        industrial manufacturing manufacturer factory employer workforce sector subsidy stake
        owner ownership accounting audit auditor insolvency investment invest economist cent
        percent sterling telecom commodity wage wages job jobs payment payout
        """
    ),
}
TOPICS: dict[str, frozenset[str]] = {
    "sport": _words(
        """
        match game season league cup championship tournament final semi-final coach
        manager player team club goal score scored striker midfielder defender goalkeeper
        quarterback touchdown inning pitcher batter wicket innings rugby football soccer
        tennis golf cricket basketball baseball hockey olympic olympics medal athlete
        race racing driver grand prix lap podium stadium fan fans title victory defeat
        win won beat draw seed set fixture transfer squad playoff nfl nba mlb nhl fifa
        """
    ),
    "business": _words(
        """
        share shares stock stocks market markets investor investors profit profits
        revenue revenues earnings sales quarter quarterly dividend shareholder
        shareholders analyst analysts price prices company companies firm firms
        business businesses customer customers consumer consumers bank banks banking
        economy economic growth inflation interest rate rates fund funds trading trader
        billion million merger acquisition takeover bid deal ceo chief executive
        executive chairman brand retailer retail store stores product products brand
        """
    ),
    "technology": _words(
        """
        software app apps user users device devices smartphone phone phones iphone
        android computer computers internet online website web data digital tech
        technology chip chips processor camera feature features update version gadget
        console gaming game games video broadband network networks cyber hacker hackers
        breach password bitcoin cryptocurrency blockchain google apple microsoft amazon
        facebook twitter samsung intel
        """
    ),
    "science": _words(
        """
        scientist scientists study studies research researcher researchers university
        space nasa planet planets star stars galaxy universe telescope orbit moon mars
        earth sun solar asteroid meteor comet species animal animals gene genes dna
        cell cells climate ocean astronomer astronaut rocket launch satellite lab
        experiment discovery fossil dinosaur
        """
    ),
    "entertainment": _words(
        """
        film films movie movies actor actress star stars celebrity album song songs
        music singer band concert tour festival award awards oscar grammy show shows
        television tv series episode director hollywood premiere trailer fan fans
        comedy drama theatre theater stage fashion model wedding married divorce
        girlfriend boyfriend instagram
        """
    ),
    "accident": _words(
        """
        crash crashed accident derail derailed derailment collision collide collided
        plane flight passenger passengers pilot airline tram train bus driver fire
        blaze flood flooding storm snow snowfall hurricane tornado earthquake quake
        tsunami landslide explosion fireworks rescue rescuer rescued injured injury
        hospital victim victims dead died death toll zoo gorilla weather
        """
    ),
}


@dataclass(frozen=True)
class TopicScore:
    politics: int
    other: dict[str, int]
    words: int
    story_only: dict[str, int] = field(default_factory=dict)

    @property
    def rival(self) -> tuple[str, int]:
        other = Counter(self.other)
        if self.words >= SHORT_ITEM_WORDS:
            other.update(self.story_only)
        if not other:
            return "", 0
        name = max(other, key=lambda k: other[k])
        return name, other[name]

    @property
    def political(self) -> bool:
        """No other topic rivals politics (a story of some length needs a quarter more political
        words than the leading rival's; a short item half of them), and a
        story of some length has politics in it: a handful of political words, at a few per
        thousand. A short item (a brief, one sentence) is given the benefit of the doubt
        unless a rival topic clearly leads."""
        _, rival = self.rival
        ratio = RIVAL_RATIO if self.words >= SHORT_ITEM_WORDS else SHORT_RIVAL_RATIO
        if rival >= MIN_RIVAL_WORDS and self.politics * ratio < rival:
            return False
        if self.words < SHORT_ITEM_WORDS:
            return True
        density = 1000 * self.politics / self.words
        return self.politics >= MIN_POLITICAL_WORDS and density >= MIN_DENSITY


MIN_RIVAL_WORDS = 2
RIVAL_RATIO = 0.8  # politics must exceed the leading rival topic by a quarter (0.9.0; was 2/3)
SHORT_RIVAL_RATIO = 2.0  # half, in a short item: one sentence says little about its story
SHORT_ITEM_WORDS = 80
MIN_POLITICAL_WORDS = 3
MIN_DENSITY = 8.0  # political words per thousand


def _norm(word: str) -> str:
    w = word.lower()
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
        return w[:-1]
    return w


def score(words: Iterable[str]) -> TopicScore:
    politics = 0
    other: Counter[str] = Counter()
    story_only: Counter[str] = Counter()
    n = 0
    for raw in words:
        if not raw[:1].isalpha():
            continue
        n += 1
        w = raw.lower()
        base = _norm(raw)
        if w in POLITICS or base in POLITICS:
            politics += 1
        for name, lexicon in TOPICS.items():
            if w in lexicon or base in lexicon:
                other[name] += 1
        for name, lexicon in STORY_ONLY.items():
            if w in lexicon or base in lexicon:
                story_only[name] += 1
    return TopicScore(politics=politics, other=dict(other), words=n, story_only=dict(story_only))


__all__ = ["POLITICS", "STORY_ONLY", "TOPICS", "TopicScore", "score"]
