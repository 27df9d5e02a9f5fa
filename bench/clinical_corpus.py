"""A seeded development corpus of clinical notes with gold PHI spans: nursing notes, progress notes and discharge
summaries in mixed case, ALL CAPS and lower case, with the shapes real notes have (abbreviations, vital signs,
ventilator settings, ranges, signatures, relation words, wards, month/day dates, phones, pagers, MRNs).

Surrogates are drawn, where possible, from lists the detectors do NOT ship, so scores measure generalisation:
half of the surnames come from ``bench/corpus_data/heldout_surnames.txt`` (Census ranks beyond the shipped
30,000), hospitals, wards, streets and towns are built from those surnames and invented words. First names come
from the shipped lexicon (the Census first-name list is complete); some of them are ambiguous words (Will,
Rose), as in real notes. Gold spans exclude titles (``Dr. [Smith]``), as de-identification gold standards do.

``corpus(n, seed)`` returns records ``{"id", "text", "spans": [{"start", "end", "type", "value"}], "style"}``;
``python -m bench.clinical_corpus`` prints a few notes.
"""

from __future__ import annotations

import calendar
import random
import string
from pathlib import Path
from typing import Any

from sidecar.redaction.detectors.lexicons import STATE_ABBR, US_STATES, load_list, words

_HERE = Path(__file__).resolve().parent
_USPS = sorted(
    words(
        "Alley Annex Arcade Avenue Ave Bayou Beach Bend Bluff Blvd Boulevard Branch Bridge Brook Bypass Camp Canyon "
        "Cape Causeway Center Circle Cir Cliff Club Common Corner Course Court Ct Cove Creek Crescent Crest Crossing "
        "Curve Dale Dam Divide Drive Dr Estates Expressway Extension Falls Ferry Field Fields Flats Ford Forest Forge "
        "Fork Freeway Gardens Gateway Glen Green Grove Harbor Haven Heights Highway Hwy Hill Hollow Inlet Island "
        "Junction Key Knoll Lake Landing Lane Ln Light Loop Mall Manor Meadows Mews Mill Mission Motorway Mount "
        "Mountain Neck Orchard Oval Overpass Park Parkway Pkwy Pass Path Pike Pines Place Pl Plaza Point Port Ports "
        "Prairie Radial Ramp Ranch Rapids Ridge River Road Rd Route Row Run Shoal Shore Skyway Spring Springs Spur "
        "Square Station Stravenue Stream Street St Summit Terrace Ter Throughway Trace Track Trafficway Trail "
        "Tunnel Turnpike Underpass Union Valley Viaduct View Village Ville Vista Walk Way Wells"
    )
)
# USPS Publication 28, appendix C1: the standard abbreviations (the primary names are in _USPS above)
_USPS_ABBR = sorted(words(
    "Aly Anx Arc Av Byu Bch Bnd Blf Btm Blvd Br Brg Brk Byp Cyn Cpe Cswy Ctr Cir Clf Clb Cmn Cor Crse Ct Cts Cv "
    "Crk Cres Crst Xing Xrd Curv Dr Est Expy Ext Fls Fry Fld Flt Frd Frst Frg Frk Ft Fwy Gdn Gtwy Gln Grn Grv "
    "Hbr Hvn Hts Hwy Holw Inlt Jct Knl Lk Lndg Ln Lgt Lck Ldg Mnr Mdw Ml Msn Mt Mtn Nck Orch Opas Pkwy Psge Pne "
    "Pl Pln Plz Prt Radl Rnch Rpd Rst Rdg Riv Rd Rte Shl Shr Skwy Spg Sq St Stra Strm Smt Ter Trwy Trce Trak "
    "Trfy Trl Trlr Tunl Tpke Upas Vly Vw Vlg Vis Walk Way"
))
_USPS_MORE = sorted(words(
    "Centers Crossroad Crossroads Corners Courts Drives Estates Extensions Fords Forges Glens Greens Harbors "
    "Hills Junctions Keys Knolls Lakes Lights Loaf Locks Lodge Manors Mills Mountains Overpass Parks Passage "
    "Plains Points Radial Ridges Shoals Shores Springs Squares Streets Tracks Trailer Unions Valleys Views "
    "Villages Vistas Wall Ways"
))
_UNITS = [
    "Apt. {n}",
    "Suite {n}",
    "Apt {n}{l}",
    "Ste {n}",
    "Unit {n}",
    "# {n}",
    "#{n}",
    "Bldg {d}",
    "Fl {d}",
    "Rm {n}",
    "Lot {d}",
    "Trlr {d}",
    "Spc {d}",
    "Apartment {n}",
]
_DIRS = ["N", "S.", "E", "W.", "North", "South", "East", "West", "NE", "SW"]
# invented towns as address generators write them: a prefix and a first name, or a name and a suffix
_CITY_PREFIX = ["North", "South", "East", "West", "New", "Lake", "Port"]
_CITY_SUFFIX = [
    "town", "ton", "land", "ville", "berg", "burgh", "borough", "bury", "view", "port", "mouth", "stad", "furt",
    "chester", "fort", "haven", "side", "shire",
]
_STATE_NAMES = sorted(US_STATES)
_STATE_CODES = sorted(STATE_ABBR)
_STATES = [
    ("IL", "Illinois"),
    ("OH", "Ohio"),
    ("MA", "Massachusetts"),
    ("TX", "Texas"),
    ("OR", "Oregon"),
    ("GA", "Georgia"),
    ("NY", "New York"),
    ("MN", "Minnesota"),
    ("AZ", "Arizona"),
    ("VT", "Vermont"),
]
_TOWN_SFX = ["ville", "ton", "burg", "field", "ford", " Falls", " Springs", " Junction", "wood", " Creek"]
_FAC_SFX = [
    "Hospital",
    "Medical Center",
    "Memorial Hospital",
    "General Hospital",
    "Clinic",
    "Nursing Home",
    "Rehab",
    "Rehabilitation Center",
    "Health Center",
    "Community Hospital",
]
_RELS = [
    "daughter",
    "dtr",
    "son",
    "wife",
    "husband",
    "sister",
    "brother",
    "HCP",
    "health care proxy",
    "friend",
    "niece",
    "mother",
    "father",
    "granddaughter",
    "neighbor",
]
_CREDS = ["RN", "MD", "NP", "PA", "LPN", "RRT", "MSW"]
_MONTHS = [m[:3] for m in list(calendar.month_name)[1:]]
_LONG_MONTHS = list(calendar.month_name)[1:]  # English: nothing here sets a locale
_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]

