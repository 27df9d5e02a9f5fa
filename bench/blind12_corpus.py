# ruff: noqa: E501
"""Twelfth blind corpus: PhysioNet-style ICU nursing notes (MIMIC-era CareVue progress notes), surrogate PHI.

Written before reading any detector rule, data list or other corpus. Other hands than a first attempt: trauma SICU,
neuro ICU, burn unit, CSRU, CCU, NICU/step-down nursery; shift notes by system, ``NPN`` headers, events, addenda,
RT notes, family meetings, code status talks, transfers, sign-offs; ALL CAPS, lower-case run-on text, mixed.
Surrogate names of many origins, invented towns, small-business employers, churches, schools and named units.
``corpus(n, seed)`` gives records ``{"id", "text", "spans", "style"}``; ``phi_free(n, seed)`` gives look-alike
notes with no PHI (spans empty).
"""

from __future__ import annotations

import calendar
import random
from collections.abc import Callable
from typing import Any

Seg = str | tuple[str, str, str]  # plain text, or (value, type, kind)

FIRST = [
    "Jean",
    "Linda",
    "Maureen",
    "Dolores",
    "Bernadette",
    "Fran",
    "Peg",
    "Rosalie",
    "Imelda",
    "Thuy",
    "Ngoc",
    "Lan",
    "Oluwaseun",
    "Chiamaka",
    "Adaeze",
    "Priyanka",
    "Lakshmi",
    "Anjali",
    "Marie-Claude",
    "Guerline",
    "Fabienne",
    "Nadege",
    "Conceicao",
    "Fatima",
    "Graca",
    "Anahit",
    "Siranush",
    "Min-ji",
    "Soo-yeon",
    "Yesenia",
    "Marisol",
    "Guadalupe",
    "Hodan",
    "Ayaan",
    "Ludmila",
    "Galina",
    "Oksana",
    "Teodora",
    "Ewa",
    "Grazyna",
    "Halina",
    "Siobhan",
    "Aoife",
    "Brigid",
    "Faith",
    "Joy",
    "Grace",
    "Dawn",
    "Sunny",
    "Ginny",
    "Patsy",
    "Bev",
    "Walt",
    "Stan",
    "Gus",
    "Thaddeus",
    "Casimir",
    "Bogdan",
    "Wojciech",
    "Duc",
    "Minh",
    "Quang",
    "Emeka",
    "Chukwudi",
    "Tunde",
    "Rajesh",
    "Venkat",
    "Arjun",
    "Jean-Baptiste",
    "Wilner",
    "Fritzner",
    "Joao",
    "Manuel",
    "Arsen",
    "Vartan",
    "Hyun-woo",
    "Jae",
    "Rigoberto",
    "Esteban",
    "Abdirahman",
    "Mohamed",
    "Yuri",
    "Dmitri",
    "Sergei",
    "Ciaran",
    "Declan",
    "Padraig",
    "Bill",
    "Frank",
    "Buddy",
    "Sonny",
    "Rocco",
    "Vito",
    "Angelo",
    "Ike",
    "Hank",
]
SURNAME = [
    "Kowalczyk",
    "Wisniewski",
    "Dabrowski",
    "Szymanski",
    "Nguyen",
    "Tran",
    "Pham",
    "Okonkwo",
    "Adeyemi",
    "Nwosu",
    "Balasubramanian",
    "Raghavan",
    "Desrosiers",
    "Pierre-Louis",
    "Jean-Charles",
    "Fonseca",
    "Medeiros",
    "Carvalho",
    "Hovsepian",
    "Karapetian",
    "Boghossian",
    "Park",
    "Cho",
    "Yoon",
    "Villanueva",
    "Arce",
    "Quintanilla",
    "Warsame",
    "Abdi",
    "Farah",
    "Volkov",
    "Petrenko",
    "Sokolova",
    "Mulcahy",
    "Donnelly",
    "Flaherty",
    "Ruane",
    "McGillicuddy",
    "O'Shea",
    "Fitzgibbon",
    "Santangelo",
    "Cardarelli",
    "Iacono",
    "DiNapoli",
    "Costa",
    "Papadakis",
    "Stavros",
    "Lindqvist",
    "Haugen",
    "Bjornstad",
    "Oyelaran",
    "Mbeki",
    "Tshabalala",
    "Whitcomb",
    "Pettengill",
    "Hatch",
    "Thibodeau",
    "Ouellette",
    "Boucher",
    "Gagnon",
    "Levesque",
    "Rose",
    "Moss",
    "Wells",
    "Price",
    "Bush",
    "Long",
    "Young",
    "Hill",
    "Banks",
    "Street",
    "Marsh",
    "Frost",
    "Baker",
    "Cook",
    "Abernethy",
    "Lightfoot",
    "Strand",
    "Vasquez-Ortiz",
    "Delacroix",
    "Lutz",
    "Stoltzfus",
    "Zeller",
    "Hochberg",
    "Grunwald",
    "Feinstein",
]
CLIN = [
    "Kessler",
    "Mahmood",
    "Oyelowo",
    "Tarkington",
    "Vukovich",
    "Anand",
    "Lemieux",
    "Brennan",
    "Saltzman",
    "Okafor",
    "Greenbaum",
    "Ruiz",
    "Haddad",
    "Chakraborty",
    "Pinsky",
    "Ferrante",
    "Ashworth",
    "Ng",
    "Liu",
    "Bhatt",
    "Sorensen",
    "Molloy",
    "Castellanos",
    "Dube",
    "Rooney",
    "Kim",
]
HOSP = (
    "St. Brendan's",
    "Marrowfield General",
    "Quinsett Valley Hospital",
    "Harbor Point Medical Center",
    "Our Lady of Mercy",
    "Saint Ignatius Hosp",
    "Penhallow Regional",
    "Ashby Memorial",
    "Wexcombe Community Hospital",
    "Holy Redeemer",
    "Kettering Mills Hospital",
    "North Shore Deaconess",
    "Beckwith Medical Ctr",
    "Saltmarsh General",
)
HOSP_ABBR = ("QVH", "SBH", "HPMC", "OLM", "PRMC", "WCH", "KMH", "BMC", "NSD", "AMH")
REHAB = (
    "Brightwater Rehab",
    "Elmcroft Manor",
    "Sachem Pines Nursing Home",
    "Greystone Rehabilitation Center",
    "Meadowlark Nursing & Rehab",
    "Cedar Glen",
    "Larkspur House",
    "the Bellhaven",
    "Fairhaven Skilled Nursing",
    "Ridgeview Manor",
    "Saint Agnes Home",
    "Copper Beech Rehab",
)
UNIT_NAMED = ("Whitcomb 6", "Barlow 3", "Feeney 9", "Kessler 4", "Drummond 11", "Halloran 2", "Stokes 7", "Pryor 5")
TOWN = (
    "Dunmore Falls",
    "Westcote",
    "Penhallow",
    "Kettering Mills",
    "Ashby Neck",
    "Quinsett",
    "Marrowfield",
    "Saltmarsh",
    "East Brackley",
    "Fenwick",
    "Horsley Center",
    "Old Tilbury",
    "Wexcombe",
    "Lower Hadley",
    "Cobbs Landing",
)
EMPLOYER = (
    "Pappas Bros Plumbing",
    "Kowal's Bakery",
    "Riverside Tool & Die",
    "Nguyen's Nail Salon",
    "Brackley Auto Body",
    "the Fenwick Post Office",
    "Stavros Pizza",
    "Hatch Electric",
    "Dunmore Paper Co",
    "Sal's Market",
    "Quinsett Fire Dept",
    "Lindqvist Marine",
    "Oceanview Dry Cleaners",
)
CHURCH = (
    "St. Casimir's",
    "Greater Bethel AME",
    "Holy Ghost Armenian Church",
    "St. Anthony's parish",
    "First Haitian Baptist",
    "Temple Beth Shalom",
    "Our Lady of Czestochowa",
    "Saint Mary of the Hills",
)
SCHOOL = (
    "Fenwick High",
    "Westcote Middle School",
    "Quinsett Community College",
    "Holy Name School",
    "Ashby Regional HS",
)
STREET = (
    "Alder Ln",
    "Quarry St",
    "Bittersweet Rd",
    "Pulaski Blvd",
    "Cranberry Hwy",
    "Tilbury Ave",
    "Locust Ct",
    "Mill Pond Rd",
    "Osgood Way",
)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec")
MONTHS_FULL = tuple(calendar.month_name[i] for i in range(1, 13) if i != 5)  # "May 3" is in MONTHS
REL = (
    "wife",
    "husband",
    "dtr",
    "daughter",
    "son",
    "sister",
    "brother",
    "niece",
    "nephew",
    "mother",
    "father",
    "grandson",
    "granddaughter",
    "HCP",
    "healthcare proxy",
    "friend",
    "neighbor",
    "sil",
    "dil",
    "son-in-law",
    "gf",
    "bf",
    "partner",
    "fiance",
    "cousin",
    "aunt",
    "step-son",
    "wfie",
    "duaghter",
    "sn",
)
TITLE = (
    "Dr",
    "Dr.",
    "DR",
    "dr",
    "dr.",
    "Dr ",
    "MD",
    "NP",
    "PA",
    "ho",
    "HO",
    "resident",
    "fellow",
    "intern",
    "attending",
    "RN",
    "CM",
    "SW",
)


