"""Fourth blind corpus: ICU / step-down nursing and progress notes, plus a synthetic street-address set.

Seeded and deterministic. Written from how MIMIC-II-era nursing notes read (system-by-system headings, telegraphic
fragments, vitals and ventilator settings, sign-offs, family calls, transfers, pagers), without reading the
detectors' rules or data or the other corpora: every name and place comes from lists in this file. Each note is in
ALL CAPS, lower case or mixed case.

Gold types (Safe Harbor identifiers): NAME (patients, relatives, staff, initials), LOCATION (hospitals and their
initials, named wards, nursing homes, rehab facilities, towns, streets, ZIP codes), DATE (any element of a date but
a year alone), AGE (over 89), PHONE (phone, pager, beeper, extension), ID (medical record and account numbers).
Not gold: a state, a year alone, ages up to 89, times, generic unit names (MICU, CCU), eponyms, drugs, scores.

``corpus(n, seed)`` returns records ``{"id", "text", "spans": [{"start", "end", "type", "value", "kind"}],
"style"}``; ``phi_free(n)`` returns notes in the same style with no PHI (spans empty). ``addresses(n, seed)``
returns sentences holding US postal addresses and cities (every USPS street suffix, secondary unit designators,
PO boxes, rural routes, directionals; any case, abbreviated or spelled out) with gold per part and a ``whole``
list: ``ADDRESS`` (street number to ZIP) and ``CITY`` (the city name), each to be redacted whole.
"""

from __future__ import annotations

import random
from typing import Any, TypeVar

_T = TypeVar("_T")

# --- names (diverse origins; some are common English words) -------------------------------------------------
FIRST = [
    "Obiageli", "Chukwuma", "Ifeoma", "Babatunde", "Ngozi", "Kofi", "Ama", "Yaw", "Efua", "Tunde", "Nguyet", "Quang",
    "Phuong", "Duc", "Linh", "Tuan", "Hoa", "Sokha", "Vanna", "Bopha", "Siobhan", "Declan", "Padraig", "Niamh",
    "Eamon", "Aoife", "Colm", "Ciaran", "Brigid", "Fergal", "Tomasz", "Grzegorz", "Malgorzata", "Krzysztof",
    "Jadwiga", "Stanislaw", "Halina", "Zbigniew", "Joao", "Conceicao", "Fatima", "Manuel", "Ilda", "Armando",
    "Lurdes", "Gilberto", "Teodoro", "Nadia", "Tarek", "Rania", "Youssef", "Samira", "Khalil", "Hanan", "Walid",
    "Layla", "Omar", "Ramesh", "Sunita", "Vikram", "Anjali", "Prakash", "Kavitha", "Srinivas", "Meenakshi", "Rajiv",
    "Jean-Claude", "Marie-Ange", "Fritzner", "Nadege", "Wilner", "Roselaure", "Jocelyne", "Dieuseul", "Abdirahman",
    "Hodan", "Faadumo", "Mahad", "Ayaan", "Ilhan", "Eleni", "Dimitrios", "Spyros", "Vasiliki", "Anahit", "Garabed",
    "Armen", "Siranush", "Rizalina", "Bienvenido", "Marites", "Rodrigo", "Jae-hyun", "Min-jung", "Sung-ho", "Eun-ji",
    "Pa Nhia", "Tou", "Mai Yer", "Sione", "Losa", "Tavita", "Dolores", "Mildred", "Eugene", "Bernice", "Harold",
    "Thelma", "Clarence", "Irene", "Walter", "Gertrude", "Raymond", "Lorraine", "Chester", "Agnes", "Stanley",
    "Doris", "Russell", "Marjorie", "Kayleigh", "Brayden", "Destiny", "Jaxon", "Nevaeh", "Tyrell", "Shanice",
    "Deshawn", "Keisha",
]
# first names that are also ordinary English words
FIRST_WORDS = [
    "Hope", "Faith", "Joy", "Grace", "Rose", "Iris", "Pearl", "Ruby", "June", "May", "April", "Dawn", "Bill", "Frank",
    "Mark", "Will", "Drew", "Pat", "Sue", "Art", "Don", "Guy", "Rich", "Ray", "Chase", "Hunter", "Sky", "Summer",
    "Autumn", "Holly", "Ivy", "Violet", "Sandy", "Rocky", "Buck", "Rusty",
]
LAST = [
    "Okonkwo", "Adeyemi", "Eze", "Mensah", "Asante", "Boateng", "Nwachukwu", "Oyelaran", "Truong", "Pham", "Huynh",
    "Vo", "Dang", "Bui", "Lam", "Chhay", "Sok", "Keo", "Fitzgerald", "O'Sullivan", "McNamara", "Gallagher",
    "Donnelly", "O'Rourke", "Kavanagh", "Mulcahy", "Wisniewski", "Kowalczyk", "Zielinski", "Szymanski", "Lewandowski",
    "Dabrowski", "Krawczyk", "Medeiros", "Furtado", "Pacheco", "Carvalho", "Rebelo", "Sousa", "Amaral", "Botelho",
    "Haddad", "Khoury", "Nasser", "Saleh", "Barakat", "Mansour", "Aziz", "Hamdan", "Raghunathan", "Venkataraman",
    "Chatterjee", "Deshpande", "Iyer", "Bhattacharya", "Reddy", "Pierre-Louis", "Jean-Baptiste", "Toussaint",
    "Dorvil", "Celestin", "Desrosiers", "Augustin", "Warsame", "Abdi", "Farah", "Hersi", "Papadakis", "Karamanlis",
    "Hovsepian", "Petrosyan", "Kazarian", "Dimaculangan", "Macaraeg", "Bautista", "Villanueva", "Yoon", "Seo", "Baek",
    "Vang", "Xiong", "Thao", "Tuiasosopo", "Faleolo", "Begay", "Yazzie", "Tsosie", "Nakai", "Sanderson", "Whitfield",
    "Pendergast", "Cavanaugh", "Higgins", "Montgomery", "Abernathy", "Kowalski", "Schwartzman", "Lindqvist",
    "Van der Berg", "Smith-Jones", "DeLuca", "LaFleur", "MacDonald", "St. Germain",
]
# surnames that are also ordinary English words
LAST_WORDS = [
    "Brown", "White", "Green", "Black", "Hill", "Wood", "Long", "Bell", "Cook", "Baker", "Walker", "Fox", "Rice",
    "Stone", "Lane", "Price", "Banks", "Waters", "Rivers", "Winter", "Snow", "Day", "Knight", "King", "Love", "Moody",
    "Hardy", "Swift", "Strong", "Sharp", "Bond", "Cash", "Field", "Marsh", "Bishop", "Chambers", "Hall", "Moss",
    "Noble", "Parsons", "Pope", "Short", "Small", "Wise", "Young",
]
CREDS = ["RN", "R.N.", "RN, BSN", "LPN", "NP", "MD", "PA", "RT", "RRT", "SW", "LICSW", "CNA", "HO", "PCA"]
STAFF_ROLES = ["RESIDENT", "INTERN", "FELLOW", "ATTENDING", "NP", "HO", "CHARGE RN", "SW", "PT", "RT", "CM"]
RELATIONS = [
    "WIFE", "HUSBAND", "SON", "DAUGHTER", "DTR", "SISTER", "BROTHER", "MOTHER", "FATHER", "NIECE", "NEPHEW",
    "GRANDDAUGHTER", "GRANDSON", "FRIEND", "NEIGHBOR", "HCP", "PROXY", "GUARDIAN", "PARTNER", "FIANCE", "SIL", "DIL",
    "STEPSON", "COUSIN", "AUNT", "UNCLE",
]

