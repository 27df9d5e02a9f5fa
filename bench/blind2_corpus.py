"""A second blind corpus of ICU nursing and resident notes, written before reading the detector rules.

Narrative shift notes the way real staff type them: run-on paragraphs, telegraphic lines, events with times,
family meetings and phone calls, typos and missing punctuation, names in ALL CAPS inside lower-case text,
nicknames, names that are common words, staff by first name only, pager/beeper/cell/extension numbers in every
shape, month/day dates, wards, hospitals, rehabs and towns in any case. Names and places come from the lists
below (diverse origins, invented places), not from the detectors' data.

``corpus(n, seed)`` returns records ``{"id", "text", "spans": [{"start", "end", "type", "value", "kind"}],
"style"}`` with gold types NAME, DATE, LOCATION, PHONE, AGE (over 89) and ID; ``phi_free(n, seed)`` returns
notes built only from the PHI-free lines (vitals, drugs, abbreviations, common words that are also names).
Deterministic for a given seed.
"""

from __future__ import annotations

import random
import re
from typing import Any

FIRST = [
    "Hope",
    "Rose",
    "Will",
    "May",
    "Grant",
    "Jen",
    "Dan",
    "Kat",
    "Priya",
    "Wei",
    "Hiroshi",
    "Oluwaseun",
    "Chinedu",
    "Amara",
    "Kwame",
    "Ama",
    "Fatima",
    "Ahmed",
    "Jose",
    "Guadalupe",
    "Xiomara",
    "Rafael",
    "Maricela",
    "Bogdan",
    "Svetlana",
    "Dragana",
    "Zbigniew",
    "Miroslav",
    "Oksana",
    "Agnieszka",
    "Thanh",
    "Minh",
    "Sunil",
    "Deepa",
    "Tariq",
    "Yusuf",
    "Ngozi",
    "Folake",
    "Tomasz",
    "Katarzyna",
    "Siobhan",
    "Declan",
    "Padraig",
    "Lorraine",
    "Dolores",
    "Marguerite",
    "Earl",
    "Vern",
    "Trish",
    "Gus",
    "Mei",
    "Jun",
    "Haruto",
    "Yuki",
    "Aiko",
    "Soo-jin",
    "Ji-ho",
    "Anh",
    "Bao",
    "Lakshmi",
    "Arjun",
    "Ravi",
    "Nadia",
    "Layla",
    "Omar",
    "Khalid",
    "Abebe",
    "Tsion",
    "Chiamaka",
    "Emeka",
    "Kofi",
    "Adwoa",
    "Thandiwe",
    "Sipho",
    "Imani",
    "Jamal",
    "Tyrone",
    "Latoya",
    "Shaniqua",
    "Darnell",
    "Luz",
    "Inez",
    "Ximena",
    "Joaquin",
    "Esperanza",
    "Milagros",
    "Pilar",
    "Vesna",
    "Goran",
    "Jelena",
    "Andrzej",
    "Wojciech",
    "Ludmila",
    "Yaroslav",
    "Irina",
    "Dmitri",
    "Pavel",
    "Ilona",
    "Ferenc",
    "Bronwyn",
    "Callum",
    "Eilidh",
    "Ingrid",
    "Sven",
    "Astrid",
    "Mirela",
]
NICK = [
    "Bobby",
    "Jimmy",
    "Peggy",
    "Sal",
    "Tony",
    "Liz",
    "Beth",
    "Kathy",
    "Chuck",
    "Manny",
    "Lupe",
    "Ricky",
    "Dot",
    "Bud",
    "Skip",
    "Patty",
    "Mikey",
    "Tess",
]
LAST = [
    "Baker",
    "Grant",
    "Young",
    "King",
    "Brown",
    "Love",
    "Bishop",
    "Hall",
    "Rose",
    "Hope",
    "May",
    "Will",
    "O'Donnell",
    "McAllister",
    "MacNeil",
    "Smith-Jones",
    "Garcia-Lopez",
    "Nwosu",
    "Okafor",
    "Adeyemi",
    "Mensah",
    "Boateng",
    "Tran",
    "Nguyen",
    "Pham",
    "Le",
    "Kim",
    "Park",
    "Choi",
    "Zhang",
    "Liu",
    "Wong",
    "Yamamoto",
    "Takahashi",
    "Patel",
    "Srinivasan",
    "Chaudhry",
    "Haddad",
    "Khoury",
    "Kowalczyk",
    "Wisniewski",
    "Petrov",
    "Ivanova",
    "Novak",
    "Horvath",
    "Dimitrov",
    "Popescu",
    "Jovanovic",
    "Hernandez",
    "Delgado",
    "Ocasio",
    "Villanueva",
    "Figueroa",
    "Santiago",
    "Ferreira",
    "Cardoso",
    "Fitzgerald",
    "Sullivan",
    "Kaplan",
    "Goldberg",
    "Rosenthal",
    "Lindqvist",
    "Halvorsen",
    "O'Rourke",
    "McGillicuddy",
    "D'Amato",
    "DeLuca",
    "Abernathy",
    "Ekwueme",
    "Tesfaye",
    "Haile",
    "Oyelaran",
    "Bui",
    "Vo",
    "Hoang",
    "Inoue",
    "Matsuda",
    "Banerjee",
    "Iyer",
    "Qureshi",
    "Farouk",
    "Mahmoud",
    "Zielinski",
    "Kovac",
    "Szabo",
    "Radu",
    "Stoica",
    "Baptiste",
    "Toussaint",
    "Pierre-Louis",
    "Castellanos",
    "Quintero",
    "Arroyo",
    "Whitcombe",
    "Pennington",
    "Ashby",
    "Thorne",
    "Cobb",
    "Marsh",
    "Frost",
    "Gentry",
    "Lowe",
    "Wolfe",
    "Swift",
]
HOSPITAL = [
    "Harborview General",
    "Kessling Memorial",
    "North Ridge Hospital",
    "Sacred Heart of Millbury",
    "St. Brendan's",
    "Greylock Medical Center",
    "Fairhaven Mercy",
    "Mt. Carmel of Dunmore",
    "Cobb Valley Hospital",
    "Riverside Baptist",
    "Lakeshore Regional",
    "Wexford General",
    "Holy Family Ashcroft",
    "Brigham Falls Hospital",
    "St. Agatha's",
    "Quarry Hill Medical Center",
    "Eastbrook Deaconess",
]
HOSP_ABBR = ["NRH", "KMH", "SBH", "GMC", "WGH", "QHMC", "EBD", "LRH", "HFA"]
FACILITY = [
    "Pinecrest Rehab",
    "Maple Court Nursing Home",
    "Brightwater Manor",
    "Oak Hill Rehab",
    "Hillcrest Clinic",
    "Riverbend Health Center",
    "Sunnyvale Nursing Home",
    "Cedar Knoll Rehab",
    "Willow Glen Manor",
    "Briarwood House",
    "Laurel Ridge Skilled Nursing",
    "Fox Run Care Center",
    "Heritage Hills Rehab",
    "Seabrook Dialysis",
    "Marigold Terrace",
    "St. Jude's Hospice House",
    "Elmwood Health Care",
]
WARD = [
    "Kessler 6",
    "ELLISON 10",
    "Whitby 3",
    "Baird 7",
    "CC7",
    "Farr 2",
    "Stoneman 5",
    "Reisman 11",
    "Blake 12",
    "Harkness 4",
    "Tobin 9",
    "Gryzmish 8",
    "Lunder 6",
    "Bigelow 11",
    "Wang 3",
    "Phillips 9",
    "Feldberg 7",
]
TOWN = (
    (
        "Millbury Ashcroft Wexford Dunmore Revere Lowell Brockton Haverhill Saugus Methuen Dracut Chicopee "
        "Fall River|New Bedford|Hyannis|Worcester|Taunton|Attleboro|Lynnfield|Peabody|Woburn|Sharon|Canton"
    )
    .replace(" ", "|")
    .replace("Fall|River", "Fall River")
    .replace("New|Bedford", "New Bedford")
    .split("|")
)
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"]
MONTHS_LONG = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
DAYS = [
    "mon",
    "tues",
    "wed",
    "thurs",
    "fri",
    "sat",
    "sun",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
]
RELATION = "wife husband son daughter dtr sister brother niece nephew mother father HCP proxy granddaughter friend"
ROLE = [
    "RN",
    "NP",
    "PA",
    "MD",
    "resident",
    "fellow",
    "attending",
    "intern",
    "HO",
    "charge",
    "RN",
    "RT",
    "PT",
    "SW",
    "CM",
]


