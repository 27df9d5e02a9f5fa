"""Tenth blind corpus: PhysioNet-style ICU nursing notes (MIMIC-era CareVue nursing progress notes), written before
reading any detector rule, data list or other corpus.

MICU, SICU, CCU, CSRU/cardiac surgery, trauma and neonatal ICU notes in many hands: shift notes by system, NPN
7A-7P, events, addenda, respiratory care notes, NICU notes (MOB/FOB, feeds, bili, siblings), family meetings,
code status talks, transfers from outside hospitals and to rehab, review-of-systems lists, plans with slashes and
arrows. PHI replaced by realistic surrogates in the style of a de-identification gold standard: names of many
origins (some are also words), invented hospitals, rehabs, nursing homes, towns, employers, churches and streets,
family phones and pagers, dates in nursing shapes (mostly without a year), ages over 89. ALL CAPS, lower case and
mixed; telegraphic and run-on.

``corpus(n, seed)`` returns records
``{"id", "text", "spans": [{"start", "end", "type", "value", "kind"}], "style"}``; ``phi_free(n, seed)`` returns
PHI-free notes in the same style (spans empty), dense with look-alikes.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from typing import Any

# ---------------------------------------------------------------------------------------------------------------
# Surrogate lists, written for this file (diverse origins; places and employers invented).
FIRST_F = [
    "Linda", "Jean", "Margaret", "Kathleen", "Dolores", "Eileen", "Carol", "Denise", "Maureen", "Theresa",
    "Rosa", "Maria", "Guadalupe", "Yesenia", "Marisol", "Consuelo", "Ngoc", "Thuy", "Mei", "Xiu", "Priya",
    "Lakshmi", "Anjali", "Chiamaka", "Ngozi", "Adaeze", "Fatima", "Layla", "Nadia", "Svetlana", "Olga",
    "Irina", "Agnieszka", "Halina", "Bozena", "Despina", "Eleni", "Siobhan", "Bridget", "Nuala", "Shoshana",
    "Miriam", "Ruth", "Esther", "Yolanda", "Tamika", "Latoya", "Keisha", "Hope", "Faith", "Joy", "Dawn",
    "Rose", "June", "Grace", "Ivy", "Hazel", "Opal", "Pearl", "Marguerite", "Odile", "Giuseppina", "Carmela",
    "Concetta", "Lucia", "Aiko", "Keiko", "Hyun-joo", "Min-ji", "Marie-Claude", "Fabienne", "Rosalind",
    "Bev", "Deb", "Trish", "Peg", "Sue", "Kim", "Chris", "Pat", "Terry", "Lee", "Jo", "Gwen", "Noreen",
    "Berenice", "Ximena", "Ines", "Leokadia", "Mildred", "Agatha", "Winifred", "Edna", "Dot", "Tiffany",
]
FIRST_M = [
    "Walter", "Frank", "Joseph", "Richard", "Edward", "Kevin", "Dennis", "Brian", "Francis", "Raymond",
    "Jose", "Luis", "Miguel", "Ramon", "Jesus", "Ezequiel", "Tuan", "Minh", "Wei", "Jian", "Rajesh", "Sanjay",
    "Arjun", "Chukwuemeka", "Obinna", "Olusegun", "Tariq", "Yusuf", "Khalil", "Dmitri", "Sergei", "Vladimir",
    "Tadeusz", "Zbigniew", "Stanislaw", "Konstantinos", "Spiros", "Declan", "Padraig", "Seamus", "Moshe",
    "Avi", "Mordechai", "Jerome", "DeShawn", "Tyrone", "Marcus", "Will", "Bill", "Art", "Gene", "Buck",
    "Mark", "Rich", "Major", "Sonny", "Bud", "Skip", "Chip", "Duke", "Dale", "Lane", "Heath", "Clay",
    "Rocco", "Salvatore", "Gennaro", "Vito", "Hiroshi", "Kenji", "Jae-won", "Dong-hyun", "Jean-Paul",
    "Thierry", "Baptiste", "Guillermo", "Rigoberto", "Anselmo", "Wojciech", "Bogdan", "Mehmet", "Emre",
    "Nikhil", "Farid", "Elijah", "Ezra", "Thaddeus", "Cornelius", "Ambrose", "Alphonse", "Eldon", "Merle",
]
SURNAMES = [
    "Kowalski", "Abernathy", "O'Brien", "Hale", "Dunleavy", "Abruzzo", "McSweeney", "Fitzgerald", "Mahoney",
    "Callahan", "Donnelly", "Sullivan", "Doyle", "Patel", "Shah", "Venkataraman", "Ramaswamy", "Nguyen",
    "Tran", "Pham", "Huynh", "Chen", "Zhao", "Liang", "Wong", "Nakamura", "Takahashi", "Yamaguchi", "Park",
    "Cho", "Okafor", "Adeyemi", "Nwosu", "Eze", "Mensah", "Haddad", "Khoury", "Nasser", "Rahman", "Siddiqui",
    "Petrov", "Ivanova", "Sokolov", "Wisniewski", "Zielinski", "Grabowski", "Papadopoulos", "Stavros",
    "Karras", "Goldberg", "Rosenthal", "Katz", "Feldman", "Horowitz", "Gonzalez", "Ramirez", "Castellano",
    "Delgado", "Figueroa", "Medeiros", "Pacheco", "Furtado", "Baptiste", "Toussaint", "Pierre-Louis",
    "Desrosiers", "Marchetti", "Lombardi", "DiNapoli", "Esposito", "Van der Berg", "de la Cruz", "St. Germain",
    "MacLeod", "Lindqvist", "Haugen", "Brandt", "Schreiber", "Hoffmeister", "Young", "Strong", "Love",
    "Bishop", "Church", "Marsh", "Hill", "Moody", "Hardy", "Swift", "Price", "Gross", "Short", "Long",
    "Wise", "Baker", "Cook", "Cross", "Lamb", "Fox", "Small", "Winter", "Snow", "Brown", "Black", "Rivers",
    "Stone", "Banks", "Fields", "Waters", "Kingsley", "Ashworth", "Pemberton", "Thibodeau", "Boucher",
    "Gagnon", "LeBlanc", "Arsenault", "Quintal", "Szabo", "Horvath", "Novak", "Dvorak", "Yilmaz", "Demir",
    "Oyelaran", "Achebe", "Mwangi", "Kamau", "Tshabalala", "Alvarez", "Ng", "Yee", "Lu", "Ma", "Ho", "Li",
]
HOSPITALS = [
    "Merrivale General", "St. Brendan's Hospital", "Northgate Medical Center", "Kettering Falls Hospital",
    "Ashcombe Regional", "Wexley Memorial", "Pellham Valley Hospital", "Good Shepherd Medical Ctr",
    "Tisbury Community Hospital", "Caulfield Deaconess", "Saint Aurelia's", "Briar Glen Hospital",
    "Lindenwood Medical Center", "Harwick Port Hospital", "Dorrington General", "Marbury Hospital",
    "Our Lady of Sorrows Hospital", "Fennimore Regional Medical Center", "Stowbridge Hospital",
    "Quillan Valley Med Ctr",
]
HOSP_SHORT = ["Merrivale", "St. Brendan's", "Northgate", "Kettering Falls", "Wexley", "Caulfield", "Briar Glen",
              "Lindenwood", "Dorrington", "Marbury", "St. Aurelia's", "Stowbridge"]
HOSP_INITIALS = ["NGMC", "KFH", "SBH", "WMH", "PVH", "LMC", "FRMC", "QVMC", "CDH", "BGH"]
REHABS = [
    "Sachem Pond Rehab", "Whitcomb Manor", "Larkspur House", "Glenmore Nursing and Rehab",
    "Heron Point Rehab Center", "Briarcliffe Manor", "Fallon Ridge", "St. Ursula's Home", "Copley Terrace",
    "Maple Crest Nursing Home", "Alder Brook Rehab", "Weymouth Pines", "Seabright Center for Rehab",
    "Quarry Hill Skilled Nursing", "the Arbors at Millhaven", "Kindred Oaks", "Bellmeade LTC",
]
TOWNS = [
    "Ashcombe", "Wexley", "North Tisbury", "Pellham", "East Varnum", "Kettering Falls", "Millhaven",
    "Dorrington", "South Quillan", "Marbury", "Oxley Center", "Harwick Port", "Fennimore", "Stowbridge",
    "West Cadogan", "Brindle Hill", "Lake Ossipaw", "Port Emmett", "Saugatuck Mills", "Newbury Crossing",
    "Halloway", "Greyfield", "Bramford", "Cotuit Harbor", "Eastwick",
]
EMPLOYERS = [
    "Halvorsen Trucking", "Bexley Tool & Die", "Quillan Paper Co", "the Stowbridge post office",
    "Dorrington Public Schools", "Marbury Savings Bank", "Fennimore Fire Dept", "Caldera Software",
    "Northeast Fisheries Co-op", "Pemberton Electric", "Varnum Shipyard", "the Ashcombe Gazette",
    "Tri-County Transit", "Greyfield Country Club", "Ossipaw Ice & Fuel",
]
CHURCHES = ["St. Casimir's", "Our Lady of the Harbor", "Temple Beth Orah", "First Baptist of Millhaven",
            "St. Demetrios", "Grace Covenant Church", "Holy Ghost parish", "Bethel AME"]
CLINICS = ["Wexley Family Health", "the Harwick Port dialysis unit", "Eastwick Cardiology Associates",
           "Marbury Pulmonary Clinic", "Brindle Hill Health Center", "Varnum VNA", "Greyfield Pediatrics"]
STREETS = ["Orchard", "Pemberton", "Whitcomb", "Larkin", "Quarry", "Mill Pond", "Chauncey", "Elmhurst",
           "Sachem", "Wachusett", "Tupelo", "Grenadier", "Beacon Hill", "Cranberry", "Old Post"]
SUFFIX = ["St", "Street", "Rd", "Road", "Ave", "Ln", "Lane", "Dr", "Way", "Terrace", "Ct"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
MON3 = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
RELATIONS = ["wife", "husband", "dtr", "daughter", "son", "sister", "brother", "niece", "nephew", "mother",
             "father", "grandson", "granddaughter", "gf", "bf", "HCP", "hcp", "proxy", "friend", "neighbor",
             "sister-in-law", "son-in-law", "daughter in law", "fiance", "partner", "cousin", "aunt", "uncle",
             "stepson", "ex-wife", "significant other", "S.O.", "dau", "d-i-l", "bro", "sis", "gdtr"]
REL_TYPOS = ["daugther", "husaband", "wfie", "dauhter", "neice", "grandaughter", "sistr", "nephw", "bother",
             "husbnd", "dtr.", "sone", "wief", "duaghter"]
ROLES = ["Dr.", "Dr", "DR", "dr", "NP", "PA", "RN", "resident", "intern", "fellow", "attending", "HO", "ho",
         "CNS", "SW", "sw", "CM", "RT", "PT", "OT", "chaplain", "Fr.", "Rev.", "Sr.", "nurse"]


# ---------------------------------------------------------------------------------------------------------------
# A note is built from templates. ``{slot}`` inserts generated text, PHI spans marked with \x01TYPE|kind|text\x02.
def _p(text: str, typ: str, kind: str) -> str:
    return f"\x01{typ}|{kind}|{text}\x02"


_MARK = re.compile(r"\x01([A-Z]+)\|([^|]*)\|([^\x02]*)\x02")


def _parse(raw: str) -> tuple[str, list[dict[str, Any]]]:
    out: list[str] = []
    spans: list[dict[str, Any]] = []
    pos = 0
    n = 0
    for m in _MARK.finditer(raw):
        chunk = raw[pos : m.start()]
        out.append(chunk)
        n += len(chunk)
        val = m.group(3)
        spans.append({"start": n, "end": n + len(val), "type": m.group(1), "value": val, "kind": m.group(2)})
        out.append(val)
        n += len(val)
        pos = m.end()
    out.append(raw[pos:])
    return "".join(out), spans


class Ctx:
    """Per-note state: the patient, family members introduced so far, the clinicians of the day."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.sex = rng.choice("MF")
        self.pt_first = rng.choice(FIRST_M if self.sex == "M" else FIRST_F)
        self.pt_last = rng.choice(SURNAMES)
        self.family: list[tuple[str, str]] = []
        self.docs = [rng.choice(SURNAMES) for _ in range(3)]

    def first(self) -> str:
        return self.rng.choice(FIRST_F + FIRST_M)

    def rel_name(self) -> tuple[str, str]:
        rel = self.rng.choice(REL_TYPOS) if self.rng.random() < 0.12 else self.rng.choice(RELATIONS)
        name = self.first()
        self.family.append((rel, name))
        return rel, name


