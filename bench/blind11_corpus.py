# ruff: noqa: E501, SIM905
"""Eleventh blind corpus: PhysioNet-style ICU nursing notes (MIMIC-era CareVue progress notes), surrogate PHI.

Written before reading any detector rule, data list or other corpus. Imitates the PhysioNet de-identification gold
standard's nursing notes: MICU/SICU/CCU/CSRU/trauma/NICU shift notes by system, NPN headers, events, addenda,
respiratory therapy notes, NICU parenting notes, family meetings, transfers, in many hands (ALL CAPS, lower case,
mixed; run-on; telegraphic). Names, places, employers and towns come from the lists in this file (diverse origins,
some invented).

``corpus(n, seed)`` returns records ``{"id", "text", "spans": [{"start", "end", "type", "value", "kind"}], "style"}``;
``phi_free(n, seed)`` returns PHI-free notes (look-alikes: eponyms, devices, drugs, vent settings, scores, units).
Gold types: NAME, LOCATION, DATE, AGE (over 89), PHONE, ID, EMAIL, URL. Titles and degrees are outside NAME spans.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from typing import Any

# ---------------------------------------------------------------------------------------------------------------
# lists written for this corpus
FIRST = (
    "Jean Linda Margaret Patrick Dolores Hope Grace Will Bill Frank June Rose Joy Dawn Faith Mark Art Sandy Ray Bud "
    "Skip Thanh Oluwaseun Aisha Priya Ravi Wei Mei-Ling Jorge Maria Guadalupe Sergei Olga Dmitri Fatima Yusuf "
    "Siobhan Declan Niamh Kwame Ama Hiroshi Keiko Soo-Jin Minho Ngozi Chidi Anneliese Lars Ingrid Giuseppe Carmela "
    "Teodoro Marisol Xochitl Bao Lakshmi Deepak Tamar Avi Shlomo Rivka Hamid Leila Bogdan Zofia Wojciech Agnieszka "
    "Cormac Bridget Eamon Matteo Eleni Kostas Dimitra Kofi Esi Thuy Hoa Vinh Rashida Tyrone Shanice DeShawn LaToya "
    "Earl Vernon Mildred Gladys Irving Bernard Sheldon Myrtle Doris Eunice Wendell Lorraine Cheryl Darlene Kenny "
    "Rusty Stacey Kayla Brianna Tiffani Paul Greg Mike Tom Carol Becky Kathy Ann Joe Sue Deb Barb Jim Rich Fran "
    "Marguerite Lucienne Ezekiel Obadiah Hortense Alvaro Inez Rocio Yolanda Shirin Navid Anh Duc Ly Khanh Tuyet"
).split()
LAST = (
    "Kowalski Abernathy O'Brien Hale Smith Patel Doyle Nguyen Oyelaran Szczepanski Ferreira Haddad Okonkwo "
    "Kaczmarek Rahimi Lindqvist McAllister O'Rourke Delacroix Papadopoulos Yamaguchi Ramaswamy Abiodun Brandt "
    "Castellano DiNapoli Fitzgerald Gallagher Hennessey Iannucci Jablonski Kaufman Levesque Mahoney Novak Ostrowski "
    "Pellegrino Quintero Rosenthal Santangelo Thibodeau Underwood Vasquez Whitcomb Xiong Yablonsky Zeller Baptiste "
    "Cheung Dubois Escobar Fontaine Greenbaum Hussain Ivanova Jaramillo Kim Lebeau Morrissey Nakamura Oduya "
    "Petrakis Ruiz Sullivan Tremblay Venkataraman Wojcik Yoon Zuckerman Black White Brown Young Short Bell Hill "
    "Rice Long Price Love Waters Stone Frost Bishop Marsh Hunt Knight Day May Small Hardy Wise Sweet Cross Fox "
    "Sharp Mann Moody Parks Banks Weeks Burns Payne Glass Lord Strong Quellmore Tuvaslic Brackwater Vantongeren "
    "Adeyemi Chukwu Mbeki Dlamini Tadesse Haile Mendoza Figueroa Alvarado Sepulveda Chowdhury Siddiqui Banerjee "
    "Iyer Krishnan Takahashi Fujimoto Park Choi Tran Pham Le Vo Horvath Nagy Kovacs Dvorak Svoboda Bergstrom "
    "Halvorsen Magnusson MacLeod Callahan Dunleavy Shaughnessy Fairweather Pennington Ashworth Thistlewood"
).split()
OSH = (
    "St. Brendan's Hospital|Merrimack Valley Hospital|Cobb Point General|Norwell Medical Center|Haverford Memorial|"
    "Lakeshore Regional|Mount Carmel|Good Shepherd Hospital|Saint Columba's|Holy Family|Wexley Community Hospital|"
    "Dorrington General|Sagamore Bay Medical Center|Ashby Regional Hospital|Fallbrook Memorial|Pembrook Hospital|"
    "Newcombe Medical Ctr|St. Ignatius|Our Lady of Mercy|Marlowe Hospital"
).split("|")
OSH_ABBR = "MVH SBH NMC HMH LRMC DGH SBMC ARH FMH WCH OLM".split()
REHAB = (
    "Heatherwood Rehab|Greylock Rehab|Briarcliff Manor|Oak Hollow Nursing Home|Cedar Ridge NH|Maplecrest|"
    "Sunnyvale Manor|Harborview Skilled Nursing|Linden House|Whitfield Rehab Center|Pine Knoll|Riverbend Extended Care|"
    "Kingsbury Manor|St. Anne's Home|Hollis Falls Rehab"
).split("|")
TOWN = (
    "Marlowe|East Dunmore|Hollis Falls|Westbury|Pembrook|North Attleford|Sagamore Bay|Dorrington|Ashby Center|"
    "Fallbrook|Newcombe|Quincy|Brockton|Lowell|Chelmsford|Haverhill|Revere|Saugus|Framingham|Taunton|Woburn|Medford"
).split("|")
EMPLOYER = (
    "Corliss Tool & Die|Baystate Freight|Dunmore Public Schools|Harbor Electric|Kellerman Plastics|"
    "Granite State Paper|Northshore Gas|Pemberton Savings Bank|Fallbrook Fire Dept|Wexley Transit|Abernathy Roofing|"
    "Quincy Shipyard|Marlowe Police Dept"
).split("|")
CHURCH = (
    "St. Agatha's|Temple Beth Shalom|First Baptist of Dorrington|Holy Trinity Greek Orthodox|St. Casimir's|"
    "Grace Lutheran|Our Lady of the Assumption|Mount Zion AME"
).split("|")
STREET = (
    "Pemberton St|Ashland Ave|Cobb Rd|Winthrop Terrace|Bellflower Lane|Quarry Rd|Elm St|Hawthorne Ave|Dill Way".split(
        "|"
    )
)
NAMED_UNIT = "Hartwell 6|Kessler 4|Farr 10|Stoneman 7|Baird 3|Lindell 9|Carrow 5|Finch 8|Marsh 11".split("|")
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Sept Oct Nov Dec".split()
MONTHS_LONG = "January February March April May June July August September October November December".split()

Seg = tuple[str, str | None, str]  # text, gold type or None, kind


class _Note:
    """A note under construction: plain text and gold spans appended in order."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.spans: list[dict[str, Any]] = []
        self.n = 0

    def add(self, text: str, typ: str | None = None, kind: str = "") -> None:
        if typ:
            self.spans.append({"start": self.n, "end": self.n + len(text), "type": typ, "kind": kind})
        self.parts.append(text)
        self.n += len(text)

    def text(self) -> str:
        return "".join(self.parts)


