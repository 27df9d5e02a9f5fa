"""Blind corpus 13: PhysioNet-style ICU nursing notes, written before reading any detector rule.

Imitates MIMIC-era CareVue nursing progress notes (MICU/CCU nights of the early 1990s, step-down, oncology/BMT,
transplant, vascular, cath recovery, CSRU, trauma, NICU, respiratory therapy) in many hands: telegraphic notes
with few colons, run-on lower case, ALL CAPS, typos and missing spaces, visitor and caller logs, social-work
paragraphs, sign-offs. Surrogate names and places come from the lists below (invented towns, small businesses,
churches, schools, outside hospitals and nursing homes).

``corpus(n, seed)`` returns ``{"id", "text", "spans", "style"}`` records; each span has ``start``, ``end``,
``type`` (NAME, LOCATION, DATE, AGE, PHONE, ID, EMAIL, URL), ``value`` and ``kind`` (the shape it was written in).
``phi_free(n, seed)`` returns notes in the same hands with no PHI and many look-alikes.
"""

from __future__ import annotations

import calendar
import random
from collections.abc import Callable
from typing import Any

FIRST = [
    "Agnieszka",
    "Bartholomew",
    "Caoimhe",
    "Dorota",
    "Eulalia",
    "Fintan",
    "Giedre",
    "Hamza",
    "Imelda",
    "Jadwiga",
    "Kwabena",
    "Ludmila",
    "Manoel",
    "Nkechi",
    "Oksana",
    "Padraig",
    "Quyen",
    "Rosalind",
    "Siobhan",
    "Tadeusz",
    "Ulrike",
    "Violeta",
    "Wojciech",
    "Ximena",
    "Yolanda",
    "Zdenek",
    "Ana",
    "Tuan",
    "Linh",
    "Jean",
    "Linda",
    "Marie",
    "Doris",
    "Ernestine",
    "Walt",
    "Leon",
    "Yvette",
    "Gus",
    "Mabel",
    "Hector",
    "Ines",
    "Jacinta",
    "Kofi",
    "Lourdes",
    "Mireille",
    "Nasser",
    "Odile",
    "Pasquale",
    "Rahel",
    "Sunil",
    "Teodora",
    "Vinh",
    "Wilhelmina",
    "Yusuf",
    "Zofia",
    "Alphonse",
    "Bernadette",
    "Cyril",
    "Delphine",
    "Emeka",
    "Florentina",
    "Gaspard",
    "Honorata",
    "Ignatius",
    "Jovita",
    "Kazimierz",
    "Leocadia",
    "Marguerite",
    "Nnamdi",
    "Ottilie",
    "Prudence",
    "Rosario",
    "Stanislawa",
    "Thuy",
    "Ursula",
    "Vasilis",
    "Winnifred",
    "Dympna",
    "Eamon",
    "Fenella",
    "Anil",
    "Bhavna",
    "Chiara",
    "Dmitri",
    "Efua",
    "Fotini",
    "Gerasimos",
    "Haruko",
    "Ikenna",
    "Jurgis",
    "Kalani",
    "Lidwina",
    "Milos",
    "Noreen",
    "Orla",
    "Perpetua",
]
# first names that are also English words or common nouns (need a cue in real text)
FIRST_WORDS = [
    "Rose",
    "Faith",
    "Joy",
    "Dawn",
    "Grace",
    "Frank",
    "Mark",
    "Pat",
    "Sandy",
    "Bill",
    "Art",
    "Iris",
    "June",
    "Ivy",
    "Rusty",
    "Sonny",
    "Skip",
    "Buck",
]
LAST = [
    "Abernathy",
    "Kowalski",
    "Doyle",
    "Oyelaran",
    "Nwachukwu",
    "Papadakis",
    "Szczepanski",
    "Tranh",
    "Huynh",
    "Quintanilha",
    "Mulcahy",
    "Varghese",
    "Dombrowski",
    "Fitzsimmons",
    "Lachapelle",
    "Okafor",
    "Bertrand",
    "Castellucci",
    "Dziedzic",
    "Eriksen",
    "Ferreira",
    "Gallagher",
    "Haddad",
    "Ilunga",
    "Jankowski",
    "Kavanagh",
    "Lindqvist",
    "Mbeki",
    "Nakashima",
    "Ostrowski",
    "Pellegrino",
    "Quirke",
    "Rautenberg",
    "Sokolowski",
    "Tavares",
    "Urquhart",
    "Vukovich",
    "Wojcik",
    "Yablonski",
    "Zamora",
    "Amaral",
    "Boudreau",
    "Cieslak",
    "Desrosiers",
    "Etienne",
    "Fonseca",
    "Gianakos",
    "Hovsepian",
    "Iwasaki",
    "Jaramillo",
    "Kealoha",
    "Lozada",
    "Marchetti",
    "Nkemelu",
    "Obuya",
    "Pimentel",
    "Rivkin",
    "Sandoval",
    "Tsakiris",
    "Umeh",
    "Verhoeven",
    "Wlodarczyk",
    "Yamaguchi",
    "Zeitlin",
    "O'Rourke",
    "O'Donoghue",
    "McGillicuddy",
    "MacAskill",
    "DaSilva",
    "DeLuca",
    "Vanhouten",
    "LeBlanc",
    "St.Pierre",
    "Thibodeau",
    "Przybylski",
    "Agyeman",
    "Balogun",
    "Chaudhry",
    "Devereaux",
    "Ekwueme",
    "Fairweather",
    "Grzelak",
    "Hanrahan",
    "Iannucci",
    "Jablonski",
    "Kaczmarek",
    "Lundgren",
    "Moynihan",
    "Niedermeyer",
]
# surnames that are also words
LAST_WORDS = [
    "Baker",
    "Fox",
    "Hill",
    "Long",
    "Young",
    "Church",
    "Steele",
    "Carpenter",
    "Bishop",
    "Rich",
    "Sparrow",
    "Frost",
    "Lamb",
    "Swift",
    "Noble",
]

