"""Blind corpus of model answers to a healthcare agent: letters, summaries, reminders, appeals, hand-offs,
contact answers, Markdown tables and lists, key: value blocks, e-mails, translations, multilingual replies.

Written before reading any detector code or data list (issue 16). Names and places come from the lists in this
file only. Proper case mostly, some ALL CAPS and lower case. ``corpus(n, seed)`` returns records
``{"id", "text", "spans": [{"start", "end", "type", "value", "kind"}], "style", "whole"}``; ``phi_free(n, seed)``
returns answers in the same styles with no PHI and many look-alikes (drug and device brands, eponyms,
organisations, journals, states and countries, capitalised headings, German nouns, words that are also names).
Gold types: NAME, LOCATION, DATE, AGE (over 89), PHONE, EMAIL, ID, URL. ``whole`` lists one-line addresses
(street to postal code) that must be redacted whole, separators included.
"""

# ruff: noqa: E501  (address shapes per country read best one per line)
from __future__ import annotations

import random
from typing import Any

# ---------------------------------------------------------------- names (invented mix of many origins)
FIRST = [
    # Hungarian, Nordic, Finnish
    "Zsófia", "Bence", "Levente", "Réka", "Gergely", "Dorottya", "Signe", "Mads", "Rasmus", "Freja", "Ingrid",
    "Torbjørn", "Åsa", "Björn", "Eero", "Aino", "Sigrún", "Halldór", "Liisa", "Jørgen",
    # Polish, German
    "Wojciech", "Agnieszka", "Małgorzata", "Przemysław", "Zofia", "Jędrzej", "Jürgen", "Dörte", "Henrike",
    "Lukas", "Anneliese", "Wiebke", "Gesine",
    # Spanish, Portuguese, French
    "Ximena", "Joaquín", "Araceli", "Maribel", "Ignacio", "Rocío", "João", "Thiago", "Luíza", "Raimundo",
    "Gonçalo", "Amélie", "Gaëlle", "Benoît", "Hélène", "Loïc", "Anaïs",
    # Vietnamese, Chinese, Korean, Japanese
    "Thảo", "Minh", "Huyền", "Dũng", "Phương", "Quang", "Xiaoming", "Meilin", "Jianhua", "Yuting", "Jiwoo",
    "Seo-yeon", "Dong-hyun", "Haruto", "Yui", "Kenji", "Aiko",
    # South Asian, Arabic, African, Turkish, Greek, Irish
    "Aarav", "Priyanka", "Venkatesh", "Lakshmi", "Harpreet", "Yousef", "Rania", "Tariq", "Nour", "Chidinma",
    "Oluwaseun", "Kwame", "Amara", "Tendai", "Nkechi", "Çağla", "Emre", "Gökhan", "Şeyma", "Eleni", "Dimitris",
    "Stavros", "Siobhán", "Niamh", "Ciarán", "Aoife",
    # US / English, some that are also words
    "Brenda", "Dwayne", "Kimberly", "Travis", "Marjorie", "Cody", "Shawna", "Earl", "Lorraine", "Trevor",
    "Delores", "Rhett", "Tamsin", "Hope", "Will", "Grace", "Rose", "June", "Dawn", "Bill", "Mark", "Hunter",
]
LAST = [
    "Vörös", "Szalai", "Bánfalvi", "Kjærgaard", "Thorsen", "Lindqvist", "Halvorsen", "Østergaard", "Mäkinen",
    "Virtanen", "Järvinen", "Sigurðsson", "Wiśniewska", "Zawadzki", "Grabowski", "Kaczmarek", "Dąbrowska",
    "Pawlak", "Brzęczek", "Schüler", "Brandtner", "Hölzl", "Kübler", "Oßwald", "Ibarra", "Quintanilla", "Zúñiga",
    "Echeverría", "Villaseñor", "Arreola", "Gonçalves", "Magalhães", "Assunção", "Brandão", "Falcão",
    "Lefebvre", "Beauchêne", "Girard", "Desrosiers", "Thériault", "Nguyễn", "Trần", "Phạm", "Huỳnh", "Võ",
    "Zhou", "Xu", "Tan", "Choi", "Kwon", "Takahashi", "Nakamura", "Fujiwara", "Raghunathan", "Chaudhary",
    "Iyer", "Banerjee", "Sandhu", "Haddad", "Khoury", "Mansour", "Al-Sayed", "Okonkwo", "Adeyemi", "Mensah",
    "Chikwanha", "Nwosu", "Yılmaz", "Öztürk", "Kılıç", "Papadakis", "Konstantinou", "O'Donovan", "McAuliffe",
    "Fitzgerald", "Pruitt", "Whitacre", "Dunleavy", "Hollister", "Crandall", "Stroud", "Beasley", "Mabry",
    "Márquez-Ortega", "van der Heijden", "de Souza", "dos Santos", "Marsh", "Rivers", "Fields", "Strong",
    "Baker", "Bell", "Underwood", "Quarles", "Tolliver", "Espinoza", "Szymańska", "Radović", "Petrović",
]
TITLES = ["Dr.", "Dr", "Mr.", "Mrs.", "Ms.", "Prof.", "Sra.", "Sr.", "Herr", "Frau", "Mme", "Pani"]
CLIN_ROLES = ["RN", "MD", "NP", "PA-C", "LCSW", "PharmD", "DO", "CNA", "RD"]
RELATIONS = ["daughter", "son", "wife", "husband", "sister", "brother", "niece", "neighbor", "partner", "friend"]

