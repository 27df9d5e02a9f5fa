"""Ninth blind corpus: longitudinal physician records (i2b2/n2c2 2006 and 2014 style), written before reading any
detector rule or data list.

Discharge summaries with headers, outpatient clinic notes, consult and referral letters, insurance letters,
radiology/pathology/ECG reports with accession numbers, ED notes, transcription stamps, problem lists, social and
family histories, medication lists; ALL CAPS dictations, lower-case typed notes and mixed case. Dates in every
shape with shifted future years, names of many origins (some are also words), invented hospitals, clinics,
nursing homes, employers, towns and streets.

``corpus(n, seed)`` returns records
``{"id", "text", "spans": [{"start", "end", "type", "value", "kind"}], "style"}``; ``phi_free(n, seed)`` returns
PHI-free documents in the same style (spans empty), dense with look-alikes.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from typing import Any

# ---------------------------------------------------------------------------------------------------- lists
_FIRST = [
    "Edward",
    "Yvonne",
    "Hope",
    "Rose",
    "Bill",
    "Grace",
    "Faith",
    "Will",
    "Frank",
    "Dawn",
    "June",
    "Hunter",
    "Oluwaseun",
    "Thanh",
    "Priya",
    "Mateus",
    "Ingrid",
    "Dariusz",
    "Keiko",
    "Anselm",
    "Fenella",
    "Tobias",
    "Marisol",
    "Chidi",
    "Wendell",
    "Lucinda",
    "Ravi",
    "Soraya",
    "Bartholomew",
    "Henrike",
    "Jun",
    "Nkechi",
    "Agnieszka",
    "Cormac",
    "Dolores",
    "Eamon",
    "Farrukh",
    "Giedre",
    "Halvard",
    "Imani",
    "Jovan",
    "Kalani",
    "Liesel",
    "Mireille",
    "Nadezhda",
    "Osvaldo",
    "Pilar",
    "Quentin",
    "Rashida",
    "Sunniva",
    "Tadeusz",
    "Ulrike",
    "Violeta",
    "Wiremu",
    "Ximena",
    "Yusuf",
    "Zofia",
    "Harold",
    "Doris",
    "Mabel",
    "Clement",
    "Alvin",
    "Bernadette",
    "Cyrus",
    "Delphine",
    "Emeka",
    "Florian",
    "Gwendolyn",
    "Hamid",
    "Isolde",
    "Jarrah",
    "Kwabena",
    "Lorcan",
    "Magnus",
    "Noor",
    "Orla",
    "Percival",
    "Rukmini",
    "Sefton",
    "Tamsin",
    "Ugo",
    "Vesna",
    "Wanjiru",
    "Xiadani",
    "Yaw",
    "Zebulon",
    "Ruby",
    "Pearl",
    "Victor",
    "Sterling",
    "Major",
    "Rusty",
    "Sandy",
    "Misty",
    "Lane",
]
_SURNAMES = [
    "Quinlan",
    "Larkin",
    "Xu",
    "Young",
    "Brown",
    "Major",
    "Pierce",
    "Hope",
    "Rose",
    "Oyelaran",
    "Castellanos",
    "Vukovic",
    "Abernethy",
    "Halloran",
    "Szczepanski",
    "Okonkwo",
    "Lindqvist",
    "Ferreira",
    "Ramaswamy",
    "Kowalczyk",
    "Achterberg",
    "Delacroix",
    "Haddad",
    "Takahashi",
    "Petrossian",
    "Fairweather",
    "Underhill",
    "Marchetti",
    "Bergstrom",
    "Oduya",
    "Tsosie",
    "Kealoha",
    "Villanueva",
    "Grimsby",
    "Strand",
    "Moss",
    "Field",
    "Stone",
    "Banks",
    "Wolfe",
    "Hale",
    "Church",
    "Lord",
    "Summers",
    "Winter",
    "Love",
    "Cross",
    "Mann",
    "Small",
    "Long",
    "Hall",
    "Bell",
    "Ward",
    "Nakamura-Ellis",
    "O'Dowd",
    "McGillicuddy",
    "Van der Berg",
    "De la Cruz",
    "Ashworth",
    "Blaylock",
    "Cheung",
    "Dzubak",
    "Eriksen",
    "Fonseca",
    "Gallagher",
    "Hrabowski",
    "Iwu",
    "Jankowski",
    "Kaczmarek",
    "Lestrange",
    "Mwangi",
    "Nordgren",
    "Ozturk",
    "Pruitt",
    "Quarles",
    "Rinaldi",
    "Sokolov",
    "Thistlewood",
    "Umeh",
    "Vardanyan",
    "Whitlock",
    "Yilmaz",
    "Zeller",
    "Bishop",
    "Fisher",
    "Baker",
    "Gardner",
    "Sharp",
    "Price",
    "Root",
    "Beard",
    "Wise",
    "Golden",
    "Story",
    "Noble",
]
_HOSP_FULL = [
    "Tamsworth General Hospital",
    "Harrowgate Medical Center",
    "St. Brendan's Hospital",
    "Cobble Hill Memorial",
    "Northmere Regional Medical Center",
    "Quarry Point Hospital",
    "Sisters of Mercy of Wexbridge",
    "Ashcombe Valley Hospital",
    "Fenwick Memorial",
    "Carrow Bay Community Hospital",
    "Lindenfield Medical Center",
    "Mount Auburndale Hospital",
    "Halsted Ridge Hospital",
    "Good Samaritan of Stonebury",
]
_HOSP_ABBR = ["THG", "HMC", "NRMC", "QPH", "AVH", "CBCH", "LMC", "HRH", "FMH", "SBH"]
_CLINICS = [
    "Ellery Street Clinic",
    "Brightwater Health Center",
    "Marsh Family Practice",
    "Okafor Internal Medicine Associates",
    "Windmill Pediatrics",
    "Cobble Hill Cardiology Associates",
    "Stonebury Family Medicine",
    "Quenby Internal Medicine",
    "Harbourside Community Health Center",
    "Pellman Orthopedic Group",
    "North Shore Renal Associates",
    "Ridgeview Primary Care",
]
_NURSING = [
    "Maple Crest Nursing Home",
    "Larchmont Manor",
    "Heatherwood Rehab",
    "the Willows at Tullamore",
    "Brookhaven Skilled Nursing",
    "Sunnyfield House",
    "Greystone Rehabilitation Center",
    "Cedar Knoll",
]
_TOWNS = [
    "Pittsfield",
    "Wexbridge",
    "Tullamore Falls",
    "East Quenby",
    "Halsted",
    "Carrow Bay",
    "Mill Hollow",
    "Stonebury",
    "Ashcombe",
    "Bath",
    "Reading",
    "Florence",
    "Hope",
    "Salem",
    "Warren",
    "Chester",
    "Dover",
    "Mansfield",
    "Orange",
    "Concord",
    "Derby",
    "Canton",
    "Jasper",
    "Athens",
    "Lowell Falls",
    "Marbury",
    "North Penwick",
    "Oxbow",
    "Fairhaven",
    "Greenfield",
]
_EMPLOYERS = [
    "Kessler Freight",
    "Brightline Dairy",
    "Norwell Paper Mill",
    "Tillman Hardware",
    "Cardale Insurance",
    "Osgood Textiles",
    "Meridian Savings Bank",
    "NTX",
    "Harbor Lobster Co.",
    "Pellingham Foods",
    "Granite State Gas",
    "Vantorre Logistics",
    "Hollis Brothers Construction",
    "the Stonebury school district",
    "Quenby Mills",
    "Arcadia Electric",
    "Dunmore Shipyard",
    "Fenwick Public Library",
]
_STREETS = [
    "Quarry Lane",
    "Old Mill Rd",
    "Kestrel Way",
    "Ellery Street",
    "Hawthorne Ave",
    "Pleasant St",
    "Birch Hill Road",
    "Ferris Court",
    "Main Street",
    "Orchard Terrace",
    "Dunmore Blvd",
    "Larkspur Drive",
]
_WARDS = ["Parkhurst 7", "Whitcombe 3 West", "Ellison 12", "Bigelow 9", "the Lerner Heart Center", "Dunmore 4"]
_DEGREES = ["M.D.", "MD", "NP", "PA-C", "D.O.", "M.D., Ph.D.", "RN", "FNP-BC", "MD, MPH"]
_MONTHS = ["January", "February", "March", "April", "May", "June",
           "July", "August", "September", "October", "November", "December"]  # fmt: skip
_SEASONS = ["Spring", "Summer", "Fall", "Winter", "spring", "summer", "fall", "winter"]
_RELATIONS = ["wife", "husband", "daughter", "son", "sister", "brother", "niece", "nephew", "partner", "mother"]
_JOBS = [
    "retired mail carrier",
    "machinist",
    "retired schoolteacher",
    "truck driver",
    "bookkeeper",
    "line cook",
    "retired nurse",
    "electrician",
    "former longshoreman",
    "paralegal",
    "dairy farmer",
    "custodian",
]

Ph = tuple[str, str, str]  # value, type, kind
Piece = str | Ph | list[Any]


class _Doc:
    """A document being written: plain text and PHI pieces, with spans kept as the text grows."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.spans: list[dict[str, Any]] = []
        self.n = 0

    def add(self, piece: Piece) -> None:
        if isinstance(piece, list):
            for p in piece:
                self.add(p)
        elif isinstance(piece, tuple):
            v, typ, kind = piece
            self.spans.append({"start": self.n, "end": self.n + len(v), "type": typ, "value": v, "kind": kind})
            self.parts.append(v)
            self.n += len(v)
        else:
            self.parts.append(piece)
            self.n += len(piece)

    def f(self, fmt: str, **kw: Piece) -> None:
        """Append ``fmt`` with each ``{name}`` replaced by the piece ``kw[name]``."""
        for i, tok in enumerate(re.split(r"\{(\w+)\}", fmt)):
            self.add(kw[tok] if i % 2 else tok)

    def text(self) -> str:
        return "".join(self.parts)


