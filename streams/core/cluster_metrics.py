"""How well canonical events match labels: B-cubed, pairwise, purity, largest cluster per label.

Items are reports (event ids); a clustering maps each item to a cluster id, a
labelling to a label (a story, or a hand-labelled real-world event). Pure
functions on plain mappings, no I/O.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import combinations


@dataclass(frozen=True)
class PR:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def _groups(assign: Mapping[str, str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for item, group in assign.items():
        out[group].add(item)
    return out


def bcubed(clusters: Mapping[str, str], labels: Mapping[str, str]) -> PR:
    """B-cubed precision and recall over the items both mappings cover (Bagga & Baldwin 1998)."""
    items = sorted(set(clusters) & set(labels))
    if not items:
        return PR(0.0, 0.0)
    by_cluster = _groups({i: clusters[i] for i in items})
    by_label = _groups({i: labels[i] for i in items})
    p = r = 0.0
    for i in items:
        c, g = by_cluster[clusters[i]], by_label[labels[i]]
        both = len(c & g)
        p += both / len(c)
        r += both / len(g)
    return PR(p / len(items), r / len(items))


def pairwise(clusters: Mapping[str, str], labels: Mapping[str, str]) -> tuple[PR, int, int, int]:
    """Pairwise precision and recall of merge decisions; also true, predicted and gold pair counts."""
    items = sorted(set(clusters) & set(labels))
    predicted = {(a, b) for a, b in combinations(items, 2) if clusters[a] == clusters[b]}
    gold = {(a, b) for a, b in combinations(items, 2) if labels[a] == labels[b]}
    tp = len(predicted & gold)
    precision = tp / len(predicted) if predicted else 1.0
    recall = tp / len(gold) if gold else 1.0
    return PR(precision, recall), tp, len(predicted), len(gold)


def multi_outlet_purity(
    clusters: Mapping[str, str], labels: Mapping[str, str], outlets: Mapping[str, str]
) -> tuple[int, int]:
    """(pure, total) over clusters whose items come from two or more outlets: pure = one label only."""
    pure = total = 0
    for members in _groups(clusters).values():
        if len({outlets[i] for i in members}) < 2:
            continue
        total += 1
        pure += len({labels.get(i) for i in members}) == 1
    return pure, total


def largest_per_label(
    clusters: Mapping[str, str], labels: Mapping[str, str], outlets: Mapping[str, str]
) -> dict[str, tuple[int, int, int]]:
    """Per label: (outlets in its largest cluster, reports in it, clusters holding the label).

    The largest cluster of a label is the one gathering the most of that label's
    outlets (then reports); only the label's own reports in it are counted.
    """
    per: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for item, label in labels.items():
        if item in clusters:
            per[label][clusters[item]].append(item)
    out = {}
    for label, groups in per.items():
        best = max(groups.values(), key=lambda ms: (len({outlets[i] for i in ms}), len(ms), min(ms)))
        out[label] = (len({outlets[i] for i in best}), len(best), len(groups))
    return out


def share_merged(clusters: Mapping[str, str]) -> float:
    """1 - clusters / items: the share of reports folded into another report's canonical event."""
    if not clusters:
        return 0.0
    return 1 - len(set(clusters.values())) / len(clusters)


def outlet_counts(labels: Mapping[str, str], outlets: Mapping[str, str]) -> Counter[str]:
    return Counter({label: len({outlets[i] for i in items}) for label, items in _groups(labels).items()})