def _date(rng: random.Random) -> str:
    m, d = rng.randint(1, 12), rng.randint(1, 28)
    y2 = rng.choice(["93", "94", "95", "96", "97", "98", "99", "01", "02"])
    y4 = rng.choice(["1993", "1995", "1998", "2001", "2003", "2066", "2107"])
    suf = "th" if d in (4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 24, 25, 26, 27, 28) else \
        {1: "st", 21: "st", 2: "nd", 22: "nd", 3: "rd", 23: "rd"}[d]
    shapes = [
        f"{m}/{d}", f"{m}/{d}", f"{m}/{d}", f"{m}-{d}", f"{m}-{d}", f"{m:02d}/{d:02d}", f"{m}/{d}/{y2}",
        f"{m}/{d}/{y4}", f"{m}-{d}-{y2}", f"{MON3[m - 1]} {d}", f"{MON3[m - 1]}. {d}", f"{MONTHS[m - 1]} {d}",
        f"{MONTHS[m - 1]} {d}{suf}", f"{d}{suf}", f"{d} {MON3[m - 1]}", f"{d}-{MON3[m - 1]}",
        f"{MON3[m - 1].upper()} {d}", f"{MONTHS[m - 1]} {d}, {y4}",
    ]
    return rng.choice(shapes)


def _age(rng: random.Random) -> str:
    n = rng.randint(90, 104)
    words = {90: "ninety", 91: "ninety one", 92: "ninety-two", 93: "ninety three", 94: "ninety-four",
             95: "ninety five", 96: "ninety-six", 97: "ninety seven", 98: "ninety-eight", 99: "ninety nine"}
    if n in words and rng.random() < 0.25:
        return words[n]
    return str(n)