# ---------------------------------------------------------------- places (invented where possible)
US_CITIES = [
    ("Tacoma", "WA"), ("Bozeman", "MT"), ("Kalispell", "MT"), ("Duluth", "MN"), ("Muskogee", "OK"),
    ("Chillicothe", "OH"), ("Pocatello", "ID"), ("Yakima", "WA"), ("Sheboygan", "WI"), ("Natchez", "MS"),
    ("Bangor", "ME"), ("Lubbock", "TX"), ("Wenatchee", "WA"), ("Paducah", "KY"), ("Kokomo", "IN"),
    ("Ypsilanti", "MI"), ("Poughkeepsie", "NY"), ("Tuscaloosa", "AL"), ("Cheyenne", "WY"), ("Flagstaff", "AZ"),
    ("Santa Rosa", "CA"), ("Eau Claire", "WI"), ("Fort Collins", "CO"), ("Cedar Rapids", "IA"),
    ("Grand Junction", "CO"), ("Coeur d'Alene", "ID"), ("St. Cloud", "MN"), ("Port Angeles", "WA"),
    ("Sioux Falls", "SD"), ("Las Cruces", "NM"), ("Millbrook Falls", "VT"), ("East Harlow", "NH"),
    ("Pine Hollow", "GA"), ("Otter Creek", "OR"), ("New Brannock", "PA"), ("Lake Wendell", "MN"),
    ("Haverford Junction", "NE"), ("West Dorrance", "KS"), ("Bellmead", "TX"), ("Mount Orrin", "NC"),
]
STATE_NAMES = ["Oregon", "Texas", "Ohio", "Minnesota", "Georgia", "Vermont", "Montana", "Arizona", "Maine"]
STREET_WORDS = [
    "Juniper", "Alder", "Harrow", "Bellweather", "Cottonwood", "Kingsbury", "Marlowe", "Quail Run", "Tamarack",
    "Whitfield", "Osprey", "Larkspur", "Ridgeview", "Halsey", "Fenwick", "Old Mill", "Sycamore", "Dunmore",
    "Briarcliff", "Copperhead", "Wexford", "Mulberry", "Shadow Lake", "Pemberton", "Cranston", "Hollyhock",
    "Martin Luther King Jr", "Cesar Chavez", "Founders", "Ashby", "Elm", "Third", "12th", "41st", "Bay",
]
# USPS suffixes, full and abbreviated (C1 list, a wide sample)
SUFFIXES = [
    "Alley", "Annex", "Arcade", "Avenue", "Ave", "Bayou", "Beach", "Bend", "Bluff", "Bluffs", "Bottom",
    "Boulevard", "Blvd", "Branch", "Bridge", "Brook", "Brooks", "Burg", "Bypass", "Byp", "Camp", "Canyon",
    "Cape", "Causeway", "Center", "Ctr", "Circle", "Cir", "Cliff", "Cliffs", "Club", "Common", "Commons",
    "Corner", "Corners", "Course", "Court", "Ct", "Courts", "Cove", "Cv", "Creek", "Crk", "Crescent", "Crest",
    "Crossing", "Xing", "Crossroad", "Curve", "Dale", "Dam", "Divide", "Drive", "Dr", "Drives", "Estate",
    "Estates", "Expressway", "Expy", "Extension", "Ext", "Falls", "Ferry", "Field", "Fields", "Flat", "Flats",
    "Ford", "Forest", "Forge", "Fork", "Forks", "Fort", "Freeway", "Fwy", "Garden", "Gardens", "Gdns",
    "Gateway", "Glen", "Glens", "Green", "Grove", "Grv", "Harbor", "Hbr", "Haven", "Heights", "Hts",
    "Highway", "Hwy", "Hill", "Hills", "Hollow", "Holw", "Inlet", "Island", "Isle", "Junction", "Jct", "Key",
    "Knoll", "Knolls", "Lake", "Lakes", "Land", "Landing", "Lndg", "Lane", "Ln", "Light", "Loaf", "Lock",
    "Lodge", "Loop", "Mall", "Manor", "Mnr", "Meadow", "Meadows", "Mews", "Mill", "Mills", "Mission",
    "Motorway", "Mount", "Mountain", "Mtn", "Neck", "Orchard", "Orch", "Oval", "Overpass", "Park", "Parkway",
    "Pkwy", "Pass", "Passage", "Path", "Pike", "Pine", "Pines", "Place", "Pl", "Plain", "Plains", "Plaza",
    "Plz", "Point", "Pt", "Points", "Port", "Prairie", "Radial", "Ramp", "Ranch", "Rapid", "Rapids", "Rest",
    "Ridge", "Rdg", "River", "Road", "Rd", "Roads", "Route", "Row", "Rue", "Run", "Shoal", "Shore", "Shores",
    "Skyway", "Spring", "Springs", "Spur", "Square", "Sq", "Station", "Sta", "Stravenue", "Stream", "Street",
    "St", "Streets", "Summit", "Smt", "Terrace", "Ter", "Throughway", "Trace", "Trce", "Track", "Trafficway",
    "Trail", "Trl", "Trailer", "Tunnel", "Turnpike", "Tpke", "Underpass", "Union", "Valley", "Vly", "Viaduct",
    "View", "Vw", "Village", "Vlg", "Ville", "Vista", "Vis", "Walk", "Wall", "Way", "Well", "Wells",
]
DIRS = ["N", "S", "E", "W", "NE", "SW", "North", "West", "N.", "S.E."]
UNITS = ["Apt", "Apt.", "Apartment", "Suite", "Ste", "Ste.", "#", "Unit", "Fl", "Floor", "Rm", "Bldg", "Lot", "Trlr"]

FACILITIES = [
    "Cedar Hollow Medical Center", "St. Brigid's Hospital", "Lakeshore Family Clinic",
    "Maple Terrace Nursing Home", "Harbor View Rehabilitation Center", "Pinecrest Assisted Living",
    "Sweetwater Valley Hospital", "Good Shepherd Hospice", "Riverbend Dialysis Center",
    "Hospital São Lucas da Serra", "Klinikum Nordhafen", "Szpital Powiatowy w Lesznie",
    "Clínica Santa Inés", "Centre hospitalier de Saint-Aubin", "Bệnh viện Đa khoa Tâm Phúc",
    "Three Rivers Memorial Hospital", "Oakmont Skilled Nursing Facility", "Bluewater Urgent Care",
]

INTL_CITIES = [
    "Saskatoon", "Trois-Rivières", "Kelowna", "Leeds", "Norwich", "Aberystwyth", "Bielefeld", "Konstanz",
    "Würzburg", "Aarhus", "Odense", "Tampere", "Trondheim", "Uppsala", "Campinas", "Juiz de Fora",
    "Florianópolis", "Guadalajara", "Querétaro", "Mérida", "Kraków", "Gdańsk", "Łódź", "Debrecen", "Szeged",
    "Rennes", "Đà Nẵng", "Huế", "Cần Thơ", "Esbjerg", "Jyväskylä", "Bergen", "Malmö",
]

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
MON_ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
MES = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
       "noviembre", "diciembre"]
MONAT = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
         "November", "Dezember"]
MOIS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
        "novembre", "décembre"]
MES_PT = ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro",
          "novembro", "dezembro"]


def _keep_len(c: str, f: Any) -> str:
    u = f(c)
    return u if len(u) == 1 else c


def _cased(s: str, case: str) -> str:
    if case == "upper":
        return "".join(_keep_len(c, str.upper) for c in s)
    if case == "lower":
        return "".join(_keep_len(c, str.lower) for c in s)
    return s