TOWNS = [
    "Eastbridge",
    "Wexcombe",
    "North Amesfield",
    "Haverleigh",
    "Quarry Falls",
    "Saugatuck Mills",
    "Pellham Center",
    "Dunmore Harbor",
    "Kittredge",
    "Brockhaven",
    "West Tisbury Glen",
    "Marrowfield",
    "Oakhurst Landing",
    "Sudbrook",
    "Fennimore",
    "Lower Cranston",
    "Ashgrove",
    "Bellwether Corners",
    "Stonybrook Hollow",
    "Merriton",
    "Canfield",
    "Ravensport",
    "Glenmoor",
    "South Hadwick",
]
HOSPITALS = [
    "St. Brendan's",
    "Merrimack Valley Hosp",
    "Quinsig Regional",
    "Mount Carrow Hospital",
    "Lady of Fatima Hosp",
    "Harborview Community",
    "Nashoba Bend Medical Center",
    "Kittredge General",
    "St. Casimir Medical",
    "Wexcombe Memorial",
    "Holy Redeemer Hospital",
    "Brockhaven Hospital",
    "Ashgrove Regional Med Ctr",
    "Fennimore Deaconess",
    "Sudbrook Valley Hospital",
]
HOSP_ABBR = ["SBH", "MVH", "QRMC", "KGH", "WMH", "HRH", "NBMC", "FDH", "SVH", "BHC"]
REHABS = [
    "Heatherwood Rehab",
    "Maple Crest Nursing Home",
    "Greystone Manor",
    "Linden Hill Rehab",
    "Oakmere Care Center",
    "Bayberry Nursing and Rehab",
    "Sisters of Providence Home",
    "Wellspring House",
    "Cedar Knoll",
    "Fairhaven Manor",
    "Willowbend Rehab Hospital",
    "Pinegate Skilled Nursing",
]
UNITS_NAMED = ["Farr 3", "Reisman 6", "Stoneham 4", "Kessler 2", "Baird 7", "Coolidge 5", "Phelan 9", "Tresca 11"]
EMPLOYERS = [
    "Dunleavy Plumbing",
    "Costa Bros Bakery",
    "Pham's Nail Salon",
    "Kittredge Savings Bank",
    "Ostrowski Auto Body",
    "Brockhaven Public Schools",
    "Marrowfield Paper Co",
    "Atlas Moving and Storage",
    "Gianakos Pizza",
    "Harborside Lobster Co",
    "Merriton Fire Dept",
    "Sudbrook Public Library",
    "Fennimore Tool and Die",
]
CHURCHES = [
    "St. Casimir's",
    "Holy Ghost Greek Orthodox",
    "First Haitian Baptist",
    "Our Lady of Czestochowa",
    "St. Anthony of Padua",
    "Bethel AME",
    "Temple Beth Shalom",
    "St. Vartan Armenian Church",
]
SCHOOLS = [
    "Brantwood High",
    "Eastbridge Middle School",
    "St. Mary Star of the Sea School",
    "Ashgrove Community College",
]
STREETS = [
    "Larkin St",
    "Quarry Rd",
    "Bellflower Ave",
    "Tisbury Lane",
    "Old Mill Rd",
    "Canal St",
    "Pleasant Ave",
    "Hadwick Terrace",
    "Wharf Rd",
    "Fenwick Place",
    "Elmhurst Circle",
    "Kingfisher Way",
]
MONTHS_LONG = list(calendar.month_name)[1:]
MONTHS = [m[:3] for m in MONTHS_LONG]
RELATIONS = [
    "wife",
    "husband",
    "dtr",
    "daughter",
    "son",
    "sister",
    "brother",
    "sis",
    "bro",
    "niece",
    "nephew",
    "neice",
    "duaghter",
    "grandaughter",
    "grandson",
    "mother",
    "father",
    "mom",
    "dad",
    "HCP",
    "hcp",
    "health care proxy",
    "friend",
    "partner",
    "fiance",
    "SO",
    "daughter-in-law",
    "son in law",
    "cousin",
    "aunt",
    "uncle",
    "stepson",
    "ex-wife",
    "girlfriend",
    "boyfriend",
    "godson",
    "neighbor",
    "landlady",
    "guardian",
]
ROLES = [
    "Dr.",
    "DR",
    "dr",
    "Dr",
    "MD",
    "md",
    "NP",
    "np",
    "PA",
    "ho",
    "HO",
    "resident",
    "intern",
    "fellow",
    "attending",
    "RN",
    "CNS",
    "SW",
    "social worker",
    "case mgr",
    "PT",
    "OT",
    "chaplain",
    "Fr.",
    "Rev",
    "pastor",
    "nutritionist",
]


# identifiers: cue, lowest and highest number, format, kind
_ID_FORMS = [
    ("MR# ", 1000000, 9999999, "{}", "mrn"),
    ("unit # ", 100000, 999999, "{:07d}", "unit_no"),
    ("acct ", 10000000, 99999999, "{}", "acct"),
    ("blood bank # ", 10000, 99999, "BB{}", "other_id"),
]
# ages in words, hyphenated or not ("ninety-one", "ninety two")
_UNITS = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_NINETIES = {90 + i: "ninety" + (("-" if i % 2 else " ") + u if u else "") for i, u in enumerate(_UNITS)}


def _ordinal(d: int) -> str:
    if 11 <= d % 100 <= 13:
        return f"{d}th"
    return f"{d}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(d % 10, 'th') }"