# ---------------------------------------------------------------------------------------------------------------
# PHI generators: each returns segments


def _first(r: random.Random) -> str:
    return r.choice(FIRST)


def _last(r: random.Random) -> str:
    return r.choice(LAST)


def g_first(r: random.Random) -> list[Seg]:
    return [(_first(r), "NAME", "first_alone")]


def g_last(r: random.Random) -> list[Seg]:
    return [(_last(r), "NAME", "last_alone")]


def g_full(r: random.Random) -> list[Seg]:
    return [(f"{_first(r)} {_last(r)}", "NAME", "full")]


def g_dr(r: random.Random) -> list[Seg]:
    """A clinician after a title, in any spacing."""
    name = _last(r)
    form = r.random()
    if form < 0.25:
        return [("Dr. ", None, ""), (name, "NAME", "title")]
    if form < 0.45:
        return [("Dr ", None, ""), (name, "NAME", "title")]
    if form < 0.55:
        return [("Dr.", None, ""), (name, "NAME", "title")]
    if form < 0.62:
        return [("dr.", None, ""), (name, "NAME", "title")]
    if form < 0.70:
        return [("Dr. ", None, ""), (f"{_first(r)[0]}. {name}", "NAME", "title")]
    if form < 0.78:
        return [("Drs. ", None, ""), (name, "NAME", "title"), (" and ", None, ""), (_last(r), "NAME", "list2")]
    if form < 0.86:
        return [(name, "NAME", "title_after"), (" MD", None, "")]
    if form < 0.93:
        return [("Dr ", None, ""), (f"{_first(r)} {name}", "NAME", "title")]
    return [("DR", None, ""), (" ", None, ""), (name, "NAME", "title")]


ROLES = (
    "NP|np|PA|ho|HO|resident|intern|fellow|attending|team|SW|social worker|CM|case mgr|RT|rt|RN|rn|charge RN|"
    "resource nurse|pharmacist|PT|nutritionist|chaplain|Fr.|interpreter|neuro resident|renal fellow|surg res|"
    "cards fellow|EP fellow|ortho|IV team|endo fellow|MICU team"
).split("|")


def g_role(r: random.Random) -> list[Seg]:
    """A role word then a name: 'NP Doyle', 'per ho Patel', 'sw (Kathy)'."""
    role = r.choice(ROLES)
    name = r.choice([_last(r), _first(r), f"{_first(r)} {_last(r)}"])
    form = r.random()
    if form < 0.5:
        return [(f"{role} ", None, ""), (name, "NAME", "role")]
    if form < 0.7:
        return [(f"per {role} ", None, ""), (name, "NAME", "role")]
    if form < 0.85:
        return [(f"{role} (", None, ""), (name, "NAME", "role_paren"), (")", None, "")]
    return [(name, "NAME", "role_after"), (f" {role}", None, "")]


RELATIONS = (
    "dtr|daughter|duaghter|daugher|wife|husband|hubby|son|sons|sister|sis|brother|bro|niece|neice|nephew|grandson|"
    "granddaughter|gdtr|mother|mom|father|dad|HCP|proxy|health care proxy|friend|bf|boyfriend|gf|girlfriend|fiance|"
    "partner|aunt|uncle|cousin|neighbor|sister in law|SIL|DIL|son-in-law|stepson|companion|ex-wife|landlord|pastor"
).split("|")


def g_rel(r: random.Random) -> list[Seg]:
    """A relation word and the person's name."""
    rel = r.choice(RELATIONS)
    name = r.choice([_first(r), _first(r), _first(r), f"{_first(r)} {_last(r)}"])
    form = r.random()
    if form < 0.55:
        return [(f"{rel} ", None, ""), (name, "NAME", "relation")]
    if form < 0.7:
        return [(f"{rel}, ", None, ""), (name, "NAME", "relation"), (",", None, "")]
    if form < 0.82:
        return [(f"{rel} (", None, ""), (name, "NAME", "relation"), (")", None, "")]
    if form < 0.9:
        return [(f"{rel} ", None, ""), (name, "NAME", "relation"), (" and ", None, ""), (_first(r), "NAME", "list2")]
    return [(name, "NAME", "relation_before"), (f" ({rel})", None, "")]