class _B:
    """Text builder recording gold spans as it appends."""

    def __init__(self, rng: random.Random, case: str = "proper") -> None:
        self.rng = rng
        self.case = case
        self.parts: list[str] = []
        self.n = 0
        self.spans: list[dict[str, Any]] = []
        self.whole: list[dict[str, Any]] = []

    def t(self, s: str) -> _B:
        s = _cased(s, self.case)
        self.parts.append(s)
        self.n += len(s)
        return self

    def p(self, s: str, typ: str, kind: str) -> _B:
        start = self.n
        self.t(s)
        self.spans.append({"start": start, "end": self.n, "type": typ, "value": self.parts[-1], "kind": kind})
        return self

    def text(self) -> str:
        return "".join(self.parts)


# ---------------------------------------------------------------- people
class _Person:
    def __init__(self, rng: random.Random) -> None:
        self.first = rng.choice(FIRST)
        self.last = rng.choice(LAST)
        self.mid = rng.choice("ABCDEFGHJKLMNPRSTVW")
        self.rng = rng

    def full(self) -> str:
        r = self.rng.random()
        if r < 0.6:
            return f"{self.first} {self.last}"
        if r < 0.85:
            return f"{self.first} {self.mid}. {self.last}"
        return f"{self.first[0]}. {self.last}"


def _name(b: _B, p: _Person, kind: str = "full") -> _B:
    if kind == "full":
        return b.p(p.full(), "NAME", "full")
    if kind == "first":
        return b.p(p.first, "NAME", "first")
    if kind == "last":
        return b.p(p.last, "NAME", "surname")
    if kind == "poss":
        return b.p(p.last if b.rng.random() < 0.5 else p.first, "NAME", "possessive").t("'s")
    if kind == "comma":
        return b.p(f"{p.last}, {p.first}", "NAME", "last_comma_first")
    raise ValueError(kind)


def _titled(b: _B, p: _Person, title: str | None = None) -> _B:
    b.t((title or b.rng.choice(["Dr.", "Mr.", "Mrs.", "Ms.", "Dr"])) + " ")
    return b.p(p.last if b.rng.random() < 0.5 else p.full(), "NAME", "after_title")


def _clin(b: _B, p: _Person) -> _B:
    b.p(p.full(), "NAME", "clinician")
    return b.t(", " + b.rng.choice(CLIN_ROLES))


# ---------------------------------------------------------------- dates, numbers
def _date(b: _B) -> _B:
    rng = b.rng
    m, d, y = rng.randrange(12), rng.randint(1, 28), rng.choice([2025, 2026, 2027])
    shape = rng.randrange(7)
    s = [
        f"{MONTHS[m]} {d}, {y}", f"{m + 1:02d}/{d:02d}/{y}", f"{d} {MONTHS[m]} {y}", f"{y}-{m + 1:02d}-{d:02d}",
        f"{MON_ABBR[m]} {d}", f"{MONTHS[m]} {d}", f"{m + 1}/{d}",
    ][shape]
    return b.p(s, "DATE", "date")


def _date_lang(b: _B, lang: str) -> _B:
    m, d, y = b.rng.randrange(12), b.rng.randint(1, 28), b.rng.choice([2025, 2026])
    s = {
        "es": f"{d} de {MES[m]} de {y}", "pt": f"{d} de {MES_PT[m]} de {y}", "de": f"{d}. {MONAT[m]} {y}",
        "fr": f"{d} {MOIS[m]} {y}", "pl": f"{d:02d}.{m + 1:02d}.{y}", "vi": f"ngày {d} tháng {m + 1} năm {y}",
    }[lang]
    return b.p(s, "DATE", f"date_{lang}")


def _age(b: _B, adjective: bool = False) -> _B:
    a = b.rng.randint(90, 104)
    shape = 0 if adjective else b.rng.randrange(4)
    if shape == 1:
        b.t("aged ")
    b.p(str(a), "AGE", "age")  # the age is the identifier: "-year-old" and "years old" are no part of it
    return b.t(["-year-old", "", " years old", " y/o"][shape])


def _phone(b: _B, country: str = "us") -> _B:
    r = b.rng
    s = {
        "us": r.choice([f"({r.randint(201, 989)}) 555-{r.randint(1000, 9999)}",
                        f"{r.randint(201, 989)}-555-{r.randint(1000, 9999)}",
                        f"+1 {r.randint(201, 989)} 555 {r.randint(1000, 9999)}",
                        f"{r.randint(201, 989)}.555.{r.randint(1000, 9999)}"]),
        "de": f"+49 {r.randint(30, 89)} {r.randint(1000000, 9999999)}",
        "br": f"+55 {r.randint(11, 99)} 9{r.randint(1000, 9999)}-{r.randint(1000, 9999)}",
        "uk": f"0{r.randint(1100, 2099)} {r.randint(100000, 999999)}",
        "pl": f"+48 {r.randint(500, 799)} {r.randint(100, 999)} {r.randint(100, 999)}",
        "fr": f"0{r.randint(1, 7)} {r.randint(10, 99)} {r.randint(10, 99)} {r.randint(10, 99)} {r.randint(10, 99)}",
    }[country]
    return b.p(s, "PHONE", f"phone_{country}")


def _email(b: _B, p: _Person) -> _B:
    import unicodedata

    def ascii_(s: str) -> str:
        return "".join(c for c in unicodedata.normalize("NFKD", s) if c.isascii() and c.isalnum())

    dom = b.rng.choice(["mailbox.org", "cedarhollow-health.org", "gmail.com", "outlook.com", "web.de",
                        "uol.com.br", "wp.pl", "proton.me"])
    local = b.rng.choice([f"{ascii_(p.first)}.{ascii_(p.last)}", f"{ascii_(p.first)[0]}{ascii_(p.last)}",
                          f"{ascii_(p.last)}{b.rng.randint(1, 99)}"]).lower()
    return b.p(f"{local}@{dom}", "EMAIL", "email")


def _id(b: _B) -> _B:
    r = b.rng
    label, val = r.choice([
        ("MRN ", f"{r.randint(10000000, 99999999)}"), ("MRN: ", f"{r.randint(100000, 999999)}"),
        ("member ID ", f"{r.choice('XWHJ')}{r.choice('KQZ')}{r.randint(100000000, 999999999)}"),
        ("Member ID: ", f"{r.randint(100, 999)}-{r.randint(10, 99)}-{r.randint(1000, 9999)}"),
        ("account #", f"{r.randint(1000, 9999)}-{r.randint(10, 99)}"),
        ("policy number ", f"POL{r.randint(1000000, 9999999)}"),
        ("driver's licence ", f"{r.choice('DFKW')}{r.randint(1000000, 9999999)}"),
        ("claim no. ", f"{r.randint(2025, 2026)}{r.randint(1000000, 9999999)}"),
    ])
    b.t(label)
    return b.p(val, "ID", "id")