class _Note:
    """Accumulates text and labelled PHI spans."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.spans: list[dict[str, Any]] = []
        self.n = 0

    def t(self, s: str) -> _Note:
        self.parts.append(s)
        self.n += len(s)
        return self

    def p(self, typ: str, val: str, kind: str) -> _Note:
        self.spans.append({"start": self.n, "end": self.n + len(val), "type": typ, "value": val, "kind": kind})
        return self.t(val)

    def text(self) -> str:
        return "".join(self.parts)


class _Gen:
    """Random pieces of PHI written the way nurses write them."""

    def __init__(self, rnd: random.Random) -> None:
        self.r = rnd
        self.month = rnd.randint(1, 12)
        self.day = rnd.randint(1, 26)
        self.year = rnd.choice([89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99])

    # ---- names
    def first(self) -> str:
        return self.r.choice(FIRST_WORDS) if self.r.random() < 0.15 else self.r.choice(FIRST)

    def last(self) -> str:
        return self.r.choice(LAST_WORDS) if self.r.random() < 0.12 else self.r.choice(LAST)

    def clin(self, b: _Note) -> None:
        """A clinician named after a title or role, in many spellings."""
        r = self.r
        ln = self.last()
        form = r.randrange(14)
        if form == 0:
            b.t("Dr. ").p("NAME", ln, "title")
        elif form == 1:
            b.t("DR ").p("NAME", ln.upper(), "title_caps")
        elif form == 2:
            b.t("dr ").p("NAME", ln.lower(), "title_lower")
        elif form == 3:
            b.t("Dr.").p("NAME", ln, "title_nospace")
        elif form == 4:
            b.t("md notified (").p("NAME", ln.lower(), "paren").t(")")
        elif form == 5:
            b.t(r.choice(["per ho ", "per HO ", "per resident ", "per fellow "])).p("NAME", ln, "role")
        elif form == 6:
            b.t(r.choice(["NP ", "np ", "PA ", "CNS "])).p("NAME", ln, "role")
        elif form == 7:
            b.t("Dr ").p("NAME", self.first(), "title_first").t(" ").p("NAME", ln, "title_full")
        elif form == 8:
            b.t("Drs. ").p("NAME", ln, "title_list").t(" and ").p("NAME", self.last(), "list_second")
        elif form == 9:
            b.t("team (").p("NAME", ln, "paren").t(") aware")
        elif form == 10:
            b.t("DR.").p("NAME", ln.upper(), "title_nospace")
        elif form == 11:
            b.t("Dr ").p("NAME", ln, "title").t("/Dr ").p("NAME", self.last(), "title")
        elif form == 12:
            b.t(r.choice(["called ", "paged ", "beeped "])).p("NAME", ln, "verb_bare")
        else:
            b.t("Dr. ").p("NAME", ln, "title").t("'s")

    def family(self, b: _Note) -> None:
        """A relative named after a relation word, or a bare first name with a visiting verb."""
        r = self.r
        rel = r.choice(RELATIONS)
        fn = self.first()
        form = r.randrange(11)
        if form == 0:
            b.t(f"{rel} ").p("NAME", fn, "relation").t(" called")
        elif form == 1:
            b.t(f"spoke with {rel} ").p("NAME", fn, "relation").t(" at length")
        elif form == 2:
            b.t(f"pt's {rel} (").p("NAME", fn, "relation_paren").t(") in to visit")
        elif form == 3:
            b.p("NAME", fn, "bare_first").t(f" ({rel}) called for update")
        elif form == 4:
            b.p("NAME", fn, "bare_first").t(" and ").p("NAME", self.first(), "list_second").t(" at bedside")
        elif form == 5:
            b.t(f"{rel} ").p("NAME", fn, "relation").t(" ").p("NAME", self.last(), "relation_full").t(" visiting")
        elif form == 6:
            b.t(f"call from {rel} ").p("NAME", fn.lower(), "relation_lower")
        elif form == 7:
            b.t(f"{rel.upper()} ").p("NAME", fn.upper(), "relation_caps").t(" IN")
        elif form == 8:
            b.t(f"{rel}-").p("NAME", fn, "relation_glued").t(" updated by phone")
        elif form == 9:
            b.t("visited by ").p("NAME", fn, "verb").t(f" ({rel}) and ").p("NAME", self.first(), "list_second")
        else:
            b.t(f"{rel}, ").p("NAME", fn, "relation_comma").t(", is HCP")

    def signoff(self, b: _Note) -> None:
        """A sign-off in one of many hands."""
        r = self.r
        fn, ln = self.first(), self.last()
        form = r.randrange(11)
        b.t(r.choice(["\n", "\n", " ", "\n- ", "\n\n"]))
        if form == 0:
            b.p("NAME", f"{fn[0]}.{ln}", "signoff").t(" RN")
        elif form == 1:
            b.p("NAME", f"{fn[0].lower()} {ln.lower()}", "signoff_lower").t(" rn")
        elif form == 2:
            b.p("NAME", f"{fn} {ln}", "signoff").t(", RN")
        elif form == 3:
            b.t("-").p("NAME", f"{fn[0]}{ln[0]}", "initials")
        elif form == 4:
            b.p("NAME", f"{ln},{fn[0]}", "signoff_rev").t(" RN")
        elif form == 5:
            b.p("NAME", f"{fn[0]}. {ln}", "signoff").t(", RRT")
        elif form == 6:
            b.p("NAME", f"{fn[0].lower()}{ln[0].lower()}", "initials").t(" rn")
        elif form == 7:
            b.p("NAME", fn, "signoff_first").t(" RN")
        elif form == 8:
            b.p("NAME", f"{fn.upper()} {ln.upper()}", "signoff_caps").t(" RN BSN")
        elif form == 9:
            b.t("signed ").p("NAME", f"{fn} {ln}", "signoff").t(" SN")
        else:
            b.p("NAME", f"{fn[0]}{ln[0]}", "initials").t(f"/{r.randint(7, 11)}p")

    def patient(self, b: _Note) -> None:
        r = self.r
        ln = self.last()
        form = r.randrange(6)
        if form == 0:
            b.t(r.choice(["Mr. ", "Mrs. ", "Ms. "])).p("NAME", ln, "patient_title")
        elif form == 1:
            b.t("PT ").p("NAME", self.first().upper(), "patient_caps").t(" ")
        elif form == 2:
            b.t("pt (").p("NAME", self.first(), "patient_first").t(")")
        elif form == 3:
            b.p("NAME", f"{self.first()} {ln}", "patient_full")
        elif form == 4:
            b.t("MR ").p("NAME", ln.upper(), "patient_title")
        else:
            b.t("pt goes by ").p("NAME", self.first(), "nickname")

    # ---- dates
    def date(self, b: _Note) -> None:
        r = self.r
        m, d = self.month, r.randint(1, 28)
        form = r.randrange(16)
        if form == 0:
            b.p("DATE", f"{m}/{d}", "m/d")
        elif form == 1:
            b.t("on ").p("DATE", f"{m}-{d}", "m-d")
        elif form == 2:
            b.p("DATE", f"{m}/{d}/{self.year}", "m/d/yy")
        elif form == 3:
            b.p("DATE", f"{MONTHS[m - 1]} {d}", "mon d")
        elif form == 4:
            b.t("on the ").p("DATE", _ordinal(d), "ordinal")
        elif form == 5:
            b.p("DATE", f"{_ordinal(d)}", "ordinal_bare")
        elif form == 6:
            b.t("sent").p("DATE", f"{m}/{d}", "glued")
        elif form == 7:
            b.p("DATE", f"{m}/{d}", "range").t("-").p("DATE", f"{m}/{min(d + 2, 28)}", "range")
        elif form == 8:
            b.p("DATE", f"{m}/{d}", "m/d_time").t(r.choice([" @ 0300", " 2200", "@1400", " at 6am"]))
        elif form == 9:
            b.p("DATE", f"{MONTHS_LONG[m - 1]} {_ordinal(d)}", "month ordinal")
        elif form == 10:
            b.p("DATE", f"{m:02d}/{d:02d}", "mm/dd")
        elif form == 11:
            b.p("DATE", f"{d}-{MONTHS[m - 1].upper()}-{self.year}", "dd-MON-yy")
        elif form == 12:
            b.t("the ").p("DATE", f"{_ordinal(d)} of {MONTHS_LONG[m - 1]}", "ordinal of month")
        elif form == 13:
            b.p("DATE", f"{MONTHS[m - 1]}.{d}", "mon.d")
        elif form == 14:
            b.t("from ").p("DATE", f"{m}/{d}", "range").t(" to ").p("DATE", f"{m}/{min(d + 3, 28)}", "range")
        else:
            b.p("DATE", f"{m}.{d}.{self.year}", "m.d.yy")

    # ---- places
    def osh(self, b: _Note) -> None:
        r = self.r
        form = r.randrange(7)
        if form == 0:
            b.t("transferred from ").p("LOCATION", r.choice(HOSPITALS), "osh")
        elif form == 1:
            b.t("OSH (").p("LOCATION", r.choice(HOSPITALS), "osh_paren").t(")")
        elif form == 2:
            b.t(r.choice(["TX FROM ", "trans from ", "came from ", "admitted to "])).p(
                "LOCATION", r.choice(HOSP_ABBR), "osh_abbr"
            )
        elif form == 3:
            b.t("seen at ").p("LOCATION", r.choice(HOSPITALS), "osh").t(" ED")
        elif form == 4:
            b.t("films from ").p("LOCATION", r.choice(HOSP_ABBR), "osh_abbr").t(" reviewed")
        elif form == 5:
            b.p("LOCATION", r.choice(HOSP_ABBR), "osh_abbr").t(" ED->cath lab")
        else:
            b.t("initially at ").p("LOCATION", r.choice(HOSPITALS).upper(), "osh_caps")

    def rehab(self, b: _Note) -> None:
        r = self.r
        form = r.randrange(5)
        if form == 0:
            b.t("from NH (").p("LOCATION", r.choice(REHABS), "nh_paren").t(")")
        elif form == 1:
            b.t("screening for ").p("LOCATION", r.choice(REHABS), "rehab")
        elif form == 2:
            b.t("resident of ").p("LOCATION", r.choice(REHABS), "nh")
        elif form == 3:
            b.t("bed offer at ").p("LOCATION", r.choice(REHABS), "rehab")
        else:
            b.t("back to ").p("LOCATION", r.choice(REHABS), "rehab").t(" when stable")

    def unit(self, b: _Note) -> None:
        r = self.r
        b.t(r.choice(["to ", "tx to ", "bed on ", "back to ", "called report to "])).p(
            "LOCATION", r.choice(UNITS_NAMED), "unit_named"
        )

    def home(self, b: _Note) -> None:
        r = self.r
        form = r.randrange(8)
        if form == 0:
            b.t("lives in ").p("LOCATION", r.choice(TOWNS), "town")
        elif form == 1:
            b.t("works at ").p("LOCATION", r.choice(EMPLOYERS), "employer")
        elif form == 2:
            b.t("parishioner at ").p("LOCATION", r.choice(CHURCHES), "church")
        elif form == 3:
            b.t("lives at ").p("LOCATION", f"{r.randint(2, 399)} {r.choice(STREETS)}", "street").t(", ").p(
                "LOCATION", r.choice(TOWNS), "town"
            )
        elif form == 4:
            b.t("retired from ").p("LOCATION", r.choice(EMPLOYERS), "employer")
        elif form == 5:
            b.t("grandson attends ").p("LOCATION", r.choice(SCHOOLS), "school")
        elif form == 6:
            b.t("from ").p("LOCATION", r.choice(TOWNS), "town").t(" ").p("LOCATION", f"0{r.randint(1000, 2799)}", "zip")
        else:
            b.t("pastor from ").p("LOCATION", r.choice(CHURCHES), "church").t(" visited")

    # ---- numbers
    def phone(self, b: _Note) -> None:
        r = self.r
        a, x, y = r.randint(201, 989), r.randint(200, 989), r.randint(1000, 9999)
        forms: list[Callable[[], object]] = [
            lambda: b.t("can be reached at ").p("PHONE", f"{x}-{y}", "local"),
            lambda: b.t("cell # ").p("PHONE", f"({a}) {x}-{y}", "paren"),
            lambda: b.t("home ").p("PHONE", f"{a} {x} {y}", "groups"),
            lambda: b.t("pager ").p("PHONE", f"{r.randint(1, 9)}-{r.randint(1000, 9999)}", "pager"),
            lambda: b.t("beeper #").p("PHONE", f"{r.randint(1000, 99999)}", "beeper"),
            lambda: b.t("x").p("PHONE", f"{r.randint(2, 7)}-{r.randint(1000, 9999)}", "ext"),
            lambda: b.t("bpr ").p("PHONE", f"{r.randint(10000, 99999)}", "beeper"),
            lambda: b.t("tel ").p("PHONE", f"{a}.{x}.{y}", "dots"),
            lambda: (
                b.t("#'s ")
                .p("PHONE", f"{x}-{y}", "local")
                .t(" / ")
                .p("PHONE", f"{x} {r.randint(1000, 9999)}", "groups")
            ),
        ]
        forms[r.randrange(len(forms))]()

    def ident(self, b: _Note) -> None:
        r = self.r
        cue, lo, hi, fmt, kind = r.choice(_ID_FORMS)
        b.t(cue).p("ID", fmt.format(r.randint(lo, hi)), kind)

    def age(self, b: _Note) -> None:
        r = self.r
        n = r.randint(90, 103)
        words = _NINETIES
        form = r.randrange(5)
        if form == 0:
            b.p("AGE", str(n), "digits").t(" yo ")
        elif form == 1:
            b.p("AGE", str(n), "digits").t(r.choice(["F ", "M ", "yo F ", "y/o m "]))
        elif form == 2 and n in words:
            b.p("AGE", words[n], "words").t(" year old ")
        elif form == 3:
            b.t("age ").p("AGE", str(n), "digits").t(" ")
        else:
            b.p("AGE", str(n), "digits").t("-year-old ")


# ---------------------------------------------------------------------------- filler (no PHI)

NEURO = [
    "a+ox3 mae follows commands",
    "lethargic but arousable to voice, perrl 3mm brisk",
    "sedated on propofol 30mcg/kg/min",
    "intermittently confused, pulling at lines, soft restraints on",
    "GCS 10 E3V2M5",
    "moves all ext, c/o HA tylenol given",
    "NEURO INTACT, PUPILS EQUAL",
    "agitated overnight haldol 2mg iv x1 w/ effect",
    "nods appropriately, mouths words",
]
CV = [
    "nsr 80s-90s no ectopy",
    "afib 110-130s dilt gtt @10",
    "sbp 90s-100s on levo .08",
    "HR 70-80S SR, BP 110-130/60S",
    "occ pvcs, k 3.6 repleted 40meq",
    "neo weaned to off",
    "swan #s CI 2.1 PCWP 18",
    "pulses dop'd dp/pt bilat",
    "cabg x3 pod 1, ct drainage 30-50cc/hr",
    "groin site c/d/i no hematoma, pedal pulses palp",
]
RESP = [
    "ls coarse bilat suctioned sm amt thick tan",
    "on AC 500x14 +5 40% abg 7.38/42/98",
    "weaned to cpap 5/5 tolerating",
    "RR 20s sats 94-97% 4L NC",
    "LUNGS DIMINISHED BASES, CXR PENDING",
    "ETT 7.5 @ 23 lip",
    "trach mask 40% fio2",
    "nebs q4 by rt",
]
GI = [
    "abd soft nt +bs, tf impact @ 40 goal 60",
    "ngt to lcws, bilious",
    "no bm x3 days, colace/senna",
    "foley patent cuo 30-60cc/hr yellow",
    "lasix 40 iv w/ 600cc response",
    "BUN/CR 38/1.9",
    "npo for procedure",
]
SKIN = [
    "coccyx stage 2 duoderm intact",
    "skin w/d/i",
    "heels boggy, on waffle boots",
    "L ac iv 20g site ok",
    "r ij tlc placed today",
    "sternal incision intact, steri strips",
]
PLAN = [
    "cont to monitor",
    "wean vent as tol",
    "f/u am labs",
    "?extubate in am",
    "plan dobhoff -> tf",
    "cont abx vanc/zosyn d#4",
    "monitor lytes, replete prn",
    "heme/onc to see re counts",
    "tx to floor when bed",
]


class _Hand:
    """One nurse's habits: header, section labels, separators."""

    def __init__(self, r: random.Random) -> None:
        self.header = r.choice(
            [
                "NPN 7A-7P",
                "Nursing Progress Note 1900-0700",
                "NSG NOTE 11P-7A",
                "npn 3-11",
                "MICU NURSING NOTE",
                "CCU NPN NOCTE",
                "S/O: ",
                "NURSING ADMIT NOTE",
                "Nsg Progress note 7p-7a",
                "BMT ICU NPN",
                "CSRU NSG",
                "TSICU NPN 7a-7p",
                "Step-down RN note",
                "Vasc ICU nsg 0700-1900",
                "Cath recovery note",
                "",
            ]
        )
        self.colon = r.random() < 0.6
        self.sep = r.choice(["\n", "\n", ". ", " ", "; ", "\n"])
        self.labels = r.choice(
            [
                ["NEURO", "CV", "RESP", "GI/GU", "SKIN", "SOCIAL", "DISPO", "ID"],
                ["neuro", "cv", "resp", "gi", "gu", "skin", "soc", "plan"],
                ["N-", "C-", "R-", "GI-", "GU-", "I-", "S-", "P-"],
                ["Neuro", "CVS", "Pulm", "Renal", "Heme", "Endo", "Family", "A/P"],
            ]
        )