def _phone(rng: random.Random) -> str:
    a, b, c = rng.choice(["617", "508", "781", "978", "413", "603", "401"]), rng.randint(200, 989), rng.randint(0, 9999)
    return rng.choice([f"({a}) {b}-{c:04d}", f"{a}-{b}-{c:04d}", f"{a} {b} {c:04d}", f"{b}-{c:04d}",
                       f"{a}.{b}.{c:04d}", f"{a}{b}{c:04d}", f"{a}-{b}{c:04d}"])


def _pager(rng: random.Random) -> str:
    return rng.choice([f"{rng.randint(1000, 9999)}", f"{rng.randint(10, 99)}-{rng.randint(100, 999)}",
                       f"{rng.randint(100, 999)}-{rng.randint(1000, 9999)}", f"{rng.randint(10000, 99999)}"])


def _street(rng: random.Random) -> str:
    return f"{rng.randint(2, 480)} {rng.choice(STREETS)} {rng.choice(SUFFIX)}"


# Slot generators: each returns text with PHI already marked.
def _s_doc(c: Ctx) -> str:
    r = c.rng
    last = r.choice(c.docs)
    return r.choice([
        f"Dr. {_p(last, 'NAME', 'clinician_last')}", f"Dr {_p(last, 'NAME', 'clinician_last')}",
        f"DR {_p(last.upper(), 'NAME', 'clinician_last')}", f"dr {_p(last.lower(), 'NAME', 'clinician_last')}",
        f"Dr.{_p(last, 'NAME', 'clinician_last')}",
        f"Dr. {_p(r.choice(FIRST_F + FIRST_M), 'NAME', 'clinician_first')} {_p(last, 'NAME', 'clinician_last')}",
        f"md ({_p(last.lower(), 'NAME', 'clinician_last')})", f"MD {_p(last, 'NAME', 'clinician_last')}",
    ])


def _s_staff(c: Ctx) -> str:
    r = c.rng
    role = r.choice(["NP", "PA", "resident", "intern", "fellow", "attending", "HO", "ho", "CNS", "SW", "CM",
                     "RT", "PT", "nutritionist", "case manager", "social worker", "chaplain", "charge RN",
                     "covering ho", "night float", "renal fellow", "surgical resident", "anesthesia"])
    who = r.random()
    if who < 0.45:
        return f"{role} {_p(r.choice(SURNAMES), 'NAME', 'staff_last')}"
    if who < 0.8:
        return f"{role} {_p(c.first(), 'NAME', 'staff_first')}"
    return f"{role} ({_p(r.choice(SURNAMES), 'NAME', 'staff_last')})"


def _s_fam(c: Ctx) -> str:
    r = c.rng
    rel, name = c.rel_name()
    if r.random() < 0.25:
        last = r.choice(SURNAMES)
        return f"{rel} {_p(name, 'NAME', 'family_first')} {_p(last, 'NAME', 'family_last')}"
    if r.random() < 0.15:
        return f"{rel} ({_p(name, 'NAME', 'family_first')})"
    if r.random() < 0.1:
        return f"{_p(name, 'NAME', 'family_first')} ({rel})"
    return f"{rel} {_p(name, 'NAME', 'family_first')}"


def _s_fambare(c: Ctx) -> str:
    if not c.family:
        return _s_fam(c)
    _, name = c.rng.choice(c.family)
    return _p(name, "NAME", "family_bare")


def _s_pt(c: Ctx) -> str:
    r = c.rng
    t = "Mr." if c.sex == "M" else r.choice(["Mrs.", "Ms.", "Mrs", "Ms"])
    return r.choice([
        f"{t} {_p(c.pt_last, 'NAME', 'patient_last')}", f"{_p(c.pt_first, 'NAME', 'patient_first')}",
        f"{_p(c.pt_first, 'NAME', 'patient_first')} {_p(c.pt_last, 'NAME', 'patient_last')}",
        f"{t}{_p(c.pt_last, 'NAME', 'patient_last')}",
    ])


def _s_sig(c: Ctx) -> str:
    r = c.rng
    f, last = c.first(), r.choice(SURNAMES)
    cred = r.choice(["RN", "rn", "R.N.", "RN, BSN", "RN/BSN", "RRT", "RN.", "SN", "LPN", "RN CCRN"])
    shapes = [
        f"{_p(f[0], 'NAME', 'sig_initial')}.{_p(last, 'NAME', 'sig_last')} {cred}",
        f"{_p(f[0].lower(), 'NAME', 'sig_initial')} {_p(last.lower(), 'NAME', 'sig_last')} {cred.lower()}",
        f"{_p(f, 'NAME', 'sig_first')} {_p(last, 'NAME', 'sig_last')}, {cred}",
        f"-{_p(f[0] + last[0], 'NAME', 'sig_initials')}",
        f"{_p(f, 'NAME', 'sig_first')} {_p(last[0], 'NAME', 'sig_initial')}. {cred}",
        f"{_p(f[0], 'NAME', 'sig_initial')}. {_p(last, 'NAME', 'sig_last')}, {cred}",
        f"{_p(f, 'NAME', 'sig_first')} {cred}",
        f"sign: {_p(f, 'NAME', 'sig_first')} {_p(last, 'NAME', 'sig_last')} {cred}",
        f"{_p(last, 'NAME', 'sig_last')} {cred}",
        f"{_p((f[0] + last[0]).upper(), 'NAME', 'sig_initials')} {cred}",
    ]
    return r.choice(shapes)


def _s_hosp(c: Ctx) -> str:
    r = c.rng
    x = r.random()
    if x < 0.55:
        return _p(r.choice(HOSPITALS), "LOCATION", "hospital")
    if x < 0.8:
        return _p(r.choice(HOSP_SHORT), "LOCATION", "hospital_short")
    return _p(r.choice(HOSP_INITIALS), "LOCATION", "hospital_initials")


def _s_rehab(c: Ctx) -> str:
    return _p(c.rng.choice(REHABS), "LOCATION", "rehab")


def _s_town(c: Ctx) -> str:
    return _p(c.rng.choice(TOWNS), "LOCATION", "town")


def _s_employer(c: Ctx) -> str:
    return _p(c.rng.choice(EMPLOYERS), "LOCATION", "employer")


def _s_church(c: Ctx) -> str:
    return _p(c.rng.choice(CHURCHES), "LOCATION", "church")


def _s_clinic(c: Ctx) -> str:
    return _p(c.rng.choice(CLINICS), "LOCATION", "clinic")


def _s_street(c: Ctx) -> str:
    r = c.rng
    s = _p(_street(r), "LOCATION", "street")
    if r.random() < 0.4:
        return f"{s} in {_p(r.choice(TOWNS), 'LOCATION', 'town')} {_p(f'0{r.randint(1000, 2799)}', 'LOCATION', 'zip')}"
    return s


def _s_date(c: Ctx) -> str:
    return _p(_date(c.rng), "DATE", "date")