def _url(b: _B, p: _Person) -> _B:
    import unicodedata

    def slug(s: str) -> str:
        return "".join(c for c in unicodedata.normalize("NFKD", s) if c.isascii() and (c.isalnum() or c == " "))

    f, la = slug(p.first).lower(), slug(p.last).lower().replace(" ", "")
    s = b.rng.choice([f"https://www.linkedin.com/in/{f}-{la}-rn", f"https://portal.cedarhollow-health.org/p/{f}{la}",
                      f"https://www.caringbridge.org/visit/{f}{la}"])
    return b.p(s, "URL", "url")


# ---------------------------------------------------------------- addresses
def _us_street(b: _B) -> _B:
    r = b.rng
    shape = r.randrange(10)
    if shape == 0:
        return b.p(f"PO Box {r.randint(1, 9999)}", "LOCATION", "po_box")
    if shape == 1:
        return b.p(f"RR {r.randint(1, 9)} Box {r.randint(10, 999)}", "LOCATION", "rural_route")
    if shape == 2:
        return b.p(r.choice([f"{r.randint(1000, 39999)} State Highway {r.randint(1, 299)}",
                             f"{r.randint(100, 9999)} US Highway {r.randint(1, 99)} {r.choice(['N', 'S', 'E', 'W'])}",
                             f"N{r.randint(1000, 9999)} County Road {r.choice('KJMQ')}",
                             f"{r.randint(100, 9999)} Farm to Market Road {r.randint(100, 3000)}"]),
                   "LOCATION", "highway")
    num = str(r.randint(1, 29999))
    parts = [num]
    if r.random() < 0.25:
        parts.append(r.choice(DIRS))
    parts.append(r.choice(STREET_WORDS))
    parts.append(r.choice(SUFFIXES))
    s = " ".join(parts)
    if r.random() < 0.45:
        u = r.choice(UNITS)
        val = r.choice([str(r.randint(1, 999)), f"{r.randint(1, 30)}{r.choice('ABCDF')}", r.choice("ABCD")])
        sep = r.choice([", ", " "])
        s += f"{sep}{u}{'' if u == '#' else ' '}{val}"
    return b.p(s, "LOCATION", "us_street")


def _us_city_line(b: _B, one_line: bool) -> _B:
    city, st = b.rng.choice(US_CITIES)
    b.p(city, "LOCATION", "city")
    b.t(f", {st} ")
    zip_ = f"{b.rng.randint(10000, 99899):05d}" + (f"-{b.rng.randint(1000, 9999)}" if b.rng.random() < 0.3 else "")
    return b.p(zip_, "LOCATION", "zip")


def _us_address(b: _B, block: bool = False) -> _B:
    start = b.n
    _us_street(b)
    b.t("\n" if block else ", ")
    _us_city_line(b, not block)
    if not block:
        b.whole.append({"type": "US address", "start": start, "end": b.n})
    return b


def _intl_address(b: _B, block: bool = False) -> _B:
    """One address of another country; each line (or the whole line) is one LOCATION span."""
    r = b.rng
    n = r.randint(1, 240)
    country = r.randrange(12)
    sep = "\n" if block else ", "
    if country == 0:  # Canada
        lines = [f"{n * 7} {r.choice(['rue Saint-Denis', 'Bloor Street West', 'avenue des Érables', 'Spadina Crescent'])}"
                 f"{r.choice(['', ', Unit ' + str(r.randint(100, 2400)), ' app. ' + str(r.randint(1, 12))])}",
                 f"{r.choice(['Saskatoon, SK', 'Trois-Rivières, QC', 'Kelowna, BC', 'Moncton, NB'])} "
                 f"{r.choice('KLMNHT')}{r.randint(0, 9)}{r.choice('ABCEGHJ')} {r.randint(0, 9)}{r.choice('KLMNPR')}{r.randint(0, 9)}"]
    elif country == 1:  # UK
        lines = [f"{r.choice(['Flat ' + str(r.randint(1, 20)) + ', ', ''])}{n} {r.choice(['Ashgrove Road', 'Holloway Close', 'Bramley Gardens', 'Pendle Mews', 'Kingsmead Lane'])}",
                 f"{r.choice(['Leeds LS6', 'Norwich NR2', 'Aberystwyth SY23', 'Hexham NE46'])} {r.randint(1, 9)}{r.choice('ABDHJ')}{r.choice('TUWXZ')}"]
    elif country == 2:  # Germany
        lines = [f"{r.choice(['Lindenstraße', 'Am Gießberg', 'Kirchweg', 'Hauptstr.', 'Schillerplatz', 'Moltkestraße'])} {n}{r.choice(['', 'a', 'b'])}",
                 f"{r.randint(10000, 99999)} {r.choice(['Bielefeld', 'Konstanz', 'Würzburg', 'Lüneburg', 'Gießen'])}"]
    elif country == 3:  # Denmark
        lines = [f"{r.choice(['Hersnapvej', 'Nørregade', 'Søndre Allé', 'Vestergade', 'Ryesgade', 'Bøgevej'])} {n}{r.choice(['', ', 2. tv', ', st. th'])}",
                 f"{r.randint(1000, 9990)} {r.choice(['Aarhus C', 'Odense M', 'Esbjerg', 'København Ø', 'Vejle'])}"]
    elif country == 4:  # Sweden / Norway
        lines = [f"{r.choice(['Storgatan', 'Kvarnvägen', 'Tordenskiolds gate', 'Bjørnstjerne Bjørnsons vei', 'Åsgränd'])} {n}{r.choice(['', ' B', ' lgh 1102'])}",
                 f"{r.randint(100, 999)} {r.randint(10, 99)} {r.choice(['Uppsala', 'Malmö', 'Umeå', 'Gävle'])}"
                 if r.random() < 0.6 else f"{r.randint(1000, 9999)} {r.choice(['Trondheim', 'Bergen', 'Tromsø'])}"]
    elif country == 5:  # Finland
        lines = [f"{r.choice(['Mannerheimintie', 'Hämeenkatu', 'Puistokatu', 'Koivukuja'])} {n} {r.choice('ABC')} {r.randint(1, 40)}",
                 f"{r.randint(10, 99)}{r.randint(100, 999)} {r.choice(['Tampere', 'Jyväskylä', 'Oulu', 'Kuopio'])}"]
    elif country == 6:  # Brazil
        lines = [f"{r.choice(['Rua das Laranjeiras', 'Av. Paulista', 'Rua Sete de Setembro', 'Travessa do Carmo', 'Rua Padre Anchieta'])}, {n * 11}"
                 f"{r.choice(['', ', apto ' + str(r.randint(11, 1204)), ', casa 2'])}",
                 f"{r.choice(['Campinas - SP', 'Juiz de Fora - MG', 'Florianópolis - SC', 'Recife - PE'])}, {r.randint(10000, 99999)}-{r.randint(100, 999)}"]
    elif country == 7:  # Mexico
        lines = [f"{r.choice(['Calle Hidalgo', 'Av. Revolución', 'Calle 5 de Mayo', 'Privada de los Olivos'])} {n}{r.choice(['', ' Int. 4', ' Depto. 3B'])}, "
                 f"Col. {r.choice(['Centro', 'Americana', 'Jardines del Sur', 'Lomas Altas'])}",
                 f"{r.randint(10000, 99999)} {r.choice(['Guadalajara, Jal.', 'Querétaro, Qro.', 'Mérida, Yuc.', 'Oaxaca de Juárez, Oax.'])}"]
    elif country == 8:  # Poland
        lines = [f"ul. {r.choice(['Długa', 'Wróblewskiego', 'Świętokrzyska', 'Łąkowa', 'Piłsudskiego'])} {n}/{r.randint(1, 60)}",
                 f"{r.randint(10, 99)}-{r.randint(100, 999)} {r.choice(['Kraków', 'Gdańsk', 'Łódź', 'Bydgoszcz', 'Leszno'])}"]
    elif country == 9:  # Hungary
        lines = [f"{r.choice(['Kossuth Lajos u.', 'Petőfi Sándor utca', 'Széchenyi tér', 'Bartók Béla út', 'Rákóczi út'])} {n}.",
                 f"{r.randint(1000, 9999)} {r.choice(['Debrecen', 'Szeged', 'Pécs', 'Győr'])}"]
    elif country == 10:  # France
        lines = [f"{n} {r.choice(['rue des Lilas', 'avenue Jean-Jaurès', 'boulevard de la Liberté', 'impasse du Moulin', 'chemin des Vignes'])}",
                 f"{r.randint(10, 95)}{r.randint(100, 999)} {r.choice(['Rennes', 'Lyon', 'Angers', 'Besançon'])}"]
    else:  # Vietnam
        lines = [f"{n} {r.choice(['Nguyễn Huệ', 'Lê Lợi', 'Trần Hưng Đạo', 'Hai Bà Trưng'])}, "
                 f"{r.choice(['Phường Bến Nghé', 'Phường 7', 'Quận 1', 'Quận Hải Châu'])}",
                 r.choice(["TP. Hồ Chí Minh", "Đà Nẵng", "Huế", "Cần Thơ"])]
    start = b.n
    b.p(lines[0], "LOCATION", f"intl_street_{country}")
    b.t(sep)
    b.p(lines[1], "LOCATION", f"intl_city_{country}")
    if not block:
        b.whole.append({"type": "international address", "start": start, "end": b.n})
    return b