def _label(h: _Hand, i: int) -> str:
    lab = h.labels[i % len(h.labels)]
    if lab.endswith("-"):
        return lab
    return lab + (": " if h.colon else " ")


def _filler(r: random.Random, pools: list[list[str]], k: int) -> str:
    return ", ".join(r.choice(r.choice(pools)) for _ in range(k))


# ---------------------------------------------------------------------------- note shapes


def _shift(b: _Note, g: _Gen, r: random.Random, h: _Hand) -> None:
    b.t(h.header + "\n" if h.header else "")
    if r.random() < 0.4:
        if r.random() < 0.2:
            g.age(b)
        else:
            b.t(f"{r.randint(40, 88)} yo ")
        b.t(r.choice(["m ", "f ", "male ", "woman "]) + "admitted ")
        g.date(b)
        b.t(" w/ " + r.choice(["urosepsis", "chf exac", "gi bleed", "resp failure", "AMI", "sdh s/p fall"]) + ", ")
        g.osh(b)
        b.t(h.sep)
    for i, pool in enumerate([NEURO, CV, RESP, GI, SKIN]):
        b.t(_label(h, i) + _filler(r, [pool], r.randint(1, 3)))
        if r.random() < 0.35:
            b.t(r.choice([", last bm ", ", line placed ", ", abx started ", " extubated ", ", echo ", " since "]))
            g.date(b)
        if r.random() < 0.25:
            b.t(", ")
            g.clin(b)
            b.t(r.choice([" aware", " notified", " in to see", " made aware"]))
        b.t(h.sep)
    b.t(_label(h, 6 if len(h.labels) > 6 else 5))
    g.family(b)
    if r.random() < 0.5:
        b.t(", ")
        g.phone(b)
    if r.random() < 0.4:
        b.t(". ")
        g.family(b)
    b.t(h.sep + _label(h, 7) + _filler(r, [PLAN], 2))
    if r.random() < 0.4:
        b.t(", ")
        r.choice([g.rehab, g.unit, g.osh])(b)
    g.signoff(b)