def _s_drange(c: Ctx) -> str:
    r = c.rng
    m, d = r.randint(1, 12), r.randint(1, 25)
    return r.choice([
        f"{_p(f'{m}/{d}', 'DATE', 'range')}-{_p(f'{m}/{d + 2}', 'DATE', 'range')}",
        f"{_p(f'{m}/{d}', 'DATE', 'range')} - {_p(f'{m}/{d + 3}', 'DATE', 'range')}",
        f"{_p(f'{m}/{d}', 'DATE', 'range')} to {_p(f'{m}/{d + 1}', 'DATE', 'range')}",
    ])


def _s_dtime(c: Ctx) -> str:
    r = c.rng
    m, d = r.randint(1, 12), r.randint(1, 28)
    t = f"{r.randint(0, 23):02d}{r.choice(['00', '15', '30', '45'])}"
    return r.choice([f"{_p(f'{m}/{d}', 'DATE', 'with_time')} @ {t}", f"{_p(f'{m}/{d}', 'DATE', 'with_time')} {t}",
                     f"{t} {_p(f'{m}/{d}', 'DATE', 'with_time')}", f"{_p(f'{m}/{d}', 'DATE', 'with_time')}@{t}"])


def _s_nth(c: Ctx) -> str:
    r = c.rng
    d = r.choice(["1st", "2nd", "3rd", "4th", "5th", "9th", "11th", "12th", "14th", "17th", "21st", "22nd",
                  "23rd", "28th", "30th"])
    return r.choice([f"on the {_p(d, 'DATE', 'ordinal')}", f"the {_p(d, 'DATE', 'ordinal')}",
                     f"on {_p(d, 'DATE', 'ordinal')}", f"since the {_p(d, 'DATE', 'ordinal')}"])


def _s_glued(c: Ctx) -> str:
    r = c.rng
    m, d = r.randint(1, 12), r.randint(1, 28)
    return r.choice([f"on{_p(f'{m}/{d}', 'DATE', 'glued')}", f"({_p(f'{m}/{d}', 'DATE', 'glued')})",
                     f"d/c'd{_p(f'{m}/{d}', 'DATE', 'glued')}", f"placed{_p(f'{m}-{d}', 'DATE', 'glued')}",
                     f"[{_p(f'{m}/{d}', 'DATE', 'glued')}]", f"{_p(f'{m}/{d}', 'DATE', 'glued')}:"])


def _framed(c: Ctx, value: str, shapes: str) -> str:
    """``value`` (already marked) in one of the ``|``-separated ``shapes`` (``{}`` where it goes)."""
    return c.rng.choice(shapes.split("|")).format(value)


def _s_age(c: Ctx) -> str:
    return _framed(c, _p(_age(c.rng), "AGE", "over89"), "{} yo|{} y/o|{}yo|{} year old|{} yr old|age {}|{} YO|{} y.o.")


def _s_phone(c: Ctx) -> str:
    return _p(_phone(c.rng), "PHONE", "phone")


def _s_pager(c: Ctx) -> str:
    p = _p(_pager(c.rng), "PHONE", "pager")
    return _framed(c, p, "pager {}|beeper #{}|bpr {}|pgr# {}|page at {}|beep {}|x{}|ext {}")


def _s_id(c: Ctx) -> str:
    r = c.rng
    v = _p(str(r.randint(1000000, 9999999)), "ID", "mrn")
    return r.choice([f"MRN {v}", f"MR# {v}", f"unit # {v}", f"unit no. {v}", f"med rec #{v}",
                     f"OSH MRN: {v}"])


def _s_email(c: Ctx) -> str:
    r = c.rng
    u = f"{c.first().lower()}.{r.choice(SURNAMES).lower().replace(' ', '').replace(chr(39), '')}"
    return _p(f"{u}{r.randint(1, 99)}@{r.choice(['aol.com', 'comcast.net', 'yahoo.com', 'verizon.net'])}",
              "EMAIL", "email")


def _s_url(c: Ctx) -> str:
    r = c.rng
    name = r.choice(SURNAMES).lower().replace(" ", "").replace("'", "")
    return _p(f"www.caringbridge.org/visit/{name}{r.randint(1, 99)}", "URL", "url")


def _s_fl(c: Ctx) -> str:
    return f"{_p(c.first(), 'NAME', 'other_first')} {_p(c.rng.choice(SURNAMES), 'NAME', 'other_last')}"


def _s_last(c: Ctx) -> str:
    return _p(c.rng.choice(SURNAMES), "NAME", "other_last")


def _s_first(c: Ctx) -> str:
    return _p(c.first(), "NAME", "other_first")


SLOTS: dict[str, Callable[[Ctx], str]] = {
    "DOC": _s_doc, "STAFF": _s_staff, "FAM": _s_fam, "FB": _s_fambare, "PT": _s_pt, "SIG": _s_sig,
    "HOSP": _s_hosp, "REHAB": _s_rehab, "TOWN": _s_town, "EMP": _s_employer, "CHURCH": _s_church,
    "CLINIC": _s_clinic, "STREET": _s_street, "D": _s_date, "DR": _s_drange, "DT": _s_dtime, "NTH": _s_nth,
    "DG": _s_glued, "AGE": _s_age, "PH": _s_phone, "PG": _s_pager, "ID": _s_id, "EMAIL": _s_email,
    "URL": _s_url, "FL": _s_fl, "LAST": _s_last, "FIRST": _s_first,
}
_SLOT = re.compile(r"\{([A-Z]+)\}")


def _fill(c: Ctx, tpl: str) -> str:
    return _SLOT.sub(lambda m: SLOTS[m.group(1)](c), tpl)


