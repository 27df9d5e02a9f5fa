"""Fifth blind corpus: ICU nursing notes by a fresh author, seeded and deterministic, with gold spans.

Written before reading the detectors, their data or the other corpora. Unit types MICU/SICU/CCU/CSRU/NICU;
shift notes by system, hand-offs, case-management, social-work and family-meeting notes. Stresses what cue rules
miss: first names alone, staff by first name or surname only, two names in a row, lists, names after @/w/per/
from/to, names that are common words, surnames of many origins, possessives, initials, odd signatures, hospitals
and nursing homes by initials or nickname, towns that are English words, wards named by a word, every nursing
date shape, ages over 89, pagers, phones in pieces. PHI-free notes are dense with eponyms, drugs, devices, scores
and abbreviations, and with words that are names elsewhere ("frank blood", "temp rose", "will cont").

Gold types: NAME, LOCATION (hospital, nursing home, ward, town), DATE, AGE (> 89), PHONE (phone, pager), ID,
ADDRESS. Times of day, ages under 90 and a year alone are not PHI (Safe Harbor keeps the year). All names and places are
this file's own lists; case of a whole note is UPPER, lower or as written (spans keep their offsets).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from typing import Any

# --- own lists (surrogates; not taken from any detector list) ---------------------------------------------
_FIRST_F = [
    "Maureen", "Siobhan", "Deirdre", "Colleen", "Bridget", "Giovanna", "Rosaria", "Filomena", "Conceicao",
    "Fatima", "Manuela", "Marie-Claude", "Nadege", "Guerline", "Thuy", "Lan", "Huong", "Mei", "Xiuying",
    "Despina", "Eleni", "Olga", "Svetlana", "Natasha", "Hodan", "Amina", "Fadumo", "Priya", "Lakshmi",
    "Anjali", "Kathleen", "Denise", "Brenda", "Janice", "Sheila", "Lorraine", "Tamika", "Keisha", "Yolanda",
]
_FIRST_M = [
    "Declan", "Seamus", "Padraig", "Cormac", "Salvatore", "Vito", "Carmine", "Joao", "Manuel", "Duarte",
    "Jean-Baptiste", "Wesner", "Fritzner", "Tuan", "Minh", "Quang", "Wei", "Jian", "Stavros", "Dimitrios",
    "Yuri", "Dmitri", "Abdirahman", "Mahad", "Rajesh", "Sanjay", "Vikram", "Dennis", "Gerald", "Wayne",
    "Darnell", "Tyrone", "Rodney", "Kevin", "Brian", "Francis",
]
# first names that are English words, places or verbs: they need context to be found
_FIRST_WORDLIKE = [
    "Rose", "Hope", "Will", "Frank", "Grace", "Bill", "Jordan", "Austin", "June", "Faith", "Mark", "Drew",
    "Chase", "Dawn", "Joy", "Sandy", "Gene", "Ray", "Art", "Pat", "Sue", "Chip", "Iris", "Ivy", "Hunter",
    "Carol", "Rocky", "Sunny", "Holly", "Pearl", "Lance", "Skip", "Buck", "Summer", "Heather", "Robin",
]
_LAST = [
    "O'Sullivan", "McNamara", "Fitzgerald", "Donnelly", "Kavanagh", "O'Toole", "Moynihan", "Scarpelli",
    "DiMarzio", "Buonocore", "Iacobucci", "Lombardozzi", "Medeiros", "Furtado", "Raposo", "Cabral",
    "Amaral", "Pierre-Louis", "Jean-Charles", "Desrosiers", "Toussaint", "Auguste", "Nguyen", "Tran",
    "Pham", "Huynh", "Vo", "Zhang", "Liang", "Chen", "Kwok", "Papadakis", "Karagiannis", "Stavropoulos",
    "Volkov", "Kuznetsova", "Abramovich", "Warsame", "Mohamud", "Abdullahi", "Farah", "Raghunathan",
    "Venkatesan", "Chaudhry", "Bhattacharya", "Kowalczyk", "Wojcik", "Haddad", "Khoury", "Svensson",
]
# surnames that are common words: need context
_LAST_WORDLIKE = [
    "Brown", "Green", "Wood", "Hall", "Stone", "Rice", "Marsh", "Bond", "Price", "Hunt", "Fox", "Good",
    "Rich", "Small", "Lamb", "Frost", "Cross", "Long", "Bell", "Sharp", "Street", "Gray", "Moody", "Weeks",
]
_HOSP = [
    "BWH", "MGH", "BIDMC", "NEBH", "NEMC", "BMC", "CAH", "MAH", "LGH", "SSH", "the Brigham", "Mass General",
    "Faulkner", "Spaulding", "Youville", "Caritas Carney", "St. E's", "Carney", "Good Sam", "Mount Auburn",
    "Lahey", "Winchester Hosp", "Melrose-Wakefield", "Quincy Medical", "Norwood Hosp", "Children's",
]
_NURSING_HOME = [
    "Marian Manor", "Sherrill House", "Hellenic Nursing", "Kindred Waltham", "Hebrew Rehab", "Don Orione",
    "Sea View Manor", "Briarwood Rehab", "Maristhill", "Blue Hills Healthcare", "Alliance of Quincy",
    "Lifecare of Plymouth", "Pond Meadow", "Radius of Danvers",
]
_WARD = [
    "FARR 3", "ELLISON 11", "Kessler 5", "Reisman 9", "Stoneman 4", "Blackfan 2", "Feldberg 7", "Bigelow 12",
    "Baker 6", "Phillips 20", "Clinical Center 8", "Deaconess 4", "Tower 14", "Shapiro 10", "White 9",
]
_TOWN = [
    "Reading", "Milton", "Canton", "Sharon", "Dover", "Avon", "Hull", "Revere", "Carver", "Beverly",
    "Franklin", "Lincoln", "Salem", "Hudson", "Chelsea", "Everett", "Medford", "Quincy", "Weymouth", "Dracut",
    "Athol", "Ware", "Essex", "Ayer", "Holbrook", "Rowley", "Needham", "Dorchester", "Mattapan", "Roslindale",
]
_STREET = ["Wachusett", "Centre", "Adams", "Neponset", "Hancock", "Gallivan", "Quarry", "Blue Hill", "Cummins"]
_STREET_SFX = ["St", "Street", "Ave", "Rd", "Hwy", "Terr", "Way"]
_MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEPT", "OCT", "NOV", "DEC"]
_MONTHS_LONG = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December"]

# --- PHI-free clinical lines (also used between PHI lines) -----------------------------------------------
_CLINICAL = [
    "NEURO: A+OX3, MAE, FOLLOWS COMMANDS, PERRLA 3MM BRISK. RASS 0. CIWA 4.",
    "neuro: sedated on propofol 30mcg/kg/min, RASS -2, +cough/+gag, no seizure activity on keppra.",
    "CV: NSR 80-90S NO ECTOPY, SBP 100-120, MAP >65 ON LEVO 0.04, WEANING AS TOL. K 3.6 REPLETED W/ 40 MEQ KCL.",
    "cv: afib rate 110-130s, dilt gtt @ 10mg/hr, heparin gtt per protocol, ptt 68 @ 0400.",
    "RESP: VENT AC 500X14 PEEP 5 FIO2 40%, ABG 7.38/42/96. LS COARSE BIBASILAR, SX FOR THICK TAN SPUTUM.",
    "resp: cpap 5/5 fio2 .35 since 0800, rr 18-24, sats 96-98%, ett 23 @ lip, cuff leak present.",
    "GI: ABD SOFT NT/ND +BS, OGT TO LCWS W/ BILIOUS DRAINAGE, TF HELD FOR HIGH RESIDUALS. NO BM.",
    "gi: frank blood per ngt x1, lavage clear after 500cc, protonix gtt started, GI aware.",
    "GU: FOLEY DRAINING CLEAR YELLOW URINE 40-60CC/HR, BUN/CR 32/1.4, LASIX 40 IV X1 WITH GOOD EFFECT.",
    "gu: crrt running, uf goal neg 50cc/hr, citrate per protocol, ionized ca 1.12.",
    "ID: TMAX 101.4, BLOOD CX X2 SENT, ON VANCO/ZOSYN, VANCO TROUGH DUE @ 0600. WBC 14.2.",
    "id: afebrile, cont flagyl, c diff neg x1, contact precautions for mrsa.",
    "SKIN: STAGE II COCCYX, DUODERM INTACT, BRADEN 12, TURNED Q2H, HEELS OFFLOADED.",
    "skin: jp drain w/ serosang 30cc, hemovac to bulb, sternal incision c/d/i, pacer wires capped.",
    "Swan-Ganz in place: PA 38/18, CVP 12, CI 2.1, SVR 1200. Pleurevac to -20 with no air leak.",
    "Salem sump to LIWS. Dobhoff placed, KUB confirms post-pyloric. Yankauer at bedside.",
    "Temp rose to 101.2 at 0200; tylenol given. Will cont to monitor, hope to extubate in AM if RSBI < 80.",
    "BP reading 88/40 on cuff, A-line correlates. Neo titrated up. Cheyne-Stokes pattern when asleep.",
    "Glasgow Coma Scale 9T. Hunt and Hess grade 3, Fisher 3. Nimodipine q4h. EVD open at 10 cm H2O.",
    "Murphy's sign neg. Homans' neg. Babinski downgoing bilaterally. Trendelenburg for line placement.",
    "Parkinson's disease on sinemet; Guillain-Barre ruled out. Hodgkin lymphoma hx. Child-Pugh B.",
    "CXR: Kerley B lines, ETT 4 cm above carina. LENIs negative. TTE EF 35%. EEG without seizures.",
    "Coumadin held for INR 3.4. Vit K 5 mg PO. Ativan 1 mg IV x2 for agitation, haldol 2 mg x1.",
    "Hickman line site clean. PICC RUE. TLC R IJ. A-line L radial. Trach 8 Shiley, HME on.",
    "Ambu at bedside. Jackson-Pratt x2. Penrose removed by team. Mepilex to sacrum.",
    "Wells score low. Ranson 2. APACHE II 18. Braden 14. Morse fall risk 45. SOFA 7.",
    "PLAN: WEAN PEEP, DIURESE, F/U AM LABS, CONT ABX, OOB TO CHAIR IF HEMODYNAMICALLY STABLE.",
    "plan: npo after mn for peg in am, consent signed, hold heparin 6 hrs prior.",
    "Pt frank about pain goals. Graceful transition to comfort discussed in general terms. Mark skin daily.",
    "DISPO: REMAINS IN UNIT, FULL CODE. ACTIVITY: BEDREST, HOB > 30.",
    "Sats drifting to 88% on 4L NC, changed to 50% face tent with improvement to 94%.",
    "Insulin gtt per Portland protocol, FS 140-180. Lantus 20 units held. D5W KVO.",
    "Lactate 4.1 -> 2.3. Bicarb 18. Mag 1.6 repleted w/ 2 gm. Phos 2.1.",
    "Medicated w/ fentanyl 50 mcg IV for repositioning. Dilaudid PCA 0.2 q10 min lockout.",
]

Span = dict[str, Any]


class _Note:
    """Builds one note's text and gold spans; placeholders ``{key}`` become generated values."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        r = rng
        self.cast: dict[str, tuple[str, str | None]] = {}
        female = r.random() < 0.5
        self.pt_first = r.choice(_FIRST_F if female else _FIRST_M)
        self.pt_last = r.choice(_LAST + _LAST_WORDLIKE[:6])
        self.spouse = r.choice((_FIRST_M if female else _FIRST_F) + _FIRST_WORDLIKE)
        self.kid1 = r.choice(_FIRST_F + _FIRST_M + _FIRST_WORDLIKE)
        self.kid2 = r.choice(_FIRST_F + _FIRST_M + _FIRST_WORDLIKE)
        self.rn_first = r.choice(_FIRST_F + _FIRST_M + _FIRST_WORDLIKE)
        self.rn_last = r.choice(_LAST + _LAST_WORDLIKE)
        self.mds = r.sample(_LAST + _LAST_WORDLIKE, 4)
        self.kid_last = r.choice([self.pt_last, r.choice(_LAST)])

    # generators: each returns (text, gold type or None)
    def value(self, key: str) -> tuple[str, str | None]:
        r = self.rng
        simple: dict[str, Callable[[], str]] = {
            "pt_last": lambda: self.pt_last,
            "pt_first": lambda: self.pt_first,
            "pt_full": lambda: f"{self.pt_first} {self.pt_last}",
            "spouse": lambda: self.spouse,
            "kid1": lambda: self.kid1,
            "kid2": lambda: self.kid2,
            "kid_last": lambda: self.kid_last,
            "rn_first": lambda: self.rn_first,
            "rn_last": lambda: self.rn_last,
            "md1": lambda: self.mds[0],
            "md2": lambda: self.mds[1],
            "md3": lambda: self.mds[2],
            "md4": lambda: self.mds[3],
            "first": lambda: r.choice(_FIRST_F + _FIRST_M),
            "wfirst": lambda: r.choice(_FIRST_WORDLIKE),
            "last": lambda: r.choice(_LAST),
            "wlast": lambda: r.choice(_LAST_WORDLIKE),
            "full": lambda: f"{r.choice(_FIRST_F + _FIRST_M + _FIRST_WORDLIKE)} {r.choice(_LAST + _LAST_WORDLIKE)}",
            "initials": lambda: r.choice(["{a}.{b}.", "{a}{b}", "{a}.{b}", "{a}{c}{b}"]).format(
                a=r.choice("ABCDEFGHJKLMNPRSTW"), b=r.choice("ABCDEFGHJKLMNOPRSTW"), c=r.choice("ABCDJLMRS")
            ),
        }
        if key in simple:
            return simple[key](), "NAME"
        if key == "hosp":
            return r.choice(_HOSP), "LOCATION"
        if key == "nh":
            return r.choice(_NURSING_HOME), "LOCATION"
        if key == "ward":
            return r.choice(_WARD), "LOCATION"
        if key == "town":
            return r.choice(_TOWN), "LOCATION"
        if key == "date":
            m, d = r.randint(1, 12), r.randint(1, 28)
            y = r.choice([2008, 2009, 2010, 2011])
            return r.choice([
                f"{m}/{d}", f"{m}-{d}", f"{d} {_MONTHS[m - 1]}", f"{_MONTHS[m - 1]} {d}", f"{m}/{d}/{y % 100:02d}",
                f"{m:02d}/{d:02d}", f"{_MONTHS_LONG[m - 1]} {d}th", f"{m}/{d}/{y}", f"{d}-{_MONTHS[m - 1]}",
            ]), "DATE"
        if key == "year":  # a year alone is no Safe Harbor identifier (the project's convention): not gold
            return str(r.randint(1995, 2011)), None
        if key == "holiday":
            return r.choice(["Christmas", "Thanksgiving", "Easter", "New Year's", "Labor Day"]), "DATE"
        if key == "age90":
            return str(r.randint(90, 104)), "AGE"
        if key == "pager":
            return r.choice([f"{r.randint(1000, 9999)}", f"{r.randint(2, 9)}-{r.randint(1000, 9999)}",
                             f"{r.randint(10000, 99999)}"]), "PHONE"
        if key == "phone":
            a, b, c = r.choice([617, 781, 508, 978, 857]), r.randint(200, 999), r.randint(0, 9999)
            return r.choice([f"{a}-{b}-{c:04d}", f"({a}) {b}-{c:04d}", f"{a} {b} {c:04d}", f"{a}.{b}.{c:04d}",
                             f"{b}-{c:04d}", f"{a}/{b}-{c:04d}"]), "PHONE"
        if key == "mrn":
            return r.choice([f"{r.randint(1000000, 9999999)}", f"{r.randint(100, 999)}-{r.randint(10, 99)}-"
                             f"{r.randint(10, 99)}", f"00{r.randint(100000, 999999)}"]), "ID"
        if key == "addr":
            return f"{r.randint(3, 480)} {r.choice(_STREET)} {r.choice(_STREET_SFX)}", "ADDRESS"
        if key == "time":
            return r.choice([f"{r.randint(0, 23):02d}{r.choice(['00', '15', '30', '45'])}",
                             f"{r.randint(1, 12)}{r.choice(['AM', 'PM', 'a', 'p'])}"]), None
        if key == "age":
            return str(r.randint(24, 88)), None
        raise KeyError(key)


