"""A blind, seeded corpus of ICU nursing notes in the style of the PhysioNet "deid" gold standard, with gold spans.

Written without reading the detectors' rules and drawing surrogates from lists the detectors do not ship: first
names and surnames of diverse origins (many of them also common English words: Hope, Rose, Baker, Grant, May),
invented hospitals, hospital abbreviations, named units (``Corwin 7``), rehabs, nursing homes and towns. Notes are
terse, system by system (NEURO / CV / RESP / GI / GU / SKIN / SOCIAL / PLAN), ALL CAPS, lower case or mixed, with
vitals, labs and vent settings that look like identifiers and are not.

Gold follows the deid convention: NAME (patients, family, staff; titles excluded, initials included), DATE
(month/day, years, two-digit years; weekdays and times are not PHI), LOCATION (hospitals, named wards and units,
clinics, rehabs and nursing homes by name, towns and neighbourhoods; generic units such as ``MICU``, ``rehab``,
``cath lab`` are not), PHONE (phones, pagers, extensions), AGE (over 89).

``corpus(n, seed)`` returns records ``{"id", "text", "spans": [{"start", "end", "type", "value", "kind"}],
"style"}``; ``phi_free(n, seed)`` returns notes built from the same clinical lines without identifiers.
``python -m bench.nursing_corpus`` prints a few notes.
"""

from __future__ import annotations

import random
import re
from typing import Any


def _w(s: str) -> list[str]:
    return s.split()


# Surrogates of diverse origin, chosen by hand; the second group are also common English words.
_FIRST = _w(
    "Tamsin Oksana Ngozi Farhan Ilse Teodoro Marisol Keanu Anouk Bartek Yusra Desmond Ingrid Kwame Soledad "
    "Thuy Radek Aoife Casimir Leilani Mateus Nadia Priyanka Ruairi Svetlana Tobiah Ulla Wendell Xiomara Yannick "
    "Zofia Afua Brennan Cosima Dariusz Eamon Folake Gideon Hyun Ines Jarrah Kasimir Lorcan Mireille Nnamdi "
    "Odalys Pilar Quinlan Roisin Sanjay Thandiwe Umberto Vesna Wilhelmina Yevgeny Zainab Agnieszka Bao Cormac "
    "Dagny Efua Fintan Goran Halima Ismay Joaquin Katya Lachlan Marit Nuno Orla Paavo Rafferty Saoirse Tadeo"
)
_FIRST_WORDS = _w("Hope Rose Will May Grace Faith Joy June Art Bill Pat Sue Mark Ray Dawn Sky Glen Wade Hunter")
_LAST = _w(
    "Wexler Abernathy Oyelaran Kowalczyk Nakashima Ferreira Lindqvist Okonkwo Prendergast Vasquez Haddad "
    "Szymanski Thornbury Achterberg Mbeki Castellanos Rasmussen Delacroix Fitzgerald Oduya Petrakis Quintero "
    "Halloran Bjornstad Esposito Gallardo Ivanova Jablonski Kirkpatrick Lachance Moreau Nwosu O'Rourke "
    "Pellegrino Rahimi Sorensen Tremblay Ueda Villanueva Whitcombe Yamaguchi Zielinski Ashworth Brannigan "
    "Cuthbert Dunleavy Egbuna Farquhar Gundersen Hollenbeck Iwasaki Kilbride Marchetti Nakagawa Obuya "
    "Pemberton Ruckert Stavros Tindall Valdivia Winterbottom Mac-Ewan Ferreira-Lopes"
)
_LAST_WORDS = _w("Baker Grant Hunter Rose Bishop Fox Marsh Hill Young Sharp Wise Frost Gay Bell Field Lamb Page")