def _events(b: _Note, g: _Gen, r: random.Random, h: _Hand) -> None:
    b.t(r.choice(["Events: ", "EVENTS- ", "events overnight ", "Addendum: ", "ADDENDUM "]))
    for _ in range(r.randint(2, 4)):
        k = r.randrange(5)
        if k == 0:
            b.t(
                r.choice(["at 0200 ", "@2330 ", "~0400 ", "early am "])
                + r.choice(["pt desat to 80s", "sbp dropped to 70s", "rapid af 150s", "pulled ngt"])
                + ", "
            )
            g.clin(b)
            b.t(r.choice([" called", " aware", " at bedside", " paged x2"]))
        elif k == 1:
            b.t("cx sent ")
            g.date(b)
            b.t(", ")
            b.t(_filler(r, [PLAN], 1))
        elif k == 2:
            g.family(b)
        elif k == 3:
            b.t("last dose given ")
            g.date(b)
        else:
            b.t(_filler(r, [CV, RESP], 2))
        b.t(h.sep)
    g.signoff(b)


def _visitors(b: _Note, g: _Gen, r: random.Random, h: _Hand) -> None:
    b.t(r.choice(["Visitors: ", "VISITORS/CALLS: ", "calls tonight- ", "Family: ", "phone calls:\n"]))
    for i in range(r.randint(2, 5)):
        if i:
            b.t(r.choice(["; ", ", ", "\n", " / "]))
        k = r.randrange(5)
        rel = r.choice(RELATIONS)
        if k == 0:
            b.p("NAME", g.first(), "list").t(f" ({rel})")
        elif k == 1:
            b.t(f"{rel} ").p("NAME", g.first(), "relation")
        elif k == 2:
            b.p("NAME", f"{g.first()} {g.last()}", "list_full").t(f" - {rel}")
        elif k == 3:
            b.p("NAME", g.first(), "list").t(f" {rel} ")
            g.phone(b)
        else:
            b.t(f"{rel} ").p("NAME", g.first(), "relation").t(" from ").p("LOCATION", r.choice(TOWNS), "town")
    b.t(h.sep + r.choice(["all updated re poc", "questions answered", "family appropriate", "emotional support given"]))
    g.signoff(b)