# ---------------------------------------------------------------------------------------------------------------
# Sentence pools. PHI sentences use slots; plain ones are PHI-free clinical text (shared with phi_free()).
NEURO = [
    "A&Ox3, MAE, follows commands.", "alert, oriented x2, confused to date at times.", "sedated on propofol "
    "30mcg/kg/min, RASS -2, arouses to voice.", "PERRL 3mm brisk.", "moves all ext to command, no focal deficits.",
    "lethargic but arousable, nods appropriately.", "CAM-ICU positive this am, haldol 2mg iv x1 w/ good effect.",
    "c/o incisional pain 6/10, relieved w/ dilaudid 0.5mg iv.", "Hoffman's neg, Babinski down going.",
    "GCS 10 (E3 V2 M5).", "pupils unequal L 4mm R 3mm, neurosurg aware.", "denies pain.", "fentanyl gtt @ 50mcg/hr.",
    "restless overnight, pulling at lines, soft wrist restraints on per protocol.", "sleeping in naps.",
    "Hope to lighten sedation in am for SBT.", "precedex started for agitation @ 0.4.", "Will reassess neuro q2h.",
]
CV = [
    "HR 80s-90s NSR, no ectopy.", "afib w/ RVR to 140s, lopressor 5mg iv x2, now 90s.", "BP 100-120/50-60.",
    "SBP dipped to 80s after propofol bolus, 500cc NS given w/ good response.", "neo weaned to off at 0400.",
    "levophed @ 0.08 mcg/kg/min, MAP >65.", "Swan in place: PAS 40s, PAD 18-20, CI 2.3, SVR 1100.",
    "CVP 8-12.", "+pp bilat DP/PT, feet warm.", "pacer wires capped, epicardial wires x4.",
    "K 3.4 repleted w/ 40meq KCl, Mg 1.8 repleted 2gm.", "heparin gtt @ 900u/hr, PTT 68 at 0200.",
    "trop 0.12 -> 0.34, CK flat.", "A-line dampened, flushed and re-zeroed.", "BP rose to 160s with turning.",
    "no c/o CP.", "cont on amio gtt 0.5mg/min.", "IABP 1:1, augmented MAP 80s, groin site dry.",
]
RESP = [
    "LS coarse bilat, dim at bases.", "AC 500x14 +5 40%, ABG 7.38/42/96.", "weaned to PSV 10/5 at 0900, RR 20s.",
    "sx for thick tan secretions q2-3h.", "4L NC, sats 94-97%.", "face tent 50%, O2 sat 92%.",
    "CPAP 5/5 fio2 .40, tolerating.", "ETT 7.5 @ 23 at lip.", "trach 8.0 shiley, site clean.",
    "CXR w/ ? LLL infiltrate.", "albuterol/atrovent nebs q4h.", "strong cough, raising sm amt white sputum.",
    "RSBI 65 on SBT.", "extubated at 1030 to 50% cool neb, no stridor.", "IS to 750cc.",
    "chest tube to -20 sx, no airleak, 40cc serosang.", "Pleur-evac to water seal.", "BiPAP 12/5 overnight.",
]
GIGU = [
    "abd soft, NT/ND, +BS.", "TF Impact w/ fiber @ 60cc/hr (goal), residuals <30.", "OGT to LCWS, 200cc bilious.",
    "NPO for procedure.", "large soft brown guaiac neg stool.", "Foley draining clear yellow urine 40-80cc/hr.",
    "lasix 40mg iv w/ 1.5L diuresis.", "UO marginal 20-30cc/hr, bolus 250cc LR.", "BUN/Cr 42/2.1 (up from 1.6).",
    "cvvh running, removing 100cc/hr net.", "FS 140-180, covered per RISS.", "insulin gtt @ 3u/hr.",
    "flexiseal in place, 300cc liquid stool.", "Dobhoff placed, position confirmed by KUB.",
    "PEG site clean, dsg changed.", "I/O +1.2L for shift, +6L LOS.", "rectal tube draining green liquid stool.",
]
IDSKIN = [
    "Tmax 101.4, pan cx'd, tylenol 650 pr.", "WBC 14.2 (11.8).", "vanco/zosyn/flagyl.", "afebrile.",
    "blood cx 2/4 GPC in clusters.", "MRSA+ sputum, on contact precautions.", "c diff neg x1, sent 2nd.",
    "coccyx stage II, duoderm applied.", "sternal incision OTA, CDI.", "L groin site w/ sm hematoma, marked.",
    "skin intact, turned q2h, kinair bed.", "Braden 12.", "R heel boggy, prevalon boots on.", "JP x2 serosang.",
    "+3 pitting edema BLE.", "Jackson-Pratt drain 30cc.", "wound vac at -125, good seal.",
]
PLAN = [
    "plan: cont to wean vent, SBT in am.", "cont abx, f/u cx.", "? extubate tmrw if ABG ok.",
    "diurese -> goal neg 1L.", "monitor lytes, replete prn.", "wean pressors as tol -> MAP >60.",
    "pain control / pulm toilet / OOB to chair.", "following ct output, Hct in am.", "keep K>4, Mg>2.",
    "npo after mn for IR.", "f/u echo.", "trend trop.", "cont supportive care, emotional support to family.",
]

PHI_SENT = [
    "{DOC} aware.", "{DOC} notified of above, no new orders.", "per {DOC} keep sbp < 140.", "{DOC} in to see pt.",
    "paged {DOC} re: UO, will give 20mg lasix.", "{STAFF} aware of above.", "discussed with {STAFF}.",
    "{STAFF} in to eval, recs pending.", "{STAFF} following.", "seen by {STAFF} this am.",
    "{FAM} called for update.", "{FAM} in to visit, updated on plan of care.", "spoke with {FAM} at length.",
    "{FAM} at bedside most of shift.", "{FAM} visiting, very supportive.", "{FAM} called x2 overnight.",
    "{FB} called again at 0300.", "{FB} updated by {DOC}.", "{FB} will be in tomorrow am.",
    "{FB} asking appropriate questions, support given.", "family ({FAM}, {FAM}) in to visit.",
    "{FAM} can be reached at {PH}.", "{FAM} cell # {PH}.", "{FB} home # {PH}, would like call w/ changes.",
    "pt lives w/ {FAM} in {TOWN}.", "pt from {TOWN}, retired from {EMP}.", "works at {EMP}.",
    "pt is a {AGE} F admitted from {REHAB}.", "{AGE} M w/ hx CHF admitted {D}.", "pt is {AGE}, DNR/DNI.",
    "admitted {D} w/ urosepsis.", "s/p CABG x3 on {D} by {DOC}.", "intubated {D} at {HOSP}.",
    "transferred from {HOSP} on {D}.", "tx from {HOSP} for cath.", "OSH ({HOSP}) records sent w/ pt.",
    "pt will return to {REHAB} when stable.", "screening for rehab: {REHAB} vs {REHAB}.",
    "dispo: back to {REHAB}.", "lines: RIJ TLC placed {D}, A-line {DG}.", "PICC placed {D}.",
    "last BM {D}.", "trach changed {NTH}.", "HD last {D}, next {D}.", "abx day 5 (started {D}).",
    "foley changed {DT}.", "cx from {DR} all neg to date.", "pt's pastor from {CHURCH} in to visit.",
    "Fr. {LAST} from {CHURCH} in for anointing.", "pt lives at {STREET}.", "PCP Dr. {LAST} at {CLINIC}.",
    "gets HD at {CLINIC} MWF.", "{STAFF} pager {PG}.", "call {DOC} {PG} with results.",
    "{FAM} asks to be called at work {PH} {PG}.", "pt calls self {FIRST}.", "{PT} states \"I want to go home\".",
    "{PT} pleasant and cooperative.", "{PT} tearful this am.", "OSH MRN {ID}.", "old records under {ID}.",
    "{FB} set up site {URL} for updates.", "{FAM} email {EMAIL}.", "friend {FL} also visited.",
    "{FL} from {EMP} called asking about pt, no info given.", "neighbor {LAST} found pt down at home {D}.",
    "found down in home in {TOWN} by {FAM}.", "MVC on Rte 9 in {TOWN} {D}, medflighted to {HOSP}.",
    "fell at {REHAB} on {D}, CT head neg.",
]
SOCIAL = [
    "SOCIAL: {FAM} and {FAM} in to visit, updated by RN.", "SOCIAL: pt married, lives w/ {FAM} in {TOWN}.",
    "SOCIAL: {FAM} is HCP ({PH}).", "SOCIAL: full code per {FAM}. {FB} aware of poor prognosis.",
    "SOCIAL: no family in. {FAM} called, given update.", "SOCIAL: pt is a retired teacher from {TOWN}.",
    "SOCIAL: emotional support to {FB}.", "SOCIAL: family mtg planned for {D} w/ {DOC} and {STAFF}.",
]
CODE = [
    "CODE: full.", "CODE: DNR/DNI (confirmed w/ {FAM} {D}).", "code status: DNR per {FAM} and {DOC}.",
    "FULL CODE.", "CODE: DNR, ok for pressors.", "comfort measures discussed with {FB}, not ready.",
]