# ---------------------------------------------------------------------------------------------------- makers
class _Gen:
    def __init__(self, rng: random.Random) -> None:
        self.r = rng
        self.year = rng.randint(2060, 2099)

    def c(self, xs: list[Any]) -> Any:
        return self.r.choice(xs)

    # names
    def first(self, kind: str = "patient") -> Ph:
        return (self.c(_FIRST), "NAME", kind)

    def last(self, kind: str = "patient") -> Ph:
        return (self.c(_SURNAMES), "NAME", kind)

    def initial(self, kind: str) -> Ph:
        return (self.c("ABCDEFGHJKLMNPRSTVW"), "NAME", kind)

    def full(self, kind: str = "patient") -> list[Any]:
        shape = self.r.random()
        if shape < 0.5:
            return [self.first(kind), " ", self.last(kind)]
        if shape < 0.8:
            return [self.first(kind), " ", self.initial(kind), ". ", self.last(kind)]
        return [self.initial(kind), ". ", self.last(kind)]

    def last_first(self, kind: str = "patient") -> list[Any]:
        out: list[Any] = [self.last(kind), ", ", self.first(kind)]
        if self.r.random() < 0.5:
            out += [" ", self.initial(kind)]
        return out

    def doc(self) -> list[Any]:
        """A clinician with or without a degree, in one of the shapes signatures and headers use."""
        shape = self.r.random()
        if shape < 0.35:
            return ["Dr. ", self.last("clinician")]
        if shape < 0.75:
            return self.full("clinician") + [", " + self.c(_DEGREES)]
        if shape < 0.9:
            return self.full("clinician") + [" " + self.c(["MD", "NP", "PA-C", "RN"])]
        return ["Dr. ", self.first("clinician"), " ", self.last("clinician")]

    def title_last(self, kind: str = "patient") -> list[Any]:
        return [self.c(["Mr. ", "Ms. ", "Mrs. ", "Mr ", "Mrs "]), self.last(kind)]

    def initials_code(self) -> list[Any]:
        a = "".join(self.r.choice("ABCDEFGHJKLMNPRSTW") for _ in range(self.r.choice([2, 3])))
        b = "".join(self.r.choice("abcdefghjklmnprstwxyz") for _ in range(2)) + str(self.r.randint(1, 99))
        return [(a, "NAME", "initials"), "/", (b, "ID", "transcriptionist")]

    # places
    def hosp(self) -> Ph:
        if self.r.random() < 0.3:
            return (self.c(_HOSP_ABBR), "LOCATION", "hospital-initials")
        return (self.c(_HOSP_FULL), "LOCATION", "hospital")

    def clinic(self) -> Ph:
        return (self.c(_CLINICS), "LOCATION", "clinic")

    def nursing(self) -> Ph:
        return (self.c(_NURSING), "LOCATION", "nursing-home")

    def town(self) -> Ph:
        return (self.c(_TOWNS), "LOCATION", "town")

    def employer(self) -> Ph:
        return (self.c(_EMPLOYERS), "LOCATION", "employer")

    def ward(self) -> Ph:
        return (self.c(_WARDS), "LOCATION", "ward")

    def street(self) -> list[Any]:
        return [(f"{self.r.randint(2, 980)} {self.c(_STREETS)}", "LOCATION", "street")]

    def zip(self) -> Ph:
        return (f"{self.r.randint(1000, 99950):05d}", "LOCATION", "zip")

    def address(self) -> list[Any]:
        return self.street() + [
            ", ",
            self.town(),
            ", " + self.c(["MA", "NH", "ME", "RI", "CT", "VT"]) + " ",
            self.zip(),
        ]

    # dates
    def date(self, shape: str | None = None) -> Ph:
        y = self.year + self.r.randint(-3, 1)
        m, d = self.r.randint(1, 12), self.r.randint(1, 28)
        mon = _MONTHS[m - 1]
        shapes: dict[str, Callable[[], str]] = {
            "iso": lambda: f"{y}-{m:02d}-{d:02d}",
            "us": lambda: f"{m:02d}/{d:02d}/{y}",
            "short": lambda: f"{m}/{d}/{y % 100:02d}",
            "long": lambda: f"{mon} {d}, {y}",
            "dmy": lambda: f"{d} {mon[:3]} {y}",
            "monthyear": lambda: f"{mon} of {y}",
            "mon_y": lambda: f"{mon[:3]} {y}",
            "md": lambda: f"{m:02d}/{d:02d}",
            "m_d": lambda: f"{m}/{d}",
            "season": lambda: f"{self.c(_SEASONS)} {y}",
            "ord": lambda: f"the {d}{'th' if 10 <= d <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(d % 10, 'th')}",
            "monthday": lambda: f"{mon} {d}",
            "stamp": lambda: f"{m:02d}/{d:02d}/{y % 100:02d}",
            "dash": lambda: f"{m}-{d}-{y % 100:02d}",
        }
        key = shape or self.c(list(shapes))
        return (shapes[key](), "DATE", key)

    # numbers
    def phone(self) -> Ph:
        a, b, c = self.r.randint(201, 989), self.r.randint(200, 999), self.r.randint(0, 9999)
        v = self.c(
            [
                f"({a}) {b}-{c:04d}",
                f"{a}-{b}-{c:04d}",
                f"{a}.{b}.{c:04d}",
                f"{a} {b} {c:04d}",
                f"{b}-{c:04d}",
                f"x{self.r.randint(2, 7)}-{c:04d}",
                f"ext. {self.r.randint(1000, 9999)}",
                f"1-{a}-{b}-{c:04d}",
            ]
        )
        return (v, "PHONE", "phone")

    def pager(self) -> list[Any]:
        return [
            self.c(["pager #", "pager ", "beeper ", "p", "pgr #"]),
            (str(self.r.randint(10000, 99999)), "PHONE", "pager"),
        ]

    def mrn(self) -> Ph:
        v = self.c(
            [
                f"{self.r.randint(0, 9999999):07d}",
                f"{self.r.randint(100, 999)}-{self.r.randint(10, 99)}-{self.r.randint(10, 99)}",
                f"{self.r.randint(10000000, 99999999)}",
            ]
        )
        return (v, "ID", "mrn")

    def acct(self) -> Ph:
        return (self.c(["A", "B", "HB", ""]) + str(self.r.randint(10**7, 10**9)), "ID", "account")

    def accession(self) -> Ph:
        return (
            self.c(
                [
                    f"S{self.year % 100}-{self.r.randint(1000, 99999)}",
                    f"RA{self.r.randint(10**6, 10**7)}",
                    f"{self.r.randint(10**7, 10**8)}",
                ]
            ),
            "ID",
            "accession",
        )

    def job(self) -> Ph:
        return (str(self.r.randint(10**5, 10**7)), "ID", "job")

    def age90(self) -> Ph:
        return (str(self.r.randint(90, 104)), "AGE", "over89")