def _social(b: _Note, g: _Gen, r: random.Random, h: _Hand) -> None:
    b.t(r.choice(["SOCIAL: ", "Social- ", "SW note within nsg: ", "Psychosocial: ", "soc "]))
    g.patient(b)
    b.t(r.choice([" is a ", " is a retired ", " is a widowed ", " lives with "]))
    b.t(r.choice(["machinist", "school bus driver", "dtr and her kids", "wife of 50 yrs", "cook"]) + ". ")
    g.home(b)
    b.t(". ")
    g.home(b)
    b.t(". ")
    g.family(b)
    b.t(r.choice([" and ", ". ", ", "]))
    g.family(b)
    b.t(". " + r.choice(["Very involved family. ", "Limited support. ", "Dtr is HCP. "]))
    if r.random() < 0.5:
        b.t("HCP is ").p("NAME", f"{g.first()} {g.last()}", "hcp_full").t(" ")
        g.phone(b)
    b.t(". ")
    if r.random() < 0.5:
        b.t("SW ")
        b.p("NAME", g.first(), "role_first")
        b.t(" following.")
    g.signoff(b)


def _meeting(b: _Note, g: _Gen, r: random.Random, h: _Hand) -> None:
    b.t(r.choice(["Family meeting ", "FAMILY MTG ", "fam mtg held ", "Code status discussion "]))
    g.date(b)
    b.t(r.choice([" w/ ", " with ", " - present: "]))
    g.clin(b)
    b.t(", ")
    g.family(b)
    b.t(", ")
    b.t(r.choice(["SW ", "chaplain ", "case mgr "])).p("NAME", g.last(), "role")
    b.t(". " + r.choice(["made DNR/DNI", "agreed to cmo", "want full code for now", "will readdress in 48hrs"]))
    b.t(". ")
    if r.random() < 0.5:
        b.t("pt's ")
        g.age(b)
        b.t("mother also in hosp at ")
        g.osh(b)
        b.t(". ")
    g.signoff(b)