def _section(c: Ctx, label: str, pool: list[str], phi_p: float, k: tuple[int, int]) -> str:
    r = c.rng
    sents = r.sample(pool, min(len(pool), r.randint(*k)))
    if r.random() < phi_p:
        sents.insert(r.randint(0, len(sents)), _fill(c, r.choice(PHI_SENT)))
    return f"{label} " + " ".join(sents)


def _systems_note(c: Ctx, hand: dict[str, Any]) -> str:
    r = c.rng
    head = r.choice(["NPN 7A-7P", "NPN 7P-7A", "Nursing Progress Note 1900-0700", "Nursing Progress Note 0700-1900",
                     "NURSING PROGRESS NOTE", "MICU NPN", "SICU nursing note", "CCU NPN 7a-7p", "CSRU NPN",
                     "Nursing note 3-11", "npn 11p-7a", "Trauma ICU nsg note 7a-7p"])
    intro = _fill(c, r.choice([
        "pt is a {AGE} F w/ hx COPD, CHF admitted {D} w/ resp failure.",
        "{AGE} M s/p fall at home in {TOWN}, transferred from {HOSP}.",
        "Pt is a 67 yo M s/p CABG x4 on {D} by {DOC}.", "54 yo F admitted {D} from {HOSP} w/ GIB.",
        "72 yo man transferred from {HOSP} on {D} with NSTEMI.", "pt is 45yo woman w/ ETOH pancreatitis.",
        "81 yo F from {REHAB} w/ urosepsis.", "28 yo M s/p MVC {D}, multiple rib fx, L PTX.",
        "pt is a {AGE} woman from {REHAB} w/ aspiration pna.", "see admit note for details.",
        "63 yo male POD #2 AVR/CABG, uneventful shift.", "{PT} is a 59 yo F w/ ESRD on HD at {CLINIC}.",
    ]))
    secs = [
        _section(c, r.choice(["NEURO:", "Neuro:", "neuro-", "Neuro;", "NEURO-"]), NEURO, 0.25, (1, 4)),
        _section(c, r.choice(["CV:", "C/V:", "cv-", "CARDIAC:", "Cv:"]), CV, 0.3, (2, 4)),
        _section(c, r.choice(["RESP:", "Resp:", "resp-", "PULM:", "Resp;"]), RESP, 0.2, (1, 4)),
        _section(c, r.choice(["GI/GU:", "GI:", "gi/gu-", "GU:", "FEN/GI:"]), GIGU, 0.2, (1, 4)),
        _section(c, r.choice(["ID:", "ID/SKIN:", "id-", "SKIN:", "Skin:"]), IDSKIN, 0.15, (1, 3)),
    ]
    if r.random() < 0.85:
        secs.append(_fill(c, r.choice(SOCIAL)))
    if r.random() < 0.4:
        secs.append(_fill(c, r.choice(CODE)))
    if r.random() < 0.5:
        secs.append(r.choice(["DISPO:", "Dispo:", "DISP:"]) + " " + _fill(c, r.choice([
            "remains in MICU.", "possible transfer to floor tmrw.", "screening for {REHAB}.",
            "back to {REHAB} when medically cleared.", "to CCU bed pending.", "tx to {HOSP} for EP study {D}.",
            "home w/ {FAM} when ready, VNA from {CLINIC}.", "rehab screen sent to {REHAB} and {REHAB}.",
        ])))
    secs.append(r.choice(PLAN) + (" " + r.choice(PLAN) if r.random() < 0.5 else ""))
    sep = hand["sep"]
    body = sep.join(secs)
    if r.random() < 0.7:
        body += sep + _s_sig(c)
    return f"{head}{sep}{intro}{sep}{body}"


def _narrative_note(c: Ctx, hand: dict[str, Any]) -> str:
    r = c.rng
    pool = NEURO + CV + RESP + GIGU + IDSKIN
    sents = r.sample(pool, r.randint(5, 10))
    for _ in range(r.randint(2, 5)):
        sents.insert(r.randint(0, len(sents)), _fill(c, r.choice(PHI_SENT)))
    head = r.choice(["NPN:", "Nursing Note:", "7a-7p:", "Nsg note", "Events:", "Pt had uneventful night.",
                     "Events of shift:", "Nursing progress note:"])
    join = " " if not hand.get("runon") else " "
    text = join.join(sents)
    if hand.get("runon"):
        text = re.sub(r"\.(?=\s)", "", text)
    tail = " " + _s_sig(c) if r.random() < 0.7 else ""
    return f"{head} {text}{tail}"


def _rt_note(c: Ctx, hand: dict[str, Any]) -> str:
    r = c.rng
    head = r.choice(["Resp Care:", "RESPIRATORY CARE NOTE:", "Respiratory Care", "RT Note:", "resp care-"])
    s = r.sample(RESP, r.randint(3, 6))
    extra = _fill(c, r.choice([
        "Pt seen by {STAFF} for vent management.", "Intubated at {HOSP} {D} for hypercarbic failure.",
        "Plan discussed with {DOC}.", "Trach placed {D} by {DOC}.", "Will f/u w/ {STAFF} re: weaning plan.",
        "ABG sent per {DOC}.", "Home BiPAP settings per {FAM}: 14/6.",
    ]))
    s.insert(r.randint(0, len(s)), extra)
    sig = _s_sig(c).replace(" RN", " RRT") if r.random() < 0.8 else ""
    return f"{head} " + " ".join(s) + (f" {sig}" if sig else "")


NICU = [
    "#1 Resp: in RA, no A's or B's. RR 40-60s.", "#1 RESP: on CPAP 6 FiO2 21-25%, sats 93-98%.",
    "#2 FEN: TF 150cc/kg/d, BM 24cal 30cc q4h po/gav, tolerating well, no spits.",
    "#2 F/N: PG feeds EBM 20, abd benign, voiding and stooling.", "#3 Bili: 9.2/0.3 this am, off photo.",
    "#3 ID: abx d/c'd after 48h r/o, cx neg.", "#4 G&D: in isolette, temps stable, swaddled.",
    "#4 dev: alert w/ cares, sucks on pacifier.", "wt 1840g up 20g.", "HUS neg.", "ROP exam pending.",
    "apgars 8/9.", "caffeine daily.", "heme-neg stools.", "d-stick 78.",
]
NICU_PAR = [
    "#5 Parenting: MOB {FIRST} in for 1100 cares, held infant skin to skin.",
    "#5 PARENTS: FOB ({FIRST}) called x1 for update.", "Social: MOB {FIRST} {LAST} updated at bedside by {STAFF}.",
    "Parents {FIRST} and {FIRST} in to visit, asking appropriate questions.", "MOB called from {HOSP}, updated.",
    "Sib {FIRST} (age 4) in w/ grandmother {FIRST}.", "MOB can be reached at {PH}.",
    "Family lives in {TOWN}, ~1 hr away.", "twin B ({FIRST}) in room 3.", "Born {D} at {HOSP}, tx here for RDS.",
    "DOL 12, CGA 33 2/7 wks, born {D}.", "MOB plans to breastfeed, pumping, Lactation ({STAFF}) following.",
    "Pediatrician will be Dr. {LAST} at {CLINIC}.", "Circ {D} per FOB.", "Car seat test sched for {D}.",
]