def _ord(d: int) -> str:
    return "th" if 10 <= d % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")


class _Gen:
    """Random surrogate pieces; every piece returns segments ready for a note."""

    def __init__(self, rng: random.Random) -> None:
        self.r = rng

    def c(self, seq: Any) -> Any:
        return self.r.choice(seq)

    def first(self) -> Seg:
        return (self.c(FIRST), "NAME", "first")

    def last(self, kind: str = "last") -> Seg:
        return (self.c(SURNAME), "NAME", kind)

    def full(self, kind: str = "full") -> Seg:
        return (f"{self.c(FIRST)} {self.c(SURNAME)}", "NAME", kind)

    def doc(self) -> list[Seg]:
        """A clinician by title or role: 'Dr Kessler', 'DR. OKAFOR', 'ho Liu', 'NP Molloy', 'Kessler MD'."""
        name = self.c(CLIN) if self.r.random() < 0.8 else self.c(SURNAME)
        form = self.r.randrange(8)
        if form == 0:
            return [self.c(("Dr ", "Dr. ", "dr ", "DR.", "Dr.")), (name, "NAME", "title")]
        if form == 1:
            return [self.c(("ho ", "HO ", "resident ", "intern ", "fellow ", "attending ")), (name, "NAME", "role")]
        if form == 2:
            return [self.c(("NP ", "PA ", "np ", "pa-c ")), (name, "NAME", "role")]
        if form == 3:
            return [(name, "NAME", "title"), self.c((" MD", " md", ", MD", " (ortho)", " from neuro"))]
        if form == 4:
            return [self.c(("Dr ", "Dr. ")), (f"{self.c(FIRST)} {name}", "NAME", "title")]
        if form == 5:
            return (
                [self.c(("dr", "Dr", "DR")), (name, "NAME", "title-glued")]
                if self.r.random() < 0.3
                else ["Dr ", (name, "NAME", "title")]
            )
        if form == 6:
            if self.r.random() < 0.3:
                return [self.c(("MICU team - ", "covering: ", "md paged- ")), (name, "NAME", "dash")]
            return [self.c(("team (", "md (", "renal (")), (name, "NAME", "paren"), ")"]
        return [self.c(("per Dr ", "Per dr. ", "per ")), (name, "NAME", "title")]

    def pt(self) -> list[Seg]:
        """The patient by courtesy title: 'Mr. Kowalczyk', 'MRS OSHEA', 'ms nguyen'."""
        return [self.c(("Mr. ", "Mrs. ", "Ms. ", "Mr ", "Mrs ", "Miss ")), (self.c(SURNAME), "NAME", "patient-title")]

    def relname(self) -> list[Seg]:
        rel = self.c(REL)
        who = self.first() if self.r.random() < 0.6 else self.full("relation")
        if self.r.random() < 0.25:
            return [(who[0], "NAME", "relation-before"), f" ({rel})"]
        return [rel + self.c((" ", " ", ", ", " - ")), (who[0], "NAME", "relation")]

    def signoff(self) -> list[Seg]:
        f, s = self.c(FIRST), self.c(SURNAME)
        form = self.r.randrange(9)
        if form == 0:
            return [(f"{f[0]}.{s}", "NAME", "signoff"), " RN"]
        if form == 1:
            return [(f"{f[0].lower()} {s.lower()}", "NAME", "signoff"), " rn"]
        if form == 2:
            return [(f"{f} {s}", "NAME", "signoff"), ", RN"]
        if form == 3:
            return [(f"{f[0]}{s[0]}", "NAME", "initials"), self.c((" RN", "/RN", " rn"))]
        if form == 4:
            return ["-", (f, "NAME", "signoff-first")]
        if form == 5:
            return [(f"{f} {s[0]}.", "NAME", "signoff"), " RN BSN"]
        if form == 6:
            return ["---", (f"{s}", "NAME", "signoff"), ", R.N."]
        if form == 7:
            return [(f"{f[0]}. {s}", "NAME", "signoff"), " RRT"]
        return [
            (f"{f} {s}", "NAME", "signoff"),
            " RN/ ",
            (f"{self.c(FIRST)[0]}{self.c(SURNAME)[0]}", "NAME", "initials"),
        ]

    def date(self, kind: str | None = None) -> Seg:
        r = self.r
        m, d = r.randint(1, 12), r.randint(1, 28)
        k = kind or r.choice(("md", "md", "md", "mdash", "mdy", "mon", "mon", "ord", "monord", "full"))
        if k == "md":
            v = f"{m}/{d}"
        elif k == "mdash":
            v = f"{m}-{d}"
        elif k == "mdy":
            v = f"{m}/{d}/{r.choice(('93', '94', '2096', '95', '01'))}"
        elif k == "mon":
            v = f"{r.choice(MONTHS)}{r.choice((' ', ' ', '. ', ''))}{d}"
        elif k == "ord":
            v = f"{d}{_ord(d)}"
        elif k == "monord":
            v = f"{r.choice(MONTHS)} {d}{_ord(d)}"
        else:
            v = f"{r.choice(MONTHS_FULL)} {d}"
        return (v, "DATE", k)

    def daterange(self) -> list[Seg]:
        m, d = self.r.randint(1, 12), self.r.randint(1, 25)
        if self.r.random() < 0.5:
            return [(f"{m}/{d}", "DATE", "range"), "-", (f"{m}/{d + 2}", "DATE", "range")]
        return [(f"{m}/{d}", "DATE", "range"), "-", (f"{d + 3}", "DATE", "range-day")]

    def age(self) -> list[Seg]:
        a = self.r.randint(90, 103)
        words = {
            90: "ninety",
            91: "ninety-one",
            92: "ninety two",
            93: "ninety-three",
            94: "ninety four",
            95: "ninety-five",
            96: "ninety six",
            97: "ninety-seven",
        }
        f = self.r.randrange(5)
        if f == 0:
            return [(str(a), "AGE", "digits"), self.c((" yo", "yo", " y/o", "y.o.", " year old"))]
        if f == 1:
            return [(str(a), "AGE", "digits"), self.c(("F", "M", " yo F", " YO M"))]
        if f == 2 and a in words:
            return [(words[a], "AGE", "words"), self.c((" yr old", " year old", " y/o"))]
        if f == 3:
            return ["age ", (str(a), "AGE", "digits")]
        return [(str(a), "AGE", "digits"), " yr old"]

    def phone(self) -> Seg:
        r = self.r
        a, b, c = r.randint(201, 989), r.randint(200, 999), r.randint(0, 9999)
        f = r.randrange(7)
        v = [
            f"({a}) {b}-{c:04d}",
            f"{a}-{b}-{c:04d}",
            f"{a} {b} {c:04d}",
            f"{b}-{c:04d}",
            f"{a}.{b}.{c:04d}",
            f"{a}{b}{c:04d}",
            f"{a}-{b} {c:04d}",
        ][f]
        return (v, "PHONE", "phone")

    def pager(self) -> list[Seg]:
        n = self.r.randint(1000, 99999)
        f = self.r.randrange(5)
        if f == 0:
            return ["pgr #", (str(n), "PHONE", "pager")]
        if f == 1:
            return ["beeper ", (f"{str(n)[0]}-{str(n)[1:]}", "PHONE", "pager")]
        if f == 2:
            return ["page ", (str(n), "PHONE", "pager")]
        if f == 3:
            return ["x", (str(n)[:4], "PHONE", "ext")]
        return ["pager ", (f"{n}", "PHONE", "pager")]

    def hosp(self) -> Seg:
        if self.r.random() < 0.3:
            return (self.c(HOSP_ABBR), "LOCATION", "hosp-abbr")
        return (self.c(HOSP), "LOCATION", "hospital")

    def loc(self, lst: tuple[str, ...], kind: str) -> Seg:
        return (self.c(lst), "LOCATION", kind)