def _pick(rng: random.Random, seq: list[str] | tuple[str, ...]) -> str:
    return rng.choice(list(seq))


class _Note:
    """A note under construction: text pieces with their gold spans."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.spans: list[dict[str, Any]] = []
        self.pos = 0

    def add(self, s: str, typ: str | None = None, kind: str = "") -> None:
        if typ:
            self.spans.append({"start": self.pos, "end": self.pos + len(s), "type": typ, "value": s, "kind": kind})
        self.parts.append(s)
        self.pos += len(s)


class _Gen:
    """Slot fillers: each appends its pieces (label only on the identifying part) to a note."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.people = [(_pick(rng, FIRST), _pick(rng, LAST)) for _ in range(3)]
        self.staff = [_pick(rng, FIRST) for _ in range(4)]
        self.docs = [_pick(rng, LAST) for _ in range(3)]

    def _cased(self, s: str) -> str:
        r = self.rng.random()
        if r < 0.15:
            return s.upper()  # ALL CAPS inside a lower-case note
        if r < 0.25:
            return s.lower()
        return s

    def name(self, n: _Note, s: str, kind: str) -> None:
        n.add(self._cased(s), "NAME", kind)

    def FN(self, n: _Note) -> None:  # noqa: N802
        self.name(n, _pick(self.rng, [p[0] for p in self.people] + NICK[:4]), "first")

    def LN(self, n: _Note) -> None:  # noqa: N802
        self.name(n, _pick(self.rng, [p[1] for p in self.people]), "last")

    def FULL(self, n: _Note) -> None:  # noqa: N802
        f, last = _pick(self.rng, self.people)
        self.name(n, f, "first")
        n.add(" ")
        self.name(n, last, "last")

    def NICK(self, n: _Note) -> None:  # noqa: N802
        self.name(n, _pick(self.rng, NICK), "nick")

    def STAFF(self, n: _Note) -> None:  # noqa: N802
        self.name(n, _pick(self.rng, self.staff), "staff")

    def DOC(self, n: _Note) -> None:  # noqa: N802
        r = self.rng
        title = _pick(r, ["Dr. ", "Dr ", "dr ", "DR ", "Dr.", "dr. ", "DR. "])
        n.add(title)
        if r.random() < 0.2:
            self.name(n, _pick(r, FIRST), "doc-first")
            n.add(" ")
        self.name(n, _pick(r, self.docs), "doc")

    def DOCBARE(self, n: _Note) -> None:  # noqa: N802
        self.name(n, _pick(self.rng, self.docs), "doc-bare")

    def REL(self, n: _Note) -> None:  # noqa: N802
        r = self.rng
        rel = _pick(r, RELATION.split())
        n.add(rel + _pick(r, [" ", " ", ", ", " (", " - "]))
        glue = n.parts[-1].endswith("(")
        self.name(n, _pick(r, [p[0] for p in self.people] + NICK), "relation")
        if glue:
            n.add(")")

    def DATE(self, n: _Note) -> None:  # noqa: N802
        r = self.rng
        m, d = r.randint(1, 12), r.randint(1, 28)
        y = r.choice(["98", "99", "01", "2098", "2101", "97"])
        shape = r.randint(0, 11)
        ordn = {1: "st", 2: "nd", 3: "rd"}.get(d if d < 20 else d % 10, "th")
        s = [
            f"{m}/{d}",
            f"{m}-{d}",
            f"{m:02d}/{d:02d}",
            f"{m}/{d}/{y}",
            f"{_pick(r, MONTHS)} {d}",
            f"{d}{ordn}",
            f"{MONTHS_LONG[m - 1]} {d}{ordn}",
            f"{m}/{d}",
            f"{m}.{d}.{y}",
            f"{m}/{d}",
            f"{_pick(r, MONTHS).upper()} {d}",
            f"{m:02d}-{d:02d}-{y}",
        ][shape]
        n.add(s, "DATE", "date")

    def MD(self, n: _Note) -> None:  # noqa: N802
        m, d = self.rng.randint(1, 12), self.rng.randint(1, 30)
        n.add(self.rng.choice([f"{m}/{d}", f"{m}-{d}", f"{m:02d}/{d:02d}"]), "DATE", "md")

    def ORD(self, n: _Note) -> None:  # noqa: N802
        d = self.rng.randint(1, 28)
        ordn = {1: "st", 2: "nd", 3: "rd"}.get(d if d < 20 else d % 10, "th")
        n.add(f"{d}{ordn}", "DATE", "ordinal")

    def HOSP(self, n: _Note) -> None:  # noqa: N802
        r = self.rng
        s = _pick(r, HOSPITAL) if r.random() < 0.7 else _pick(r, HOSP_ABBR)
        n.add(self._cased(s), "LOCATION", "hospital")

    def FAC(self, n: _Note) -> None:  # noqa: N802
        n.add(self._cased(_pick(self.rng, FACILITY)), "LOCATION", "facility")

    def WARD(self, n: _Note) -> None:  # noqa: N802
        n.add(self._cased(_pick(self.rng, WARD)), "LOCATION", "ward")

    def TOWN(self, n: _Note) -> None:  # noqa: N802
        n.add(self._cased(_pick(self.rng, TOWN)), "LOCATION", "town")

    def PHONE(self, n: _Note) -> None:  # noqa: N802
        r = self.rng
        a, b, c = r.randint(201, 989), r.randint(200, 999), r.randint(0, 9999)
        s = _pick(
            r,
            [
                f"({a}) {b}-{c:04d}",
                f"{a}-{b}-{c:04d}",
                f"{a} {b} {c:04d}",
                f"{a}.{b}.{c:04d}",
                f"{b}-{c:04d}",
                f"{a}{b}{c:04d}",
                f"{a} {b} {c // 100:02d} {c % 100:02d}",
                f"{a}-{b}{c:04d}",
            ],
        )
        n.add(s, "PHONE", "phone")

    def PAGER(self, n: _Note) -> None:  # noqa: N802
        r = self.rng
        s = _pick(
            r,
            [
                f"{r.randint(10000, 99999)}",
                f"{r.randint(1, 9)}-{r.randint(1000, 9999)}",
                f"#{r.randint(1, 9)}-{r.randint(1000, 9999)}",
                f"{r.randint(1000, 9999)}",
                f"{r.randint(100, 999)}-{r.randint(1000, 9999)}",
            ],
        )
        if s.startswith("#"):
            n.add("#")
            s = s[1:]
        n.add(s, "PHONE", "pager")

    def EXT(self, n: _Note) -> None:  # noqa: N802
        r = self.rng
        form = r.randint(0, 3)
        num = f"{r.randint(1000, 99999)}"
        n.add(["x", "ext ", "ext. ", "x "][form])
        n.add(num, "PHONE", "ext")

    def AGE(self, n: _Note) -> None:  # noqa: N802
        n.add(str(self.rng.randint(90, 104)), "AGE", "age")

    def ID(self, n: _Note) -> None:  # noqa: N802
        r = self.rng
        s = _pick(
            r, [f"{r.randint(1000000, 9999999)}", f"{r.randint(100, 999)}-{r.randint(10, 99)}-{r.randint(10, 99)}"]
        )
        n.add(s, "ID", "mrn")