def _nicu_note(c: Ctx, hand: dict[str, Any]) -> str:
    r = c.rng
    head = r.choice(["NICU Nursing Progress Note:", "Neonatology NPN", "NICU NPN 7a-7p", "Nsg 7p-7a:"])
    parts = r.sample(NICU, r.randint(3, 6))
    for _ in range(r.randint(1, 3)):
        parts.insert(r.randint(0, len(parts)), _fill(c, r.choice(NICU_PAR)))
    tail = _s_sig(c) if r.random() < 0.7 else ""
    return head + hand["sep"] + hand["sep"].join(parts) + (hand["sep"] + tail if tail else "")


FAMMTG = [
    "Family meeting held today w/ {DOC}, {STAFF}, {FAM}, {FAM} and {FAM}.",
    "Family mtg {D} at 1400: present were {FAM}, {FAM}, {DOC} and SW.",
    "{FAM} is HCP; {FB} states pt would not want prolonged life support.",
    "{FB} tearful, wants to wait for {FAM} to arrive from {TOWN} on {D}.",
    "Decision made to make pt DNR/DNI. {DOC} to write order.", "Plan to readdress goals of care {D}.",
    "Chaplain {LAST} called for family support.", "Family requested {CHURCH} be called; Rev. {LAST} notified.",
    "{FB} ({PH}) to be called for any changes.", "Pt's other son {FIRST} lives in {TOWN} and will fly in.",
    "Family aware pt's prognosis is poor.", "Questions answered, emotional support given.",
]


def _family_note(c: Ctx, hand: dict[str, Any]) -> str:
    r = c.rng
    head = r.choice(["Family meeting:", "FAMILY MTG NOTE", "Addendum:", "Nursing addendum re family meeting:",
                     "Code status discussion:"])
    parts = [_fill(c, t) for t in r.sample(FAMMTG, r.randint(3, 6))]
    tail = _s_sig(c) if r.random() < 0.8 else ""
    return head + " " + " ".join(parts) + (" " + tail if tail else "")


TRANSFER = [
    "Pt transferred from {HOSP} via medflight at 1530.", "Pt is a {AGE} F from {REHAB} sent to {HOSP} ED {D}, "
    "then here.", "accepted from OSH ({HOSP}) for cath.", "tx to {REHAB} today, report called to {STAFF} {PH}.",
    "Report given to {FIRST} RN on 11 {LAST}.", "belongings sent w/ pt; {FAM} took wallet home.",
    "Pt going to {REHAB} in {TOWN} by ambulance at 1400.", "Accepting MD at {HOSP}: Dr. {LAST}.",
    "Pt left unit at 1600 w/ RN {FIRST}, {FAM} aware and will meet pt there.",
    "transfer to floor delayed, no beds, {STAFF} aware.", "PCP is Dr {LAST} ({PH}).",
]


def _transfer_note(c: Ctx, hand: dict[str, Any]) -> str:
    r = c.rng
    head = r.choice(["Transfer note:", "Nursing transfer note", "ADMISSION NOTE:", "Admit note 1900:",
                     "Nursing Admission Note", "Accept note:"])
    parts = [_fill(c, t) for t in r.sample(TRANSFER, r.randint(2, 5))]
    parts += r.sample(NEURO + CV + RESP, r.randint(2, 4))
    r.shuffle(parts)
    tail = _s_sig(c) if r.random() < 0.8 else ""
    return head + " " + " ".join(parts) + (" " + tail if tail else "")


ROS_ITEMS = ["NEURO", "CV", "RESP", "GI", "GU", "ID", "SKIN", "ENDO", "HEME", "PAIN", "ACTIVITY"]


def _ros_note(c: Ctx, hand: dict[str, Any]) -> str:
    r = c.rng
    pools = {"NEURO": NEURO, "CV": CV, "RESP": RESP, "GI": GIGU, "GU": GIGU, "ID": IDSKIN, "SKIN": IDSKIN,
             "ENDO": ["FS 120-160, SSRI.", "insulin gtt off at 1000."], "HEME": ["Hct 27.9, 1u PRBC given.",
             "plts 88."], "PAIN": ["dilaudid PCA, pain 3/10."], "ACTIVITY": ["OOB to chair w/ 2 assist."]}
    lines = ["REVIEW OF SYSTEMS:"]
    for item in r.sample(ROS_ITEMS, r.randint(4, 8)):
        line = f"{item}: {r.choice(pools[item])}"
        if r.random() < 0.3:
            line += " " + _fill(c, r.choice(PHI_SENT))
        lines.append(line)
    lines.append(_fill(c, r.choice(SOCIAL)))
    if r.random() < 0.7:
        lines.append(_s_sig(c))
    return "\n".join(lines)


def _event_note(c: Ctx, hand: dict[str, Any]) -> str:
    r = c.rng
    t = f"{r.randint(0, 23):02d}{r.choice(['00', '10', '30', '45'])}"
    e = _fill(c, r.choice([
        "Event {DT}: pt found w/ sats 70s, bagged, {DOC} and RT at bedside, reintubated by {STAFF}.",
        "Event: at " + t + " pt became bradycardic to 30s, atropine x1, {DOC} aware, {FAM} notified.",
        "Addendum: {FAM} called and upset re: pt's care; {STAFF} spoke w/ {FB} and will call back.",
        "Addendum {D}: pt self-extubated at " + t + ", placed on 50% face tent, {DOC} aware.",
        "Event: rapid response called at " + t + " for SBP 70s. {DOC}, {STAFF} and {STAFF} responded.",
        "Addendum: pt fell while trying to get OOB; no injury. {DOC} notified, {FAM} called at {PH}.",
        "Late entry for {D}: pt received 2u PRBC for Hct 24; {DOC} aware.",
        "Addendum: {FB} brought in pt's hearing aids and glasses; placed in drawer.",
    ]))
    tail = " " + _s_sig(c) if r.random() < 0.7 else ""
    return e + tail


KINDS: dict[str, Callable[[Ctx, dict[str, Any]], str]] = {
    "systems": _systems_note, "narrative": _narrative_note, "rt": _rt_note, "nicu": _nicu_note,
    "family": _family_note, "transfer": _transfer_note, "ros": _ros_note, "event": _event_note,
}
KIND_WEIGHTS = {"systems": 8, "narrative": 6, "rt": 2, "nicu": 3, "family": 2, "transfer": 2, "ros": 2, "event": 3}
HANDS: list[dict[str, Any]] = [
    {"name": "tidy", "case": "mixed", "sep": "\n"},
    {"name": "caps", "case": "upper", "sep": "\n"},
    {"name": "caps_inline", "case": "upper", "sep": " "},
    {"name": "lower", "case": "lower", "sep": " "},
    {"name": "lower_lines", "case": "lower", "sep": "\n"},
    {"name": "runon", "case": "mixed", "sep": " ", "runon": True},
    {"name": "runon_lower", "case": "lower", "sep": " ", "runon": True},
    {"name": "inline", "case": "mixed", "sep": " "},
]