# ---------------------------------------------------------------------------------------------------- pieces
_HPI = [
    "He has a history of CAD s/p CABG, DM2 on insulin, CKD stage 3 and HTN.",
    "She has longstanding HTN, hyperlipidemia and paroxysmal atrial fibrillation on warfarin.",
    "Past history is notable for COPD on 2L home O2, OSA on CPAP and obesity (BMI 41).",
    "Known CHF with EF 30% per echo, ICD in place, followed in heart failure clinic.",
    "History of breast cancer s/p lumpectomy and XRT, on anastrozole.",
    "Presents with 3 days of productive cough, fevers to 101.4 and pleuritic chest pain.",
    "Reports worsening dyspnea on exertion, 2-pillow orthopnea and 8 lb weight gain.",
    "Came in after a mechanical fall at home without LOC; c/o R hip pain.",
]
_MEDS = [
    "Lisinopril 20 mg po daily",
    "Metoprolol succinate 50 mg daily",
    "Atorvastatin 40 mg qhs",
    "Metformin 1000 mg bid",
    "Lasix 40 mg po bid",
    "ASA 81 mg daily",
    "Coumadin 5 mg qd (goal INR 2-3)",
    "Insulin glargine 22 units qhs",
    "Omeprazole 20 mg daily",
    "Levothyroxine 88 mcg daily",
    "Tiotropium 1 puff daily",
    "Gabapentin 300 mg tid",
    "Sertraline 50 mg daily",
    "Plavix 75 mg daily",
]
_ASSESS = [
    "Will titrate diuretics and recheck lytes in 1 week.",
    "Continue current regimen; follow up in 3 months with labs.",
    "Plan cardiac cath; risks and benefits discussed and patient agrees.",
    "A1c 8.2, will add glipizide 5 mg daily.",
    "CXR with RLL infiltrate; started ceftriaxone and azithromycin.",
    "Hgb stable at 10.1; no signs of active bleeding.",
]