# PHI-free clinical lines (vitals, vent settings, ranges, clinical words that look like places/names)
_CLINICAL = [
    "VSS. HR 88-110 NSR, BP 110-135/60-80, RR 14-22, SpO2 94-98% on 2L NC.",
    "Vent settings AC 500 x 14, PEEP 5, FiO2 40%; weaned to PS 10/5 this afternoon, RSBI 62.",
    "ABG 7.38/42/88. Settings 12/10/40% overnight, tolerating well.",
    "K 3.2, CA 8.1, Mg 1.8: K, CA and Mg repleted per sliding scale.",
    "Pharmacy aware of the new heparin gtt; PTT goal 60-80, recheck q6h.",
    "Hospice consulted, family meeting planned. Palliative care following.",
    "Pt to cath lab this AM, returned with R groin site CDI, no hematoma, pedal pulses dopplerable.",
    "ICU team aware of UOP 20-30cc/hr for 3 hrs, bolus 500cc LR given with good effect.",
    "Neuro: A&Ox3, MAE, PERRLA. Follows commands. Pain 3/10, medicated with tylenol 650 mg PO.",
    "GI: abd soft, NT/ND, +BS. Tolerating TF at goal 60cc/hr. BM x1 guaiac neg.",
    "Resp: LS coarse bilat, sxn for thick tan secretions. CXR with RLL infiltrate.",
    "ID: Tmax 101.2, WBC 14.2, BCx x2 sent, on vanco and zosyn.",
    "Skin: coccyx stage 2 ulcer, dressing changed, turned and repositioned q2h.",
    "Heme: Hct 24.1, transfused 1 unit PRBC, post Hct pending. INR 1.4.",
    "Lines: R IJ TLC, L radial a-line, PIVs x2. Foley to gravity.",
    "Plan: continue current regimen, wean vent as tolerated, SBT in AM, follow lytes.",
    "Insulin gtt titrated per protocol, FSBS 140-180, 2 units/hr.",
    "Discussed risks and benefits of anticoagulation; patient agrees with the plan.",
    "Ambulated 100 ft in hall with walker and PT, steady gait, no SOB.",
    "Wound is clean, dry and intact without erythema. Dressing changed BID.",
    "Echo with EF 35-40%, mild MR. Cardiology following, lasix 40 mg IV BID.",
    "Social work following for dispo planning; rehab screening in progress.",
    "Will f/u with PCP in 1-2 weeks. Mark the site prior to procedure.",
    "Hope to extubate tomorrow if secretions improve. Grant funding form signed by pt.",
]


