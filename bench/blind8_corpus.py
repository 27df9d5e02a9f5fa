"""Eighth blind corpus: the parts of an ICU chart the earlier blind sets under-sample.

CSRU (cardiac surgery) and neuro ICU notes, MIMIC-II era "Nursing Progress Note" free text written as long run-on
paragraphs without section headers, transfer and accept notes between units and hospitals, code / rapid-response
event notes naming every staff member present, and family communication logs (first names, nicknames and
surnames mid-sentence with no relation word near them). Staff names in every position and case, possessives,
names that are also words, surnames of many origins with particles and apostrophes, hospitals by name, initials
and nickname, rehabs and nursing homes with and without a facility word, towns that are words, dates and phones in
the shapes nurses type, typos in cue words.

Every name and place here comes from the lists in this file (invented for it), not from any list in the repo.
Gold types: NAME, LOCATION, DATE, AGE (over 89), PHONE, ID. ``corpus(n, seed)`` returns
``{"id", "text", "spans": [{"start", "end", "type", "value", "kind"}], "style"}``; ``phi_free(n, seed)`` returns
PHI-free notes of the same styles, dense with look-alikes (spans empty).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from typing import Any

# ---------------------------------------------------------------------------------------------------------------
# Lists (written for this corpus).
FIRST = [
    "Connie", "Bernadette", "Loretta", "Marjorie", "Dot", "Bud", "Sal", "Gus", "Nell", "Trish", "Deb", "Kathy",
    "Thanh", "Minh", "Huong", "Phuong", "Chidi", "Ngozi", "Oluwaseun", "Adaeze", "Emeka", "Folake",
    "Wojciech", "Agnieszka", "Grzegorz", "Bozena", "Siobhan", "Padraig", "Ciaran", "Aoife", "Mackenson",
    "Guerline", "Fabiola", "Wisly", "Joao", "Conceicao", "Manuel", "Fatima", "Sopheap", "Chanthou", "Vuthy",
    "Sokha", "Dimitrios", "Eleni", "Spiros", "Rania", "Khalil", "Yousef", "Samira", "Svetlana", "Dmitri",
    "Oksana", "Arkady", "Earlene", "Verna", "Delphine", "Orrin", "Lavinia", "Tadeusz", "Marisol",
]
WORD_FIRST = [
    "Hope", "Faith", "Joy", "Bill", "Will", "Chase", "Hunter", "Rich", "Grace", "Dawn", "Frank", "Art", "Ray",
    "Sunny", "Rose", "Buck", "Penny", "Autumn",
]
NICK = ["Bunny", "Sonny", "Tootie", "Bebe", "Kiki", "Junior", "Peaches", "Skip", "Cookie", "Tata", "Babs"]
SURNAME = [
    "Nguyen", "Tran", "Pham", "Huynh", "Ng", "Okonkwo", "Adeyemi", "Eze", "Babatunde", "Oyelaran", "Kowalczyk",
    "Wisniewski", "Zielinski", "Grabowski", "Szczepanik", "O'Sullivan", "McGillicuddy", "Fitzgerald", "Reilly",
    "Desrosiers", "Pierre-Louis", "Toussaint", "Dorvil", "Jean-Baptiste", "Medeiros", "Rodrigues", "Furtado",
    "Sousa", "Chhim", "Sok", "Prak", "Keo", "Papadopoulos", "Karalis", "Andreou", "Haddad", "Khoury", "Nassar",
    "Al-Amin", "Abdelrahman", "Ivanova", "Sokolov", "Kuznetsov", "Volkova", "de la Cruz", "Van der Berg",
    "Di Napoli", "D'Amato", "Osei", "Mensah", "Patel", "Lindqvist", "Oduya", "Brannigan", "Tremblay",
]
WORD_SURNAME = ["Young", "Long", "Cook", "Baker", "Brown", "White", "Gay", "Ward", "Page", "Hunter", "Rich", "Chase"]
HOSPITALS = [  # (full name, initials or None, nickname or None)
    ("Marrowfield General Hospital", "MGH", "the General"),
    ("St. Eligius Hospital", "SEH", "St. E's"),
    ("Quarry Point Medical Center", "QPMC", "Quarry Point"),
    ("Harlan Beach Hospital", "HBH", "Harlan"),
    ("Mercy Hollow Hospital", "MHH", "Mercy Hollow"),
    ("Brackett Memorial Hospital", "BMH", "Brackett"),
    ("Ashgrove Regional Medical Center", "ARMC", "Ashgrove"),
    ("Sisters of Providence Hospital", "SPH", "Providence"),
    ("Tamsin Valley Hospital", "TVH", "Tamsin"),
]
NURSING_HOMES = [  # (with facility word, bare)
    ("Linden Court Nursing Home", "Linden Court"),
    ("Fernwood Manor", "Fernwood"),
    ("Cobble Ridge Nursing and Rehab", "Cobble Ridge"),
    ("Harborview Skilled Nursing Facility", "Harborview"),
    ("Bellweather House", "Bellweather"),
    ("Saint Brigid's Home", "St Brigid's"),
]
REHABS = [
    ("Tidewater Rehab", "Tidewater"),
    ("Greystone Rehabilitation Hospital", "Greystone"),
    ("Maplecrest Rehab Center", "Maplecrest"),
    ("Pellham Acute Rehab", "Pellham"),
]
WARDS = ["Farr 4", "Ellison 9", "Blake 12", "Wexler 7", "Feeney 3", "Kessler 5", "Thorne 6", "Bartlett 11"]
TOWNS = [
    "Brockhaven", "Winslow Falls", "East Quarry", "Kettle Cove", "Pell Harbor", "Ashby Falls", "North Tamsin",
    "Orange", "Reading", "Hull", "Bath", "Mission", "Sharon", "Ware", "Gardner", "Canton", "Dover", "Hope Valley",
]
NEIGHBOURHOODS = ["Gallows Hill", "Fenwick Square", "the Flats", "Dorrance Heights", "Lower Mills"]
STREETS = ["Quince Terrace", "Pollard Rd", "Alder St", "Cask Lane", "Bellflower Ave", "Tuttle Way"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
MON_ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec"]
WEEKDAYS = ["mon", "tues", "wed", "thurs", "fri", "sat", "sun", "Monday", "Tues", "Wed", "Thurs", "Fri"]

# Gold-span markers: text is written with markers, then parsed into plain text and spans.
_MARK = re.compile("\x01(\\w+)\x02(\\w+)\x02(.*?)\x03", re.S)


def _m(typ: str, kind: str, value: str) -> str:
    return f"\x01{typ}\x02{kind}\x02{value}\x03"


class _Gen:
    """Random PHI values of one note, as marked text."""

    def __init__(self, rng: random.Random) -> None:
        self.r = rng
        self.pt_last = self.sur()

    def pick(self, xs: list[Any]) -> Any:
        return self.r.choice(xs)

    def sur(self) -> str:
        return self.pick(WORD_SURNAME) if self.r.random() < 0.2 else self.pick(SURNAME)

    def first(self) -> str:
        return self.pick(WORD_FIRST) if self.r.random() < 0.25 else self.pick(FIRST)

    # names -----------------------------------------------------------------------------------------------------
    def fn(self, kind: str = "family_first", value: str | None = None) -> str:
        return _m("NAME", kind, value or self.first())

    def sn(self, kind: str = "staff_surname", value: str | None = None) -> str:
        return _m("NAME", kind, value or self.sur())

    def full(self, kind: str = "family_full") -> str:
        return _m("NAME", kind, f"{self.first()} {self.sur()}")

    def nick(self) -> str:
        return _m("NAME", "nickname", self.pick(NICK))

    def doc(self) -> str:
        """A physician by title and surname, any spacing."""
        t = self.pick(["Dr. ", "Dr ", "DR.", "dr ", "Dr.", "Doctor "])
        return t + self.sn("staff_title")

    def rn_sig(self) -> str:
        """A sign-off."""
        f = self.first()
        s = self.sur()
        shape = self.r.randrange(5)
        if shape == 0:
            return "-- " + _m("NAME", "signature", f"{f[0]}. {s}") + " RN"
        if shape == 1:
            return _m("NAME", "signature", f"{f} {s}") + ", RN"
        if shape == 2:
            return "-" + _m("NAME", "signature", f"{f[0]}{s[0]}")
        if shape == 3:
            return _m("NAME", "signature", s) + " RN"
        return "/" + _m("NAME", "signature", f"{f} {s[0]}.") + " RN"

    def staff_any(self) -> str:
        """A staff member in one of the positions nurses write them in."""
        s = self.sur()
        f = self.first()
        shapes: list[Callable[[], str]] = [
            lambda: self.doc() + " aware",
            lambda: _m("NAME", "staff_bare", s) + " aware",
            lambda: "d/w " + _m("NAME", "staff_bare", s),
            lambda: "per " + _m("NAME", "staff_bare", s) + "/" + self.sn("staff_bare"),
            lambda: _m("NAME", "staff_rn", s) + " RN aware",
            lambda: "resident (" + _m("NAME", "staff_paren", f) + ") paged",
            lambda: "sicu team (" + _m("NAME", "staff_paren", s) + ") at bedside",
            lambda: "cards fellow " + _m("NAME", "staff_role", f) + " notified",
            lambda: "NP " + _m("NAME", "staff_role", f"{f} {s}") + " in to see pt",
            lambda: "md " + _m("NAME", "staff_role", s) + " made aware",
            lambda: "discussed w/ " + _m("NAME", "staff_bare", f),
            lambda: "covering HO " + _m("NAME", "staff_role", s) + " at bs",
        ]
        return self.pick(shapes)()

    # places ----------------------------------------------------------------------------------------------------
    def hosp(self) -> str:
        full, ini, nick = self.pick(HOSPITALS)
        k = self.r.randrange(3)
        if k == 0:
            return _m("LOCATION", "hospital", full)
        if k == 1 and ini:
            return _m("LOCATION", "hospital_initials", ini)
        if nick and nick.startswith("the "):
            return "the " + _m("LOCATION", "hospital_nickname", nick[4:])
        return _m("LOCATION", "hospital_nickname", nick or full)

    def nh(self) -> str:
        full, bare = self.pick(NURSING_HOMES)
        return _m("LOCATION", "nursing_home" if self.r.random() < 0.5 else "nursing_home_bare",
                  full if self.r.random() < 0.5 else bare)

    def rehab(self) -> str:
        full, bare = self.pick(REHABS)
        return _m("LOCATION", "rehab", full if self.r.random() < 0.5 else bare)

    def ward(self) -> str:
        return _m("LOCATION", "ward", self.pick(WARDS))

    def town(self) -> str:
        return _m("LOCATION", "town", self.pick(TOWNS))

    def hood(self) -> str:
        h = self.pick(NEIGHBOURHOODS)
        if h.startswith("the "):
            return "the " + _m("LOCATION", "neighbourhood", h[4:])
        return _m("LOCATION", "neighbourhood", h)

    def street(self) -> str:
        return _m("LOCATION", "street", f"{self.r.randint(2, 390)} {self.pick(STREETS)}")

    # dates, ages, phones ---------------------------------------------------------------------------------------
    def md(self) -> tuple[int, int]:
        return self.r.randint(1, 12), self.r.randint(1, 28)

    def date(self) -> str:
        """A date in one of the shapes nurses type (``3/4``, ``3-4``, ``the 4th``, ``4/3-4/5``, ``mon 3/4`` ...)."""
        m, d = self.md()
        r = self.r

        def md() -> str:
            return _m("DATE", "md", f"{m}/{d}")

        shapes: list[Callable[[], str]] = [
            md,
            md,
            md,
            lambda: _m("DATE", "m_dash_d", f"{m}-{d}"),
            lambda: _m("DATE", "md_yy", f"{m}/{d}/{r.randint(0, 19):02d}"),
            lambda: _m("DATE", "month_name", f"{self.pick(MONTHS)} {d}"),
            lambda: _m("DATE", "month_abbr", f"{d} {self.pick(MON_ABBR).upper()}"),
            lambda: "the " + _m("DATE", "ordinal", f"{d}{_ord(d)}"),
            lambda: _m("DATE", "range", f"{m}/{d}") + "-" + _m("DATE", "range", f"{m}/{min(28, d + r.randint(1, 3))}"),
            lambda: self.pick(WEEKDAYS) + " " + _m("DATE", "weekday_md", f"{m}/{d}"),
            lambda: _m("DATE", "month_name", f"{self.pick(MONTHS).lower()} {d}{_ord(d)}"),
            lambda: _m("DATE", "m_dot_d", f"{m}.{d}"),
            lambda: _m("DATE", "month_abbr", f"{self.pick(MON_ABBR)}. {d}"),
            lambda: _m("DATE", "md_yyyy", f"{m}/{d}/20{r.randint(10, 19)}"),
        ]
        return shapes[r.randrange(len(shapes))]()

    def age(self) -> str:
        a = self.r.randint(90, 103)
        return self.pick([
            _m("AGE", "age", str(a)) + " yo",
            _m("AGE", "age", str(a)) + "yo",
            _m("AGE", "age", str(a)) + " y/o",
            _m("AGE", "age", f"{a}F"),
            _m("AGE", "age", f"{a}M"),
            "age " + _m("AGE", "age", str(a)),
        ])

    def phone(self) -> str:
        """A phone, pager, beeper or extension in the pieces nurses write them in."""
        r = self.r

        def num(lo: int, hi: int) -> int:
            return r.randint(lo, hi)

        shapes: list[Callable[[], str]] = [
            lambda: "pgr " + _m("PHONE", "pager", f"{num(1, 9)}-{num(1000, 9999)}"),
            lambda: _m("PHONE", "ext", f"x{num(1000, 9999)}"),
            lambda: "beeper #" + _m("PHONE", "pager", f"{num(1000, 99999)}"),
            lambda: "cell " + _m("PHONE", "phone", f"{r.choice([617, 508, 781, 978])} 555 {num(1000, 9999)}"),
            lambda: _m("PHONE", "phone", f"({r.choice([413, 508, 774])}){num(200, 999)}-{num(1000, 9999)}"),
            lambda: "pager " + _m("PHONE", "pager", f"{num(10000, 99999)}"),
            lambda: "ext " + _m("PHONE", "ext", f"{num(2, 8)}-{num(1000, 9999)}"),
            lambda: "h# " + _m("PHONE", "phone", f"781-{num(200, 999)}-{num(1000, 9999)}"),
            lambda: _m("PHONE", "phone", f"617.{num(200, 999)}.{num(1000, 9999)}"),
            lambda: "#" + _m("PHONE", "phone", f"{num(200, 999)}-{num(1000, 9999)}"),
        ]
        return shapes[r.randrange(len(shapes))]()

    def time(self) -> str:
        return f"{self.r.randint(0, 23):02d}{self.r.choice(['00', '15', '30', '45'])}"

    def mrn(self) -> str:
        return self.pick(["MRN ", "mrn#", "Unit No. "]) + _m("ID", "mrn", str(self.r.randint(1000000, 9999999)))


def _ord(d: int) -> str:
    if 10 <= d % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")


# ---------------------------------------------------------------------------------------------------------------
# Sentence pools by note type. Each entry takes a _Gen and returns marked text.
S = Callable[[_Gen], str]

CSRU: list[S] = [
    lambda g: f"pt is POD#{g.r.randint(0, 5)} ({g.date()}) s/p CABG x{g.r.randint(2, 5)} w/ {g.doc()}",
    lambda g: f"arrived from OR @ {g.time()} on {g.date()} intubated on neo and propofol, CT's to sxn w/ serosang drainage",  # noqa: E501
    lambda g: f"CT surgery {g.sn()} at bedside re: chest tube output 200cc/hr, {g.sn()} (fellow) aware",
    lambda g: f"pacing wires in place, VVI 80 per EP {g.sn()}, underlying SR 70s",
    lambda g: f"wife {g.fn()} in to visit, updated by {g.fn('staff_first')} NP, she can be reached at {g.phone()}",
    lambda g: f"pt was transferred back from {g.hosp()} on {g.date()} for redo sternotomy",
    lambda g: f"plan to extubate in AM per {g.doc()}'s team",
    lambda g: f"pt's dtr {g.full()} from {g.town()} called x2, given update",
    lambda g: f"CSRU charge RN {g.fn('staff_first')} aware of plan",
    lambda g: f"AVR/MVR on {g.date()} by {g.doc()}, {g.sn('staff_surname')} assisting",
    lambda g: f"hct 24, 1u PRBC given, {g.sn('staff_bare')} ok'd, recheck @ 2200",
    lambda g: f"IABP 1:1 d/c'd {g.date()} @ {g.time()} by {g.doc()}",
    lambda g: f"{g.staff_any()}",
    lambda g: f"{g.staff_any()} re: K 3.4, repleted",
    lambda g: f"son {g.fn()} ({g.phone()}) wants call if any change",
    lambda g: f"CI 2.1, CVP 12, PAD 18, {_m('NAME', 'staff_bare', g.sur().upper())} AWARE",
    lambda g: f"pt from {g.town()}, lives alone at {g.street()}",
]
NEURO: list[S] = [
    lambda g: f"pt s/p fall at home in {g.town()} on {g.date()}, found down by neighbor {g.fn('neighbour')}, taken to {g.hosp()} then transferred here",  # noqa: E501
    lambda g: "neuro checks q1h, GCS 9 (E2V2M5), pupils 3mm brisk, EVD open at 10cm, draining clear CSF",
    lambda g: f"{g.doc()} (nsgy) aware ICP 22-25, mannitol given",
    lambda g: f"NSGY resident ({g.fn('staff_paren')}) paged @ {g.time()}, {g.phone()}, re: L pupil now sluggish",
    lambda g: f"stroke fellow {g.sn()} at bedside, CT head done {g.date()}",
    lambda g: f"son {g.fn()} at bedside, asks that his sister {g.fn()} be called at {g.phone()}",
    lambda g: f"{g.fn()}'s husband is HCP, will be in tmrw",
    lambda g: f"aneurysm coiled {g.date()}, vasospasm watch day {g.r.randint(3, 12)}, TCDs per {g.sn()}",
    lambda g: f"{g.staff_any()}",
    lambda g: f"pt {g.age()} F w/ SAH, hunt hess 3",
    lambda g: f"{_m('NAME', 'family_first', g.first().upper())} CALLED, UPDATED BY RN",
    lambda g: f"pt lives in {g.hood()} w/ dtr {g.fn()}",
    lambda g: f"seizure activity noted @ {g.time()}, ativan 2mg given, {g.sn('staff_bare')}/{g.sn('staff_bare')} notified",  # noqa: E501
    lambda g: f"EEG by {g.sn('staff_bare')} on {g.date()}",
]
NPN: list[S] = [
    lambda g: f"pt remains on levo at 0.08, MAP 60s, {g.doc()} aware and ok w/ this",
    lambda g: f"family in throughout the day, {g.fn()} and {g.fn()} here til 1800",
    lambda g: f"spoke with {g.fn()} at length, she will call {g.fn()}",
    lambda g: f"{g.fn()} asked about dialysis, told would d/w team in am",
    lambda g: f"pt was at {g.nh()} prior to admit {g.date()}",
    lambda g: f"will need screen for {g.rehab()} vs return to {g.nh()}",
    lambda g: f"{g.staff_any()}",
    lambda g: f"{g.staff_any()}",
    lambda g: f"pt's {g.pick(['friend', 'neighbor', 'brother', 'niece', 'grandson'])} {g.fn()} {g.sn('family_surname')} visited",  # noqa: E501
    lambda g: f"{g.fn()} {g.pick(['is', 'was'])} tearful at bedside, emotional support given",
    lambda g: f"abx changed {g.date()} per ID ({g.sn('staff_paren')})",
    lambda g: f"pt {g.age()} w/ hx CHF, COPD, from {g.town()}",
    lambda g: f"lines: R IJ placed {g.date()}, A-line L radial {g.date()}",
    lambda g: f"night RN {g.fn('staff_first')} reports pt slept poorly",
    lambda g: f"{g.fn()} and her husband {g.fn()} in @ {g.time()}, updated",
    lambda g: _m("NAME", "word_name", g.pick(WORD_FIRST)) + " states pt would not want trach",
]
TRANSFER: list[S] = [
    lambda g: f"Accept note: pt transferred from {g.hosp()} {g.ward()} on {g.date()} for cath",
    lambda g: f"report given to {g.fn('staff_first')} RN on {g.ward()}, pt transferred via bed w/ monitor @ {g.time()}",
    lambda g: f"pt accepted by {g.doc()} of {g.hosp()}",
    lambda g: f"came from the {g.pick(['floor', 'ED', 'OR', 'cath lab'])} at {g.hosp()}",
    lambda g: f"tx to {g.ward()} this pm, report called to {g.fn('staff_first')}",
    lambda g: f"orig admitted to {g.hosp()} {g.date()}, txf'd to {g.hosp()} {g.date()}",
    lambda g: f"pt's PCP is {g.doc()} in {g.town()}, {g.phone()}",
    lambda g: f"belongings sent w/ pt, wife {g.fn()} took glasses and ring",
    lambda g: f"{g.staff_any()}",
    lambda g: f"pt {g.age()} from {g.nh()} in {g.town()}",
    lambda g: f"{g.mrn()} verified w/ sending RN {g.full('staff_full')}",
    lambda g: f"dc to {g.rehab()} planned for {g.date()}",
]
CODE: list[S] = [
    lambda g: f"RAPID RESPONSE called @ {g.time()} {g.date()} for SBP 70s. present: {g.doc()} (ICU fellow), {g.full('staff_full')} RN, RT {g.fn('staff_first')}, pharmacist {g.sn()}, resident {g.full('staff_full')}",  # noqa: E501
    lambda g: f"CODE BLUE called @ {g.time()}, CPR started by {g.fn('staff_first')} RN, first shock by {g.doc()}, ROSC @ {g.time()}",  # noqa: E501
    lambda g: f"code leader {g.sn()}; recorder {g.fn('staff_first')}; compressions {g.fn('staff_first')}/{g.fn('staff_first')}/{g.fn('staff_first')}",  # noqa: E501
    lambda g: f"anesthesia ({g.sn('staff_paren')}) intubated w/ 7.5 ETT, 1st attempt",
    lambda g: f"family ({g.fn()}) notified by {g.doc()} @ {g.time()}",
    lambda g: f"{g.staff_any()}",
    lambda g: f"attending {g.full('staff_full')} at bedside, decision to transfer to CCU",
    lambda g: f"epi x2, amio 300, shocked 200J x1 per {g.sn('staff_bare')}",
    lambda g: f"{g.sn('staff_rn')} RN and {g.sn('staff_rn')} RN present throughout",
]
FAMILY: list[S] = [
    lambda g: f"{g.time()} - {g.fn()} (dtr) called, updated on pt's condition",
    lambda g: f"spoke with {g.fn()} at length, she will call {g.fn()}",
    lambda g: f"{g.full()} in to visit w/ {g.fn()}, asking about DNR",
    lambda g: f"left msg for {g.fn()} at {g.phone()} re: family mtg {g.date()}",
    lambda g: f"{g.fn()}'s husband {g.fn()} is HCP",
    lambda g: f"{g.fn()} states {g.fn()} ({g.nick()}) is the one to call",
    lambda g: f"{g.fn()} asks that no info be given to {g.fn()}",
    lambda g: f"{_m('NAME', 'family_first', g.first().upper())}'S NUMBER IS {g.phone()}",
    lambda g: f"called {g.fn()} back @ {g.time()}, no answer",
    lambda g: f"family mtg held {g.date()} w/ {g.doc()}, SW {g.fn('staff_first')}, {g.fn()} and {g.fn()}",
    lambda g: f"{g.fn()} {g.sn('family_surname')} ({g.phone()}) is contact person",
    lambda g: f"pt's sister in {g.town()} ({g.fn()}) aware",
    lambda g: f"{g.fn()} will be in {g.date()} after work",
    lambda g: f"updated {g.fn()} by phone, she'll pass on to {g.fn()}",
    lambda g: f"{g.fn()} and {g.fn()} visited, brought pt's rosary",
]
STYLES: dict[str, list[S]] = {
    "csru": CSRU, "neuro": NEURO, "npn_runon": NPN, "transfer": TRANSFER, "code_event": CODE, "family_log": FAMILY,
}
HEADS = {
    "csru": ["CSRU NPN: ", "CSRU nsg note ", "", "Nursing Progress Note: "],
    "neuro": ["Neuro ICU nsg: ", "NSICU NPN ", "", "Nursing Progress Note "],
    "npn_runon": ["Nursing Progress Note ", "NPN 7a-7p: ", "", "nsg note: "],
    "transfer": ["Transfer note: ", "Accept note ", "TRANSFER NOTE - ", ""],
    "code_event": ["Event note: ", "RAPID RESPONSE NOTE ", "Code note: ", ""],
    "family_log": ["Family communication: ", "Family log ", "", "SW/family: "],
}


def _parse(marked: str) -> tuple[str, list[dict[str, Any]]]:
    out: list[str] = []
    spans: list[dict[str, Any]] = []
    pos = 0
    n = 0
    for mm in _MARK.finditer(marked):
        plain = marked[pos : mm.start()]
        out.append(plain)
        n += len(plain)
        typ, kind, value = mm.group(1), mm.group(2), mm.group(3)
        spans.append({"start": n, "end": n + len(value), "type": typ, "value": value, "kind": kind})
        out.append(value)
        n += len(value)
        pos = mm.end()
    out.append(marked[pos:])
    return "".join(out), spans


def _typo(rng: random.Random, s: str) -> str:
    """Fast typing: sometimes drop the space after punctuation or swap two letters of a cue word."""
    if rng.random() < 0.3:
        s = s.replace(", ", ",", 1)
    if rng.random() < 0.15:
        for a, b in (("called", "calld"), ("aware", "awre"), ("paged", "pgaed"), ("spoke", "spok"),
                     ("visit", "vist"), ("updated", "udpated"), ("husband", "husbnad"), ("daughter", "dauhgter")):
            if a in s:
                return s.replace(a, b, 1)
    return s


def _note(rng: random.Random, style: str, pool: list[S]) -> str:
    g = _Gen(rng)
    k = rng.randint(4, 9)
    sents = [_typo(rng, f(g)) for f in rng.sample(pool, min(k, len(pool)))]
    joiner = rng.choice([", ", ". ", " ", "... ", "; ", ".  "])
    body = rng.choice(HEADS[style]) + joiner.join(sents) + "."
    if rng.random() < 0.6:
        body += " " + g.rn_sig()
    return body


def _case(rng: random.Random, text: str, spans: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]], str]:
    r = rng.random()
    if r < 0.3:
        up = text.upper()
        return up, [dict(s, value=up[s["start"] : s["end"]]) for s in spans], "upper"
    if r < 0.5:
        lo = text.lower()
        return lo, [dict(s, value=lo[s["start"] : s["end"]]) for s in spans], "lower"
    return text, spans, "mixed"


def corpus(n: int = 300, seed: int = 97) -> list[dict[str, Any]]:
    """``n`` notes with gold spans, deterministic in ``seed``."""
    rng = random.Random(seed)
    recs: list[dict[str, Any]] = []
    names = list(STYLES)
    for i in range(n):
        style = names[i % len(names)]
        text, spans = _parse(_note(rng, style, STYLES[style]))
        text, spans, case = _case(rng, text, spans)
        assert "\x01" not in text and all(text[s["start"] : s["end"]] == s["value"] for s in spans)
        recs.append({"id": f"b8-{i}", "text": text, "spans": spans, "style": f"{style}/{case}"})
    return recs


# ---------------------------------------------------------------------------------------------------------------
# PHI-free notes: look-alikes only.
FREE: list[str] = [
    "frank blood noted in foley bag, MD aware",
    "will f/u lytes in am",
    "hope to wean to extubate tmrw if ABG ok",
    "chase K w/ 40meq KCl, recheck at 1600",
    "page resident if SBP <90",
    "young adult son at bedside per pt report",
    "long term plan is trach/PEG",
    "diet rich in K, pt refusing",
    "brown drainage from OGT, guaiac neg",
    "white count 14.2 up from 11",
    "ward clerk aware of bed request",
    "Swan-Ganz: CI 2.3, SVR 1100, PAD 16, wedge 14",
    "AC 500x14, PEEP 5, FiO2 40%, ABG 7.38/42/96",
    "Glasgow coma score 10, hunt hess 3, fisher grade 3",
    "Cushing's triad absent, ICP 12-15 w/ EVD at 15cm",
    "pacer VVI 80, wires capped, underlying SR",
    "levophed 0.06 mcg/kg/min, neo off since 0200",
    "1/2 NS at 75/hr, 3/4 strength TF at goal 60",
    "Babinski neg bilat, PERRL 3-2mm brisk",
    "BP 110/60, HR 88 SR, RR 18, sat 96% on 2L",
    "Trendelenburg for line placement, tolerated",
    "CT output 40-60cc/hr serosang, no air leak",
    "MICU team aware, CCU fellow to see pt",
    "rehab screen sent, PT/OT following",
    "cath lab called, pt to go at 1400",
    "dilaudid 0.5mg IV q2h prn, ativan 1mg prn",
    "mag 2.0, phos 3.1, ca 8.4, K 3.9",
    "pt oriented x3, following commands, MAE",
    "Dr. aware, no new orders",
    "NP aware, will reassess at 2000",
    "resident paged re: UO 20cc/hr x2h",
    "team at bedside, plan d/w attending",
    "family updated by phone, will visit tmrw",
    "wife at bedside, husband's brother called",
    "dtr called, updated by RN",
    "Foley to CBI, clots noted",
    "Hgb 8.1, 2 units PRBC ordered",
    "pt is POD#2 s/p CABG x3, CTs to sxn",
    "EVD leveled at tragus, ICP 8-10",
    "mon labs drawn, thurs CXR done",
    "rapid response called @ 0215 for SBP 70s, fluid bolus 1L given",
    "code blue called, CPR x4 min, ROSC, epi x2",
    "Fisher grade 4, nimodipine 60 q4",
    "bill sent to pharmacy for missing dose",
    "Will need repeat CT head in am",
    "Hope is that pt can be extubated by wknd",
    "chase the lactate, repeat at 1800",
    "rich blood return from R IJ all ports",
    "long QT on EKG, cards aware",
    "page the on call NSGY if ICP >20",
    "faith in team expressed by family",
    "joy of seeing pt awake per family",
    "GCS 3-4-5 = 12",
    "2/3 of dose given before pt refused",
    "1/2 amp D50 given for BS 58",
    "baker's cyst on US of L knee",
    "Brown-Sequard pattern noted by neuro",
    "White classification not applicable",
    "ward rounds at 0900",
    "pt in 2nd week of admission",
    "since the weekend pt more alert",
    "tx to floor when bed available",
    "accept note: pt from ED, admitted to MICU",
    "CSRU charge RN aware of plan",
    "Marshall score 3, midline shift 4mm",
    "Hunter's canal noted on US",
    "Gay-Lussac law discussion w/ RT",
    "Coumadin on hold, INR 2.8",
    "Lasix 40 IV given with good response",
    "Keppra 500 bid, Decadron 4 q6",
    "MAP goal 65-75, SBP <160",
    "neuro checks q1h, pupils 3 mm brisk",
]


def phi_free(n: int = 100, seed: int = 101) -> list[dict[str, Any]]:
    """``n`` PHI-free notes in the corpus's styles, dense with look-alikes; spans empty."""
    rng = random.Random(seed)
    recs: list[dict[str, Any]] = []
    names = list(STYLES)
    for i in range(n):
        style = names[i % len(names)]
        k = rng.randint(4, 8)
        joiner = rng.choice([", ", ". ", " ", "... ", "; "])
        text = rng.choice(HEADS[style]) + joiner.join(rng.choice(FREE) for _ in range(k)) + "."
        case = rng.random()
        if case < 0.3:
            text = text.upper()
        elif case < 0.5:
            text = text.lower()
        recs.append({"id": f"b8f-{i}", "text": text, "spans": [], "style": f"{style}/free"})
    return recs