def g_sig(r: random.Random) -> list[Seg]:
    """A sign-off at the end of a note."""
    f, last = _first(r), _last(r)
    form = r.random()
    cred = r.choice(["RN", "rn", "R.N.", "RN, BSN", "RRT", "SN", "RN/ESS", "LPN", "RN."])
    if form < 0.2:
        return [(f"{f[0]}.{last}", "NAME", "sig"), (f" {cred}", None, "")]
    if form < 0.35:
        return [(f"{f[0].lower()} {last.lower()}", "NAME", "sig"), (f" {cred.lower()}", None, "")]
    if form < 0.55:
        return [(f"{f} {last}", "NAME", "sig"), (f", {cred}", None, "")]
    if form < 0.65:
        return [("-", None, ""), (f"{f[0]}{last[0]}", "NAME", "sig_initials")]
    if form < 0.75:
        return [(f"{f} {last[0]}.", "NAME", "sig"), (f" {cred}", None, "")]
    if form < 0.85:
        return [(f, "NAME", "sig_first"), (f" {cred}", None, "")]
    if form < 0.93:
        return [(f"{f[0]}. {last}", "NAME", "sig"), (f" {cred}", None, "")]
    return [(f"{last}", "NAME", "sig_last"), (f" {cred}", None, "")]


def g_pt(r: random.Random) -> list[Seg]:
    """The patient's own name."""
    form = r.random()
    if form < 0.35:
        return [
            (r.choice(["Mr. ", "Mrs. ", "Mr ", "Mrs ", "Ms. ", "Ms "]), None, ""),
            (_last(r), "NAME", "patient_title"),
        ]
    if form < 0.55:
        return [(_first(r), "NAME", "patient_first")]
    if form < 0.75:
        return [(f"{_first(r)} {_last(r)}", "NAME", "patient_full")]
    return [(f"{_last(r)}, {_first(r)}", "NAME", "patient_comma")]


def g_osh(r: random.Random) -> list[Seg]:
    if r.random() < 0.3:
        return [(r.choice(OSH_ABBR), "LOCATION", "osh_abbr")]
    return [(r.choice(OSH), "LOCATION", "osh")]


def g_rehab(r: random.Random) -> list[Seg]:
    return [(r.choice(REHAB), "LOCATION", "rehab")]


def g_town(r: random.Random) -> list[Seg]:
    return [(r.choice(TOWN), "LOCATION", "town")]


def g_emp(r: random.Random) -> list[Seg]:
    return [(r.choice(EMPLOYER), "LOCATION", "employer")]


def g_church(r: random.Random) -> list[Seg]:
    return [(r.choice(CHURCH), "LOCATION", "church")]


def g_street(r: random.Random) -> list[Seg]:
    return [(f"{r.randint(3, 480)} {r.choice(STREET)}", "LOCATION", "street")]


def g_unit(r: random.Random) -> list[Seg]:
    return [(r.choice(NAMED_UNIT), "LOCATION", "named_unit")]


def g_zip(r: random.Random) -> list[Seg]:
    return [(f"0{r.randint(1000, 2799)}", "LOCATION", "zip")]


def _md(r: random.Random) -> tuple[int, int]:
    return r.randint(1, 12), r.randint(1, 28)


def _ord(d: int) -> str:
    suf = "th" if 10 <= d % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")
    return f"{d}{suf}"


def g_date(r: random.Random) -> list[Seg]:
    """A date in a nursing shape (most without a year)."""
    m, d = _md(r)
    form = r.random()
    if form < 0.34:
        return [(f"{m}/{d}", "DATE", "md_slash")]
    if form < 0.44:
        return [(f"{m}-{d}", "DATE", "md_dash")]
    if form < 0.52:
        return [(f"{m}/{d}/{r.choice(['93', '94', '95', '96', '2093', '2101'])}", "DATE", "mdy")]
    if form < 0.62:
        return [(f"{r.choice(MONTHS)} {d}", "DATE", "mon_d")]
    if form < 0.67:
        return [(f"{r.choice(MONTHS_LONG)} {_ord(d)}", "DATE", "month_ord")]
    if form < 0.76:
        return [("the ", None, ""), (_ord(d), "DATE", "ord")]
    if form < 0.81:
        return [(f"{m:02d}/{d:02d}", "DATE", "md_pad")]
    if form < 0.86:
        return [(f"{d}-{r.choice(MONTHS)}", "DATE", "d_mon")]
    if form < 0.92:
        m2, d2 = m, min(28, d + r.randint(1, 3))
        return [(f"{m}/{d}", "DATE", "range"), ("-", None, ""), (f"{m2}/{d2}", "DATE", "range")]
    return [(f"{m}.{d}", "DATE", "md_dot")]


def g_phone(r: random.Random) -> list[Seg]:
    a, b, c = r.choice(["617", "781", "508", "978", "413", "603"]), r.randint(200, 989), r.randint(1000, 9999)
    form = r.random()
    if form < 0.3:
        return [(f"{a}-{b}-{c}", "PHONE", "phone")]
    if form < 0.5:
        return [(f"{a} {b} {c}", "PHONE", "phone_spaced")]
    if form < 0.65:
        return [(f"({a}){b}-{c}", "PHONE", "phone")]
    if form < 0.75:
        return [(f"{b}-{c}", "PHONE", "phone7")]
    if form < 0.85:
        return [(f"{a}.{b}.{c}", "PHONE", "phone_dot")]
    return [(f"{a}{b}{c}", "PHONE", "phone_run")]


def g_pager(r: random.Random) -> list[Seg]:
    form = r.random()
    if form < 0.35:
        return [(f"{r.randint(1, 9)}-{r.randint(1000, 9999)}", "PHONE", "pager")]
    if form < 0.65:
        return [(f"{r.randint(10000, 99999)}", "PHONE", "pager")]
    if form < 0.85:
        return [(f"{r.randint(1000, 9999)}", "PHONE", "pager4")]
    return [(f"{r.randint(1, 9)} {r.randint(1000, 9999)}", "PHONE", "pager_spaced")]


