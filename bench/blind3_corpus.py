"""Third blind corpus: clinical note types other than nursing notes, with gold PHI spans.

Seeded and deterministic. Note types: discharge summaries, outpatient clinic letters, radiology and pathology
reports, ED triage notes, social work notes, physical therapy notes, medication reconciliation lists, operative
notes and consult requests; each in ALL CAPS, lower case or mixed case. Written without reading the detectors'
rules or data: every name and place below comes from lists in this file.

Gold types (Safe Harbor identifiers): NAME (patients, relatives, staff, initials), LOCATION (facilities, wards,
streets, PO boxes, towns, ZIP codes, schools, employers), DATE (any element of a date but the year alone),
AGE (over 89), PHONE (phone, fax, pager, extension), ID (MRN, accession, account, insurance member ids),
EMAIL. Not gold: a state, a year alone (`in '98`, `since 2015`), ages up to 89, eponyms, doses, scores.

``corpus(n, seed)`` returns records ``{"id", "text", "spans": [{"start", "end", "type", "value", "kind"}],
"style"}``; ``phi_free(n)`` returns notes of the same types with no PHI (spans empty).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from typing import Any

FIRST = [
    "Adaeze", "Oluwaseun", "Chidi", "Kwame", "Abena", "Tendai", "Folasade", "Emeka", "Nnamdi", "Yetunde",
    "Mei", "Jun", "Hiroshi", "Yuki", "Thanh", "Minh", "Ji-woo", "Seo-yeon", "Priyanka", "Arjun", "Ravi",
    "Lakshmi", "Xiaoling", "Wei", "Bao", "Huong", "Anh", "Sunil", "Deepa", "Farida",
    "Guadalupe", "Xochitl", "Jesus", "Maria", "Luz", "Rosario", "Consuelo", "Alejandro", "Marisol", "Yesenia",
    "Eduardo", "Graciela", "Ignacio", "Socorro", "Wojciech", "Agnieszka", "Bogdan", "Radoslaw", "Zuzana",
    "Miroslav", "Svetlana", "Dmitri", "Oksana", "Vasyl", "Jelena", "Goran", "Milena", "Tatiana", "Ludmila",
    "Margaret", "Harold", "Dolores", "Eugene", "Bernadette", "Francis", "Walter", "Gladys", "Clarence",
    "Tamika", "Keisha", "Darnell", "Shanice", "Jamal", "Latoya", "Brianna", "Kayla", "Tyler", "Caitlin",
]
# first names that are also common words (need a cue)
FIRST_WORDS = ["Rose", "Hope", "Joy", "Faith", "Grace", "June", "May", "Will", "Bill", "Art", "Destiny",
               "Summer", "Iris", "Pearl", "Ruby", "Sterling", "Dawn", "Page", "Drew", "Chase", "Grant"]
LAST = [
    "Okonkwo", "Adeyemi", "Mensah", "Boateng", "Nwachukwu", "Chukwu", "Abernathy-Oyelaran", "Diallo",
    "Toure", "Mbeki", "Ngata", "Nguyen", "Tran", "Pham", "Zhang", "Xu", "Tanaka", "Watanabe", "Kim", "Park",
    "Choi", "Patel", "Raghunathan", "Subramanian", "Chatterjee", "Iyer", "Hossain", "Gutierrez", "Alvarado",
    "Villanueva", "Delgado", "Quintero", "Zavala", "Echeverria", "Ocampo", "De la Cruz", "Kowalczyk",
    "Wisniewski", "Grzelak", "Dabrowski", "Novotny", "Horvath", "Petrovic", "Ivanova", "Shevchenko",
    "Kuznetsov", "Popescu", "Jankowski", "O'Sullivan", "McNamara", "Fitzgerald", "Callahan", "Donnelly",
    "Hartwell", "Pemberton", "Whitcomb", "Lindqvist", "Haugen", "Brandt", "Kessler", "Ferreira", "Medeiros",
]
# surnames that are common or clinical words
LAST_WORDS = ["Bell", "Rice", "Wood", "Banks", "Price", "Fish", "Moody", "Baker", "Young", "King", "Cook",
              "Love", "Hill", "Lamb", "Frost", "Stone", "Church", "Wolf", "Hardy", "Bland", "Sharp", "Small",
              "Street", "Lane", "Walker", "Gross", "Blood", "Rash", "Payne", "Swallow"]
STAFF_FIRST = ["Kayla", "Tomasz", "Nkechi", "Bridget", "Hamid", "Soo-jin", "Rosa", "Dariusz", "Imani",
               "Colleen", "Mateo", "Anong", "Precious", "Hope", "Will"]
CREDS = ["MD", "MD, PhD", "DO", "NP", "PA-C", "RN, BSN", "DPT", "PT, DPT", "LICSW", "MSW, LCSW", "PharmD",
         "CRNA", "FNP-BC", "RN", "MD, FACS", "OTR/L"]
HOSPITALS = ["Saint Brendan's Hospital", "Merrimack Valley Medical Center", "Good Samaritan Hospital",
             "Holy Name Medical Center", "Pinecrest Community Hospital", "Norwood General",
             "Carney Memorial", "Lakeside Regional Medical Center", "Mount Auburn Hospital"]
HOSP_ABBR = ["SBH", "MVMC", "GSH", "HNMC", "PCH", "NWG", "LRMC", "CMH", "UMMC", "BMC", "LGH"]
CLINICS = ["Fenway Family Health", "Codman Square Health Center", "Harbor Health Services",
           "East Boston Neighborhood Health", "Dimock Community Health Center", "Riverside Pediatrics"]
NURSING_HOMES = ["Maplewood Manor", "Sunnyside Rehabilitation Center", "Hebrew SeniorLife",
                 "Briarcliff Nursing and Rehab", "Golden Pond Assisted Living", "Oakhurst Care Center",
                 "Marian Manor", "Wingate at Needham", "Kindred Braintree"]
WARDS = ["CC7", "Ellis 4", "Farr 3", "Bigelow 11", "Phillips 6", "Lunder 8", "White 9", "Baker 5", "Wang 3",
         "Blake 12", "Gray 2"]
TOWNS = ["Brockton", "Quincy", "Fall River", "Woonsocket", "Chelsea", "Revere", "Lowell", "Haverhill",
         "Dorchester", "Mattapan", "Attleboro", "Taunton", "Fitchburg", "Methuen", "Pawtucket", "Nashua",
         "Leominster", "Chicopee", "Holyoke", "Westerly", "Biddeford", "Keene", "Framingham", "Marlborough"]
STATES = ["MA", "RI", "NH", "ME", "CT", "VT", "Massachusetts", "Rhode Island"]
STREETS = ["Chestnut Hill Rd", "Elm St", "Washington Street", "Blue Hill Ave", "Columbia Road", "Dudley St",
           "Maple Terrace", "Prospect Hill Dr", "River Street", "Centre St", "Hyde Park Ave", "Adams Ct",
           "Orchard Lane", "Pleasant St", "Boylston Street", "Cottage Pl", "Harrison Blvd", "Via Verde"]
UNITS = ["Apt 3B", "Apt. 12", "Unit 4", "#2", "Suite 210", "Fl 3", "Apt 1R"]
SCHOOLS = ["Lincoln Elementary", "Hawthorne Middle School", "Brighton High School", "Bunker Hill Community College",
           "Saint Clare Academy", "Madison Park Technical"]
EMPLOYERS = ["Stop & Shop", "Dunkin", "Raytheon", "Market Basket", "Boston Public Schools", "the MBTA",
             "Home Depot", "Staples", "Suffolk Downs", "Gillette", "New Balance"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]

_MARK = re.compile("\x01([A-Z]+)\x02([^\x03]*)\x03")


def P(typ: str, value: str) -> str:  # noqa: N802 - a marker, read as a tag in the templates
    return f"\x01{typ}\x02{value}\x03"


class _Gen:
    def __init__(self, rng: random.Random) -> None:
        self.r = rng

    def c(self, xs: list[str]) -> str:
        return self.r.choice(xs)

    # -- names -------------------------------------------------------------------------------------------
    def first(self) -> str:
        return self.c(FIRST_WORDS) if self.r.random() < 0.2 else self.c(FIRST)

    def last(self) -> str:
        return self.c(LAST_WORDS) if self.r.random() < 0.2 else self.c(LAST)

    def full(self) -> str:
        return P("NAME", self.first()) + " " + P("NAME", self.last())

    def doc(self) -> str:
        """A physician with a title in one of its written shapes."""
        ln = self.last()
        k = self.r.randrange(8)
        if k == 0:
            return "Dr. " + P("NAME", ln)
        if k == 1:
            return "Dr " + P("NAME", self.first()) + " " + P("NAME", ln)
        if k == 2:
            return "Dr." + P("NAME", ln)
        if k == 3:
            return "Dr. " + P("NAME", self.first()[0] + ".") + " " + P("NAME", ln)
        if k == 4:
            return "Dr. " + P("NAME", ln) + "/" + P("NAME", self.last())
        if k == 5:
            return P("NAME", self.first()) + " " + P("NAME", ln) + ", " + self.c(["MD", "DO", "MD, PhD"])
        if k == 6:
            return "Dr. " + P("NAME", ln) + " and " + P("NAME", self.last())
        return "Dr " + P("NAME", ln)

    def initials(self) -> str:
        a, b = self.c(FIRST)[0], self.c(LAST)[0]
        return P("NAME", self.c([f"{a}.{b}.", f"{a}{b}", f"{a}. {b}."]))

    def sig(self) -> str:
        return f"{self.full()}, {self.c(CREDS)}"

    # -- places ------------------------------------------------------------------------------------------
    def hosp(self) -> str:
        return P("LOCATION", self.c(HOSPITALS + HOSP_ABBR))

    def town(self) -> str:
        return P("LOCATION", self.c(TOWNS))

    def zip(self) -> str:
        return P("LOCATION", f"0{self.r.randint(1000, 2799)}")

    def address(self) -> str:
        if self.r.random() < 0.2:
            street = f"PO Box {self.r.randint(10, 9999)}"
        else:
            street = f"{self.r.randint(2, 2999)} {self.c(STREETS)}"
            if self.r.random() < 0.6:
                street += self.c([" ", ", "]) + self.c(UNITS)
        return f"{P('LOCATION', street)}, {self.town()}, {self.c(STATES[:6])} {self.zip()}"

    # -- dates, ages -------------------------------------------------------------------------------------
    def date(self) -> str:
        m, d, y = self.r.randint(1, 12), self.r.randint(1, 28), self.r.randint(2012, 2024)
        mon = MONTHS[m - 1]
        shapes = [
            f"{m}/{d}", f"{m}/{d}/{y % 100:02d}", f"{m:02d}/{d:02d}/{y}", f"{y}-{m:02d}-{d:02d}",
            f"{mon[:3]}-{y}", f"{mon} {d}", f"{mon} {d}, {y}", f"{d} {mon[:3]} {y}", f"{d}-{mon[:3]}-{y}",
            f"{mon[:3]} {d}", f"{mon} {d}th", f"{m}-{d}", f"{m}/{y % 100:02d}", f"{mon[:3]}. {d}",
        ]
        return P("DATE", self.c(shapes))

    def old_age(self) -> str:
        a = self.r.randint(90, 104)
        words = {90: "ninety", 91: "ninety-one", 92: "ninety-two", 93: "ninety-three", 94: "ninety-four",
                 95: "ninety-five", 96: "ninety-six", 97: "ninety-seven", 98: "ninety-eight", 99: "ninety-nine"}
        k = self.r.randrange(8)
        if k == 0:
            return P("AGE", str(a)) + " yo"
        if k == 1:
            return P("AGE", str(a)) + "-year-old"
        if k == 2:
            return "age " + P("AGE", str(a))
        if k == 3 and a in words:
            return P("AGE", words[a]) + " year old"
        if k == 4:
            return P("AGE", str(a)) + " y/o"
        if k == 5:
            return P("AGE", str(a)) + self.c(["F", "M", "YOF", "YOM", "yo F"])
        if k == 6:
            return "aged " + P("AGE", str(a))
        return P("AGE", str(a)) + " years old"

    def young_age(self) -> str:
        return f"{self.r.randint(19, 88)}{self.c([' yo', '-year-old', ' y/o', 'M', 'F', ' YOF'])}"

    # -- numbers -----------------------------------------------------------------------------------------
    def phone(self) -> str:
        a, b, c = self.r.randint(201, 989), self.r.randint(200, 999), self.r.randint(0, 9999)
        shapes = [f"({a}) {b}-{c:04d}", f"{a}-{b}-{c:04d}", f"{a}.{b}.{c:04d}", f"{a} {b} {c:04d}",
                  f"{b}-{c:04d}", f"1-{a}-{b}-{c:04d}"]
        return P("PHONE", self.c(shapes))

    def ext(self) -> str:
        n = self.r.randint(1000, 99999)
        return self.c(["ext ", "ext. ", "x", "x "]) + P("PHONE", str(n))

    def pager(self) -> str:
        n = self.r.randint(10000, 99999)
        return self.c(["pager ", "pgr ", "beeper #", "pager #", "p"]) + P(
            "PHONE", self.c([str(n), f"{str(n)[:1]}-{str(n)[1:]}", f"{str(n)[:2]}-{str(n)[2:]}"]))

    def mrn(self) -> str:
        v = self.c([f"{self.r.randint(10**6, 10**8 - 1)}", f"{self.r.randint(100, 999)}-{self.r.randint(10, 99)}"
                    f"-{self.r.randint(10, 99)}", f"00{self.r.randint(10**5, 10**6 - 1)}"])
        return self.c(["MRN ", "MRN: ", "MR# ", "Unit No: "]) + P("ID", v)

    def accession(self) -> str:
        v = self.c([f"RA{self.r.randint(10**6, 10**7 - 1)}", f"S{self.r.randint(10, 24)}-{self.r.randint(1000, 99999)}",
                    f"CT-{self.r.randint(10**5, 10**6 - 1)}", f"{self.r.randint(10**7, 10**8 - 1)}"])
        return self.c(["Accession #: ", "Acc: ", "ACCESSION NO. ", "Case # "]) + P("ID", v)

    def account(self) -> str:
        return self.c(["Acct # ", "Account: ", "FIN "]) + P("ID", str(self.r.randint(10**8, 10**10 - 1)))

    def member(self) -> str:
        letters = "".join(self.c(list("ABCDEFGHJKLMNPQRSTUVWXYZ")) for _ in range(3))
        v = self.c([f"{letters}{self.r.randint(10**8, 10**9 - 1)}", f"{self.r.randint(10**9, 10**10 - 1)}",
                    f"W{self.r.randint(10**7, 10**8 - 1)}{self.c(['01', '02'])}"])
        plan = self.c(["BCBS member ID ", "MassHealth # ", "Medicare ID: ", "Tufts HP ID ", "Policy # "])
        return plan + P("ID", v)

    def email(self) -> str:
        user = self.c(STAFF_FIRST).lower() + "." + re.sub("[^a-z]", "", self.c(LAST).lower())
        return P("EMAIL", user + "@" + self.c(["nwg.org", "sbh-health.org", "mvmc.net"]))

    # -- PHI-free hard text ------------------------------------------------------------------------------
    def clinical(self) -> str:
        return self.c(HARD)


HARD = [
    "Metoprolol tartrate 25 mg PO BID, lisinopril 10 mg daily, atorvastatin 80 mg qHS.",
    "Foley catheter removed, voiding without difficulty.",
    "Babinski downgoing bilaterally. Glasgow Coma Scale 15.",
    "History of Hodgkin lymphoma s/p ABVD x 6 cycles, in remission.",
    "Parkinson disease on carbidopa-levodopa 25/100 mg TID.",
    "Apgar scores 8 and 9. Birth weight 3.2 kg.",
    "BP 142/88, HR 76, RR 16, SpO2 97% on RA, T 98.6.",
    "Wells score 2, low pretest probability. D-dimer 0.42.",
    "ICD-10 I50.32, E11.65, N18.3. CPT 93306.",
    "Na 138, K 4.1, Cl 102, CO2 24, BUN 18, Cr 1.1, glucose 132.",
    "Ejection fraction 35-40%. Moderate MR, mild TR.",
    "Heparin drip per protocol, goal PTT 60-80.",
    "Crohn disease, on infliximab 5 mg/kg q8 weeks.",
    "Bell palsy on the left, resolving.",
    "Graves disease s/p RAI. Levothyroxine 112 mcg daily.",
    "Mallampati II. ASA class 3.",
    "Hgb 9.8, Plt 212, WBC 11.2, INR 1.1.",
    "Strength 4+/5 in bilateral hip flexors, 5/5 elsewhere.",
    "Berg Balance 41/56. TUG 14 seconds. Gait with rolling walker, 150 ft x 2.",
    "Cushing syndrome ruled out, AM cortisol 14.",
    "Tinel and Phalen signs positive at right wrist.",
    "Murphy sign negative. McBurney point nontender.",
    "Homans sign negative. No calf tenderness.",
    "Alzheimer dementia, MMSE 21/30.",
    "Lasix 40 mg IV x1, net negative 1.2 L.",
    "Warfarin 5 mg M/W/F, 2.5 mg other days, INR goal 2-3.",
    "Gleason 3+4=7 adenocarcinoma in 4 of 12 cores.",
    "Ki-67 15%. ER positive, PR negative, HER2 1+.",
    "Nissen fundoplication 2015. Whipple procedure considered.",
    "Braden score 14. Morse fall scale 45.",
    "PHQ-9 of 12, GAD-7 of 8.",
    "Tdap up to date. Flu vaccine given today.",
    "Sliding scale insulin, lispro 4 units with meals.",
    "Roux-en-Y gastric bypass in 2011.",
    "Seen in follow-up for CHF, NYHA class II.",
    "Impression: no acute cardiopulmonary process.",
    "Trendelenburg position, Mayo stand, Bovie cautery.",
    "Kerley B lines, small bilateral effusions.",
    "Chvostek and Trousseau signs absent.",
    "Epley maneuver performed with relief.",
]


def _discharge(g: _Gen) -> str:
    return "\n".join([
        "DISCHARGE SUMMARY",
        f"Patient: {g.full()}   {g.mrn()}   {g.account()}",
        f"Admission Date: {g.date()}   Discharge Date: {g.date()}",
        f"Attending: {g.doc()}",
        f"HPI: {g.old_age() if g.r.random() < 0.5 else g.young_age()} with h/o CAD s/p CABG {g.date()}, "
        f"{g.clinical()} Presented to {g.hosp()} ED after a fall at home.",
        f"Hospital course: {g.clinical()} Seen by cardiology ({g.doc()}). {g.clinical()}",
        f"Disposition: discharged to {P('LOCATION', g.c(NURSING_HOMES))} in {g.town()}. "
        f"Follow up with PCP {g.doc()} at {P('LOCATION', g.c(CLINICS))} on {g.date()}, tel {g.phone()}.",
        f"cc: {g.doc()}; {g.doc()}",
        g.sig(),
    ])


def _letter(g: _Gen) -> str:
    pat = g.full()
    return "\n".join([
        f"{P('LOCATION', g.c(CLINICS))}",
        f"{g.address()}",
        f"Phone {g.phone()}  Fax {g.phone()}",
        g.date(),
        f"Dear Dr. {P('NAME', g.last())},",
        f"Thank you for referring {pat}, a pleasant {g.young_age() if g.r.random() < 0.6 else g.old_age()}, "
        f"whom I saw in clinic on {g.date()}. {g.clinical()} {g.clinical()}",
        f"She lives with her daughter {P('NAME', g.first())} in {g.town()} and was accompanied by her "
        f"{g.c(['son', 'husband', 'niece', 'granddaughter'])} {P('NAME', g.first())}.",
        f"I will see her again on {g.date()}. Please do not hesitate to call me at {g.phone()} {g.ext()}.",
        "Sincerely,",
        g.sig(),
        f"cc: {g.full()}, NP; {g.doc()}",
    ])


def _radiology(g: _Gen) -> str:
    return "\n".join([
        f"EXAM: CT CHEST W/O CONTRAST   {g.accession()}",
        f"PATIENT: {P('NAME', g.last())}, {P('NAME', g.first())}   {g.mrn()}   DOB: {g.date()}",
        f"Ordering: {g.doc()}   Location: {P('LOCATION', g.c(WARDS))}",
        f"COMPARISON: prior study of {g.date()} from {g.hosp()}.",
        f"FINDINGS: {g.clinical()} No pulmonary embolism. Compared with {g.date()}, the nodule is stable.",
        f"IMPRESSION: {g.clinical()}",
        f"Findings discussed with {g.doc()} by phone at 14:32 on {g.date()}, {g.pager()}.",
        f"Dictated by: {g.full()}, MD   Resident: {g.full()}, MD",
    ])


def _pathology(g: _Gen) -> str:
    return "\n".join([
        f"SURGICAL PATHOLOGY REPORT   {g.accession()}",
        f"Name: {P('NAME', g.last().upper())}, {P('NAME', g.first().upper())}   {g.mrn()}   "
        f"Age: {g.old_age() if g.r.random() < 0.3 else g.young_age()}",
        f"Collected: {g.date()}   Received: {g.date()}",
        f"Submitting physician: {g.doc()}   Facility: {g.hosp()}",
        f"FINAL DIAGNOSIS: {g.clinical()}",
        f"Outside consultation slides ({P('ID', 'S' + str(g.r.randint(10, 24)) + '-' + str(g.r.randint(100, 9999)))}) "
        f"reviewed from {g.hosp()}.",
        f"Electronically signed: {g.sig()} {g.date()}",
    ])


def _triage(g: _Gen) -> str:
    age = g.old_age() if g.r.random() < 0.4 else g.young_age()
    return "\n".join([
        f"ED TRIAGE {g.date()} 0215",
        f"{age} BIBA from {P('LOCATION', g.c(NURSING_HOMES))} c/o SOB. {g.clinical()}",
        f"Pt {g.initials()} states symptoms began {g.date()}. {g.clinical()}",
        f"Contact: {g.c(['daughter', 'son', 'wife', 'husband', 'HCP', 'dtr', 'neighbor'])} "
        f"{P('NAME', g.first())} {g.phone()}",
        f"PCP: {g.doc()}. Transferred from {g.hosp()} ED. {g.clinical()}",
        f"Triage RN: {P('NAME', g.c(STAFF_FIRST))} {P('NAME', g.last()[0] + '.')}  ESI 2",
    ])


def _social(g: _Gen) -> str:
    kid = P("NAME", g.first())
    return "\n".join([
        f"SOCIAL WORK NOTE {g.date()}",
        f"SW met with pt and her {g.c(['daughter', 'sister', 'partner', 'son'])} {g.full()} at bedside on "
        f"{P('LOCATION', g.c(WARDS))}.",
        f"Pt lives alone at {g.address()}; previously lived with her brother {P('NAME', g.first())} "
        f"({g.town()}).",
        f"Pt worked at {P('LOCATION', g.c(EMPLOYERS))} for 20 years; grandson {kid} attends "
        f"{P('LOCATION', g.c(SCHOOLS))}.",
        f"SW called {P('LOCATION', g.c(NURSING_HOMES))} at {g.phone()} and left VM for admissions "
        f"coordinator {P('NAME', g.c(STAFF_FIRST))}. {g.member()}.",
        f"HCP is son {P('NAME', g.first().lower() if g.r.random() < 0.3 else g.first())}, cell {g.phone()}. "
        f"Pt moved from {g.town()} in '98.",
        f"{P('NAME', g.c(STAFF_FIRST))} {P('NAME', g.last())}, {g.c(['LICSW', 'MSW, LCSW'])} {g.pager()}",
    ])


def _pt(g: _Gen) -> str:
    return "\n".join([
        f"PHYSICAL THERAPY EVALUATION   DOS {g.date()}",
        f"Pt seen on {P('LOCATION', g.c(WARDS))} per consult from {g.doc()}. {g.clinical()}",
        f"Prior level of function: lives in 2nd floor walkup in {g.town()} with wife {P('NAME', g.first())}; "
        f"worked as a driver for {P('LOCATION', g.c(EMPLOYERS))}.",
        f"{g.clinical()} {g.clinical()}",
        f"Plan: d/c to {P('LOCATION', g.c(NURSING_HOMES))} vs home with services. Discussed with RN "
        f"{P('NAME', g.c(STAFF_FIRST))}.",
        f"{P('NAME', g.c(STAFF_FIRST))} {P('NAME', g.last())}, {g.c(['DPT', 'PT, DPT', 'PTA'])} {g.ext()}",
    ])


def _medrec(g: _Gen) -> str:
    lines = [f"MEDICATION RECONCILIATION {g.date()}   {g.mrn()}",
             f"Source: pt's pharmacy ({P('LOCATION', g.c(['CVS', 'Walgreens', 'Rite Aid']) + ' ' + g.c(STREETS))}"
             f", {g.phone()}) and dtr {P('NAME', g.first())}."]
    for _ in range(g.r.randint(3, 6)):
        lines.append("- " + g.c(HARD[:2] + [
            "Apixaban 5 mg PO BID", "Metformin 1000 mg BID", "Gabapentin 300 mg TID", "Omeprazole 20 mg daily",
            "Tamsulosin 0.4 mg qHS", "Albuterol MDI 2 puffs q4h PRN", "Sertraline 50 mg daily",
        ]))
    lines.append(f"Last fill {g.date()}. Prescriber {g.doc()}. Reviewed by {g.full()}, PharmD.")
    return "\n".join(lines)


def _operative(g: _Gen) -> str:
    return "\n".join([
        f"OPERATIVE NOTE   Date of surgery: {g.date()}",
        f"Surgeon: {g.doc()}",
        f"Assistant: {g.full()}, PA-C",
        f"Anesthesia: {g.full()}, MD / {P('NAME', g.first())} {P('NAME', g.last())}, CRNA",
        f"Preoperative diagnosis: {g.clinical()}",
        f"Procedure: laparoscopic cholecystectomy at {g.hosp()}, OR 7. {g.clinical()}",
        f"Findings: {g.clinical()} EBL 50 mL. Specimen to pathology ({g.accession()}).",
        f"Dr. {P('NAME', g.last())} was present and scrubbed for the entire case.",
    ])


def _consult(g: _Gen) -> str:
    return "\n".join([
        f"CONSULT REQUEST {g.date()}",
        f"To: {g.c(['Nephrology', 'ID', 'GI', 'Palliative care'])}   From: {g.doc()} {g.pager()}",
        f"Pt: {g.full()}, {g.old_age() if g.r.random() < 0.5 else g.young_age()}, {g.mrn()}, room 1142 on "
        f"{P('LOCATION', g.c(WARDS))}.",
        f"Question: {g.clinical()} Previously followed by {g.doc()} at {g.hosp()} until {g.date()}.",
        f"Please call {P('NAME', g.c(STAFF_FIRST))} at {g.phone()} or email {g.email()}.",
    ])


NOTE_TYPES: list[tuple[str, Callable[[_Gen], str]]] = [
    ("discharge", _discharge), ("letter", _letter), ("radiology", _radiology), ("pathology", _pathology),
    ("triage", _triage), ("social", _social), ("pt", _pt), ("medrec", _medrec), ("operative", _operative),
    ("consult", _consult),
]


def _finish(marked: str, style: str) -> tuple[str, list[dict[str, Any]]]:
    out: list[str] = []
    spans: list[dict[str, Any]] = []
    pos = 0
    n = 0
    for m in _MARK.finditer(marked):
        out.append(marked[pos : m.start()])
        n += m.start() - pos
        value = m.group(2)
        spans.append({"start": n, "end": n + len(value), "type": m.group(1), "value": value, "kind": "doc"})
        out.append(value)
        n += len(value)
        pos = m.end()
    out.append(marked[pos:])
    plain = "".join(out)
    text = plain.upper() if style == "upper" else plain.lower() if style == "lower" else plain
    assert len(text) == len(plain) and text.isascii()  # case changes keep every offset
    for s in spans:
        s["value"] = text[s["start"] : s["end"]]
    return text, spans


def _style(rng: random.Random) -> str:
    return rng.choice(["upper", "lower", "mixed", "mixed"])


def corpus(n: int = 300, seed: int = 41) -> list[dict[str, Any]]:
    """``n`` notes with gold PHI spans, cycling through the note types."""
    rng = random.Random(seed)
    g = _Gen(rng)
    recs = []
    for i in range(n):
        kind, make = NOTE_TYPES[i % len(NOTE_TYPES)]
        style = _style(rng)
        text, spans = _finish(make(g), style)
        recs.append({"id": f"blind3-{seed}-{i}", "text": text, "spans": spans, "style": f"{kind}/{style}"})
    return recs


_FREE = [
    "RADIOLOGY: CHEST PA AND LATERAL. {h} {h} Heart size normal. Compared with prior study, no change.",
    "PT progress: {h} {h} Pt ambulated with RW and CGA. Plan to continue PT 5x/week.",
    "Medication list reviewed: {h} {h} Patient reports taking all medications as prescribed.",
    "Operative findings: {h} {h} The patient tolerated the procedure well and was taken to PACU in stable condition.",
    "Discharge instructions: {h} {h} Return to the ED for chest pain, fever over 101.5, or bleeding.",
    "Pathology gross description: received in formalin, a 3.2 x 2.1 x 1.0 cm tan ellipse. {h} {h}",
    "ED triage: {a} with chest pain since this morning. {h} {h} ESI 3.",
    "Social work: pt lives with family in a single-family home, independent in ADLs. {h} Has a PCP. {h}",
    "Consult question: {h} Please evaluate and recommend. {h}",
    "Clinic follow-up: {h} {h} Diagnosed in 2016; started insulin in '19. Return in 3 months.",
]


def phi_free(n: int = 100, seed: int = 43) -> list[dict[str, Any]]:
    """Notes of the same types with no PHI: eponyms, doses, scores, ranges, codes, ages under 90, years alone."""
    rng = random.Random(seed)
    g = _Gen(rng)
    recs = []
    for i in range(n):
        t = _FREE[i % len(_FREE)].format(h="{h}", a=g.young_age())
        while "{h}" in t:
            t = t.replace("{h}", g.clinical(), 1)
        style = _style(rng)
        text = t.upper() if style == "upper" else t.lower() if style == "lower" else t
        recs.append({"id": f"blind3-free-{seed}-{i}", "text": text, "spans": [], "style": style})
    return recs
