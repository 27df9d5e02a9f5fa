"""PHI-free clinical notes: a seeded, deterministic corpus for measuring over-redaction.

Every note holds no Safe Harbor identifier, so any character a detector redacts is a false positive. The notes
are written to hold the shapes that look like PHI and are not: eponymous signs, tests, devices, procedures,
scales and diseases (``Allen test``, ``Swan-Ganz``, ``Murphy's sign``, ``Roux-en-Y``); brand and generic drugs;
generically named units and services (``THE UNIT``, ``CATH LAB``, ``PACU``, ``REHAB``); time, dose, range and
ventilator shapes (``Q4-6H``, ``120-150``, ``12/10/40%``, ``5/325``, ``TV 500 X 14``); and clinical words after
cue words that in other notes precede a name or a place (``SENT TO CT``, ``FROM PACU``, ``SEEN BY PT/OT``,
``CALLED HO``, ``DR AWARE``, ``WIFE AWARE``). Note kinds: ICU nursing system notes, progress notes, discharge
instructions, medication lists, lab/vitals lines and ventilator settings. Each note is ALL CAPS, lower case or
mixed case (as written).

``phi_free(n, seed)`` returns records ``{"id", "text", "spans": [], "style", "kind"}``. Written without reading
the detectors' rules or data lists.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

# fmt: off

EPONYMS = [
    "Allen test", "Babinski sign", "negative Babinski", "Swan-Ganz catheter", "Swan", "Foley catheter", "Foley",
    "Hickman line", "Glasgow coma scale", "Braden score", "Morse fall score", "Murphy's sign", "Homans sign",
    "Trendelenburg position", "reverse Trendelenburg", "Whipple procedure", "s/p Whipple", "Nissen fundoplication",
    "Hartmann pouch", "Billroth II", "Roux-en-Y gastric bypass", "Kussmaul respirations", "Cheyne-Stokes breathing",
    "Parkinson's disease", "Crohn's disease", "Addison's disease", "Graves' disease", "Wernicke encephalopathy",
    "Korsakoff syndrome", "Bell's palsy", "Gram stain", "gram positive cocci", "Chvostek sign", "Trousseau sign",
    "Kernig sign", "Brudzinski sign", "Romberg", "Cushing's triad", "Levine sign", "Beck's triad", "McBurney point",
    "Rovsing sign", "Grey Turner sign", "Cullen sign", "Richmond agitation sedation scale", "RASS -2",
    "Ramsay score", "Apgar", "Denver shunt", "Jackson-Pratt drain", "JP drain", "Penrose drain", "Blake drain",
    "Hemovac", "Pleur-evac", "Salem sump", "Dobhoff", "Miami J collar", "Philadelphia collar", "Ambu bag",
    "Yankauer suction", "Luer lock", "Groshong", "Port-a-Cath", "Quinton catheter", "Mahurkar", "Tenckhoff",
    "Sengstaken-Blakemore tube", "Minnesota tube", "Bair Hugger", "Kerlix", "Tegaderm", "Xeroform", "Coban",
    "Ace wrap", "Unna boot", "Jobst stockings", "Pneumoboots", "Venodyne", "Hoyer lift", "Stryker frame",
    "Clinitron bed", "Posey vest", "Stokes-Adams attack", "Wolff-Parkinson-White", "Mobitz II", "Wenckebach",
    "Brugada pattern", "Osborn waves", "Kerley B lines", "Guillain-Barre", "Hodgkin lymphoma", "Hashimoto",
    "Raynaud phenomenon", "Sjogren syndrome", "Barrett esophagus", "Mallory-Weiss tear", "Zenker diverticulum",
    "Meckel diverticulum", "Hirschsprung", "Tourette", "Alzheimer dementia", "Huntington chorea", "Lou Gehrig",
    "Marfan habitus", "Down syndrome", "Klebsiella", "Pseudomonas", "Clostridium difficile", "C diff",
    "Epstein-Barr", "Coombs test", "Tensilon test", "Schilling test", "Weber test", "Rinne test", "Snellen chart",
    "Lachman test", "McMurray test", "Phalen test", "Tinel sign", "Finkelstein test", "Thompson test",
    "Waddell signs", "Mallampati 2", "Child-Pugh B", "MELD 22", "Ranson criteria", "Wells score 4",
    "Duke criteria", "Killip class II", "NYHA class III", "Gleason 7", "Breslow depth", "Clark level",
    "Karnofsky 70", "Bishop score", "Pfannenstiel incision", "Kocher incision", "Chevron incision",
    "Hartmann's procedure", "Bankart repair", "Colles fracture", "Smith fracture", "Jones fracture",
    "Monteggia", "Galeazzi", "Baker's cyst", "Dupuytren", "Heberden nodes", "Bouchard nodes", "Austin Flint murmur",
    "Graham Steell murmur", "Carey Coombs", "Osler nodes", "Janeway lesions", "Roth spots", "Virchow node",
    "Sister Mary Joseph node", "Horner syndrome", "Argyll Robertson pupil", "Adie pupil", "Todd paralysis",
    "Broca aphasia", "Wernicke aphasia", "Jacksonian march", "Lhermitte sign", "Uhthoff", "Cheyne Stokes",
    "Biot respirations", "Kehr sign", "Murphy sign", "Blumberg sign", "Howship-Romberg", "Chadwick sign",
    "Hegar sign", "Goodell sign", "Leopold maneuvers", "Ortolani", "Barlow", "Moro reflex", "Heimlich",
    "Valsalva", "Sellick maneuver", "Epley maneuver", "Dix-Hallpike", "Fick", "Starling", "Frank-Starling",
    "Bernoulli", "Poiseuille", "Korotkoff sounds", "Austin Moore prosthesis", "Harrington rod", "Ilizarov frame",
    "Steinmann pin", "Kirschner wire", "Buck's traction", "Russell traction", "Bryant traction", "Halo vest",
    "Gardner-Wells tongs", "Thomas splint", "Sugar-tong splint", "Boston brace", "Milwaukee brace",
    "Jewett brace", "Aspen collar", "Mayo stand", "Bovie", "Doppler", "Holter monitor", "Zio patch",
    "Impella", "LVAD", "ECMO", "Levophed", "Swan numbers", "Berlin criteria", "Wilson disease", "Paget disease",
    "Peyronie", "Reiter syndrome", "Still disease", "Kawasaki", "Takayasu", "Behcet", "Wegener", "Churg-Strauss",
    "Goodpasture", "Alport", "Fanconi", "Bartter", "Conn syndrome", "Zollinger-Ellison", "Budd-Chiari",
    "Boerhaave", "Plummer-Vinson", "Peutz-Jeghers", "Lynch syndrome", "Ewing sarcoma", "Wilms tumor",
    "Burkitt", "Kaposi sarcoma", "Waldenstrom", "Bence Jones protein", "Auer rods", "Reed-Sternberg",
    "Howell-Jolly bodies", "Heinz bodies", "Charcot foot", "Charcot-Marie-Tooth", "Babinski upgoing",
    "Glasgow 15", "Braden 14", "Morse 45", "Ranson 3", "Apgars 8 and 9",
]
DRUGS = [
    "Lasix", "furosemide", "Levophed", "norepinephrine", "vasopressin", "Neo", "phenylephrine", "propofol",
    "Diprivan", "fentanyl", "versed", "midazolam", "Precedex", "dexmedetomidine", "Ativan", "lorazepam", "Haldol",
    "Zyprexa", "Seroquel", "heparin", "Lovenox", "enoxaparin", "Coumadin", "warfarin", "Eliquis", "Xarelto",
    "Plavix", "aspirin", "ASA", "Lipitor", "atorvastatin", "metoprolol", "Lopressor", "Toprol XL", "labetalol",
    "hydralazine", "Cardizem", "diltiazem", "amiodarone", "digoxin", "Zosyn", "vancomycin", "vanco", "Flagyl",
    "cefepime", "ceftriaxone", "Rocephin", "Levaquin", "Cipro", "Bactrim", "Diflucan", "Protonix", "pantoprazole",
    "Pepcid", "Zofran", "Reglan", "Colace", "senna", "Dulcolax", "lactulose", "Miralax", "insulin gtt",
    "Lantus", "Humalog", "regular insulin SS", "Percocet", "Vicodin", "Dilaudid", "morphine", "Tylenol",
    "acetaminophen", "Motrin", "Toradol", "Neurontin", "gabapentin", "Keppra", "Dilantin", "Solu-Medrol",
    "prednisone", "hydrocortisone", "Albuterol", "Atrovent", "DuoNeb", "Combivent", "Spiriva", "Advair",
    "KCl", "K-Dur", "Mag oxide", "calcium gluconate", "NaHCO3", "D50", "Narcan", "Ambien", "Benadryl",
    "Lexapro", "Zoloft", "Synthroid", "Norvasc", "lisinopril", "Zestril", "Cozaar", "Aldactone", "Bumex",
    "Zaroxolyn", "nitro gtt", "Nitropaste", "Integrilin", "tPA", "Activase", "Kayexalate", "sevelamer",
    "Renvela", "Epogen", "Procrit", "Neupogen", "FFP", "PRBC", "albumin 25%", "Nepro", "Jevity", "Promote",
    "Glucerna", "Ensure", "TPN", "Intralipid", "0.9NS", "LR", "D5W", "D5 1/2NS",
]
UNITS = [
    "THE UNIT", "the floor", "CATH LAB", "PACU", "OR", "ED", "REHAB", "HOSPICE", "PHARMACY", "MICU", "SICU",
    "CCU", "CVICU", "NICU", "TSICU", "step-down", "stepdown unit", "telemetry", "tele", "the ICU", "IR",
    "interventional radiology", "CT", "MRI", "nuclear medicine", "endoscopy", "GI lab", "dialysis", "HD unit",
    "the ER", "triage", "radiology", "echo lab", "EP lab", "pre-op holding", "the vascular lab", "PT gym",
    "blood bank", "central supply", "the lab", "respiratory therapy", "home", "a SNF", "LTAC", "acute rehab",
    "outpatient clinic", "wound clinic", "the nursing home", "the medical floor", "surgical floor", "OB",
    "L&D", "psych", "inpatient psych", "the burn unit", "the trauma bay", "cardiology clinic", "neuro ICU",
]
TEAMS = [
    "PT", "OT", "PT/OT", "SLP", "speech", "RT", "SW", "social work", "case management", "CM", "nutrition",
    "dietary", "pharmacy", "chaplain", "pastoral care", "palliative care", "ID", "renal", "nephrology", "cards",
    "cardiology", "neuro", "neurosurgery", "GI", "surgery", "ortho", "plastics", "urology", "derm", "psych",
    "heme/onc", "the team", "the resident", "the fellow", "the attending", "HO", "NP", "PA", "MD", "the intern",
    "wound care", "IV team", "the rapid response team", "anesthesia", "the night float", "micu team",
]
AWARE = [
    "DR AWARE", "MD AWARE", "HO AWARE", "NP AWARE", "TEAM AWARE", "WIFE AWARE", "HUSBAND AWARE", "FAMILY AWARE",
    "DAUGHTER AWARE", "SON AWARE", "RESIDENT AWARE", "FELLOW AWARE", "CHARGE RN AWARE", "ATTENDING AWARE",
    "PHARMACY AWARE", "RT AWARE",
]
FAMILY = ["wife", "husband", "daughter", "son", "sister", "brother", "mother", "father", "family", "HCP",
          "health care proxy", "niece", "nephew", "grandson", "granddaughter", "partner", "friend", "dtr", "guardian"]
ABBREV = [
    "NAD", "A&O X3", "A+OX3", "AAOX3", "PERRLA", "MAE", "CTA", "RRR", "S1S2", "NABS", "BS+", "NT/ND", "BLE",
    "BUE", "MAE X4", "CMS intact", "DP/PT pulses 2+", "DOE", "SOB", "CP", "N/V", "BM", "OOB", "OOB TO CHAIR",
    "HOB 30", "NPO", "NPO P MN", "DNR/DNI", "FULL CODE", "CMO", "PRN", "QHS", "BID", "TID", "QID", "AC/HS",
    "I/O", "UO", "UOP", "LOS", "c/o", "s/p", "w/u", "f/u", "r/o", "h/o", "d/c", "d/c'd", "c/d/i", "WNL",
    "CXR", "KUB", "ABG", "VBG", "CBC", "BMP", "LFTs", "PT/INR", "PTT", "TSH", "UA", "C&S", "BCx", "UCx",
    "EKG", "ECHO", "TTE", "TEE", "EGD", "ERCP", "PEG", "PICC", "TLC", "A-LINE", "ART LINE", "ETT", "OGT",
    "NGT", "DHT", "FOLEY", "CVVH", "CVVHDF", "CRRT", "BIPAP", "CPAP", "NRB", "FM", "VM", "HFNC", "NC",
    "TRACH", "PMV", "SBT", "RSBI", "VAP", "CAUTI", "CLABSI", "MRSA", "VRE", "ESBL", "CDIFF", "DVT", "PE",
    "CHF", "COPD", "CAD", "CABG", "AVR", "MVR", "PCI", "DES", "STEMI", "NSTEMI", "AFIB", "RVR", "SVT", "VT",
    "VF", "PEA", "ROSC", "CPR", "ACLS", "ICD", "PPM", "AICD", "ARDS", "ARF", "AKI", "CKD", "ESRD", "DKA",
    "HHS", "SIRS", "UTI", "PNA", "HAP", "CAP", "ICH", "SAH", "SDH", "CVA", "TIA", "GCS", "EVD", "ICP", "CPP",
]


def _vitals(r: random.Random) -> str:
    sbp, dbp = r.randint(88, 170), r.randint(40, 95)
    return r.choice([
        f"HR {r.randint(55, 130)} {r.choice(['SR', 'ST', 'AFIB', 'NSR', 'SB'])}, BP {sbp}/{dbp}, "
        f"RR {r.randint(12, 32)}, "
        f"SPO2 {r.randint(88, 100)}%, T {r.randint(97, 102)}.{r.randint(0, 9)}",
        f"VS: {sbp}/{dbp} {r.randint(55, 130)} {r.randint(12, 32)} {r.randint(90, 100)}% on {r.randint(2, 6)}L NC",
        f"SBP {sbp - 20}-{sbp + 10}, HR {r.randint(60, 90)}-{r.randint(91, 130)}, MAP >{r.choice([60, 65, 70])}",
        f"CVP {r.randint(4, 18)}, PAP {r.randint(25, 60)}/{r.randint(10, 30)}, CO {r.randint(3, 7)}.{r.randint(0, 9)}, "
        f"CI {r.randint(1, 4)}.{r.randint(0, 9)}, SVR {r.randint(600, 1800)}, WEDGE {r.randint(8, 25)}",
        f"TMAX {r.randint(99, 103)}.{r.randint(0, 9)}, TC {r.randint(97, 100)}.{r.randint(0, 9)}, "
        f"BP {sbp}/{dbp} ({sbp - 30}-{sbp + 15}/{dbp - 10}-{dbp + 10})",
        f"I/O {r.randint(800, 3500)}/{r.randint(300, 2500)}, UO {r.randint(20, 150)}-{r.randint(151, 300)} CC/HR",
        f"BP {sbp}/{dbp} HR {r.randint(55, 130)} RR {r.randint(12, 32)} O2 SAT {r.randint(88, 100)}% RA",
    ])


def _vent(r: random.Random) -> str:
    return r.choice([
        f"VENT: AC {r.choice([400, 450, 500, 550])} X {r.randint(10, 20)}, PEEP {r.choice([5, 8, 10, 12])}, "
        f"FIO2 {r.choice([35, 40, 50, 60, 100])}%",
        f"CPAP/PS {r.choice([5, 8, 10, 12])}/{r.choice([5, 8])}, FIO2 .{r.choice([35, 4, 5])}, "
        f"RSBI {r.randint(30, 120)}",
        f"TV {r.choice([400, 450, 500])} X {r.randint(10, 20)}, PEEP {r.choice([5, 8, 10])}",
        f"ON {r.choice([10, 12, 15])}/{r.choice([5, 8, 10])}/{r.choice([40, 50])}%",
        f"PSV {r.choice([10, 12, 15])}/{r.choice([5, 8])} 40%, TV {r.randint(300, 600)}'S, RR {r.randint(14, 30)}",
        f"ABG {r.choice(['7.32', '7.38', '7.41', '7.29'])}/{r.randint(32, 60)}/{r.randint(60, 140)}/"
        f"{r.randint(18, 30)}/{r.choice(['-2', '0', '+1', '-4'])}",
        f"BIPAP {r.choice([10, 12, 14])}/{r.choice([5, 6, 8])} FIO2 {r.choice([40, 50])}%",
        f"SIMV {r.choice([10, 12])}/{r.choice([500, 550])}/{r.choice([5, 8])}/{r.choice([40, 50])}% "
        f"PS {r.choice([5, 10])}",
        f"PIP {r.randint(18, 40)}, PLATEAU {r.randint(15, 32)}, MV {r.randint(6, 14)}.{r.randint(0, 9)}L",
        f"weaned to {r.choice([35, 40])}% face tent, sats {r.randint(92, 99)}-{r.randint(98, 100)}%",
    ])


def _labs(r: random.Random) -> str:
    return r.choice([
        f"K {r.randint(3, 5)}.{r.randint(0, 9)}, CA {r.randint(7, 10)}.{r.randint(0, 9)}, "
        f"MG {r.randint(1, 2)}.{r.randint(0, 9)}, PHOS {r.randint(2, 5)}.{r.randint(0, 9)}",
        f"NA {r.randint(128, 148)} K {r.randint(3, 5)}.{r.randint(0, 9)} CL {r.randint(95, 112)} "
        f"CO2 {r.randint(18, 30)} BUN {r.randint(8, 80)} CR {r.randint(0, 4)}.{r.randint(0, 9)} "
        f"GLU {r.randint(70, 320)}",
        f"WBC {r.randint(3, 25)}.{r.randint(0, 9)} HCT {r.randint(21, 45)}.{r.randint(0, 9)} "
        f"PLT {r.randint(40, 450)}",
        f"INR {r.randint(1, 3)}.{r.randint(0, 9)}, PTT {r.randint(25, 90)}.{r.randint(0, 9)}",
        f"LACTATE {r.randint(0, 6)}.{r.randint(0, 9)}, TROP {r.choice(['<0.01', '0.04', '0.12', '1.3'])}, "
        f"CK {r.randint(40, 900)}",
        f"FS {r.randint(80, 140)}-{r.randint(141, 320)}, covered per RISS",
        f"K {r.randint(3, 4)}.{r.randint(0, 9)}, repleted with {r.choice([20, 40])} MEQ KCL",
        f"HCT {r.randint(22, 30)}.{r.randint(0, 9)} -> {r.randint(24, 32)}.{r.randint(0, 9)} after 1 U PRBC",
        f"LFTS: ALT {r.randint(10, 300)} AST {r.randint(10, 300)} ALK PHOS {r.randint(50, 400)} "
        f"TBILI {r.randint(0, 9)}.{r.randint(0, 9)}",
    ])


def _dose(r: random.Random) -> str:
    d = r.choice(DRUGS)
    return r.choice([
        f"{d} {r.choice([0.5, 1, 2, 5, 10, 20, 40, 80])} MG IV Q{r.choice(['4', '6', '8', '12', '4-6', '6-8'])}H PRN",
        f"{d} gtt @ {r.randint(1, 20)} mcg/kg/min",
        f"{d} {r.choice(['5/325', '10/325', '7.5/500'])} 1-2 tabs PO Q4-6H PRN pain",
        f"{d} {r.choice([25, 50, 100])} mcg/hr",
        f"{d} {r.choice([12.5, 25, 50])} PO BID, hold for SBP <{r.choice([90, 100])} or HR <{r.choice([55, 60])}",
        f"0.9NS @ {r.choice([75, 100, 125, 150])}cc/hr",
        f"{d} {r.choice([500, 1000])} MG IV X1",
        f"{d} {r.randint(2, 20)} units SC QHS",
        f"{d} titrated {r.randint(1, 5)}-{r.randint(6, 20)} mcg/min",
        f"{d} {r.choice([1, 2])} G IV Q{r.choice([8, 12, 24])}H, day {r.randint(2, 14)}/{r.choice([7, 10, 14])}",
        f"{d} {r.choice([10, 20])}MEQ PO X {r.choice([2, 3])} doses",
    ])


def _times(r: random.Random) -> str:
    return r.choice([
        f"at {r.randint(0, 23):02d}{r.choice(['00', '15', '30', '45'])}",
        f"@ {r.randint(1, 12)}{r.choice(['AM', 'PM', 'am', 'pm'])}",
        f"from {r.randint(7, 11)}-{r.randint(1, 6)}",
        f"{r.choice(['0700', '1900', '2300', '1500'])}-{r.choice(['0700', '1900', '1100', '0300'])}",
        f"x {r.randint(2, 48)} hrs",
        f"over {r.randint(2, 6)}-{r.randint(7, 12)} hours",
        f"Q{r.choice([1, 2, 4])}H",
        f"q {r.choice([15, 30])} min",
        f"POD #{r.randint(1, 9)}",
        f"HD #{r.randint(1, 20)}",
        f"day {r.randint(1, 9)} of {r.randint(10, 14)}",
    ])


def _cue_line(r: random.Random) -> str:
    u, t = r.choice(UNITS), r.choice(TEAMS)
    return r.choice([
        f"PT TO {r.choice(['OR', 'CT', 'MRI', 'IR', 'CATH LAB', 'ENDOSCOPY', 'DIALYSIS', 'ECHO'])} "
        f"{r.choice(['THIS AM', 'AT NOON', 'TOMORROW', 'LATER TODAY', 'FOR PROCEDURE'])}",
        f"SENT TO {r.choice(['CT', 'MRI', 'US', 'XRAY', 'IR', 'THE LAB', 'PATHOLOGY'])} for {r.choice(ABBREV)}",
        f"transferred from {u} {r.choice(['overnight', 'this am', 'at 1400', 'after extubation', 's/p CABG'])}",
        f"ARRIVED FROM {r.choice(['PACU', 'OR', 'ED', 'CATH LAB', 'IR', 'THE FLOOR', 'REHAB', 'HOSPICE'])} "
        f"{r.choice(['AT 1600', 'INTUBATED', 'ON LEVOPHED', 'VIA STRETCHER', 'WITH RN'])}",
        f"SEEN BY {t} {r.choice(['TODAY', 'THIS AM', 'WILL FOLLOW', 'RECS APPRECIATED', 'PER NOTE'])}",
        f"CALLED {r.choice(['HO', 'MD', 'NP', 'RESIDENT', 'FELLOW', 'RAPID RESPONSE', 'PHARMACY', 'LAB'])}"
        f" RE: {r.choice(['HYPOTENSION', 'K 3.1', 'LOW UO', 'AGITATION', 'FEVER', 'CHEST PAIN'])}",
        f"{r.choice(AWARE)} OF {r.choice(['LABS', 'BP', 'PLAN', 'CHANGES', 'TRANSFER', 'FEVER', 'GOALS'])}",
        f"{r.choice(AWARE)}.",
        f"d/w {t}, plan to {r.choice(['diurese', 'wean', 'extubate', 'transfuse', 'cont current plan'])}",
        f"will transfer to {u} when bed available",
        f"discharged to {r.choice(['home', 'home with VNA', 'rehab', 'a SNF', 'LTAC', 'hospice'])}",
        f"to {u} for {r.choice(['PEG', 'bronch', 'EGD', 'TEE', 'cardioversion', 'CT head', 'HD'])} "
        f"{r.choice(['today', 'tomorrow', 'in am', 'at 10'])}",
        f"returned from {u} {r.choice(['stable', 'sedated', 'awake', 'on 4L NC'])}",
        f"per {t}, {r.choice(['hold tube feeds', 'ok to eat', 'keep NPO', 'no heparin', 'ok to shower'])}",
        f"{r.choice(FAMILY)} "
        f"{r.choice(['in to visit', 'called for update', 'at bedside', 'updated by RN', 'aware of plan'])}",
        f"{r.choice(FAMILY)} {r.choice(['updated', 'visiting', 'aware'])}, "
        f"{r.choice(['questions answered', 'supportive', 'very involved'])}",
        f"report given to {r.choice(['RN', 'receiving RN', 'PACU RN', 'floor RN', 'oncoming RN', 'charge nurse'])}",
        f"moved to room without window, {r.choice(['bed alarm on', 'fall precautions', 'sitter at bedside'])}",
        f"CASE D/W {r.choice(['CARDS', 'SURGERY', 'RENAL', 'ID', 'NEURO'])} FELLOW",
        f"consult {r.choice(['placed', 'called', 'pending'])} to {t}",
        f"Dr. aware, will {r.choice(['reassess', 'order CXR', 'give lasix', 'check lytes'])}",
        f"plan: OOB to chair, {r.choice(['ambulate', 'IS', 'cough and deep breathe', 'PT eval'])}",
        f"ST. {r.choice(['ELEVATION', 'DEPRESSION', 'SEGMENT CHANGES'])} NOTED IN LEADS "
        f"{r.choice(['II, III, AVF', 'V1-V4', 'I, AVL'])}",
    ])


def _eponym_line(r: random.Random) -> str:
    e = r.choice(EPONYMS)
    return r.choice([
        f"{e} {r.choice(['positive', 'negative', 'noted', 'done', 'in place', 'intact', 'present'])}",
        f"{r.choice(['positive', 'negative', '+', '(-)', 'no', 'h/o', 's/p', 'w/'])} {e}",
        f"{e} checked prior to ABG",
        f"{r.choice(['hx of', 'pmh:', 'known'])} {e}, {r.choice(ABBREV)}",
        f"{e}; {r.choice(EPONYMS)}",
        f"{e} per {r.choice(TEAMS)}",
        f"{e}, {r.choice(EPONYMS)} and {r.choice(DRUGS)}",
    ])


def _nursing(r: random.Random) -> str:
    parts = [
        f"NEURO: {r.choice(['A&O X3', 'SEDATED ON PROPOFOL', 'RASS 0', 'MAE', 'GCS 11T', 'PERRL 3MM BRISK'])}, "
        f"{_eponym_line(r)}.",
        f"CV: {_vitals(r)}. {r.choice(['NO ECTOPY', 'RARE PVCS', 'AFIB RVR TO 140S'])}. {_dose(r)}.",
        f"RESP: {_vent(r)}. {r.choice(['LS CLEAR', 'COARSE BIBASILAR', 'DIMINISHED BASES', 'RHONCHI'])}. "
        f"SX FOR {r.choice(['SMALL', 'MOD', 'COPIOUS'])} {r.choice(['THICK TAN', 'WHITE', 'BLOOD TINGED'])} SPUTUM.",
        f"GI/GU: {r.choice(['ABD SOFT', 'NABS', 'DISTENDED'])}. TF {r.choice(DRUGS[-12:])} @ {r.randint(10, 80)} CC/HR "
        f"(GOAL {r.randint(40, 90)}). FOLEY DRAINING {r.randint(20, 150)}-{r.randint(151, 300)} CC/HR.",
        f"ID: TMAX {r.randint(99, 102)}.{r.randint(0, 9)}, ON {r.choice(DRUGS)} AND {r.choice(DRUGS)}. {_labs(r)}.",
        f"SKIN: BRADEN {r.randint(9, 20)}, {r.choice(['COCCYX INTACT', 'STAGE II SACRUM', 'DUODERM TO HEELS'])}.",
        f"SOCIAL: {_cue_line(r)}.",
        f"PLAN: {_cue_line(r)}. {_cue_line(r)}.",
    ]
    r.shuffle(parts)
    return " ".join(parts[: r.randint(4, len(parts))])


def _progress(r: random.Random) -> str:
    return (
        f"S: {r.choice(['no acute events overnight', 'c/o pain 6/10', 'slept well', 'agitated overnight'])}. "
        f"{_cue_line(r)}.\nO: {_vitals(r)}. {_labs(r)}. {_labs(r)}.\nExam: {r.choice(ABBREV)}, {r.choice(ABBREV)}, "
        f"{_eponym_line(r)}.\nA/P: {r.choice(ABBREV)} {r.choice(['improving', 'stable', 'worse'])}. {_dose(r)}. "
        f"{_eponym_line(r)}. {_cue_line(r)}. {_times(r)}."
    )


def _discharge(r: random.Random) -> str:
    return (
        f"Discharge instructions: take {_dose(r)}. "
        f"{r.choice(['Call your doctor', 'Return to the ED', 'Call the clinic'])}"
        f" if temp > 101.5, {r.choice(['chest pain', 'shortness of breath', 'bleeding', 'redness at the incision'])}. "
        f"Follow up with {r.choice(TEAMS)} in {r.randint(1, 4)}-{r.randint(5, 8)} weeks. "
        f"Diet: {r.choice(['cardiac', 'renal', '2G NA', 'ADA 1800 KCAL', 'regular'])}. "
        f"Activity: {r.choice(['no lifting > 10 lbs', 'walk 3-4 times a day', 'no driving on Percocet'])}. "
        f"{_eponym_line(r)}. {_cue_line(r)}."
    )


def _medlist(r: random.Random) -> str:
    lines = [f"{i + 1}. {_dose(r)}" for i in range(r.randint(4, 9))]
    return "Medications on transfer:\n" + "\n".join(lines)


def _lines(r: random.Random) -> str:
    items = [_vitals(r), _labs(r), _vent(r), _times(r), _labs(r)]
    r.shuffle(items)
    return "; ".join(items[: r.randint(2, 5)])


def _abbrev_run(r: random.Random) -> str:
    return " ".join(
        r.choice([r.choice(ABBREV), _times(r), _cue_line(r), _eponym_line(r)]) + r.choice([",", ".", ";", ""])
        for _ in range(r.randint(5, 10))
    )


_KINDS: list[tuple[str, Callable[[random.Random], str]]] = [
    ("nursing", _nursing),
    ("progress", _progress),
    ("discharge", _discharge),
    ("medlist", _medlist),
    ("lines", _lines),
    ("abbrev", _abbrev_run),
]


def phi_free(n: int = 400, seed: int = 71) -> list[dict[str, Any]]:
    """``n`` PHI-free notes (spans empty); a third each ALL CAPS, lower case and as written (mixed)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        kind, make = _KINDS[i % len(_KINDS)]
        text = make(rng)
        style = ("upper", "lower", "mixed")[i % 3]
        if style == "upper":
            text = text.upper()
        elif style == "lower":
            text = text.lower()
        out.append({"id": f"pf-{seed}-{i}", "text": text, "spans": [], "style": style, "kind": kind})
    return out