def _case(text: str, spans: list[dict[str, Any]], how: str) -> tuple[str, list[dict[str, Any]]]:
    if how == "mixed":
        return text, spans
    f = str.upper if how == "upper" else str.lower
    out = f(text)
    if len(out) != len(text):  # a character changed length under case mapping: keep the mixed-case text
        return text, spans
    return out, [{**s, "value": f(s["value"])} for s in spans]


def _build(rng: random.Random, kind: str, hand: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    c = Ctx(rng)
    text, spans = _parse(KINDS[kind](c, hand))
    hand_case = hand["case"]
    if hand.get("runon") and kind in ("systems", "nicu", "ros"):
        text = text.replace("\n", " ")
    return _case(text, spans, hand_case)


def corpus(n: int = 300, seed: int = 109) -> list[dict[str, Any]]:
    """``n`` notes with gold spans, deterministic in ``seed``."""
    rng = random.Random(seed)
    kinds = [k for k, w in KIND_WEIGHTS.items() for _ in range(w)]
    recs: list[dict[str, Any]] = []
    for i in range(n):
        kind = rng.choice(kinds)
        hand = rng.choice(HANDS)
        text, spans = _build(rng, kind, hand)
        assert all(text[s["start"] : s["end"]] == s["value"] for s in spans)
        recs.append({"id": f"b10-{seed}-{i}", "text": text, "spans": spans, "style": f"{kind}/{hand['name']}"})
    return recs


# ---------------------------------------------------------------------------------------------------------------
# PHI-free notes: look-alikes only (eponyms, brands, devices, scores, vent settings, ratios, doses, word-names).
LOOKALIKE = [
    "Parkinson's dz, on sinemet.", "Foley d/c'd at 0600, due to void by 1400.", "Swan d/c'd, cordis remains.",
    "hx Graves' dz s/p RAI.", "Hope to wean to trach collar tmrw.", "Will cont to monitor closely.",
    "Will f/u w/ team in am.", "family in to visit, updated by RN.", "the family aware of plan.",
    "MD aware.", "Team aware of above.", "covering HO aware.", "resident notified, no new orders.",
    "Bell's palsy noted L face, old per pt.", "Cheyne-Stokes resp pattern during sleep.",
    "Trendelenburg for line placement.", "Miami J collar on at all times.", "Philadelphia collar while OOB.",
    "Aspen collar fitted by ortho tech.", "Hickman cath R chest, dsg CDI.", "Port-a-cath accessed.",
    "Salem sump to LIWS.", "Bair hugger for temp 35.2.", "Kinair bed.", "Stryker frame.", "Pneumoboots on.",
    "levophed 0.1 mcg/kg/min, vasopressin 0.04 u/min.", "Ensure TID, Pulmocare @ 40cc/hr.", "Jevity 1.2 @ 50.",
    "1/2 NS @ 75cc/hr.", "D5 1/2NS w/ 20 KCl.", "BP 120/80, HR 72.", "AC 500x14 +5 40%.", "PSV 10/5 .40.",
    "SIMV 600x10 PS 10 PEEP 8.", "ratio 1:2.", "INR 1.3, PTT 34.", "Glasgow coma scale 14.", "RASS 0.",
    "Apgars 8/9.", "Ballard 32 wks.", "MAP > 65.", "CVP 12.", "Lopressor 25mg po bid.", "Ativan 1mg iv prn.",
    "Haldol 2mg iv x1.", "Tylenol 650mg pr.", "Colace/senna.", "Protonix 40 iv qd.", "Heparin 5000u sc tid.",
    "brown liquid stool.", "green bilious drainage from OGT.", "white sputum.", "frank blood from ETT x1.",
    "BP rose to 180s with suctioning.", "strong cough.", "young pt, good reserve.", "bright red blood per rectum.",
    "Murphy's sign neg.", "Homans' sign neg.", "Kussmaul resp.", "Mallory-Weiss tear on EGD.",
    "Whipple POD 3.", "Nissen POD 1.", "Hartmann's pouch.", "Roux-en-Y.", "Duke criteria.", "Ranson 3.",
    "APACHE II 22.", "Braden 14.", "Morse fall risk 45.", "CIWA 8.", "pain 4/10.", "I/O 2400/1800.",
    "grace period for family visits extended by charge RN.", "Faith based support offered, declined.",
    "pt states he has no family nearby.", "day 3 of abx.", "POD #2.", "HD #5.", "pt turns 80 next month.",
    "Sats 95% on 2L.", "Rhythm: NSR w/ occ PVCs.", "Dr aware.", "MD on call aware.", "NP aware.",
    "Plan: cont current mgmt.", "Code: full.", "CODE STATUS: DNR/DNI.", "Dispo: remain in CCU.",
    "Mark on L groin hematoma traced.", "Bill of rights given to family.", "Art line R radial.",
    "June labs reviewed by team for trend.", "Rose colored urine, heme +.", "Dawn phenomenon suspected.",
    "ivy-like rash on forearms.", "Hazel eyes, PERRL.", "Pearl-white sputum.", "Stone in CBD per MRCP.",
    "Marsh grade 3 on bx.", "hill-sachs lesion on MRI.", "Wood's lamp exam neg.", "King's College criteria.",
    "Swift recovery after narcan.", "Cook catheter in place.", "Baker's cyst R knee.", "Fox sign neg.",
    "Cross-matched 2 units.", "Small amt serous drainage.", "Winter's formula: expected pCO2 28.",
    "Snow-like flakes on skin, derm consult.", "Black tarry stool, guaiac +.", "Banks of lights dimmed at night.",
    "Fields of view full.", "Waters view xray.", "Long term plan: trach/peg.", "Short of breath w/ exertion.",
]


def phi_free(n: int = 100, seed: int = 113) -> list[dict[str, Any]]:
    """``n`` PHI-free notes in the same hands, dense with look-alikes (spans empty)."""
    rng = random.Random(seed)
    recs: list[dict[str, Any]] = []
    pools = NEURO + CV + RESP + GIGU + IDSKIN + PLAN + NICU
    for i in range(n):
        hand = rng.choice(HANDS)
        head = rng.choice(["NPN 7A-7P", "Nursing Progress Note 1900-0700", "Resp Care:", "NICU NPN", "Events:",
                           "REVIEW OF SYSTEMS:", "Addendum:", "MICU NPN", "CSRU NPN"])
        parts = rng.sample(LOOKALIKE, rng.randint(4, 9)) + rng.sample(pools, rng.randint(2, 5))
        rng.shuffle(parts)
        text = head + hand["sep"] + hand["sep"].join(parts)
        if hand["case"] == "upper":
            text = text.upper()
        elif hand["case"] == "lower":
            text = text.lower()
        recs.append({"id": f"b10free-{seed}-{i}", "text": text, "spans": [], "style": f"phi_free/{hand['name']}"})
    return recs
