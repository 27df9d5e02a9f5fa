"""Seventh blind corpus: a whole ICU's charting over years, many authors, many note types.

Written before reading any detector, data list or other corpus. Nursing progress notes by body system, RT,
social work / case management, nutrition, PT/OT, night one-liners, event notes, admission notes and addenda.
Authors type fast: typos in cue words, glued punctuation, names in lists, names as bare subjects, staff first
names at hand-off, word-names, particle surnames, hospitals by name / initials / nickname, rehabs and nursing
homes with and without a facility word, towns that are words, streets, every date shape, ages over 89 in many
shapes, phones and pagers in pieces. Every name and place comes from the lists below (invented places).

``corpus(n, seed)`` returns ``{"id", "text", "spans": [{"start", "end", "type", "value", "kind"}], "style"}``;
``phi_free(n, seed)`` returns notes in the same style with no PHI (dense with look-alikes).
"""

from __future__ import annotations

import calendar
import random
import re
from collections.abc import Callable
from typing import Any

# ---------------------------------------------------------------- lists (written for this corpus)
FEMALE = [
    "Maureen",
    "Deirdre",
    "Siobhan",
    "Lakshmi",
    "Ngozi",
    "Ximena",
    "Marisol",
    "Thuy",
    "Yolanda",
    "Agnieszka",
    "Fatima",
    "Ingrid",
    "Bernadette",
    "Lorraine",
    "Tamika",
    "Keiko",
    "Esperanza",
    "Dolores",
    "Francine",
    "Gretchen",
    "Priya",
    "Oksana",
    "Rochelle",
    "Carmela",
    "Wanda",
    "Colleen",
    "Anh",
    "Mei",
    "Shoshana",
    "Nadia",
    "Rosalind",
    "Imelda",
    "Zofia",
    "Hanh",
    "Adaeze",
    "Louisa",
    "Philomena",
    "Trudy",
    "Bettina",
    "Claudette",
]
MALE = [
    "Doug",
    "Tomasz",
    "Emeka",
    "Raj",
    "Dmitri",
    "Gerald",
    "Bartholomew",
    "Kwame",
    "Luis",
    "Hiroshi",
    "Seamus",
    "Desmond",
    "Vinny",
    "Rashid",
    "Thanh",
    "Ignacio",
    "Lars",
    "Cornelius",
    "Fitz",
    "Marcus",
    "Reggie",
    "Alistair",
    "Yusuf",
    "Olu",
    "Teodoro",
    "Wendell",
    "Kenji",
    "Casimir",
    "Ezra",
    "Dario",
    "Percival",
    "Anselm",
    "Mihai",
    "Benedikt",
    "Lionel",
    "Rufus",
    "Osvaldo",
    "Gustavo",
    "Arjun",
    "Nikos",
]
WORD_NAMES = [
    "Hope",
    "Grace",
    "Bill",
    "Will",
    "Frank",
    "Rose",
    "Mark",
    "May",
    "Art",
    "Drew",
    "Sunny",
    "Lane",
    "Wolf",
    "Faith",
    "Joy",
    "Iris",
    "Ivy",
    "Dawn",
    "Amber",
    "Pat",
    "Rusty",
    "Buck",
    "Chase",
    "Dale",
    "Gene",
    "Jack",
    "Sandy",
    "Ray",
    "Penny",
    "Ginger",
    "June",
    "April",
    "Summer",
    "Hunter",
    "Patience",
    "Guy",
    "Earl",
    "Miles",
    "Rich",
    "Cliff",
    "Glen",
    "Heath",
    "Reed",
    "Rocky",
    "Holly",
    "Heather",
    "Mercy",
    "Constance",
    "Sterling",
    "Crystal",
    "Misty",
    "Brook",
    "Skip",
    "Bud",
    "Violet",
    "Pearl",
    "Ruby",
    "Jewel",
    "Sonny",
    "Carol",
]
SURNAMES = [
    "Okonkwo",
    "Nguyen",
    "Castellano",
    "Haddad",
    "Kowalczyk",
    "Fitzgerald",
    "O'Rourke",
    "D'Alessandro",
    "van der Meer",
    "de la Fuente",
    "St. Germain",
    "MacLeod",
    "Abernathy",
    "Takahashi",
    "Osei",
    "Bianchi",
    "Lindqvist",
    "Papadopoulos",
    "Rahimi",
    "Oyelaran",
    "Szabo",
    "Petrov",
    "Delacroix",
    "Kaur",
    "Gupta-Ross",
    "Whitfield",
    "Brannigan",
    "Achterberg",
    "Quintero",
    "Ferreira",
    "Yilmaz",
    "Novak",
    "Halloran",
    "LeBlanc",
    "DuPont",
    "Cho",
    "Al-Sayed",
    "Ben-David",
    "Mendelsohn",
    "Ruiz",
    "Tremblay",
    "O'Shaughnessy",
    "Van Buskirk",
    "di Stefano",
    "McGillicuddy",
    "Nakamura",
    "Adeyemi",
    "Vasquez-Ortiz",
    "Lachance",
    "Pimentel",
    "Grzyb",
]
WORD_SURNAMES = [
    "Baker",
    "Rich",
    "Hill",
    "Frost",
    "Stone",
    "Young",
    "Moody",
    "Bush",
    "Fox",
    "Wolf",
    "Lane",
    "Marsh",
    "Sharp",
    "Price",
    "Wise",
    "Hardy",
    "Bright",
    "Small",
    "Love",
    "Church",
    "Glass",
    "Field",
    "Strong",
    "Noble",
]
NICKNAMES = ["Bud", "Sully", "Tiny", "Red", "Skip", "Babe", "Sonny", "Chip", "Butch", "Dutch", "Lefty", "Peanut"]
HOSPITALS = [
    ("Merrow Valley Hospital", "MVH", "Merrow"),
    ("St. Brigid's Medical Center", "SBMC", "St. Brigid's"),
    ("Kellerton General Hospital", "KGH", "Kellerton General"),
    ("Ashgrove Memorial Hospital", "AMH", "Ashgrove"),
    ("Penwick Regional Medical Center", "PRMC", "Penwick"),
    ("Tallow Creek Hospital", "TCH", "Tallow Creek"),
    ("Our Lady of Quell Hospital", "OLQ", "Our Lady"),
    ("Sable Harbor Medical Center", "SHMC", "Sable Harbor"),
    ("Cobb-Lanier Hospital", "CLH", "Cobb-Lanier"),
    ("Northfold Deaconess Hospital", "NFDH", "Northfold"),
    ("Greyfriars Community Hospital", "GCH", "Greyfriars"),
    ("Mount Hollins Hospital", "MHH", "Mt Hollins"),
]
WARDS = [
    "Farnsworth 6",
    "Ellery 4 North",
    "Whitcomb 3",
    "Lindell 7",
    "Rowe 5 South",
    "Baxter 8",
    "Tanager 2",
    "Kittredge 9",
    "Holloway 4",
    "Pemberton 10",
]
REHABS = [
    "Hollis Pond Rehab",
    "Cedar Ledge Rehabilitation Center",
    "Marchmont Rehab",
    "Quarry Hill Skilled Nursing",
    "Wexley Crossing Rehab",
    "Larkin House",
    "Ravensfield Rehab Hospital",
    "Brightwater Subacute",
]
NURSING_HOMES = [
    ("Birchwood Manor", "Birchwood"),
    ("Sisters of Alder Nursing Home", "Sisters of Alder"),
    ("Pinecrest Commons", "Pinecrest"),
    ("Saltmarsh Village Nursing Home", "Saltmarsh"),
    ("Oakhurst Care Center", "Oakhurst"),
    ("Fieldstone Terrace", "Fieldstone"),
    ("Juniper Knoll Nursing and Rehab", "Juniper Knoll"),
    ("Greywell Gardens", "Greywell"),
]
TOWNS = [
    "Quarry Falls",
    "Westbrook",
    "Dunmore",
    "Hatchville",
    "Reading",
    "Orange",
    "Florence",
    "Canton",
    "Dover",
    "Bath",
    "Derby",
    "Marion",
    "Warren",
    "Easton",
    "Sharon",
    "Hull",
    "Ware",
    "Grafton",
    "Ayer",
    "Kettle Hill",
    "Fenwick Square",
    "Lowry Mills",
    "East Ludgate",
    "Pocasset Neck",
    "Sudbrook",
    "Holliston",
]
STREET_NAMES = [
    "Larkspur",
    "Quimby",
    "Orchard Hill",
    "Wexford",
    "Partridge",
    "Cottage",
    "Old Mill",
    "Tanglewood",
    "Brandywine",
    "Fairmount",
    "Sumner",
    "Chickering",
    "Pleasant",
    "Water",
    "Elm",
]
STREET_SUFFIX = ["St", "Rd", "Ave", "Ln", "Way", "Terr", "Circle", "Street", "Road", "Drive", "Pl"]
MONTHS = list(calendar.month_name)[1:]
MON3 = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec"]
WEEKDAYS = ["mon", "tues", "wed", "thurs", "fri", "sat", "sun", "Monday", "Tuesday", "Friday", "Sat"]