def _header(g: _Gen, d: _Doc, caps_labels: bool) -> None:
    if g.r.random() < 0.6:
        d.f("Record date: {dt}\n", dt=g.date("iso"))
    labels = (
        ("MRN", "Unit No", "Medical Record #", "MR#") if caps_labels else ("MRN", "Unit Number", "MR #", "Med Rec #")
    )
    if g.r.random() < 0.5:
        d.f("\n{h}\n", h=g.hosp())
    d.f("{l}: {m}\n", l=g.c(list(labels)), m=g.mrn())
    if g.r.random() < 0.5:
        d.f("Re: {p}\n", p=[(v[0].upper(), v[1], v[2]) if isinstance(v, tuple) else v for v in g.last_first()])
    else:
        d.f("Patient: {p}\n", p=g.full())
    if g.r.random() < 0.4:
        d.f("Acct #: {a}\n", a=g.acct())


def _stamp(g: _Gen, d: _Doc) -> None:
    d.f("\n\n{doc}\n\n", doc=g.doc())
    d.f("{ic}\n", ic=g.initials_code())
    d.f("DD: {a}\nDT: {b}\n", a=g.date("stamp"), b=g.date("stamp"))
    if g.r.random() < 0.5:
        d.f("TD: {a} {t}\n", a=g.date("stamp"), t=f"{g.r.randint(0, 23):02d}:{g.r.randint(0, 59):02d}")
    d.f("JOB #: {j}\n", j=g.job())
    if g.r.random() < 0.5:
        d.f(
            "eScription document: {e} {x}\n",
            e=(f"{g.r.randint(1, 9)}-{g.r.randint(10**6, 10**7)}", "ID", "job"),
            x=g.c(["ISFFocus", "EMSSten Tel", "CSSten"]),
        )
    if g.r.random() < 0.6:
        d.f("Dictated by: {doc}\n", doc=g.doc())
    if g.r.random() < 0.5:
        d.f("cc: {a}\n    {b}, {h}\n", a=g.doc(), b=g.doc(), h=g.hosp())


