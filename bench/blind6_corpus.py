"""Sixth blind corpus: ICU nursing notes by ten nurses with their own habits (issue 16).

Written before reading any detector, data list or other corpus. Every name and place below is from this file's
own lists (diverse origins, invented places). ``corpus(n, seed)`` returns records
``{"id", "text", "spans": [{"start", "end", "type", "value", "kind"}], "style"}``; ``phi_free(n, seed)`` returns
PHI-free notes in the same styles (spans empty) that are dense with things that look like PHI.

Gold types: NAME (patients, family, staff; titles excluded, initials included), LOCATION (hospitals, their
initials and nicknames, named wards, nursing homes, rehabs, towns, neighbourhoods, streets), DATE (every element
of a date but a year alone), AGE (over 89), PHONE (phones, pagers, beepers, extensions), ID. Not gold: states,
years alone, times, weekdays, ages up to 89, generic units, eponyms, drugs, scores.

Placeholders in templates are ``<KEY>``; each is filled by a generator that returns the surface text and its gold
type and kind (or no type for filler). Case habits (all caps, all lower) are applied to the whole note after it
is built; every list here is ASCII so spans keep their offsets.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from typing import Any

FIRST = [
    "Kathleen", "Joanne", "Oluwaseun", "Priya", "Mei-Ling", "Tomasz", "Aigerim", "Fatima", "Dmitri", "Nkechi",
    "Siobhan", "Rafael", "Xiomara", "Tuan", "Haruto", "Ingrid", "Bogdan", "Ayesha", "Kwame", "Leilani",
    "Marisol", "Yusuf", "Anneliese", "Declan", "Thandiwe", "Camille", "Rajesh", "Svetlana", "Esperanza",
    "Lachlan", "Noor", "Teodora", "Chidi", "Ximena", "Padraig", "Mehmet", "Saoirse", "Kenji", "Beatriz",
    "Olumide", "Agnieszka", "Hamid", "Rosalind", "Emeka", "Linnea", "Farrukh", "Dolores", "Wendell", "Imani",
    "Bronwyn", "Thuy", "Anselm", "Gretchen", "Mireille", "Cormac", "Zainab", "Vesna", "Lorcan", "Pilar",
    "Delphine", "Osvaldo", "Marguerite", "Tenzin", "Keisha", "Alastair", "Yolanda", "Hyun-woo", "Ottilie",
    "Florencio", "Ruairi", "Magdalena", "Desmond", "Henrietta", "Augustin", "Consuelo", "Jarrah", "Ebony",
]
# first names that are also English words
WORD_FIRST = [
    "Faith", "Hunter", "Summer", "Bill", "Miles", "Frank", "Joy", "Hope", "Grace", "Will", "Dawn", "Rose",
    "Ivy", "Crystal", "Amber", "Chase", "Forrest", "Gene", "Art", "Guy", "Sunny", "Penny", "Sandy", "Cliff",
    "Wade", "Mason", "Destiny", "Autumn", "Heather", "Holly", "Misty", "Rusty", "Skip", "Bud", "Pearl", "Ruby",
    "Melody", "Patience", "Honor", "Sterling", "Drew", "Mark", "Pat", "Don", "Ray", "Jack",
]
NICK = [
    "Bobby", "Peggy", "Liz", "Kathy", "Mikey", "Sully", "Teddy", "Patty", "Jimmy", "Bev", "Deb", "Chuck",
    "Tonio", "Gigi", "Trish", "Stevie", "Cece", "Ziggy", "Tess", "Nando", "Lupe", "Pasha", "Sasha", "Kiki",
    "Dodie", "Fitz", "Moe", "Bunny", "Lulu", "Benny", "Connie", "Frankie", "Nettie", "Tito", "Sonny", "Vinnie",
]
LAST = [
    "Okonkwo-Bell", "van der Berg", "De La Cruz", "St. Pierre", "McAllister", "MacInnes", "O'Rourke",
    "Nguyen-Tran", "Abernathy", "Kowalczyk", "Haddad", "Fitzgerald", "Oyelaran", "Lindqvist", "Papadakis",
    "Szymanski", "Ferreira", "Achterberg", "Baptiste", "Delacroix", "Yamamoto", "Ramaswamy", "Mbeki",
    "Grzelak", "Thibodeaux", "Vukovic", "Castellano", "Whitlock", "Ndiaye", "Holloway", "Esposito", "Dubois",
    "Arkwright", "Quigley", "Van Buren", "da Silva", "Le Blanc", "Abu-Hassan", "al-Rashid", "Ten Eyck",
    "Dos Santos", "McGillicuddy", "MacPherson", "O'Shaughnessy", "Ibrahim", "Kuznetsova", "Takahashi-Moore",
    "Villanueva", "Cho", "Ng", "Bui", "Lam", "Ho", "Sorensen", "Mwangi", "Fairweather", "Rasmussen",
    "Oduya", "Pellegrino", "Krishnamurthy", "Halvorsen", "Ortiz-Mendez", "St. Clair", "D'Amato", "La Rosa",
    "Van Wyk", "Del Toro", "McNulty", "MacLeod", "O'Dowd", "Kaczmarek", "Adeyemi", "Gallagher", "Zielinski",
]
# surnames that are also English words
WORD_LAST = [
    "Young", "Rich", "Price", "Bell", "Wood", "Lane", "Reed", "Hardy", "Stone", "Marsh", "Cook", "King",
    "Brown", "Black", "Little", "Long", "Love", "Baker", "Fields", "Banks", "Christian", "Sharp", "Swift",
    "Moody", "Bright", "Hale", "Frost", "Snow", "Hill", "Glass", "Noble", "Savage", "Wise", "Strong", "Person",
    "Hope", "Chambers", "Waters", "Gross", "Bland", "Friend", "Pope", "Bishop", "Story", "Fox", "Crane",
]
HOSPITALS = [
    ("St. Brigid's Hospital", "SBH", "the Brig"),
    ("Mercy Hollow Medical Center", "MHMC", "Mercy Hollow"),
    ("Ashford General", "AGH", "Ashford"),
    ("Lakeshore Memorial", "LSM", "Lakeshore"),
    ("Cranmoor Regional Medical Center", "CRMC", "Cranmoor"),
    ("Halden Valley Hospital", "HVH", "Halden"),
    ("Our Lady of the Pines", "OLP", "the Pines"),
    ("Wexcombe Community Hospital", "WCH", "Wexcombe"),
    ("Brightwater Medical Center", "BWMC", "Brightwater"),
    ("Kingsreach General Hospital", "KGH", "Kingsreach"),
    ("Saint Casimir's", "SCH", "St. Casimir's"),
    ("Tollbridge University Hospital", "TUH", "Tollbridge"),
]
WARDS = [
    "Farrow 7", "Kessler 4 East", "Whitcombe 3", "Adebayo 5", "Marchetti 6 West", "Hanrahan 2", "Tolliver 9",
    "Lindgren 8 North", "Okafor 11", "Bramley 4", "Quinlan 6", "Esterhazy 3 South", "Pruitt 10",
]
NURSING_HOMES = [
    "Maple Crest Nursing Home", "Pinegate Manor", "Harbor View Rehab", "St. Anselm's Home",
    "Willowbank Care Center", "the Oaks at Tamsworth", "Brookhaven Senior Living", "Glenrose Healthcare",
    "Sunnyfield Manor", "Laurel Ridge Rehab", "Ferncliff Nursing and Rehab", "Marigold House",
]
NH_BARE = [
    "Birchwood", "Cedarfield", "Glenrose", "Pinegate", "Willowbank", "Maple Crest", "Sunnyfield", "Ferncliff",
    "Laurel Ridge", "Marigold", "Heatherdown", "Oakhurst", "Stonebridge", "Fox Hollow",
]
TOWNS = [
    "Fairhaven", "Tamsworth", "Ridley Falls", "North Quarry", "Liberty", "Harmony", "Orange", "Bath",
    "Reading", "Dover Plains", "Eastbrook", "Millbury", "Canton", "Hope Valley", "Summit", "Marshfield",
    "Oxbow", "Friendship", "Union", "Derby", "Pembroke Mills", "Gansett", "Wickford Neck", "Lower Ashby",
    "Paradise", "Beverly", "Chester", "Greenwood", "Newbury", "Salem", "Kettle Hill", "Southgate",
]
STREETS = ["Ashgrove", "Tanner", "Quarry", "Winthrop", "Belmont", "Larchmere", "Cobb", "Pilgrim", "Osgood"]
STREET_TYPES = ["St", "Rd", "Ave", "Lane", "Street", "Road", "Dr", "Ct", "Way"]
MONTHS = [
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
]
MON3 = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sept", "oct", "nov", "dec"]
WEEKDAYS = ["mon", "tues", "wed", "thurs", "fri", "sat", "sun", "monday", "tuesday", "friday", "sunday"]
NUMWORDS = {
    90: "ninety", 91: "ninety-one", 92: "ninety-two", 93: "ninety-three", 94: "ninety-four", 95: "ninety-five",
    96: "ninety-six", 97: "ninety-seven", 98: "ninety-eight", 99: "ninety-nine", 100: "one hundred",
    101: "one hundred and one", 102: "one hundred two",
}

Piece = tuple[str, str | None, str]  # surface text, gold type (None: not PHI), kind


def _ord(d: int) -> str:
    suf = "th" if 10 <= d % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")
    return f"{d}{suf}"


def _date(rng: random.Random) -> str:
    m, d = rng.randint(1, 12), rng.randint(1, 28)
    shapes: list[Callable[[], str]] = [
        lambda: f"{m}/{d}",
        lambda: f"{m:02d}/{d:02d}",
        lambda: f"{m}-{d}",
        lambda: f"{m}.{d}",
        lambda: f"{m}/{d}/{rng.choice(['25', '26', '2025', '2026'])}",
        lambda: f"{MONTHS[m - 1]} {_ord(d)}",
        lambda: f"{MON3[m - 1]} {d}",
        lambda: f"{MON3[m - 1]}. {d}",
        lambda: f"{d} {MONTHS[m - 1]}",
        lambda: f"{_ord(d)} of {MONTHS[m - 1]}",
        lambda: f"{MONTHS[m - 1].capitalize()} {d}",
        lambda: f"{m}/{d}/{rng.choice(['25', '26'])}",
    ]
    return rng.choice(shapes)()


def _age(rng: random.Random) -> tuple[str, str]:
    a = rng.randint(90, 102)
    shapes = [
        (f"{a} yo", "yo"), (f"{a}yo", "yo"), (f"{a} y/o", "yo"), (f"{a} year old", "year old"),
        (f"{a}-year-old", "year old"), (f"{NUMWORDS[a]} year old", "words"), (f"{a}F", "sex"),
        (f"{a} M", "sex"), (f"{a} yrs old", "yrs"), (f"{a}y.o.", "yo"), (f"{a}yF", "sex"),
        (f"{NUMWORDS[a]}-year-old", "words"),
    ]
    return rng.choice(shapes)


def _phone(rng: random.Random) -> tuple[str, str]:
    d = lambda k: "".join(str(rng.randint(0, 9)) for _ in range(k))  # noqa: E731
    area = rng.choice(["617", "508", "978", "413", "781", "207", "603"])
    shapes = [
        (f"{area}-555-{d(4)}", "phone"), (f"({area}) 555-{d(4)}", "phone"), (f"{area}.555.{d(4)}", "phone"),
        (f"555-{d(4)}", "phone7"), (f"555 {d(4)}", "phone7"), (f"{area} 555 {d(4)}", "phone"),
        (f"{area}555{d(4)}", "phone"), (f"{d(1)}-{d(4)}", "pager"), (f"{d(5)}", "pager"), (f"{d(2)}-{d(3)}", "pager"),
    ]
    return rng.choice(shapes)


def _mk_gens(rng: random.Random) -> dict[str, Callable[[], Piece]]:
    def last() -> str:
        return rng.choice(LAST + WORD_LAST)

    def street() -> str:
        return f"{rng.randint(2, 480)} {rng.choice(STREETS)} {rng.choice(STREET_TYPES)}"

    def hosp(i: int) -> Callable[[], Piece]:
        return lambda: (rng.choice(HOSPITALS)[i], "LOCATION", ["hospital", "hosp-initials", "hosp-nick"][i])

    return {
        "F": lambda: (rng.choice(FIRST), "NAME", "first"),
        "W": lambda: (rng.choice(WORD_FIRST), "NAME", "word-first"),
        "N": lambda: (rng.choice(NICK), "NAME", "nickname"),
        "FF": lambda: (rng.choice(FIRST + WORD_FIRST + NICK), "NAME", "first-any"),
        "L": lambda: (rng.choice(LAST), "NAME", "last"),
        "WL": lambda: (rng.choice(WORD_LAST), "NAME", "word-last"),
        "LL": lambda: (last(), "NAME", "last-any"),
        "FL": lambda: (f"{rng.choice(FIRST + WORD_FIRST)} {last()}", "NAME", "full"),
        "I": lambda: (rng.choice(["".join(rng.sample("ABCDEGHJKLMNPRSTW", 2)), "{}.{}.".format(*rng.sample(
            "ABCDEGHJKLMNPRSTW", 2)), "".join(rng.sample("ABCDEGHJKLMNPRSTW", 3))]), "NAME", "initials"),
        "FI": lambda: (f"{rng.choice(FIRST + WORD_FIRST + NICK)} {rng.choice('ABCDEGHJKLMNPRSTW')}.", "NAME",
                       "first-initial"),
        "H": hosp(0),
        "HI": hosp(1),
        "HN": hosp(2),
        "HX": lambda: (rng.choice(rng.choice(HOSPITALS)), "LOCATION", "hospital-any"),
        "WD": lambda: (rng.choice(WARDS), "LOCATION", "ward"),
        "NH": lambda: (rng.choice(NURSING_HOMES), "LOCATION", "nursing-home"),
        "NB": lambda: (rng.choice(NH_BARE), "LOCATION", "nursing-home-bare"),
        "T": lambda: (rng.choice(TOWNS), "LOCATION", "town"),
        "ST": lambda: (street(), "LOCATION", "street"),
        "D": lambda: (_date(rng), "DATE", "date"),
        "DS": lambda: (f"{rng.randint(1, 12)}/{rng.randint(1, 28)}", "DATE", "slash"),
        "DTH": lambda: (_ord(rng.randint(1, 28)), "DATE", "ordinal"),
        "DM": lambda: (f"{rng.choice(MONTHS)} {_ord(rng.randint(1, 28))}", "DATE", "month-day"),
        "A": lambda: (*_age(rng)[:1], "AGE", "age"),
        "AN": lambda: (str(rng.randint(90, 103)), "AGE", "age-bare"),
        "P": lambda: (*_phone(rng)[:1], "PHONE", "phone"),
        "PG": lambda: (rng.choice([f"{rng.randint(1, 9)}-{rng.randint(1000, 9999)}", str(rng.randint(10000, 99999)),
                                   f"{rng.randint(10, 99)}-{rng.randint(100, 999)}"]), "PHONE", "pager"),
        "X": lambda: (str(rng.randint(1000, 9999)), "PHONE", "extension"),
        "ID": lambda: (rng.choice([str(rng.randint(1000000, 9999999)), f"{rng.randint(10, 99)}-{rng.randint(10, 99)}-"
                                   f"{rng.randint(10, 99)}", f"00{rng.randint(100000, 999999)}"]), "ID", "mrn"),
        # filler (not PHI)
        "WK": lambda: (rng.choice(WEEKDAYS), None, ""),
        "TM": lambda: (rng.choice(["0300", "1400", "2200", "0745", "11p", "7a", "1930", "noon", "4am"]), None, ""),
        "AY": lambda: (str(rng.randint(45, 89)), None, ""),
        "YR": lambda: (rng.choice(["2019", "2021", "2023", "2024"]), None, ""),
        "ST8": lambda: (rng.choice(["Maine", "NH", "Vermont", "Florida", "RI", "Ohio", "Texas"]), None, ""),
    }


_TOKEN = re.compile(r"<([A-Z0-9]+)>")


def fill(template: str, gens: dict[str, Callable[[], Piece]]) -> tuple[str, list[dict[str, Any]]]:
    """Expand ``<KEY>`` placeholders; return the text and its gold spans."""
    out: list[str] = []
    spans: list[dict[str, Any]] = []
    pos = 0
    at = 0
    for m in _TOKEN.finditer(template):
        lit = template[at : m.start()]
        out.append(lit)
        pos += len(lit)
        text, typ, kind = gens[m.group(1)]()
        if typ:
            spans.append({"start": pos, "end": pos + len(text), "type": typ, "value": text, "kind": kind})
        out.append(text)
        pos += len(text)
        at = m.end()
    out.append(template[at:])
    return "".join(out), spans


# Ten nurses. Each: case habit, sentences (any order), sign-off. Sentences carry PHI placeholders.
NURSES: dict[str, dict[str, Any]] = {
    "caps_telegraphic": {
        "case": "upper",
        "lines": [
            "PT <A> ADM FROM <NB> <D> W/ UROSEPSIS.",
            "DTR <FF> IN AM, UPDATED BY DR <LL>.",
            "SON <F> CALLED X2, PHONE <P>, WANTS CALL IF ANY CHANGE.",
            "NEURO: A+OX1, MAE, FOLLOWS SIMPLE CMDS. CV: NSR 70S-80S, SBP 100-120.",
            "RESP: 2L NC SATS 94-97%. LS CLEAR UPPER, DIM BASES.",
            "GAVE REPORT TO <FF> ON <WD>.",
            "SEEN BY <FL> FROM PALLIATIVE, FAMILY MTG SET FOR <WK> <DS> @ 1400.",
            "PREV ADMIT <HI> <D> FOR CHF.",
            "HCP IS NEICE <FF> <LL> <P>.",
            "PLAN TO RETURN TO <NB> WHEN STABLE, SW <FF> AWARE.",
            "WIFE <W> AT BS ALL SHIFT, VERY SUPPORTIVE.",
            "LIVES IN <T> W/ SON, FROM <T> ORIGINALLY.",
            "CALL DR <LL> PGR <PG> W/ ANY QUESTIONS.",
        ],
        "sign": ["<FL> RN", "<F> <LL>, RN", "-- <FF> <L> RN"],
    },
    "lower_everything": {
        "case": "lower",
        "lines": [
            "pt is a <A> woman from <T> admitted <D> with gi bleed, came over from <HN> by ambulance",
            "updated <FF> (dtr) by phone at <TM> and she will be in tomorrow",
            "gave report to <FF> at 1900, no acute events overnight",
            "son <W> and his wife <FF> visited, brought pictures from home",
            "per <FF> in pharmacy vanco trough due before 4th dose",
            "talked w/ <FF> from case mgmt, pt may go to <NB> or home with vna",
            "dr <LL> aware of k 3.2, repleted per protocol",
            "pt's friend <FF> called asking for update, no info given as not on hipaa list",
            "s/o <FF> <LL> is hcp, number in chart <P>",
            "plan for ir on <DM> if ok with dr <LL>",
            "grandson <FF> lives in <T> and will take pt home after rehab",
            "family wants transfer back to <HN> closer to home",
            "pt says she was born on <D> and was a teacher for 40 yrs",
        ],
        "sign": ["<FF> rn", "<F> <LL> rn", "<I> rn"],
    },
    "slash_plus": {
        "case": "mixed",
        "lines": [
            "Pt <AN>yo F, hx afib/chf/ckd, adm <DS> from <NB> w/ ams.",
            "Dtr + s/o @ bs, dtr <FF> + hubby <W>, ? HCP forms in chart.",
            "Neuro: a+ox2/ confused to date/ +cough +gag/ PERRL.",
            "Resp: 4L/NC, sats 93-95%/ +rhonchi/ suctioned x2 for thick tan.",
            "Spoke w/ Dr <LL> + Dr <LL> re: plan/ ok to cont abx.",
            "Son <FF> + dtr-in-law <FF> from <T> called/ updated.",
            "Fam mtg <WK> <DS> w/ Dr <LL>/ SW <FF>/ chaplain.",
            "D/C plan: back to <NB> vs <NH>/ CM following.",
            "Seen @ <HI> ER <DS> + xfer here <DS>.",
            "Neice <FF> / pg <PG> / prefers txt.",
            "Pt c/o pain 6/10 L hip/ medicated w/ dilaudid 0.5mg IV/ +effect.",
        ],
        "sign": ["<FF> RN/ <WD>", "<I> RN", "<FF> <LL> RN BSN"],
    },
    "full_sentences": {
        "case": "mixed",
        "lines": [
            "Mrs. <LL> is a pleasant <A> lady who was transferred from <H> on <D> after a fall at home.",
            "Her daughter, <FF>, was at the bedside this evening and had many questions about the plan of care.",
            "I explained the plan to her husband <W> and he verbalized understanding.",
            "The patient told me she grew up in <T> and moved to <T> after she married.",
            "Dr. <LL> came by at 2100 and examined the patient; no new orders were given.",
            "I gave report to <FF> at the end of my shift and we walked rounds together.",
            "Her son Mr. <LL> lives on <ST> in <T> and would like to be called at <P> with any changes.",
            "She was last admitted to <H> on <D> for pneumonia and spent two weeks at <NH> afterwards.",
            "The patient's nephew <FF> <LL> says he is the health care proxy but we have no paperwork yet.",
            "Her longtime friend and neighbor <FL> visited in the afternoon and brought flowers.",
            "We expect she will go back to <NB> once she is off oxygen.",
            "The family was updated by <FF>, the night charge nurse, around midnight.",
        ],
        "sign": ["<FL>, RN", "<F> <LL>, RN, BSN", "Signed, <FF> <LL> RN"],
    },
    "abbreviates_all": {
        "case": "mixed",
        "lines": [
            "<AN> yo m adm <DS> fr <NB> w/ pna. ",
            "hx: cad s/p cabg, dm2, htn, bph.",
            "n: aaox3, mae, nl sens.",
            "cv: sr 60s-70s, no ecto, k 3.9 mg 2.0.",
            "gi/gu: tf @ goal 50/h, foley w/ cl yel u/o.",
            "soc: w/ dtr <FF> in <T>, gs <FF> visits qd.",
            "cm <FF> f/u re scr to <NB> vs <NB>.",
            "md: dr <LL> (pgr <PG>), ok to d/c aline.",
            "rpt to <FF> @ 0700.",
            "prev at <HI> <DS>-<DS> for same.",
            "sis <FF> <LL> called fr <ST8>, # <P>.",
        ],
        "sign": ["<I> rn", "<FF> rn", "<FI> rn"],
    },
    "initials_signer": {
        "case": "mixed",
        "lines": [
            "0700-1900: pt alert, calm, following commands.",
            "Daughter Dr. <LL> (she is a dentist) at bedside, update given.",
            "<FF> from PT worked w/ pt, stood x2 w/ RW, min assist.",
            "Plan reviewed w/ Dr <LL>'s team, f/u <DS>.",
            "Pt asking for her husband <W>, reoriented.",
            "HCP <FL>, cell <P>, home <P>.",
            "Court hearing re guardianship on the <DTH>, per SW <FF>.",
            "Came from <NH> originally, 2nd adm this month, last d/c <D>.",
            "Ext for charge RN is <X>.",
            "Pt refused 0600 labs, <FF> (IV team) aware.",
        ],
        "sign": ["<I>", "--<I>", "<I>/rn", "<I> <DS>"],
    },
    "runon": {
        "case": "lower",
        "lines": [
            "pt had a quiet night overall and slept in between care and was pleasant with staff and <FF> came in "
            "around 2300 with her husband and they sat with her until 0100 and then went home to <T>",
            "talked with the daughter on the phone for a while and she said her brother <FF> would be in from "
            "<T> tomorrow and that <FF> the other sister might come on the <DTH> if she can get off work",
            "patient keeps asking for <W> who the family say was her late husband and reorients easily then asks "
            "again a few minutes later",
            "spoke to <FF> at the front desk of <NB> and they will take her back once she is cleared by pt and "
            "they need the paperwork faxed by friday",
            "dr <LL> wanted a call if sbp under 90 and i called him at 0200 when it was 86 and he said give a "
            "250 bolus which was given and bp came up to 101",
            "the sitter <FF> was with pt all night and was great and pt seemed calmer with her there",
            "she is <A> and still lives alone on <ST> and her neighbor <FL> checks on her daily",
            "the son said she was at <HN> last <DM> for the same thing and they sent her home too early",
            "niece <FF> called from work at <H> and wants to be the contact since she is a nurse there",
        ],
        "sign": ["<FF>", "<FF> rn", "<F> <LL> rn nights"],
    },
    "systems_bullets": {
        "case": "mixed",
        "lines": [
            "- Neuro: RASS -1, CAM neg, PERRLA 3mm brisk.",
            "- CV: SR 80s, MAP >65 off levo since 0400.",
            "- Resp: AC 450x14 PEEP 8 FiO2 40%, ABG 7.38/42/88.",
            "- Social: wife <FF> <LL>, son <FF> (HCP), lives in <T>.",
            "- Dispo: likely <NH> vs home w/ services, CM <FF> aware.",
            "- Contacts: <FF> <P>; <FF> <P>.",
            "- Consults: ID (Dr <LL>), renal (Dr <LL>), palliative.",
            "- Events: rapid called <DS> at 0310 on <WD>, tx'd to MICU.",
            "- Hx: OSH admission at <HX> <D>.",
            "- Goals: per fam mtg on <D> w/ dtrs <FF> and <FF>, full code for now.",
        ],
        "sign": ["<FL> RN", "<FF> <LL>, RN CCRN", "RN: <FF> <LL>"],
    },
    "sbar_handoff": {
        "case": "mixed",
        "lines": [
            "S: <A> pt w/ worsening resp status, on BiPAP 12/5.",
            "B: Adm <D> from <H> ED, hx COPD, lives at <NB>.",
            "A: Tachypneic 28-32, ABG pending, family at bedside (<FF> and <FF>).",
            "R: Dr <LL> to eval, RT <FF> aware, pg <PG>.",
            "Handed off to <FF> at 1915.",
            "Family: dtr <FF> is spokesperson, other dtr <FF> lives in <ST8>.",
            "Will need bed on <WD> if downgraded.",
            "Last echo at <HI> on <DS> showed EF 30%.",
            "Covering MD tonight: <FL> x<X>.",
            "Pt's brother <W> <WL> died at <H> in <YR>, family anxious about hospital.",
        ],
        "sign": ["<FF> <LL> RN", "Report given by <FF>, received by <FF>"],
    },
    "erratic_case": {
        "case": "mixed",
        "lines": [
            "PT VERY AGITATED @ 0200, pulled at ngt, mittens on, Dr <LL> notified.",
            "dtr <FF> CALLED @ 2100, UPDATED ON PLAN.",
            "per <FF> (night supervisor) no beds on <WD> until am",
            "GRANDDAUGHTER <FF> <LL> HERE FROM <T>, stayed overnight in room.",
            "pt states her name is <FF> and she is <A>, oriented to self only",
            "w/ Dr <LL>'s team at 1100 rounds, plan unchanged.",
            "HUSBAND <W> VISITED, pt more calm after.",
            "Transport to <HN> for ercp on <DM>, report called to <FF> <P>.",
            "pt lived in <T> til <YR> then moved in w/ dtr in <T>",
            "Chaplain <FF> <LL> in to pray w/ family.",
            "s/o <N> at bs, asks that we call him <N> not by his given name",
        ],
        "sign": ["<FF> RN", "<I> RN", "<FL>/RN"],
    },
}

# extra sentence templates shared by all nurses: the positions the brief asks to stress
SHARED = [
    "updated <FF> at bedside.",
    "gave report to <FF>.",
    "per <FF> pt was at baseline yesterday.",
    "w/ Dr <LL>'s team this am.",
    "dtr <N> called.",
    "s/o <FF> here.",
    "HCP <FF> <LL> aware of plan.",
    "neice <FF> visiting from <T>.",
    "Called <FF> re: consent.",
    "asked <FF> to cover while on break.",
    "dr <WL> in to see pt.",
    "Dr. <LL> notified.",
    "spoke with <W> (son) re: code status.",
    "pt's wife <W> <WL> at bedside.",
    "pt is <A>.",
    "pt turned <AN> on <DS>.",
    "<A> female.",
    "Family from <T>.",
    "xfer from <HI> on <DS>.",
    "OSH: <HN>.",
    "rehab at <NB> planned.",
    "goes to <NB> on <WK>.",
    "bed on <WD> requested.",
    "to <WD> when bed available.",
    "lives at <ST>.",
    "pager <PG>.",
    "call back at x<X>.",
    "pgr <PG>.",
    "MRN <ID>.",
    "seen on <D>.",
    "on the <DTH> had CT.",
    "<WK> <DS> head CT neg.",
    "last BM <DS>.",
    "f/u appt <DM>.",
    "cardiology f/u <D>.",
    "lines placed <DS>, due for change <DS>.",
    "ok'd by <FF> in the pharmacy.",
    "sister <FF> and brother-in-law <FF> from <T>.",
    "grandson <FF> <LL> is the contact.",
    "wife's name is <FF>.",
    "reports pain to <FF> the PCA.",
    "<FF> (RT) suctioned.",
    "husband <LL> at bs.",
]

PHI_FREE_LINES = [
    "Foley to gravity, draining frank blood earlier, now clear yellow.",
    "will f/u with team in am re: lytes.",
    "hope to wean fio2 to 35% today if ABG ok.",
    "diet rich in protein, TF @ goal.",
    "young adult son? no - pt has no children, lives alone.",
    "Swan-Ganz placed, CO 4.2, CI 2.3, wedge 14.",
    "Hickman site c/d/i, dressing changed.",
    "Trendelenburg for line placement, tolerated well.",
    "neg Babinski, neg Kernig, neg Brudzinski.",
    "Cheyne-Stokes pattern noted overnight.",
    "Levophed 0.08 mcg/kg/min, Vaso 0.04 units/min.",
    "Zosyn, vanco, and fluconazole per ID.",
    "Jackson-Pratt x2 with serosang output 40 and 25.",
    "Pleurx drained 500 cc, pt tolerated.",
    "GCS 3T, RASS -4, CPOT 2.",
    "PEEP 10, FiO2 50%, RR 18, Vt 420.",
    "K 3.4, Mg 1.8, Phos 2.2 - repleted.",
    "BP 112/64, HR 88, T 37.8, RR 20, SpO2 95%.",
    "1/2 NS at 75/h, D5W for free water.",
    "3/4 strength TF started, advance as tol.",
    "Pt is 78 yo, hx of Parkinson's and Alzheimer's.",
    "mon and wed dialysis, next HD tuesday.",
    "pt grace under pressure - joking with staff.",
    "faith important to pt, chaplain in.",
    "miles of tubing - lines labelled and traced.",
    "summer schedule for dialysis unit, per HD RN.",
    "pt wants to bill insurance directly, SW aware.",
    "frank pus from wound, cx sent.",
    "price of meds a concern, SW to help with copay.",
    "joy at seeing grandkids on video call.",
    "Whipple in 2019, Nissen in 2021.",
    "MICU to CCU transfer at 1400.",
    "cath lab at 0900, groin site soft.",
    "rehab consult placed, PT/OT following.",
    "Glasgow coma scale 14, Braden 13, Morse 45.",
    "CIWA 8, no prn needed.",
    "Lasix 40 IV x1 with 900 cc response.",
    "Coumadin held, INR 3.4.",
    "Bair Hugger on for temp 35.9.",
    "Blakemore tube not needed, EGD showed varices banded.",
    "PICC 5Fr double lumen R basilic, 42 cm.",
    "chest tube to -20 sx, no air leak.",
    "pain 3/10 after tylenol 650.",
    "sats 88-92% on 6L hi-flow.",
    "INR 1.2, plt 88, Hgb 7.1 s/p 1 unit PRBC.",
    "pt from Maine originally, moved south in 2019.",
    "ABG 7.31/48/72/24.",
    "turned q2h, heels floated, mepilex on sacrum.",
    "hunter's canal block by anesthesia for knee.",
    "pt dawn to dusk napping - sleep hygiene discussed.",
    "rose to 38.4 at 0400, cultures sent.",
    "ivy league - pt says son went to college out of state.",
    "Keppra 500 bid, Dilantin level 12.",
    "St. John's wort at home - pharmacy says hold.",
    "Mallory-Weiss tear suspected, GI aware.",
    "Graves disease on methimazole.",
    "Duoneb q4h, Spiriva daily.",
    "Tues: repeat CXR. Thurs: trach eval.",
    "Hunt and Hess grade discussed with neurosurg.",
    "pt is 88, lives with wife who is 86.",
    "age 72, retired teacher.",
    "stool soft, brown, guaiac neg.",
    "24h I/O +1.2 L, UO 0.5 cc/kg/h.",
    "vent 12/5 bipap overnight, 40%.",
    "LDL 140, A1c 8.2, TSH 1.3.",
    "MAP 65-70, CVP 8-12.",
    "pt will be NPO after midnight for TEE.",
    "bed alarm on, fall risk high, sitter at bs.",
    "son and daughter at bedside, updated on plan.",
    "wife updated by phone, will visit tomorrow.",
    "family meeting planned with palliative care.",
    "report given to oncoming RN at 1900.",
    "covering MD notified of SBP 84, bolus given.",
    "Dr on call aware, no new orders.",
    "skin: stage 2 on coccyx, wound RN consulted.",
]
PHI_FREE_SIGN = ["RN", "-- night RN", "nursing", "D/N shift RN", "see flowsheet"]


def _case(text: str, habit: str, rng: random.Random) -> str:
    if habit == "upper":
        return text.upper()
    if habit == "lower":
        return text.lower()
    if rng.random() < 0.15:
        return text.upper()
    return text


def _note(rng: random.Random, gens: dict[str, Callable[[], Piece]], nurse: str) -> tuple[str, list[dict[str, Any]]]:
    spec = NURSES[nurse]
    k = rng.randint(4, 8)
    lines = rng.sample(spec["lines"], min(k, len(spec["lines"])))
    lines += rng.sample(SHARED, rng.randint(1, 3))
    if rng.random() < 0.6:
        lines.append(rng.choice(PHI_FREE_LINES))
    rng.shuffle(lines)
    lines.append(rng.choice(spec["sign"]))
    sep = rng.choice(["\n", " ", "\n", "  "])
    text, spans = fill(sep.join(lines), gens)
    out = _case(text, spec["case"], rng)
    assert len(out) == len(text)
    for s in spans:
        s["value"] = out[s["start"] : s["end"]]
    return out, spans


def corpus(n: int = 300, seed: int = 0) -> list[dict[str, Any]]:
    """``n`` notes with gold spans, deterministic for a seed; the ten nurses take turns."""
    rng = random.Random(seed)
    gens = _mk_gens(rng)
    names = list(NURSES)
    recs = []
    for i in range(n):
        nurse = names[i % len(names)]
        text, spans = _note(rng, gens, nurse)
        recs.append({"id": f"blind6-{seed}-{i}", "text": text, "spans": spans, "style": nurse})
    return recs


def phi_free(n: int = 100, seed: int = 1) -> list[dict[str, Any]]:
    """``n`` PHI-free notes in the nurses' case habits, dense with eponyms, drugs, devices and word-names."""
    rng = random.Random(seed)
    names = list(NURSES)
    recs = []
    for i in range(n):
        nurse = names[i % len(names)]
        lines = rng.sample(PHI_FREE_LINES, rng.randint(4, 9))
        lines.append(rng.choice(PHI_FREE_SIGN))
        text = _case(rng.choice(["\n", " "]).join(lines), NURSES[nurse]["case"], rng)
        recs.append({"id": f"blind6-free-{seed}-{i}", "text": text, "spans": [], "style": nurse})
    return recs