# --- places --------------------------------------------------------------------------------------------------
HOSPITALS = [
    "Mount Auburn", "Saint Brendan's", "Harborview Medical Center", "North Shore Medical", "Cape Cod Hospital",
    "Good Samaritan", "Holy Family", "Merrimack Valley Hospital", "Carney", "Lawrence General", "St. Vincent's",
    "Milford Regional", "Anna Jaques", "Emerson", "Winchester Hospital", "Sturdy Memorial", "Tobey Hospital",
    "Falmouth Hospital", "Heywood", "Baystate", "Metrowest", "Hallmark Health", "Lowell General", "Morton Hospital",
    "Jordan Hospital", "Quincy Medical", "Faulkner",
]
HOSP_ABBR = ["MAH", "NSMC", "CCH", "SBH", "HFH", "GSMC", "LGH", "MVH", "SVH", "MRH", "WH", "QMC", "BMC", "NEBH"]
WARDS = [
    "Kessler 5", "Haverly 3", "Whitcomb 11", "Ashcroft 2", "Pemberton 9", "Tallis 4", "Baird 6", "Farrow 7",
    "Lindell 8", "Greer 10", "Oakes 3", "Carrow 12", "Stillman 6", "Rowe 4",
]
FACILITIES = [  # nursing homes, rehab, assisted living
    "Brookhaven Rehab",
    "Cedar Glen Nursing Home",
    "Harbor House",
    "Briarwood Manor",
    "Fairlawn Rehab",
    "Oak Terrace",
    "Meadowbrook Care Center",
    "Willow Crest",
    "St. Agatha's Home",
    "Pine Knoll",
    "Sunny Acres",
    "Rosewood Gardens",
    "Lakeview Rehab",
    "Ledgewood",
    "Maple Hill Manor",
    "Elmhurst NH",
    "Wingate",
    "Marina Bay Rehab",
    "Kindred",
    "Whittier Rehab",
    "Spaulding",
]
TOWNS = [
    "Reading", "Orange", "Warren", "Spencer", "Lincoln", "Oxford", "Hull", "Gill", "Dennis", "Sharon", "Carver",
    "Palmer", "Canton", "Milton", "Needham", "Quincy", "Revere", "Chelsea", "Lynn", "Malden", "Medford", "Everett",
    "Peabody", "Beverly", "Marblehead", "Norwood", "Dedham", "Braintree", "Weymouth", "Rockland", "Hanover",
    "Plymouth", "Bourne", "Orleans", "Truro", "Athol", "Ware", "Ludlow", "Agawam", "Holyoke", "Ayer", "Acton",
    "Bedford", "Sudbury", "Natick", "Framingham", "Hopkinton", "Mendon", "Grafton", "Sutton", "Charlton",
    "Sturbridge", "Leicester", "Rutland", "Barre", "Hardwick", "Wendell", "Brockton", "Taunton", "Fall River",
    "New Bedford", "Attleboro", "Haverhill", "Methuen", "Dracut", "Tewksbury", "Billerica", "Chelmsford", "Woburn",
    "Stoneham", "Saugus", "Swampscott", "Nahant",
]
STREET_NAMES = [
    "Maple", "Elm", "Chestnut", "Walnut", "Pleasant", "Prospect", "Highland", "Summer", "Winter", "Spring", "Water",
    "Mill", "Church", "School", "Union", "Franklin", "Washington", "Lincoln", "Adams", "Hancock", "Bay State",
    "Old Colony", "Lowell", "Central", "Cottage", "Forest", "Park", "Grove", "Pond", "Brook", "Salem", "Boston Post",
    "Quarry", "Granite", "Depot", "Railroad", "Canal", "Liberty", "Hope", "Market", "Kosciuszko", "Nguyen Hue",
    "Dorchester", "Tremont", "Blue Hill", "Morton", "Gallivan", "Neponset", "Martin Luther King Jr", "Cesar Chavez",
    "First", "Second", "Third", "Fifth", "Ninth", "12th", "41st",
]
STATES = ["MA", "NH", "RI", "ME", "CT", "VT", "NY", "Mass.", "Massachusetts", "N.H.", "Rhode Island"]