def _social(g: _Gen, d: _Doc) -> None:
    k = g.r.randint(0, 5)
    if k == 0:
        d.f(
            "SOCIAL HISTORY: {job} from {t}. Lives with his {rel} {n} in {t2}. Former smoker, quit in {y}.\n",
            job=g.c(_JOBS),
            t=g.town(),
            rel=g.c(_RELATIONS),
            n=g.first("family"),
            t2=g.town(),
            y=str(g.year - 20),
        )
    elif k == 1:
        d.f(
            "Social: works at {e} as a {job}. Married, 3 children ({a}, {b} and {c}). Drinks 2 beers/week.\n",
            e=g.employer(),
            job=g.c(["driver", "clerk", "welder", "manager"]),
            a=g.first("family"),
            b=g.first("family"),
            c=g.first("family"),
        )
    elif k == 2:
        d.f(
            "SH: retired from {e} in {y}; lives alone in an apartment on {s} in {t}. Daughter {n} {l} checks on "
            "her daily.\n",
            e=g.employer(),
            y=str(g.year - 8),
            s=g.street(),
            t=g.town(),
            n=g.first("family"),
            l=g.last("family"),
        )
    elif k == 3:
        d.f(
            "Social history: Moved here from {t} in {m}. Resides at {nh} since {dt}. HCP is her son {n} ({ph}).\n",
            t=g.town(),
            m=g.date("mon_y"),
            nh=g.nursing(),
            dt=g.date("monthyear"),
            n=g.full("family"),
            ph=g.phone(),
        )
    elif k == 4:
        d.f(
            "Lives at {a} with partner {n}. Employed by {e}. Grew up in {t}.\n",
            a=g.address(),
            n=g.first("family"),
            e=g.employer(),
            t=g.town(),
        )
    else:
        d.f(
            "social: lives w/ wife {n} in {t}, worked {y} yrs for {e}. no etoh, no ivdu.\n",
            n=g.first("family"),
            t=g.town(),
            y=str(g.r.randint(10, 40)),
            e=g.employer(),
        )


def _family(g: _Gen, d: _Doc) -> None:
    d.f(
        "FAMILY HISTORY: Mother ({n}) died at {a} of MI. Brother {b} with colon cancer at 58. "
        "Father had Parkinson's disease.\n",
        n=g.first("family"),
        a=g.age90(),
        b=g.first("family"),
    )


def _meds(g: _Gen, d: _Doc) -> None:
    d.add("MEDICATIONS:\n")
    for m in g.r.sample(_MEDS, 4):
        d.add(f"  {m}\n")


# ---------------------------------------------------------------------------------------------------- doc types
def _discharge(g: _Gen, d: _Doc) -> None:
    _header(g, d, True)
    d.f("ADMISSION DATE: {a}\nDISCHARGE DATE: {b}\n", a=g.date("us"), b=g.date("us"))
    d.f("Attending: {doc}\nPCP: {pcp}, {cl}\n", doc=g.doc(), pcp=g.doc(), cl=g.clinic())
    d.f(
        "\nHISTORY OF PRESENT ILLNESS: {p} is a {age}-year-old {sx} admitted from {nh} on {dt}. {hpi}\n",
        p=g.title_last(),
        age=g.c([str(g.r.randint(40, 89)), g.age90()]),
        sx=g.c(["man", "woman", "gentleman"]),
        nh=g.c([g.nursing(), g.hosp()]),
        dt=g.date(g.c(["long", "short", "m_d"])),
        hpi=g.c(_HPI),
    )
    d.f(
        "He was seen by {doc} at {h} in {s} for the same complaint.\n",
        doc=g.doc(),
        h=g.hosp(),
        s=g.date(g.c(["season", "monthyear"])),
    )
    d.f(
        "\nHOSPITAL COURSE: Admitted to {w}. {a} Cardiology ({doc}) was consulted on {dt}.\n",
        w=g.ward(),
        a=g.c(_ASSESS),
        doc=g.doc(),
        dt=g.date("md"),
    )
    _meds(g, d)
    _social(g, d)
    d.f(
        "\nDISPOSITION: Discharged to {nh}. Follow-up with {pcp} on {dt}, call {ph}.\n",
        nh=g.c([g.nursing(), "home with VNA"]),
        pcp=g.doc(),
        dt=g.date(g.c(["long", "md", "us"])),
        ph=g.phone(),
    )
    _stamp(g, d)


def _clinic(g: _Gen, d: _Doc) -> None:
    _header(g, d, False)
    d.f(
        "\n{cl}\n{addr}\nTel {ph}  Fax {fx}\n\n",
        cl=g.clinic(),
        addr=g.address(),
        ph=g.phone(),
        fx=(g.phone()[0], "PHONE", "fax"),
    )
    d.f("{dt}\n\nCC: follow-up of HTN and DM.\n\n", dt=g.date("long"))
    d.f(
        "HPI: {p} returns for follow-up. Last seen on {dt} by {np}. {hpi}\n",
        p=g.first(),
        dt=g.date(),
        np=g.doc(),
        hpi=g.c(_HPI),
    )
    if g.r.random() < 0.5:
        _family(g, d)
    _meds(g, d)
    _social(g, d)
    d.f(
        "A/P: {a} RTC {dt}. Labs at {h} lab prior.\n",
        a=g.c(_ASSESS),
        dt=g.date(g.c(["ord", "monthday", "md"])),
        h=g.hosp(),
    )
    d.f("\n______________________\n{doc}\n", doc=g.doc())
    if g.r.random() < 0.5:
        d.f("Electronically signed by {doc} on {dt}\n", doc=g.doc(), dt=g.date("us"))