def _fill(g: _Gen, pool: tuple[str, ...], k: int) -> str:
    return " ".join(g.r.sample(pool, k))


NEURO = (
    "A&Ox3, MAE, follows commands.",
    "PERRL 3mm brisk.",
    "sedated on propofol 30mcg/kg/min, RASS -2.",
    "opens eyes to voice, not following.",
    "c/o incisional pain, MSO4 2mg IV x2 w/ good effect.",
    "lethargic but arousable, oriented to self only.",
    "CIWA 4-8, ativan 1mg x1.",
    "pupils 2mm sluggish, +cough/gag.",
    "ICP 8-14, CPP >60, drain open at 10cm.",
    "GCS 9T.",
    "denies pain. sleeping in naps.",
)
CV = (
    "NSR 80s-90s no ectopy.",
    "SBP 100-130s on neo 0.5mcg/kg/min, weaning.",
    "afib 110s, dilt gtt at 10mg/hr.",
    "HR 60s SB, BP 98/52, MAP >65.",
    "CI 2.4 SVR 1100 on milrinone.",
    "K 3.6 repleted w/ 40meq KCl.",
    "pedal pulses dopplerable.",
    "CT to sx 20cm, minimal serosang drainage.",
    "paced at 80 AV, underlying SB 40s.",
    "heparin gtt at 900u/hr, PTT 68.",
    "+2 pitting edema BLE.",
)
RESP = (
    "LS coarse bilat, diminished bases.",
    "on AC 500x14 +5 40%, ABG 7.38/42/96.",
    "sx for thick tan secretions.",
    "4L NC sats 93-96%.",
    "extubated at 1030 to 50% face tent.",
    "CPAP 5/PS 10, RSBI 62.",
    "nebs q4h by RT.",
    "RR 20s, nonlabored.",
    "trach site c/d/i.",
    "ETT 7.5 23 at lip.",
)
GI = (
    "abd soft, distended, hypoactive BS.",
    "TF Impact w/ fiber at 60cc/hr goal 70, residuals <30.",
    "NPO for OR in am.",
    "OGT to LCWS, bilious.",
    "BM x1 guaiac neg.",
    "foley patent, UO 40-90cc/hr, clear yellow.",
    "lasix 40mg IV w/ good response, -1.2L.",
    "FS 140-180 covered per RISS.",
    "creat 1.4 from 1.1.",
    "taking sips, tol clears.",
)
SKIN = (
    "coccyx stage II, duoderm intact.",
    "incisions OTA w/ steri strips.",
    "burn dsgs changed, silvadene to chest/arms.",
    "heels boggy, waffle boots on.",
    "R groin site soft no hematoma.",
    "skin warm dry intact.",
)
IDL = ("Tmax 101.2, pan cx'd.", "vanco/zosyn, vanco trough pending.", "afebrile, WBC 12.1.", "MRSA swab sent.")
NICU_BITS = (
    "temp stable in isolette.",
    "TF 150cc/kg/d, BM 24cal 30cc q3h PO/PG.",
    "bili 9.8, phototx continues.",
    "no A's or B's this shift.",
    "voiding and stooling.",
    "wt 1.840kg up 20g.",
    "RA sats 95-100%.",
    "HUS done, results pending.",
    "sucks on pacifier, fair PO effort.",
)