def _city_prose(b: _B) -> _B:
    r = b.rng
    city = r.choice([c for c, _ in US_CITIES] + INTL_CITIES)
    verb = r.choice(["She moved to {} last spring", "He drives in from {} for dialysis",
                     "The family lives in {} now", "They relocated from {} after the flood",
                     "Her son flies in from {} on weekends", "He grew up near {} and still visits",
                     "She is staying with relatives in {} until her follow-up"])
    pre, post = verb.split("{}")
    b.t(pre)
    b.p(city, "LOCATION", "city_prose")
    b.t(post + ". ")
    return b


def _facility(b: _B) -> _B:
    return b.p(b.rng.choice(FACILITIES), "LOCATION", "facility")


# ---------------------------------------------------------------- filler (clinical, PHI-free)
PLAIN = [
    "Blood pressure has been better controlled since the amlodipine was increased to 10 mg daily.",
    "The hemoglobin A1c improved from 9.1% to 7.4% over six months.",
    "No falls have been reported since the last visit, and gait is steadier with the walker.",
    "Home oxygen remains at 2 L/min by nasal cannula at night.",
    "Wound edges are approximating well and there is no sign of infection.",
    "Please continue apixaban 5 mg twice daily and hold it 48 hours before the procedure.",
    "The echocardiogram showed an ejection fraction of 35-40% with mild mitral regurgitation.",
    "Physical therapy twice weekly is recommended for the next 6 weeks.",
    "Renal function is stable with a creatinine of 1.3 mg/dL.",
    "Pain is managed with acetaminophen 650 mg every 6 hours as needed.",
    "A low-sodium diet and daily weights were reviewed in detail.",
    "Follow-up labs should include a CBC, BMP and magnesium level.",
]


def _plain(b: _B, k: int = 1) -> _B:
    for s in b.rng.sample(PLAIN, k):
        b.t(s + " ")
    return b


# ---------------------------------------------------------------- styles
def _referral(b: _B) -> None:
    pt, doc, me = _Person(b.rng), _Person(b.rng), _Person(b.rng)
    b.t("Dear ")
    _titled(b, doc, "Dr.")
    b.t(",\n\nI am writing to refer ")
    _name(b, pt)
    b.t(", a ")
    _age(b, adjective=True) if b.rng.random() < 0.5 else b.t("68-year-old")
    b.t(" patient of our practice, for evaluation of progressive exertional dyspnea. ")
    _plain(b, 2)
    b.t(f"\n\n{b.rng.choice(['She', 'He'])} lives at ")
    _us_address(b)
    b.t(" and can be reached at ")
    _phone(b)
    b.t(". ")
    _name(b, pt, "last")
    b.t(" would prefer an appointment after ")
    _date(b)
    b.t(".\n\nSincerely,\n")
    _clin(b, me)
    b.t("\n")
    _facility(b)
    b.t("\n")


def _discharge(b: _B) -> None:
    pt, att = _Person(b.rng), _Person(b.rng)
    b.t("**Discharge Summary**\n\nPatient: ")
    _name(b, pt, b.rng.choice(["full", "comma"]))
    b.t("\n")
    _id(b)
    b.t("\nAdmitted: ")
    _date(b)
    b.t("\nDischarged: ")
    _date(b)
    b.t("\nAttending: ")
    _clin(b, att)
    b.t("\n\n")
    _name(b, pt, "first")
    b.t(" was admitted to ")
    _facility(b)
    b.t(" with community-acquired pneumonia. ")
    _plain(b, 2)
    b.t("She will be discharged to ")
    _facility(b)
    b.t(" in ")
    b.p(b.rng.choice([c for c, _ in US_CITIES]), "LOCATION", "city_prose")
    b.t(". ")
    _name(b, pt, "poss")
    b.t(" " + b.rng.choice(RELATIONS) + ", ")
    _name(b, _Person(b.rng))
    b.t(", will drive her home.\n")