# Invented places; no gazetteer holds them.
_HOSP = [
    "Marrowfield General Hospital",
    "St. Oswin's Hospital",
    "st elsewhere hospital",
    "Kelbrook Medical Center",
    "Halvering Memorial",
    "Brantmoor Regional Hospital",
    "Sisters of Ardith Hospital",
    "Quillon Valley Hospital",
    "Dunstreet Medical Center",
    "St. Aldric's",
    "Pennick Community Hospital",
    "Ostrander Heart Institute",
]
_HOSP_ABBR = ["KMC", "BVH", "SOH", "MGH", "QVH", "DMC", "PCH", "OHI", "HMC", "BRH", "SAH", "NEBH"]
_UNIT_NAMES = ["Corwin", "Feeney", "Baxley", "Ostrow", "Lindel", "Pruett", "Garvan", "Stimson", "Holloway", "Treat"]
_REHAB = [
    "Ashgrove Rehab",
    "Larkhaven Nursing Home",
    "Bellwether Manor",
    "Cedar Hollow Rehabilitation Center",
    "Fennimore House",
    "Saint Corentin Nursing Facility",
    "Heronwood Rehab",
    "Millbank Skilled Nursing",
]
_TOWN = [
    "Dorchester",
    "Quenton",
    "Harwell Falls",
    "Marbury",
    "Ellisford",
    "Cobb Hill",
    "Penwick",
    "Stoughley",
    "Rosindale",
    "Westerlo",
    "Ashby Point",
    "Brightwater",
    "Jamesport",
    "Millis",
    "Norwood Hts",
    "Tarrowby",
]
_CLINIC = ["Fenwright Clinic", "Harbourside Health Center", "Pell Street Clinic", "Alder Dialysis"]
_MONTHS = _w("january february march april may june july august september october november december")
_MON3 = [m[:3] for m in _MONTHS]
_AGE_WORDS = {90: "ninety", 91: "ninety-one", 92: "ninety-two", 94: "ninety-four", 97: "ninety-seven"}

# Relation / role words that are not PHI (the cue precedes the name).
_REL = _w("son daughter dtr wife husband sister brother niece nephew grandson granddaughter HCP proxy friend")
_REL += _w("mother father partner neighbor cousin")