# --- USPS street suffixes (Publication 28, C1): name and standard abbreviation ----------------------------
USPS_SUFFIXES = [
    ("Alley", "Aly"), ("Anex", "Anx"), ("Arcade", "Arc"), ("Avenue", "Ave"), ("Bayou", "Byu"), ("Beach", "Bch"),
    ("Bend", "Bnd"), ("Bluff", "Blf"), ("Bluffs", "Blfs"), ("Bottom", "Btm"), ("Boulevard", "Blvd"), ("Branch", "Br"),
    ("Bridge", "Brg"), ("Brook", "Brk"), ("Brooks", "Brks"), ("Burg", "Bg"), ("Burgs", "Bgs"), ("Bypass", "Byp"),
    ("Camp", "Cp"), ("Canyon", "Cyn"), ("Cape", "Cpe"), ("Causeway", "Cswy"), ("Center", "Ctr"), ("Centers", "Ctrs"),
    ("Circle", "Cir"), ("Circles", "Cirs"), ("Cliff", "Clf"), ("Cliffs", "Clfs"), ("Club", "Clb"), ("Common", "Cmn"),
    ("Commons", "Cmns"), ("Corner", "Cor"), ("Corners", "Cors"), ("Course", "Crse"), ("Court", "Ct"),
    ("Courts", "Cts"), ("Cove", "Cv"), ("Coves", "Cvs"), ("Creek", "Crk"), ("Crescent", "Cres"), ("Crest", "Crst"),
    ("Crossing", "Xing"), ("Crossroad", "Xrd"), ("Crossroads", "Xrds"), ("Curve", "Curv"), ("Dale", "Dl"),
    ("Dam", "Dm"), ("Divide", "Dv"), ("Drive", "Dr"), ("Drives", "Drs"), ("Estate", "Est"), ("Estates", "Ests"),
    ("Expressway", "Expy"), ("Extension", "Ext"), ("Extensions", "Exts"), ("Fall", "Fall"), ("Falls", "Fls"),
    ("Ferry", "Fry"), ("Field", "Fld"), ("Fields", "Flds"), ("Flat", "Flt"), ("Flats", "Flts"), ("Ford", "Frd"),
    ("Fords", "Frds"), ("Forest", "Frst"), ("Forge", "Frg"), ("Forges", "Frgs"), ("Fork", "Frk"), ("Forks", "Frks"),
    ("Fort", "Ft"), ("Freeway", "Fwy"), ("Garden", "Gdn"), ("Gardens", "Gdns"), ("Gateway", "Gtwy"), ("Glen", "Gln"),
    ("Glens", "Glns"), ("Green", "Grn"), ("Greens", "Grns"), ("Grove", "Grv"), ("Groves", "Grvs"), ("Harbor", "Hbr"),
    ("Harbors", "Hbrs"), ("Haven", "Hvn"), ("Heights", "Hts"), ("Highway", "Hwy"), ("Hill", "Hl"), ("Hills", "Hls"),
    ("Hollow", "Holw"), ("Inlet", "Inlt"), ("Island", "Is"), ("Islands", "Iss"), ("Isle", "Isle"),
    ("Junction", "Jct"), ("Junctions", "Jcts"), ("Key", "Ky"), ("Keys", "Kys"), ("Knoll", "Knl"), ("Knolls", "Knls"),
    ("Lake", "Lk"), ("Lakes", "Lks"), ("Land", "Land"), ("Landing", "Lndg"), ("Lane", "Ln"), ("Light", "Lgt"),
    ("Lights", "Lgts"), ("Loaf", "Lf"), ("Lock", "Lck"), ("Locks", "Lcks"), ("Lodge", "Ldg"), ("Loop", "Loop"),
    ("Mall", "Mall"), ("Manor", "Mnr"), ("Manors", "Mnrs"), ("Meadow", "Mdw"), ("Meadows", "Mdws"), ("Mews", "Mews"),
    ("Mill", "Ml"), ("Mills", "Mls"), ("Mission", "Msn"), ("Motorway", "Mtwy"), ("Mount", "Mt"), ("Mountain", "Mtn"),
    ("Mountains", "Mtns"), ("Neck", "Nck"), ("Orchard", "Orch"), ("Oval", "Oval"), ("Overpass", "Opas"),
    ("Park", "Park"), ("Parkway", "Pkwy"), ("Parkways", "Pkwy"), ("Pass", "Pass"), ("Passage", "Psge"),
    ("Path", "Path"), ("Pike", "Pike"), ("Pine", "Pne"), ("Pines", "Pnes"), ("Place", "Pl"), ("Plain", "Pln"),
    ("Plains", "Plns"), ("Plaza", "Plz"), ("Point", "Pt"), ("Points", "Pts"), ("Port", "Prt"), ("Ports", "Prts"),
    ("Prairie", "Pr"), ("Radial", "Radl"), ("Ramp", "Ramp"), ("Ranch", "Rnch"), ("Rapid", "Rpd"), ("Rapids", "Rpds"),
    ("Rest", "Rst"), ("Ridge", "Rdg"), ("Ridges", "Rdgs"), ("River", "Riv"), ("Road", "Rd"), ("Roads", "Rds"),
    ("Route", "Rte"), ("Row", "Row"), ("Rue", "Rue"), ("Run", "Run"), ("Shoal", "Shl"), ("Shoals", "Shls"),
    ("Shore", "Shr"), ("Shores", "Shrs"), ("Skyway", "Skwy"), ("Spring", "Spg"), ("Springs", "Spgs"),
    ("Spur", "Spur"), ("Square", "Sq"), ("Squares", "Sqs"), ("Station", "Sta"), ("Stravenue", "Stra"),
    ("Stream", "Strm"), ("Street", "St"), ("Streets", "Sts"), ("Summit", "Smt"), ("Terrace", "Ter"),
    ("Throughway", "Trwy"), ("Trace", "Trce"), ("Track", "Trak"), ("Trafficway", "Trfy"), ("Trail", "Trl"),
    ("Trailer", "Trlr"), ("Tunnel", "Tunl"), ("Turnpike", "Tpke"), ("Underpass", "Upas"), ("Union", "Un"),
    ("Unions", "Uns"), ("Valley", "Vly"), ("Valleys", "Vlys"), ("Viaduct", "Via"), ("View", "Vw"), ("Views", "Vws"),
    ("Village", "Vlg"), ("Villages", "Vlgs"), ("Ville", "Vl"), ("Vista", "Vis"), ("Walk", "Walk"), ("Wall", "Wall"),
    ("Way", "Way"), ("Ways", "Ways"), ("Well", "Wl"), ("Wells", "Wls"),
]
# secondary unit designators (Publication 28, C2): name, abbreviation, takes a number
SECONDARY = [
    ("Apartment", "Apt", True), ("Basement", "Bsmt", False), ("Building", "Bldg", True), ("Department", "Dept", True),
    ("Floor", "Fl", True), ("Front", "Frnt", False), ("Hangar", "Hngr", True), ("Key", "Key", True),
    ("Lobby", "Lbby", False), ("Lot", "Lot", True), ("Lower", "Lowr", False), ("Office", "Ofc", False),
    ("Penthouse", "Ph", False), ("Pier", "Pier", True), ("Rear", "Rear", False), ("Room", "Rm", True),
    ("Side", "Side", False), ("Slip", "Slip", True), ("Space", "Spc", True), ("Stop", "Stop", True),
    ("Suite", "Ste", True), ("Trailer", "Trlr", True), ("Unit", "Unit", True), ("Upper", "Uppr", False),
]
DIRECTIONALS = [
    ("North", "N"), ("South", "S"), ("East", "E"), ("West", "W"), ("Northeast", "NE"), ("Northwest", "NW"),
    ("Southeast", "SE"), ("Southwest", "SW"),
]
CITIES = [  # (city, state): US cities and towns, many of them ordinary words
    ("Tacoma", "WA"),
    ("Spokane", "WA"),
    ("Boise", "ID"),
    ("Provo", "UT"),
    ("Bountiful", "UT"),
    ("Eden", "NC"),
    ("Paradise", "NV"),
    ("Independence", "MO"),
    ("Liberty", "MO"),
    ("Enterprise", "AL"),
    ("Commerce", "TX"),
    ("Normal", "IL"),
    ("Peoria", "AZ"),
    ("Mesa", "AZ"),
    ("Chandler", "AZ"),
    ("Tempe", "AZ"),
    ("Yuma", "AZ"),
    ("Flagstaff", "AZ"),
    ("Gallup", "NM"),
    ("Las Cruces", "NM"),
    ("El Paso", "TX"),
    ("Laredo", "TX"),
    ("Lubbock", "TX"),
    ("Waco", "TX"),
    ("Tyler", "TX"),
    ("Sugar Land", "TX"),
    ("Shreveport", "LA"),
    ("Lafayette", "LA"),
    ("Biloxi", "MS"),
    ("Tupelo", "MS"),
    ("Dothan", "AL"),
    ("Macon", "GA"),
    ("Valdosta", "GA"),
    ("Ocala", "FL"),
    ("Naples", "FL"),
    ("Sebring", "FL"),
    ("Kissimmee", "FL"),
    ("Greenville", "SC"),
    ("Florence", "SC"),
    ("Asheville", "NC"),
    ("Wilson", "NC"),
    ("Roanoke", "VA"),
    ("Lynchburg", "VA"),
    ("Wheeling", "WV"),
    ("Beckley", "WV"),
    ("Dayton", "OH"),
    ("Akron", "OH"),
    ("Canton", "OH"),
    ("Mansfield", "OH"),
    ("Muncie", "IN"),
    ("Gary", "IN"),
    ("Kokomo", "IN"),
    ("Flint", "MI"),
    ("Saginaw", "MI"),
    ("Kalamazoo", "MI"),
    ("Holland", "MI"),
    ("Oshkosh", "WI"),
    ("Green Bay", "WI"),
    ("Eau Claire", "WI"),
    ("Duluth", "MN"),
    ("Rochester", "MN"),
    ("Mankato", "MN"),
    ("Fargo", "ND"),
    ("Minot", "ND"),
    ("Sioux Falls", "SD"),
    ("Rapid City", "SD"),
    ("Casper", "WY"),
    ("Cheyenne", "WY"),
    ("Billings", "MT"),
    ("Missoula", "MT"),
    ("Pueblo", "CO"),
    ("Greeley", "CO"),
    ("Topeka", "KS"),
    ("Salina", "KS"),
    ("Joplin", "MO"),
    ("Springfield", "MO"),
    ("Ames", "IA"),
    ("Dubuque", "IA"),
    ("Waterloo", "IA"),
    ("Lincoln", "NE"),
    ("Kearney", "NE"),
    ("Stillwater", "OK"),
    ("Enid", "OK"),
    ("Fayetteville", "AR"),
    ("Jonesboro", "AR"),
    ("Paducah", "KY"),
    ("Bowling Green", "KY"),
    ("Knoxville", "TN"),
    ("Jackson", "TN"),
    ("Scranton", "PA"),
    ("Altoona", "PA"),
    ("Erie", "PA"),
    ("Reading", "PA"),
    ("Utica", "NY"),
    ("Elmira", "NY"),
    ("Ithaca", "NY"),
    ("Troy", "NY"),
    ("Bangor", "ME"),
    ("Lewiston", "ME"),
    ("Nashua", "NH"),
    ("Keene", "NH"),
    ("Burlington", "VT"),
    ("Rutland", "VT"),
    ("Waterbury", "CT"),
    ("Norwich", "CT"),
    ("Pawtucket", "RI"),
    ("Woonsocket", "RI"),
    ("Modesto", "CA"),
    ("Fresno", "CA"),
    ("Visalia", "CA"),
    ("Chico", "CA"),
    ("Redding", "CA"),
    ("Eureka", "CA"),
    ("Salem", "OR"),
    ("Medford", "OR"),
    ("Bend", "OR"),
    ("Anchorage", "AK"),
    ("Juneau", "AK"),
    ("Hilo", "HI"),
    ("Kahului", "HI"),
]