def _summary(b: _B) -> None:
    pt = _Person(b.rng)
    b.t("Here is a brief summary of the patient.\n\n")
    _name(b, pt)
    b.t(" is a ")
    if b.rng.random() < 0.4:
        _age(b, adjective=True)
    else:
        b.t(f"{b.rng.randint(30, 88)}-year-old")
    b.t(" with heart failure and type 2 diabetes. ")
    _plain(b, 2)
    b.t(b.rng.choice(["Yesterday ", "At the last visit ", "On review, "]))
    _name(b, pt, "last")
    b.t(b.rng.choice([" agreed to start cardiac rehab. ", " declined the flu vaccine. ",
                      " said the swelling is worse in the evenings. "]))
    b.t("Her primary contact is ")
    _name(b, _Person(b.rng))
    b.t(" (" + b.rng.choice(RELATIONS) + "), ")
    _phone(b)
    b.t(". ")
    _city_prose(b)


def _reminder(b: _B) -> None:
    pt, doc = _Person(b.rng), _Person(b.rng)
    b.t("Hi ")
    _name(b, pt, "first")
    b.t(",\n\nThis is a reminder of your appointment with ")
    _titled(b, doc)
    b.t(" on ")
    _date(b)
    b.t(f" at {b.rng.randint(8, 16)}:{b.rng.choice(['00', '15', '30', '45'])} at ")
    _facility(b)
    b.t(", ")
    _us_address(b)
    b.t(". Please bring your insurance card and a list of your medications. "
        "If you need to reschedule, call ")
    _phone(b)
    b.t(".\n\nSee you soon!\n")


def _appeal(b: _B) -> None:
    pt, doc = _Person(b.rng), _Person(b.rng)
    b.t("To Whom It May Concern:\n\nI am writing on behalf of my patient, ")
    _name(b, pt)
    b.t(" (")
    _id(b)
    b.t(", date of birth ")
    _date(b)
    b.t("), to appeal the denial of coverage for Ozempic dated ")
    _date(b)
    b.t(". ")
    _name(b, pt, b.rng.choice(["poss", "last"]))
    b.t(" HbA1c remains above goal despite metformin and empagliflozin. ")
    _plain(b, 1)
    b.t("\n\nPlease send your decision to my office at ")
    _us_address(b)
    b.t(" or fax ")
    _phone(b)
    b.t(".\n\nRespectfully,\n\n")
    _titled(b, doc, "Dr.")
    b.t("\n")


def _handoff(b: _B) -> None:
    b.t("### Hand-off summary\n\n")
    for _ in range(b.rng.randint(2, 4)):
        pt = _Person(b.rng)
        b.t("- **")
        _name(b, pt, b.rng.choice(["full", "last", "full"]))
        b.t("** (bed " + str(b.rng.randint(1, 40)) + "): ")
        b.t(b.rng.choice(["stable overnight, ", "new AKI, ", "awaiting placement, ", "post-op day 2, "]))
        b.t(b.rng.choice(["family updated; ", "case management following; ", "", "PT to see today; "]))
        if b.rng.random() < 0.5:
            _name(b, _Person(b.rng), "first")
            b.t(" (" + b.rng.choice(RELATIONS) + ") will call back")
        else:
            b.t("discussed with ")
            _name(b, _Person(b.rng))
        b.t(".\n")
    b.t("\nOncoming team: ")
    a, c = _Person(b.rng), _Person(b.rng)
    _name(b, a, "last")
    b.t(", ")
    _name(b, c, "last")
    b.t(" and ")
    _name(b, _Person(b.rng), "last")
    b.t(".\n")


def _contact(b: _B) -> None:
    pt, c = _Person(b.rng), _Person(b.rng)
    b.t(b.rng.choice(["The patient's emergency contact is ", "According to the chart, the primary contact is ",
                      "You should reach out to "]))
    _name(b, c)
    b.t(", " + b.rng.choice(["who is listed as", "the"]) + " " + b.rng.choice(RELATIONS) + ". ")
    b.t("You can reach ")
    _name(b, c, b.rng.choice(["first", "last"]))
    b.t(" at ")
    _phone(b)
    b.t(" or by e-mail at ")
    _email(b, c)
    b.t(". The mailing address on file is:\n\n")
    _us_address(b, block=True) if b.rng.random() < 0.6 else _intl_address(b, block=True)
    b.t("\n\nNote that ")
    _name(b, pt, "first")
    b.t(" also listed ")
    _name(b, _Person(b.rng))
    b.t(" as a secondary contact.\n")


def _table(b: _B) -> None:
    b.t("| Name | Date of birth | Phone | City |\n|---|---|---|---|\n")
    for _ in range(b.rng.randint(2, 5)):
        p = _Person(b.rng)
        b.t("| ")
        _name(b, p, b.rng.choice(["full", "comma"]))
        b.t(" | ")
        _date(b)
        b.t(" | ")
        _phone(b)
        b.t(" | ")
        b.p(b.rng.choice([c for c, _ in US_CITIES] + INTL_CITIES), "LOCATION", "city_table")
        b.t(" |\n")


def _kv(b: _B) -> None:
    p = _Person(b.rng)
    b.t("Sure, here are the details in the format you asked for:\n\n")
    b.t("name: ")
    _name(b, p)
    b.t("\nDOB: ")
    _date(b)
    b.t("\naddress: ")
    _us_address(b) if b.rng.random() < 0.6 else _intl_address(b)
    b.t("\nphone: ")
    _phone(b)
    b.t("\nemail: ")
    _email(b, p)
    b.t("\nPCP: ")
    _titled(b, _Person(b.rng), "Dr.")
    b.t("\nprofile: ")
    _url(b, p)
    b.t("\n")


def _email_draft(b: _B) -> None:
    to, me, pt = _Person(b.rng), _Person(b.rng), _Person(b.rng)
    b.t("Subject: Follow-up for ")
    _name(b, pt)
    b.t("\n\nHi ")
    _name(b, to, "first")
    b.t(",\n\nThanks for seeing ")
    _name(b, pt, b.rng.choice(["first", "last", "full"]))
    b.t(" on ")
    _date(b)
    b.t(". ")
    _plain(b, 1)
    b.t("I also copied ")
    _name(b, _Person(b.rng))
    b.t(" from pharmacy and ")
    _name(b, _Person(b.rng), "last")
    b.t(" from social work.\n\nBest,\n")
    _name(b, me)
    b.t("\n" + b.rng.choice(["Care Coordinator", "Nurse Navigator", "Clinical Pharmacist"]) + " | ")
    _facility(b)
    b.t("\n")
    _phone(b)
    b.t(" | ")
    _email(b, me)
    b.t("\n")