def _shift_header(g: _Gen) -> list[Seg]:
    return [
        g.c(
            (
                "NPN 7A-7P",
                "NPN 7p-7a",
                "Nursing Progress Note 1900-0700",
                "NURSING PROGRESS NOTE 0700-1900",
                "nsg note 11p-7a",
                "CSRU NPN",
                "T-SICU Nursing Note",
                "Neuro ICU nsg progress note",
                "BURN UNIT NSG NOTE",
                "CCU nursing 7a-3p",
            )
        ),
        "\n",
    ]


def n_system(g: _Gen) -> list[Seg]:
    """Shift note by system with a family and disposition section."""
    segs: list[Seg] = _shift_header(g)
    if g.r.random() < 0.5:
        segs += (
            g.pt()
            + [" is a "]
            + g.age()
            + [
                " " + g.c(("woman", "man", "F", "M")) + " admitted ",
                g.date(),
                " from ",
                g.hosp(),
                " w/ " + g.c(("SDH", "urosepsis", "NSTEMI", "s/p fall", "CHF exac")) + ".\n",
            ]
        )
    segs += [
        "NEURO: ",
        _fill(g, NEURO, 2),
        "\nCV: ",
        _fill(g, CV, 2),
        "\nRESP: ",
        _fill(g, RESP, 2),
        "\nGI/GU: ",
        _fill(g, GI, 2),
        "\n",
    ]
    if g.r.random() < 0.5:
        segs += ["ID: ", _fill(g, IDL, 1), " ", "cx from ", g.date(), " ngtd.\n"]
    segs += ["SKIN: ", _fill(g, SKIN, 1), "\nSOCIAL: "]
    segs += g.relname() + [
        g.c((" called x2, updated by RN.", " in to visit, very supportive.", " at bedside most of day. "))
    ]
    if g.r.random() < 0.6:
        segs += [" ", g.c(("can be reached at ", "cell # ", "home #", "ph ")), g.phone(), "."]
    segs += [
        "\nDISPO: " + g.c(("remains in ", "cont ")) + g.c(("CSRU", "SICU", "MICU", "CCU")) + g.c((" for now.", ". ")),
    ]
    if g.r.random() < 0.5:
        segs += [" screening for ", g.loc(REHAB, "rehab"), "."]
    segs += ["\n"] + g.signoff()
    return segs


def n_runon_lower(g: _Gen) -> list[Seg]:
    """Lower-case run-on shift note, no punctuation to speak of."""
    segs: list[Seg] = ["nsg note 7p-7a pt restless early in shift pulling at lines mitts on ", "ho "]
    segs += [(g.c(CLIN), "NAME", "role")]
    segs += [
        " aware gave haldol 2mg iv w effect slept in naps ",
        _fill(g, RESP, 1).lower(),
        " ",
        _fill(g, GI, 1).lower(),
        " ",
    ]
    segs += [g.c(("wife ", "dtr ", "son ", "sister ")), (g.c(FIRST).lower(), "NAME", "relation-lower")]
    segs += [
        " called at ",
        g.c(("2200", "0300", "midnight")),
        " updated said she will come in on ",
        g.date(g.c(("md", "ord", "mon"))),
        " with ",
    ]
    segs += [(g.c(FIRST).lower(), "NAME", "first-lower"), " her brother "]
    segs += [
        " pt lives in ",
        (g.c(TOWN).lower(), "LOCATION", "town-lower"),
        " w ",
        g.c(("wife", "dtr", "son")),
        " worked at ",
        (g.c(EMPLOYER).lower(), "LOCATION", "employer-lower"),
    ]
    segs += [" x30 yrs plan cont current tx am labs pending\n"] + [
        (f"{g.c(FIRST)[0].lower()}.{g.c(SURNAME).lower()}", "NAME", "signoff"),
        " rn",
    ]
    return segs