_PH = re.compile(r"\{(\w+)\}")

# --- templates by note part (placeholders in braces) --------------------------------------------------------
_HEADER = [
    "MICU NURSING PROGRESS NOTE 7A-7P",
    "CCU NSG NOTE 1900-0700",
    "SICU nursing admit note",
    "CSRU NPN 7P-7A",
    "Nursing Progress Note, {ward}",
    "MICU/SICU NSG: {date} 7P-7A",
    "NPN {date} @ {time}",
    "CCU NURSING ADMISSION NOTE ON {date}",
]
_HPI = [
    "{age} YO M ADMITTED {date} FROM {hosp} WITH UROSEPSIS.",
    "{age90} yo female from {nh} sent in for hypoxia, per {nh} RN {first}.",
    "PT IS A {age90} Y/O WIDOW FROM {town}, TRANSFERRED FROM {hosp} ON {date} @ {time}.",
    "Pt is {age} yo s/p CABG x3 on {date} by Dr. {md1}, extubated POD 1.",
    "Pt OSH transfer from {hosp} ED, seen at {hosp} in {year} for similar episode.",
    "{age} yo man w/ ESLD, admitted to {ward} {date}, transferred to MICU for GIB.",
    "PMH: CHF, COPD, DM2, s/p R TKA {year}. Lives in {town} with wife {spouse}.",
    "HX per dtr {kid1}: found down at home in {town} by neighbor {first} on {date}.",
    "{age90} YO GENTLEMAN, LIVES ALONE AT {addr}, {town}. PCP DR {md2} @ {hosp}.",
]
_BODY_PHI = [
    "MD {md1} AWARE OF LOW UOP, NO NEW ORDERS.",
    "Dr {md2} and {md3} in to see pt, plan to scope in AM.",
    "DRS {md1}, {md2} AND {md3} AT BEDSIDE FOR FAMILY MTG.",
    "discussed w/ {md4}, will repeat lytes at {time}.",
    "per {md1} ok to give 500cc NS bolus.",
    "Paged {md2} @ {time} re: SBP 80s, pager {pager}, no call back, re-paged x2.",
    "RT {first} in to suction, changed to PSV 10/5.",
    "{rn_first} from IV team placed 20g L FA.",
    "Spoke w/ {wfirst} in pharmacy re: vanco dosing.",
    "Renal fellow {last} called back from {phone}.",
    "Neuro resident {wlast} paged (BEEPER {pager}), CT head ordered.",
    "Covering for {rn_first} during break {time}-{time}.",
    "GI fellow Dr.{md3} to do EGD {date}.",
    "Report given to {rn_first} {rn_last} on {ward}.",
    "Cards attending {md4}'s team following.",
    "Cx from {date} with GNR, {md1} aware, abx broadened.",
    "last BM {date}, colace/senna given.",
    "Line placed by Dr. {wlast} on {date} @ {time}, CXR confirms.",
    "Plan per {md1}/{md2}: diurese, recheck lytes @ {time}.",
]
_SOCIAL = [
    "SOCIAL: WIFE {spouse} AND SON {kid1} IN TO VISIT, UPDATED BY RN. HCP IS {kid1}.",
    "social: dtr {kid1} called x2, updated. son {kid2} flying in from {town} tomorrow.",
    "{spouse} in to visit this evening, very tearful, support given.",
    "{kid1} IN TO VISIT, ASKING APPROPRIATE QUESTIONS.",
    "spoke w/ {kid2} on phone, will be in after work.",
    "FAMILY: {pt_last}'S WIFE {spouse} CALLED @ {time}, PHONE {phone}.",
    "Husband {spouse} and daughters {kid1} and {kid2} at bedside most of shift.",
    "Sister {wfirst} {kid_last} is HCP, cell {phone}.",
    "Neighbor {wfirst} checking on the house in {town}.",
    "{spouse} would like call at home ({phone}) if any change.",
    "Pt's son {kid1} {pt_last} is HCP; lives at {addr} in {town}.",
    "Family meeting {date} @ {time} w/ {spouse}, {kid1}, Dr {md1}, SW {first} and RN.",
    "Friend {wfirst} and pastor {wlast} visited; pt pleased.",
    "SOCIAL: {pt_first} ASKING FOR HIS BROTHER {kid2}.",
    "Wife {spouse} reports pt drinks 6 beers/day, last drink {date}.",
]
_SIGN = [
    "-- {initials} RN",
    "-- {rn_first} {rn_last}, RN/BSN",
    "{rn_first} {rn_last} RN",
    "{initials}/rn",
    "{rn_first}, RN",
    "- {rn_first[0]}. {rn_last} RN",
    "{rn_last} RN",
    "{rn_first[0]}.{rn_last} RN",
    "{initials} RN",
]
_NICU = [
    "NICU NURSING NOTE, BABY BOY {pt_last}",
    "BABY GIRL {pt_last} TWIN A, 32 4/7 WK GA, DOL 3.",
    "Twin B {pt_last} on NCPAP +6, FiO2 21-25%, brady x2 self-resolved.",
    "MOM {spouse} CALLED @ {time}, UPDATED ON FEEDS. DAD {kid1} IN TO HOLD INFANT.",
    "Parents {spouse} and {kid1} in for cares; mom pumping, EBM 20 cal.",
    "Peds is Dr. {md2} at {town} Pediatrics, phone {phone}.",
    "Infant born {date} @ {time} at {hosp}, transferred to NICU for resp distress.",
    "mom {spouse} asking about circ, to discuss w/ {md1}.",
    "Bili 11.2 on {date}, phototx cont. Dr. {md4} aware.",
]
_CASE_MGMT = [
    "CASE MANAGEMENT NOTE: D/W {spouse} ({pt_last}'S WIFE) RE: REHAB OPTIONS: {nh} VS {nh}.",
    "Case mgmt: referral faxed to {nh}, accepted pending bed {date}. Contact {first} {last} at {phone}.",
    "SW NOTE: MET W/ PT'S SON {kid1} AND DAUGHTER-IN-LAW {wfirst}. PT LIVES AT {addr}, {town}.",
    "Social work: pt's friend {wfirst} is listed as emergency contact; insurance MassHealth ID {mrn}.",
    "CM spoke with {nh} liaison {first} ({phone}); screening on {date}.",
    "Elder services in {town} involved, worker {first} {wlast}.",
    "VNA of {town} to resume services; last seen {date}.",
    "Pt's MRN {mrn} confirmed with admitting; old chart from {hosp}.",
]
_HANDOFF = [
    "Hand-off to {rn_first}: pt stable, see flowsheet. {first} aware of K 3.1.",
    "n2n report from {rn_last} @ {time}: no acute events.",
    "Took report from {rn_first} at {time}.",
    "{rn_first} and {first} turned pt @ {time}.",
    "Charge RN {wfirst} aware of plan.",
    "Per {wfirst}, float RN from {ward} covering 1:1.",
    "Resource RN {first} {wlast} assisted with transport to CT.",
]