def _letter(g: _Gen, d: _Doc) -> None:
    d.f("{cl}\n{addr}\n\n{dt}\n\n", cl=g.c([g.clinic(), g.hosp()]), addr=g.address(), dt=g.date("long"))
    d.f("{doc}\n{h}\n{addr}\n\n", doc=g.doc(), h=g.c([g.hosp(), g.clinic()]), addr=g.address())
    d.f("Re: {p}\nDOB: {dob}\nMRN: {m}\n\n", p=g.last_first(), dob=g.date("us"), m=g.mrn())
    d.f(
        "Dear Dr. {c}:\n\nThank you for referring {p} to {cl}. I saw him on {dt}. As you know, he is a "
        "{age}-year-old {job} from {t}. {hpi}\n",
        c=g.last("clinician"),
        p=g.title_last(),
        cl=g.clinic(),
        dt=g.date(g.c(["long", "monthday", "us"])),
        age=str(g.r.randint(40, 88)),
        job=g.c(_JOBS),
        t=g.town(),
        hpi=g.c(_HPI),
    )
    d.f(
        "His wife {w} accompanies him today. He previously saw {doc} at {h} in {y}.\n",
        w=g.first("family"),
        doc=g.doc(),
        h=g.hosp(),
        y=g.date(g.c(["monthyear", "season", "mon_y"])),
    )
    d.f(
        "\nIMPRESSION: {a}\n\nI will see him again in {n} weeks. Please feel free to contact me at {ph} or by "
        "pager {pg}.\n",
        a=g.c(_ASSESS),
        n=str(g.r.randint(2, 8)),
        ph=g.phone(),
        pg=(str(g.r.randint(10000, 99999)), "PHONE", "pager"),
    )
    if g.r.random() < 0.3:
        d.f(
            "My e-mail is {e}.\n",
            e=(
                f"{g.c(_FIRST).lower()}.{g.c(_SURNAMES).lower().replace(' ', '')}"
                f"@{g.c(['harrowgate.org', 'nrmc.net', 'tgh-med.org'])}",
                "EMAIL",
                "email",
            ),
        )
    d.f("\nSincerely,\n\n{doc}\n\ncc: {a}\n    {b}\n", doc=g.doc(), a=g.doc(), b=g.full("patient"))
    if g.r.random() < 0.5:
        d.f("\n{ic}\n", ic=g.initials_code())


def _insurance(g: _Gen, d: _Doc) -> None:
    d.f(
        "{dt}\n\n{co}\nUtilization Review Dept.\nFax: {fx}\n\n",
        dt=g.date("long"),
        co=(
            g.c(["Bluebridge Health Plan", "Commonwealth Mutual", "Granite Care HMO", "Harborlight Insurance"]),
            "LOCATION",
            "insurer",
        ),
        fx=(g.phone()[0], "PHONE", "fax"),
    )
    d.f(
        "RE: {p}\nMember ID: {mid}\nGroup #: {grp}\nDate of birth: {dob}\n\n",
        p=g.full(),
        mid=(f"{g.c(['BCX', 'CMH', 'GCH', 'XHP'])}{g.r.randint(10**8, 10**9)}", "ID", "health-plan"),
        grp=(str(g.r.randint(10**4, 10**6)), "ID", "group"),
        dob=g.date("us"),
    )
    d.f(
        "To whom it may concern:\n\nI am writing on behalf of my patient, {p}, to request coverage of "
        "{drug}. She has failed metformin and glipizide since {s}. {hpi}\n",
        p=g.full(),
        drug=g.c(["Ozempic", "Entresto", "Eliquis", "a CPAP machine"]),
        s=g.date(g.c(["season", "monthyear"])),
        hpi=g.c(_HPI),
    )
    d.f(
        "Her CPAP device serial number is {sn}.\n",
        sn=(f"SN {g.r.randint(10**5, 10**6)}-{g.c('ABCKX')}", "ID", "device"),
    )
    d.f(
        "\nPlease contact my office at {ph} with questions.\n\nSincerely,\n{doc}\nNPI {npi}\n",
        ph=g.phone(),
        doc=g.doc(),
        npi=(str(g.r.randint(10**9, 2 * 10**9)), "ID", "license"),
    )


def _radiology(g: _Gen, d: _Doc) -> None:
    d.f(
        "{h} Department of Radiology\n\nPATIENT: {p}   MRN: {m}\nACCESSION #: {acc}\nEXAM DATE: {dt}\n",
        h=g.hosp(),
        p=g.last_first(),
        m=g.mrn(),
        acc=g.accession(),
        dt=g.date(g.c(["us", "dmy", "iso"])),
    )
    d.f("EXAM: CT chest with contrast\nREFERRING: {doc}\n\nCOMPARISON: {dt}.\n\n", doc=g.doc(), dt=g.date())
    d.f(
        "FINDINGS: 6 mm RUL nodule, unchanged. No effusion. Heart size normal. Degenerative changes T7-T9.\n"
        "IMPRESSION: Stable nodule; 12 month follow-up per Fleischner.\n\n"
    )
    d.f(
        "Findings discussed with {doc} by phone at {ph} on {dt}.\nRadiologist: {r}\n",
        doc=g.doc(),
        ph=g.phone(),
        dt=g.date("md"),
        r=g.doc(),
    )