def P(typ: str, value: str, kind: str = "") -> str:  # noqa: N802 - a gold marker, read as a tag
    return f"\x01{typ}:{kind or typ.lower()}\x02{value}\x03"


def W(typ: str, inner: str) -> str:  # noqa: N802 - a found-whole marker around gold parts
    return f"\x04{typ}\x05{inner}\x06"


def _case(s: str, style: str, rng: random.Random) -> str:
    if style == "upper":
        out = s.upper()
    elif style == "lower":
        out = s.lower()
    else:
        out = s
    return out if len(out) == len(s) else s


def _assemble(raw: str, style: str, rng: random.Random) -> tuple[str, list[Any], list[Any]]:
    """Strip markers from ``raw``; return the text (case applied) and its gold and whole spans."""
    out: list[str] = []
    n = 0
    spans: list[dict[str, Any]] = []
    wholes: list[dict[str, Any]] = []
    stack: list[tuple[str, int]] = []
    wstack: list[tuple[str, int]] = []
    i = 0
    while i < len(raw):
        ch = raw[i]
        if ch == "\x01":
            j = raw.index("\x02", i)
            stack.append((raw[i + 1 : j], n))
            i = j + 1
        elif ch == "\x03":
            tag, start = stack.pop()
            typ, kind = tag.split(":", 1)
            spans.append({"start": start, "end": n, "type": typ, "kind": kind})
            i += 1
        elif ch == "\x04":
            j = raw.index("\x05", i)
            wstack.append((raw[i + 1 : j], n))
            i = j + 1
        elif ch == "\x06":
            typ, start = wstack.pop()
            wholes.append({"start": start, "end": n, "type": typ})
            i += 1
        else:
            j = i
            while j < len(raw) and raw[j] not in "\x01\x03\x04\x06":
                j += 1
            seg = _case(raw[i:j], style, rng)
            out.append(seg)
            n += len(seg)
            i = j
    text = "".join(out)
    for s in spans:
        s["value"] = text[s["start"] : s["end"]]
    for w in wholes:
        w["value"] = text[w["start"] : w["end"]]
    return text, spans, wholes