def _case(text: str, style: str) -> str:
    return text.upper() if style == "upper" else text.lower() if style == "lower" else text


def _render(note: _Note, lines: list[str], style: str) -> tuple[str, list[Span]]:
    out = ""
    spans: list[Span] = []
    for li, tpl in enumerate(lines):
        if li:
            out += "\n" if note.rng.random() < 0.6 else " "
        pos = 0
        for m in re.finditer(r"\{(\w+)(?:\[0\])?\}", tpl):
            out += _case(tpl[pos : m.start()], style)
            value, typ = note.value(m.group(1))
            if m.group(0).endswith("[0]}"):
                value = value[0]
            value = _case(value, style)
            if typ is not None:
                spans.append({"start": len(out), "end": len(out) + len(value), "type": typ, "value": value})
            out += value
            pos = m.end()
        out += _case(tpl[pos:], style)
    return out, spans


def _kind(rng: random.Random) -> str:
    return rng.choices(["system", "nicu", "case", "handoff", "family"], weights=[5, 1.2, 1.2, 1, 1])[0]


def _lines(rng: random.Random, kind: str) -> list[str]:
    c = _CLINICAL
    if kind == "nicu":
        lines = [_NICU[0]] + rng.sample(_NICU[1:], 3) + rng.sample(c, 2) + [rng.choice(_SIGN)]
    elif kind == "case":
        lines = rng.sample(_CASE_MGMT, 3) + rng.sample(_SOCIAL, 1) + [rng.choice(_SIGN).replace("RN", "LICSW")]
    elif kind == "handoff":
        lines = rng.sample(_HANDOFF, 3) + rng.sample(c, 3) + rng.sample(_BODY_PHI, 2) + [rng.choice(_SIGN)]
    elif kind == "family":
        lines = (["FAMILY MEETING NOTE {date}"] + rng.sample(_SOCIAL, 3) + rng.sample(_BODY_PHI, 1)
                 + rng.sample(c, 1) + [rng.choice(_SIGN)])
    else:
        lines = ([rng.choice(_HEADER), rng.choice(_HPI)] + rng.sample(c, 4) + rng.sample(_BODY_PHI, 3)
                 + rng.sample(_SOCIAL, 2) + [rng.choice(_SIGN)])
        rest = lines[2:-1]
        rng.shuffle(rest)
        lines = lines[:2] + rest + lines[-1:]
    return lines


def corpus(n: int, seed: int = 5) -> list[dict[str, Any]]:
    """``n`` notes with PHI; each record ``{"id", "text", "spans": [{start, end, type, value}], "kind"}``."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        note = _Note(rng)
        kind = _kind(rng)
        style = rng.choices(["upper", "lower", "mixed"], weights=[4, 2.5, 3.5])[0]
        text, spans = _render(note, _lines(rng, kind), style)
        out.append({"id": f"blind5-{i}", "text": text, "spans": spans, "kind": kind})
    return out


def phi_free(n: int, seed: int = 71) -> list[dict[str, Any]]:
    """``n`` notes without PHI (gold empty), dense with eponyms, drugs, devices, scores and word-like names."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        style = rng.choices(["upper", "lower", "mixed"], weights=[4, 2.5, 3.5])[0]
        lines = [rng.choice(["MICU NPN 7A-7P", "CSRU NSG NOTE", "sicu npn", "CCU Nursing Progress Note"])]
        lines += rng.sample(_CLINICAL, rng.randint(4, 8))
        text = "\n".join(_case(x, style) for x in lines)
        assert not _PH.search(text)
        out.append({"id": f"blind5-free-{i}", "text": text, "spans": [], "kind": "free"})
    return out