def _nicu(b: _Note, g: _Gen, r: random.Random, h: _Hand) -> None:
    b.t(r.choice(["NICU NPN ", "Neo nsg note ", "#1 RESP ", "NNP note "]))
    b.t(f"DOL {r.randint(1, 40)} cga {r.randint(26, 40)} wks. ")
    b.t(r.choice(["on cpap 5 fio2 25%", "ra, no spells", "3 spells w/ brady to 70s, self resolved"]) + ". ")
    b.t(f"#2 FEN wt {r.randint(700, 3500)}g, feeds {r.randint(10, 150)}cc/k/d BM/PE24. ")
    b.t(f"bili {r.randint(3, 14)}.{r.randint(0, 9)} under single photo. ")
    b.t("#3 parents: ")
    k = r.randrange(4)
    if k == 0:
        b.t("MOB ").p("NAME", g.first(), "relation").t(" in, held infant. FOB ").p("NAME", g.first(), "relation")
        b.t(" called.")
    elif k == 1:
        b.t("mom (").p("NAME", g.first(), "relation_paren").t(") and dad in, sibling ").p("NAME", g.first(), "relation")
        b.t(" also.")
    elif k == 2:
        b.t("mother ").p("NAME", g.first(), "relation").t(" called from ").p("LOCATION", r.choice(TOWNS), "town").t(
            ", "
        )
        g.phone(b)
    else:
        b.t("Parents ").p("NAME", g.first(), "list").t(" & ").p("NAME", g.first(), "list_second").t(
            " visited, updated by "
        )
        b.t("NNP ").p("NAME", g.last(), "role")
    b.t(". Baby ").p("NAME", g.last(), "patient_baby").t(" born ")
    g.date(b)
    b.t(" at ").p("LOCATION", r.choice(HOSPITALS), "birth_hosp").t(". ")
    g.signoff(b)


def _rt(b: _Note, g: _Gen, r: random.Random, h: _Hand) -> None:
    b.t(r.choice(["Resp Care: ", "RESP CARE NOTE ", "rt note ", "Respiratory Therapy "]))
    b.t(r.choice(["pt remains on ", "PT ON ", "on "]) + r.choice(["ac 600x12 +8 50%", "psv 10/5 40%", "SIMV 12/500/5"]))
    b.t(", bs " + r.choice(["coarse", "clear", "diminished"]) + ", " + r.choice(["mdi's given", "nebs q4h"]) + ". ")
    if r.random() < 0.5:
        b.t("ett changed ")
        g.date(b)
        b.t(". ")
    if r.random() < 0.6:
        g.clin(b)
        b.t(" aware of abg. ")
    g.signoff(b)


def _runon(b: _Note, g: _Gen, r: random.Random, h: _Hand) -> None:
    b.t(r.choice(["pt ", "pt had ", "uneventful noc ", "busy shift "]))
    for _ in range(r.randint(4, 7)):
        k = r.randrange(8)
        if k == 0:
            g.family(b)
        elif k == 1:
            g.clin(b)
            b.t(" in ")
        elif k == 2:
            g.date(b)
        elif k == 3:
            r.choice([g.osh, g.rehab, g.home, g.unit])(b)
        elif k == 4:
            g.phone(b)
        elif k == 5 and r.random() < 0.3:
            g.ident(b)
        elif k == 6:
            g.patient(b)
        else:
            b.t(_filler(r, [NEURO, CV, RESP, GI], 1))
        b.t(r.choice([" ", " and ", " then ", " also ", " "]))
    b.t(_filler(r, [PLAN], 1))
    g.signoff(b)


def _admit(b: _Note, g: _Gen, r: random.Random, h: _Hand) -> None:
    b.t(r.choice(["ADMIT NOTE: ", "Admission nsg note ", "Transfer note- "]))
    g.patient(b)
    b.t(" ")
    if r.random() < 0.4:
        g.age(b)
    else:
        b.t(f"{r.randint(30, 89)}yo ")
    b.t("pmh " + r.choice(["cad, dm2, copd", "aml s/p bmt", "ESRD on HD", "pvd s/p fem-pop"]) + " ")
    g.osh(b)
    b.t(" ")
    g.date(b)
    b.t(", ")
    g.ident(b)
    b.t(". PCP ")
    g.clin(b)
    b.t(r.choice([" at ", " of "])).p("LOCATION", r.choice(TOWNS), "town").t(" ")
    g.phone(b)
    b.t(". REVIEW OF SYSTEMS:\n" + _filler(r, [NEURO, CV, RESP, GI, SKIN], 4) + "\n")
    if r.random() < 0.3:
        b.t("pt email ").p(
            "EMAIL", f"{g.first().lower()}{r.randint(1, 99)}@{r.choice(['aol.com', 'juno.com'])}", "email"
        )
        b.t(" ")
    if r.random() < 0.15:
        b.t("daughter's page ").p("URL", f"www.caringbridge.org/visit/{g.last().lower()}", "url").t(" ")
    g.signoff(b)