class _Note:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.spans: list[dict[str, Any]] = []
        self.wholes: list[dict[str, Any]] = []  # places that must be found whole (street to ZIP, city to ZIP)
        self.n = 0

    def whole(self, type_: str, start: int) -> None:
        self.wholes.append({"start": start, "end": self.n, "type": type_})

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.n += len(text)

    def phi(self, type_: str, value: str) -> None:
        self.spans.append({"start": self.n, "end": self.n + len(value), "type": type_, "value": value})
        self.add(value)


class _Gen:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.first = sorted(load_list("first_names.txt.gz"))
        self.last_shipped = sorted(load_list("surnames.txt.gz"))
        raw = (_HERE / "corpus_data" / "heldout_surnames.txt").read_text(encoding="utf-8").splitlines()
        self.last_held = [x.strip() for x in raw if x.strip() and not x.startswith("#")]
        # multi-word cities of the shipped list (Salt Lake City, Port St. Lucie), in ASCII spelling
        self.us_cities = sorted(c for c in load_list("cities.txt.gz") if " " in c and c.isascii())

    # ---- surrogates
    def fname(self) -> str:
        return self.rng.choice(self.first).capitalize()

    def lname(self) -> str:
        pool = self.last_held if self.rng.random() < 0.5 else self.last_shipped
        name = self.rng.choice(pool).capitalize()
        r = self.rng.random()
        if r < 0.04:
            name = "O'" + self.rng.choice(self.last_held).capitalize()
        elif r < 0.08:
            name = "Mc" + self.rng.choice(self.last_held).capitalize()
        elif r < 0.12:
            name = name + "-" + self.rng.choice(self.last_held).capitalize()
        return name

    def invented(self) -> str:
        rng = self.rng
        syl = ["ka", "lo", "ver", "mon", "tre", "sha", "bel", "dor", "win", "ash", "gar", "lin", "mir", "tov"]
        return "".join(rng.choice(syl) for _ in range(rng.randint(2, 3))).capitalize()

    def town(self) -> str:
        base = self.rng.choice(self.last_held) if self.rng.random() < 0.7 else self.invented()
        return base.capitalize() + self.rng.choice(_TOWN_SFX)

    def hospital(self) -> str:
        base = self.rng.choice(self.last_held).capitalize()
        if self.rng.random() < 0.3:
            base = "St. " + self.fname()
        return f"{base} {self.rng.choice(_FAC_SFX)}"

    def hosp_abbr(self) -> str:
        return "".join(self.rng.choice(string.ascii_uppercase) for _ in range(self.rng.randint(3, 4))) + "H"

    def ward(self) -> str:
        return f"{self.rng.choice(self.last_held).capitalize()} {self.rng.randint(2, 14)}"

    def street(self) -> str:
        rng = self.rng
        name = rng.choice(self.last_held).capitalize() if rng.random() < 0.7 else self.invented()
        s = f"{rng.randint(2, 9899)} {name} {rng.choice(_USPS)}"
        if rng.random() < 0.4:
            s += ", " + rng.choice(_UNITS).format(n=rng.randint(1, 999), d=rng.randint(1, 40), l=rng.choice("ABCD"))
        return s

    def city(self) -> str:
        rng = self.rng
        r = rng.random()
        if r < 0.3:
            return rng.choice(self.us_cities)
        if r < 0.55:
            return f"{rng.choice(_CITY_PREFIX)} {self.fname()}"
        if r < 0.85:
            base = self.fname() if rng.random() < 0.5 else rng.choice(self.last_held).capitalize()
            return base + rng.choice(_CITY_SUFFIX)
        return self.town()

    def address(self, note: _Note) -> None:
        """A full postal address (street, units, city, state, ZIP; or a military one), gold per part and whole."""
        rng = self.rng
        start = note.n
        if rng.random() < 0.05:
            num, box = rng.randint(1000, 9999), rng.randint(1000, 9999)
            line = rng.choice([f"PSC {num}, Box {box}", f"Unit {num} Box {box}", f"USNS {self.lname()}"])
            sep = rng.choice([", ", "\n"])
            post = f"{rng.choice(['APO', 'FPO', 'DPO'])} {rng.choice(['AA', 'AE', 'AP'])} {rng.randint(10000, 99999)}"
            mil = f"{line}{sep}{post}"
            note.phi("ADDRESS", mil)
            note.whole("ADDRESS", start)
            return
        r = rng.random()
        if r < 0.6:
            name = rng.choice(self.last_held).capitalize()
        elif r < 0.75:
            name = self.invented()
        elif r < 0.88:
            name = self.fname()
        else:
            k = rng.randint(1, 99)
            name = f"{k}{'th' if 10 <= k % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(k % 10, 'th')}"
        r = rng.random()
        sfx = (rng.choice(_USPS) if r < 0.6 else rng.choice(_USPS_MORE) if r < 0.8 else rng.choice(_USPS_ABBR)).title()
        street = f"{rng.randint(1, 99999) if rng.random() < 0.3 else rng.randint(2, 9899)} "
        if rng.random() < 0.2:
            street += rng.choice(_DIRS) + " "
        street += f"{name} {sfx}"
        if rng.random() < 0.05:
            street += " " + rng.choice(["NW", "SE", "NE", "SW"])
        for _ in range(2 if rng.random() < 0.1 else 1 if rng.random() < 0.5 else 0):
            unit = rng.choice(_UNITS).format(n=rng.randint(1, 999), d=rng.randint(1, 40), l=rng.choice("ABCD"))
            street += rng.choice([", ", " "]) + unit
        note.phi("ADDRESS", street)
        note.add(rng.choice([", ", ", ", "\n", " "]))
        self.city_state_zip(note, zip_=True)
        note.whole("ADDRESS", start)

    def city_state_zip(self, note: _Note, zip_: bool) -> None:
        rng = self.rng
        start = note.n
        note.phi("LOCATION", self.city())
        if rng.random() < 0.75:
            note.add(rng.choice([", ", ", ", " "]) + rng.choice(_STATE_CODES))
        else:
            note.add(", " + rng.choice(_STATE_NAMES))
        if zip_:
            note.add(" ")
            z = f"{rng.randint(501, 99950):05d}" + (f"-{rng.randint(0, 9999):04d}" if rng.random() < 0.15 else "")
            note.phi("ZIP", z)
        note.whole("CITY", start)

    def date(self) -> str:
        rng = self.rng
        m, d = rng.randint(1, 12), rng.randint(1, 28)
        y2, y4 = f"{rng.randint(0, 24):02d}", rng.randint(1930, 2024)
        short = "Sept" if m == 9 and rng.random() < 0.5 else _MONTHS[m - 1]
        th = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd"}.get(d, "th")
        # the common shapes of real notes (month/day without a year most of all), then the rarer ones
        common = [
            f"{m}/{d}",
            f"{m:02d}/{d:02d}",
            f"{m}/{d}/{y2}",
            f"{_LONG_MONTHS[m - 1]} {d}",
            f"{d}-{_MONTHS[m - 1]}",
            f"{m}/{d}/20{rng.randint(10, 24)}",
        ]
        rare = [
            f"{m:02d}/{d:02d}/{y2}",
            f"{m}-{d}-{y2}",
            f"{d}-{_MONTHS[m - 1]}-{y2}",
            f"{short}. {d}",
            f"{_MONTHS[m - 1].lower()} {d}",
            f"{_LONG_MONTHS[m - 1]} {d}{th}",
            f"{_LONG_MONTHS[m - 1]} {d}, {y4}",
            f"{_LONG_MONTHS[m - 1]} the {d}{th}, {y4}",
            f"{d} {_LONG_MONTHS[m - 1]} {y4}",
            f"{d}/{_ROMAN[m - 1]}/{y4}",
            f"{y4}-{m:02d}-{d:02d}",
            f"{m:02d}/{y4}",
            f"{m}/{d}/{m}/{min(d + 1, 28)}",  # a pair: two days written as one (12/10/12/11)
            f"{m}/{d}-{m}/{min(d + 2, 28)}",  # a range of days (2/13-2/15)
        ]
        return rng.choice(common) if rng.random() < 0.7 else rng.choice(rare)

    def phone(self) -> str:
        rng = self.rng
        a, b, c = rng.randint(201, 989), rng.randint(200, 999), rng.randint(0, 9999)
        return rng.choice([f"({a}) {b}-{c:04d}", f"{a}-{b}-{c:04d}", f"{a}.{b}.{c:04d}", f"{b}-{c:04d}"])

    def pager(self) -> str:
        return self.rng.choice(
            [f"{self.rng.randint(1, 9)}-{self.rng.randint(1000, 9999)}", f"{self.rng.randint(10000, 99999)}"]
        )

    def mrn(self) -> str:
        return str(self.rng.randint(1000000, 99999999))

    # ---- note pieces
    def name_phrase(self, note: _Note) -> None:
        rng = self.rng
        r = rng.random()
        if r < 0.35:
            note.add(rng.choice(["Dr. ", "Dr ", "DR. ", "dr ", "Dr.", "Mrs. ", "Mr. ", "Ms. "]))
            note.phi("NAME", self.lname())
        elif r < 0.55:
            note.phi("NAME", f"{self.fname()} {self.lname()}")
        elif r < 0.7:
            note.add(rng.choice(["Dr. ", "Dr "]))
            note.phi("NAME", f"{self.fname()[0]}. {self.lname()}")
        else:
            note.phi("NAME", self.fname())

    def nursing(self, note: _Note) -> None:
        rng = self.rng
        note.add(rng.choice(["Nursing Progress Note", "NPN 7a-7p", "Nursing note", "CCU NURSING"]) + " ")
        note.phi("DATE", self.date())
        note.add("\n")
        for _ in range(rng.randint(4, 9)):
            r = rng.random()
            if r < 0.45:
                note.add(rng.choice(_CLINICAL) + " ")
            elif r < 0.55:
                note.add(f"{rng.choice(['Spoke with', 'Called', 'Updated', 'Family meeting with'])} ")
                note.add(f"{rng.choice(_RELS)} ")
                note.phi("NAME", self.fname())
                note.add(rng.choice([", who agrees with plan. ", " at bedside. ", " (", " - "]))
                if note.parts[-1] == " (":
                    note.phi("PHONE", self.phone())
                    note.add("). ")
                elif note.parts[-1] == " - ":
                    note.add("cell ")
                    note.phi("PHONE", self.phone())
                    note.add(". ")
            elif r < 0.63:
                note.add(rng.choice(["Paged ", "Discussed with ", "Seen by ", "Per "]))
                self.name_phrase(note)
                note.add(rng.choice([" re: low UOP. ", ", aware. ", " at bedside. ", ", new orders received. "]))
            elif r < 0.68:
                note.add(rng.choice(["Pt transferred to ", "Transferred from ", "Report called to "]))
                note.phi("LOCATION", self.ward())
                note.add(" for tele monitoring. ")
            elif r < 0.73:
                note.add(rng.choice(["Pt seen by covering ", "Pt evaluated by "]))
                note.add(rng.choice(["NP ", "HO ", "PA "]))
                note.phi("NAME", self.lname())
                note.add(", plan to diurese. ")
            elif r < 0.78:
                note.add(f"{rng.choice(['Dr. ', 'Dr '])}")
                note.phi("NAME", self.lname())
                note.add(" and ")
                note.phi("NAME", self.lname())
                note.add(" in to see pt. ")
            elif r < 0.83:
                note.add("Family in to visit: ")
                note.add(f"{rng.choice(_RELS)} ")
                note.phi("NAME", self.fname())
                note.add(" and ")
                note.add(f"{rng.choice(_RELS)} ")
                note.phi("NAME", self.fname())
                note.add(". ")
            elif r < 0.88:
                note.add("Cardiology fellow pager ")
                note.phi("PHONE", self.pager())
                note.add(", call with questions. ")
            elif r < 0.90:
                note.add(rng.choice(["Next dressing change ", "Last BM ", "Foley changed ", "Line placed "]))
                note.phi("DATE", self.date())
                note.add(", f/u CXR ")
                note.phi("DATE", self.date())
                note.add(". ")
            elif r < 0.93:
                note.add(rng.choice(["TOXICITY-", "CXR-", "Echo ", "INR check, last "]))
                note.phi("DATE", self.date())
                note.add(rng.choice([": no change. ", " stable. ", ". "]))
            else:
                note.add("Pt was transferred from ")
                note.phi("LOCATION", self.hosp_abbr() if rng.random() < 0.5 else self.hospital())
                note.add(" on ")
                note.phi("DATE", self.date())
                note.add(". ")
        note.add("\n")
        note.phi("NAME", f"{self.fname()} {self.lname()}")
        note.add(f" {rng.choice(_CREDS)}\n" if rng.random() < 0.8 else f", {rng.choice(_CREDS)}\n")

    def progress(self, note: _Note) -> None:
        rng = self.rng
        note.add("Progress Note - ")
        note.add(rng.choice(["MICU", "SICU", "Medicine", "Cardiology"]) + " team\nPatient: ")
        note.phi("NAME", f"{self.fname()} {self.lname()}")
        note.add("  MRN: ")
        note.phi("MRN", self.mrn())
        note.add("  Date: ")
        note.phi("DATE", self.date())
        if rng.random() < 0.4:
            note.add(rng.choice(["\nAddress: ", "\nHome address: ", "\nPt lives at "]))
            self.address(note)
        if rng.random() < 0.3:
            note.add(rng.choice(["\nPt moved here from ", "\nRecently visiting family in ", "\nPCP is in "]))
            self.city_state_zip(note, zip_=rng.random() < 0.3)
            note.add(".")
        note.add("\nS: Pt reports feeling better. ")
        note.add(rng.choice(_CLINICAL) + "\nO: " + rng.choice(_CLINICAL[:4]) + " " + rng.choice(_CLINICAL) + "\n")
        note.add("A/P: " + rng.choice(_CLINICAL[14:]) + " D/w attending Dr. ")
        note.phi("NAME", self.lname())
        note.add(" who agrees. Dispo planning with ")
        note.add(rng.choice(["wife ", "husband ", "daughter ", "son "]))
        note.phi("NAME", self.fname())
        note.add(", phone ")
        note.phi("PHONE", self.phone())
        note.add(".\n")
        if rng.random() < 0.5:
            note.add("Seen and examined with resident Dr. ")
            note.phi("NAME", self.lname())
            note.add(". ")
        note.add("\n")
        note.phi("NAME", f"{self.fname()[0]}. {self.lname()}")
        note.add(f", {rng.choice(['MD', 'NP', 'PA-C'])} pgr ")
        note.phi("PHONE", self.pager())
        note.add("\n")

    def discharge(self, note: _Note) -> None:
        rng = self.rng
        note.add("DISCHARGE SUMMARY\nAdmission Date: ")
        note.phi("DATE", self.date())
        note.add("  Discharge Date: ")
        note.phi("DATE", self.date())
        note.add("\nPatient name: ")
        note.phi("NAME", f"{self.lname()}, {self.fname()}")
        note.add("  MRN ")
        note.phi("MRN", self.mrn())
        note.add("\nHistory: ")
        note.add(f"{rng.randint(40, 88)} y/o ")
        note.add(rng.choice(["M", "F", "man", "woman"]) + " with CHF, DM2, HTN, admitted from ")
        note.phi("LOCATION", self.hospital())
        note.add(" with SOB. " + rng.choice(_CLINICAL) + "\nHospital course: " + rng.choice(_CLINICAL))
        note.add(" " + rng.choice(_CLINICAL) + "\nDisposition: home with services to ")
        if rng.random() < 0.5:
            note.phi("ADDRESS", self.street())
            note.add(", ")
            st = rng.choice(_STATES)
            note.phi("LOCATION", self.town())
            note.add(", ")
            note.add(st[0] if rng.random() < 0.7 else st[1])
            note.add(" ")
            note.phi("ZIP", f"{rng.randint(10000, 99999)}")
        else:
            note.add(rng.choice(["", "\n", "address: "]))
            self.address(note)
        note.add(". Lives with ")
        note.add(rng.choice(["wife ", "husband ", "daughter ", "partner "]))
        note.phi("NAME", self.fname())
        note.add(".\nFollow-up: PCP Dr. ")
        note.phi("NAME", f"{self.fname()} {self.lname()}")
        note.add(" at ")
        note.phi("LOCATION", self.hospital())
        note.add(" on ")
        note.phi("DATE", self.date())
        note.add(", tel ")
        note.phi("PHONE", self.phone())
        note.add(".\nDictated by: ")
        note.phi("NAME", f"{self.fname()} {self.lname()}")
        note.add(", MD\n")