# Lines with slots. {SLOT} fills from _Gen; everything else is literal text.
NARRATIVE = [
    "pt is a {AGE} yo woman admitted from {FAC} on {DATE} with urosepsis, hx of chf, afib on coumadin",
    "{AGE} y/o M from {TOWN} transferred from {HOSP} for further mgmt of GI bleed",
    "received pt from {WARD} at 1900 after rapid response, sats 84% on 4L",
    "{AGE}yo F, lives with dtr in {TOWN}, baseline ambulates w walker",
    "admitted {MD} to the MICU from {HOSP} ED. pmh dm2 htn ckd",
    "pt was seen at {HOSP} on {DATE} and told to f/u with pcp {DOC}",
    "transferred to {WARD} on {MD} once stable, report given to {STAFF} RN",
    "pt was at {FAC} until {MD}, sent in for mental status changes",
    "d/c planning: pt to go back to {FAC} vs {FAC} when medically cleared, CM {STAFF} following",
    "wife {FN} at bedside most of day, very supportive, lives in {TOWN}",
    "family meeting held at 1400 w/ {DOC}, {DOC}, SW {STAFF}, pt's son {FN} and dtr {FN}. "
    "decision made to make pt DNR/DNI",
    "fam mtg today w {DOC}'s team, {REL} and {REL} present, ? trach/peg vs cmo, will readdress {DAY} {MD}",
    "{REL} called at 2200 for update, given by this RN, she can be reached at {PHONE}",
    "HCP is {REL}, cell {PHONE}, home {PHONE}",
    "called {STAFF} re: labs, K 3.2 repleted w 40meq kcl",
    "paged {DOC} re: hypotension, pgr {PAGER}, NS bolus 500cc given w/ good effect",
    "spoke with {STAFF} from pharmacy re vanco trough",
    "report called to {STAFF} on {WARD} x{PAGER}",
    "report called to {FN} {PAGER}, pt transferred via bed at 1630",
    "{FULL} from {FAC} called, please call back at {PHONE} ext {PAGER}",
    "pt's niece {FN} ({PAGER}) would like a call if any changes",
    "son {FN} ({PAGER}) aware of plan",
    "team ({STAFF}/{STAFF}) aware of uop <30cc/hr x3h, bolus ordered",
    "{STAFF}/{STAFF} notified, no new orders",
    "seen by {DOC} (renal), plan for CVVH in am, temp HD line to be placed by {DOC}'s fellow",
    "{DOC} and {DOCBARE} in to see pt this am, ok to advance diet",
    "discussed w/ attending {DOC} who agrees",
    "resident {STAFF} at bedside for line placement, CXR confirms placement",
    "NP {FULL} saw pt, recs appreciated",
    "cardiology fellow {FN} {LN} called back from {HOSP}, will see in am",
    "pt's PCP is {DOC} at {FAC}, fax {PHONE}",
    "pt's brother {FULL} ({TOWN}) is the emergency contact, {PHONE}",
    "visited by {NICK} (pt's friend from church) and {REL}",
    "pt keeps asking for {FN}, reoriented frequently",
    "pt states 'call my daughter {FN}' her # is {PHONE}",
    "old records requested from {HOSP}, MR# {ID}",
    "last admit {DATE} at {HOSP} for same",
    "echo on {MD} showed EF 20%",
    "cath on the {ORD} showed 3vd, cabg planned for {DAY} {MD}",
    "s/p fall at home on {DATE}, found by neighbor {FN}",
    "pt to return to {TOWN} with VNA when stable",
    "bed requested on {WARD}, pending",
    "spoke to {LN} family, they will be in at 1000 tomorrow",
    "mrs. {LN} in to visit, updated on plan of care",
    "MR. {LN} wants his wife called at {PHONE} before any procedure",
    "{FULL}'s wife asking about dc date, told {DATE} tentative",
    "plan per {DOC}: wean vent as tol, SBT in am",
    "dr.{LN} aware of temp 38.9, cultures sent",
    "case d/w {DOC}, {STAFF} NP and {STAFF} (charge)",
    "{STAFF} from IV team placed 20g L FA",
    "pt seen by PT ({STAFF}), OOB to chair x1 hr",
    "appt with {DOC} at {FAC} on {DATE} at 10am",
    "pt born in {TOWN}, worked as a machinist at the {TOWN} mill",
    "pt {AGE} years old, lives alone, niece {FN} checks on her daily",
    "ninety-something per family, {AGE} per chart",
    "{DOC}'s pager {PAGER}, covering for {DOC} this wknd",
    "call {STAFF} at {EXT} w/ any questions",
    "blood bank called ({EXT}), 2u prbc ready",
    "heme onc ({DOC}) pgr {PAGER}",
    "bpr #{PAGER} for on call resident",
    "rt {STAFF} suctioned for thick tan secretions",
    "wife {FN} and daughter {FN}/{FN} here, tearful, chaplain {STAFF} called",
    "son {FN}'s phone {PHONE}, wife's cell {PHONE}",
    "transfer from {HOSP} {MD} for higher level of care, seen at {FAC} prior",
    "plan d/c to {FAC} {DAY}",
    "pt resident of {FAC} in {TOWN}",
    "CODE STATUS: full code per {REL} on {MD}",
    "pt states her name is {FN}, oriented x2",
    "will f/u w/ {DOC} in clinic {DATE}",
    "{DATE} 0800 cxr: worsening bibasilar opacities",
    "{DATE}@1400 repeat lactate 2.1",
    "events: {MD} 0300 desat to 82%, bagged, {DOC} to bedside",
]
EVENT = [
    "0200 pt became agitated pulling at lines, haldol 2mg iv given per {STAFF}",
    "0415 {DOC} paged re: sbp 80s, 250cc lr bolus",
    "2130 {REL} called, updated",
    "1100 pt to ct w/ rn and rt, back 1145",
    "1500 family mtg w/ {DOC}, {REL} present",
    "0600 labs sent, {STAFF} aware K 3.1",
    "2300 spoke w/ {FN} (dtr) at {PHONE}",
    "1700 report to {STAFF} on {WARD}",
    "0930 rounds w/ {DOC} team",
    "1830 MD {LN} to bedside, art line placed",
]
CLEAN = [
    "neuro: a+ox3, mae, perrla, follows commands",
    "neuro a&ox1, lethargic but arousable to voice, RASS -1",
    "cv: nsr 70-80s no ectopy, bp 120/70 - 140/80, k 3.2 repleted",
    "resp: vent settings a/c 500 x 14 peep 5 fio2 40%, ls coarse bilat",
    "abg 7.32/45/88/24 on 12/10/40%",
    "cpap 10/5 with 40%, tol well",
    "gi: abd soft nt/nd +bs, tf at goal 60cc/hr, flexiseal in place draining brown liquid stool",
    "gu: foley draining clear yellow urine 30-50cc/hr",
    "id: tmax 101.2, on vanco/zosyn, wbc 14.2",
    "skin: stage 2 on coccyx, duoderm intact, turned q2h",
    "heme: hct 24.1, transfused 1u prbc, plt 88",
    "endo: ssri, fs bs 180-220, humalog per scale",
    "lytes: K 3.2, CA 8.4, MG 1.7, PHOS 2.1 all repleted",
    "pt may need reintubation if continues to tire",
    "will cont to monitor and update team",
    "hope to wean to ps today",
    "pt rose from chair w/ 2 assist",
    "young looking for age",
    "king size bed ordered for comfort",
    "pt ate 3/4 of dinner tray",
    "d5 1/2ns at 75cc/hr",
    "percocet 5/325 1 tab po q4h prn",
    "map 60-65 on levo 0.08 mcg/kg/min",
    "hr 110-120s st, lopressor 5mg iv x2",
    "i/o +1.2L, los +8L",
    "ett 7.5 @ 23 at the lip, ogt to lcws",
    "pt to cath lab at 1300, back in micu 1545",
    "t/c from pharmacy re: dosing, ok per team",
    "called pharmacy, level pending",
    "spoke with team re: plan",
    "ciwa 8, no ativan needed",
    "gcs 15, pain 4/10, dilaudid 0.5mg iv",
    "pt will go to rehab when stable",
    "dispo: rehab vs home w/ services",
    "ambulated 2x in hall with walker, steady",
    "bs coarse rll, diminished bases, sx for small amt thick white",
    "pt c/o 8/10 back pain, repositioned w/ relief",
    "1:1 sitter at bedside",
    "bp 90/50 - 110/60, uop 20-30/hr",
    "inr 2.4, coumadin held",
    "glucose 140-180, insulin gtt at 3u/hr",
    "cxr: ett in good position, no ptx",
    "2/2 pain and anxiety, prn ativan given",
    "skin warm dry intact, 2+ pedal edema",
    "sbt x 30 min rsbi 45, extubated to 4L nc",
    "tele: afib 80-100s, rate controlled",
    "npo after midnight for tee",
    "brown stool guaiac neg",
    "hall monitor: pt wandering, bed alarm on",
    "bishop score n/a",
    "will recheck lytes at 1600",
    "plan: cont abx, wean o2 as tol, oob to chair",
    "stepdown bed requested, MICU team aware",
    "picc placed r basilic 42cm, ok to use per cxr",
    "ss scale humalog, q6h fs",
]
HEADERS = [
    "NPN 0700-1900",
    "nursing progress note 7p-7a",
    "MICU NSG NOTE 1900-0700",
    "npn 7a-7p:",
    "Nursing Note 0700-1930",
    "CCU RN note, days",
    "Resident progress note, hd #{N}",
    "NP note",
    "Event note",
]
SIGNOFF = [
    "-{STAFF}",
    "{FULL} RN",
    "{LN}, {FN} RN",
    "{STAFF} R.N.",
    "-{STAFF} RN",
    "{FN} {LN}, NP",
    "signed {FULL}, MD pgr {PAGER}",
    "{STAFF}",
]
DAY_WORDS = DAYS