def _multilingual(b: _B) -> None:
    lang = b.rng.choice(["es", "pt", "fr", "de", "pl", "vi"])
    pt, doc = _Person(b.rng), _Person(b.rng)
    if lang == "es":
        b.t("Estimado Dr. ")
        _name(b, doc, "last")
        b.t(":\n\nLe escribo en relación con la paciente ")
        _name(b, pt)
        b.t(", de ")
        _age(b) if b.rng.random() < 0.3 else b.t("74 años")
        b.t(", que vive en ")
        _intl_address(b)
        b.t(". La próxima cita es el ")
        _date_lang(b, "es")
        b.t(". Su hija ")
        _name(b, _Person(b.rng), "first")
        b.t(" la acompañará. Teléfono: ")
        _phone(b)
        b.t(".\n")
    elif lang == "pt":
        b.t("Prezada equipe,\n\nA paciente ")
        _name(b, pt)
        b.t(" recebeu alta em ")
        _date_lang(b, "pt")
        b.t(" e mora em ")
        _intl_address(b)
        b.t(". O filho, ")
        _name(b, _Person(b.rng))
        b.t(", pode ser contatado pelo telefone ")
        _phone(b, "br")
        b.t(".\n\nAtenciosamente,\n")
        _name(b, doc)
        b.t("\n")
    elif lang == "fr":
        b.t("Bonjour,\n\nVoici la traduction demandée : Mme ")
        _name(b, pt, "last")
        b.t(" a été vue en consultation le ")
        _date_lang(b, "fr")
        b.t(" par le Dr ")
        _name(b, doc)
        b.t(". Elle habite ")
        _intl_address(b)
        b.t(". Contact : ")
        _phone(b, "fr")
        b.t(".\n")
    elif lang == "de":
        b.t("Sehr geehrte Frau Kollegin,\n\nwir berichten über ")
        _name(b, pt)
        b.t(", geboren am ")
        _date_lang(b, "de")
        b.t(", wohnhaft ")
        _intl_address(b)
        b.t(". Die Aufnahme erfolgte über die Notaufnahme. Ansprechpartner ist der Ehemann ")
        _name(b, _Person(b.rng), "first")
        b.t(", Telefon ")
        _phone(b, "de")
        b.t(".\n\nMit freundlichen Grüßen\n")
        _name(b, doc)
        b.t("\n")
    elif lang == "pl":
        b.t("Szanowni Państwo,\n\npacjentka ")
        _name(b, pt)
        b.t(", zamieszkała ")
        _intl_address(b)
        b.t(", zgłosiła się dnia ")
        _date_lang(b, "pl")
        b.t(". Kontakt z córką, ")
        _name(b, _Person(b.rng))
        b.t(": ")
        _phone(b, "pl")
        b.t(".\n")
    else:
        b.t("Kính gửi bác sĩ ")
        _name(b, doc)
        b.t(",\n\nBệnh nhân ")
        _name(b, pt)
        b.t(" tái khám ")
        _date_lang(b, "vi")
        b.t(". Địa chỉ: ")
        _intl_address(b)
        b.t(". Số điện thoại: ")
        _phone(b)
        b.t(".\n")


def _list_prose(b: _B) -> None:
    names = [_Person(b.rng) for _ in range(b.rng.randint(2, 4))]
    b.t(b.rng.choice(["The care team members were ", "Attendees at the family meeting: ",
                      "The study coordinators are "]))
    for i, p in enumerate(names):
        if i:
            b.t(", " if i < len(names) - 1 else " and ")
        _name(b, p, b.rng.choice(["last", "full", "last"]))
    b.t(". ")
    p = names[0]
    b.t(b.rng.choice(["Afterwards ", "Later that day ", "At 3 pm "]))
    _name(b, p, "last")
    b.t(b.rng.choice([" met with ", " called ", " spoke to ", " thanked "]))
    _name(b, _Person(b.rng), b.rng.choice(["first", "full"]))
    b.t(" about the plan. ")
    b.t("Why is ")
    _name(b, _Person(b.rng), "first")
    b.t(" still waiting for the prior authorization? Maybe it is filed under ")
    _name(b, _Person(b.rng))
    b.t(". ")
    _city_prose(b)
    if b.rng.random() < 0.5:
        b.t("Her new address is ")
        _us_address(b) if b.rng.random() < 0.5 else _intl_address(b)
        b.t(".")


def _translation(b: _B) -> None:
    pt = _Person(b.rng)
    b.t("Translation (Spanish to English):\n\n> ")
    b.t("Mrs. ")
    _name(b, pt, "last")
    b.t(" says her husband ")
    _name(b, _Person(b.rng), "first")
    b.t(" takes the bus from ")
    b.p(b.rng.choice([c for c, _ in US_CITIES]), "LOCATION", "city_prose")
    b.t(" every Tuesday. She was born on ")
    _date(b)
    b.t(" and has lived at ")
    _us_street(b)
    b.t(" for twenty years.\n")


STYLES = {
    "referral": _referral, "discharge": _discharge, "summary": _summary, "reminder": _reminder,
    "appeal": _appeal, "handoff": _handoff, "contact": _contact, "table": _table, "kv": _kv,
    "email": _email_draft, "multilingual": _multilingual, "list_prose": _list_prose, "translation": _translation,
}


def corpus(n: int = 300, seed: int = 97) -> list[dict[str, Any]]:
    """``n`` model answers with gold spans; deterministic for a seed."""
    rng = random.Random(seed)
    out = []
    names = sorted(STYLES)
    for i in range(n):
        style = names[i % len(names)] if i < len(names) * 2 else rng.choice(names)
        r = rng.random()
        case = "upper" if r < 0.08 else "lower" if r < 0.16 else "proper"
        b = _B(rng, case)
        STYLES[style](b)
        out.append({"id": f"answers-{seed}-{i}", "text": b.text(), "spans": b.spans, "whole": b.whole,
                    "style": f"{style}/{case}"})
    return out