def _pathology(g: _Gen, d: _Doc) -> None:
    d.f(
        "SURGICAL PATHOLOGY REPORT\n{h}\nAccession No.: {acc}\nPatient: {p}  Unit #: {m}\nCollected: {a}  "
        "Received: {b}\n",
        h=g.hosp(),
        acc=g.accession(),
        p=g.last_first(),
        m=g.mrn(),
        a=g.date("us"),
        b=g.date("us"),
    )
    d.f(
        "Submitting physician: {doc}\n\nFINAL DIAGNOSIS:\nA. Colon, sigmoid, biopsy: tubular adenoma.\n"
        "B. Lymph nodes 0/12.\n\nSigned out by {pa} on {dt}\n",
        doc=g.doc(),
        pa=g.doc(),
        dt=g.date("long"),
    )


def _ecg(g: _Gen, d: _Doc) -> None:
    d.f(
        "ECG REPORT  {h}\nName: {p}   ID: {m}   Date: {dt}\nAge: {age}  Sex: F\n",
        h=g.hosp(),
        p=g.last_first(),
        m=g.mrn(),
        dt=g.date(g.c(["short", "us"])),
        age=g.c([g.age90(), str(g.r.randint(30, 89))]),
    )
    d.f(
        "Rate 72  PR 168  QRS 94  QT/QTc 402/431\nSinus rhythm, LAFB. Compared with {dt}, no change.\n"
        "Confirmed by {doc}\n",
        dt=g.date(),
        doc=g.doc(),
    )


def _ed(g: _Gen, d: _Doc) -> None:
    d.f(
        "ED NOTE  {h}\nDate of service: {dt}\nPatient: {p}  MRN {m}\n\n",
        h=g.hosp(),
        dt=g.date("us"),
        p=g.full(),
        m=g.mrn(),
    )
    d.f(
        "{age} yo {sx} BIBA from {nh} with AMS. Per EMS and daughter {n} ({ph}), baseline oriented x2. {hpi}\n",
        age=g.c([g.age90(), str(g.r.randint(50, 89))]),
        sx=g.c(["F", "M"]),
        nh=g.nursing(),
        n=g.first("family"),
        ph=g.phone(),
        hpi=g.c(_HPI),
    )
    d.f(
        "Discussed with on-call resident {a} ({pg}) and with PCP {doc} at {cl}.\n",
        a=g.full("clinician"),
        pg=g.pager(),
        doc=g.doc(),
        cl=g.clinic(),
    )
    d.f("Dispo: admit to {w} under {doc}.\n\n{sig}\n", w=g.ward(), doc=g.doc(), sig=g.doc())


def _problems(g: _Gen, d: _Doc) -> None:
    _header(g, d, False)
    d.add("\nPROBLEM LIST:\n")
    d.f(
        "1. CAD - s/p cath {dt} at {h} (Dr. {c})\n",
        dt=g.date(g.c(["mon_y", "short", "dash"])),
        h=g.hosp(),
        c=g.last("clinician"),
    )
    d.f("2. DM2 - dx {s}; followed by endocrine ({doc})\n", s=g.date(g.c(["season", "monthyear"])), doc=g.doc())
    d.f(
        "3. s/p TKR {dt}, {cl}\n4. Depression - sees therapist {n} at {cl2} monthly\n",
        dt=g.date(g.c(["mon_y", "us"])),
        cl=g.clinic(),
        n=g.full("other"),
        cl2=g.clinic(),
    )
    _family(g, d)
    _social(g, d)
    d.f(
        "Health maintenance: colonoscopy {a}; flu shot {b}; mammogram {c}.\n",
        a=g.date(g.c(["m_d", "mon_y"])),
        b=g.date(g.c(["md", "season"])),
        c=g.date(),
    )


def _typed(g: _Gen, d: _Doc) -> None:
    d.f("{dt} ", dt=g.date(g.c(["m_d", "short"])))
    d.f(
        "pt {p} seen in clinic today w/ {n} (daughter). {hpi} spoke w/ dr {c} at {h} re: echo, she will fax "
        "results to {fx}. ",
        p=g.first(),
        n=g.first("family"),
        hpi=g.c(_HPI),
        c=g.last("clinician"),
        h=g.hosp(),
        fx=(g.phone()[0], "PHONE", "fax"),
    )
    d.f("pt works at {e}, lives in {t}. next appt {dt} w/ {np}. ", e=g.employer(), t=g.town(), dt=g.date(), np=g.doc())
    d.f("-- {ic}\n", ic=[(g.c("ABCDEFGHJKLMNPRSTW") + g.c("ABCDEFGHJKLMNPRSTW"), "NAME", "initials")])


_TYPES: list[tuple[str, Callable[[_Gen, _Doc], None], float]] = [
    ("discharge", _discharge, 3),
    ("clinic", _clinic, 3),
    ("letter", _letter, 3),
    ("insurance", _insurance, 1),
    ("radiology", _radiology, 1.5),
    ("pathology", _pathology, 1),
    ("ecg", _ecg, 1),
    ("ed", _ed, 2),
    ("problems", _problems, 2),
    ("typed", _typed, 1.5),
]


def _case(rng: random.Random, style: str) -> str:
    if style in ("typed",):
        return "lower"
    x = rng.random()
    return "upper" if x < 0.3 else ("lower" if x < 0.4 else "mixed")


def _apply_case(text: str, spans: list[dict[str, Any]], case: str) -> str:
    if case == "mixed":
        return text
    fn = str.upper if case == "upper" else str.lower
    out = fn(text)
    assert len(out) == len(text)
    for s in spans:
        s["value"] = out[s["start"] : s["end"]]
    return out