class _Gen:
    """Slot fillers for one note; every PHI value is wrapped in a gold marker."""

    def __init__(self, rng: random.Random) -> None:
        self.r = rng
        self.pt_last = self.last()
        self.family = [self.first() for _ in range(3)]

    def c(self, xs: list[_T]) -> _T:
        return self.r.choice(xs)

    def p(self, x: float) -> bool:
        return self.r.random() < x

    # names
    def first(self) -> str:
        return self.c(FIRST_WORDS) if self.p(0.2) else self.c(FIRST)

    def last(self) -> str:
        return self.c(LAST_WORDS) if self.p(0.2) else self.c(LAST)

    def fn(self, kind: str = "first") -> str:
        return P("NAME", self.first(), kind)

    def ln(self, kind: str = "last") -> str:
        return P("NAME", self.last(), kind)

    def full(self) -> str:
        return self.fn() + " " + self.ln()

    def initial(self) -> str:
        return P("NAME", self.c(list("ABCDEFGHJKLMNPRSTW")), "initial")

    def doctor(self) -> str:
        k = self.r.randint(0, 9)
        ln = self.ln()
        if k == 0:
            return "DR " + ln
        if k == 1:
            return "Dr." + ln
        if k == 2:
            return "dr " + ln
        if k == 3:
            return "DR. " + self.initial() + ". " + ln
        if k == 4:
            return "DR " + ln + " AND " + self.ln()
        if k == 5:
            return "DR " + ln + "/" + self.ln()
        if k == 6:
            return self.fn() + " " + ln + " " + self.c(["MD", "NP", "PA", "HO"])
        if k == 7:
            return "DRS. " + ln + ", " + self.ln()
        if k == 8:
            return "Dr " + self.fn() + " " + ln
        return "DR. " + ln

    def staff_ref(self) -> str:
        k = self.r.randint(0, 4)
        if k == 0:
            return f"{self.fn()} ({self.c(STAFF_ROLES)})"
        if k == 1:
            return f"{self.full()} ({self.c(STAFF_ROLES)})"
        if k == 2:
            return f"{self.c(STAFF_ROLES)} {self.fn()}"
        if k == 3:
            return f"{self.ln()}, {self.c(['NP', 'PA', 'RT', 'SW', 'HO'])}"
        return self.doctor()

    def relative(self) -> str:
        rel = self.c(RELATIONS)
        k = self.r.randint(0, 5)
        if k == 0:
            return f"{rel} {P('NAME', self.c(self.family), 'relative')}"
        if k == 1:
            return f"{rel} ({P('NAME', self.c(self.family), 'relative')})"
        if k == 2:
            return f"{rel}, {P('NAME', self.c(self.family), 'relative')},"
        if k == 3:
            return f"{rel} {P('NAME', self.c(self.family), 'relative')} {P('NAME', self.pt_last, 'relative')}"
        if k == 4:
            return f"{P('NAME', self.c(self.family), 'relative')} ({rel})"
        return f"{rel} {P('NAME', self.c(self.family), 'relative')} AND {self.fn()}"

    def signoff(self) -> str:
        k = self.r.randint(0, 6)
        cred = self.c(CREDS)
        if k == 0:
            return f"{self.full()}, {cred}"
        if k == 1:
            return f"{self.full()} {cred}"
        if k == 2:
            return f"{self.fn()} {self.initial()}. {cred}"
        if k == 3:
            return f"- {self.fn()}"
        if k == 4:
            return f"{self.initial()}. {self.ln()}, {cred}"
        if k == 5:
            return f"{self.ln()} {cred}"
        return f"{self.full()}"

    # places
    def hosp(self) -> str:
        return (
            P("LOCATION", self.c(HOSP_ABBR), "hosp_abbr")
            if self.p(0.45)
            else P("LOCATION", self.c(HOSPITALS), "hospital")
        )

    def ward(self) -> str:
        return P("LOCATION", self.c(WARDS), "ward")

    def facility(self) -> str:
        return P("LOCATION", self.c(FACILITIES), "facility")

    def town(self) -> str:
        return P("LOCATION", self.c(TOWNS), "town")

    def street_addr(self) -> str:
        suf = self.c(USPS_SUFFIXES)
        st = f"{self.r.randint(2, 990)} {self.c(STREET_NAMES)} {self.c([suf[0], suf[1], suf[1] + '.'])}"
        z = f"0{self.r.randint(1001, 2791)}"
        return W(
            "ADDRESS", f"{P('LOCATION', st, 'street')}, {self.town()}, {self.c(STATES[:6])} {P('LOCATION', z, 'zip')}"
        )

    # dates, ages, numbers
    def date(self) -> str:
        m, d = self.r.randint(1, 12), self.r.randint(1, 28)
        y = self.r.randint(0, 12)
        mon = [
            "JANUARY",
            "FEBRUARY",
            "MARCH",
            "APRIL",
            "MAY",
            "JUNE",
            "JULY",
            "AUGUST",
            "SEPTEMBER",
            "OCTOBER",
            "NOVEMBER",
            "DECEMBER",
        ][m - 1]
        shapes = [
            f"{m}/{d}",
            f"{m}/{d}",
            f"{m}/{d}",
            f"{m:02d}/{d:02d}",
            f"{m}-{d}",
            f"{d}/{m}" if d > 12 else f"{m}/{d}",
            f"{m}/{d}/{y:02d}",
            f"{m}/{d}/20{y:02d}",
            f"{mon} {d}",
            f"{mon[:3]} {d}",
            f"{d} {mon[:3]}",
            f"{mon.title()} {d}th",
            f"{m}.{d}.{y:02d}",
        ]
        return P("DATE", self.c(shapes))

    def age(self) -> str:
        a = self.r.randint(90, 104)
        words = {90: "NINETY", 91: "NINETY-ONE", 92: "NINETY TWO", 93: "NINETY-THREE", 95: "NINETY-FIVE"}
        k = self.r.randint(0, 5)
        if k == 0 and a in words:
            return P("AGE", words[a]) + " YEAR OLD"
        if k == 1:
            return P("AGE", str(a)) + " YO"
        if k == 2:
            return P("AGE", str(a)) + "YO"
        if k == 3:
            return P("AGE", str(a)) + " Y/O"
        if k == 4:
            return "AGE " + P("AGE", str(a))
        return P("AGE", str(a)) + self.c(["M", "F", " YOF", " YOM"])

    def young_age(self) -> str:
        return f"{self.r.randint(21, 89)}{self.c([' YO', 'YO', ' Y/O', ' YOF', ' YOM', 'M', 'F'])}"

    def pager(self) -> str:
        k = self.r.randint(0, 5)
        if k == 0:
            return "PAGER #" + P("PHONE", f"{self.r.randint(10000, 99999)}", "pager")
        if k == 1:
            return "PGR " + P("PHONE", f"{self.r.randint(1, 9)}-{self.r.randint(1000, 9999)}")
        if k == 2:
            return "BEEPER " + P("PHONE", f"{self.r.randint(1000, 9999)}")
        if k == 3:
            return "X" + P("PHONE", f"{self.r.randint(1, 9)}-{self.r.randint(1000, 9999)}")
        if k == 4:
            return "@ " + P(
                "PHONE", f"{self.r.randint(200, 989)}-{self.r.randint(200, 989)}-{self.r.randint(1000, 9999)}"
            )
        return "# " + P(
            "PHONE", f"({self.r.randint(200, 989)}) {self.r.randint(200, 989)} {self.r.randint(1000, 9999)}"
        )

    def mrn(self) -> str:
        return self.c(["MR# ", "MRN ", "UNIT # ", "ACCT # "]) + P("ID", str(self.r.randint(10**6, 10**8)))

    def time(self) -> str:
        return self.c(
            [
                f"{self.r.randint(0, 23):02d}{self.c(['00', '15', '30', '45'])}",
                f"{self.r.randint(1, 12)}{self.c(['AM', 'PM', 'A', 'P', ' AM', ' PM'])}",
                f"{self.r.randint(1, 12)}:{self.c(['00', '30', '15'])}",
            ]
        )

    def room(self) -> str:
        return f"{self.c(['RM', 'ROOM', 'BED', 'RM#'])} {self.r.randint(1, 30)}{self.c(['', 'A', 'B', ''])}"