def g_age(r: random.Random) -> list[Seg]:
    a = r.randint(90, 104)
    words = {90: "ninety", 91: "ninety-one", 92: "ninety two", 93: "ninety-three", 94: "ninety four", 95: "ninety-five"}
    form = r.random()
    if form < 0.25 and a in words:
        return [(words[a], "AGE", "age_words"), (" year old", None, "")]
    if form < 0.5:
        return [(str(a), "AGE", "age"), (" yo", None, "")]
    if form < 0.65:
        return [(str(a), "AGE", "age"), ("YO", None, "")]
    if form < 0.8:
        return [(str(a), "AGE", "age"), (" y/o", None, "")]
    return [(str(a), "AGE", "age"), ("-year-old", None, "")]


def g_mrn(r: random.Random) -> list[Seg]:
    return [(str(r.randint(1000000, 9999999)), "ID", "mrn")]


def g_email(r: random.Random) -> list[Seg]:
    return [
        (
            f"{_first(r).lower()}.{_last(r).lower().replace(chr(39), '')}@{r.choice(['gmail.com', 'aol.com', 'comcast.net'])}",
            "EMAIL",
            "email",
        )
    ]


GEN: dict[str, Callable[[random.Random], list[Seg]]] = {
    "F": g_first,
    "L": g_last,
    "FL": g_full,
    "DR": g_dr,
    "ROLE": g_role,
    "REL": g_rel,
    "SIG": g_sig,
    "PT": g_pt,
    "OSH": g_osh,
    "REHAB": g_rehab,
    "TOWN": g_town,
    "EMP": g_emp,
    "CHURCH": g_church,
    "STREET": g_street,
    "UNIT": g_unit,
    "ZIP": g_zip,
    "D": g_date,
    "PH": g_phone,
    "PG": g_pager,
    "AGE": g_age,
    "MRN": g_mrn,
    "EMAIL": g_email,
}

_TOKEN = re.compile(r"\{([A-Z]+)\}")


def _fill(note: _Note, template: str, r: random.Random) -> None:
    """Append ``template`` to ``note``, expanding each {KEY} with its generator."""
    pos = 0
    for m in _TOKEN.finditer(template):
        note.add(template[pos : m.start()])
        for text, typ, kind in GEN[m.group(1)](r):
            note.add(text, typ, kind)
        pos = m.end()
    note.add(template[pos:])


def _hr(r: random.Random) -> str:
    return f"{r.randint(0, 23):02d}{r.choice(['00', '15', '30', '45'])}"


def _age(r: random.Random) -> str:
    return str(r.randint(19, 88))


# ---------------------------------------------------------------------------------------------------------------
# sentence banks by section; {KEY}s are PHI, other numbers are not


def _neuro(r: random.Random) -> str:
    return r.choice(
        [
            "NEURO: A&OX3, MAE, FOLLOWS COMMANDS, PERL 3MM BRISK. ",
            "neuro: sedated on propofol 40mcg/kg/min, RASS -2, opens eyes to voice, no focal deficits. ",
            "Neuro- lethargic but arousable, oriented to self only, speech garbled. CIWA 6-8, no ativan needed. ",
            "NEURO: PT INTERMITTENTLY AGITATED, PULLING AT LINES, HALDOL 2MG IV X1 W/ GOOD EFFECT. ",
            "neuro: intubated/sedated, fentanyl 100mcg/hr + versed 2mg/hr, withdraws all 4 ext to pain, pupils 2mm sluggish. ",
            "Neuro: GCS 14, c/o HA relieved w/ tylenol 650. seen by neuro (Dr {L}) re: ? seizure activity, EEG ordered for {D}. ",
        ]
    )


def _cv(r: random.Random) -> str:
    return r.choice(
        [
            "CV: NSR 80-90'S, NO ECTOPY. SBP 110-130'S. K 3.6 REPLETED W/ 40MEQ KCL. ",
            "cv: afib 110-140s, lopressor 5mg ivp x3 w/ minimal effect, dilt gtt started at 5mg/hr per {DR}. ",
            "CV- ST 100s, BP 90s-100s/50s on neo 0.5mcg/kg/min, weaning as tol. CVP 8-12. ",
            "CV: Swan placed {D}, CO 4.2 CI 2.1 SVR 1100, PCWP 18. Cath lab called, pt to go tomorrow. ",
            "CV: paced 80 (VVI), underlying SB 40s. EP fellow {L} aware, plan for PPM {D}. ",
            "cv: hr 70s sr, bp stable 120s/60s, +2 pedal edema, lasix 40 iv with good uo. ",
        ]
    )


def _resp(r: random.Random) -> str:
    return r.choice(
        [
            "RESP: LS COARSE BILAT, DIMINISHED @ BASES. SXN FOR THICK TAN SPUTUM. VENT AC 500X14 +5 40%. ",
            "resp: on 4L NC sats 94-97%, RR 20s, CPAP overnight 10/5, ABG 7.38/42/88. ",
            "Resp- extubated this am to 50% face tent, sats high 90s, strong cough. ",
            "RESP: PSV 10/5 FIO2 .40 RSBI 68, plan to extubate in am if ok w/ {DR}. ",
            "resp: trach 8.0 shiley, trach collar 35%, sxn q2-3h for mod amt white secretions. ",
        ]
    )


def _gi(r: random.Random) -> str:
    return r.choice(
        [
            "GI/GU: ABD SOFT NT/ND, +BS. TF PROMOTE W/ FIBER @ 60CC/HR GOAL. FOLEY DRAINING CLEAR YELLOW URINE 40-80CC/HR. ",
            "gi: npo, ngt to lcws w/ bilious drainage, ppi. gu: foley, uo marginal 20-30cc/hr, team aware. ",
            "GI- BM x2 loose guaiac neg, c-diff sent. GU- voiding qs via condom cath. ",
            "GI/GU: tolerating clears, no n/v. BUN/Cr 32/1.4 (was 1.1 on {D}). ",
            "GI: last BM {D} per pt, colace/senna. KUB {D} @ {HR} neg. ",
            "GI- PEG placed {D} by GI (Dr {L}), TF to start {D}. ",
        ]
    )