def n_caps(g: _Gen) -> list[Seg]:
    """ALL CAPS CCU/MICU note (case applied after)."""
    segs: list[Seg] = ["CCU NPN 0700-1900\nS/P CATH ", g.date(), " W/ STENT TO LAD. "]
    segs += [_fill(g, CV, 2), " ", _fill(g, RESP, 1), " "] + g.pt() + [" C/O CP 4/10 X1, NTG SL W/ RELIEF. "]
    segs += g.doc() + [" AWARE OF ", g.c(("K 3.2", "HCT 26", "BP 84/40", "RUN OF VT")), ". "]
    segs += [g.c(("WIFE ", "DTR ", "SON ", "HCP ")), g.full("relation"), " IN TO VISIT, "]
    segs += [g.c(("ASKING FOR MD TO CALL, ", "UPDATED, ")), "PHONE ", g.phone(), ". "]
    segs += [
        "PT FROM ",
        (g.c(TOWN), "LOCATION", "town"),
        ", RETIRED FROM ",
        (g.c(EMPLOYER), "LOCATION", "employer"),
        ". ",
    ]
    segs += ["PLAN: ?TRANSFER TO ", (g.c(UNIT_NAMED), "LOCATION", "unit-named"), " IN AM IF STABLE.\n"] + g.signoff()
    return segs


def n_nicu(g: _Gen) -> list[Seg]:
    """NICU / step-down nursery parenting note."""
    baby = g.c(FIRST)
    segs: list[Seg] = [
        g.c(("NICU NURSING NOTE", "Neonatology Nursing Progress Note", "nsy note 7a-7p", "Level II nursery NPN")),
        "\n",
    ]
    segs += [
        g.c(("Baby ", "Infant ", "Baby boy ", "Baby girl ")),
        (g.c(SURNAME), "NAME", "baby-surname"),
        " DOL " + str(g.r.randint(2, 40)) + " CGA 33 2/7 wks.\n",
    ]
    segs += [_fill(g, NICU_BITS, 3), "\n"]
    segs += [
        "Parenting: ",
        g.c(("MOB ", "Mom ", "mother ", "mom ")),
        (g.c(FIRST), "NAME", "relation"),
        " and ",
        g.c(("FOB ", "dad ", "father ")),
        (g.c(FIRST), "NAME", "relation"),
    ]
    segs += [
        g.c((" in at 1400", " called x2", " visited this eve")),
        ", held ",
        (baby, "NAME", "baby-first"),
        " skin to skin x1hr. ",
    ]
    segs += [
        g.c(("Sibs ", "Siblings ", "older sister ")),
        (g.c(FIRST), "NAME", "sibling"),
        " and ",
        (g.c(FIRST), "NAME", "sibling-list"),
        " visited w/ grandmother. ",
    ]
    segs += ["Parents live in ", (g.c(TOWN), "LOCATION", "town"), ", mom's cell ", g.phone(), ". "]
    segs += [
        "Circ planned ",
        g.date(),
        ". Hep B given ",
        g.date(),
        ". ",
        "Back transfer to ",
        g.hosp(),
        " discussed w/ ",
        "Dr. ",
        (g.c(CLIN), "NAME", "title"),
        ".\n",
    ]
    segs += g.signoff()
    return segs


def n_family_meeting(g: _Gen) -> list[Seg]:
    """Family meeting / code status talk."""
    segs: list[Seg] = [g.c(("Family meeting held today ", "FAMILY MTG ", "family mtg this pm ")), "w/ "]
    segs += g.doc() + [", SW ", (g.c(FIRST), "NAME", "sw-first"), ", and pt's "]
    segs += [
        g.c(("wife ", "children ", "HCP/niece ", "two sons ")),
        g.full("relation"),
        " and ",
        (g.c(FIRST), "NAME", "list-second"),
        ". ",
    ]
    segs += [
        "Discussed poor prognosis; family agreed to DNR/DNI. ",
        g.c(("Pastor ", "Father ", "Rev. ", "Fr. ")),
        (g.c(SURNAME), "NAME", "clergy"),
        " from ",
        g.loc(CHURCH, "church"),
        " in to pray w/ family. ",
    ]
    segs += ["Pt's brother flying in from ", (g.c(TOWN), "LOCATION", "town"), " on ", g.date(), ". "]
    segs += ["Contact: ", (g.c(FIRST), "NAME", "contact-first"), " ", g.phone(), " or ", g.phone(), ".\n"]
    segs += g.signoff()
    return segs


def n_transfer(g: _Gen) -> list[Seg]:
    """Admission / transfer from OSH note."""
    segs: list[Seg] = [g.c(("Admit note: ", "ADMISSION NOTE ", "Transfer note: ")), "pt is a "] + g.age() + [" from "]
    segs += [
        g.loc(REHAB, "nursing-home"),
        g.c((" transferred from ", " via ", " sent from ")),
        g.hosp(),
        " ED on ",
        g.date(),
        " after ",
    ]
    segs += [g.c(("fall at home ", "found down ", "witnessed seizure ")), "in ", (g.c(TOWN), "LOCATION", "town"), ". "]
    segs += ["PCP ", g.c(("Dr. ", "dr ", "")), (g.c(CLIN), "NAME", "pcp"), " ", g.c(("at ", "@ ")), g.hosp(), ". "]
    segs += ["MR# ", (str(g.r.randint(1000000, 9999999)), "ID", "mrn"), ". "]
    segs += [
        "Lives at ",
        (f"{g.r.randint(2, 480)} {g.c(STREET)}", "LOCATION", "street"),
        " w/ ",
        g.c(("wife ", "dtr ", "son ")),
        (g.c(FIRST), "NAME", "relation"),
        ". ",
    ]
    segs += [_fill(g, NEURO, 1), " ", _fill(g, CV, 1), "\n"] + g.signoff()
    return segs