_SLOT = re.compile(r"\{([A-Z]+)\}")


def _fill(g: _Gen, note: _Note, template: str) -> None:
    pos = 0
    for m in _SLOT.finditer(template):
        note.add(template[pos : m.start()])
        slot = m.group(1)
        if slot == "DAY":
            note.add(_pick(g.rng, DAY_WORDS))
        elif slot == "N":
            note.add(str(g.rng.randint(2, 30)))
        else:
            getattr(g, slot)(note)
        pos = m.end()
    note.add(template[pos:])


def _typos(rng: random.Random, line: str) -> str:
    """Drop the final period, double a space or lower a letter: never inside a slot (applied to templates)."""
    if rng.random() < 0.15:
        line = line.replace(", ", " ", 1)
    if rng.random() < 0.1:
        line = line.replace(" w/ ", " w ", 1)
    return line


def _case(text: str, style: str) -> str:
    if style == "upper":
        return text.upper()
    if style == "lower":
        return text.lower()
    return text


def _note(rng: random.Random, with_phi: bool) -> tuple[_Note, str]:
    g = _Gen(rng)
    note = _Note()
    style = rng.choices(["mixed", "upper", "lower"], [0.5, 0.25, 0.25])[0]
    layout = rng.choice(["narrative", "lines", "events"])
    _fill(g, note, rng.choice(HEADERS) + ("\n" if layout != "narrative" or rng.random() < 0.5 else " "))
    lines: list[str] = []
    n_phi = rng.randint(3, 7) if with_phi else 0
    pool = NARRATIVE + (EVENT * 2 if layout == "events" else [])
    lines += [rng.choice(pool) for _ in range(n_phi)]
    lines += rng.sample(CLEAN, rng.randint(3, 8))
    rng.shuffle(lines)
    if with_phi and rng.random() < 0.8:
        lines.append(rng.choice(SIGNOFF))
    sep = {"narrative": [". ", ". ", " ", ", ", ".  "], "lines": ["\n"], "events": ["\n", "\n", ". "]}[layout]
    for i, line in enumerate(lines):
        _fill(g, note, _typos(rng, line))
        if i < len(lines) - 1:
            note.add(rng.choice(sep))
    note.add(rng.choice(["", ".", "\n"]))
    return note, style


def _record(note: _Note, style: str, rid: str) -> dict[str, Any]:
    text = _case("".join(note.parts), style)
    spans = []
    for s in note.spans:
        s = dict(s)
        s["value"] = text[s["start"] : s["end"]]
        spans.append(s)
    return {"id": rid, "text": text, "spans": spans, "style": style}


def _notes(n: int, seed: int, with_phi: bool, prefix: str) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [_record(*_note(rng, with_phi), f"{prefix}-{seed}-{i}") for i in range(n)]


def corpus(n: int, seed: int = 29) -> list[dict[str, Any]]:
    """``n`` notes with PHI and gold spans; deterministic for ``seed``."""
    return _notes(n, seed, True, "blind2")


def phi_free(n: int, seed: int = 30) -> list[dict[str, Any]]:
    """``n`` notes of clinical lines only (no identifiers): every redaction in them is a false positive."""
    return _notes(n, seed, False, "blind2-free")