class _Note:
    """Accumulates text and gold spans."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.spans: list[dict[str, Any]] = []
        self.pos = 0

    def add(self, text: str, typ: str | None = None, kind: str = "") -> None:
        if typ:
            self.spans.append(
                {"start": self.pos, "end": self.pos + len(text), "type": typ, "value": text, "kind": kind}
            )
        self.parts.append(text)
        self.pos += len(text)


class _Gen:
    def __init__(self, rng: random.Random) -> None:
        self.r = rng
        self.patient_last = self.last()
        self.patient_first = self.first()

    def first(self) -> str:
        return self.r.choice(_FIRST_WORDS if self.r.random() < 0.25 else _FIRST)

    def last(self) -> str:
        return self.r.choice(_LAST_WORDS if self.r.random() < 0.2 else _LAST)

    # Each generator returns pieces: (text, type or None, kind)
    def name_full(self) -> list[tuple[str, str | None, str]]:
        r = self.r.random()
        if r < 0.6:
            return [(f"{self.first()} {self.last()}", "NAME", "full")]
        if r < 0.8:
            return [(f"{self.first()[0]}. {self.last()}", "NAME", "init_last")]
        return [(f"{self.first()} {self.first()[0]}. {self.last()}", "NAME", "full_mid")]

    def dr(self) -> list[tuple[str, str | None, str]]:
        t = self.r.choice(["Dr. ", "Dr ", "dr ", "DR. ", "Dr.", "Drs "])
        if t == "Drs ":
            names = [self.last() for _ in range(self.r.randint(2, 3))]
            out: list[tuple[str, str | None, str]] = [(t, None, "")]
            sep = self.r.choice(["/", " and ", ", ", " & "])
            for i, n in enumerate(names):
                if i:
                    out.append((sep if (sep != ", " or i < len(names) - 1) else " and ", None, ""))
                out.append((n, "NAME", "dr_list"))
            return out
        r = self.r.random()
        if r < 0.7:
            return [(t, None, ""), (self.last(), "NAME", "dr_last")]
        if r < 0.85:
            return [(t, None, ""), (self.first()[0], "NAME", "dr_initial")]
        return [(t, None, ""), (f"{self.first()} {self.last()}", "NAME", "dr_full")]

    def date(self) -> list[tuple[str, str | None, str]]:
        m, d = self.r.randint(1, 12), self.r.randint(1, 28)
        y = self.r.choice([2088, 2094, 2101, 2112, 2123, 2099, 2176])
        shapes = [
            (f"{m}/{d}", "md_slash"),
            (f"{m:02d}/{d:02d}", "md_slash"),
            (f"{m}-{d}", "md_dash"),
            (f"{m}/{d}/{y % 100:02d}", "mdy2"),
            (f"{m}/{d}/{y}", "mdy4"),
            (f"{_MONTHS[m - 1]} {d}", "month_day"),
            (f"{_MON3[m - 1]} {d}", "mon_day"),
            (f"{d} {_MON3[m - 1]}", "day_mon"),
            (f"{_MONTHS[m - 1]} {d}th" if d not in (1, 2, 3, 21, 22, 23) else f"{_MONTHS[m - 1]} {d}", "month_dayth"),
        ]
        text, kind = self.r.choice(shapes)
        if text[0].isalpha() and self.r.random() < 0.5:
            text = text.capitalize()
        return [(text, "DATE", kind)]

    def year(self) -> list[tuple[str, str | None, str]]:
        return [(str(self.r.choice([2088, 2094, 2101, 2112, 2099, 2076])), "DATE", "year")]

    def hospital(self) -> list[tuple[str, str | None, str]]:
        if self.r.random() < 0.4:
            return [(self.r.choice(_HOSP_ABBR), "LOCATION", "hosp_abbr")]
        return [(self.r.choice(_HOSP), "LOCATION", "hospital")]

    def unit(self) -> list[tuple[str, str | None, str]]:
        return [(f"{self.r.choice(_UNIT_NAMES)} {self.r.randint(2, 12)}", "LOCATION", "unit")]

    def rehab(self) -> list[tuple[str, str | None, str]]:
        return [(self.r.choice(_REHAB), "LOCATION", "rehab")]

    def town(self) -> list[tuple[str, str | None, str]]:
        return [(self.r.choice(_TOWN), "LOCATION", "town")]

    def clinic(self) -> list[tuple[str, str | None, str]]:
        return [(self.r.choice(_CLINIC), "LOCATION", "clinic")]

    def phone(self) -> list[tuple[str, str | None, str]]:
        a, b, c = self.r.randint(201, 989), self.r.randint(200, 999), self.r.randint(1000, 9999)
        shapes = [
            (f"({a}) {b}-{c}", "phone"),
            (f"{a}-{b}-{c}", "phone"),
            (f"{b}-{c}", "phone7"),
            (f"{a} {b} {c}", "phone_groups"),
            (f"{self.r.randint(10000, 99999)}", "pager"),
            (f"{self.r.randint(1, 9)}-{c}", "pager_dash"),
            (f"x{c}", "ext"),
        ]
        text, kind = self.r.choice(shapes)
        return [(text, "PHONE", kind)]

    def age(self) -> list[tuple[str, str | None, str]]:
        a = self.r.choice(list(_AGE_WORDS)) if self.r.random() < 0.3 else self.r.randint(90, 102)
        if isinstance(a, int) and a in _AGE_WORDS and self.r.random() < 0.5:
            return [(_AGE_WORDS[a], "AGE", "age_words")]
        return [(str(a), "AGE", "age")]

    def first_only(self) -> list[tuple[str, str | None, str]]:
        return [(self.first(), "NAME", "first")]

    def last_only(self) -> list[tuple[str, str | None, str]]:
        return [(self.last(), "NAME", "last")]

    def initial(self) -> list[tuple[str, str | None, str]]:
        return [(f"{self.first()[0]}.", "NAME", "initial")]

    def pt_last(self) -> list[tuple[str, str | None, str]]:
        return [(self.patient_last, "NAME", "patient")]


# Templates: {X} slots are filled by the generator of the same letter; plain text is never PHI.
_SLOTS = {
    "N": "name_full",
    "D": "date",
    "Y": "year",
    "H": "hospital",
    "U": "unit",
    "R": "rehab",
    "T": "town",
    "C": "clinic",
    "P": "phone",
    "A": "age",
    "F": "first_only",
    "L": "last_only",
    "I": "initial",
    "M": "dr",
    "Q": "pt_last",
}

_OPEN = [
    "Pt is a {A} yo F admitted {D} from {H} with urosepsis.",
    "{A} y/o M s/p fall at home, transferred from {H} ED on {D}.",
    "Mr. {Q} is a 67 yo man s/p CABG in {Y}, admitted to MICU from {H} for hypotension.",
    "Mrs. {Q} 74F with hx CHF, AFib on coumadin, admitted {D} w/ SOB.",
    "pt transferred to {U} from MICU on {D}.",
    "Pt came up from {H} cath lab at 1400, s/p stent to RCA.",
    "Ms {Q} remains in MICU, hospital day 6. Admitted {D}.",
    "pt is s/p MVA {D}, transferred from {H} by medflight.",
    "Pt. {Q} 58M with ESRD on HD (at {C} MWF), admitted with hyperkalemia.",
    "Pt admitted to {U} on {D} after {H} ED eval.",
    "pt is a {A} year old woman from {R}, sent in for AMS.",
    "dx with lung ca in {Y}, s/p lobectomy at {H}.",
]
_NEURO = [
    "NEURO: A+Ox3, MAE, follows commands. PERRL 3mm brisk.",
    "neuro: sedated on propofol 30mcg/kg/min, RASS -2, opens eyes to voice.",
    "NEURO- pt lethargic but arousable, oriented to self only. CT head neg {D}.",
    "Neuro: no change. Pt c/o HA, tylenol 650mg given w/ relief.",
    "neuro intact, denies numbness/tingling. pain 3/10 at incision.",
]
_CV = [
    "CV: HR 80s-90s NSR, no ectopy. BP 110-130/60s. K 3.2 repleted w/ 40 meq KCL.",
    "CV- SBP 90s on levophed 0.08mcg/kg/min, weaning as tol. echo on {D} showed EF 25%.",
    "cv: afib w/ rvr to 140s, lopressor 5mg IV x2 with good effect. CA 8.4, MG 1.9 repleted.",
    "CV: tele shows SR 70s. pulses palp, +2 edema bilat LE. lasix 40 IV given, diuresed 1.2L.",
    "CV stable. Hct 27.4, to be transfused 1u PRBC. INR 2.3, coumadin held per {M}.",
]
_RESP = [
    "RESP: on vent AC 500x14, PEEP 5, FiO2 40%. ABG 7.38/42/96. LS coarse bilat, sx for thick tan secretions.",
    "resp: extubated {D} to 4L NC, sats 94-97%. cxr on {D} w/ improving LLL infiltrate.",
    "RESP- CPAP 5/5 trial x 2hrs, tolerated well. RR 18-22. Ipratropium nebs q6h.",
    "Resp: LS clear upper, diminished bases. O2 sat 92-95% on 50% shovel mask.",
]
_GI = [
    "GI: abd soft, NT/ND, +BS. tube feeds promote w/ fiber @ 60cc/hr, residuals <30cc. no BM this shift.",
    "gi: NPO for possible ERCP tomorrow. protonix IV. LFTs pending.",
    "GI- ogt to lcs draining bilious fluid. Flexiseal in place, liquid brown stool, c-diff sent.",
]
_GU = [
    "GU: foley draining clear yellow urine 30-60cc/hr. BUN/Cr 42/1.8.",
    "gu: u/o marginal 20-25cc/hr, renal following. Cr up to 2.4 from 1.9.",
    "GU- foley d/c'd {D}, voiding qs.",
]
_SKIN = [
    "SKIN: stage II on coccyx, duoderm intact. turned q2h.",
    "skin: L IJ site c/d/i. R radial aline dampened, re-zeroed.",
    "Skin intact. Heels on pillows. Waffle mattress in place.",
]
_ID = ["ID: Tmax 101.2, on vanc/zosyn. Bld cx x2 sent {D}, pending.", "id: afebrile, wbc 11.2 from 14.6."]
_SOCIAL = [
    "SOCIAL: {R0} {F} called x2 for update, number {P}.",
    "Social: pt lives with partner in {T}. {R0} {N} is HCP.",
    "SOC: wife {F} in to visit this afternoon, updated by {M}.",
    "Family: dtr {F} ({P}) and son {F} updated by RN. Family meeting set for {D} w/ {M}.",
    "social- pt is from {T}, retired bus driver, lives alone. {R0} {F} checks on him daily.",
    "Spoke with {F} (pt's {R0}) at 1500, aware of plan.",
    "{R0} {N} called, wants call back at {P}.",
    "SW {N} following, screening for {R}.",
    "pt's {R0}, {F}, at bedside most of day, very supportive.",
    "Family (wife {F}, sons {F} and {F}) in to visit; questions answered.",
    "Lives in {T} with husband. PCP is {M} at {C}.",
    "HCP is {R0} {F} {L}, home # {P}, cell {P}.",
    "{F} aware of plan, will call back tonight.",
    "called {F} at home, left message.",
    "spoke with {F} re: code status; pt remains full code.",
    "pt's wife {F} {Q} requests that no info be given to {R0} {F}.",
]
_PLAN = [
    "PLAN: cont to monitor, wean levo as tol, f/u w/ {M} re: am labs.",
    "plan: possible transfer to {U} tomorrow if stable. d/w {M}.",
    "Plan- screening for rehab, {R} vs {R}. CM {F} aware.",
    "plan: f/u cx data, repeat lytes at 2200. covering MD ({F}) aware of low UO.",
    "Plan: ERCP in am with {M}, consent obtained from {R0} {F} by phone.",
    "PLAN: cont current mgmt. d/c to {R} when bed available, likely {D}.",
    "Plan: transfer back to {H} once stable; accepting MD {M}, report called to {U}, {P}.",
    "plan- will continue to monitor. transferred to rehab team for eval.",
    "Plan: f/u w/ {M}/{L} in am. ID consult following ({M}).",
    "PLAN: pt seen by {M}, {M}; will discuss at rounds.",
]
_EVENTS = [
    "Events: pt became hypotensive at 0300, bolused 500cc NS, seen by {M}, pager {P}.",
    "EVENTS: cardiology paged ({M}) re: new ST changes, EKG done, trop sent.",
    "Events: R IJ placed by {M} at 2100, cxr confirms placement.",
    "events- pt pulled ngt, replaced by RN, placement confirmed by xray.",
    "Events: Pt seen by {Drs}.",
    "Pt will be followed by {M} at {C} after d/c, appt on {D}.",
    "Cards fellow {F} aware, will see pt. page {P} w/ questions.",
    "Received pt from {F} RN at 1900.",
]
_SIGN = [
    "{N}, RN",
    "{F} {L} RN",
    "{I} {L}, RN",
    "-{F}",
    "RN: {I} {L}",
    "{F} {I}, RN",
    "{L}, {F} RN",
    "Signed: {N}, RN",
    "{F}/{L} RN",
    "{F} {L}, SN",
]
_FREE = [
    "K 3.2 repleted. CA 8.4, phos 2.1, mag 1.8.",
    "Pt seen by team, plan discussed at rounds. spoke with team re: pain regimen.",
    "Cont to monitor per MICU routine. Pt will need cath lab in am.",
    "fingersticks 140-180, covered per SS insulin. NPH 10u held.",
    "OT/PT eval pending, likely will need rehab at d/c.",
    "pt able to move all extremities, grasps strong bilat.",
    "Will cont to follow. May need PICC. Art line d/c'd.",
    "Pt turned and repositioned q2h. mouth care done.",
    "Gtt: heparin 900u/hr, PTT 68 at 1400, next due 2000.",
    "Hope to wean vent in am if ABG ok. Grace period for family to arrive.",
    "ICU team aware, will reassess. Rose to 102.4 at 0400, cultured.",
    "transferred to rehab floor pending. spoke with attending re: lasix dose.",
    "VSS overnight. pt slept well after ambien 5mg.",
    "pt from home, lives alone, independent ADLs at baseline.",
    "I/O +1.2L for 24h. LOS 6.",
    "sent to CT at 1130, returned to unit on tele.",
]

_SECTIONS = [_NEURO, _CV, _RESP, _GI, _GU, _SKIN, _ID]


def _fill(g: _Gen, note: _Note, template: str) -> None:
    for part in re.split(r"(\{[A-Za-z0-9]+\})", template):
        if not part:
            continue
        if part.startswith("{"):
            key = part[1:-1]
            if key == "R0":
                note.add(g.r.choice(_REL))
                continue
            if key == "Drs":
                pieces = [("Drs. ", None, "")]
                names = [g.last() for _ in range(g.r.randint(2, 3))]
                sep = g.r.choice(["/", " and "])
                for i, n in enumerate(names):
                    if i:
                        pieces.append((sep, None, ""))
                    pieces.append((n, "NAME", "dr_list"))
            else:
                pieces = getattr(g, _SLOTS[key])()
            for text, typ, kind in pieces:
                note.add(text, typ, kind)
        else:
            note.add(part)


def _case(text: str, style: str) -> str:
    return text.upper() if style == "upper" else text.lower() if style == "lower" else text


def _note(rng: random.Random, with_phi: bool) -> tuple[_Note, str]:
    g = _Gen(rng)
    note = _Note()
    lines: list[str] = []
    if with_phi:
        lines.append(rng.choice(_OPEN))
    for sec in rng.sample(_SECTIONS, rng.randint(3, 6)):
        lines.append(rng.choice(sec))
    for _ in range(rng.randint(1, 3)):
        lines.append(rng.choice(_FREE))
    if with_phi:
        lines += rng.sample(_SOCIAL, rng.randint(1, 3))
        lines.append(rng.choice(_EVENTS))
        lines.append(rng.choice(_PLAN))
        lines.append(rng.choice(_SIGN))
    else:
        lines = [ln for ln in lines if "{" not in ln]
        lines.append(rng.choice(["cont to monitor.", "will cont plan of care.", "see flowsheet for details."]))
    sep = rng.choice(["\n", " ", "\n"])
    for i, ln in enumerate(lines):
        if i:
            note.add(sep)
        _fill(g, note, ln)
    style = rng.choices(["mixed", "upper", "lower"], weights=[5, 3, 2])[0]
    return note, style


def corpus(n: int, seed: int = 7) -> list[dict[str, Any]]:
    """``n`` nursing notes with gold PHI spans (ASCII only, so a case change keeps every offset)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        note, style = _note(rng, True)
        text = _case("".join(note.parts), style)
        spans = [dict(s, value=text[s["start"] : s["end"]]) for s in note.spans]
        out.append({"id": f"nurse-{seed}-{i}", "text": text, "spans": spans, "style": style})
    return out


def phi_free(n: int, seed: int = 8) -> list[dict[str, Any]]:
    """``n`` nursing notes made only of the PHI-free clinical lines."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        note, style = _note(rng, False)
        out.append(
            {"id": f"nurse-free-{seed}-{i}", "text": _case("".join(note.parts), style), "spans": [], "style": style}
        )
    return out


if __name__ == "__main__":
    for rec in corpus(4, seed=1):
        print(rec["text"])
        print([(s["type"], s["value"]) for s in rec["spans"]])
        print("-" * 40)