def n_rt(g: _Gen) -> list[Seg]:
    """Respiratory therapy note."""
    segs: list[Seg] = [g.c(("Resp Care: ", "RESPIRATORY CARE NOTE: ", "RT note- ")), _fill(g, RESP, 3), " "]
    segs += ["Plan to wean per ", g.c(("Dr ", "DR ", "fellow ")), (g.c(CLIN), "NAME", "title"), ". "]
    segs += ["Trach change scheduled for ", g.date(), ". "]
    segs += g.signoff()
    return segs


def n_events(g: _Gen) -> list[Seg]:
    """Events / addendum."""
    segs: list[Seg] = [g.c(("Addendum: ", "EVENTS: ", "addendum 0400: ", "Event note: ")), "at 0215 pt noted "]
    segs += [g.c(("in rapid afib 150s", "hypotensive to 70s", "desat to 82%", "w/ new L sided weakness")), ", "]
    segs += g.doc() + [" and "] + g.doc() + [" to bedside. "]
    segs += [g.c(("Stat head CT ", "CXR ", "EKG ")), "done, ", g.c(("neg.", "results pending.")), " "]
    segs += g.relname() + [" notified by phone at ", g.phone(), ". "]
    segs += g.pager() + [" for covering ", g.c(("HO", "resident", "NP")), ".\n"] + g.signoff()
    return segs


def n_ros(g: _Gen) -> list[Seg]:
    """REVIEW OF SYSTEMS list with arrows, a second name of a list and dates glued to words."""
    segs: list[Seg] = [
        "REVIEW OF SYSTEMS\n",
        "Neuro- ",
        _fill(g, NEURO, 1),
        "\nCV- ",
        _fill(g, CV, 1),
        "\nResp- ",
        _fill(g, RESP, 1),
        "\n",
    ]
    segs += ["GI- ", _fill(g, GI, 1), " last BM ", g.date(), ".\n"]
    segs += ["Lines- R SC TLC placed", g.date("md"), ", a-line changed ", g.date("mdash"), ".\n"]
    segs += [
        "Social- ",
        g.c(("visited by ", "calls from ")),
        (g.c(FIRST), "NAME", "list-first"),
        ", ",
        (g.c(FIRST), "NAME", "list-second"),
        " & ",
        (g.c(FIRST), "NAME", "list-third"),
        ". ",
    ]
    segs += [g.c(("sister ", "dtr ")), "works at ", g.loc(EMPLOYER, "employer"), ".\n"]
    segs += [
        "Plan- ",
        "abx ",
        g.c(("day 5/14", "d#3")),
        " -> ",
        "f/u w/ ",
        (g.c(CLIN), "NAME", "no-cue"),
        " re: trach/PEG -> ",
        "?d/c to ",
        g.loc(REHAB, "rehab"),
        " ",
        g.date("ord"),
        "\n",
    ]
    segs += g.signoff()
    return segs


def n_trauma(g: _Gen) -> list[Seg]:
    """Trauma SICU note: MVC, OR dates, employer, police."""
    segs: list[Seg] = [
        "T/SICU NPN\n",
        "HD#" + str(g.r.randint(2, 15)) + " s/p MVC ",
        g.c(("on ", "")),
        g.date(),
        " ",
        g.c(("on Rte 9 in ", "near ")),
        (g.c(TOWN), "LOCATION", "town"),
        ". ",
    ]
    segs += [
        "To OR ",
        g.date(),
        " w/ ",
        g.c(("ortho ", "trauma ")),
        "(",
        (g.c(CLIN), "NAME", "paren"),
        ") for ex-fix. ",
    ]
    segs += [_fill(g, NEURO, 1), " ", _fill(g, CV, 1), " ", _fill(g, SKIN, 1), " "]
    segs += [
        "Pt's boss ",
        g.full("employer-person"),
        " from ",
        g.loc(EMPLOYER, "employer"),
        " called, no info given per pt request. ",
    ]
    segs += [
        g.c(("State police ", "Officer ", "Det. ")),
        (g.c(SURNAME), "NAME", "police"),
        " wants call back ",
        g.phone(),
        ".\n",
    ]
    segs += g.signoff()
    return segs


def n_burn(g: _Gen) -> list[Seg]:
    """Burn unit note."""
    segs: list[Seg] = [
        "BURN UNIT NPN\n",
        str(g.r.randint(20, 60)) + "% TBSA flame burn ",
        g.date(),
        " at home in ",
        (g.c(TOWN), "LOCATION", "town"),
        ". ",
    ]
    segs += ["Tanked this am, ", _fill(g, SKIN, 1), " "]
    segs += [
        "Grafting w/ ",
        g.c(("Dr. ", "DR ")),
        (g.c(CLIN), "NAME", "title"),
        " ",
        g.c(("on the ", "sched for the ")),
        g.date("ord"),
        ". ",
    ]
    segs += [
        g.c(("fiance ", "gf ", "girlfriend ")),
        (g.c(FIRST), "NAME", "relation"),
        g.c((" here all day.", " called.")),
        " ",
        (g.c(FIRST), "NAME", "first-no-cue"),
        " from ",
        g.loc(CHURCH, "church"),
        " also visited.\n",
    ]
    segs += g.signoff()
    return segs


def n_neuro(g: _Gen) -> list[Seg]:
    """Neuro ICU note with a patient's own name and a clinician in lower case."""
    pt = g.c(FIRST)
    segs: list[Seg] = ["Neuro ICU\n", "Pt (", (pt, "NAME", "patient-first"), ") s/p crani ", g.date(), ". "]
    segs += [_fill(g, NEURO, 2), " "]
    segs += ["neurosurg (", (g.c(CLIN).lower(), "NAME", "paren-lower"), ") in, ok to lower drain. "]
    segs += ["Calls ", (pt, "NAME", "patient-first"), " by name and ", g.c(("he ", "she ")), "opens eyes. "]
    segs += [
        "Pt's ",
        g.c(("husband", "husbnad", "wfe", "son")),
        " ",
        g.full("relation-typo"),
        " hopes to take ",
        g.c(("him", "her")),
        " to ",
        g.hosp(),
        " closer to home.\n",
    ]
    segs += g.signoff()
    return segs