def _id(r: random.Random) -> str:
    return r.choice(
        [
            "ID: TMAX 101.2, PAN CX'D, ON VANCO/ZOSYN. WBC 14.2. ",
            "id: afebrile, abx cont (cefepime day 3), bld cx from {D} ngtd. ",
            "ID- Tm 100.4 po, flagyl started, stool for c diff pending. ",
            "ID: sputum cx ({D}) + GNR, started cefepime {D}, vanco level due Tues {D} am. ",
            "id: line changed over wire on{D}, tip sent. ",
        ]
    )


def _skin(r: random.Random) -> str:
    return r.choice(
        [
            "SKIN: COCCYX STAGE II, DUODERM INTACT, TURNED Q2H. ",
            "skin: intact, braden 14, on kinair bed. ",
            "Skin- sternal incision c/d/i, L leg EVH site w/ serous drainage, ACE wrap. ",
            "SKIN: WOUND CARE RN ({F}) SAW PT {D}, RECS IN CHART. ",
        ]
    )


def _social(r: random.Random) -> str:
    return r.choice(
        [
            "SOCIAL: {REL} IN TO VISIT, UPDATED BY {DR}. ",
            "social: {REL} called x2, updated on pt condition. can be reached at {PH}. ",
            "Social- {REL} visiting, very supportive. {REL} flying in from {TOWN} tomorrow. ",
            "SOCIAL: FAMILY MTG W/ {DR}, SW {F} AND {REL} RE: GOALS OF CARE. PT NOW DNR/DNI. ",
            "social: lives w/ {REL} in {TOWN}, works at {EMP}. {REL} is hcp, cell # {PH}. ",
            "SOCIAL: {REL} called from work ({EMP}), will be in after 5pm. ",
            "social: spoke with {REL} at length, questions answered. pastor from {CHURCH} in to see pt. ",
            "Social: no family in today. {REL} ({PH}) requests call w/ any change. ",
            "SOCIAL: pt's {REL} updated by phone, home # {PH}, work # {PH}. ",
            "social- {REL} here all eve, brought pt's meds from home. lives at {STREET}, {TOWN}. ",
            "SOCIAL: {REL} AND {F} IN, BOTH ASKING APPROPRIATE QUESTIONS. ",
            "social: ptn's {REL} called from {REHAB} (where pt lived) re belongings. ",
        ]
    )


def _dispo(r: random.Random) -> str:
    return r.choice(
        [
            "DISPO: FULL CODE. ? TRANSFER TO FLOOR IN AM. ",
            "dispo: screening for {REHAB}, CM {F} following. ",
            "DISPO- awaiting bed on {UNIT}. ",
            "Dispo: plan to return to {REHAB} when stable, called report to {F} RN there at {PH}. ",
            "dispo: remains in micu, ?trach/peg next wk. ",
            "DISPO: TO {UNIT} WHEN BED AVAIL, REPORT GIVEN TO {F}. ",
        ]
    )


def _events(r: random.Random) -> str:
    return r.choice(
        [
            "EVENTS: at {HR} pt became hypotensive to 70s, 500cc NS bolus x2, {DR} at bedside. ",
            "Events- bronched by {DR} at bedside, BAL sent. ",
            "EVENTS: PT SELF D/C'D NGT AT {HR}, REPLACED BY {ROLE}, PLACEMENT CONFIRMED BY CXR. ",
            "events: rapid afib to 160s at {HR}, amio bolus per {ROLE}, now nsr 80s. ",
            "Events: fell OOB {D} @ {HR}, no injury, {DR} notified, incident report filed. ",
            "EVENTS: CODE CALLED {D} {HR} FOR PEA, ROSC AFTER 2 ROUNDS EPI. {DR} RAN CODE. {REL} NOTIFIED. ",
        ]
    )


def _plan(r: random.Random) -> str:
    return r.choice(
        [
            "PLAN: CONT TO MONITOR HEMODYNAMICS/RESP STATUS, F/U LABS, SUPPORT FAMILY. ",
            "plan: wean vent as tol -> ?extubate {D}, f/u cx, keep K>4 Mg>2. ",
            "Plan- cont lasix gtt, echo {D}, family mtg {D} @ 2pm w/ {DR}. ",
            "A/P: stable, cont current mgmt, ? call out to floor. ",
            "plan: npo after mn for IR / PICC {D}, consent from {REL} on chart. ",
        ]
    )


def _expand_hr(s: str, r: random.Random) -> str:
    while "{HR}" in s:
        s = s.replace("{HR}", _hr(r), 1)
    return s


# ---------------------------------------------------------------------------------------------------------------
# note styles


def _header(r: random.Random) -> str:
    return r.choice(
        [
            "NPN 7A-7P\n",
            "Nursing Progress Note 1900-0700\n",
            "NURSING PROGRESS NOTE 7P-7A\n",
            "npn 0700-1900: ",
            "MICU NSG NOTE 11P-7A\n",
            "CCU Nursing Progress Note:\n",
            "CSRU NPN 7a-7p\n",
            "SICU NURSING ADMIT NOTE\n",
            "TSICU npn nights\n",
            "Nursing note {D} 0700-1500\n",
            "",
        ]
    )


def _intro(r: random.Random) -> str:
    return r.choice(
        [
            f"{_age(r)} yo M adm {{D}} from {{OSH}} w/ GI bleed, s/p EGD there. ",
            f"pt is a {_age(r)} y/o female transferred from {{OSH}} on {{D}} for mgmt of resp failure. ",
            "{AGE} w/ hx CHF, COPD, afib, admitted from {REHAB} w/ ? PNA. ",
            f"{_age(r)}M POD #2 s/p CABG x3 (LIMA-LAD, SVG-OM, SVG-PDA) {{D}}. ",
            "PT IS A {AGE} WOMAN FROM {REHAB} ADMITTED WITH UROSEPSIS. ",
            f"{_age(r)} yo man s/p MVC {{D}}, restrained driver, transferred from {{OSH}} by med flight. ",
            "{PT} is a {AGE} lady from {TOWN} adm with hip fx, now w/ resp distress. ",
            f"Pt ({{PT}}) is {_age(r)} yo, see FHPA for full hx. ",
            "",
        ]
    )