# ---------------------------------------------------------------- PHI-free answers with look-alikes
LOOKALIKE = [
    "Ménière's disease is managed with a low-salt diet and betahistine.",
    "Guillain-Barré syndrome can follow a Campylobacter infection.",
    "Sjögren's syndrome often presents with dry eyes and dry mouth.",
    "Hashimoto's thyroiditis is the most common cause of hypothyroidism in the United States.",
    "Patients with Parkinson's disease may benefit from Rytary or Nourianz.",
    "Eliquis and Xarelto are direct oral anticoagulants; Coumadin requires INR monitoring.",
    "The Dexcom G7 and the FreeStyle Libre 3 are continuous glucose monitors.",
    "An Omnipod 5 or a Medtronic MiniMed 780G can automate insulin delivery.",
    "Jardiance and Farxiga reduce heart failure hospitalisations.",
    "Keytruda is a PD-1 inhibitor approved for many tumour types.",
    "The American Heart Association and the American College of Cardiology updated their guideline.",
    "A Cochrane review in The Lancet found no benefit.",
    "According to the New England Journal of Medicine, the trial met its primary endpoint.",
    "JAMA Internal Medicine published a cohort study from Denmark and Sweden.",
    "Medicare Part D covers Ozempic for diabetes but not always for weight loss.",
    "Texas Medicaid and Florida Blue have different prior authorization rules.",
    "The Joint Commission requires two patient identifiers before any procedure.",
    "Crohn's disease and ulcerative colitis are both treated with Humira or Stelara.",
    "Behçet's disease is more common along the old Silk Road, from Turkey to Japan.",
    "Bell's palsy usually improves within three weeks.",
    "A positive Murphy's sign suggests acute cholecystitis.",
    "The Glasgow Coma Scale and the Apgar score are standard bedside tools.",
    "Raynaud's phenomenon can precede systemic sclerosis.",
    "Wernicke-Korsakoff syndrome is prevented with thiamine.",
    "A Foley catheter and a Swan-Ganz catheter were once routine.",
    "The Whipple procedure and the Roux-en-Y bypass are major operations.",
    "Löfgren syndrome is an acute form of sarcoidosis.",
    "Addison's disease and Cushing's syndrome are adrenal disorders.",
    "Brand names such as Tylenol, Advil, Aleve and Benadryl are widely available.",
    "Lasix, Zofran, Protonix and Ativan are common hospital medications.",
    "The World Health Organization and the CDC publish vaccine schedules.",
    "NICE guidelines in England differ from those in Canada and Australia.",
    "Grace period rules apply when a premium is paid late.",
    "We hope the new schedule will help; will you confirm by May?",
    "Mark the dose on the calendar and bill the visit to Medicare.",
    "Rose-colored rash, dawn phenomenon, and frank hematuria should be reported.",
    "Follow the Mediterranean diet: olive oil, fish, and plenty of vegetables.",
    "Use a Bluetooth scale from Withings or Omron to track daily weights.",
    "The Kaplan-Meier curves separated early in the trial.",
    "Alzheimer's Association resources are available in Spanish, French and Vietnamese.",
    "Tourette syndrome and Down syndrome are named after physicians.",
    "Key Points: Start Low, Go Slow, Review Often.",
    "Next Steps: Confirm Coverage, Order Labs, Schedule Follow-Up.",
    "Step 3 Review and Phase 2 Trial results are pending.",
    "Wall Street Journal coverage of the Pfizer and Moderna vaccines was extensive.",
    "Park the car in Lot B and take Elevator C to Level 2.",
    "Take 2 Tablets by mouth at bedtime with a full glass of water.",
    "Die Behandlung erfolgt mit Metformin; die Nierenfunktion ist stabil.",
    "La paciente con diabetes debe tomar Metformina y controlar la glucosa.",
    "O tratamento com Losartana foi mantido sem alterações.",
    "Le traitement par Doliprane est poursuivi en cas de douleur.",
    "Pacjent przyjmuje Polpril i Bisocard bez działań niepożądanych.",
    "Bệnh nhân tiếp tục dùng thuốc Amlodipin mỗi ngày.",
    "In Germany, Austria and Switzerland the Krankenkasse covers most of the cost.",
    "The Mayo Clinic Proceedings article was cited by Harvard Health Publishing.",
    "Virginia, Georgia, Carolina and Dakota are states, not people.",
    "Adams-Stokes attacks and Stokes-Adams syndrome are the same entity.",
    "Hodgkin lymphoma, Burkitt lymphoma and Kaposi sarcoma are eponymous cancers.",
    "Epic MyChart, Cerner and athenahealth all support patient messaging.",
    "Ask the pharmacist about Paxlovid interactions with Lipitor or Crestor.",
]
HEADINGS = ["## Summary", "### Key Points", "**Plan**", "**Next Steps**", "Recommendations:", "### Background",
            "**Medications**", "Answer:"]


def phi_free(n: int = 100, seed: int = 101) -> list[dict[str, Any]]:
    """``n`` PHI-free answers in the corpus's styles (no spans), dense with look-alikes."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        r = rng.random()
        case = "upper" if r < 0.08 else "lower" if r < 0.16 else "proper"
        b = _B(rng, case)
        shape = i % 5
        if shape == 0:
            b.t(rng.choice(HEADINGS) + "\n\n")
            for s in rng.sample(LOOKALIKE, 3):
                b.t("- " + s + "\n")
        elif shape == 1:
            b.t("| Drug | Brand | Class |\n|---|---|---|\n")
            for d, br, c in rng.sample([("apixaban", "Eliquis", "DOAC"), ("rivaroxaban", "Xarelto", "DOAC"),
                                        ("semaglutide", "Ozempic", "GLP-1 RA"), ("empagliflozin", "Jardiance",
                                        "SGLT2i"), ("adalimumab", "Humira", "TNF inhibitor"),
                                        ("furosemide", "Lasix", "loop diuretic"), ("ondansetron", "Zofran",
                                        "antiemetic"), ("atorvastatin", "Lipitor", "statin")], 4):
                b.t(f"| {d} | {br} | {c} |\n")
        elif shape == 2:
            b.t("Subject: Formulary update\n\nHi team,\n\n")
            for s in rng.sample(LOOKALIKE, 2):
                b.t(s + " ")
            _plain(b, 1)
            b.t("\n\nBest,\nThe Pharmacy and Therapeutics Committee\n")
        elif shape == 3:
            b.t("condition: " + rng.choice(["Ménière's disease", "Sjögren's syndrome", "Guillain-Barré syndrome",
                                             "Crohn's disease", "Parkinson's disease"]) + "\n")
            b.t("first-line: " + rng.choice(["Metformin", "Betahistine", "Levodopa", "IVIG", "Budesonide"]) + "\n")
            b.t("region: " + rng.choice(STATE_NAMES + ["Canada", "Brazil", "Germany", "Poland", "Vietnam"]) + "\n")
            b.t("source: " + rng.choice(["The Lancet", "BMJ", "JAMA", "NEJM", "Cochrane Library"]) + "\n")
        else:
            for s in rng.sample(LOOKALIKE, 3):
                b.t(s + " ")
            _plain(b, 1)
        out.append({"id": f"answers-free-{seed}-{i}", "text": b.text(), "spans": [], "style": f"phi_free/{case}"})
    return out