def corpus(n: int, seed: int = 1) -> list[dict[str, Any]]:
    """``n`` notes (a third of each kind), seeded; styles: mixed (1/2), upper (1/4), lower (1/4)."""
    gen = _Gen(seed)
    out: list[dict[str, Any]] = []
    for i in range(n):
        note = _Note()
        (gen.nursing, gen.progress, gen.discharge)[i % 3](note)
        text = "".join(note.parts)
        r = gen.rng.random()
        style = "mixed" if r < 0.5 else ("upper" if r < 0.75 else "lower")
        if style == "upper":
            text = text.upper()
        elif style == "lower":
            text = text.lower()
        spans = [dict(s, value=text[s["start"] : s["end"]]) for s in note.spans]
        wholes = [dict(w, value=text[w["start"] : w["end"]]) for w in note.wholes]
        out.append({"id": f"note-{seed}-{i}", "text": text, "spans": spans, "style": style, "whole": wholes})
    return out


def phi_free(n: int, seed: int = 2) -> list[dict[str, Any]]:
    """PHI-free clinical notes (the same clinical lines, no identifiers), for the altered-text measure."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        text = " ".join(rng.choice(_CLINICAL) for _ in range(rng.randint(3, 8)))
        r = rng.random()
        text = text.upper() if r < 0.25 else (text.lower() if r < 0.5 else text)
        out.append({"id": f"free-{seed}-{i}", "text": text, "spans": []})
    return out


if __name__ == "__main__":
    for rec in corpus(3, seed=1):
        print(rec["text"])
        print([(s["type"], s["value"]) for s in rec["spans"]])
        print("-" * 40)