def corpus(n: int = 300, seed: int = 103) -> list[dict[str, Any]]:
    """``n`` longitudinal-record documents with gold PHI spans."""
    rng = random.Random(seed)
    names = [t[0] for t in _TYPES]
    weights = [t[2] for t in _TYPES]
    makers = {t[0]: t[1] for t in _TYPES}
    recs = []
    for i in range(n):
        style = rng.choices(names, weights)[0]
        g = _Gen(random.Random(rng.random()))
        d = _Doc()
        makers[style](g, d)
        case = _case(rng, style)
        text = _apply_case(d.text(), d.spans, case)
        recs.append({"id": f"b9-{i}", "text": text, "spans": d.spans, "style": f"{style}/{case}"})
    return recs


# ---------------------------------------------------------------------------------------------------- PHI-free
_FREE = [
    "Parkinson disease, on carbidopa-levodopa 25/100 1 tab tid. Graves disease s/p RAI. Cushing syndrome ruled out.",
    "Down syndrome with AV canal repair in childhood. Hashimoto thyroiditis. Bell palsy resolved.",
    "Hope is for discharge to home with VNA once PT clears him. Will bill for prolonged service (99417).",
    "Follow up with primary care in 2 weeks. Seen by cardiology and the ED team; radiology read pending.",
    "Labs: Na 138, K 4.1, Cl 101, HCO3 24, BUN 32, Cr 1.4, glu 187. INR 2.3. Trop <0.01 x2.",
    "CBC: WBC 11.2, Hgb 9.8, Hct 29.4, Plt 212. UA 1+ protein, 0-2 WBC/hpf, nitrite neg.",
    "Take 1/2 tab of metoprolol if HR > 100; Oxycodone 5 mg 2/3 tab q6h prn. Ratio 1/2 on I/O.",
    "Medtronic pacemaker interrogated, normal function. Foley, PICC and Swan removed.",
    "Glasgow Coma Scale 15, NYHA class II, CHA2DS2-VASc 4, HAS-BLED 2, Wells score 1, MELD 12.",
    "Rose from chair with walker. Major depressive disorder, stable on Zoloft. Young adult onset diabetes excluded.",
    "Brown sputum. Pierce the seal on the inhaler before first use. Will Bill Medicare Part B for the DME.",
    "Tylenol 650 mg q6h prn, Lipitor 40 mg, Eliquis 5 mg bid, Lantus 20 units, Humalog sliding scale.",
    "Echo: EF 55-60%, mild MR, RVSP 32. Holter: 3 runs of NSVT, longest 6 beats. ECG: NSR, QTc 440.",
    "Hospital course uncomplicated. Transferred from the hospital floor to the ICU for BiPAP.",
    "Kernig and Brudzinski negative. Babinski downgoing. Romberg positive. Murphy sign absent.",
    "PFTs: FEV1/FVC 0.62, FEV1 1.8 L (58%). DLCO 65%. 6MWT 320 m. Sats 92% on RA.",
    "Social work saw patient; discussed VNA and home safety. Nutrition consulted for 2 g Na diet.",
    "BP 142/88, HR 76, RR 16, T 98.6, SpO2 97% RA. Wt 84 kg. Pain 3/10.",
    "ASSESSMENT AND PLAN: Stable angina. Continue beta blocker, statin and aspirin. Stress test in the spring.",
    "Dictated but not read. Please note this note was transcribed using voice recognition software.",
    "Alzheimer dementia, Crohn disease in remission on Humira, Raynaud phenomenon, Sjogren syndrome.",
    "Patient lives with family, independent in ADLs, retired, former smoker 30 pack-years.",
    "Ambulating in the hall x3. Tolerating regular diet. Plan discharge Monday morning.",
    "Whipple procedure in 2071; Nissen fundoplication; Roux-en-Y gastric bypass. Hartmann pouch.",
    "Apgar 8/9. Gravida 2 para 1. Tanner stage 4. Mallampati 2. Gleason 3+4=7. Breslow depth 0.8 mm.",
]


def phi_free(n: int = 100, seed: int = 107) -> list[dict[str, Any]]:
    """``n`` PHI-free documents in the corpus's shapes (headers, lists, labs, letters without identifiers)."""
    rng = random.Random(seed)
    recs = []
    for i in range(n):
        k = rng.randint(0, 3)
        parts = rng.sample(_FREE, rng.randint(4, 8))
        if k == 0:
            text = "HOSPITAL COURSE:\n" + "\n".join(parts) + "\n\nDISPOSITION: home.\n"
        elif k == 1:
            text = "PROBLEM LIST:\n" + "\n".join(f"{j + 1}. {p}" for j, p in enumerate(parts))
        elif k == 2:
            text = "To whom it may concern:\n\n" + " ".join(parts) + "\n\nSincerely,\nThe clinic staff\n"
        else:
            text = "MEDICATIONS:\n" + "\n".join(f"  {p}" for p in parts) + "\n"
        case = rng.choice(["mixed", "mixed", "upper", "lower"])
        text = text.upper() if case == "upper" else text.lower() if case == "lower" else text
        recs.append({"id": f"b9f-{i}", "text": text, "spans": [], "style": f"free/{case}"})
    return recs