# --- PHI-free clinical lines (vitals, vent, drugs, eponyms, scores, ranges) ---------------------------------
def _clin(g: _Gen) -> str:
    r = g.r
    lines = [
        f"HR {r.randint(60, 90)}-{r.randint(91, 130)} {g.c(['SR', 'ST', 'AFIB', 'NSR', 'SR WITH OCC PVCS'])}, "
        f"BP {r.randint(90, 120)}-{r.randint(121, 170)}/{r.randint(40, 60)}-{r.randint(61, 90)}",
        f"SBP {r.randint(85, 110)}-{r.randint(111, 160)}, MAPS > {r.randint(55, 70)}, CVP {r.randint(4, 10)}-{r.randint(11, 18)}",  # noqa: E501
        f"T MAX {r.randint(99, 102)}.{r.randint(0, 9)} PO, TC {r.randint(97, 99)}.{r.randint(0, 9)}",
        f"VENT: {g.c(['AC', 'CMV', 'SIMV', 'PSV'])} {r.randint(4, 6)}00 X {r.randint(10, 24)} / {r.randint(5, 12)} PEEP / {r.randint(30, 80)}%",  # noqa: E501
        f"CPAP+PS {r.randint(5, 15)}/{r.randint(5, 10)}, FIO2 {r.randint(30, 60)}%, RSBI {r.randint(40, 110)}",
        f"ABG {7}.{r.randint(25, 48)}/{r.randint(30, 60)}/{r.randint(60, 140)}/{r.randint(18, 30)}",
        f"LS COARSE BILAT, DIM AT BASES, SX FOR {g.c(['SM', 'MOD', 'LG'])} AMTS THICK TAN SPUTUM",
        f"K {r.randint(3, 4)}.{r.randint(0, 9)}, REPLETED W/ {r.randint(2, 6)}0 MEQ KCL IV; MG {r.randint(1, 2)}.{r.randint(0, 9)}, CA {r.randint(7, 9)}.{r.randint(0, 9)}",  # noqa: E501
        f"HCT {r.randint(22, 35)}.{r.randint(0, 9)}, PLT {r.randint(40, 400)}, INR {r.randint(1, 3)}.{r.randint(0, 9)}, LACTATE {r.randint(1, 6)}.{r.randint(0, 9)}",  # noqa: E501
        f"PROPOFOL @ {r.randint(10, 60)} MCG/KG/MIN, FENTANYL {r.randint(25, 200)} MCG/HR, RASS {r.choice(['-1', '-2', '0', '-3'])}",  # noqa: E501
        f"LEVOPHED WEANED TO {r.randint(1, 10) / 100:.2f} MCG/KG/MIN, VASOPRESSIN {r.choice(['0.04', '0.03'])} U/MIN",
        f"HEPARIN GTT @ {r.randint(600, 1600)} U/HR, PTT {r.randint(40, 110)}, NEXT PTT @ {g.time()}",
        f"INSULIN GTT {r.randint(1, 12)} U/HR PER PROTOCOL, FS {r.randint(90, 250)}",
        f"FOLEY DRAINING CLEAR YELLOW URINE {r.randint(20, 150)}-{r.randint(151, 300)} CC/HR, +{r.randint(1, 4)}.{r.randint(0, 9)}L LOS",  # noqa: E501
        f"GCS {r.randint(3, 15)}, PERRL {r.randint(2, 4)}MM BRISK, MAE, FOLLOWS COMMANDS, BABINSKI NEG",
        "NEURO: A+OX3, MAE, NO FOCAL DEFICITS, PAIN CONTROLLED W/ DILAUDID PCA",
        "NEURO: SEDATED ON PROPOFOL, WITHDRAWS TO PAIN, COUGH/GAG INTACT",
        "CV: S1S2, NO MURMUR, PP +2 DP/PT BILAT, MEDIAL ANKLE EDEMA, NEG HOMANS",
        "RESP: LS CLEAR UPPER, CRACKLES RLL, O2 SATS 94-97% ON 4L NC",
        "GI: ABD SOFT, +BS, OGT TO LCWS, TF (PROMOTE W/ FIBER) @ GOAL 60CC/HR, RESIDUALS <30CC",
        "GI: FLEXISEAL DRAINING LIQ BROWN STOOL, GUAIAC NEG, LACTULOSE 30ML TID",
        "GU: FOLEY PATENT, UO 30-60CC/HR, LASIX 40MG IV X1 WITH GOOD RESPONSE",
        "ID: TMAX 101.4, BC X2 SENT, ON VANCO/ZOSYN, FLAGYL D/C'D",
        "SKIN: STAGE II DECUB ON COCCYX, DUODERM APPLIED, TURNED Q2H, BRADEN 12",
        "ACCESS: R IJ TLC, L RADIAL A-LINE, 2 PIVS; SWAN-GANZ PA 42/20, CO 4.2, CI 2.3, SVR 1100",
        "ENDO: RISS, FS Q6H, TSH PENDING",
        "HEME: TRANSFUSED 2 UNITS PRBC, HCT UP 24->29, NO S/S REACTION",
        "CHEST TUBE TO -20 SX, PLEUREVAC WITHOUT AIR LEAK, JP DRAINING SEROSANG",
        "MIAMI J COLLAR ON, LOG ROLL, TRENDELENBURG FOR LINE PLACEMENT",
        "CHEYNE-STOKES RESP PATTERN NOTED, KUSSMAUL RESP RESOLVED",
        "GLASGOW COMA SCALE 10T, CPOT 2, MORSE FALL SCORE 45",
        "DOBHOFF PLACED, KUB CONFIRMS PLACEMENT, TF TO START",
        "PLAN: WEAN VENT AS TOL, CONT ABX, F/U CX, REPLETE LYTES PRN, WILL CONTINUE TO MONITOR",
        "A/P: 72M W/ CHF, COPD ON HOME O2, ADMITTED W/ HYPOXIC RESP FAILURE; HOPE TO EXTUBATE IN AM",
        "PT WILL NEED PEG; GRACE PERIOD FOR ORAL TRIAL PER SPEECH",
        "MARK ON R THIGH FROM PREVIOUS CATH SITE, NO HEMATOMA, + DOPPLER PULSES",
        "BAIR HUGGER APPLIED FOR T 95.8, RECHECK IN 1 HR",
        "ALLEN TEST POSITIVE, RADIAL A-LINE PLACED BY RESIDENT",
        "LOPRESSOR 5MG IV X3 FOR HR 130S AFIB, DILTIAZEM GTT STARTED @ 5MG/HR",
        "AMIODARONE BOLUS 150MG THEN 1MG/MIN X6H",
        "HALDOL 2MG IV FOR AGITATION, ATIVAN 1MG PRN, CIWA SCALE 12",
        "TYLENOL 650MG PR FOR T 101, COLACE/SENNA HELD FOR LOOSE STOOLS",
        "PARKLAND FORMULA FOR BURNS, LR @ 400CC/HR",
        "12/10/40% ON PSV, TV 450-500, RR 18-22",
        "CXR: ETT 3CM ABOVE CARINA, R PICC TIP IN SVC, L LOWER LOBE COLLAPSE",
        "SOCIAL: NO FAMILY IN TODAY, FULL CODE",
        "BATH GIVEN, LINEN CHANGED, ORAL CARE Q4H WITH CHLORHEXIDINE",
        "READING 120S ON CBG, COVERED PER RISS",
        "RRT CALLED FOR DESAT TO 84%, NRB APPLIED, SATS UP TO 96%",
        "CODE STATUS: DNR/DNI CONFIRMED WITH TEAM",
        "EF 25-30%, 2+ MR, MILD TR ON ECHO",
        "ORANGE-TINGED URINE AFTER PYRIDIUM",
    ]
    return g.c(lines)


