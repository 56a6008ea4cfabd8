"""PETRARCH-2 agent dictionaries (generic nouns → sector codes) and nationality adjectives.

The agent format (``Phoenix.agents.txt``, ``PETR.Validate.agents.txt``)::

    !PERSON! = MAN, MEN, WOMAN, WOMEN, PERSON    # a substitution set
    PRESIDENT [~GOV]                             # '~CODE': appended to the actor code
    HUMAN_RIGHTS_BODY [NGO~]                     # 'CODE~': put before it
    POLICE {} [~COP]                             # '{}': no plural
    ATTORNEY_GENERAL {ATTORNEYS_GENERAL} [~GOV]  # an irregular plural
    GOVERNMENT_SPOKES!PERSON! [~GOV]             # one entry per member of the set

Regular plurals are generated as PETRARCH does: ``Y`` → ``IES``, ``S`` → ``SES``,
otherwise ``+S``. Comments as in the actor files.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from streams.codebook.actors import DictionaryFormatError, PhraseIndex, phrase_keys

_MARKER_DEF = re.compile(r"^\s*!([^!]+)!\s*=\s*(.+)$")


@dataclass(frozen=True, slots=True)
class Agent:
    """An agent code: ``GOV`` (``~GOV``, appended) or ``NGO`` with ``prefix`` (``NGO~``)."""

    code: str
    prefix: bool = False
    phrase: str = ""

    @property
    def sector(self) -> str:
        return self.code[:3]

    def apply(self, actor_code: str | None) -> str:
        """Combine with an actor code: ``CHN`` + ``~GOV`` → ``CHNGOV``; ``NGO~`` → ``NGOCHN``."""
        if not actor_code:
            return self.code
        if self.prefix:
            return actor_code if actor_code.startswith(self.code) else self.code + actor_code
        return actor_code if actor_code.endswith(self.code) else actor_code + self.code


@dataclass(frozen=True, slots=True)
class AgentMatch:
    start: int
    end: int
    agent: Agent
    phrase: tuple[str, ...]


class AgentDictionary(PhraseIndex[Agent]):
    """Agent phrases (singular and plural) → :class:`Agent`."""

    def find_all(self, tokens: Sequence[str]) -> list[AgentMatch]:
        return [AgentMatch(a, b, v, k) for a, b, v, k in self.scan(tokens)]


def _plural(phrase: str) -> str:
    if phrase.endswith("Y"):
        return phrase[:-1] + "IES"
    if phrase.endswith("S"):
        return phrase + "ES"
    return phrase + "S"


def _parse_code(body: str, where: str) -> Agent:
    body = body.strip().replace(" ", "")
    if body.startswith("~"):
        code, prefix = body[1:], False
    elif body.endswith("~"):
        code, prefix = body[:-1], True
    else:
        code, prefix = body, False
    if not re.fullmatch(r"[A-Za-z]{3,}", code):
        raise DictionaryFormatError(f"{where}: bad agent code [{body}]")
    return Agent(code.upper(), prefix)


def parse_agent_lines(
    lines: Iterable[str], source: str = "<agents>", problems: list[str] | None = None
) -> list[tuple[tuple[str, ...], Agent]]:
    """Parse an agent dictionary into (phrase keys, agent) pairs, plurals included.

    Lines without a code, with an undefined ``!MARKER!`` or a malformed code are skipped
    and described in ``problems`` (raised when ``problems`` is None).
    """
    markers: dict[str, list[str]] = {}
    out: list[tuple[tuple[str, ...], Agent]] = []
    in_comment = False

    def problem(msg: str) -> None:
        if problems is None:
            raise DictionaryFormatError(msg)
        problems.append(msg)

    for lineno, raw in enumerate(lines, 1):
        where = f"{source}:{lineno}"
        line = raw.rstrip("\n")
        if in_comment:
            if "-->" in line:
                in_comment = False
            continue
        stripped = line.strip()
        if stripped.startswith("<!"):
            in_comment = stripped.startswith("<!--") and "-->" not in stripped
            continue
        if not stripped or stripped.startswith("#"):
            continue
        if "#" in line:
            line = line[: line.index("#")]
        if "<!--" in line:
            if "-->" in line[line.index("<!--") :]:
                a = line.index("<!--")
                line = line[:a] + line[line.index("-->", a) + 3 :]
            else:
                line = line[: line.index("<!--")]
                in_comment = True
        line = line.strip()
        if not line:
            continue
        m = _MARKER_DEF.match(line)
        if m:
            markers[m.group(1).strip().upper()] = [
                w.strip().upper() for w in m.group(2).split(",") if w.strip()
            ]
            continue
        if "[" not in line or "]" not in line:
            problem(f"{where}: agent without a code")
            continue
        head, _, rest = line.partition("[")
        try:
            agent = _parse_code(rest.partition("]")[0], where)
        except DictionaryFormatError as e:
            problem(str(e))
            continue
        head = head.strip().upper()
        plural: str | None = None
        if "{" in head:
            if "}" not in head:
                problem(f"{where}: missing '}}'")
                continue
            plural = head[head.index("{") + 1 : head.index("}")].strip()
            head = head[: head.index("{")].strip()
        phrase = head.rstrip("_ ")
        if "!" in phrase:
            mm = re.search(r"!([^!]+)!", phrase)
            if mm is None or mm.group(1) not in markers:
                problem(f"{where}: undefined substitution marker in {phrase}")
                continue
            forms = [phrase[: mm.start()] + sub + phrase[mm.end() :] for sub in markers[mm.group(1)]]
        else:
            forms = [phrase]
            if plural is None:
                forms.append(_plural(phrase))
            elif plural:
                forms.append(plural.rstrip("_ "))
        for form in forms:
            keys = phrase_keys(form)
            if keys:
                out.append((keys, Agent(agent.code, agent.prefix, form)))
    return out


DATA_DIR = Path(__file__).parent / "data"
# installed files (manifest paths, see streams/codebook/sources.toml)
PHOENIX_AGENTS = "dictionaries/petrarch2/Phoenix.agents.txt"
NATIONALITIES = "dictionaries/nationalities.mordecai.csv"
EXTRA_AGENTS = DATA_DIR / "wirewatch.agents.txt"


def _installed(path: str) -> Path:
    from streams.codebook.location import codebook_file

    return codebook_file(path)


def load_agent_dictionary(paths: Path | Sequence[Path] | None = None) -> AgentDictionary:
    """Read one or more agent dictionaries (a later phrase overrides an earlier one).

    Without paths: the installed Phoenix list. Whenever the Phoenix list is read,
    our additions (``wirewatch.agents.txt``: "official", "Communist Party" ...) are read
    after it; a foreign dictionary (PETRARCH's validation one) is read as it is.
    """
    if paths is None:
        paths = [_installed(PHOENIX_AGENTS)]
    elif isinstance(paths, (str, Path)):
        paths = [Path(paths)]
    paths = [Path(p) for p in paths]
    if any(p.name == Path(PHOENIX_AGENTS).name for p in paths) and EXTRA_AGENTS.exists():
        paths = [p for p in paths if p.resolve() != EXTRA_AGENTS.resolve()] + [EXTRA_AGENTS]
    pairs: list[tuple[tuple[str, ...], Agent]] = []
    problems: list[str] = []
    for p in paths:
        try:
            with open(p, encoding="utf-8", errors="replace") as f:
                pairs.extend(parse_agent_lines(f, source=str(p), problems=problems))
        except OSError as e:
            raise DictionaryFormatError(f"cannot read agent dictionary {p}: {e}") from e
    d = AgentDictionary(pairs)
    d.problems = tuple(problems)
    return d


def parse_nationalities(rows: Iterable[Sequence[str]]) -> dict[str, str]:
    """``nationality,alpha_3_code`` rows → {"CHINESE": "CHN", ...} (first row a header)."""
    out: dict[str, str] = {}
    for i, row in enumerate(rows):
        if i == 0 or len(row) < 2:
            continue
        adj, iso3 = row[0].strip().upper(), row[1].strip().upper()
        if adj and re.fullmatch(r"[A-Z]{3}", iso3):
            out.setdefault(adj, iso3)
    return out


def load_nationalities(path: Path | None = None) -> dict[str, str]:
    """Nationality adjective (uppercase) → ISO3, from mordecai's ``nat_df.csv`` format."""
    path = _installed(NATIONALITIES) if path is None else path
    try:
        with open(path, encoding="utf-8", newline="") as f:
            return parse_nationalities(csv.reader(f))
    except OSError as e:
        raise DictionaryFormatError(f"cannot read nationalities {path}: {e}") from e