def note_systems(r: random.Random) -> str:
    parts = [_header(r), _intro(r)]
    secs = [_neuro, _cv, _resp, _gi, _id, _skin, _social, _dispo]
    for f in secs:
        if r.random() < 0.85:
            parts.append(f(r))
    if r.random() < 0.5:
        parts.insert(2, _events(r))
    parts.append(_plan(r))
    parts.append("\n{SIG}")
    return "".join(parts)


def note_runon(r: random.Random) -> str:
    """Run-on text without punctuation, one hand."""
    bits = [
        "pt resting comfortably most of shift",
        "{REL} in to visit updated by {DR}",
        "md notified ({L}) of low uo",
        "per ho {L} ok to hold lasix",
        "{DR} aware of k 3.2 repleted",
        "pt states he wants to go home to {TOWN}",
        "{REL} called from {OSH} where she works",
        "lopressor given",
        "sbp 90s",
        "team aware",
        "{ROLE} in to see pt",
        "cxr done {D}",
        "dtr {F} called will be in tomorrow",
        "wife {F} at bedside all night",
        "family would like call if any changes {PH}",
        "pt states his {REL} is coming on {D}",
        "seen by {ROLE} re pain",
        "{F} from pt's church ({CHURCH}) visited",
        "s/p cath({D}) groin soft",
        "last dose of abx {D}",
        "pt asking when he can see {F} his {REL}",
    ]
    r.shuffle(bits)
    k = r.randint(6, 11)
    return r.choice(["npn ", "NPN: ", "", "nsg: "]) + " ".join(bits[:k]) + " {SIG}"


def note_nicu(r: random.Random) -> str:
    wt = f"{r.randint(700, 3900)}g"
    ga = f"{r.randint(24, 40)} {r.randint(0, 6)}/7 wks"
    parts = [
        r.choice(["NICU Nursing Progress Note\n", "NICU NPN 7p-7a\n", "Neonatology Nsg Note:\n", "NICU NOTE NIGHTS "]),
        r.choice(
            [
                f"Baby {{L}} DOL 4, CGA {ga}, wt {wt} (down 20g). ",
                "#1 Resp: in RA, no A&B's this shift. ",
                f"Infant born {{D}} at {{OSH}}, transferred here for mgmt of RDS. GA {ga}. ",
                f"Twin A ({{F}}) DOL 12, wt {wt}. ",
            ]
        ),
        "#1 RESP: CPAP +6 21-25%, RR 40-60s, 2 spells self resolved. ",
        r.choice(
            [
                "#2 FEN: TF 150cc/kg/d, BM 24cal 22cc q3h PO/gavage, pos 1/2 of feeds, voiding and stooling. ",
                "#2 F/N: TF 140, PN/IL via PICC, trophic feeds 2cc q4h BM, girth stable 23cm. ",
            ]
        ),
        r.choice(
            [
                "#3 BILI: bili {D} 9.2/0.3, under single phototherapy, f/u bili in am. ",
                "#3 ID: amp/gent d/c'd after 48h r/o, cx neg. ",
            ]
        ),
        r.choice(
            [
                "#4 PARENTING: MOB in to visit, held infant skin to skin. FOB ({F}) called x2, updated. ",
                "#4 Par: Mom ({F}) and Dad ({F}) in, updated by {DR}. sibling {F} (age 4) visited w/ grandma. ",
                "#4 Parents: mom called at {HR} from home in {TOWN}, #{PH}. plans to visit {D}. ",
                "#4 SOCIAL: MOB {FL}, 19 yo, lives w/ her mother in {TOWN}. SW {F} following. ",
                "#5 Dev: swaddled, nesting, temps stable in isolette. parents {F} and {F} updated at bedside. ",
            ]
        ),
        r.choice(["", " Circ done by Dr {L} on {D}.", " Hep B given {D}.", " Hearing screen passed {D}."]),
        "\n{SIG}",
    ]
    return "".join(parts)


def note_rt(r: random.Random) -> str:
    return r.choice(
        [
            "RESPIRATORY CARE NOTE: PT REMAINS ON AC 500X12 +8 50%, BS COARSE, SXN SM AMT. MDI'S GIVEN. PLAN WEAN PEEP. {SIG}",
            "Resp Care: pt extubated at {HR} per {DR}, placed on 40% cool neb. No stridor. {SIG}",
            "RT note: trach changed {D} by {DR} / RT {F}. #8 portex. trach collar 40%. {SIG}",
            "resp therapy: cont on bipap 12/5 overnight, RSBI 45 on {D}, MD {L} aware. {SIG}",
            "RESP CARE: ABG {D} 7.31/55/72 ON PSV 15/5 .5, INC PS TO 18 PER DR {L}. PAGED {PG}. {SIG}",
        ]
    )


def note_family(r: random.Random) -> str:
    return (
        r.choice(
            [
                "Family meeting {D} @ 1400 with {DR}, {ROLE}, SW {FL}, and pt's {REL}. discussed poor prognosis, family wishes "
                "to make pt CMO. {REL} would like to be called at {PH} anytime. ",
                "FAMILY MTG: {REL}, {REL} AND {REL} PRESENT WITH {DR} AND {DR}. CODE STATUS CHANGED TO DNR. ",
                "Code status discussion: {REL} (HCP) states pt would not want to be trached, pt made DNR/DNI {D}. "
                "{REL} in agreement. Chaplain {F} in. ",
                "addendum: spoke w/ pt's {REL} by phone ({PH}), she is pt's hcp, will come in {D} to meet w/ team. ",
                "Family in: {REL}, {REL}. {F} is a nurse at {OSH}, asking many questions re: trach/peg. ",
            ]
        )
        + "{SIG}"
    )