def _phi_lines(g: _Gen) -> list[str]:
    """Candidate PHI-bearing lines for one note."""
    r = g.r
    return [
        f"PT TRANSFERRED FROM {g.hosp()} ON {g.date()} FOR {g.c(['CARDIAC CATH', 'HYPOXIA', 'GI BLEED', 'URO SEPSIS'])}",  # noqa: E501
        f"{g.age()} WITH H/O CHF, CRI, ADMITTED {g.date()} FROM {g.facility()}",
        f"{g.young_age()} ADMITTED VIA EW FROM {g.town()} WITH SOB",
        f"SOCIAL: {g.relative()} IN TO VISIT, UPDATED BY {g.staff_ref()}",
        f"SOCIAL: PT LIVES WITH {g.relative()} IN {g.town()}; {g.relative()} VISITING DAILY",
        f"HCP IS {g.c(['SON', 'DAUGHTER', 'WIFE', 'NIECE'])} {g.full()} {g.pager().replace('PAGER #', 'CELL ')}",
        f"CALLED {g.doctor()} @ {g.time()} RE: HR 140S, {g.doctor()} AWARE",
        f"DR {g.ln()} AWARE OF BP, NO NEW ORDERS",
        f"PER {g.staff_ref()} OK TO HOLD TF AFTER MN FOR OR IN AM",
        f"T/C TO {g.relative()} @ {g.time()}, UPDATED ON PLAN",
        f"T/C FROM {g.fn()} AT {g.hosp()} RE: BED AVAILABILITY",
        f"PLAN TO D/C TO {g.facility()} {g.c(['TOMORROW', 'WHEN BED AVAILABLE', 'ON ' + g.date()])}",
        f"ACCEPTED TO {g.facility()} IN {g.town()}, CM {g.fn()} FOLLOWING",
        f"TRANSFERRED TO {g.ward()} {g.room()} @ {g.time()}, REPORT GIVEN TO {g.fn()} {g.c(['RN', '', 'CHARGE RN'])}",
        f"PT IS FOR TRANSFER TO {g.ward()} WHEN BED AVAILABLE",
        f"ECHO DONE {g.date()}, CATH {g.date()} AT {g.hosp()}",
        f"LAST BM {g.date()}; HOME MEDS PER {g.relative()}",
        f"{g.doctor()} PAGED {g.pager()}",
        f"PLEASE PAGE {g.fn()} {g.pager()} WITH QUESTIONS",
        f"CONTACT: {g.relative()} HOME {P('PHONE', f'{r.randint(200, 989)}-{r.randint(200, 989)}-{r.randint(1000, 9999)}')}",  # noqa: E501
        f"PT IS A RETIRED {g.c(['MACHINIST', 'TEACHER', 'FISHERMAN', 'NURSE'])} FROM {g.town()}, MARRIED TO {g.fn()}",
        f"PCP {g.doctor()} IN {g.town()} {g.c(['NOTIFIED', 'FAXED', 'AWARE'])}",
        f"SW {g.fn()} MET WITH FAMILY; {g.relative()} TO BRING PAPERS",
        f"{g.mrn()} - FAMILY MEETING {g.date()} @ {g.time()} WITH {g.doctor()}",
        f"PT STATES {g.c(['SHE', 'HE'])} LIVES AT {g.street_addr()}",
        f"{g.fn()} FROM {g.ward()} TOOK REPORT",
        f"MICU NURSING PROGRESS NOTE {g.date()} {g.c(['7A-7P', '7P-7A', '11P-7A', '0700-1900'])}",
        f"SEEN BY {g.c(['ID', 'RENAL', 'GI', 'NEURO', 'PALLIATIVE CARE'])} ({g.doctor()}) {g.date()}",
        f"{g.c(['PT', 'PATIENT'])} {g.full()} {g.age()}",
        f"CODE STATUS DISCUSSED W/ {g.relative()} AND {g.doctor()}: DNR/DNI",
        f"PT ASKING FOR {g.relative()} ALL SHIFT",
        f"HOSPITAL COURSE: ADMITTED {g.date()} TO {g.hosp()}, TRANSFERRED {g.date()} TO {g.c(['MICU', 'CCU', 'SICU'])}",
    ]


_OPENERS = [
    "NPN", "NURSING PROGRESS NOTE", "MICU NSG NOTE", "CCU NURSING NOTE", "CSRU NPN 7P-7A", "NSG ADMIT NOTE",
    "RESP CARE NOTE", "SICU NPN", "ADDENDUM", "S/P", "FOCUS: RESP",
]


def _note(g: _Gen, phi: bool) -> str:
    parts = [g.c(_OPENERS) + ":"]
    n_clin = g.r.randint(3, 7)
    lines = [_clin(g) for _ in range(n_clin)]
    if phi:
        cands = _phi_lines(g)
        lines += g.r.sample(cands, g.r.randint(2, 5))
        g.r.shuffle(lines)
        lines.append(g.signoff())
    else:
        lines.append(g.c(["RN", "NSG", "- RN", "", "CONT TO MONITOR"]))
    sep = g.c(["\n", ". ", "\n", "; ", "  "])
    return " ".join(parts) + sep + sep.join(lines)


def _style(rng: random.Random) -> str:
    return rng.choice(["upper", "upper", "lower", "mixed"])


def _record(rid: str, raw: str, style: str, rng: random.Random) -> dict[str, Any]:
    if style == "mixed":
        raw = _mixcase(raw, rng)
    text, spans, wholes = _assemble(raw, style, rng)
    rec: dict[str, Any] = {"id": rid, "text": text, "spans": spans, "style": style}
    if wholes:
        rec["whole"] = wholes
    return rec


def _mixcase(raw: str, rng: random.Random) -> str:
    """Lower-case most of an ALL-CAPS template, keeping abbreviations caps and gold values as written."""
    keep_caps = {
        "NEURO",
        "RESP",
        "CV",
        "GI",
        "GU",
        "ID",
        "SKIN",
        "PLAN",
        "SOCIAL",
        "HR",
        "BP",
        "SBP",
        "CVP",
        "MAPS",
        "ABG",
        "RR",
        "TV",
        "PEEP",
        "FIO2",
        "PS",
        "CPAP",
        "AC",
        "SIMV",
        "PSV",
        "CMV",
        "ETT",
        "PICC",
        "SVC",
        "CXR",
        "ICU",
        "MICU",
        "CCU",
        "SICU",
        "CSRU",
        "RN",
        "NP",
        "MD",
        "PA",
        "HO",
        "SW",
        "PT",
        "CM",
        "RT",
        "HCP",
        "DNR",
        "DNI",
        "EW",
        "OR",
        "PCP",
        "TF",
        "BM",
        "KCL",
        "MEQ",
        "INR",
        "PLT",
        "HCT",
        "PTT",
        "FS",
        "RISS",
        "GCS",
        "RASS",
        "PERRL",
        "MAE",
        "CHF",
        "COPD",
        "LS",
        "RLL",
        "NC",
        "OGT",
        "LCWS",
        "IV",
        "PO",
        "PR",
        "PRN",
        "PCA",
        "TLC",
        "IJ",
        "PIVS",
        "CO",
        "CI",
        "SVR",
        "PRBC",
        "JP",
        "KUB",
        "NRB",
        "RRT",
        "EF",
        "MR",
        "TR",
        "BC",
        "NSR",
        "SR",
        "ST",
        "AFIB",
        "PVCS",
        "MRN",
        "DR",
        "T/C",
        "D/C",
        "H/O",
        "A/P",
        "S/P",
        "NPN",
        "CPOT",
        "CIWA",
        "TSH",
        "ENDO",
        "HEME",
        "ACCESS",
        "ECHO",
        "CATH",
        "PEG",
        "LR",
        "YO",
        "Y/O",
        "YOF",
        "YOM",
        "AM",
        "PM",
        "MN",
    }
    out: list[str] = []
    inside = 0
    for tok in _split_keep(raw):
        if tok in ("\x01", "\x04"):
            inside += 1
            out.append(tok)
            continue
        if tok in ("\x03", "\x06"):
            inside -= 1
            out.append(tok)
            continue
        if inside and "\x02" not in tok and "\x05" not in tok:
            out.append(tok)  # gold values keep their written case
            continue
        word = tok.strip(".,:;() \n")
        if word.upper() in keep_caps or not word.isalpha() or "\x02" in tok or "\x05" in tok:
            out.append(tok)
        else:
            out.append(tok.lower() if rng.random() < 0.8 else tok.capitalize())
    return "".join(out)