REL_SPOUSE = ["wife", "wfe", "wief", "husband", "hsuband", "husb", "hubby", "spouse", "partner", "gf", "boyfriend"]
REL_CHILD = ["daughter", "dtr", "dau", "dughter", "daugher", "son", "sone", "stepson", "step-daughter", "dtr in law"]
REL_OTHER = [
    "sister",
    "sis",
    "sistr",
    "brother",
    "bro",
    "niece",
    "nephew",
    "neice",
    "granddaughter",
    "grandson",
    "friend",
    "neighbor",
    "cousin",
    "aunt",
    "HCP",
    "hcp",
    "proxy",
    "mother",
    "mom",
    "dad",
]

Seg = tuple[str, str | None, str]  # text, gold type (None = not PHI), kind


# ---------------------------------------------------------------- slot generators
def _first(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.28:
        return rng.choice(WORD_NAMES)
    return rng.choice(FEMALE if r < 0.64 else MALE)


def _surname(rng: random.Random) -> str:
    return rng.choice(WORD_SURNAMES) if rng.random() < 0.22 else rng.choice(SURNAMES)


def _md(rng: random.Random) -> tuple[int, int]:
    return rng.randint(1, 12), rng.randint(1, 28)


def _ordinal(d: int) -> str:
    suf = "th" if 10 <= d % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")
    return f"{d}{suf}"


def _date(rng: random.Random) -> list[Seg]:
    m, d = _md(rng)
    yy = rng.randint(5, 24)
    shape = rng.randrange(13)
    if shape == 0:
        return [(f"{m}/{d}", "DATE", "md_slash")]
    if shape == 1:
        return [(f"{m}-{d}", "DATE", "md_dash")]
    if shape == 2:
        return [(f"{m}/{d}/{yy:02d}", "DATE", "mdy2")]
    if shape == 3:
        return [(f"{m:02d}/{d:02d}/20{yy:02d}", "DATE", "mdy4")]
    if shape == 4:
        return [(f"{rng.choice(MONTHS)} {d}", "DATE", "month_name")]
    if shape == 5:
        return [(f"{rng.choice(MON3)} {_ordinal(d)}", "DATE", "month_name")]
    if shape == 6:
        return [(f"{d} {rng.choice(MON3)}", "DATE", "day_month")]
    if shape == 7:
        return [(f"{rng.choice(MONTHS).lower()} {d}", "DATE", "month_name")]
    if shape == 8:
        return [(f"{m}.{d}", "DATE", "md_dot")]
    if shape == 9:
        return [(f"{rng.choice(MON3)}. {d}", "DATE", "month_name")]
    if shape == 10:
        return [(f"{rng.choice(MONTHS)} 20{yy:02d}", "DATE", "month_year")]
    if shape == 11:
        return [(f"{m}/{d}/20{yy:02d}", "DATE", "mdy4")]
    return [(f"{m}/{d}", "DATE", "md_slash")]


def _md_slash(rng: random.Random) -> list[Seg]:
    m, d = _md(rng)
    return [(f"{m}/{d}", "DATE", "md_slash")]


def _date_range(rng: random.Random) -> list[Seg]:
    m, d = _md(rng)
    d2 = min(28, d + rng.randint(1, 5))
    if rng.random() < 0.5:
        return [(f"{m}/{d}", "DATE", "range"), ("-", None, ""), (f"{m}/{d2}", "DATE", "range")]
    return [
        (f"{m}/{d}", "DATE", "range"),
        (rng.choice([" to ", " thru ", "->"]), None, ""),
        (f"{m}/{d2}", "DATE", "range"),
    ]


def _ord(rng: random.Random) -> list[Seg]:
    return [(_ordinal(rng.randint(1, 28)), "DATE", "ordinal")]


def _weekday_date(rng: random.Random) -> list[Seg]:
    m, d = _md(rng)
    sep = rng.choice([" ", " ", "-", " "])
    return [(rng.choice(WEEKDAYS), None, ""), (sep, None, ""), (f"{m}/{d}", "DATE", "weekday_date")]


def _age(rng: random.Random) -> list[Seg]:
    a = str(rng.randint(90, 104))
    shape = rng.randrange(10)
    if shape == 0:
        return [(a, "AGE", "age"), (" yo", None, "")]
    if shape == 1:
        return [(a, "AGE", "age"), ("yo", None, "")]
    if shape == 2:
        return [(a, "AGE", "age"), (" y/o", None, "")]
    if shape == 3:
        return [(a, "AGE", "age"), ("-year-old", None, "")]
    if shape == 4:
        return [("age ", None, ""), (a, "AGE", "age")]
    if shape == 5:
        return [(a, "AGE", "age"), (" yr old", None, "")]
    if shape == 6:
        return [(a, "AGE", "age"), (rng.choice(["F", "M", " F", " M"]), None, "")]
    if shape == 7:
        return [
            (rng.choice(["ninety-one", "ninety two", "ninety-six", "ninety"]), "AGE", "age_words"),
            (" year old", None, ""),
        ]
    if shape == 8:
        return [(a, "AGE", "age"), (" years old", None, "")]
    return [("aged ", None, ""), (a, "AGE", "age")]


def _pager(rng: random.Random) -> list[Seg]:
    shape = rng.randrange(6)
    n4 = rng.randint(1000, 9999)
    if shape == 0:
        return [("pgr ", None, ""), (f"{rng.randint(2, 8)}-{n4}", "PHONE", "pager")]
    if shape == 1:
        return [("pager #", None, ""), (f"{rng.randint(10000, 99999)}", "PHONE", "pager")]
    if shape == 2:
        return [("beeper ", None, ""), (f"{rng.randint(2, 8)}-{n4}", "PHONE", "pager")]
    if shape == 3:
        return [("p", None, ""), (f"{n4}", "PHONE", "pager")]
    if shape == 4:
        return [("beeper # ", None, ""), (f"{n4}", "PHONE", "pager")]
    return [("pg ", None, ""), (f"{rng.randint(100, 999)}-{n4}", "PHONE", "pager")]


def _ext(rng: random.Random) -> list[Seg]:
    n = str(rng.randint(1000, 9999))
    shape = rng.randrange(4)
    if shape == 0:
        return [("x", None, ""), (n, "PHONE", "ext")]
    if shape == 1:
        return [("ext ", None, ""), (n, "PHONE", "ext")]
    if shape == 2:
        return [("ext.", None, ""), (n, "PHONE", "ext")]
    return [("x ", None, ""), (n, "PHONE", "ext")]


def _phone(rng: random.Random) -> list[Seg]:
    a, b, c = rng.randint(201, 989), rng.randint(200, 989), rng.randint(1000, 9999)
    shape = rng.randrange(6)
    txt = [f"{a}-{b}-{c}", f"({a}) {b}-{c}", f"{a} {b} {c}", f"{b}-{c}", f"{a}.{b}.{c}", f"({a}){b}-{c}"][shape]
    return [(txt, "PHONE", "phone")]


def _mrn(rng: random.Random) -> list[Seg]:
    shape = rng.randrange(3)
    if shape == 0:
        return [("MRN ", None, ""), (str(rng.randint(1000000, 9999999)), "ID", "mrn")]
    if shape == 1:
        return [
            ("med rec # ", None, ""),
            (f"{rng.randint(100, 999)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}", "ID", "mrn"),
        ]
    return [("unit no:", None, ""), (str(rng.randint(100000, 999999)), "ID", "mrn")]


def _street(rng: random.Random) -> list[Seg]:
    num = rng.randint(3, 990)
    txt = f"{num} {rng.choice(STREET_NAMES)} {rng.choice(STREET_SUFFIX)}"
    if rng.random() < 0.25:
        txt += f" apt {rng.randint(1, 40)}"
    return [(txt, "LOCATION", "street")]


def _initials(rng: random.Random) -> list[Seg]:
    a, b = rng.choice("ABCDEGHJKLMNPRSTW"), rng.choice("ABCDEFGHKLMNOPRSTVW")
    txt = rng.choice([f"{a}{b}", f"{a}.{b}.", f"{a}{b}", f"{a}.{b}", f"{a}{b.lower()}"])
    return [(txt, "NAME", "initials")]


def _rel_name(rng: random.Random, cast: dict[str, str], rel: list[str], key: str) -> list[Seg]:
    name = cast.setdefault(key, _first(rng))
    sep = rng.choice([" ", " ", " ", "(", "-", ":", " - ", ", ", "/"])
    segs: list[Seg] = [(rng.choice(rel), None, ""), (sep, None, ""), (name, "NAME", "family_first")]
    if sep == "(":
        segs.append((")", None, ""))
    return segs


class _Slots:
    """Fills ``{SLOT}`` placeholders; per-note cast so the same person/place repeats within a note."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.cast: dict[str, str] = {}
        hosp = rng.choice(HOSPITALS)
        self.hosp = hosp
        self.nh = rng.choice(NURSING_HOMES)

    def _keep(self, key: str, make: Callable[[], str]) -> str:
        if key not in self.cast:
            self.cast[key] = make()
        return self.cast[key]

    def fill(self, slot: str) -> list[Seg]:
        rng = self.rng
        fixed: dict[str, Callable[[], list[Seg]]] = {
            "PT": lambda: [(self._keep("pt", lambda: _first(rng)), "NAME", "patient_first")],
            "PTL": lambda: [(self._keep("ptl", lambda: _surname(rng)), "NAME", "patient_surname")],
            "PTFULL": lambda: [
                (
                    self._keep("pt", lambda: _first(rng)) + " " + self._keep("ptl", lambda: _surname(rng)),
                    "NAME",
                    "patient_full",
                )
            ],
            "NICK": lambda: [(self._keep("nick", lambda: rng.choice(NICKNAMES)), "NAME", "nickname")],
            "SPOUSE": lambda: _rel_name(rng, self.cast, REL_SPOUSE, "spouse"),
            "CHILD": lambda: _rel_name(rng, self.cast, REL_CHILD, "child"),
            "OTHER": lambda: _rel_name(rng, self.cast, REL_OTHER, "other"),
            "FAM": lambda: [
                (self._keep(rng.choice(["spouse", "child", "other"]), lambda: _first(rng)), "NAME", "family_first")
            ],
            "FAM2": lambda: [(self._keep("fam2", lambda: _first(rng)), "NAME", "family_first")],
            "RN": lambda: [(self._keep("rn", lambda: _first(rng)), "NAME", "staff_first")],
            "RN2": lambda: [(self._keep("rn2", lambda: _first(rng)), "NAME", "staff_first")],
            "RES": lambda: [(self._keep("res", lambda: _first(rng)), "NAME", "staff_first")],
            "MD": lambda: [(self._keep("md", lambda: _surname(rng)), "NAME", "staff_surname")],
            "MD2": lambda: [(self._keep("md2", lambda: _surname(rng)), "NAME", "staff_surname")],
            "SWFULL": lambda: [(self._keep("sw", lambda: f"{_first(rng)} {_surname(rng)}"), "NAME", "staff_full")],
            "FIRST": lambda: [(_first(rng), "NAME", "first")],
            "WN": lambda: [(self._keep("wn", lambda: rng.choice(WORD_NAMES)), "NAME", "word_name")],
            "SUR": lambda: [(_surname(rng), "NAME", "surname")],
            "FULL": lambda: [(f"{_first(rng)} {_surname(rng)}", "NAME", "full")],
            "INIT": lambda: _initials(rng),
            "HOSP": lambda: [(self.hosp[0], "LOCATION", "hospital")],
            "HOSPI": lambda: [(self.hosp[1], "LOCATION", "hosp_initials")],
            "HOSPN": lambda: [(self.hosp[2], "LOCATION", "hosp_nickname")],
            "HOSP2": lambda: [(self._keep("hosp2", lambda: rng.choice(HOSPITALS)[0]), "LOCATION", "hospital")],
            "WARD": lambda: [(self._keep("ward", lambda: rng.choice(WARDS)), "LOCATION", "ward")],
            "REHAB": lambda: [(self._keep("rehab", lambda: rng.choice(REHABS)), "LOCATION", "rehab")],
            "NH": lambda: [(self.nh[0], "LOCATION", "nursing_home")],
            "NHB": lambda: [(self.nh[1], "LOCATION", "nursing_home_bare")],
            "TOWN": lambda: [(self._keep("town", lambda: rng.choice(TOWNS)), "LOCATION", "town")],
            "TOWN2": lambda: [(self._keep("town2", lambda: rng.choice(TOWNS)), "LOCATION", "town")],
            "STREET": lambda: _street(rng),
            "DATE": lambda: _date(rng),
            "MDS": lambda: _md_slash(rng),
            "RANGE": lambda: _date_range(rng),
            "ORD": lambda: _ord(rng),
            "WKD": lambda: _weekday_date(rng),
            "AGE": lambda: _age(rng),
            "PGR": lambda: _pager(rng),
            "EXT": lambda: _ext(rng),
            "PHONE": lambda: _phone(rng),
            "MRN": lambda: _mrn(rng),
        }
        return fixed[slot]()


_SLOT = re.compile(r"\{([A-Z0-9]+)\}")


def _render(template: str, slots: _Slots) -> list[Seg]:
    out: list[Seg] = []
    pos = 0
    for m in _SLOT.finditer(template):
        if m.start() > pos:
            out.append((template[pos : m.start()], None, ""))
        out.extend(slots.fill(m.group(1)))
        pos = m.end()
    if pos < len(template):
        out.append((template[pos:], None, ""))
    return out


# ---------------------------------------------------------------- sentence pools by note type / section
NEURO = [
    "A&Ox3, MAE, follows commands. PERRL 3mm brisk.",
    "lethargic but arousable to voice, oriented to self only. RASS -1.",
    "sedated on propofol 30mcg/kg/min, RASS -2, + cough/gag.",
    "{PT} restless overnight, pulling at lines, haldol 2mg IV x1 w/ good effect.",
    "pt calls self {NICK}, responds better to it than to {PT}.",
    "{PT} oriented x2, thinks it is {DATE}. reoriented.",
    "CIWA 4-6, no ativan needed. denies hallucinations.",
    "{PT} AWARE of plan, nods appropriately. moving all ext.",
    "intermittently confused, asking for {FAM} repeatedly.",
    "pain 4/10 incisional, dilaudid 0.5mg IV prn w/ relief. CPOT 1.",
]
CV = [
    "NSR 70s-80s, no ectopy. SBP 100-120s. +2 pulses all ext.",
    "afib RVR 130s at 0300, lopressor 5mg IV x2, now rate 90s.",
    "levophed weaned off at 1400, MAP >65. art line dampened, re-zeroed.",
    "K 3.4 repleted w/ 40meq KCL, Mg 1.8 repleted 2gm.",
    "CVP 8-10. swan d/c'd per Dr. {MD}. CI 2.4.",
    "HR 50s sinus brady, asymptomatic, Dr.{MD} aware.",
    "BP labile overnight, MD {RES} notified, fluid bolus 500cc NS given.",
    "trop trending down. EP (Dr {MD2}) to see re pacer on {MDS}.",
]
RESP = [
    "LS coarse bilat, dim bases. sx'd for thick tan secretions.",
    "vent AC 500x14 PEEP 5 FiO2 40%, ABG 7.38/42/98.",
    "weaned to PS 10/5, tol well. RSBI 62. hope to extubate in am.",
    "extubated {MDS} @ 1000 to 4L NC, sats 95%. strong cough.",
    "on bipap 12/5 overnight, will try NC in am. RT {RN2} aware.",
    "trach collar 40% FiO2, trach care done, inner cannula changed.",
    "CXR shows improving LLL infiltrate per {RES}.",
    "desat to 85% @0400 w/ repositioning, back to 94% on 6L.",
]
GI = [
    "abd soft, NT/ND, +BS. TF (Nutren 2.0) @ 40cc/hr goal 55, residuals <50.",
    "no BM since {ORD}, colace/senna given. dulcolax supp if none by am.",
    "foley draining clear yellow urine 40-60cc/hr. Cr 1.4 from 1.8.",
    "NPO after MN for IR procedure {WKD}.",
    "OGT to LIS w/ bilious output 200cc. protonix IV.",
    "incontinent of loose stool x3, C diff sent {MDS}.",
    "FS 140-180, RISS coverage. lantus 20u at hs.",
    "frank blood per rectum x1 small, team aware, hct recheck at 2200.",
]
SKIN = [
    "coccyx stage II 2x3cm, mepilex applied. turned q2h.",
    "R heel boggy, heels floated on pillows. braden 13.",
    "incision c/d/i, staples intact. JP w/ 30cc serosang.",
    "L IJ TLC site c/d/i, dsg changed {MDS}.",
    "skin tear R forearm from transfer, steri-strips applied, mark on dressing outlined.",
    "groin site soft, no hematoma, dsg dry.",
]
IDS = [
    "Tmax 101.2, cx'd x2, urine sent. vanc/zosyn cont.",
    "afebrile. WBC 14 from 17. on day 5/7 cefepime.",
    "MRSA+ nares, on contact precautions.",
    "ID (Dr. {MD2}) recs: change to meropenem, ID fellow {PGR}.",
]
SOCIAL = [
    "{SPOUSE} in to visit, updated by team. very supportive.",
    "{CHILD} called x2 overnight, updated on status. #{PHONE}.",
    "{CHILD} is HCP, wants full code for now, family mtg planned for {WKD}.",
    "visitors today: {FIRST}, {FIRST} and {FIRST} ({OTHER}).",
    "{FAM} states she will be in tomorrow after work. {FAM} aware of plan.",
    "{OTHER} visited from {TOWN}, went home at 2100.",
    "family (wife {FAM}, sons {FIRST}/{FIRST}) at bedside most of day.",
    "pt lives w/ {SPOUSE} in {TOWN}, has 3 children, retired from the post office.",
    "{FAM} called, wanted to know about the plan re trach/peg. told her team will call.",
    "{SPOUSE} at bedside, tearful, emotional support given. {FAM} asking for chaplain.",
    "{FAM} + {FAM2} in this afternoon, spoke w/ Dr. {MD} re goals of care.",
    "lots of family in today, {FIRST}/{FIRST}/{FIRST}, limited to 2 at bedside at a time.",
    "callers: {OTHER}, {CHILD}, friend {FIRST} from church.",
    "son-{FIRST} called from {TOWN2}, flying in on {DATE}.",
    "{FAM} wants to be called w/ any changes, cell {PHONE}.",
    "{FAM} very anxious, asked many ?'s, d/w {RES}.",
    "spoke w/ {CHILD} on phone, she is the main contact, lives in {TOWN}.",
]
DISPO = [
    "remains in MICU, full code.",
    "screening for {REHAB} vs {NHB} when medically ready.",
    "plan to return to {NH} when stable, they will hold bed until {MDS}.",
    "possible c/o to {WARD} in am if remains stable.",
    "CM following, awaiting bed at {REHAB}.",
    "may go to floor tomorrow, {WARD} has a bed.",
    "pt was at {NHB} prior to admission, LTC resident x2 yrs.",
    "likely d/c back to {NHB} {WKD}.",
]
PLAN = [
    "cont current plan, wean vent as tol, f/u am labs.",
    "will f/u w/ team re lasix gtt. cont to monitor.",
    "family mtg {WKD} @ 1400 with Dr. {MD}, {SWFULL} from SW.",
    "OOB to chair, PT to eval. monitor lytes.",
    "hold TF at MN for trach/PEG {DATE}.",
    "may need HD if Cr cont to rise. renal following.",
    "report given to {RN2}. see flowsheet for details.",
    "continue to update {FAM}.",
]
SIGN = [
    "{RN} RN",
    "--{RN}",
    "{INIT} RN",
    "{FULL}, RN",
    "{RN}, rn",
    "/{INIT}",
    "{RN} {SUR} RN BSN",
    "- {RN}.",
    "{INIT}/rn",
    "signed: {RN}",
]

RT_POOL = [
    "RT note: pt remains on AC 450x16 PEEP 8 40%. BS coarse, sx'd mod amt. plan to wean PEEP.",
    "Resp care: pt placed on CPAP 5/PS 5 @0800, tol x2 hrs, RSBI 48. MD {RES} aware, will extubate.",
    "RT: trach changed to #8 shiley by Dr. {MD} on {MDS}, no complications.",
    "ABG on current settings 7.44/38/88. no changes per {RES}.",
    "nebs q4 albuterol/atrovent, BS improved post neb. will cont.",
    "pt self-extubated at 0230, placed on 50% face tent, sats 93%. covering {RES} notified, {PGR}.",
    "RT {RN} to follow for possible BiPAP overnight.",
    "pt trialed on passy-muir valve w/ SLP {FIRST}, tol 20 min.",
    "sputum sent {MDS}. plan: wean to trach mask today, f/u ABG.",
]
SW_POOL = [
    "SW note: met w/ {SPOUSE} and {CHILD} at bedside. family coping appropriately.",
    "pt is {AGE}, widowed, lives alone at {STREET} in {TOWN}, daughter {FAM2} checks in daily.",
    "HCP form on chart, HCP is {CHILD} (cell {PHONE}), alternate is {OTHER}.",
    "family meeting held {WKD} w/ Dr. {MD}, {RN}, SW, {FAM} and {FAM2}. Decision made for CMO.",
    "insurance: Medicare A/B, secondary pending. {FAM} to bring cards.",
    "referrals sent to {REHAB} and {NH}, pending.",
    "spoke w/ admissions at {NHB} (contact {FULL} {EXT}), they can take pt {DATE}.",
    "{CHILD} reports pt was falling at home in {TOWN}, states 'we cant do it anymore'.",
    "pt's {OTHER} lives on {STREET}, will help with transportation.",
    "SW will f/u {WKD}. SW {PGR}.",
    "screened by {FULL} from {REHAB} liaison, accepted pending insurance auth.",
    "per {FAM}, pt goes by {NICK}. was a machinist at the mill in {TOWN} for 40 yrs.",
    "{FAM} tearful, grief support given, chaplain {FIRST} paged.",
    "case discussed w/ {SWFULL}, CM, re LTC application.",
    "Elder services in {TOWN2} already involved, worker is {FULL} {PHONE}.",
]
ADMIT_POOL = [
    "Pt is a {AGE} w/ hx CHF, COPD, DM2, transferred from {HOSP} for further mgmt of resp failure.",
    "pt transferred from {HOSPN} ED on {DATE} after being found down at home by {CHILD}.",
    "PCP Dr. {MD} in {TOWN}. cardiologist Dr {MD2} at {HOSPI}.",
    "pt was at {HOSPI} {RANGE} for PNA, d/c'd to {REHAB}, now readmitted.",
    "came via med flight from {HOSP}, intubated at OSH.",
    "lives in {TOWN} w/ {SPOUSE}. former smoker. EtOH socially.",
    "allergies: PCN (rash), sulfa. code status: DNR/DNI confirmed w/ {CHILD}.",
    "{MRN}. admitted to MICU bed 6 from {HOSPN} on {MDS} @ 2300.",
    "recent admit to {HOSP2} in {DATE} for GI bleed.",
    "hx per {OTHER} at bedside as pt poor historian.",
    "brought in by {TOWN} EMS from {NH}.",
]
NUTR_POOL = [
    "Nutrition: pt {PTL} w/ ht 165cm wt 82kg, IBW 62kg. TF Jevity 1.2 @ 60 meets 100% needs.",
    "RD f/u: TF held x2 for procedures, recommend advance to goal. will f/u {WKD}.",
    "diet advanced to ground solids/nectar thick per SLP {FIRST} on {MDS}.",
    "pt {AGE}, poor po intake per {FAM}, recommend ensure TID.",
    "RD {RN} {PGR}.",
]
PT_POOL = [
    "PT: pt seen for eval, max A x2 for bed mobility, sat EOB 5 min. rec rehab.",
    "OT: ADLs mod A. pt motivated, asking for {FAM}. rec {REHAB} vs home w/ services.",
    "PT/OT cotreat w/ {FIRST} (OT). amb 20ft w/ RW, min A.",
    "pt lives in 2 story home in {TOWN}, 5 steps to enter, {SPOUSE} can assist.",
    "will follow 3-5x/wk. d/c rec: acute rehab ({REHAB}).",
]
NIGHT_POOL = [
    "uneventful noc. VSS. slept in naps. {RN}",
    "quiet night, {FAM} called @ 0200, updated. {INIT}",
    "pt slept well, no c/o. report to {RN2} at 0700.",
    "NOC: afebrile, sats 96% 2L, no events. covering: {RES}.",
    "no acute events overnight. {SPOUSE} called to check in.",
    "pt up most of night asking for {FAM}, reassured. {RN}",
    "0400 labs sent. K 3.6. handed off to {RN2}. - {RN}",
    "quiet noc, will f/u w/ day team. per:{RES} ok to give ambien.",
]
EVENT_POOL = [
    "EVENT NOTE: at 0315 pt found w/ HR 40s, SBP 70s. code blue called, atropine x1, ROSC. Dr. {MD} and "
    "{RES} at bedside. {SPOUSE} notified by phone.",
    "Event: pt fell from chair at 1500, no LOC, CT head neg. {CHILD} notified. Incident report filed.",
    "rapid response called @2100 for hypotension, 2L NS, to MICU. family ({FAM}) aware.",
    "at approx 1100 pt pulled out NGT. Dr.{MD} aware, replaced by {RES}, placement confirmed by KUB.",
    "pt expired at 0512 on {DATE}. {CHILD} and {FAM2} at bedside. Dr. {MD} pronounced. NEBOP notified.",
]
ADDENDUM_POOL = [
    "ADDENDUM: {FAM} called back, will be in at 1000. pls page {RES} when she arrives.",
    "addendum: late entry for {DATE}. pt received blood 1u PRBC, no rxn.",
    "Addendum - spoke w/ Dr {MD} re CT results, no change in plan.",
    "addendum {MDS}: {HOSPI} records obtained, faxed to chart.",
    "ADDENDUM: {OTHER} states pt was living at {NH} until {MDS}.",
]
MISC_PHI = [
    "pt is {AGE} and was independent until {ORD} of last month.",
    "surg team (Dr {MD}, res {RES}) saw pt {MDS} @ 0700.",
    "{PT} {PTL} ok w/ plan, signed consent.",
    "covering {RES} aware, {PGR}.",
    "discussed w/ {RES} (covering intern) and night float {FIRST}.",
    "called {EXT} for bed, spoke w/ {FIRST} in admitting.",
    "pt's PCP {FULL} called, # {PHONE}.",
    "{WN} visited today, brought photos.",
    "per {WN}, pt was more confused at home since {MDS}.",
    "{WN} called, aware of plan.",
    "last seen normal {WKD} per {FAM}.",
    "prior admit {RANGE} at {HOSPI}.",
    "{PTL} family very involved.",
    "Mr. {PTL} states he wants to go home to {TOWN}.",
    "Mrs.{PTL} asking for her glasses.",
    "pt's niece from {TOWN2} called, {FIRST}, she is an RN at {HOSP2}.",
    "{RN} (charge) aware. {RN2} to take pt at 1900.",
    "{FAM} AWARE OF PLAN, WILL CALL IN AM.",
    "pt was transferred from {HOSPN} {ORD} after CT showed SDH.",
    "old records from {HOSPI} requested, fax {PHONE}.",
    "pt moved to {WARD} on {MDS}, back to unit {MDS} for resp distress.",
    "pt from {NH} in {TOWN}.",
]

PHI_FREE = [
    "frank blood noted in foley, CBI started, urology aware.",
    "will f/u in am w/ team, will recheck lytes.",
    "hope to wean to PS tomorrow if tolerated.",
    "mark on dressing drawn at 0200, no extension.",
    "may need to go back to OR. may advance diet as tolerated.",
    "art line R radial, good waveform, art line re-zeroed.",
    "insurance grace period ends soon per CM, no PHI discussed.",
    "Swan-Ganz d/c'd, Cordis left in place.",
    "Glasgow coma scale 10T. RASS -2. CAM-ICU negative.",
    "hx Parkinson's disease, on sinemet. hx Alzheimer's dementia.",
    "Hickman site c/d/i. PICC double lumen, flushes well.",
    "levophed 0.08, vasopressin 0.04, precedex 0.4.",
    "bair hugger on for temp 35.2. posey vest not needed.",
    "dobhoff placed, KUB confirms placement. PEG site clean.",
    "kerlix wrap to LLE. duoderm to coccyx. allevyn to sacrum.",
    "braden 14. morse fall score 45. CPOT 0.",
    "PEEP 5, AC 500x14, PS 10/5, FiO2 40%.",
    "murphy's sign neg. homan's sign neg.",
    "trendelenburg for line placement. HOB 30 degrees, fowler's position.",
    "hoyer lift to chair with 2 assist. miami J collar on at all times.",
    "JP drain 40cc serosanguinous. blake drain x2. pleur-evac to -20 sx, no air leak.",
    "pt sunny disposition today, cooperative w/ care.",
    "rose to 101.2 at 1600, tylenol given.",
    "bill of rights reviewed. will sign consent in am.",
    "grace period for meds reviewed w/ pharmacy.",
    "drew labs at 0400 from art line.",
    "heather-colored sputum? no, tan thick secretions.",
    "pt is 78 yo, mentation at baseline. hx CABG 2009.",
    "since 2015 on home O2 2L.",
    "cath lab at 1300, groin site soft. back to CCU.",
    "MICU team aware. SICU resident to see. rehab screening to start.",
    "Foley d/c'd at 0600, DTV by 1400.",
    "wolf-parkinson-white on EKG hx, EP aware.",
    "lane change: moved from bed 4 to bed 8 for isolation.",
    "art: pt did art therapy w/ OT, enjoyed it.",
    "hunter's canal block by anesthesia, sensation returning.",
    "Glenn shunt hx as child per records. Fontan not done.",
    "cont Lasix 40mg IV BID, I/O -1.2L.",
    "Tues: labs pending. Mon: CT done. Fri: family mtg to be scheduled.",
    "Coumadin held for INR 3.4. Heparin gtt @ 1200 units/hr.",
    "CIWA protocol. thiamine/folate/MVI.",
    "Ambu bag and suction at bedside. Yankauer in place.",
    "Jackson-Pratt emptied x2. Penrose drain intact.",
    "Bennett vent alarms checked. Servo-i vent in use.",
    "Gram stain GPC in clusters. sensi pending.",
    "Chem 7 at 1600. CBC and coags in am.",
    "pt's mood brighter, joy in seeing pet therapy dog.",
    "ivy: poison ivy rash on arms, hydrocortisone cream.",
    "patience needed with care, pt very HOH.",
    "dawn labs drawn. AM rounds at 0900.",
    "pt wants to know if he will be home for summer.",
    "crystal-clear urine now after CBI. amber urine earlier.",
    "K rich diet discussed. low sodium diet.",
    "sterling silver ring removed, given to family in bag.",
    "pearl-like lesion noted on nose, derm f/u as outpt.",
    "ruby red blood in ostomy bag, GI aware.",
    "violet discoloration of toes, pulses dopplerable.",
    "misty sputum, clear. brook no further delay on CT per radiology.",
    "frost bite hx to toes. stone in R kidney on CT.",
    "pt prefers to be called by first name.",
    "family updated by team at bedside. daughter aware.",
    "wife at bedside, son called, plan reviewed.",
    "SW following for dispo. CM aware. rehab vs LTC.",
    "PT/OT eval done. rec acute rehab.",
    "chaplain visited. pt is catholic, requests sacrament of the sick.",
    "pt unsure of date. oriented x2.",
    "pgr system down 0200-0300, used phone.",
    "ext 0 for operator. call x0 if needed.",
    "vent settings: AC 16 x 450, PEEP 10, FiO2 60%, RR 16.",
    "BP 118/64 HR 88 RR 18 T 98.6 sats 97% 2L.",
    "I/O +450/-1200. UO 30-50cc/hr.",
    "Na 134 K 4.1 Cl 101 CO2 24 BUN 32 Cr 1.6 Glu 188.",
    "CXR 1/2 way improved per team.",
    "TF @ 3/4 strength, advance to full in am.",
    "pt 5'7\", 180 lbs. BMI 28.",
    "APACHE II 22. SOFA 8. GCS 11.",
    "Mark 7 crash cart checked. Pyxis restocked.",
    "Angel's trumpet ingestion ruled out per tox.",
    "Graves disease hx, on methimazole. Hashimoto's ruled out.",
    "Addison's crisis ruled out, stim test normal.",
    "Cushing's triad not present. no Battle sign.",
    "Chvostek and Trousseau signs negative.",
    "Kussmaul resp resolved. Cheyne-Stokes at times noted.",
    "Rhonchi clear w/ cough. Babinski downgoing.",
    "Xarelto held. Eliquis to start. Plavix cont.",
    "Zosyn/Vanco. Flagyl d/c'd. Diflucan added.",
    "Will wean drip. Will need more KCl. Will call team.",
    "Frank discussion w/ family about goals, they need time.",
    "May consider trach. May hold lasix.",
    "Hope is to get home. Grace and kindness shown by family.",
    "Bill given to family for parking validation.",
    "Art line waveform dampened, flushed.",
    "Rose, pink frothy sputum? no, tan. Ruby-colored urine resolved.",
    "Sunny skies outside, pt looking out window.",
    "Lane 2 of CT scanner used. Wolf sign neg.",
    "Drew up insulin, double checked w/ second RN.",
]
HEADER = [
    "NPN 7a-7p",
    "Nursing Progress Note 1900-0700",
    "MICU NPN",
    "CCU Nursing note",
    "SICU RN note:",
    "Nursing Note",
    "NPN noc",
    "npn 7p-7a",
    "T/SICU NPN",
    "CSRU nursing progress note",
]


def _case(text: str, style: str) -> str:
    if style == "caps":
        return text.upper()
    if style == "lower":
        return text.lower()
    return text


def _assemble(parts: list[list[Seg]], case: str, rng: random.Random, rec_id: str, style: str) -> dict[str, Any]:
    text = ""
    spans: list[dict[str, Any]] = []
    for line in parts:
        for seg_text, typ, kind in line:
            t = _case(seg_text, case)
            if typ and case == "mixed" and rng.random() < 0.08:
                t = t.lower()  # fast typist: a name in lower case in a mixed-case note
            if typ:
                spans.append({"start": len(text), "end": len(text) + len(t), "type": typ, "value": t, "kind": kind})
            text += t
        text += rng.choice(["\n", "\n", " ", "  "])
    return {"id": rec_id, "text": text.rstrip(), "spans": spans, "style": style}


def _section(label: str, pool: list[str], k: int, rng: random.Random, slots: _Slots) -> list[Seg]:
    sents = rng.sample(pool, min(k, len(pool)))
    body: list[Seg] = []
    for i, s in enumerate(sents):
        if i:
            body.append((" ", None, ""))
        body.extend(_render(s, slots))
    sep = rng.choice([": ", ":", " - ", ": ", "- "])
    return [(label + sep, None, "")] + body


def _npn(rng: random.Random, slots: _Slots) -> list[list[Seg]]:
    head = _render(rng.choice(HEADER) + rng.choice([" {MDS}", " {DATE}", "", " {WKD}"]), slots)
    parts = [head]
    labels = [
        ("NEURO", NEURO),
        ("CV", CV),
        ("RESP", RESP),
        ("GI/GU", GI),
        ("ID", IDS),
        ("SKIN", SKIN),
        ("SOCIAL", SOCIAL),
        ("DISPO", DISPO),
        ("PLAN", PLAN),
    ]
    for lab, pool in labels:
        if rng.random() < 0.8 or lab in ("SOCIAL", "PLAN"):
            alt = {
                "NEURO": ["Neuro", "neuro", "NEURO"],
                "CV": ["CV", "C/V", "cv"],
                "RESP": ["RESP", "Resp", "Pulm"],
                "GI/GU": ["GI/GU", "GI", "gi/gu"],
                "ID": ["ID", "I.D."],
                "SKIN": ["SKIN", "Skin", "Integ"],
                "SOCIAL": ["SOCIAL", "Social", "FAMILY", "Family", "psychosocial", "Soc"],
                "DISPO": ["DISPO", "Dispo", "dispo"],
                "PLAN": ["PLAN", "Plan", "A/P", "plan"],
            }[lab]
            k = 2 if lab == "SOCIAL" else rng.choice([1, 1, 2])
            parts.append(_section(rng.choice(alt), pool, k, rng, slots))
    if rng.random() < 0.5:
        parts.append(_render(rng.choice(MISC_PHI), slots))
    parts.append(_render(rng.choice(SIGN), slots))
    return parts


def _pool_note(head: str, pool: list[str], k: int, rng: random.Random, slots: _Slots) -> list[list[Seg]]:
    first: list[Seg] = [(head, None, "")]
    parts = [first] if head else []
    for s in rng.sample(pool, min(k, len(pool))):
        parts.append(_render(s, slots))
    if rng.random() < 0.4:
        parts.append(_render(rng.choice(MISC_PHI), slots))
    if rng.random() < 0.7:
        parts.append(_render(rng.choice(SIGN), slots))
    return parts


NOTE_TYPES: list[tuple[str, float, Callable[[random.Random, _Slots], list[list[Seg]]]]] = [
    ("npn", 0.36, _npn),
    (
        "rt",
        0.08,
        lambda r, s: _pool_note(
            r.choice(["Respiratory Care", "RT NOTE", "Resp Tx:", ""]), RT_POOL, r.randint(2, 4), r, s
        ),
    ),
    (
        "social_work",
        0.14,
        lambda r, s: _pool_note(
            r.choice(["SW Note", "Social Work:", "CM note", "Case Mgmt"]), SW_POOL, r.randint(3, 6), r, s
        ),
    ),
    (
        "admission",
        0.1,
        lambda r, s: _pool_note(
            r.choice(["Admission Note", "ADMIT NOTE", "Nursing admission"]), ADMIT_POOL, r.randint(3, 5), r, s
        ),
    ),
    ("nutrition", 0.05, lambda r, s: _pool_note("Nutrition", NUTR_POOL, r.randint(2, 3), r, s)),
    ("pt_ot", 0.06, lambda r, s: _pool_note(r.choice(["PT Eval", "OT note", "PT/OT"]), PT_POOL, r.randint(2, 4), r, s)),
    ("night", 0.1, lambda r, s: _pool_note("", NIGHT_POOL, r.randint(1, 2), r, s)),
    ("event", 0.06, lambda r, s: _pool_note("", EVENT_POOL, 1, r, s)),
    ("addendum", 0.05, lambda r, s: _pool_note("", ADDENDUM_POOL, r.randint(1, 2), r, s)),
]
CASES = [("mixed", 0.5), ("caps", 0.3), ("lower", 0.2)]


def _pick(rng: random.Random, items: list[Any]) -> Any:
    x = rng.random() * sum(it[1] for it in items)
    for it in items:
        x -= it[1]
        if x <= 0:
            return it
    return items[-1]


def corpus(n: int = 300, seed: int = 83) -> list[dict[str, Any]]:
    """``n`` notes with gold PHI spans; deterministic for ``seed``."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        name, _, make = _pick(rng, NOTE_TYPES)
        case = _pick(rng, CASES)[0]
        parts = make(rng, _Slots(rng))
        out.append(_assemble(parts, case, rng, f"b7-{seed}-{i}", f"{name}/{case}"))
    return out


def phi_free(n: int = 100, seed: int = 89) -> list[dict[str, Any]]:
    """``n`` PHI-free notes in the same style, dense with look-alikes (spans empty)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        case = _pick(rng, CASES)[0]
        head = rng.choice(HEADER + ["RT note", "SW note", "Nutrition", "PT eval", ""])
        parts: list[list[Seg]] = [[(head, None, "")]] if head else []
        for s in rng.sample(PHI_FREE, rng.randint(3, 7)):
            parts.append([(s, None, "")])
        rec = _assemble(parts, case, rng, f"b7free-{seed}-{i}", f"phi_free/{case}")
        assert not rec["spans"]
        out.append(rec)
    return out