def n_csru(g: _Gen) -> list[Seg]:
    """CSRU post-op note with dates and times, ranges."""
    segs: list[Seg] = ["CSRU NSG NOTE\n", "POD#1 s/p CABGx3 ", g.date("md"), " ", g.c(("0800", "@ 1100")), ". "]
    segs += [_fill(g, CV, 3), " "]
    segs += ["Chest tubes placed ", g.date("md"), " 2300, pacing wires in, CTs d/c planned "] + g.daterange() + [". "]
    segs += ["Surgeon: ", g.c(("Dr. ", "")), (g.c(CLIN), "NAME", "role-colon"), ". "]
    segs += ["Family (", (g.c(SURNAME), "NAME", "family-surname"), " family) updated on phone. "]
    segs += ["Cardiac rehab at ", g.hosp(), " after d/c ", g.c(("approx ", "~")), g.date("mon"), ".\n"]
    segs += g.signoff()
    return segs


def n_social(g: _Gen) -> list[Seg]:
    """Case management / social work note."""
    segs: list[Seg] = [g.c(("CM note: ", "SW: ", "Case Mgmt- ")), "Spoke with pt's "]
    segs += g.relname() + [" at length re: "] + g.pt() + ["'s dispo. "]
    segs += [
        "Pt lives alone at ",
        (f"{g.r.randint(2, 480)} {g.c(STREET)}", "LOCATION", "street"),
        ", ",
        (g.c(TOWN), "LOCATION", "town"),
        " ",
        (f"{g.r.randint(1000, 2799):05d}", "LOCATION", "zip"),
        ". ",
    ]
    segs += ["Goes to ", g.loc(CHURCH, "church"), ". ", "Grandson attends ", g.loc(SCHOOL, "school"), ". "]
    segs += [
        "Referral faxed to ",
        g.loc(REHAB, "rehab"),
        " (",
        (g.c(FIRST), "NAME", "admissions-first"),
        " in admissions ",
        g.phone(),
        " ",
        "x",
        (str(g.r.randint(100, 9999)), "PHONE", "ext"),
        "). ",
    ]
    segs += [
        "Insurance ",
        g.c(("MassHealth", "Medicare")),
        " # ",
        (f"{g.r.randint(100000000, 999999999)}", "ID", "insurance"),
        ".\n",
    ]
    segs += [(g.c(FIRST), "NAME", "signoff-first"), " ", (g.c(SURNAME), "NAME", "signoff"), ", LICSW"]
    return segs


def n_short(g: _Gen) -> list[Seg]:
    """Very short telegraphic note."""
    f = g.r.randrange(6)
    if f == 0:
        return (
            ["Pt seen by "]
            + g.doc()
            + [
                ". Meds given as ordered. ",
                g.c(("Dtr ", "Son ", "Wife ")),
                (g.c(FIRST), "NAME", "relation"),
                " called - updated.",
            ]
        )
    if f == 1:
        return [
            "tx to ",
            (g.c(UNIT_NAMED), "LOCATION", "unit-named"),
            " at 1600, report given to ",
            (g.c(FIRST), "NAME", "nurse-first"),
            " RN. belongings w/ pt.\n",
        ] + g.signoff()
    if f == 2:
        return [
            "D/C'd to ",
            g.loc(REHAB, "rehab"),
            " via ambulance ",
            g.date(),
            " at 1300. ",
            (g.c(FIRST), "NAME", "first-no-cue"),
            " aware.",
        ]
    if f == 3:
        return (
            ["Pt is "]
            + g.age()
            + [" female, DNR/DNI. Daughter ", g.full("relation"), " is HCP. Can be reached at ", g.phone(), " (cell)."]
        )
    if f == 4:
        return [
            "Pt's son ",
            (g.c(FIRST), "NAME", "relation"),
            " visited, left # ",
            g.phone(),
            ". ",
            g.c(("Dr ", "DR. ")),
            (g.c(CLIN), "NAME", "title"),
            " aware of plan for OR on ",
            g.date("monord"),
            ".",
        ]
    return [
        "Unable to reach ",
        (g.c(FIRST), "NAME", "first-no-cue"),
        " ",
        (g.c(SURNAME), "NAME", "last-of-pair"),
        " at home, left msg ",
        g.phone(),
        ". will try again ",
        g.date("ord"),
        ".",
    ]


def n_dates(g: _Gen) -> list[Seg]:
    """Date-dense summary: every nursing shape of a date."""
    segs: list[Seg] = [
        g.c(("Hospital course brief: ", "SUMMARY- ", "hosp course: ")),
        "admitted ",
        g.date("mdy"),
        ", intubated ",
        g.date("md"),
        " extubated ",
        g.date("mdash"),
        "; ",
    ]
    segs += ["reintubated on the ", g.date("ord"), " "] + ["trach'd ", g.date("mon"), ", PEG ", g.date("monord"), ". "]
    segs += (
        [
            "Abx course ",
        ]
        + g.daterange()
        + [". "]
    )
    segs += ["Last seen by ", g.c(("ID ", "renal ")), "(", (g.c(CLIN), "NAME", "paren"), ") ", g.date("full"), ".\n"]
    segs += g.signoff()
    return segs


STYLES: tuple[tuple[str, Callable[[_Gen], list[Seg]], float], ...] = (
    ("system", n_system, 3.0),
    ("runon-lower", n_runon_lower, 1.5),
    ("caps-ccu", n_caps, 1.5),
    ("nicu", n_nicu, 1.5),
    ("family-mtg", n_family_meeting, 1.0),
    ("transfer", n_transfer, 1.2),
    ("rt", n_rt, 0.8),
    ("events", n_events, 1.2),
    ("ros", n_ros, 1.0),
    ("trauma", n_trauma, 1.0),
    ("burn", n_burn, 0.7),
    ("neuro", n_neuro, 0.9),
    ("csru", n_csru, 0.9),
    ("social", n_social, 0.9),
    ("short", n_short, 1.5),
    ("dates", n_dates, 1.0),
)