def note_transfer(r: random.Random) -> str:
    return (
        r.choice(
            [
                "TRANSFER NOTE: pt transferred to {UNIT} at {HR}, report given to {F} RN. belongings w/ pt. {REL} aware. ",
                "Accept note: {AGE} from {OSH} ICU, transferred {D} for ERCP. OSH MD Dr {L} ({PH}). ",
                "pt d/c'd to {REHAB} via ambulance, report called to {F} at {PH}. ",
                "ADMIT NOTE: PT ARRIVED FROM {OSH} ED AT {HR} VIA MEDFLIGHT. OSH RECORDS IN CHART. "
                "PCP DR {L} IN {TOWN}, OFFICE {PH}. ",
                "pt came from {STREET} {TOWN} {ZIP}, found down by neighbor {F}. ",
                "Transfer from {UNIT} for hypotension, seen by MICU fellow {L}. MRN {MRN}. ",
            ]
        )
        + "{SIG}"
    )


def note_ros(r: random.Random) -> str:
    return (
        "REVIEW OF SYSTEMS\nNEURO: {n}\nCV: {c}\nRESP: {rs}\nGI: {g}\nGU: UO 30-60CC/HR\nENDO: RISS, FS 140-180\n"
        "SOCIAL: {s}\nA: {a}\n{{SIG}}".format(
            n="ALERT, FOLLOWS CMDS" if r.random() < 0.5 else "sedated on prop",
            c="HR 90S SR, BP 100-120/60S",
            rs="4L NC, SATS 95%",
            g="TOL TF" if r.random() < 0.5 else "NPO",
            s=r.choice(["{REL} IN", "{REL} CALLED, {REL} TO VISIT {D}", "NO CALLS", "{F} ({REL}) VISITED"]).replace(
                "{REL} IN", "{REL} IN"
            ),
            a=r.choice(["STABLE", "STABLE, ? TO FLOOR {D}", "TOL WEAN"]),
        )
    )


def note_csru(r: random.Random) -> str:
    return (
        r.choice(["CSRU NPN\n", "csru nsg 7a-7p: ", "CSRU ADMIT NOTE: "])
        + r.choice(
            [
                f"{_age(r)} yo s/p AVR (#23 CE pericardial) / CABG x2 on {{D}} by {{DR}}. ",
                "pt s/p MVR {D}, Dr {L}'s pt, on CPB 112 min, XC 89 min. ",
                "S/P CABG X4 ON {D}, ATTENDING DR {L}, FELLOW {L}. ",
            ]
        )
        + "CV: AV paced 90, epi .02, levo .05, MAP 65-70. CT drainage 50-100cc/hr serosang. K 4.4. "
        + "resp: intubated, wean per protocol. "
        + r.choice(["", "Social: {REL} called, updated. ", "SOC: {REL} ({PH}) IN TO VISIT AT 1900. "])
        + "{SIG}"
    )


def note_trauma(r: random.Random) -> str:
    return r.choice(
        [
            "TSICU NPN: {AGE} s/p fall at home in {TOWN}, SDH, s/p crani {D}. "
            "neuro: ICP 10-15, CPP > 60. family: {REL} and {REL} in, ortho ({L}) to see re: wrist. {SIG}",
            "trauma npn: pt ({PT}) s/p MVC on Rte 9 near {TOWN} {D}. ETOH 220. works at {EMP}. "
            "{REL} called, # is {PH}. {SIG}",
            "TRAUMA NPN: PT S/P GSW TO ABD {D}, EX LAP BY DR {L}. POLICE FROM {TOWN} PD IN TO SPEAK W/ PT. "
            "{REL} AT BEDSIDE. {SIG}",
        ]
    )


def note_addendum(r: random.Random) -> str:
    return r.choice(
        [
            "Addendum: {DR} called back re: lytes, repleting mag. {SIG}",
            "ADDENDUM {HR}: PT'S {REL} CALLED, GIVEN UPDATE. {SIG}",
            "addendum- pt seen by {ROLE} {L} from renal, HD in am. {SIG}",
            "Addendum: pt's pcp Dr {L} from {TOWN} called ({PH}), would like to be updated on {D}. {SIG}",
            "addend: {F} (pt's {REL}) called, asked about visiting hrs. {SIG}",
            "ADDENDUM: beeper for {DR} is {PG}, paged x2 w/o response, covering {ROLE} notified. {SIG}",
            "Addendum: spoke with Dr {L} @ pager #{PG} re: BP, ok to give extra dose. {SIG}",
        ]
    )


def note_ccu(r: random.Random) -> str:
    return (
        r.choice(["CCU NPN\n", "ccu nsg note: ", "CCU NURSING PROGRESS NOTE "])
        + r.choice(
            [
                f"{_age(r)} yo M w/ IMI, cath {{D}} -> stent to RCA, groin site c/d/i. ",
                "PT IS {AGE} W/ CHF EXACERBATION, DIURESED 2L. ",
                "admitted {D} from {OSH} w/ NSTEMI, trop 4.2 there. ",
            ]
        )
        + r.choice(
            [
                "Seen by cards fellow Dr {L}, plan for cath {D}. ",
                "EP (DR {L}) IN, ? ICD BEFORE D/C. ",
                "heparin gtt @ 900u/hr, PTT {D} 64. ",
            ]
        )
        + r.choice(["", "Wife {F} in, updated. ", "{REL} from {TOWN} called ({PH}). "])
        + "{SIG}"
    )


def note_shortform(r: random.Random) -> str:
    return r.choice(
        [
            "{D}: pt seen by {DR}. {REL} updated. {SIG}",
            "Pt's {REL} {F} called {D} at {HR}, updated by RN. {SIG}",
            "0400: {DR} (covering) notified of sbp 80s, ok'd 250 ns. {SIG}",
            "Dr. {L} and {ROLE} aware of pt's new confusion. {SIG}",
            "{F} {L} in to visit (pt's {REL}). {SIG}",
            "pt's old mrn {MRN}, records from {OSH} faxed {D}. {SIG}",
            "PT IS {AGE}. LIVED ALONE ON {STREET} IN {TOWN} UNTIL {D}. {SIG}",
            "{REL} e-mailed pictures, email {EMAIL}. {SIG}",
            "Hep lock d/c'd {D}. CXR {D} cleared by Dr. {L}. {SIG}",
        ]
    )