def _split_keep(raw: str) -> list[str]:
    out: list[str] = []
    cur = ""
    for ch in raw:
        if ch in "\x01\x03\x04\x06":
            if cur:
                out.append(cur)
            out.append(ch)
            cur = ""
        elif ch == " ":
            cur += ch
            out.append(cur)
            cur = ""
        else:
            cur += ch
    if cur:
        out.append(cur)
    return out


def corpus(n: int = 300, seed: int = 53) -> list[dict[str, Any]]:
    """``n`` nursing/progress notes with gold PHI spans."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        g = _Gen(rng)
        out.append(_record(f"b4-{seed}-{i}", _note(g, True), _style(rng), rng))
    return out


def phi_free(n: int = 100, seed: int = 54) -> list[dict[str, Any]]:
    """``n`` notes in the same style with no PHI."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        g = _Gen(rng)
        rec = _record(f"b4-free-{seed}-{i}", _note(g, False), _style(rng), rng)
        assert not rec["spans"]
        out.append(rec)
    return out


# --- addresses -------------------------------------------------------------------------------------------------
class _Addr:
    def __init__(self, rng: random.Random) -> None:
        self.r = rng
        self.n_street = self.n_unit = 0  # every suffix and unit designator in turn

    def c(self, xs: list[_T]) -> _T:
        return self.r.choice(xs)

    def suffix(self) -> str:
        name, abbr = USPS_SUFFIXES[self.n_street % len(USPS_SUFFIXES)]
        self.n_street += 1
        return self.c([name, abbr, abbr + ".", abbr.upper()])

    def street(self) -> str:
        num = self.c(
            [
                str(self.r.randint(1, 99)),
                str(self.r.randint(100, 9999)),
                f"{self.r.randint(1, 999)}{self.c(['A', ' 1/2', '-B'])}",
            ]
        )
        name = self.c(STREET_NAMES)
        pre = post = ""
        if self.r.random() < 0.3:
            word, abbr = self.c(DIRECTIONALS)
            pre = self.c([word, abbr, abbr + "."]) + " "
        if self.r.random() < 0.15:
            post = " " + self.c([d[1] for d in DIRECTIONALS])
        line = f"{num} {pre}{name} {self.suffix()}{post}"
        if self.r.random() < 0.5:
            name2, abbr2, numbered = SECONDARY[self.n_unit % len(SECONDARY)]
            self.n_unit += 1
            des = self.c([name2, abbr2, abbr2 + "."]) if abbr2 != name2 else name2
            unit = f" {self.c(['', '#'])}{self.r.randint(1, 40)}{self.c(['', 'B', 'C'])}" if numbered else ""
            if self.r.random() < 0.15:
                des, unit = "#", str(self.r.randint(1, 999))
            line += self.c([", ", " "]) + des + unit
        return line

    def special(self) -> str:
        k = self.r.randint(0, 3)
        if k == 0:
            return (
                self.c(["P.O. Box", "PO Box", "PO BOX", "P O Box", "Post Office Box"]) + f" {self.r.randint(1, 9999)}"
            )
        if k == 1:
            return f"{self.c(['RR', 'Rural Route', 'R.R.'])} {self.r.randint(1, 9)}{self.c([', ', ' '])}Box {self.r.randint(1, 400)}"  # noqa: E501
        if k == 2:
            return f"HC {self.r.randint(1, 80)} Box {self.r.randint(1, 900)}"
        return f"{self.r.randint(10, 9999)} {self.c(['County Road', 'State Route', 'Highway', 'US Highway', 'FM', 'CR'])} {self.r.randint(1, 999)}"  # noqa: E501

    def zip_(self) -> str:
        z = f"{self.r.randint(1001, 99950):05d}"
        return z + (f"-{self.r.randint(1, 9999):04d}" if self.r.random() < 0.2 else "")

    def sentence(self) -> str:
        city, st = self.c(CITIES)
        state = st
        line = self.special() if self.r.random() < 0.15 else self.street()
        k = self.r.randint(0, 7)
        zp = P("LOCATION", self.zip_(), "zip")
        full = W(
            "ADDRESS",
            f"{P('LOCATION', line, 'street')}{self.c([', ', ' '])}{W('CITY', P('LOCATION', city, 'city'))}"
            f"{self.c([', ', ' '])}{state} {zp}",
        )
        if k == 0:
            return f"Patient lives at {full}."
        if k == 1:
            return f"Mailing address: {full}"
        if k == 2:
            return f"discharged home to {full} with VNA services."
        if k == 3:
            return f"Her daughter's address is {W('ADDRESS', P('LOCATION', line, 'street'))} in {W('CITY', P('LOCATION', city, 'city'))}."  # noqa: E501
        if k == 4:
            return f"Send the bill to {full}; insurance verified."
        if k == 5:
            return f"He moved from {W('CITY', P('LOCATION', city, 'city'))}, {st} to {W('ADDRESS', P('LOCATION', line, 'street'))} last spring."  # noqa: E501
        if k == 6:
            return f"Pt was found at {W('ADDRESS', P('LOCATION', line, 'street'))} by EMS."
        return f"Address on file {full}, phone on chart."


def addresses(n: int = 400, seed: int = 61) -> list[dict[str, Any]]:
    """``n`` sentences holding US postal addresses and cities; gold parts and ``whole`` spans."""
    rng = random.Random(seed)
    a = _Addr(rng)
    out = []
    for i in range(n):
        style = rng.choice(["mixed", "mixed", "lower", "upper"])
        raw = a.sentence()
        text, spans, wholes = _assemble(raw, style, rng)
        out.append({"id": f"b4-addr-{seed}-{i}", "text": text, "spans": spans, "style": style, "whole": wholes})
    return out