def _case(g: _Gen, style: str) -> str:
    if style == "caps-ccu":
        return "upper"
    if style == "runon-lower":
        return "lower"
    x = g.r.random()
    return "upper" if x < 0.2 else "lower" if x < 0.32 else "mixed"


def _assemble(segs: list[Seg], case: str) -> tuple[str, list[dict[str, Any]]]:
    out: list[str] = []
    spans: list[dict[str, Any]] = []
    pos = 0
    for s in segs:
        v = s if isinstance(s, str) else s[0]
        v = v.upper() if case == "upper" else v.lower() if case == "lower" else v
        if not isinstance(s, str):
            spans.append({"start": pos, "end": pos + len(v), "type": s[1], "value": v, "kind": s[2]})
        out.append(v)
        pos += len(v)
    return "".join(out), spans


def corpus(n: int = 300, seed: int = 151) -> list[dict[str, Any]]:
    """``n`` nursing notes with gold PHI spans."""
    g = _Gen(random.Random(seed))
    names, fns, weights = zip(*((s, f, w) for s, f, w in STYLES), strict=True)
    recs = []
    for i in range(n):
        k = g.r.choices(range(len(names)), weights=weights)[0]
        text, spans = _assemble(fns[k](g), _case(g, names[k]))
        for sp in spans:
            assert text[sp["start"] : sp["end"]] == sp["value"]
        recs.append({"id": f"blind12-{i}", "text": text, "spans": spans, "style": names[k]})
    return recs


FREE = (
    "NPN 7a-7p\nNEURO: A&Ox3, MAE. CV: NSR 70s, BP 120/80. RESP: AC 500x14 +5 40%, weaned to CPAP 5/5. GI: TF at 1/2 strength. Foley draining clear yellow.",
    "Swan in place, PAD 18, CI 2.1. Hx Parkinson's disease on sinemet 25/100 tid. Graves disease s/p RAI. cont lopressor 25mg po bid.",
    "Family in to visit, updated by team. Hope to extubate in am. Will cont to monitor. the family is aware of plan.",
    "CCU NPN 0700-1900: s/p cath, R fem sheath pulled at 1300, hemostasis w/ femstop x 20min. plavix 75 qd, ASA 325. lipitor 80.",
    "NICU nsg note: temp stable in isolette, TF 150cc/kg/d, bili 9.8 under phototx. MOB in to visit, held infant. FOB called. no A's/B's.",
    "BURN UNIT: 35% TBSA, silvadene to chest, xeroform to face. Parkland formula LR at 500cc/hr. Foley to gravity. GCS 15.",
    "RT NOTE: pt on PSV 10/5 40%, RSBI 58, MDIs albuterol/atrovent 6 puffs q4h. Sx x2 sm thick white. BBS coarse.",
    "Neuro ICU: ICP 12-18, CPP 70s, mannitol 25g q6h, Na 148. NIMBUS bed. Dilantin level 14.2. Glasgow coma scale 8T.",
    "T-SICU: s/p ex lap, JP x2 to bulb sx, serosang. PCA dilaudid 0.2/10min lockout. Braden 12. Morse fall score 45.",
    "CSRU: POD#1 CABGx3, CT to -20, 30cc/hr serosang. Paced AAI 90. Nipride 0.5mcg/kg/min for SBP <120. Hct 28. K 4.1.",
    "mental status waxing/waning, CAM ICU positive. haldol 2mg IV prn. restraints d/c'd. sitter at bedside. Hoyer lift to chair.",
    "Plan: cont Lasix gtt, goal -1L. Coumadin held for INR 3.4. Vit K 5mg po x1. Zosyn day 3/7. Tylenol for Tmax 100.9.",
    "DISPO: remains in MICU. Code status FULL CODE. Awaiting rehab screen. SOCIAL: wife and son in to visit, very supportive.",
    "Fentanyl 50mcg/hr, versed 2mg/hr. BIS 40-60. Train of four 2/4 on nimbex. Eye lubricant q4h. Bair hugger on.",
    "Gtts: levophed 0.08, vasopressin 0.04, neo off. MAP goal >65. Lactate 2.1 from 4.4. CVP 12. SvO2 68%.",
    "PEG placed by GI at bedside. Jevity 1.2 at 20cc/hr advance by 10 q4h to goal 60. Reglan 10 IV q6h. Protonix 40 IV qd.",
    "REVIEW OF SYSTEMS: Neuro- intact. CV- RRR, no murmur. Resp- CTA. GI- +BS. GU- foley. Skin- Stage II coccyx, Allevyn applied.",
    "Pt transferred from OSH for higher level of care. report given to floor RN. belongings sent w/ pt. to Rehab when bed avail.",
    "Sats 92-95% on 4L NC. I/S 750. encouraged C&DB. Ambulated in hall x2 w/ PT. Tol diet well. BM x1. voiding qs.",
    "Apgars 8/9. Hep B given. Vit K given. Erythro eye ointment. Newborn screen sent. Weight 3.2kg. breastfeeding q2-3h.",
)


def phi_free(n: int = 100, seed: int = 157) -> list[dict[str, Any]]:
    """``n`` PHI-free notes dense with look-alikes (eponyms, drug brands, devices, scores, vent settings, ratios)."""
    rng = random.Random(seed)
    recs = []
    for i in range(n):
        parts = rng.sample(FREE, 3)
        case = rng.random()
        text = "\n".join(parts)
        text = text.upper() if case < 0.2 else text.lower() if case < 0.35 else text
        recs.append({"id": f"blind12-free-{i}", "text": text, "spans": [], "style": "phi-free"})
    return recs