STYLES: dict[str, Callable[[random.Random], str]] = {
    "systems": note_systems,
    "runon": note_runon,
    "nicu": note_nicu,
    "rt": note_rt,
    "family": note_family,
    "transfer": note_transfer,
    "ros": note_ros,
    "csru": note_csru,
    "trauma": note_trauma,
    "addendum": note_addendum,
    "ccu": note_ccu,
    "short": note_shortform,
}
WEIGHTS = [30, 10, 10, 6, 8, 8, 5, 6, 5, 6, 6, 10]


def _case(text: str, how: str) -> str:
    if how == "upper":
        return text.upper()
    if how == "lower":
        return text.lower()
    return text


def _build(template: str, r: random.Random) -> tuple[str, list[dict[str, Any]]]:
    note = _Note()
    _fill(note, _expand_hr(template, r), r)
    return note.text(), note.spans


def corpus(n: int = 300, seed: int = 131) -> list[dict[str, Any]]:
    """``n`` nursing notes with gold PHI spans."""
    r = random.Random(seed)
    names = list(STYLES)
    out = []
    for i in range(n):
        style = r.choices(names, WEIGHTS)[0]
        template = STYLES[style](r)
        how = r.choices(["upper", "lower", "mixed"], [35, 20, 45])[0]
        text, spans = _build(template, r)
        text = _case(text, how)
        for s in spans:
            s["value"] = text[s["start"] : s["end"]]
        out.append({"id": f"blind11-{seed}-{i}", "text": text, "spans": spans, "style": f"{style}/{how}"})
    return out


# ---------------------------------------------------------------------------------------------------------------
# PHI-free notes dense with look-alikes

_FREE = [
    "NEURO: A&OX3, MAE. CV: NSR 70S, BP 120/80, K 4.1. RESP: AC 500X14 +5 40%, ABG 7.42/38/96. ",
    "pt w/ hx Parkinson's disease, on sinemet 25/100 tid. Foley d/c'd, due to void by 1400. ",
    "Swan d/c'd, CVP via IJ. Graves' disease hx, on PTU. Hope to wean vent tomorrow. ",
    "Will check lytes in am, will follow up w/ team. family updated by MD. the family is aware of plan. ",
    "GCS 15, braden 16, morse fall score 45, CIWA 4. RASS 0. ",
    "PEEP 8, PS 10, FIO2 .35, RSBI 52, TV 450s, MV 9.8L. CPAP 5/5. bipap 12/5 overnight. ",
    "1/2 NS @ 75cc/hr, D5 1/2 @ 100. insulin gtt per protocol, FS 110-140. ",
    "Apgars 8/9. CGA 32 4/7 wks. TF 150cc/kg/d, 24cal BM 1/2 po. ",
    "transferred to the floor, report given to floor RN. MICU team aware. CCU to follow. ",
    "s/p Whipple, Nissen, Billroth II. Hx Bell's palsy, Cushing's, Addison's. ",
    "Coumadin held for INR 3.4. Lasix 40 IV, Lopressor 25 PO bid, Zosyn 3.375 q6h, Vanco 1g q12h. ",
    "Murphy's sign neg, Homan's neg, Babinski downgoing. Kernig neg. ",
    "pt in Trendelenburg for line placement, Cordis in R IJ. Hickman clean. Jackson-Pratt x2 draining serosang. ",
    "Cont Levophed .05, Neo 1mcg/kg/min. Nitro gtt off. Plavix loaded. Dilaudid PCA. ",
    "Pt states he feels better, ambulated to chair w/ PT. Grace period for abx noted. ",
    "Chest tube to -20 sxn, no air leak. Pleurovac. Ostomy bag changed. PICC line dsg changed. ",
    "Hr 88 sr, bp 132/76, rr 18, sats 97% 2L nc, temp 98.6. I/O +1.2L. ",
    "Mark on L groin site for hematoma, area marked with pen at 1400. ",
    "Pt from rehab, returning to rehab. SNF screening. PT/OT consulted. Case management following. ",
    "Ventricular rate 110s, QTc 480. Holter. Zoll pads on. Glasgow 14. Ramsay 3. ",
    "MRSA swabs sent. contact precautions. HOB > 30. VAP bundle. DVT ppx SQH 5000 tid. ",
    "Nurse to nurse report given. Charge RN aware. Resource RN assisted. House officer aware. ",
    "Tube feeds Jevity 1.2 @ 55/hr goal 70. Residuals < 100. Reglan 10 IV q6h. ",
    "Baby boy, day of life 3, bili 11.4/0.4, phototherapy. MOB updated at bedside. FOB called. ",
    "Pupils 3mm -> 2mm brisk. Rhythm sinus 60-70. Cough and deep breathe. Incentive spirometer 750. ",
    "chest xray shows R lower lobe infiltrate. sputum gram stain: GPC in clusters. Dr on call aware. ",
    "pt on Bair Hugger for temp 95.2, rewarmed to 97. Kinair bed, Roho cushion. ",
    "family meeting held, goals of care discussed, pt made DNR/DNI. social work following. ",
    "Drips: propofol 30, fentanyl 50. Sedation holiday at 0800. Daily wake up. ",
    "Hgb 8.1 -> 1 unit PRBC, post 9.0. Plts 142. INR 1.3. PTT 34. Fibrinogen 210. ",
]


def phi_free(n: int = 100, seed: int = 137) -> list[dict[str, Any]]:
    """``n`` PHI-free nursing notes (spans empty), in the same hands."""
    r = random.Random(seed)
    out = []
    for i in range(n):
        k = r.randint(3, 7)
        text = r.choice(["NPN 7A-7P\n", "Nursing Progress Note 1900-0700\n", "", "npn: ", "CSRU NPN\n"]) + "".join(
            r.sample(_FREE, k)
        )
        how = r.choices(["upper", "lower", "mixed"], [35, 20, 45])[0]
        out.append({"id": f"blind11-free-{seed}-{i}", "text": _case(text, how), "spans": [], "style": f"free/{how}"})
    return out