_SHAPES: list[tuple[str, Callable[[_Note, _Gen, random.Random, _Hand], None], int]] = [
    ("shift", _shift, 30),
    ("events", _events, 12),
    ("visitors", _visitors, 10),
    ("social", _social, 10),
    ("meeting", _meeting, 8),
    ("nicu", _nicu, 8),
    ("rt", _rt, 6),
    ("runon", _runon, 10),
    ("admit", _admit, 8),
]


def _case(r: random.Random) -> str:
    x = r.random()
    return "upper" if x < 0.25 else "lower" if x < 0.45 else "mixed"


def _finish(b: _Note, case: str) -> tuple[str, list[dict[str, Any]]]:
    text = b.text()
    if case == "upper":
        text = text.upper()
    elif case == "lower":
        text = text.lower()
    spans = [{**s, "value": text[s["start"] : s["end"]]} for s in b.spans]
    return text, spans


def corpus(n: int, seed: int = 161) -> list[dict[str, Any]]:
    """``n`` nursing notes with labelled PHI spans."""
    r = random.Random(seed)
    names = [s[0] for s in _SHAPES]
    weights = [s[2] for s in _SHAPES]
    fns = {s[0]: s[1] for s in _SHAPES}
    out = []
    for i in range(n):
        shape = r.choices(names, weights)[0]
        b, g, h = _Note(), _Gen(r), _Hand(r)
        fns[shape](b, g, r, h)
        case = _case(r)
        text, spans = _finish(b, case)
        out.append({"id": f"blind13-{seed}-{i}", "text": text, "spans": spans, "style": f"{shape}/{case}"})
    return out


# ---------------------------------------------------------------------------- PHI-free

LOOKALIKES = [
    "foley to gravity",
    "swan in place, wedge 14",
    "hx Graves dz on methimazole",
    "Parkinson's meds given on time",
    "Hope to extubate tomorrow",
    "will reassess",
    "Will need PT eval",
    "the family aware of plan",
    "MICU team aware",
    "CCU resident aware",
    "team aware",
    "AC 500x14 +5 40%",
    "ratio 1/2 strength tf",
    "BP 120/80",
    "bp 98/50s",
    "PEEP 5 PS 10",
    "Glasgow 14",
    "APACHE 22",
    "Braden 13",
    "CIWA 8",
    "RASS -2",
    "Dilantin level 12",
    "coumadin held, INR 3.2",
    "Lovenox 40 sq",
    "Levophed .1",
    "Jackson-Pratt drain 20cc",
    "Hickman intact",
    "Pleur-evac to -20 sx",
    "Ambu at bedside",
    "Posey vest on",
    "Dobhoff 55cm",
    "Mallory-Weiss tear",
    "Bell's palsy hx",
    "Cushing's",
    "Addison's",
    "Hodgkin's s/p chemo",
    "Crohn's flare",
    "Whipple 1 wk ago",
    "Nissen",
    "Kerlix dsg changed",
    "Tegaderm intact",
    "Sats 95% on 2L",
    "I/O 1200/800",
    "K 4.1 Mg 2.0",
    "Hct 24.3 -> 1u prbc",
    "PLT 42",
    "WBC 1.1 neutropenic precautions",
    "Bactrim DS",
    "Ativan 1mg x2",
    "Tylenol 650 pr",
    "Zofran 4",
    "Protonix",
    "Reglan",
    "Versed 2",
    "fentanyl 50mcg/hr",
    "Precedex 0.4",
    "q2h turns",
    "OOB to chair x2hrs",
    "1:1 sitter",
    "2+ pitting edema",
    "3/6 SEM",
    "Murphy's neg",
    "Homan's neg",
    "Trendelenburg for line",
    "Valsalva",
    "Kussmaul resp",
    "Cheyne-Stokes",
    "Levine tube",
    "rehab screen requested",
    "floor bed pending",
    "dispo to rehab vs home",
    "case mgmt aware",
    "social work to see family",
    "chaplain called per family request",
    "Grace period on fluids per renal",
    "Mark site w/ pen",
    "Frank blood from ngt",
    "Sandy-colored drainage",
    "Rose colored urine",
    "Art line redrawn",
    "A-line 2/3 dampened",
    "cont dopa 5",
    "ph 7.31/48/66",
    "vanco trough 15",
    "hep gtt 1000u/hr ptt 62",
    "Code status: full",
    "DNR/DNI",
    "Swan-Ganz dc'd",
    "ngt 1/2 way out",
    "Norris scale",
    "Allen's test neg",
    "Bovie",
    "Ranson 3",
    "Child-Pugh B",
    "Morse fall risk 45",
]


def phi_free(n: int, seed: int = 167) -> list[dict[str, Any]]:
    """``n`` PHI-free notes in the same hands, dense with look-alikes."""
    r = random.Random(seed)
    out = []
    for i in range(n):
        h = _Hand(r)
        parts = [h.header] if h.header else []
        for j in range(r.randint(4, 8)):
            pool = [NEURO, CV, RESP, GI, SKIN, PLAN][j % 6]
            bits = [r.choice(pool) for _ in range(r.randint(1, 2))] + r.sample(LOOKALIKES, r.randint(1, 3))
            parts.append(_label(h, j) + ", ".join(bits))
        parts.append(r.choice(["Tuesday noc", "rested well after 0300", "POD 2", "HD #5", "hd 3 of abx", "RN"]))
        text = h.sep.join(parts)
        case = _case(r)
        text = text.upper() if case == "upper" else text.lower() if case == "lower" else text
        out.append({"id": f"blind13-free-{seed}-{i}", "text": text, "spans": [], "style": f"free/{case}"})
    return out
