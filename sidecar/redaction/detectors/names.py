"""Person names in any case (``DR SMITH``, ``dr smith``, ``Dr.Smith``), from word lists guarded by context.

Evidence, strongest first:
- a word of the site's staff directory (site vocabulary), or a first name/surname of the shipped lexicons
  (US Census / SSA, public domain) that is not a known English or clinical word (the safe list) and not a
  function word: a name on its own, in any case (``GARCIA``, ``nguyen``);
- a cue: a title (``Dr``, ``mrs.``, ``Nurse``), a relation word (``daughter``, ``dtr``, ``HCP``), a
  credential before or after (``RN Jones``, ``J SMITH RN``), a label (``Attending:``) or a contact verb
  (``spoke with``, ``paged``). In a cue position any word that is a lexicon name, or is not on the safe list
  (Philter's rule: an unknown word there is a name), is taken; after a title also any capitalised word;
- names extend to adjacent lexicon names, unknown words and initials (``John Q. Public``, ``O'Brien-Smith``),
  and lists continue them (``Dr. X and Y``, ``X, Y and Z``).
Ambiguous names (lexicon names that are also common words: Will, Rose, Hope, Brown, Grant) need a cue or
an adjacent name. Every finding is at most ``_MAX_WORDS`` words of at most ``_MAX_WORD`` letters each, and
the gaps between its words are at most 3 characters: the detector's reach is bounded.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping

import marisa_trie

from sidecar.redaction.detectors.base import gated, mixed_case, substrings
from sidecar.redaction.detectors.lexicons import (
    BODY_HEADS,
    US_STATES,
    ends_address,
    geography_names,
    load_list,
    words,
)
from sidecar.redaction.detectors.regex_gate import ascii_safe, ascii_twin, lower_twin, twinned
from sidecar.redaction.detectors.word_flags import WordFlags
from sidecar.redaction.detectors.wordgate import WordGate
from sidecar.redaction.site_vocabulary import EMPTY, SiteLists, SiteVocabulary
from sidecar.redaction.spans import Span

# word flags
FIRST, LAST, SAFE, FUNC, STAFF = 1, 2, 4, 8, 16
TITLE, REL, CRED, WEAK_CRED, LABEL, CONTACT = 32, 64, 128, 256, 512, 1024
MORPH = 2048  # known only as an inflected form of a safe-list word (``willes`` from ``will``)
_NAMEISH = FIRST | LAST | STAFF
_CUE = TITLE | REL | CRED | WEAK_CRED | LABEL | CONTACT

TITLES = words("dr drs doctor mr mrs ms miss mx mister madam prof professor nurse sr sra srta rev father sister")
RELATIONS = words(
    """son sons daughter daughters dtr dtrs dau wife husband hus hubby spouse partner sister sisters sis brother
    brothers bro mother mom mum father dad parent parents grandson granddaughter grandmother grandfather grandma
    grandpa gma gpa niece nephew aunt uncle cousin friend friends neighbor neighbour boyfriend girlfriend bf gf
    fiance fiancee proxy hcp poa guardian caregiver roommate stepson stepdaughter stepmother stepfather sil dil
    fil mil bil widow widower neice neices gdtr gdau gson gs gd granddtr grandaughter"""
)
# tenth blind corpus: a NICU note's parents (mother/father of baby) and former spouses ("FOB (Joy)", "ex-wife bill")
RELATIONS = RELATIONS | words("mob fob ex-wife ex-husband ex-boyfriend ex-girlfriend")
# eleventh blind corpus: a NICU note's siblings, a companion or landlord named like family ("sibling Bud (age 4)",
# "companion Faith present", "landlord, dimitra, called")
RELATIONS = RELATIONS | words("sibling siblings sib sibs companion landlord landlady stepsister stepbrother")
# thirteenth blind corpus: godparents and godchildren ("GODSON JURGIS IN", "godmother Dympna called")
RELATIONS = RELATIONS | words("godson godsons goddaughter godmother godfather godparent godchild godchildren")
# credentials that are never ordinary words (after or before a name)
CREDENTIALS = words(
    """md rn np lpn lvn cna crna fnp aprn dnp pharmd msw lcsw licsw rrt phd mph bsn msn dds dmd pac mbbs facp
    facs cnm cns anp acnp agnp pa-c dpt otr cota lmhc rph ccrn fnp-bc anp-bc np-c rn-bc pmhnp facog faan"""
)
CREDENTIALS = CREDENTIALS | words("nnp")  # thirteenth blind corpus: a neonatal nurse practitioner ("NNP Ilunga")
# credentials that are also words or abbreviations (PA: Pennsylvania / pulmonary artery): only in upper case
WEAK_CREDENTIALS = words("pa do ho rt ot slp rd cnp sn pta resident intern fellow attending")
LABELS = words(
    """name patient pt client resident attending physician provider surgeon signed contact kin nok pcp
    cc by from to author cosigned cosigner"""
)
# verbs after which a word is in a name position (the next word, after an optional with/to/by)
CONTACT_VERBS = words(
    """spoke talked discussed called paged notified informed seen evaluated examined consulted
    per dw covered covering signed relieved named referring accompanied"""
)
# a capitalised word before these is an eponym (Wells score, Graves' disease), not a person, unless a cue named it
EPONYM_NEXT = words(
    """disease diseases syndrome syndromes score scores criteria sign signs test tests index scale scales
    classification procedure maneuver manoeuvre operation repair fracture palsy phenomenon reflex rule rules
    equation formula method technique stain law effect tumor tumour ulcer node nodes cell cells body bodies
    triad lymphoma anemia anaemia catheter tube position incision approach block protocol questionnaire
    inventory grade staging deformity contracture cyst disorder encephalopathy thyroiditis dystrophy regimen
    chorea agar solution ratio curve point points diet diagnostic pain stand fall coma fundoplication"""
)
_CONTACT_LINKS = frozenset({"with", "to", "by", "w", "out"})
# contact verbs whose slips fast typists leave in notes (``contact_typos``)
_CONTACT_TYPO_BASES = words("spoke talked called paged notified informed discussed")
# titles that are no clinical abbreviation (MR: mitral regurgitation, MS: mental status): after them any word
# written as a name (``Dr. Stamps``, ``DR. WELLS``, ``dr. hope``) is one, except the words notes put there
STRONG_TITLES = words("dr drs mrs prof professor")
_NOT_AFTER_TITLE = words(
    """aware notified paged called here present updated informed made ordered orders order team office note notes
    ok okay visit visits appointment appt said says states stated wants will would would've note's following
    follows recommends recommended rounds rounded family families staff team teams"""
)
# cue words too common to wake the detector on their own: they count with what follows them (gate patterns)
_COMMON_CUES = frozenset({"per", "called", "seen", "sister", "father", "nurse", "friend", "parent", "partner"})
# staff roles notes write before a name ("SW Oksana", "cards fellow Tamsin", "covering MD (Tamsin)"): the next
# word is a name when it is a lexicon name or on no list, and not a word notes put there ("SW following")
ROLES = words(
    """sw cm fellow resident attending intern chaplain pharmacist nutritionist dietitian covering charge rn md np
    pa-c nurse ho coordinator liaison navigator interpreter receptionist secretary scheduler pcp float"""
)
# eighth blind corpus (issue 16): the roles of a code or rapid-response record ("recorder Penny", "code leader
# Khoury", "compressions Oksana/Dawn")
_CODE_ROLES = words("recorder leader scribe timekeeper compressions")
ROLES = ROLES | _CODE_ROLES
ROLES = ROLES | words("mgr")  # thirteenth blind corpus: "case mgr Vukovich"
# services written right before one of their doctors' names ("per EP Sokolov", "CT surgery Prak at bedside", "ID
# Patel aware"): the next word is a name when it is on no list or a lexicon name that is no known word
_SERVICE_HEADS = words("ep nsgy neurosurg neurosurgery surgery cards cardiology anesthesia renal id gi pulm")
# words after which the word before them is a person notes report on ("Tamsin aware", "dtr notified")
# (eighth blind corpus: "ok'd", a staff member's consent: "1u PRBC given, Oduya ok'd")
_REPORT_NEXT = words("aware notified updated ok'd")
# words notes put before "aware" that are no one's name
_NOT_REPORTED = words("staff team family all everyone pt patient service services unit floor house bedside")
_LIST_JOIN = frozenset({"and", "&", "or"})
# what a country or state that is also a first name needs before it to read as a place ("in Jordan", "region:
# Georgia"; not "to Jordan", "from Chad": a person is talked to and heard from)
_PLACE_PREPOSITIONS = words("in across throughout within outside")
_GEO_LABELS = words("region country state nation location origin nationality destination")
# headings of a list of people, not of parts ("Staff:", "Present:", "CC:")
_PEOPLE_HEADINGS = ROLES | RELATIONS | words(
    "staff team family contacts contact visitors present attendees participants cc members providers"
)
# words before "SR" that make it sinus rhythm ("underlying SR", "pt in SR", "converted to SR" reads "to": a title)
_RHYTHM_BEFORE = words("underlying sinus in into rhythm nsr converted remains remained back")
# verbs of moving and origin: "from"/"to" after them point at a place
_MOVE_VERBS = words(
    "moved move moving relocated emigrated immigrated came come comes returned returning travelled traveled "
    "travel travelling traveling flew flies fly flying drove drives driving arrived arriving originally in"
)
# second blind corpus (issue 16): words that name the person before them in parentheses ("Grant (charge)",
# "wojciech (dtr)", "DOT (pt's friend"), verbs of a call ("called will re: labs", "CALL ABEBE AT X 48568"),
# report hand-offs ("report called to Hope on CC7") and services a person comes from ("Zbigniew from IV team")
_PAREN_ROLES = ROLES | RELATIONS | CREDENTIALS | WEAK_CREDENTIALS | words("pt's patient's charge rt pt ot")
_PAREN_OPEN = re.compile(r"[ \t]{0,2}\([ \t]{0,2}\Z")
_CALL_VERBS = words("call called page paged phoned texted")
_CALL_VERBS_OR_LINK = _CALL_VERBS | {"to", "the", "with", "w"}  # built once (speed): a word before a callee
_CALL_NEXT = words("at re back about regarding")
_REPORT_VERBS = words("called given phoned")
_SERVICES = words(
    """pharmacy iv team lab labs blood bank radiology rehab pt ot sw cm nutrition admitting transport security
    dialysis cardiology renal nephrology neurology surgery anesthesia picc ir endoscopy respiratory tox toxicology
    nsgy cards pulm ortho psych"""
)
_REPORT_SLASH = re.compile(r"\)?[ \t]{1,3}\Z")  # "(priya/sipho) aware"
# found from its first dot (a literal: fast), the letter before it is checked in code
_DOTTED_CRED = re.compile(r"\.(?:[pP]\.[nN]|[nNdDpPaA])\.?[ \t.]{0,3}(?=\n|\Z)")
_DOTTED_CREDS = frozenset(("rn", "md", "np", "pa", "lpn"))
# "seen by PT (Padraig)"; services and teams as well ("per ID (Patel)", "anesthesia (Volkova)", "sicu team (Tran)")
_PAREN_AFTER = words(
    """pt ot rt sw cm pharmacy charge team id ep gi ir anesthesia anesthesiology nsgy neurosurgery neurosurg cards
    cardiology pulm renal nephrology neurology surgery ortho psych tox toxicology"""
)
_B2_ALWAYS = _CALL_VERBS | words("report reported from name family rt")
# cue words by what the text holds: [no "(" nor "/", "(", "/", both]
_B2_CUES = (
    _B2_ALWAYS,
    _B2_ALWAYS | _PAREN_ROLES | _PAREN_AFTER,
    _B2_ALWAYS | _REPORT_NEXT,
    _B2_ALWAYS | _PAREN_ROLES | _PAREN_AFTER | _REPORT_NEXT,
)
# what may follow a word that a right-hand cue could still name, up to the end of the text (stream hold-back)
_RIGHT_TAIL = re.compile(
    r"[^\W\d_][\w'’-]{0,29}([ \t]{0,2}[(/][ \t]{0,2}|[ \t]{1,3}|[ \t]{0,2}[.,]?[ \t]{0,3}\n?[ \t]{0,3})"
    r"(?:[^\W\d_]{1,12}(?:['’]s?)?(?:[ \t]{1,3}[^\W\d_]{0,12})?)?[ \t]{0,2}\Z"
)
# gate patterns (hyperscan syntax) for the positions of ``_Scan._role_call_and_signoff_names``
_BLIND2_GATE = (
    r"[A-Za-z][ \t]{0,2}\([ \t]{0,2}(?i:" + "|".join(sorted(w for w in _PAREN_ROLES if "'" not in w)) + r")\b",
    r"[A-Za-z][ \t]{0,2}\([ \t]{0,2}(?i:pt|patient)'s\b",
    r"\b(?i:" + "|".join(sorted(_PAREN_AFTER)) + r")[ \t]{0,2}\([ \t]{0,2}[A-Za-z]",  # "seen by PT (Padraig)"
    r"\)[ \t]{1,3}(?i:aware|notified|updated)\b",  # "(priya/sipho) aware"
    r"\b(?i:call|called|page|paged|phoned|texted)[ \t]{1,3}[A-Za-z][\w'-]{0,29}[ \t]{1,3}"
    r"(?i:at|re|back|about|regarding)\b",
    r"\b(?i:report|reported)[ \t]{1,3}(?:(?i:called|given|phoned)[ \t]{1,3})?(?i:to)[ \t]{1,3}[A-Za-z]",
    r"[A-Za-z][ \t]{1,3}(?i:from)[ \t]{1,3}(?i:" + "|".join(sorted(_SERVICES)) + r")\b",
    r"\b(?i:name)[ \t]{1,3}(?i:is)[ \t]{1,3}[A-Za-z]",
    r"\b(?i:the|to|with|w|called)[ \t]{1,3}[A-Za-z][\w'-]{1,29}[ \t]{1,3}(?i:family)\b",
    r"\b(?i:r\.n|m\.d|n\.p|p\.a|l\.p\.n)\.",
    r"\b(?i:rt)[ \t]{1,3}[A-Z][a-z]",
    r"(?:^|\n)[ \t]{0,3}-?[ \t]?[A-Z][\w'-]{1,29}[ \t]{0,2}\.?[ \t]*(?:\n|$)",  # a line of one name
)
# third blind corpus (issue 16): surname particles (``Dr. De la Cruz``, ``van der Berg``), initials after
# "pt" (``Pt B.V. states``, ``PT MW STATES``), a first name that is a modal verb after a relation word or a role
# (``wife May;``, ``coordinator Will.``, ``RN Will B.``)
_PARTICLES = words("de del della la le van von der den da di du dos das")
_NAME_SAINTS = frozenset(("st", "ste"))  # "Priya St. Clair": a surname particle too
_HYPHEN_PREFIXES = words("al el abu abd ben bin ibn")  # "Al-Sayed", "el-Amin", "Ben-David"
# the kinds of business an employer's or agency's name is followed by (``_Scan._business_head``)
_BUSINESS_HEADS = words(
    """freight trucking plastics textiles hardware shipyard electric vna mill mills lumber construction motors
    foods bakery dairy farms manufacturing logistics builders roofing plumbing"""
)
# words a right-hand rule reads after a word it names (or before the name it takes): a plain word after a word
# settles it only when it is none of these (``_Scan._settled_by_plain_next``)
_RIGHT_CUE_WORDS = (
    _CALL_NEXT | _REPORT_NEXT | _PAREN_ROLES | _PAREN_AFTER | ROLES | _SERVICES | _PARTICLES | _LIST_JOIN
    | _CONTACT_LINKS | _DOTTED_CREDS | words("from family is named name")
)
_B3_FLAGS = CRED | REL | CONTACT
_PT_WORDS = frozenset(("pt", "patient"))
_PT_INITIALS = gated(
    "[pP]",
    r"(?i:\b(?:pt|patient)\.?)[ \t]{1,2}(?:(?P<d>[A-Za-z]\.[ \t]?[A-Za-z]\.(?:[ \t]?[A-Za-z]\.)?)"
    r"|(?P<b>[A-Za-z]{2,3})(?=[ \t]{1,2}(?i:states|stated|reports|reported|denies|c/o|complains|presents|"
    r"presented|notes|says|endorses|arrived|returns|agrees|declines|refuses)\b))"
)
_PT_INITIALS_OPEN = re.compile(
    r"(?i:\b(?:pt|patient)\.?)[ \t]{1,2}(?P<b>[A-Za-z]{2,3})(?:[ \t]{1,2}[A-Za-z/]{0,10})?\Z"
)
_LONE_LINE = re.compile(r"(?m)^[ \t]{0,3}-?[ \t]?([^\W\d_][\w'’-]{1,29})[ \t]{0,2}\.?[ \t]*$")
# fourth blind corpus (issue 16): a first name, an initial with its period and a credential (a sign-off); the person
# of a phone call, page or report; roles before what staff do
_B4_INITIAL_CRED = gated(
    r"\.",
    r"(?<=[A-Za-z])(?<![\w.][A-Za-z])\.[ \t]{1,3}"
    r"(?i:r\.?n\.?|l\.?p\.?n\.?|n\.?p\.?|m\.?d\.?|p\.?a\.?|h\.?o\.?|rrt|rt|sw|licsw|cna|pca|pt|ot|cm|slp)(?![\w-])"
)
_B4_CALL_CUE = gated(
    "[tTpPmMrRcC]",
    r"(?i:\bt/c[ \t]{1,2}(?:from|to|w/?)|\bpage(?![ \t]{1,3}me\b)|\bmarried[ \t]to|\breport[ \t]given[ \t]to"
    r"|\bcall[ \t]from)[ \t]{1,3}"
)
# every match of _B4_CALL_CUE holds one of these, lower-cased (speed: ASCII texts without them skip its scan)
_B4_CALL_WORDS = ("t/c", "page", "married", "report", "call")
_B4_CALL_WORD = substrings(_B4_CALL_WORDS)  # speed: one scan for all of them
_BLIND4_GATE = (
    r"(?i:\bt/c[ \t]{1,2}(?:from|to|w)|\bpage[ \t]{1,2}[a-z]|\bmarried[ \t]to|\btook[ \t]report|\breport[ \t]given"
    r"|\bcall[ \t]from)",
    r"\b[A-Za-z]\.[ \t]{1,3}(?i:r\.?n|l\.?p\.?n|n\.?p|m\.?d|p\.?a|h\.?o|rrt|rt|sw|licsw|cna|pca|pt|ot|cm|slp)\b",
)
_ASSIST_LEVELS = words("min mod max minimal moderate maximal total contact standby cga sba")
_B4_ROLES = words("cm sw pt ot rt chaplain nutritionist case manager")
_B4_KEYS = _B4_ROLES | frozenset(("pt", "patient", "from")) | RELATIONS  # the words the loop looks at
_B4_STAFF_DOES = words("following met aware notified updated called paged")
# fifth blind corpus (issue 16): in-law relations; names in a "spoke w/" / "d/w" list; a clause-opening first name
# before what visitors and staff do ("Rose in to visit", "DAWN WOULD LIKE CALL"); a possessive before a relation
# ("JONES'S WIFE"); "BABY BOY X", "TWIN B X"; staff by role ("resident Hall paged", "pastor Frost visited");
# "covering for X", "report from X", "paged X @", "per X,"; initials signing off ("acb/rn", "K.W RN")
IN_LAWS = words(
    """son-in-law daughter-in-law mother-in-law father-in-law brother-in-law sister-in-law sons-in-law
    daughters-in-law dtr-in-law dau-in-law sis-in-law bro-in-law"""
)
_B5_WITH = gated(
    "[sStTdDmMcC]",
    r"(?i:\b(?:spoke|spoken|speak|speaking|talked|talk|talking|discuss|discussed|discussing|met|meet|meeting|mtg|"
    r"conference|conferred)\b[^.;\n]{0,24}?\bw(?:/|ith\b)|\bd/w\b)"
    r"[ \t]{0,3}"
)
# speed: each rule runs only when the lower-cased text holds one of its literals
_B5_WITH_KEYS = words(
    "spoke spoken speak speaking talk talked talking discuss discussed discussing met meet meeting mtg conference "
    "conferred"
)
_B5_VISIT_KEYS = words(
    "in would at visited visiting asking asked wants took came turned calling requesting requests"
)
_B5_HAND_KEYS = words("covering cover covered relieved report hand-off handoff handed paged page called call per")
_B5_WITH_D = _B5_WITH_KEYS | {"d"}  # "d/w": built once (speed), as the unions below
_B5_KEYS = _B5_WITH_D | _B5_VISIT_KEYS | _B5_HAND_KEYS
_B5_SERVICE_NEXT = words("team service services fellow attending resident rn md nurse staff office clinic dept")
_B5_BABY = gated("[bBtT]", r"(?i:\bbaby[ \t]{1,2}(?:boy|girl)|\btwin[ \t]{1,2}[abc12])[ \t]{1,3}(?=[A-Za-z])")
_B5_VISIT = gated(
    "[iIwWaAvVtTcCrR]",
    r"(?<=[ \t])(?i:in[ \t]{1,2}to|would[ \t]{1,2}like|at[ \t]{1,2}bedside|visited|visiting|asking|asked|wants|"
    r"took[ \t]{1,2}report|came[ \t]{1,2}in|turned|calling|requesting|requests)\b"
)
_B5_VISITOR = re.compile(r"(?i:in|would|visit|ask|wants|came|request)")
_B5_OPENS = re.compile(r"(?:\A|[\n.!;:|(]|--?)[ \t]{0,3}\Z")
_B5_ROLES = words("worker pastor rabbi priest minister reverend deacon resident fellow attending chaplain liaison")
_B5_ROLE_NEXT = words(
    """paged called aware notified updated following visited visiting in at ok here to and said says states
    stated came left will would wants assisted"""
)
_B5_HANDOVER = gated(
    "[cCrRhH]",
    r"(?i:\b(?:covering[ \t]{1,2}for|cover(?:ed)?[ \t]{1,2}for|relieved[ \t]{1,2}by|report[ \t]{1,2}from|"
    r"hand-?off[ \t]{1,2}to|handed[ \t]{1,2}off[ \t]{1,2}to))[ \t]{1,3}(?=[A-Za-z])"
)
_B5_NOT_HANDED = words(
    """day night evening days nights am pm overnight previous prior oncoming offgoing off the ed er or pacu rn
    nurse team shift staff unit floor icu micu sicu ccu csru nicu"""
)
_B5_CALL_AT = gated("[pPcC]", r"(?i:\b(?:paged|page|called|call)[ \t]{1,3})(?=[A-Za-z][\w'-]{1,29}[ \t]{0,2}@)")
_B5_PER = gated("[pP]", r"(?i:\bper[ \t]{1,3})(?=[A-Za-z][\w'-]{1,29}[ \t]{0,2}(?:[,/:]|(?i:ok)\b))")
_B5_NOT_PER = words("protocol policy order orders report md rn np team plan pharmacy family pt patient")
_B5_INITIALS_SIGN = re.compile(
    r"(?m)(?:^|[.;!][ \t]{1,3}|--?[ \t]{0,2})[ \t]{0,3}(?P<i>[A-Za-z](?:\.?[A-Za-z]){1,2}\.?)"
    r"[ \t]{0,2}[/, \t][ \t]{0,2}"
    r"(?i:rn|r\.n\.|lpn|np|md|licsw|lcsw|msw|rrt|cna|bsn)\b(?:/[A-Za-z]{2,5})?[ \t.]*$"
)
_B5_NOT_INITIALS = words(
    """pt ot rt iv ok po to by per am pm and the in on at of or dr ms mr md np rn pa icu ed er sw cm ccu pca lpn
    day eve noc new old all any via our his her one two six ten"""
)
# what a newborn is or does after "BABY BOY" ("baby boy born at 32 wk"): no name
_B5_NEWBORN = words(
    """born delivered admitted transferred stable remains tolerating weighs weighing doing feeding sleeping crying
    resting noted was is has had"""
)
# words before RN that say which nurse, not who ("Charge RN Frank", "Resource RN Mahad Long")
_B5_NURSE_KIND = words(
    """charge resource float primary night day covering oncoming offgoing triage admitting staff travel agency
    bedside circulating scrub icu micu sicu ccu nicu picu floor"""
)
# the words those rules read right of a name: a stream holds a name until the word after it is none of them
_B5_RIGHT_WORDS = _B5_ROLE_NEXT | words(
    "visited visiting asking asked wants turned calling requesting requests would like bedside came team took"
)
_RIGHT_CUE_WORDS = _RIGHT_CUE_WORDS | _B5_RIGHT_WORDS
# device heads after an eponym ("Salem sump", "Hickman line"): the name before them is the device's
EPONYM_NEXT = EPONYM_NEXT | words("sump drain drains valve splint")
EPONYM_NEXT = EPONYM_NEXT | words("wort")  # St. John's wort (a herbal drug)
# device heads after an eponym (seventh blind corpus: Glenn shunt, Bennett vent); never grown into a name, though
# "Vent" is also a surname
_DEVICE_HEADS = words("shunt vent ventilator")
EPONYM_NEXT = EPONYM_NEXT | _DEVICE_HEADS
_BLIND5_GATE = (
    r"(?i:\b(?:spoke|speak|talk|talked|discuss|discussed|met|meet|meeting|mtg|conferred)\b[^.;\n]{0,24}\bw(?:/|ith\b)"
    r"|\bd/w\b)",
    r"(?i:\bbaby[ \t]{1,2}(?:boy|girl)\b|\btwin[ \t]{1,2}[abc12]\b|-in-law\b)",
    r"[A-Za-z]'[sS][ \t]{1,2}(?i:" + "|".join(sorted(w for w in RELATIONS if w.isalpha())) + r"|team)\b",
    r"(?i:[ \t](?:in[ \t]{1,2}to|would[ \t]{1,2}like|at[ \t]{1,2}bedside|visited|visiting|asking|asked|wants|"
    r"took[ \t]{1,2}report|came[ \t]{1,2}in|turned|calling|requesting|requests)\b)",  # as _B5_VISIT
    r"(?i:\b(?:worker|pastor|rabbi|priest|minister|reverend|deacon|resident|fellow|attending)[ \t]{1,3}[a-z])",
    r"(?i:\b(?:covering[ \t]{1,2}for|cover(?:ed)?[ \t]{1,2}for|relieved[ \t]{1,2}by|report[ \t]{1,2}from|"
    r"hand-?off[ \t]{1,2}to|handed[ \t]{1,2}off[ \t]{1,2}to))",  # as _B5_HANDOVER
    r"(?i:\b(?:paged|page|called|call)[ \t]{1,3}[a-z][\w'-]{1,29}[ \t]{0,2}@)",
    r"(?i:\bper[ \t]{1,3}[a-z][\w'-]{1,29}[ \t]{0,2}(?:[,/:]|ok\b))",
    r"(?i:[a-z][ \t]{0,2}[/, \t][ \t]{0,2}(?:rn|lpn|licsw|lcsw|msw|rrt|cna)[ \t.]*(?:\n|$))",
)
# sixth blind corpus (issue 16): "s/o X" (significant other), the person a report is given to or by ("rpt to
# Grace @ 0700", "report given by Cormac, received by Linnea", "updated by Dmitri"), a ward helper before or after a
# name ("the sitter kiki", "Deb the PCA"), the names of a contact list ("Contacts: Ximena 555-1148; Consuelo
# 5-5250") and of visitors in parentheses ("family at bedside (Sterling and Holly)")
_B6_REPORT = gated(
    "[rRgGuUhHaAsSoO]",
    r"(?i:\b(?:rpt|report|reported)(?:[ \t]{1,2}(?:given|called|phoned))?[ \t]{1,2}to"
    r"|\b(?:report[ \t]{1,2}given|given|received|updated|assessed|accepted|signed[ \t]{1,2}out|ok'?d|approved)"
    r"[ \t]{1,2}by)[ \t]{1,3}"
    r"(?=[A-Za-z])"
)
_B6_REPORT_KEYS = words("rpt report reported given received updated assessed accepted signed ok'd okd approved")
_B6_HELPERS = words("sitter pca tech aide supervisor secretary clerk interpreter")
_B6_CONTACTS = twinned(re.compile(r"(?i:\bcontacts?)[ \t]{0,2}:[ \t]{0,3}"))
_B6_PAREN_VISITORS = twinned(re.compile(
    r"(?i:\b(?:family|visitors?|relatives|at[ \t]{1,2}(?:bedside|bs))\b)[^.;\n()]{0,24}\([ \t]{0,2}\Z"
))
_B6_NUMBER_NEXT = re.compile(r"(?:[ \t]{1,2}[A-Za-z][A-Za-z'-]{0,24})?[ \t]{1,2}[(#]?\d")
_B6_NOT_PERSON = words("phone pt patient staff team md rn np pa unit floor icu family home chart nurse ed er or")
_BLIND6_GATE = (
    r"(?i:\bs/o[ \t]{1,3}[a-z])",
    r"(?i:\b(?:rpt|report|reported)(?:[ \t]{1,2}(?:given|called|phoned))?[ \t]{1,2}to[ \t]{1,3}[a-z]"
    r"|\b(?:given|received|updated|assessed|accepted|out|ok'?d|approved)[ \t]{1,2}by[ \t]{1,3}[a-z])",
    r"(?i:\b(?:sitter|pca|tech|aide|supervisor|secretary|clerk|interpreter)\b)",
    r"(?i:\bcontacts?[ \t]{0,2}:)",
    r"(?i:\b(?:family|visitors?|relatives|bedside|bs)\b[^.;\n()]{0,24}\()",
)
# seventh blind corpus (issue 16): relation words as fast typists write them (one edit from a relation word and on no
# list: ``dughter``, ``hsuband``, ``sistr``, ``wief``), glued to the name by a hyphen (``son-Ivy``, ``DAUGHTER-OLU``:
# split in ``_split_glued_relations``) or a slash (``dtr/will``), ``dtr in law X``; a name opening a clause before
# what people do (``Kwame tearful``, ``Heather called``, ``Olu + Joy to bring``); the person of an update or a request
# (``continue to update Ngozi``, ``asking for Seamus``); visitor and caller lists; nicknames (``calls self Sully``,
# ``goes by Red``); initials signing off after a slash or dotted at a line end (``/JC``, ``a.e.``); ``per X.`` at a
# clause end; a name alone ending a line after a sentence (``slept in naps. Kwame``)
_KEY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_REL_ABBREVIATIONS = words("husb stepdtr stepdau")
_SHORT_SLIPS = words("wief wfie wfe sone")  # slips of "wife" and "son", too short for ``relation_typos``
# what people do right after their name at a clause opening (one adverb may come between: ``Oksana very anxious``)
# (only verbs the name gate wakes the scan for, ``_BLIND7_GATE`` and the report gate: a rule read only where another
# cue woke the scan names differently in a stream's window than in the whole text)
_SUBJECT_VERBS = words(
    "called calls calling phoned tearful crying anxious upset concerned visited aware updated notified"
)
_SUBJECT_ADVERBS = words("very quite also still now extremely somewhat visibly initially again then just more less")
# two-word phrases after a name that say what a person will do or is (``Ximena will be in``, ``X to bring cards``)
_SUBJECT_PAIRS = frozenset(
    {("will", w) for w in ("be", "call", "come", "bring", "visit", "return", "stay")}
    | {("to", w) for w in ("bring", "call", "visit", "come", "return")}
    | {("is", w) for w in ("hcp", "proxy", "the", "here", "aware", "pt's")}
    | {("in", w) for w in ("this", "today", "tonight", "tomorrow", "earlier", "later")}
    | {("ok", w) for w in ("w", "with")}
    # eighth blind corpus: a request or report about the patient ("Connie asks that", "Hope states pt would"), a
    # feeling after a copula ("Rania was tearful"), a phone number ("WISLY'S NUMBER IS"), a person and a relative
    # of theirs ("Bozena and her husband Chidi"), visitors present ("Dmitri and Penny here til 1800")
    | {(a, w) for a in ("asks", "asked") for w in ("that", "about", "if", "whether")}
    | {(a, "pt") for a in ("states", "stated")}
    | {(a, w) for a in ("is", "was") for w in ("tearful", "upset", "anxious", "crying", "concerned")}
    | {("number", "is"), ("and", "her"), ("and", "his")}
    | {("here", w) for w in ("til", "till", "until", "all", "since", "overnight")}
    # ninth blind corpus: a clinic note's subject coming back ("HPI: Grace returns for follow-up", "Hunter presents
    # today with", "Rusty comes in for")
    | {(a, w) for a in ("returns", "presents") for w in ("for", "today")}
    | {("comes", "in"), ("came", "in")}
)
_SUBJECT_PAIR_HEADS = frozenset(a for a, _ in _SUBJECT_PAIRS)
_SUBJECT_JOIN = re.compile(r"[ \t]{0,2}(?:[+&/,]|and|AND|And)[ \t]{0,2}\Z")
# a clause opens after a comma too: run-on notes join clauses with commas ("CSF, BILL CALLED", ", Rania was tearful")
_SUBJECT_OPENS = re.compile(r"(?:\A|[\n.!;:|(,]|--?)[ \t]{0,3}\Z")
# the person of an update or a request: the word after these (``continue to update Ngozi``, ``asking for Seamus``)
_OBJECT_CUES = (
    r"update|updated|updating|asking[ \t]{1,2}for|asked[ \t]{1,2}for|asks[ \t]{1,2}for|calling[ \t]{1,2}for|"
    r"crying[ \t]{1,2}out[ \t]{1,2}for|notify|inform|"
    r"found[ \t]{1,2}(?:down[ \t]{1,2})?(?:at[ \t]{1,2}home[ \t]{1,2})?by|"
    r"confirmed[ \t]{1,2}w(?:/|ith)|replaced[ \t]{1,2}by|"
    # eighth blind corpus: the person a call, a message or news goes to, and whom a visitor came with ("she will
    # call Bernadette", "she'll pass on to Vuthy", "no info be given to Dot", "left msg for Spiros", "in to visit
    # w/ Chidi")
    r"(?:will|to|pls|please|she'?ll|he'?ll|they'?ll)[ \t]{1,2}call|"
    r"pass(?:ed|ing)?[ \t]{1,2}(?:it[ \t]{1,2})?(?:on|along)[ \t]{1,2}to|given[ \t]{1,2}to|"
    r"(?:msg|message|vm|voicemail)[ \t]{1,2}(?:for|to)|visit(?:ing)?[ \t]{1,2}w(?:/|ith)"
)
_OBJECT_CUE = twinned(gated("[uUaAcCnNiIrRfFwWtTpPsShHgGmMvV]", rf"\b(?i:{_OBJECT_CUES})[ \t]{{1,3}}(?=[A-Za-z])"))
_OBJECT_BEFORE = re.compile(rf"\b(?i:{_OBJECT_CUES})[ \t]{{1,3}}\Z")  # the same cues, ending a stream's text
_SENTENCE_BEFORE = re.compile(r"[.!?][ \t]{1,3}\Z")
_OBJECT_KEYS = words(
    """update updated updating asking asked asks calling crying notify inform found confirmed replaced will to pls
    please she'll he'll they'll shell hell theyll pass passed passing given msg message vm voicemail visit visiting"""
)
# after a person, not a thing
_OBJECT_NEXT = words("repeatedly again overnight all constantly re about on of w at by back")
# words after ``found down at home by`` / ``brought in by`` that say how, not who (``by EMS``, ``by ambulance``)
_NOT_OBJECT = words("ems ambulance phone mouth chart fire police staff md rn team family pt patient")
_VISITOR_CUE = gated(
    "[vVcCiI]",
    r"\b(?i:visitors?(?:[ \t]{1,2}today)?|callers?(?:[ \t]{1,2}today)?|visited[ \t]{1,2}by|in[ \t]{1,2}today)"
    r"[ \t]{0,2}[:,-][ \t]{0,3}(?=[A-Za-z])"
)
# a list of people after a heading naming a group of them (``Oncoming team: Xu, Crandall and Phạm``, ``The care
# team members were Rivers, Zhou``, ``Attendees at the family meeting: Konstantinou, dos Santos``)
_TEAM_LIST_CUE = gated(
    "[tTaApPcCmM]",
    r"\b(?i:team(?:[ \t]{1,2}members)?|attendees|participants|coordinators|members)"
    r"(?:[ \t]{1,2}(?i:at|of|for|in)(?:[ \t]{1,2}[^\W\d_]+){1,3})?"
    r"(?:[ \t]{0,2}:|[ \t]{1,2}(?i:were|are|include|included|includes):?)[ \t]{1,3}(?=[^\W\d_])",
)
_TEAM_LIST_GATE = (
    r"(?i:\b(?:team|attendees|participants|coordinators|members)(?:[ \t]{0,2}:|[ \t]{1,2}(?:were|are|include)"
    r"|[ \t]{1,2}(?:at|of|for|in)[ \t]))"
)
_TEAM_KEYS = words("team attendees participants coordinators members")
_TEAM_LIST_REACH = 96  # items start at most this far after the heading (a stream's window holds the heading)
_ITEM_END = re.compile(r"[ \t]{0,2}[,.;\n]|[ \t]{1,2}(?i:and|or)[ \t]")  # a one-word item ends: "Rivers,"
_NICKNAME_CUE = gated(
    "[cCgGkKnNpP]",
    r"\b(?i:calls[ \t]{1,2}(?:him|her)?self|goes[ \t]{1,2}by|known[ \t]{1,2}as|nicknamed?|"
    r"prefers[ \t]{1,2}to[ \t]{1,2}be[ \t]{1,2}called)[ \t]{1,3}[\"'(]?(?=[A-Za-z])"
)
_NICK_KEYS = words("calls goes known nicknamed nickname prefers")
_REL_SLASH = re.compile(r"[ \t]{0,2}/[ \t]{0,2}\Z")  # "dtr/will", "HUSBAND/ARJUN"
_NOT_NICKNAME = words("first last middle full given her his their name names nickname initials mr mrs ms dr")
_SLASH_INITIALS = re.compile(r"(?:^|[ \t])/[ \t]?(?P<i>[A-Za-z](?:\.?[A-Za-z]){1,2}\.?)(?=[ \t]*\n)", re.M)
# eighth blind corpus: two or three letters after a dash signing off after a sentence, at a line's or the text's end
# (``drainage. -NM``); the stream holds letters after a dash (``_clause_name_hold``)
_DASH_INITIALS = re.compile(r"(?:^|[.!?;,][ \t]{1,3})--?[ \t]?(?P<i>[A-Za-z]{2,3})[ \t.]*(?=\n|\Z)", re.M)
_DOTTED_INITIALS = re.compile(
    r"[.!?][ \t]{1,3}(?P<i>[A-Za-z]\.[A-Za-z](?:\.[A-Za-z])?\.?)(?=[ \t]*(?:\n|\Z))"
)
# units and dotted abbreviations that end lines like initials do (``40 cc /hr``, ``given p.o.``)
_NOT_SIGN_INITIALS = _B5_NOT_INITIALS | words(
    """hr hrs min mins sec day days wk wks mo yr yrs kg dl ml po iv im sc sq pr am pm qd bid tid qid prn npo eg ie
    rn md np pa od os ou ad as au hs ac pc"""
)
_PER_END = gated(
    "[pP]", r"\b(?i:per)(?:[ \t]{1,3}|[ \t]{0,2}:[ \t]{0,2})(?=[A-Za-z][\w'-]{1,29}(?:[.;\n]|[ \t](?i:ok)\b))"
)
# a record header's patient line in "Last, First M" order ending its line (ninth blind corpus, longitudinal
# records): "Re: QUINLAN, EDWARD J", "PATIENT: Van der Berg, Dawn   MRN: ...", "re: root, keiko l", and an initial
# before a surname ("Patient: R. Hrabowski  MRN 7869683")
_HEADER_LAST_FIRST = re.compile(
    r"(?m:^)[ \t]{0,3}(?i:re|patient|pt|name|patient[ \t]name)[ \t]{0,2}:[ \t]{0,3}"
    r"(?P<n>[^\W\d_][\w'’-]{0,29}(?:[ \t][^\W\d_][\w'’-]{0,29}){0,2}[ \t]{0,2},[ \t]{0,2}[^\W\d_][\w'’-]{1,29}"
    r"(?:[ \t]{1,2}[^\W\d_]\.?)?"
    # or an initial and a surname: "PATIENT: E. HRABOWSKI  MRN 6873426"
    r"|[^\W\d_]\.[ \t]{0,2}[^\W\d_][\w'’-]{1,29}(?:[ \t][^\W\d_][\w'’-]{1,29})?)"
    r"(?=[ \t]*(?:\n|\Z)|[ \t]{2,}\S|[ \t]{1,3}(?i:mrn|mr|dob|unit|id|acct|med)\b)"
)
_LINE_FINAL = re.compile(r"[.!?][ \t]{1,3}(?P<w>[A-Za-z][\w'’-]{2,29})(?=\n)")
# a clause-opening name before what family and staff do (``_subject_names``) wakes the scan only with the verbs prose
# about the patient rarely has ("Patient agrees", "denies", "states" would wake it on most prose); with the others
# the rule reads the texts another name cue woke the scan for
_BLIND7_GATE = (
    r"[A-Za-z][ \t]{1,3}(?i:"
    + "|".join(sorted(_SUBJECT_VERBS | {rf"{a}[ \t]{{1,2}}{b}" for a, b in _SUBJECT_PAIRS}))
    + r")\b",
    rf"\b(?i:{_OBJECT_CUES})",
    r"\b(?i:visitors?|callers?|in[ \t]{1,2}today|visited[ \t]{1,2}by)\b",
    r"\b(?i:calls[ \t]{1,2}(?:him|her)?self|goes[ \t]{1,2}by|known[ \t]{1,2}as|nicknamed?|"
    r"prefers[ \t]{1,2}to[ \t]{1,2}be)\b",
    r"(?:^|[ \t])/[ \t]?[A-Za-z](?:\.?[A-Za-z]){1,2}\.?[ \t]*\n",
    r"[.!?][ \t]{1,3}[A-Za-z]\.[A-Za-z]",
    r"\b(?i:per)(?:[ \t]{1,3}|[ \t]{0,2}:[ \t]{0,2})[A-Za-z][\w'-]{1,29}(?:[.;\n]|[ \t](?i:ok)\b)",
    # a line end, never the end of the text: a stream's buffer often ends ". Word" (the scan would wake at each)
    r"[.!?][ \t]{1,3}[A-Za-z][\w'-]{2,29}\n",
    r"\b(?i:in[ \t]{1,2}law)\b",
    # a relation glued to its name ("PARTNER-IRIS", "dad/Nikos"): the gate reads the glued token as one word
    r"\b(?i:" + "|".join(sorted(w for w in RELATIONS if w.isalpha())) + r")[-/][A-Za-z]",
)
# ---- names in model answers (issue 16, bench/answers_corpus.py): letters, summaries, lists and e-mails in
# well-formed prose, names of many origins written with their diacritics
_FOLD_LETTERS = str.maketrans({"ø": "o", "ß": "ss", "ł": "l", "đ": "d", "æ": "ae", "ı": "i", "ð": "d", "þ": "th"})
# greetings that open a letter or e-mail: the words before the comma are the addressee ("Hi Halldór,")
_GREETING = re.compile(r"\b(?i:hi|hello|hey|dear|greetings)[ \t]{1,3}(?=[^\W\d_])")
# verbs of prose whose object is a person ("You can reach Vörös at", "Thanks for seeing Radović")
_PROSE_OBJECT_VERBS = (
    r"reach|reached|seeing|saw|copied|cc|cc'd|thanked|met[ \t]{1,2}with|spoke[ \t]{1,2}(?:to|with)|told|asked|"
    r"contact|contacted|e-?mailed|texted|introduced|listed|filed[ \t]{1,2}under|remind|reminded"
)
_PROSE_OBJECT = re.compile(rf"\b(?i:{_PROSE_OBJECT_VERBS})[ \t]{{1,3}}(?=[^\W\d_])")
_LOWER_TWINS = tuple(map(lower_twin, (_GREETING, _PROSE_OBJECT)))  # ``_Scan._any_case`` runs these: checked at import
# verbs of prose whose subject is a person ("Yesterday Nguyễn declined", "Phạm would prefer")
_PROSE_SUBJECT_VERBS = words(
    "said says agreed agrees declined declines prefers preferred wants wanted would will asked asks thanked met "
    "spoke confirmed requested refused mentioned explained reported called was is has had also still"
)
# verbs only people do, right after a name written as one in prose (model answers: "On review, Chikwanha said",
# "Later that day Konstantinou thanked"): a capitalised word on no list is the person; a lexicon name that is also
# a word (Underwood, Fields) is one before these and a few verbs of decision (``_Scan._speaker_subjects``)
_SPEAKER_VERBS = words("said says told tells asked asks thanked spoke mentioned explained")
_DECIDER_VERBS = _SPEAKER_VERBS | words("declined agreed prefers wants wanted")
_SPEAKER_VERBS = _SPEAKER_VERBS | words("shouted yelled whispered replied exclaimed")
_DECIDER_VERBS = _DECIDER_VERBS | _SPEAKER_VERBS
_SPEAKER_GATE = r"[A-Z]\S{2,30}[ \t]{1,2}(?:" + "|".join(sorted(_DECIDER_VERBS)) + r")\b"
# what a person is called, and a quote's speaker after its verb ("everyone calls me Aantje", "She named him Luís",
# "known as Rafe", "..., says Hartvigsson.", "said Gladys to Logan"): the next word, in any case when on no list
_CALLED = re.compile(
    r"(?i:\b(?:call(?:s|ed|ing)?[ \t]{1,2}(?:me|him|her|them)|named[ \t]{1,2}(?:him|her|them|me)|"
    r"(?:known|goes|go)[ \t]{1,2}(?:as|by)|nicknamed))[ \t]{1,2}(?=[^\W\d_])"
)
_ATTRIBUTED = re.compile(r"(?i:\b(?:says|said|replied|added|wrote|asked|shouted|exclaimed))[ \t]{1,2}(?=[A-Z])")
_CALENDAR_WORDS = words(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july august "
    "september october november december christmas easter thanksgiving today tomorrow yesterday"
)
_CALLED_GATE = (
    r"(?i:\b(?:call(?:s|ed|ing)?[ \t]{1,2}(?:me|him|her|them)|named[ \t]{1,2}(?:him|her|them|me)|"
    r"(?:known|goes|go)[ \t]{1,2}(?:as|by)|nicknamed)[ \t]{1,2})[A-Za-z]",
    r"(?i:\b(?:says|said|replied|added|wrote|asked|shouted|exclaimed))[ \t]{1,2}[A-Z]",
)
_PROSE_GATE = (
    r"\b(?i:hi|hello|hey|dear|greetings)[ \t]{1,3}",
    r"\b(?i:" + _PROSE_OBJECT_VERBS + r")[ \t]{1,3}[A-Z]",  # a person word wakes the scan by itself
    # two capitalised words (an initial between them), anywhere: a first name and a surname in ASCII
    r"[A-Z][A-Za-z'-]{0,29}[ \t]{1,3}(?:[A-Z]\.[ \t]{1,3})?[A-Z]",
    # surname particles (``_particles``: "oluwaseun van der heijden" in a line without case)
    r"\b(?i:van|von|der|den|del|della|dos|das)[ \t]{1,3}[A-Za-z]",
)
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


def _has_wide_letter(text: str) -> bool:
    """``text`` holds a letter outside ASCII (``ø``, ``ễ``; not the dashes, quotes and marks of typeset prose): the
    name rules that read such letters (``person_word``) run on it. The gate's hyperscan patterns see ASCII only."""
    if text.isascii():
        return False
    return any(c.isalpha() for m in _NON_ASCII_RUN.finditer(text) for c in m.group())


@functools.lru_cache(maxsize=8192)
def _ascii_fold(low: str) -> str:
    """``low`` without its diacritics, as the lexicons spell names (``nguyễn`` -> ``nguyen``, ``søren``)."""
    decomposed = unicodedata.normalize("NFKD", low.translate(_FOLD_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=8192)
def _product_shaped(word: str) -> bool:
    """A capital inside a word part (``MiniMed``, ``FreeStyle``, ``MyChart``): a product, not a person; ``McAuliffe``,
    ``MacLeod``, ``DeLuca``, ``LaFleur`` and ``O'Brien`` are names."""
    rest = word[1:]
    if rest == rest.lower():  # speed: no capital after the first letter, so none inside a part
        return False
    for part in re.split(r"['’-]", word):
        inner = part[1:]
        capital_inside = any(c.isupper() for c in inner) and not part.isupper()
        if capital_inside and not re.match(r"(?:Mc|Mac|De|Di|Da|Du|La|Le|Van|Von)[A-Z]", part):
            return True
    return False


# the gap a cue's rules accept before the word they name (``_CUE_GAP``), in the gate's patterns
# tenth blind corpus (issue 16): a clergy title before a name ("Fr. Quintal from St. X in for anointing", "pastor
# okafor"); "fr" after a number is a catheter's French size ("14 fr foley"); twelfth blind corpus: the same for a
# police title ("Det. Strand wants call back", "officer karapetian", "STATE POLICE ROSE")
_TITLE_WORDS = r"(?i:fr|pastor|rabbi|imam|deacon|reverend|msgr|monsignor|officer|det|detective|trooper|sgt|police)"
_CLERGY = twinned(re.compile(r"(?<![\w.])(?<!\d[ \t])" + _TITLE_WORDS + r"\.?[ \t]{1,2}(?=[A-Za-z])"))
_CLERGY_GATE = r"\b" + _TITLE_WORDS + r"\.?[ \t]{1,2}[A-Za-z]"
# an article or determiner before the title makes it a common noun, the next word a verb ("the officer said")
_TITLE_AS_NOUN = re.compile(r"(?i:\b(?:the|a|an|this|that|another|each)[ \t]{1,2})\Z")
_SIGN_CREDS = r"(?i:rn|r\.n\.|rrt|lpn|sn|np|bsn|ccrn)"
# a line signed with one letter before a surname and its credential ("s lu rrt", "c yamaguchi rn, bsn")
_SIGN_LETTER_LINE = re.compile(
    r"(?m)^[ \t]{0,3}(?P<i>[A-Za-z])\.?[ \t]{1,2}(?P<n>[A-Za-z][\w'’-]{1,29})[ \t]{0,2},?[ \t]{0,2}"
    + _SIGN_CREDS + r"\b[ \t,/.A-Za-z]{0,16}$"
)
# a line signed with two or three initials and a credential ("ms rn ccrn", "LS RN, BSN")
_SIGN_INITIALS_LINE = re.compile(
    r"(?m)^[ \t]{0,3}(?P<i>[A-Za-z]{2,3})[ \t]{1,2}" + _SIGN_CREDS + r"\b(?:[ \t]{0,2}[,/]?[ \t]{0,2}"
    + _SIGN_CREDS + r"\b)?[ \t.]*$"
)
# a section, unit or route before a credential names a kind of nurse, not initials ("ICU RN", "IV RN", "NEURO RN")
_NOT_SIGN_LETTERS = words("pt cv id gi gu np md rn sn pa ot rt neuro resp icu ccu iv er ed or ir cvl picc hd")
# eleventh blind corpus: a note signed inline at its end, after its last sentence ("OK'D 250 NS. K WEEKS R.N.",
# "updated by RN. m may rrt"), or with initials after a dash ending a run-on note ("sbp 90s -BD")
_SIGN_WORD = r"[A-Za-z](?:\.[A-Za-z][\w'’-]{0,29}|\.|[\w'’-]{0,29})"  # a word, an initial, "B.Oduya"; no sentence end
_INLINE_SIGN = re.compile(
    r"(?:[.!?]|\A)[ \t]{1,3}(?P<s>" + _SIGN_WORD + r"(?:[ \t]{1,2}" + _SIGN_WORD + r"){0,2}?)"
    r"[ \t]{0,2},?[ \t]{0,2}" + _SIGN_CREDS + r"(?:[ \t]{0,2}[,/][ \t]{0,2}" + _SIGN_CREDS + r")?[ \t.]*\Z"
)
_RUN_ON_DASH_INITIALS = re.compile(r"[A-Za-z\d][ \t]{1,3}--?(?P<i>[A-Za-z]{2,3})[ \t.]*\Z")
# a word in parentheses after a report verb is the person reported to ("md notified (sharp) of low uo"); a NICU
# note names its patient "Baby" and the family name ("Baby Weeks DOL 4")
_REPORTED_OPEN = r"\b(?i:notified|paged|called|aware|updated|informed)[ \t]{0,2}\([ \t]?"
_BABY_OPEN = r"\b(?i:baby)[ \t]{1,2}"
_REPORTED_PAREN = twinned(re.compile(_REPORTED_OPEN + r"(?P<w>[A-Za-z][\w'’-]{1,29})[ \t]?\)"))
_BABY_NAME = re.compile(_BABY_OPEN + r"(?P<w>[A-Za-z][\w'’-]{1,29})\b(?!['’])")
_NOT_BABY_NAMES = words("boy girl boys girls a b c twin twins is was has had's mother mom father dad")
_B11_GATE = (
    _BABY_OPEN + r"[A-Za-z]",
    _REPORTED_OPEN + r"[A-Za-z]",
    r"[A-Za-z0-9][ \t]{1,3}-{1,2}[A-Za-z]{2,3}[ \t.]*$",
    r"(?i)\br\.n\.",
)
# twelfth blind corpus: two initials after a credential and a slash, ending a line ("Nadege Adeyemi RN/ DM", "lan
# hatch rn/ af"); not two credentials or roles ("RN/BSN", "RN/NP", "RN/ESS"). Initials before the slash ("JN/RN")
# are left to the sign-off rules: a credential after them is a right-hand cue a stream cannot wait for.
_SLASH_CRED_GATE = r"\b" + _SIGN_CREDS + r"[ \t]?/[ \t]?[A-Za-z]{2}"
_SLASH_CRED_INITIALS = twinned(
    re.compile(r"(?m)(?<![\w/.])" + _SIGN_CREDS + r"[ \t]?/[ \t]?(?P<b>[A-Za-z]{2})[ \t.]*$"))
# thirteenth blind corpus: a line that is only initials and the shift they close ("BL/11p", "- KM/7A", "jt/2300");
# the stream holds such initials until the line ends (``_SHIFT_INITIALS_OPEN``)
_SHIFT_HOUR = r"(?:(?:1[0-2]|[1-9])[ \t]?[apAP][mM]?|(?:[01]\d|2[0-3])00)"
_SHIFT_INITIALS_GATE = r"\b[A-Za-z]{2,3}[ \t]?/[ \t]?" + _SHIFT_HOUR + r"\b"
_SHIFT_INITIALS = re.compile(
    r"(?m)^[ \t]{0,3}(?:-{1,2}[ \t]?){0,2}(?P<i>[A-Za-z]{2,3})[ \t]?/[ \t]?" + _SHIFT_HOUR + r"[ \t.]*$"
)
_SHIFT_INITIALS_OPEN = re.compile(
    r"(?:^|\n)[ \t]{0,3}(?:-{1,2}[ \t]?){0,2}(?P<i>[A-Za-z]{2,3})[ \t]?/[ \t]?(?:\d{1,4}[ \t]?(?:[apAP][mM]?)?)?"
    r"[ \t.]*\Z"
)
# a verb after "to" before "family" ("social work to see family"), not a family name ("spoke to BAKER family")
_TO_FAMILY_VERBS = words("see meet update call visit support inform notify console educate teach help")
# a credential heading a noun names a kind of nurse or note ("Step-down RN note", "Float RN report")
_PAREN_CLOSE_AND = re.compile(r"[ \t]?\)[ \t]{1,2}\Z")  # "ana (nephew) and": the parenthesis closes
# a significant other written "SO" before a name ("SO PERPETUA UMEH VISITING", "SO Ana called")
_SO_GATE = r"\bSO[ \t]{1,2}[A-Za-z]"
_SIGN_COMMA = re.compile(r"[ \t]{0,2},[ \t]{0,2}\Z")  # "mbeki,z rn": a surname, a comma, an initial
_CRED_NOUNS = words("note notes report assessment summary addendum progress admission")
# twelfth blind corpus (blind 11 left it too): a name before an apposition that says who the person is ("with arjun
# her brother", "see Deb his sister", "JEAN HIS WIFE CALLED")
_APPOSITION_OWNERS = frozenset(("his", "her", "their"))
# a verb of speech before "his/her <relation>" reports what the relative said ("pt states his nephew is coming")
_SPEECH_VERBS = words(
    "said says state states stated tell tells told ask asks asked report reports reported note notes noted"
)
# what a relative does, written right after the relation word (``dtr works at``, ``WIFE STATES PT FELL``): a verb
# there, not the relative's name, unless written as a name in a line with case (``Daughter Works``)
_RELATIVE_VERBS = _SPEECH_VERBS | words(
    "works worked lives lived stays stayed visits drives drove comes came feels felt wants wanted agrees agreed "
    "knows knew thinks believes understands requests requested prefers preferred"
)
_APPOSITION_GATE = (
    r"[A-Za-z][ \t]{1,2}(?i:his|her|their)[ \t]{1,2}(?i:"
    + "|".join(sorted(re.escape(w) for w in RELATIONS))
    + r")\b"
)
_NOT_SLASH_INITIALS = _NOT_SIGN_LETTERS | words("ho sw cm bsn lpn rrt msn cna lcsw msw ccrn crnp aprn")
_GATE_CUE_GAP = r"(?:[ \t]{0,2}[,:(-][ \t]{0,2}|[ \t]{1,3})"
# words of a health plan's name after a US state (the Blue Cross Blue Shield plans: ``Florida Blue``)
_PLAN_WORDS = words("blue cross shield medicaid medicare")
_MAX_WORD = 30
_MAX_WORDS = 4

_TOK = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+){0,3}")
_SP = re.compile(r"[ \t]{1,3}\Z")
_TITLE_GAP = re.compile(r"(?:\.[ \t]{0,3}|[ \t]{1,3})\Z")
_CUE_GAP = re.compile(r"(?:[ \t]{0,2}[,:(-][ \t]{0,2}|[ \t]{1,3})\Z")
_INITIAL_GAP = re.compile(r"\.?[ \t]{1,3}\Z|\.\Z")
_CRED_GAP = re.compile(r"(?:,[ \t]{0,2}|[ \t]{1,3})\Z")
_LIST_GAP = re.compile(r"[ \t]{0,2},[ \t]{1,2}\Z")
_SLASH_GAP = re.compile(r"[ \t]{0,2}(?:/|&)[ \t]{0,2}\Z")  # "Drs Wexler/Abernathy", "drs sharp & brannigan"
_ROLE_GAP = re.compile(r"(?:[ \t]{0,2}[:(][ \t]{0,2}|[ \t]{1,3})\Z")  # "RN: J. Okafor", "MD (Tamsin)"
_INITIAL_CRED_GAP = re.compile(r"\.,?[ \t]{0,2}\Z")  # "Cosima Z., RN"
_SIGN_GAP = re.compile(r"[ \t]{0,2}[,/][ \t]{0,2}\Z")  # "Okafor, Tamsin RN", "Tamsin/Okafor RN"
_NURSING_CUE_WORDS = ROLES | _REPORT_NEXT
_DASH_SIGN = re.compile(r"(?:\A|\n|[.!;,][ \t]{1,3})[ \t]{0,3}--?[ \t]?\Z")  # a "-Tamsin" sign-off
_LINE_GAP = re.compile(r"[ \t]{0,3}(?:\r\n?|\n)[ \t]{0,3}\Z")  # one line break: a name wrapped across it
_HEADING_AFTER = re.compile(r"[ \t]{0,2}:")
_WORD_END = re.compile(r"[^\W\d_]['’-]?\Z")  # a letter (a digit ends a name word: _TOK)


def _vocab() -> dict[str, int]:
    flags: dict[str, int] = {}

    def add(words: Iterable[str], bit: int) -> None:
        for w in words:
            k = w.lower()
            flags[k] = flags.get(k, 0) | bit

    add(load_list("first_names.txt.gz"), FIRST)
    add(load_list("nicknames.txt"), FIRST)  # Chip, Skip, Bucky: the census lists lack them
    add(load_list("surnames.txt.gz"), LAST)
    # first names and surnames of many countries the 1990 Census lists lack (Seamus, Priya, Kwame, Agnieszka;
    # scripts/build_world_names.py): no safe-list word among them
    add(load_list("first_names_world.txt.gz"), FIRST)
    add(load_list("surnames_world.txt.gz"), LAST)
    add(load_list("safe_words.txt.gz"), SAFE)
    add(load_list("clinical_words.txt"), SAFE)  # also read directly: edits count before the next rebuild
    add(load_list("function_words.txt"), FUNC)
    add(load_list("stopwords.txt"), SAFE)  # common words, clinical terms, eponyms (Parkinson, Hashimoto)
    add(TITLES, TITLE)
    add(RELATIONS, REL | SAFE)
    add(IN_LAWS, REL | SAFE)
    add(CREDENTIALS, CRED | SAFE)
    add(WEAK_CREDENTIALS, WEAK_CRED | SAFE)
    add(LABELS, LABEL)
    add(CONTACT_VERBS, CONTACT)
    add(_REL_ABBREVIATIONS, REL | SAFE)
    typos: set[str] = set()

    def listed(w: str, default: int = 0) -> int:
        # typos are judged against the lists only, never against another typo: the same table in any set order
        return default if w in typos else flags.get(w, default)

    for typo in contact_typos():
        if typo not in flags and not _morph(typo, listed):  # "spoe" stays no verb if it were a word
            flags[typo] = CONTACT | SAFE
            typos.add(typo)
    for typo in relation_typos():
        if typo not in flags and not _morph(typo, listed):  # a known word stays one ("bother", "bothers")
            flags[typo] = REL | SAFE
            typos.add(typo)
    for typo in _SHORT_SLIPS:
        flags[typo] = flags.get(typo, 0) | REL | SAFE  # "sone" is also a unit of loudness, never in a note
    return flags


def _split_glued_relations(lows: list[str], starts: list[int], ends: list[int], get: object) -> None:
    """A relation word glued to a name by a hyphen (``son-Ivy``, ``DAUGHTER-OLU``, ``step-daughter-cornelius``)
    becomes two tokens, in place: the relation (its hyphens dropped in ``lows``: ``stepdaughter``) and the rest,
    which the relation rule reads. In-law words (``son-in-law``) stay whole."""
    assert callable(get)
    k = 0
    while k < len(lows):
        low = lows[k]
        if "-" in low and not get(low, 0) & REL:
            if get(low.replace("-", ""), 0) & REL:
                lows[k] = low.replace("-", "")  # "step-daughter", "grand-daughter": the relation word
                k += 1
                continue
            parts = low.split("-")
            f1 = get(parts[1], 0) if len(parts) > 1 else 0
            if len(parts[0]) == 1 and (f1 & REL or f1 & _NAMEISH and not f1 & (SAFE | FUNC)):
                # thirteenth blind corpus: a section letter glued to a relation or a name that is no word
                # ("S-BOYFRIEND ANIL", "S-YOLANDA AND FOTINI AT BEDSIDE")
                cut = starts[k] + len(parts[0])
                lows[k : k + 1] = [parts[0], "-".join(parts[1:])]
                starts.insert(k + 1, cut + 1)
                ends.insert(k, cut)
                k += 1
                continue
            for i in range(1, len(parts)):
                head, rest = "".join(parts[:i]), "-".join(parts[i:])
                if len(rest) >= 2 and parts[i] not in ("in", "law") and get(head, 0) & REL:
                    cut = starts[k] + len("-".join(parts[:i]))
                    lows[k : k + 1] = [head, rest]
                    starts.insert(k + 1, cut + 1)
                    ends.insert(k, cut)
                    break
        k += 1


def _neighbours(c: str) -> str:
    """The letters beside ``c`` on a QWERTY keyboard row (a slipped finger)."""
    for row in _KEY_ROWS:
        i = row.find(c)
        if i >= 0:
            return row[max(0, i - 1) : i] + row[i + 1 : i + 2]
    return ""


def relation_typos() -> frozenset[str]:
    """Relation words of four letters or more one typing slip away (``dughter``, ``hsuband``, ``sistr``, ``wief``,
    ``daugther``): a letter dropped, doubled, swapped with the next or struck beside, the first letter kept."""
    out: set[str] = set()
    for base in (w for w in RELATIONS if w.isalpha() and len(w) >= 5):
        for i in range(1, len(base)):
            out.add(base[:i] + base[i + 1 :])
            if i + 1 < len(base):
                out.add(base[:i] + base[i + 1] + base[i] + base[i + 2 :])
            if len(base) >= 6:  # a doubled or slipped letter: on shorter words it often spells another word
                out.add(base[:i] + base[i] + base[i:])
                out.update(base[:i] + c + base[i + 1 :] for c in _neighbours(base[i]))
    out.update(_SHORT_SLIPS)
    return frozenset(w for w in out if len(w) >= 4 and w not in RELATIONS or w == "wfe")


@functools.lru_cache(maxsize=1)
def contact_typos() -> frozenset[str]:
    """Contact verbs one typing slip away (eighth blind corpus: ``spok with``, ``calld``, ``talekd``): a letter
    dropped or swapped with the next, the first letter kept, four letters or more, no contact verb itself."""
    out: set[str] = set()
    for base in _CONTACT_TYPO_BASES:
        for i in range(1, len(base)):
            out.add(base[:i] + base[i + 1 :])
            if i + 1 < len(base):
                out.add(base[:i] + base[i + 1] + base[i] + base[i + 2 :])
    return frozenset(w for w in out if len(w) >= 4 and w not in CONTACT_VERBS)


_VOCAB: WordFlags | None = None
_PACKED_FLAGS = (FIRST, LAST, FIRST | LAST)  # listed names: ~54k words, rare in text
# inflected and compound forms of known words met so far (``results``, ``year-old``) -> their derived flags
_KNOWN_FORMS: dict[str, int] = {}
_KNOWN_FORMS_MAX = 16384
_KNOWN_WORDS: set[str] = set()  # the words ``known_word`` found known so far


@functools.lru_cache(maxsize=1)
def _safe_first_names() -> list[str]:
    """First names that are also safe-list words (``rose``, ``grace``, ``hunter``): no gate word, so a rule that
    names one by its neighbours needs a gate pattern (sorted: the gate is built the same every time)."""
    return sorted(w for w, f in vocabulary().items() if f & FIRST and f & SAFE and w.isalpha())


def vocabulary() -> WordFlags:
    """The shared word -> flags table (built once per process; the safe-list bulk and the listed names, words
    that are only a first name and/or a surname, packed in a trie)."""
    global _VOCAB
    if _VOCAB is None:
        _VOCAB = WordFlags.build(_vocab, bulk_flags=SAFE, packed=_PACKED_FLAGS)
    return _VOCAB


# Prefilter triggers (hyperscan syntax) and whole words that wake this detector where the analyzer scans regions.
TRIGGERS: tuple[bytes, ...] = (
    rb"(?i)(?:dr|mr|mrs|ms|mx|prof|miss|sra?|nurse|doctor|professor)\.?\s+[A-Z]",
    rb"(?i)(?:patient|pt|name|client|resident|guardian|mother|father|spouse|contact|kin|nok|attending|physician|"
    rb"provider|surgeon|signed|referred by)(?:'s)?\s*(?:name)?\s*[:=-]",
    rb"[A-Z][a-z]+\s+[A-Z]\.",  # "Smith J."
)


class NameDetector:
    name = "names"
    types = frozenset({"NAME"})
    triggers = TRIGGERS
    reach = 160
    gates_itself = True  # its own any-case word gate: the analyzer gives it whole texts
    open_reads_words = True  # its open point judges whole words: Analyzer.open_at asks it without a word being written

    @staticmethod
    def trigger_words() -> Iterable[str]:
        return load_list("first_names.txt.gz")

    def __init__(self, site: SiteVocabulary | None = None) -> None:
        self._flags = vocabulary()
        self._site = site
        self._site_version = EMPTY.version
        self._staff: frozenset[str] = frozenset()
        trig = self._gate_words()
        # the site's staff words join the gate now, at start-up: compiling it on the first request took seconds,
        # past Envoy's ext_authz timeout on a loaded machine (503 on the first call)
        lists = site.current() if site is not None else EMPTY
        if lists.version != self._site_version:
            self._staff = lists.staff_words()
            self._site_version = lists.version
        self._gate = self._make_gate([*trig, *self._staff])

    def _gate_words(self) -> list[str]:
        """Gate words: names that are no known word, and the cues (labels only count before a colon: a pattern).
        Recomputed for each gate (memory: the ~54k words are not kept beside the gate's database)."""
        return [
            w
            for w, f in self._flags.items()
            if (f & _NAMEISH and not f & (SAFE | FUNC)
                and not (w[-1] == "s" and len(w) > 4 and self._flags.get(w[:-1], 0) & SAFE))
            or (f & (_CUE & ~(LABEL | CONTACT)) and w not in _COMMON_CUES)
        ]

    @staticmethod
    def _make_gate(words: Iterable[str]) -> WordGate:
        # initials before a capitalised word ("J. Smith"), O'/Mc surnames
        return WordGate(
            words,
            patterns=(
                r"\b[A-Z]\.\s?[A-Z][a-z]",  # J. Smith
                r"\b[A-Z][a-z]+\s[A-Z]\.",  # Smith J.
                r"\b[Oo]'[A-Za-z]",  # O'Brien
                r"[a-z][ \t]{1,3}[A-Z][a-z]+[ \t]{1,3}[A-Z][a-z]",  # Jack Smith mid-sentence
                r"(?i)\b(?:" + "|".join(sorted(LABELS)) + r")[ \t]{0,2}:",
                # a label as a key (JSON, YAML: "patient_name": "...", full_name: ...)
                r"(?i)(?:patient|pt|full|first|last|given|family|middle|contact|provider|physician|guardian|member)"
                r"_?name[\"']?[ \t]{0,2}:",
                r"(?i)\b(?:" + "|".join(sorted(LABELS)) + r")[\"'][ \t]{0,2}:",
                r"(?i)\b(?:" + "|".join(sorted(_COMMON_CUES)) + r")" + _GATE_CUE_GAP + "[A-Za-z]",
                # roles that are no gate word already (credentials, fellow, resident ... are)
                r"(?i:\b(?:chaplain|pharmacist|nutritionist|dietitian|charge|coordinator|liaison|navigator|"
                r"interpreter|receptionist|secretary|scheduler|pcp|covering|"
                + "|".join(sorted(_CODE_ROLES)) + r")\b)",
                r"\b(?:SW|CM|sw|cm)[ \t]{1,2}\(?[A-Za-z]",
                r"[A-Za-z]{2}[ \t]{1,2}(?i:" + "|".join(sorted(_REPORT_NEXT)) + r")\b",
                r"(?:^|[\n.!;,])[ \t]{0,3}-{1,2}[ \t]?[A-Za-z]",  # a "-Tamsin" sign-off
                # initials after "pt": dotted, or letters before a verb of report
                r"(?i:\b(?:pt|patient)\.?)[ \t]{1,2}(?:[A-Za-z]\.[ \t]?[A-Za-z]\.|[A-Za-z]{2,3}[ \t]{1,2}"
                r"(?i:states|stated|reports|reported|denies|c/o|complains|presents|presented|notes|says|endorses|"
                r"arrived|returns|agrees|declines|refuses)\b)",
                *_BLIND2_GATE,
                *_BLIND4_GATE,
                *_BLIND5_GATE,
                *_BLIND6_GATE,
                *_BLIND7_GATE,
                r"\b(?i:" + "|".join(sorted(_SERVICE_HEADS)) + r")[ \t]{1,3}[A-Za-z]",  # "per EP Sokolov"
                r"(?i)\bre[ \t]{0,2}:",  # a record header's patient line (_header_last_first_names)
                _CLERGY_GATE,  # tenth blind corpus: _clergy_names_and_signed_initials
                _TEAM_LIST_GATE,  # model answers: _team_lists
                *_B11_GATE,  # eleventh blind corpus: _inline_signoffs_and_reported_names
                _SLASH_CRED_GATE,  # twelfth blind corpus: _slash_credential_initials
                _SHIFT_INITIALS_GATE,  # thirteenth blind corpus: _shift_signed_initials
                _SO_GATE,  # thirteenth blind corpus: _significant_others
                _APPOSITION_GATE,  # twelfth blind corpus: _apposition_names
                *_PROSE_GATE,
                _SPEAKER_GATE,  # model answers: _speaker_subjects
                *_CALLED_GATE,  # _called_and_attributed_names
                # contact verbs: before with/to/by or a capitalised word ("discussed with ...", "paged Xu")
                r"\b(?i:" + "|".join(sorted(CONTACT_VERBS | contact_typos())) + r")" + _GATE_CUE_GAP
                + r"(?:(?i:with|to|by|w/?|out)[ \t]{1,3}[A-Za-z]|[A-Z])",
                # "referring rose hardy": a first name that is a word, then a surname (_initials_and_modal_word_names)
                r"\b(?i:" + "|".join(sorted(CONTACT_VERBS | contact_typos())) + r")" + _GATE_CUE_GAP
                + r"(?i:" + "|".join(_safe_first_names()) + r")[ \t]{1,3}[A-Za-z]",
                # "pt rose hardy": a first name that is also a word, then a surname (_word_names_in_staff_positions)
                r"\b(?i:pt|patient)[ \t]{1,3}(?i:" + "|".join(_safe_first_names()) + r")[ \t]{1,3}"
                r"[A-Za-z]",
                # "Adm from X", "with Nando from lgh": a clause-opening word, then "from" (_role_call_and_signoff_names)
                r"(?:^|[.;:!(,\n-]|\b(?i:with|w|to|by))[ \t]{0,3}[A-Za-z][\w'-]{0,29}[ \t]{1,3}(?i:from)[ \t]{1,3}"
                r"[A-Za-z]",
            ),
            letters_only=True,  # as _TOK reads words: "John3" holds the name "John"
        )

    def _lists(self) -> SiteLists:
        lists = self._site.current() if self._site is not None else EMPTY
        if lists.version != self._site_version:
            self._staff = lists.staff_words()
            self._gate = self._make_gate([*self._gate_words(), *self._staff])
            self._site_version = lists.version
        return lists

    def scan_gates(self) -> tuple[WordGate, ...]:
        """Speed: the gate whose patterns the prefilter's whole-text scan may answer for (``joint_scan``)."""
        return (self._gate,)

    def detect(self, text: str) -> Iterable[Span]:
        self._lists()
        if not self._gate.hit(text) and not _unknown_after_patient(text) and not _has_wide_letter(text):
            return []
        return _Scan(text, self._flags, self._staff).run()

    def open_at(self, text: str) -> int:
        """Stream contract (see Analyzer.open_at): the start of the trailing words that a continuation could
        still make part of a name (a word being typed, a name a following word or credential would extend or
        create), else ``len(text)``. Looks back at most ``reach`` characters."""
        self._lists()
        lo = max(0, len(text) - self.reach)
        while lo > 0 and not text[lo - 1].isspace():
            lo += 1
            if lo >= len(text):
                break
        tail = text[lo:]
        sc = _Scan(tail, self._flags, self._staff)
        return lo + sc.open_point()


class _Scan:
    """One text: tokens, their flags, and the rules."""

    def __init__(self, text: str, flags: Mapping[str, int], staff: frozenset[str]) -> None:
        self.text = text
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.words: list[str] = []
        self.flags: list[int] = []
        get = flags.get
        self._folded_get = get  # lexicon lookups of words folded to ASCII (``folded_flags``)
        low_text = text.lower()
        if len(low_text) != len(text):  # a few non-ASCII capitals lower to two characters
            low_text = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
        if "’" in low_text:
            low_text = low_text.replace("’", "'")
        tok = ascii_twin(_TOK) if ascii_safe(low_text) else _TOK  # speed: the same tokens on such text
        # the lower-cased text when the text is ASCII (a substring test there stands for an any-case match)
        self.ascii_low: str | None = low_text if text.isascii() else None
        ms = list(tok.finditer(low_text))
        self.lows = lows = [m.group() for m in ms]
        self.starts = [m.start() for m in ms]
        self.ends = ends = [m.end() for m in ms]
        if "-" in low_text:
            _split_glued_relations(lows, self.starts, ends, get)
        self.words = [text[a:b] for a, b in zip(self.starts, ends, strict=True)]
        flags_of = getattr(flags, "flags_of", None)  # speed: WordFlags answers a list in one pass
        self.flags = fl = flags_of(lows) if flags_of is not None else [get(w, 0) for w in lows]
        known = _KNOWN_FORMS if flags is _VOCAB else None  # speed: the derived flags of known word forms
        for k in [k for k, f in enumerate(fl) if not f or f & _NAMEISH and not f & SAFE]:
            f = fl[k]
            low = lows[k]
            if f:
                if low[-1] == "s" and len(low) > 4 and get(low[:-1], 0) & SAFE:
                    fl[k] = f | SAFE  # "Weeks", "Waters", "Banks": a plural word as well as a surname
                continue
            if known is not None and (f := known.get(low, 0)):
                fl[k] = f
                continue
            if low.endswith("'s") and len(low) > 3:
                f = get(low[:-2], 0) & ~_CUE  # possessive: "Smith's"
            if not f:
                f = _compound(low, get) if ("'" in low or "-" in low) else (_morph(low, get) and SAFE | MORPH)
            fl[k] = f
            if known is not None and f & (SAFE | FUNC) and not f & _NAMEISH and len(known) < _KNOWN_FORMS_MAX:
                known[low] = f  # a known form ("results", "year-old"); a word that may be a name is never kept
        if staff:
            for k, low in enumerate(lows):
                if low in staff:
                    fl[k] |= STAFF
        self._line_mixed: dict[int, bool] = {}

    # ---- token tests
    def gap(self, k: int) -> str:
        """Text between token k-1 and token k (at most 8 characters are looked at)."""
        a = self.ends[k - 1]
        b = self.starts[k]
        return self.text[a:b] if b - a <= 8 else "\n"

    def mixed(self, k: int) -> bool:
        """The line of token k has lower-case letters: its capitals mean something."""
        s = self.starts[k]
        a = self.text.rfind("\n", 0, s) + 1
        v = self._line_mixed.get(a)
        if v is None:
            b = self.text.find("\n", s)
            line = self.text[a : b if b >= 0 else len(self.text)]
            v = mixed_case(line)
            self._line_mixed[a] = v
        return v

    def ok_word(self, k: int) -> bool:
        w = self.words[k]
        return 2 <= len(w) <= _MAX_WORD

    def strong(self, k: int) -> bool:
        """A name on its own: staff word, or lexicon name that is no known word."""
        f = self.flags[k]
        if f & STAFF and self.ok_word(k) and not f & FUNC:
            return True
        return bool(f & _NAMEISH) and not f & (SAFE | FUNC) and 3 <= len(self.words[k]) <= _MAX_WORD

    def namey(self, k: int) -> bool:
        """Could be a name in a cue position: a lexicon name, or a word not on the safe list."""
        f = self.flags[k]
        if f & FUNC or not self.ok_word(k) or f & _CUE and not f & _NAMEISH:
            return False
        return bool(f & _NAMEISH) or not f & SAFE

    def unknown_name(self, k: int) -> bool:
        """A word on no list (no safe-list word, inflected form, function word or cue) written as a name:
        capitalised in a line with lower case, in any case in a line without it."""
        f = self.flags[k]
        if not self.ok_word(k) or f & (SAFE | MORPH | FUNC | _CUE) or len(self.words[k]) < 3:
            return False
        w = self.words[k]
        return not self.mixed(k) or (w[0].isupper() and not w.isupper())

    def phrase_ends(self, k: int) -> bool:
        """Token k is the last word of its phrase: punctuation, a line end or the text's end follows it (in a line
        without case, ``referring rose hardy, a pleasant`` is a name and ``referring art small groups`` is not)."""
        return self.text[self.ends[k] : self.ends[k] + 3].lstrip(" \t")[:1] in ("", ",", ".", ";", ":", "(", "\n")

    def titled(self, k: int) -> bool:
        """Capitalised in a line that has lower case (``Dr. Honey``): after a title, a name."""
        w = self.words[k]
        f = self.flags[k]
        if not self.ok_word(k) or f & FUNC and not f & _NAMEISH:
            return False
        return w[0].isupper() and not w.isupper() and self.mixed(k)

    def shouted(self, k: int) -> bool:
        """ALL CAPS (three letters or more) in a line that has lower case: a name in lower-case prose."""
        w = self.words[k]
        return len(w) >= 3 and w.isupper() and self.mixed(k) and self.ok_word(k)

    def nameable(self, k: int) -> bool:
        """A word a right-hand cue can make a name: a lexicon or staff name (also one that is a common or
        function word: Will, May, Hope), or a word on no list, and never a cue or a plain safe-list word."""
        f = self.flags[k]
        if not self.ok_word(k) or f & _CUE:
            return False
        if f & (_NAMEISH | STAFF):
            return True
        return not f & (SAFE | MORPH | FUNC) and len(self.words[k]) >= 3

    def modal_name(self, j: int) -> bool:
        """A lexicon name that is a function word (may, will) after a strong title is the name unless a verb
        follows it (``Dr. will see pt``): at the end, before punctuation, a possessive or another name."""
        f = self.flags[j]
        if not (f & FUNC and f & _NAMEISH) or not self.ok_word(j):
            return False
        if self.lows[j].endswith("'s") or j + 1 == len(self.words) or not _SP.match(self.gap(j + 1)):
            return True
        nf = self.flags[j + 1]
        return bool(nf & _NAMEISH and not nf & (SAFE | FUNC)) or self.lows[j + 1] in ("who", "whose")

    def after_title(self, k: int, j: int) -> bool:
        """Word j after the strong title k is a name when written as one: after ``Dr.`` with its period, or
        capitalised (``DR STAMPS``), and not a function word, cue or word that notes put after a title."""
        w = self.words[j]
        if not self.ok_word(j) or self.flags[j] & (FUNC | _CUE) or w.lower() in _NOT_AFTER_TITLE:
            return False
        return "." in self.gap(j) or w[0].isupper()

    def signoff(self, k: int) -> bool:
        """Credential k ends its line, and the line before it is one to three name-like words (a signature)."""
        text = self.text
        line_end = text.find("\n", self.ends[k])
        if text[self.ends[k] : line_end if line_end >= 0 else len(text)].strip(" \t.,"):
            return False
        line_start = text.rfind("\n", 0, self.starts[k]) + 1
        ws = [j for j in range(max(0, k - 4), k) if self.starts[j] >= line_start]
        if not 1 <= len(ws) <= 3 or text[line_start : self.starts[ws[0]]].strip(" \t-"):
            return False
        if not (_CRED_GAP.match(self.gap(k)) or self.initial(k - 1) and _INITIAL_CRED_GAP.match(self.gap(k))):
            return False
        for j in ws:
            f = self.flags[j]
            written = f & _NAMEISH and not f & _CUE and (self.titled(j) or self.shouted(j))  # "Mirela WILL RN"
            initial = self.initial(j) or j > ws[0] and self._comma_initial(j)
            if f & (FUNC | _CUE) and not initial and not written or not (self.ok_word(j) or initial):
                return False
            g = self.gap(j)
            if j > ws[0] and not (_SP.match(g) or _INITIAL_GAP.match(g) or _SIGN_GAP.match(g)):
                return False
        if self.flags[k] & WEAK_CRED and len(ws) < 2:
            return False  # "Chest PA": an X-ray view
        return any(self.namey(j) or self.flags[j] & (MORPH | _NAMEISH) or self.rare(j) for j in ws)

    def _comma_initial(self, j: int) -> bool:
        """Thirteenth blind corpus: a lone letter after a surname and a comma in a sign-off (``mbeki,z rn``,
        ``Castellucci,P RN``): an initial in any case."""
        return len(self.words[j]) == 1 and self.words[j].isalpha() and bool(_SIGN_COMMA.match(self.gap(j)))

    def wrapped(self, k: int) -> bool:
        """Named first name k ends a line that holds only it and its cues (``Patient Maria``), and the next line
        opens with a capitalised surname or a capitalised word on no list that is no heading (no colon after
        it): the name continues across the line break. A list of names, a heading or a sentence on the next
        line (safe-list, function or cue words) does not."""
        j = k + 1
        if not self.flags[k] & FIRST or not _LINE_GAP.match(self.gap(j)) or self.flags[j] & (SAFE | FUNC | _CUE):
            return False
        w = self.words[j]
        if not (w[0].isupper() and not w.isupper() and self.ok_word(j) and len(w) >= 3):
            return False
        if not (self.flags[j] & LAST or self.unknown_name(j)) or _HEADING_AFTER.match(self.text, self.ends[j]):
            return False
        line_start = self.text.rfind("\n", 0, self.starts[k]) + 1
        i = k - 1
        while i >= 0 and self.starts[i] >= line_start:
            if not self.flags[i] & _CUE:
                return False
            i -= 1
        return not self.text[line_start : self.starts[i + 1]].strip(" \t-")

    def list_word(self, j: int) -> bool:
        """In a list headed by a titled name, a word that is no plain safe-list word reads as the next name
        (a lexicon name, an unknown word, or one known only as an inflected form: ``Willes``, ``Stamps``)."""
        f = self.flags[j]
        if not self.ok_word(j) or f & (FUNC | _CUE) or self.words[j].lower() in _NOT_AFTER_TITLE:
            return False
        return bool(f & (MORPH | _NAMEISH)) or not f & SAFE

    def initial(self, k: int) -> bool:
        """A capital letter, or in a line without case a letter followed by a period (``s. bedner``)."""
        w = self.words[k]
        if len(w) != 1 or not w.isalpha():
            return False
        s, e = self.starts[k], self.ends[k]
        after, before = self.text[e : e + 1], self.text[s - 1 : s]
        if after == "/" or before == "/" or after.isdigit() or before.isdigit():
            return False  # a slash abbreviation ("C/O", "S/P", "W/", "A/O"), a count ("X2") or a unit ("GCS 9T")
        return w.isupper() or (self.text[self.ends[k] : self.ends[k] + 1] == "." and not self.mixed(k))

    def same_shape(self, a: int, b: int) -> bool:
        """Two words written alike (both capitalised, both upper, both lower) or the line has no case."""
        wa, wb = self.words[a], self.words[b]
        if not self.mixed(b):
            return True
        if len(wb) > 1 and wb.isupper() != (len(wa) > 1 and wa.isupper()) and not self.initial(b):
            # "Turrey MRN": an abbreviation next to a capitalised name; a word on no list is a name's other part
            return len(wb) >= 3 and not self.flags[b] & (SAFE | MORPH | FUNC | _CUE)
        return (wa[0].isupper()) == (wb[0].isupper())

    # ---- rules
    def run(self) -> list[Span]:
        n = len(self.words)
        if not n:
            return []
        named = bytearray(n)  # 1: part of a name
        self.cued = named_by_cue = bytearray(n)
        by_title = bytearray(n)  # named after a strong title, or in a list headed by one
        flags = self.flags
        words = self.words
        interest = _NAMEISH | _CUE | STAFF
        idx = [k for k, f in enumerate(flags) if f & interest or not f & (SAFE | FUNC) or len(words[k]) == 1]
        if not idx:
            return []
        for k in idx:
            f = flags[k]
            if f & (STAFF | _NAMEISH) and self.strong(k):  # speed: ``strong`` needs one of these flags
                named[k] = 1
            if not f & _CUE:
                continue
            low = self.words[k].lower()
            if f & TITLE and k + 1 < n and _TITLE_GAP.match(self.gap(k + 1)) and not self._rhythm_sr(k):
                j = k + 1
                strong = low in STRONG_TITLES
                if (
                    not strong
                    and self.words[k].isupper()
                    and len(low) > 1
                    and self.mixed(k)
                    and not self.words[j].isupper()
                    and not flags[j] & _NAMEISH
                    and flags[j] & (SAFE | MORPH | FUNC)
                ):
                    continue  # "mild MR. Cardiology following": an abbreviation, not a title
                if self.lows[j] in _RELATIVE_VERBS and not self.titled(j):
                    continue  # "the nurse said", "DR STATES": what the person does
                letter = strong and len(self.words[j]) == 1  # "dr p", "dr.g": an initial in any case
                modal_name = strong and self.modal_name(j)  # "dr. may who agrees", "DR MAY'S TEAM"
                if (
                    self.namey(j)
                    or self.titled(j)
                    or self.initial(j)
                    or letter
                    or modal_name
                    or (strong and self.after_title(k, j))
                ):
                    named[j] = named_by_cue[j] = 1
                    by_title[j] = strong
                    if self.words[k][0].isupper() or self.words[j][0].islower():
                        named[k] = named_by_cue[k] = 1  # the title is part of the name ("Dr. Smith")
                    if self.initial(j) and j + 1 < n and _INITIAL_GAP.match(self.gap(j + 1)):  # noqa: SIM102
                        if self.namey(j + 1) or self.titled(j + 1):
                            named[j + 1] = 1
            if f & REL and (j := self.rel_target(k)) >= 0:
                # "cousin y. grant", "wife Goran" (capitalised: a name, also when it is a word)
                written_as_name = (self.titled(j) or self.shouted(j)) and not self.flags[j] & (FUNC | _CUE)
                if self.lows[j] in _RELATIVE_VERBS and not self.titled(j):
                    pass  # "dtr works at", "WIFE STATES": what the relative does
                elif (
                    (self.namey(j) and not self.flags[j] & REL)
                    or self.initial(j)
                    or (written_as_name and self.words[j].lower() not in _NOT_AFTER_TITLE)
                ):
                    named[j] = named_by_cue[j] = 1
            if f & CRED or (f & WEAK_CRED and (self.words[k].isupper() or not self.mixed(k)) and len(low) <= 3):
                # after a name: "Smith MD", "Jane Smith, RN", "J SMITH RN"
                if k > 0 and _CRED_GAP.match(self.gap(k)) and (self.namey(k - 1) or self.titled(k - 1)):  # noqa: SIM102
                    label = self.text[self.ends[k] : self.ends[k] + 1] == ":" and not self.namey(k - 1)
                    if (f & CRED or flags[k - 1] & _NAMEISH) and not label and not self._reporting_role(k):  # noqa: SIM102
                        if not self._kind_of_nurse(k):
                            named[k - 1] = named_by_cue[k - 1] = 1
                # before a name: "RN Jones", "NP Garcia", "HO Smith"
                if k + 1 < n and _SP.match(self.gap(k + 1)) and self.namey(k + 1):  # noqa: SIM102
                    if flags[k + 1] & REL and not self.titled(k + 1):
                        pass  # "RN HUSBAND AWARE": a relation word starts the next clause
                    elif f & CRED or flags[k + 1] & _NAMEISH or not flags[k + 1] & SAFE:
                        named[k + 1] = named_by_cue[k + 1] = 1
            if f & LABEL and k + 1 < n:
                g = self.gap(k + 1)
                # "To: Nephrology": after to/from a capitalised word is a service unless no list holds it
                if (
                    ":" in g
                    and len(g) <= 4
                    and (self.namey(k + 1) or low not in ("to", "from") and self.titled(k + 1))
                ):
                    named[k + 1] = named_by_cue[k + 1] = 1
            if low == "patient" and k + 1 < n and _SP.match(self.gap(k + 1)) and self.unknown_name(k + 1):
                named[k + 1] = named_by_cue[k + 1] = 1  # "Patient Adaeze", "PATIENT ADAEZE", "patient adaeze"
            if f & CONTACT and k + 1 < n and _SP.match(self.gap(k + 1)):
                j = k + 1
                if self.words[j].lower() in _CONTACT_LINKS and j + 1 < n and _SP.match(self.gap(j + 1)):
                    j += 1
                elif low in ("signed", "dw") or self.words[j].lower() in ("with", "to", "by"):
                    continue
                if low == "per" and _study_or_rule(self.lows[j], self.titled(j)):
                    continue  # "per Fleischner": a named rule
                if self.namey(j) and not flags[j] & SAFE or (flags[j] & _NAMEISH and self.titled(j)):
                    named[j] = named_by_cue[j] = 1
        self._nursing_cues(named, named_by_cue)
        self._role_call_and_signoff_names(named, named_by_cue)
        self._initials_and_modal_word_names(named, named_by_cue, idx)
        self._word_names_in_staff_positions(named, named_by_cue)
        self._visit_list_and_handoff_names(named, named_by_cue)
        self._tier_cues(named, named_by_cue, idx)
        self._report_helper_and_contact_list_names(named, named_by_cue)
        self._subject_names(named, named_by_cue)
        self._object_names(named, named_by_cue)
        self._visitor_lists(named, named_by_cue)
        self._nicknames(named, named_by_cue)
        self._service_names(named, named_by_cue)
        self._initial_signoffs(named, named_by_cue)
        self._shift_signed_initials(named, named_by_cue)
        self._paren_list_second(named, named_by_cue)
        self._significant_others(named, named_by_cue)
        self._per_clause_end(named, named_by_cue)
        self._line_final_names(named, named_by_cue)
        self._header_last_first_names(named, named_by_cue)
        self._prose_names(named, named_by_cue)
        for k in [k for k in _positions(named, 1) if k and self.words[k].title() in US_STATES]:
            if self.lows[k - 1] in ("from", "in", "to", "of") and not named[k - 1] and not (k + 1 < n and named[k + 1]):
                named[k] = named_by_cue[k] = 0  # "pt from Maine originally": a state (no Safe Harbor identifier)
        # sign-offs: a line of one to three words ending in a credential ("novella wickings rn", "Tula Valrey PA")
        for k in idx:
            if flags[k] & (CRED | WEAK_CRED) and k > 0 and self.signoff(k):
                for j in range(k - 1, -1, -1):
                    named[j] = named_by_cue[j] = 1
                    if self.starts[j] == self.text.rfind("\n", 0, self.starts[k]) + 1 or not self.text[
                        self.text.rfind("\n", 0, self.starts[k]) + 1 : self.starts[j]
                    ].strip(" \t-"):
                        break
        # "Okonkwo, Maria": a word in no list before a comma and a first name that is no known word
        for k in idx:
            if (
                k > 0
                and flags[k] & FIRST
                and self.strong(k)
                and _LIST_GAP.match(self.gap(k))
                and self.unknown_name(k - 1)
                and self.same_shape(k - 1, k)
                and self.words[k - 1][0].isupper()
            ):
                named[k - 1] = named[k] = 1
        # "J. Smith", "Smith J." (capitalised, the surname may be ambiguous)
        for k in idx:
            if k + 1 < n and len(words[k]) == 1 and self.initial(k) and self.text[self.ends[k] : self.ends[k] + 1] == "." and self.mixed(k):  # noqa: E501
                j = k + 1
                if _INITIAL_GAP.match(self.gap(j)) and flags[j] & LAST and self.titled(j):
                    named[k] = named[j] = 1
        # "Jack Smith": a capitalised first name and surname, both also words, mid-sentence
        for k in idx:
            if k + 1 < n and flags[k] & FIRST and flags[k + 1] & LAST and not (flags[k] | flags[k + 1]) & (FUNC | _CUE):  # noqa: SIM102
                if self.titled(k) and self.titled(k + 1) and _SP.match(self.gap(k + 1)) and k > 0:  # noqa: SIM102
                    if not re.search(r"[.!?:;\n]\s*\Z", self.text[max(0, self.starts[k] - 4) : self.starts[k]]):
                        named[k] = named[k + 1] = 1
        # "Brown J." (surname, initial), "Lily A." (first name, initial)
        for k in idx:
            if (  # noqa: SIM102
                k + 1 < n
                and flags[k] & (FIRST | LAST)
                and len(words[k + 1]) == 1  # speed: ``initial`` needs one letter; asked before ``titled``
                and self.titled(k)
                and self.initial(k + 1)
                and _SP.match(self.gap(k + 1))
            ):
                if self.text[self.ends[k + 1] : self.ends[k + 1] + 1] == "." and not flags[k] & FUNC:
                    named[k] = named[k + 1] = 1
        # a name wrapped by a line break: "Patient Maria" / "Okonkwo SSN ..." (see ``wrapped``)
        for k in idx:
            if named[k] and k + 1 < n and not named[k + 1] and self.wrapped(k):
                named[k + 1] = 1
        # grow: adjacent names, initials, unknown words of the same shape; then lists
        changed = True
        rounds = 0
        while changed and rounds < 4:
            changed = False
            rounds += 1
            for k in _positions(named):
                for j in (k - 1, k + 1):
                    if j < 0 or j >= n or named[j]:
                        continue
                    g = self.gap(max(j, k))
                    if self.initial(j):
                        # after a name only a space ("John Q."); "Smith. K, CA" is a new sentence
                        ok = bool(_SP.match(g)) if j > k else bool(_INITIAL_GAP.match(g))
                        # a lone lower/upper letter next to a name: only capital initials
                    elif _SP.match(g) or (j > k and self.initial(k) and _INITIAL_GAP.match(g)):
                        fj = flags[j]
                        ok = self.same_shape(k, j) and (
                            (j > k and self.initial(k) and k > 0 and named[k - 1] and self.titled(j))
                            or (bool(fj & _NAMEISH) and not fj & (FUNC | _CUE))
                            or (self.namey(j) and not fj & _CUE)
                            or (bool(fj & _NAMEISH) and self.titled(j) and not fj & _CUE)
                            or (j > k and bool(by_title[k]) and bool(fj & MORPH) and not fj & (FUNC | _CUE))
                        )
                    else:
                        ok = False
                    head = self.lows[j] in EPONYM_NEXT and (not flags[j] & _NAMEISH or self.lows[j] in _DEVICE_HEADS)
                    if ok and j > k and head:
                        ok = False  # "NISSEN FUNDOPLICATION": the eponym's head word is never part of a name
                    if ok and j > k and self.lows[j] in _SUBJECT_VERBS and not self.cued[j]:
                        ok = False  # "REED STATES", "MR. KAUR STATES": what the person does is no part of the name
                    if ok and j < k and self.lows[j] == "law" and j > 1 and self.lows[j - 1] == "in":
                        ok = False  # "DTR IN LAW HEATHER": the relation, not a surname
                    if ok:
                        named[j] = 1
                        changed = True
            # lists: "X and Y", "X, Y and Z"
            for k in [i for i in _positions(named) if i < n - 1]:
                if named[k + 1]:
                    continue
                j = k + 1
                if (
                    j + 1 < n
                    and self.words[j].lower() in _LIST_JOIN
                    and _SP.match(self.gap(j))
                    and _SP.match(self.gap(j + 1))
                ):
                    j += 1
                elif not (_LIST_GAP.match(self.gap(j)) or _SLASH_GAP.match(self.gap(j))):
                    continue
                if j < n and not named[j] and self.same_shape(k, j):
                    fj = flags[j]
                    if self.initial(j) or (self.namey(j) and not fj & _CUE) or (fj & _NAMEISH and self.titled(j)):
                        named[j] = 1
                        changed = True
                    elif by_title[k] and self.list_word(j):  # "DR. STAMPS AND WILLES"
                        named[j] = by_title[j] = 1
                        changed = True
        self._clergy_names_and_signed_initials(named, named_by_cue)
        self._inline_signoffs_and_reported_names(named, named_by_cue)
        self._slash_credential_initials(named, named_by_cue)
        self._apposition_names(named, named_by_cue)
        self._particles(named)
        self._name_edges(named)
        self._drop_eponyms(named)
        self._drop_inner_eponyms(named)
        self._drop_languages(named)
        self._drop_countries(named)
        self._drop_state_plans(named)
        self._drop_bodies(named)
        self._drop_list_letters(named)
        return self._spans(named)

    def _particles(self, named: bytearray) -> None:
        """Surname particles between a name (or title) and a name: ``Dr. De la Cruz``, ``Chidi De la Cruz``,
        ``dr. echeverria/de la cruz``; the particles join the name on both sides."""
        n = len(self.words)
        lows = self.lows
        if _PARTICLES.isdisjoint(lows):
            return
        for k in [i for i, w in enumerate(lows) if w in _PARTICLES]:
            if not 0 < k < n - 1 or not _SP.match(self.gap(k + 1)):
                continue
            j = k + 1
            while j < n - 1 and lows[j] in _PARTICLES and j - k < 2 and _SP.match(self.gap(j + 1)):
                j += 1
            if j - k > 2 or lows[j] in _PARTICLES or not (named[j] or self.nameable(j)):
                continue
            g = self.gap(k)
            before = named[k - 1] or self.flags[k - 1] & TITLE and _TITLE_GAP.match(g)
            if not before and _SP.match(g) and not self.flags[k - 1] & (_CUE | FUNC):
                before = self.unknown_name(k - 1) or self.flags[k - 1] & FIRST and (
                    self.titled(k - 1) or self.shouted(k - 1) or not self.mixed(k - 1)
                )
            if not before or not (_SP.match(g) or _SLASH_GAP.match(g) or _TITLE_GAP.match(g)):
                continue
            for i in range(k - (0 if self.flags[k - 1] & TITLE else 1), j + 1):
                named[i] = 1

    def _name_edges(self, named: bytearray) -> None:
        """Whole spans (issue 16): the parts a found name leaves readable at its edges join it. Before it: up to
        two surname particles (``Di Napoli``, ``de la Cruz``, ``ST. PIERRE``), and an initial before them
        (``A. de la Cruz``); after it: a hyphenated surname (``Travis Al-Sayed``, ``ray al-amin``)."""
        n = len(self.words)
        for j in _positions(named):
            if j + 1 < n and not named[j + 1] and (self._hyphen_surname(j + 1) or self._business_head(j + 1)):
                named[j + 1] = 1
            if j == 0 or named[j - 1]:
                continue
            k = j
            while k > 0 and j - k < 2 and self._particle_before(k):
                k -= 1
            lead = self.lows[k] in _PARTICLES or self.lows[k] in _NAME_SAINTS
            if lead and k > 0 and self.initial(k - 1) and self.text[self.ends[k - 1]] == ".":
                k -= 1
            named[k:j] = b"\x01" * (j - k)

    def _particle_before(self, k: int) -> bool:
        """Token k-1 is a surname particle (or ``St.``) joined to token k by a blank, written in lower case or
        in the case of token k."""
        w, low, gap = self.words[k - 1], self.lows[k - 1], self.gap(k)
        if low in _NAME_SAINTS:
            return (gap[:1] == "." or w[0].isupper()) and bool(_INITIAL_GAP.match(gap)) and gap[:1] in ". \t"
        return low in _PARTICLES and bool(_SP.match(gap)) and (w.islower() or self.same_shape(k, k - 1))

    def _business_head(self, j: int) -> bool:
        """Token j, right after a name and written in its case, is the kind of business the name names
        (``Kessler Freight``, ``varnum vna``): the name is an employer's or agency's, and the head is part of it."""
        return (
            self.lows[j] in _BUSINESS_HEADS
            and bool(_SP.match(self.gap(j)))
            and (self.words[j].isupper() == self.words[j - 1].isupper())
            and self.same_shape(j - 1, j)
        )

    def _hyphen_surname(self, j: int) -> bool:
        """Token j, right after a name, is a hyphenated surname: its first part a surname prefix (``al-``,
        ``el-``, ``abu-``, ``ben-``), or in a line with lower case every part capitalised (``Smith-Jones``)."""
        w = self.words[j]
        if "-" not in w or not _SP.match(self.gap(j)) or not self.ok_word(j):
            return False
        parts = w.split("-")
        if any(len(p) < 2 for p in parts):
            return False
        if parts[0].lower() in _HYPHEN_PREFIXES:
            return True
        return self.mixed(j) and all(p[0].isupper() and p[1:].islower() for p in parts)

    def _drop_eponyms(self, named: bytearray) -> None:
        """Words a bare name reading found that a known eponymous term covers (``ALLEN TEST``, ``negative
        Babinski``, ``Hoyer lift``: data/eponyms.txt) are the eponym, not a person; a cue on any of them keeps the
        name (``Dr. Allen``, ``Mrs Hoyer``)."""
        terms = eponym_terms()
        cued = self.cued
        n = len(named)
        k = named.find(1)  # speed: only named words are looked at (found in C)
        while k >= 0:
            if not cued[k]:
                after_name = k > 0 and named[k - 1] and not self._slash_letter(k - 1) and _SP.match(self.gap(k))
                if after_name and self._sentence_article(k - 1):
                    after_name = False  # "A Cochrane review": the article, no initial
                for term in () if after_name else terms.get(_eponym_form(self.lows[k]), ()):  # "Jeremy Hartmann"
                    end = k + len(term)
                    if end <= n and not any(cued[k:end]) and self._spells(k, term):
                        named[k:end] = bytes(len(term))
                        self._drop_eponym_neighbours(named, k, end)
                        k = end - 1
                        break
            k = named.find(1, k + 1)

    def _drop_languages(self, named: bytearray) -> None:
        """A lone named word that names a language or a people (``Spanish to English``, ``FRENCH SPEAKING ONLY``,
        ``ENGLISH LIMITED``: data/languages.txt) is the language; a cue on it (``Dr. French``) or a name word
        beside it (``Paul English``) keeps the name."""
        langs = language_words()
        lows = self.lows
        n = len(named)
        k = named.find(1)
        while k >= 0:
            if lows[k] in langs and not self.cued[k]:
                before = k > 0 and named[k - 1] and _SP.match(self.gap(k))
                after = k + 1 < n and named[k + 1] and _SP.match(self.gap(k + 1))
                if not before and not after:
                    named[k] = 0
            k = named.find(1, k + 1)

    def _rhythm_sr(self, k: int) -> bool:
        """Word k is ``SR`` (sinus rhythm) after a rhythm word (``underlying SR``, ``in SR``, ``converted SR``),
        not the title ``Sr.``."""
        return self.lows[k] == "sr" and k > 0 and self.lows[k - 1] in _RHYTHM_BEFORE and bool(_SP.match(self.gap(k)))

    def _kind_of_nurse(self, k: int) -> bool:
        """Credential k heads a noun (``Step-down RN note``): the plain word before it says what kind of nurse or
        note, unless a list holds it as a name."""
        return (
            k + 1 < len(self.words)
            and self.lows[k + 1] in _CRED_NOUNS
            and _SP.match(self.gap(k + 1)) is not None
            and not self.flags[k - 1] & _NAMEISH
            and bool(self.flags[k - 1] & SAFE)
        )

    def _reporting_role(self, k: int) -> bool:
        """Credential k opens a clause of report after a comma (``fluid bolus given, np aware``): the lower-case
        participle before the comma (a known word, no first name) is no name it signs."""
        return (
            k + 1 < len(self.words)
            and self.lows[k + 1] in _REPORT_NEXT
            and "," in self.gap(k)
            and self.words[k - 1].islower()
            and bool(self.flags[k - 1] & SAFE)
            and not self.flags[k - 1] & FIRST
            and self.lows[k - 1].endswith(("ed", "en"))  # a participle ends the clause before: "given", "placed"
        )

    def _drop_countries(self, named: bytearray) -> None:
        """A run of named words (with ``and``/``or`` between) that only names countries or US states (``a study
        from Denmark and Sweden``, ``in germany, austria``, ``region: Poland``: ``geography_names``) is geography,
        no Safe Harbor identifier. A cue on one of its words (``Dr. Jordan``) or another name word in the run keeps
        it; a run whose every country is also a first name (``Jordan``, ``Chad``) needs a place cue before it."""
        k = named.find(1)
        while k >= 0:
            end = self._named_list_end(named, k)
            first = k + 1 if self.flags[k] & FUNC and end - k > 1 else k  # "In Germany, Austria"
            units = self._geography_units(first, end)
            if units and not any(self.cued[k:end]) and not ends_address(self.text, self.starts[k]):
                ambiguous = all(m == 1 and self.flags[i] & FIRST for i, m in units)
                if not ambiguous or self._place_cue_before(k if first == k else first):
                    named[k:end] = bytes(end - k)
            k = named.find(1, end)

    def _lone_eponym(self, k: int) -> bool:
        """Word k, alone on its line, is a whole hyphenated eponymous term (``ROUX-EN-Y.``, ``Swan-Ganz``:
        data/eponyms.txt): a procedure or device, no sign-off. A one-word eponym (``MORSE``) may sign a note."""
        low = _eponym_form(self.lows[k])
        return "-" in low and (low,) in eponym_terms().get(low, ())

    def _drop_state_plans(self, named: bytearray) -> None:
        """An uncued run of a US state and health-plan words (``Florida Blue``, ``Carolina Blue Cross``:
        ``_PLAN_WORDS``) names an insurer, no person; a cue (``Dr. Florida Blue``) keeps it."""
        k = named.find(1)
        while k >= 0:
            end = k + 1
            while end < len(named) and named[end] and _SP.match(self.gap(end)):
                end += 1
            plan = end - k > 1 and all(w in _PLAN_WORDS for w in self.lows[k + 1 : end])
            if plan and self.words[k].title() in US_STATES and not any(self.cued[k:end]):
                named[k:end] = bytes(end - k)
            k = named.find(1, end)

    def _drop_bodies(self, named: bytearray) -> None:
        """An uncued run of named words that an organisation's or a publication's word follows within three words
        (``Mayo Clinic Proceedings``, ``Harvard Health Publishing``, ``Smith Society``: ``BODY_HEADS``) names
        that body, no person; a cue on one of its words keeps the name."""
        n = len(named)
        k = named.find(1)
        while k >= 0:
            end = k + 1
            while end < n and named[end] and _SP.match(self.gap(end)):
                end += 1
            j = end
            while j < min(n, end + 3) and not named[j] and _SP.match(self.gap(j)):
                if self.lows[j] in BODY_HEADS:
                    if not any(self.cued[k:end]):
                        named[k:end] = bytes(end - k)
                    break
                j += 1
            k = named.find(1, end)

    def _drop_list_letters(self, named: bytearray) -> None:
        """A lettered list (``FINAL DIAGNOSIS:`` / ``A. Colon, sigmoid, biopsy`` / ``B. Lymph nodes``: a capital
        and a period open a line after a heading or after the line of the letter before) names parts, not
        people: an uncued item letter and the known words after it are no initial and surname; a word that is a
        name on its own (``A. Okonkwo``) stays."""
        n = len(named)
        for k in _positions(named):
            w = self.words[k]
            if len(w) != 1 or not w.isupper() or self.cued[k] or not self._item_letter(k):
                continue
            j = k + 1
            while j < n and named[j] and not self.cued[j] and not self.strong(j) and self.flags[j] & SAFE:
                j += 1
            if j > k + 1:
                named[k:j] = bytes(j - k)

    def flags_of(self, low: str) -> int:
        """The lexicon flags of a lower-case word."""
        return int(self._folded_get(low, 0))

    def _item_letter(self, k: int) -> bool:
        """Word k is a letter with a period opening its line, and the line before is a heading (ends in a colon)
        or an earlier line opens with the letter before it (only text before is read: a stream holds no more)."""
        a = self.starts[k]
        line = self.text.rfind("\n", 0, a)
        if self.text[a + 1 : a + 3] != ". " or line < 0 or self.text[line + 1 : a].strip():
            return False
        head = self.text[:line].rstrip(" \t")
        if head.endswith(":"):
            last = head[:-1].rsplit(None, 1)[-1].lower() if head[:-1].strip() else ""
            return last not in _PEOPLE_HEADINGS and not self.flags_of(last) & _CUE  # not "Staff:", "Attending:"
        d = chr(ord(self.words[k]) - 1)
        return d.isupper() and re.search(rf"(?m)^[ \t]*{d}\. ", self.text[:line]) is not None

    def _named_list_end(self, named: bytearray, k: int) -> int:
        """The end of the run of named words from k: joined by a blank, a comma, a slash or ``and``/``or``."""
        n = len(named)
        end = k + 1
        while end < n:
            g = self.gap(end)
            if named[end] and (_SP.match(g) or _LIST_GAP.match(g) or _SLASH_GAP.match(g)):
                end += 1
            elif (
                self.lows[end] in _LIST_JOIN
                and end + 1 < n
                and named[end + 1]
                and _SP.match(g)
                and _SP.match(self.gap(end + 1))
            ):
                end += 2
            else:
                break
        return end

    def _geography_units(self, k: int, end: int) -> list[tuple[int, int]]:
        """Words k..end-1 as (start, length) names of ``geography_names`` (``and``/``or`` skipped); [] when
        another word is among them."""
        geo = geography_names()
        units: list[tuple[int, int]] = []
        i = k
        while i < end:
            if self.lows[i] in _LIST_JOIN:
                i += 1
                continue
            m = next(
                (
                    m
                    for m in range(min(4, end - i), 0, -1)
                    if all(_SP.match(self.gap(j)) for j in range(i + 1, i + m))
                    and " ".join(self.lows[i : i + m]) in geo
                ),
                0,
            )
            if not m:
                return []
            units.append((i, m))
            i += m
        return units

    def _place_cue_before(self, k: int) -> bool:
        """Word k follows a place preposition (``in``, ``across``, ``throughout``, ``within``, ``outside``; or is
        one) or a geography label (``region:``, ``country:``)."""
        low = self.lows[k - 1] if k > 0 else ""
        if k > 0 and low == "the" and k > 1 and _SP.match(self.gap(k)):
            k -= 1
            low = self.lows[k - 1]
        if k == 0:
            return False
        g = self.gap(k)
        if low in ("from", "to") and k > 1 and _SP.match(g) and _SP.match(self.gap(k - 1)):
            return self.lows[k - 2] in _MOVE_VERBS  # "moved from Kenya", "flies in from Chad"
        return (low in _PLACE_PREPOSITIONS and bool(_SP.match(g))) or (low in _GEO_LABELS and ":" in g)

    def _drop_inner_eponyms(self, named: bytearray) -> None:
        """Known miss class (issue 16): a bare name reading that found only a later word of an eponymous term
        (``Hunt and Hess 3``: ``Hess`` is a surname, ``hunt`` a word) is the eponym too, with no noun after it;
        a cue on any of its words keeps the name."""
        terms = eponym_terms()
        inner = eponym_inner_words()
        cued = self.cued
        n = len(named)
        named_at = [k for k in _positions(named, 1) if not cued[k] and _eponym_form(self.lows[k]) in inner]
        for k in named_at:
            for start in range(max(0, k - 3), k):
                hit = next(
                    (
                        t
                        for t in terms.get(_eponym_form(self.lows[start]), ())
                        if start + len(t) > k and start + len(t) <= n and self._spells(start, t)
                    ),
                    None,
                )
                if hit is not None and not any(cued[start : start + len(hit)]):
                    named[start : start + len(hit)] = bytes(len(hit))
                    break

    def _drop_eponym_neighbours(self, named: bytearray, k: int, end: int) -> None:
        """Words a dropped eponym grew onto are not names either: the uncued words after it that are no name on
        their own (``ALLEN TEST NEG``, ``JACKSON-PRATT DRAIN``), and a letter of a slash abbreviation before it
        (``H/O MORSE FALL SCORE``)."""
        cued = self.cued
        while end < len(named) and named[end] and not cued[end] and not self.strong(end) and _SP.match(self.gap(end)):
            named[end] = 0
            end += 1
        i = k - 1
        if i >= 0 and named[i] and not cued[i] and (self._slash_letter(i) or self._sentence_article(i)):
            named[i] = 0

    def _sentence_article(self, i: int) -> bool:
        """Word i is the article ``A`` before an eponym (no period after it, as an initial has): opening a sentence
        or line, or after a function word (``AND A MANN-WHITNEY TEST``)."""
        if self.lows[i] != "a" or self.text[self.ends[i] : self.ends[i] + 1] != " ":
            return False
        before = self.text[max(0, self.starts[i] - 3) : self.starts[i]]
        if i > 0 and _SP.match(self.gap(i)) and self.flags[i - 1] & FUNC and not self.flags[i - 1] & _CUE:
            return True
        return i == 0 and not before.strip() or bool(re.search(r"(?:[.!?]\s|\n\s*)\Z", before))

    def _slash_letter(self, i: int) -> bool:
        """Word i is one letter right after a slash: part of an abbreviation (``h/o``, ``s/p``)."""
        return len(self.lows[i]) == 1 and self.text[self.starts[i] - 1 : self.starts[i]] == "/"

    def _spells(self, k: int, term: tuple[str, ...]) -> bool:
        """Words k.. are the term's words, one space or hyphen apart."""
        for i, w in enumerate(term[1:], k + 1):
            if _eponym_form(self.lows[i]) != w or not _SP.match(self.gap(i)):
                return False
        return True

    def _initials_and_modal_word_names(self, named: bytearray, cued: bytearray, idx: list[int]) -> None:
        """Name positions found on the third blind corpus: initials after "pt" (dotted, or two or three letters
        before a verb of report), a first name that is a modal verb after a relation word or a staff role
        (``wife May;``, ``coordinator Will.``, ``RN Will B.``), and a first name + surname after a contact verb
        (``Thank you for referring ART SMALL``)."""
        n = len(self.words)
        lows = self.lows
        flags = self.flags

        def mark(j: int) -> None:
            named[j] = cued[j] = 1

        text = self.text
        for m in _PT_INITIALS.finditer(text) if not _PT_WORDS.isdisjoint(lows) else ():
            g = "d" if m.group("d") else "b"
            a, b = m.start(g), m.end(g)
            ks = [k for k in range(bisect.bisect_left(self.starts, a), n) if self.starts[k] < b]
            if g == "b" and (not ks or flags[ks[0]] & FUNC):
                continue
            for k in ks:
                mark(k)
        cues = [k for k in idx if flags[k] & _B3_FLAGS]  # idx: the tokens with a cue or name flag
        if not ROLES.isdisjoint(lows):
            cues = sorted({*cues, *(k for k, w in enumerate(lows) if w in ROLES)})
        for k in cues:  # a chain of credentials after a name: "Tomasz Grzelak, PT, DPT"
            if k < 2 or not flags[k] & CRED or not _CRED_GAP.match(self.gap(k)):
                continue
            j = k - 1
            while (
                j > 0
                and (flags[j] & (CRED | WEAK_CRED) or lows[j] in ("pt", "ot"))
                and _CRED_GAP.match(self.gap(j))
                and k - j < 3
            ):
                j -= 1
            if j < k - 1 and not flags[j] & (CRED | WEAK_CRED | _CUE) and (self.namey(j) or flags[j] & _NAMEISH):
                mark(j)
        for k in cues:
            f = flags[k]
            if k >= n - 1 or not (f & REL or lows[k] in ROLES or f & CONTACT):
                continue
            if not (_CUE_GAP.match(self.gap(k + 1)) or f & REL and _REL_SLASH.match(self.gap(k + 1))):
                continue
            j = k + 1
            if f & CONTACT and not f & REL:  # "referring ART SMALL": a first name and a surname, both words
                if (
                    j + 1 < n
                    and flags[j] & FIRST
                    and flags[j + 1] & LAST
                    and not (flags[j] | flags[j + 1]) & (FUNC | _CUE)
                    and _SP.match(self.gap(j + 1))
                    and self.same_shape(j, j + 1)
                    and (self.titled(j) or self.words[j].isupper() or not self.mixed(j) and self.phrase_ends(j + 1))
                ):
                    mark(j)
                    mark(j + 1)
                continue
            if not (flags[j] & FUNC and flags[j] & FIRST and len(lows[j]) >= 3):
                continue  # only a first name that is a modal verb or other function word (may, will)
            nxt = text[self.ends[j] : self.ends[j] + 3].lstrip(" \t")
            if j + 1 == n and not nxt or nxt[:1] in (",", ";", ".", "(", ")", "\n") or (
                j + 1 < n and self.initial(j + 1) and _SP.match(self.gap(j + 1))
            ):
                mark(j)

    def _word_names_in_staff_positions(self, named: bytearray, cued: bytearray) -> None:
        """Name positions found on the fourth blind corpus, for words the other rules leave because they are also
        words (``Joy``, ``Rusty``, ``Ama``) or no list holds them: a first name before an initial and a
        credential (``GRACE P. R.N.``, ``rajiv j. rn``), the person of a phone call, page or report
        (``T/C FROM ANJALI AT``, ``PLEASE PAGE ROSELAURE``, ``MARRIED TO PAT``, ``AMA FROM GREER 10 TOOK REPORT``),
        a lexicon first name after a staff role before what staff do (``CM JOY FOLLOWING``), ``PT`` + first name
        + surname (``PT RUSTY BHATTACHARYA``), one word wrapped in parentheses or commas after a relation word
        (``daughter (ama)``, ``HUSBAND, TOU,``) and a lexicon first name as a ``- MAY`` sign-off."""
        n = len(self.words)
        if n < 2:
            return
        flags = self.flags
        lows = self.lows
        text = self.text

        def mark(j: int) -> None:
            named[j] = cued[j] = 1

        def person(j: int) -> bool:  # a word that can be a name where a strong cue points at it
            f = flags[j]
            if not self.ok_word(j) or f & _CUE or lows[j] in _NOT_AFTER_TITLE or lows[j] in _NOT_REPORTED:
                return False
            return bool(f & _NAMEISH) or not f & (SAFE | FUNC | MORPH)

        for m in _B4_INITIAL_CRED.finditer(text):  # "GRZEGORZ G. HO", "destiny t. np", "GRACE P. R.N."
            k = bisect.bisect_left(self.starts, m.start() - 1)  # the initial: the letter before the period
            if 0 < k < n and self.starts[k] == m.start() - 1 and _SP.match(self.gap(k)):
                j = k - 1
                f = flags[j]
                if lows[j] in _ASSIST_LEVELS:
                    continue  # "min A. pt motivated", "mod A. OT:": a level of assistance (seventh blind corpus)
                if self.ok_word(j) and lows[j].isalpha() and not f & _CUE and (not f & FUNC or f & _NAMEISH):
                    mark(j)
                    mark(k)
                    if j > 0 and _SP.match(self.gap(j)) and person(j - 1) and not named[j - 1]:
                        before = text[self.text.rfind("\n", 0, self.starts[j - 1]) + 1 : self.starts[j - 1]]
                        if not before.strip(" \t") or re.search(r"[.;:,]\s*\Z", before):
                            mark(j - 1)  # "MAI YER M. RN": a two-word first name opening the sign-off
        low = self.ascii_low
        call_cue = low is None or _B4_CALL_WORD.search(low) is not None  # one of _B4_CALL_WORDS in it
        for m in _B4_CALL_CUE.finditer(text) if call_cue else ():  # "T/C FROM ANJALI AT", "PLEASE PAGE ROSELAURE @"
            k = bisect.bisect_left(self.starts, m.end())
            if k < n and self.starts[k] == m.end() and person(k):
                mark(k)
        keys = _B4_KEYS
        for k in [k for k, w in enumerate(lows) if w in keys and k < n - 1]:
            low = lows[k]
            glued = self.starts[k] > 0 and text[self.starts[k] - 1].isalnum()  # "42cm ok": a unit, not a role
            role = low in _B4_ROLES and not glued and k + 2 < n and lows[k + 2] in _B4_STAFF_DOES
            if role and _SP.match(self.gap(k + 1)):
                j = k + 1
                if flags[j] & FIRST and self.ok_word(j) and not flags[j] & _CUE and _SP.match(self.gap(j + 1)):
                    mark(j)  # "CM JOY FOLLOWING", "SW BILL MET WITH FAMILY"
            elif low in _PT_WORDS and k + 2 < n and _SP.match(self.gap(k + 1)) and _SP.match(self.gap(k + 2)):
                a, b = k + 1, k + 2  # "PT RUSTY BHATTACHARYA AGE 91": first name + surname after "pt"
                surname = flags[b] & LAST and not flags[b] & (FUNC | _CUE) or person(b) and not flags[b] & SAFE
                if flags[a] & FIRST and not flags[a] & (FUNC | _CUE) and self.ok_word(b) and surname:
                    mark(a)
                    mark(b)
            elif flags[k] & REL and k + 1 < n:
                j = k + 1
                g, after = self.gap(j), text[self.ends[j] : self.ends[j] + 2]
                wrapped = (g.strip(" \t") == "(" and after[:1] == ")") or (
                    g.strip(" \t") == "," and after[:1] == "," and not (j + 1 < n and flags[j + 1] & REL)
                )
                if wrapped and self.ok_word(j) and not flags[j] & (_CUE | FUNC) and lows[j] not in _NOT_AFTER_TITLE:
                    mark(j)  # "daughter (ama)", "HUSBAND, TOU, IN LYNN"
            elif (
                low == "from"
                and k > 0
                and self.ok_word(k - 1)
                and not flags[k - 1] & (FUNC | _CUE)
                and lows[k - 1] not in _NOT_REPORTED
                and re.search(r"(?:\A|[.;\n])[ \t]{0,3}\Z", text[max(0, self.starts[k - 1] - 4) : self.starts[k - 1]])
                and "took report" in " ".join(lows[k + 1 : k + 6])
            ):
                mark(k - 1)  # "AMA FROM GREER 10 TOOK REPORT"
        # "- MAY" at the end of a line or the text: a lexicon first name signing off (function words included)
        k = n - 1
        a = self.ends[k - 1]
        last = not text[self.ends[k] :].strip(" \t.\n")
        if flags[k] & FIRST and not named[k] and last and _DASH_SIGN.search(text, a, self.starts[k]):
            mark(k)

    def _visit_list_and_handoff_names(self, named: bytearray, cued: bytearray) -> None:
        """Name positions found on the fifth blind corpus, for names that are also words (Rose, Frank, Green) or
        on no list: the names of a ``spoke w/`` / ``d/w`` list, a clause-opening first name before what visitors
        and staff do (``Rose in to visit``, ``DAWN WOULD LIKE CALL``), a possessive before a relation
        (``JONES'S WIFE``), ``BABY BOY X`` / ``TWIN B X``, a staff role before a name and what staff do
        (``resident Hall paged``, ``worker Jian Bell.``), ``covering for X``, ``report from X``, ``paged X @``,
        ``per X,`` and initials signing off (``acb/rn``, ``K.W RN``). Unnamed again: the kind of nurse before a
        credential (``Charge RN``) and a word ``per`` names before an eponym's head (``per Portland protocol``)."""
        n = len(self.words)
        if n < 2:
            return
        flags, lows, text, starts = self.flags, self.lows, self.text, self.starts
        lowset = frozenset(lows)
        keys = _B5_KEYS
        cue_at = [] if keys.isdisjoint(lowset) else [k for k, w in enumerate(lows) if w in keys]

        def matches(rx: re.Pattern[str], words_: frozenset[str]) -> list[re.Match[str]]:
            """``rx`` matched at the tokens that are ``words_`` (its cue words start it: no whole-text scan)."""
            return [m for k in cue_at if lows[k] in words_ and (m := rx.match(text, starts[k])) is not None]

        def mark(j: int) -> None:
            named[j] = cued[j] = 1

        def at(pos: int) -> int:  # the token starting at ``pos``, else -1
            k = bisect.bisect_left(starts, pos)
            return k if k < n and starts[k] == pos else -1

        def person(j: int, word_names: bool = True) -> bool:  # a name where a strong cue points (Frank, Green too)
            f = flags[j]
            if not self.ok_word(j) or f & (FUNC | _CUE) or lows[j] in _NOT_AFTER_TITLE or lows[j] in _NOT_REPORTED:
                return False
            if lows[j].endswith("'s") and (lows[j][:-2] in RELATIONS or lows[j][:-2] in _PT_WORDS):
                return False  # "spoke with mom's sister": a relation's relation
            return bool(word_names and f & _NAMEISH) or not f & (SAFE | MORPH)

        # "spoke w/ ART", "d/w Buck", "meeting ... w/ Carol, Joy, Dr X"
        for m in matches(_B5_WITH, _B5_WITH_D):
            k = at(m.end())
            while 0 <= k < n:
                if flags[k] & (TITLE | REL) or lows[k] in ROLES:
                    k += 1  # "w/ wife Rose", "w/ Dr X, SW Y": the cue's own rule names the next word
                    titled = flags[k - 1] & TITLE and k < n and _TITLE_GAP.match(self.gap(k))  # "w/ dr. wise, sw"
                    if k >= n or not (_CUE_GAP.match(self.gap(k)) or titled):
                        break
                if not person(k) or k + 1 < n and lows[k + 1] in _B5_SERVICE_NEXT and _SP.match(self.gap(k + 1)):
                    break  # "w/ PEG team", "w/ renal fellow": a service
                mark(k)
                if k + 1 < n and _SP.match(self.gap(k + 1)) and flags[k + 1] & LAST and person(k + 1):
                    k += 1
                    mark(k)  # "w/ Mark Stone"
                if k + 2 < n and lows[k + 1] in _LIST_JOIN and _SP.match(self.gap(k + 1)):
                    k += 2
                elif k + 1 < n and (_LIST_GAP.match(self.gap(k + 1)) or _SLASH_GAP.match(self.gap(k + 1))):
                    k += 1
                else:
                    break
        # "BABY BOY GREEN", "Twin B Stone"
        for m in _B5_BABY.finditer(text) if "baby" in lowset or "twin" in lowset else ():
            k = at(m.end())
            if k >= 0 and person(k) and lows[k] not in _B5_NEWBORN:
                mark(k)
        # "Rose in to visit", "Hunter and Pat at bedside"
        for m in matches(_B5_VISIT, _B5_VISIT_KEYS):
            k = bisect.bisect_left(starts, m.start()) - 1
            if k < 0 or not _SP.match(self.gap(k + 1)):
                continue
            chain = [k]
            if k >= 2 and lows[k - 1] in _LIST_JOIN and _SP.match(self.gap(k)) and _SP.match(self.gap(k - 1)):
                chain.append(k - 2)
            a = starts[chain[-1]] if chain[-1] >= 0 else 0
            if k < 0 or not _B5_OPENS.search(text, max(0, a - 5), a):
                continue
            # a word on no list only before what visitors do ("Ambu at bedside", "Yankauer at bedside": devices)
            unknown_ok = _B5_VISITOR.match(m.group()) is not None
            # "Dawn and Dimitrios turned pt": a word on no list beside a first name is the other person
            unknown_ok = unknown_ok or any(j >= 0 and flags[j] & FIRST for j in chain) and len(chain) > 1
            if all(j >= 0 and (flags[j] & FIRST or unknown_ok and person(j, False)) and person(j) for j in chain):
                for j in chain:
                    mark(j)
        poss = [k for k, w in enumerate(lows) if w.endswith("'s") and k + 1 < n] if "'s" in text or "'S" in text else []
        for k in poss:  # "JONES'S WIFE", "X's team"
            if not (flags[k + 1] & REL or lows[k + 1] == "team") or not _SP.match(self.gap(k + 1)):
                continue
            if lows[k][:-2] in _PT_WORDS or not (self.nameable(k) or self.titled(k) or self.shouted(k)):
                continue
            if lows[k][:-2] in RELATIONS:
                continue  # "husband's brother": a relation's relation (eighth blind corpus)
            if not flags[k] & (FUNC | _CUE) and lows[k][:-2] not in _NOT_REPORTED:
                mark(k)
        roles = [] if _B5_ROLES.isdisjoint(lowset) else [k for k, w in enumerate(lows) if w in _B5_ROLES and k + 1 < n]
        for k in roles:  # "resident hall paged"
            j = k + 1
            if not _SP.match(self.gap(j)) or not person(j):
                continue
            js = [j]
            if j + 1 < n and _SP.match(self.gap(j + 1)) and person(j + 1) and lows[j + 1] not in _B5_ROLE_NEXT:
                js.append(j + 1)  # "worker Jian Bell"
            e = js[-1]
            after = text[self.ends[e] : self.ends[e] + 2].lstrip(" \t")
            if e + 1 == n or after[:1] in ("", ",", ".", ";", ":", "(", "/", "@", "\n") or (
                lows[e + 1] in _B5_ROLE_NEXT and _SP.match(self.gap(e + 1))
            ):
                for j in js:
                    mark(j)
        for rx in (_B5_HANDOVER, _B5_CALL_AT, _B5_PER):  # "covering for Rose", "paged Bond @", "per sunny,"
            for m in matches(rx, _B5_HAND_KEYS):
                k = at(m.end())
                if k < 0 or not person(k) or lows[k] in _B5_NOT_HANDED or lows[k] in _B5_NOT_PER:
                    continue
                if rx is _B5_PER and _study_or_rule(lows[k], self.titled(k)):
                    continue  # "per echo,", "per Fleischner:": a study or a named rule
                if k + 1 < n and lows[k + 1] in _B5_NOT_HANDED and _SP.match(self.gap(k + 1)):
                    continue  # "report from day RN", "report from Green team"
                mark(k)
        creds = ("rn", "lpn", "np", "md", "licsw", "lcsw", "msw", "rrt", "cna", "bsn")
        # "acb/rn", "K.W RN", "m.b. rn"
        ends_cred = [] if lowset.isdisjoint(creds) else [k for k, w in enumerate(lows) if w in creds and k > 0]
        found_initials = (
            m
            for k in ends_cred
            for m in _B5_INITIALS_SIGN.finditer(text, max(0, starts[k - 1] - 8), _line_end(text, self.ends[k]))
        )
        for m in found_initials:
            a, b = m.span("i")
            letters = "".join(c for c in text[a:b] if c.isalpha()).lower()
            if "." not in text[a:b] and letters in _B5_NOT_INITIALS:  # dotted letters are initials ("s.w. rn")
                continue
            for k in range(bisect.bisect_left(starts, a), n):
                if starts[k] >= b:
                    break
                mark(k)
        for k in range(1, n) if not _B5_NURSE_KIND.isdisjoint(lowset) else ():  # "Charge RN": the kind of nurse
            kind = named[k - 1] and lows[k - 1] in _B5_NURSE_KIND and not flags[k - 1] & _NAMEISH
            if kind and flags[k] & (CRED | WEAK_CRED) and not (k > 1 and named[k - 2]):
                named[k - 1] = cued[k - 1] = 0
        for k in range(1, n - 1) if "per" in lowset else ():  # "per Portland protocol": an eponym, not a person
            if named[k] and lows[k - 1] == "per" and lows[k + 1] in EPONYM_NEXT and _SP.match(self.gap(k + 1)):
                named[k] = cued[k] = 0

    # ---- frequency tier (issue 16): rare safe-list words are names in strong name positions
    def rare(self, j: int) -> bool:
        """Word j is a plain safe-list word (no name, cue, function word or inflected form) of three letters or
        more that is rare in real English use (``goran``, ``yaw``): see ``rare_word``."""
        f = self.flags[j]
        if not f & SAFE or f & (FUNC | _CUE | _NAMEISH | MORPH | STAFF) or not 3 <= len(self.words[j]) <= _MAX_WORD:
            return False
        low = self.lows[j]
        if low.endswith(("'s", "’s")) and len(low) >= 4:  # a possessive is as rare as its owner ("pt's" is not)
            low = low[:-2]
            if vocabulary().get(low, 0) & (FUNC | _CUE | MORPH | STAFF | REL | TITLE) or not rare_word(low):
                return False
        if "-" in low:  # a compound of known words ("on-call") is rare only through a rare part
            get = vocabulary().get
            return any(rare_word(p) for p in low.split("-") if len(p) >= 3 and not get(p, 0) & (FUNC | _CUE))
        return rare_word(low)

    def _tier_cues(self, named: bytearray, cued: bytearray, idx: list[int]) -> None:
        """A rare safe-list word right after a strong name cue is a name, in any case: a relation word
        (``son goran``, ``BROTHER YAW``, ``wife is sora``), a strong title (``dr yaw``) or a contact verb
        (``spoke with yaw``, ``paged goran``). Free text never consults the tier."""
        flags, lows, n = self.flags, self.lows, len(self.words)
        for k in idx:
            f = flags[k]
            if not f & (REL | TITLE | CONTACT) or k + 1 >= n:
                continue
            j = k + 1
            if f & REL:
                if (j := self.rel_target(k)) < 0:
                    continue
            elif f & TITLE and lows[k] in STRONG_TITLES and _TITLE_GAP.match(self.gap(j)):
                pass
            elif lows[k] in _TIER_CONTACTS and _SP.match(self.gap(j)):
                if lows[j] in _CONTACT_LINKS and j + 1 < n and _SP.match(self.gap(j + 1)):
                    if lows[k] == "called":
                        continue  # "called to triage": a place
                    j += 1
            else:
                continue
            if self.rare(j):
                named[j] = cued[j] = 1
    def _report_helper_and_contact_list_names(self, named: bytearray, cued: bytearray) -> None:
        """Name positions found on the sixth blind corpus, for names in any case (also word-names: Grace, Rusty):
        after ``s/o`` (significant other), the person a report is given to or by (``rpt to Grace @ 0700``,
        ``report given by Cormac, received by Linnea``, ``updated by Dmitri``), a ward helper's name before or after
        the role (``the sitter kiki``, ``Deb the PCA``), the names opening each item of a contact list (``Contacts:
        Ximena 555-1148; Consuelo 5-5250``) and visitors named in parentheses (``family at bedside (Sterling and
        Holly)``). Every position is read from the words left of the name (and the role word right after it)."""
        n = len(self.words)
        if n < 2:
            return
        flags, lows, text, starts = self.flags, self.lows, self.text, self.starts

        def mark(j: int) -> None:
            named[j] = cued[j] = 1

        def at(pos: int) -> int:  # the token starting at ``pos``, else -1
            k = bisect.bisect_left(starts, pos)
            return k if k < n and starts[k] == pos else -1

        def person(j: int) -> bool:  # a lexicon name (also a word: Grace) or a word on no list, no cue or role
            f = flags[j]
            if not self.ok_word(j) or f & (FUNC | _CUE) or lows[j] in _NOT_AFTER_TITLE or lows[j] in _NOT_REPORTED:
                return False
            if lows[j] in _B6_NOT_PERSON or lows[j] in _B6_HELPERS or lows[j] in ROLES:
                return False
            if len(lows[j]) <= 3 and self.words[j].isupper() and self.mixed(j):
                return False  # "received by ED": an abbreviation in a line with case
            return bool(f & _NAMEISH) or not f & (SAFE | MORPH)

        def surname(j: int) -> None:  # "Ximena Lindqvist": a second name word right after
            if j + 1 < n and _SP.match(self.gap(j + 1)) and flags[j + 1] & LAST and person(j + 1):
                mark(j + 1)

        lowset = frozenset(lows)
        for k in range(1, n - 1) if "o" in lowset and "s/o" in text.lower() else ():  # "s/o Crystal here"
            if lows[k] != "o" or lows[k - 1] != "s" or text[starts[k] - 1] != "/" or not _SP.match(self.gap(k + 1)):
                continue
            j = k + 1
            if person(j) and (flags[j] & FIRST or not flags[j] & SAFE):
                mark(j)
                surname(j)
        if not _B6_REPORT_KEYS.isdisjoint(lowset):
            for k in [k for k, w in enumerate(lows) if w in _B6_REPORT_KEYS]:
                m = _B6_REPORT.match(text, starts[k])
                j = at(m.end()) if m is not None else -1
                if j >= 0 and person(j):
                    mark(j)
                    surname(j)
        for k in range(n) if not _B6_HELPERS.isdisjoint(lowset) else ():
            if lows[k] not in _B6_HELPERS:
                continue
            opens = k == 0 or lows[k - 1] == "the" or _B5_OPENS.search(text, max(0, starts[k] - 5), starts[k])
            heading = text[self.ends[k + 1] : self.ends[k + 1] + 1] == ":" if k + 1 < n else True
            if opens and not heading and _SP.match(self.gap(k + 1)) and person(k + 1):
                mark(k + 1)  # "the sitter kiki was with pt" (not "dilaudid PCA  ENDO:")
            the = k >= 2 and lows[k - 1] == "the" and _SP.match(self.gap(k)) and _SP.match(self.gap(k - 1))
            if the and person(k - 2) and (flags[k - 2] & _NAMEISH or self.unknown_name(k - 2)):
                mark(k - 2)  # "reports pain to Deb the PCA"
        for m in _B6_CONTACTS.finditer(text) if "contact" in text.lower() else ():
            end = _line_end(text, m.end())
            pos = m.end()
            while pos < end:
                j = at(pos)
                # an item is a name and its number: the first, and each later one whose name a number follows
                if j < 0 or not person(j) or pos > m.end() and not _B6_NUMBER_NEXT.match(text, self.ends[j]):
                    break
                mark(j)
                surname(j)
                nxt = text.find(";", pos, end)
                if nxt < 0:
                    break
                pos = nxt + 1
                while pos < end and text[pos] in " \t":
                    pos += 1
        i = text.find("(")
        while i >= 0:  # "family at bedside (Sterling and Holly)"
            if _B6_PAREN_VISITORS.search(text, max(0, i - 48), i + 1):
                j = at(i + 1 + len(text[i + 1 : i + 4]) - len(text[i + 1 : i + 4].lstrip(" \t")))
                while 0 <= j < n and person(j):
                    mark(j)
                    if j + 2 < n and lows[j + 1] in _LIST_JOIN and _SP.match(self.gap(j + 1)):
                        j += 2
                    elif j + 1 < n and _LIST_GAP.match(self.gap(j + 1)):
                        j += 1
                    else:
                        break
            i = text.find("(", i + 1)

    # ---- seventh blind corpus (issue 16)
    def rel_target(self, k: int) -> int:
        """The word relation word k names (``dtr mary``, ``wife is sora``, ``dtr in law, Seamus``, ``dtr/will``),
        else -1."""
        n = len(self.words)
        j = k + 1
        if j >= n or not (_CUE_GAP.match(self.gap(j)) or _REL_SLASH.match(self.gap(j))):
            return -1
        if self.lows[j] in ("is", "named") and j + 1 < n and _SP.match(self.gap(j + 1)):
            j += 1
        elif self.lows[j] == "in" and j + 2 < n and self.lows[j + 1] == "law" and _SP.match(self.gap(j + 1)):
            j += 2  # "dtr in law Heather"
            if not _CUE_GAP.match(self.gap(j)):
                return -1
        return j

    def opens_clause(self, k: int) -> bool:
        """Word k opens a clause: the text, a line, or a sentence, colon, bar, parenthesis or dash before it."""
        a = self.starts[k]
        return _SUBJECT_OPENS.search(self.text, max(0, a - 5), a) is not None

    def subject_person(self, k: int) -> bool:
        """Word k can be a person named by what follows it: a lexicon first name (also a word: Heather, Joy), a
        lexicon surname on no list, a word on no list written as a name, or a rare safe-list word; never a
        function word (``Will call MD``, ``May need``), a cue, a role, a service or a word notes put there."""
        f, low = self.flags[k], self.lows[k]
        if not self.ok_word(k) or len(low) < 3 or f & (FUNC | _CUE) or low in _NOT_REPORTED or low in ROLES:
            return False
        if low in _NOT_AFTER_TITLE or low in _SERVICES or low in _B6_NOT_PERSON or low in _SUBJECT_VERBS:
            return False
        if f & FIRST or f & _NAMEISH and not f & SAFE:
            return True
        return self.unknown_name(k) and not f & MORPH or self.rare(k) and low.isalpha()

    def _shouted_subject(self, k: int, v: int) -> bool:
        """Word k and the verb v after it are in capitals in a line with lower case (``here. OKSANA CALLED,``,
        ``WISLY'S NUMBER IS``): a word on no list (no safe-list word, inflected form, function word or cue) shouted
        with its clause is a name; a known acronym (``ICU CALLED``) is on the safe list."""
        f, low = self.flags[k], self.lows[k]
        if not (self.shouted(k) and self.words[v].isupper()) or f & (SAFE | MORPH | FUNC | _CUE):
            return False
        return low not in _NOT_REPORTED and low not in ROLES and low not in _SERVICES and low not in _B6_NOT_PERSON

    def _role_named(self, k: int) -> bool:
        """Word k stands between a staff role and what staff do (``covering raj notified``, ``MD Ezra aware``): any
        word of three letters or more but a function word, cue, role, service, inflected form or a word notes put
        there (``covering team notified``, ``covering resident aware``)."""
        f, low = self.flags[k], self.lows[k]
        if k == 0 or self.lows[k - 1] not in ROLES or not _SP.match(self.gap(k)) or not self.ok_word(k):
            return False
        if len(low) < 3 or f & (FUNC | _CUE | MORPH) or low in _NOT_REPORTED or low in ROLES or low in _SERVICES:
            return False
        return low not in _NOT_AFTER_TITLE and low not in _SUBJECT_VERBS and low not in _B6_NOT_PERSON

    def _subject_chain(self, k: int) -> list[int]:
        """The names joined by ``+``, ``&``, ``and``, ``/`` or ``,`` that end at word k and open a clause (at
        most three), else []."""
        chain = [k]
        while True:
            j = chain[-1]
            if self.opens_clause(j) or j > 0 and self.flags[j - 1] & REL and self.rel_target(j - 1) == j:
                return chain[::-1]  # "Heather called", "wife-Will called": the relation rule's name
            i = j - 1
            if i >= 0 and self.lows[i] == "and" and _SP.match(self.gap(j)) and i > 0 and _SP.match(self.gap(i)):
                i -= 1
            elif i >= 0 and _SP.match(self.gap(j)) and not self.flags[j] & (SAFE | MORPH) and self.flags[i] & FIRST:
                pass  # "Vinny Achterberg ok w/ plan": a first name and a surname on no list
            elif not (i >= 0 and _SUBJECT_JOIN.match(self.gap(j))):
                return []
            if len(chain) == 3 or not self.subject_person(i):
                return []
            chain.append(i)

    def _subject_names(self, named: bytearray, cued: bytearray) -> None:
        """Names opening a clause before what people do (``Kwame tearful``, ``Heather called, wanted``, ``Olu +
        Joy to bring cards``, ``Oksana very anxious``, ``Seamus restless overnight``): up to three joined names,
        one adverb, then a verb of report, feeling, request or state (``_SUBJECT_VERBS``, ``_SUBJECT_PAIRS``)."""
        lows, n = self.lows, len(self.words)
        for v in [v for v in range(1, n) if lows[v] in _SUBJECT_VERBS or lows[v] in _SUBJECT_PAIR_HEADS]:
            if lows[v] in _SUBJECT_PAIR_HEADS and not (
                v + 1 < n and (lows[v], lows[v + 1]) in _SUBJECT_PAIRS and _SP.match(self.gap(v + 1))
            ):
                continue
            k = v - 1
            if lows[k] in _SUBJECT_ADVERBS and k > 0 and _SP.match(self.gap(k)):
                k -= 1
            after_rel = k > 0 and self.flags[k - 1] & REL and self.rel_target(k - 1) == k
            modal = after_rel and self.flags[k] & FIRST and len(lows[k]) >= 3  # "wife-Will called" (Will, May)
            person = self.subject_person(k) or modal or self._shouted_subject(k, v)
            if not _SP.match(self.gap(k + 1)) or not (person or self._role_named(k)):
                continue
            if self._role_named(k):
                named[k] = cued[k] = 1  # "covering raj notified": a role before, what staff do after
                continue
            for j in self._subject_chain(k):
                named[j] = cued[j] = 1

    def object_person(self, j: int) -> bool:
        """Word j after an update or request cue is a person: a lexicon name on no list, a word on no list, or a
        lexicon first name (also a word: Heather) before a clause end or a word that follows people
        (``asking for Seamus repeatedly``; not ``asking for ginger ale``)."""
        f, low = self.flags[j], self.lows[j]
        if not self.ok_word(j) or len(low) < 3 or f & (FUNC | _CUE) or low in _NOT_REPORTED or low in ROLES:
            return False
        if low in _NOT_AFTER_TITLE or low in _NOT_OBJECT or low in _SERVICES:
            return False
        if f & _NAMEISH and not f & SAFE or not f & (SAFE | MORPH):
            return True  # a rare word is left out here: "asking for yaw" may be a thing asked for
        if not f & FIRST:
            return False
        after = self.text[self.ends[j] : self.ends[j] + 1]
        if after in (".", ",", ";", ")", "\n", "") and self.ends[j] + 1 <= len(self.text):
            return after != "" or self.ends[j] == len(self.text)
        return j + 1 < len(self.words) and self.lows[j + 1] in _OBJECT_NEXT and _SP.match(self.gap(j + 1)) is not None

    def _object_names(self, named: bytearray, cued: bytearray) -> None:
        """The person of an update or a request (``continue to update Ngozi``, ``ASKING FOR PATIENCE
        REPEATEDLY``, ``found down at home by sone Kwame``, ``confirmed w/ Raj``, ``replaced by Brook,``); a
        relation word there leaves the name to the relation rule."""
        lows, text = self.lows, self.text
        if _OBJECT_KEYS.isdisjoint(lows):
            return
        for k in [k for k, w in enumerate(lows) if w in _OBJECT_KEYS]:
            m = _OBJECT_CUE.match(text, self.starts[k])
            j = self._at(m.end()) if m is not None else -1
            if j >= 0 and self.object_person(j):
                named[j] = cued[j] = 1

    def _at(self, pos: int) -> int:
        """The token starting at ``pos``, else -1."""
        k = bisect.bisect_left(self.starts, pos)
        return k if k < len(self.starts) and self.starts[k] == pos else -1

    def _visitor_lists(self, named: bytearray, cued: bytearray) -> None:
        """The names listed after ``visitors:``, ``callers:``, ``visited by`` or ``in today,`` (``visitors
        today: Sunny, Oksana and Ximena``, ``lots of family in today, Hiroshi/Colleen/Violet``); relation words
        inside the list leave their name to the relation rule (``callers: grandson-dmitri, friend fatima``)."""
        n, lows = len(self.words), self.lows
        for m in _VISITOR_CUE.finditer(self.text) if "visit" in self.text.lower() or "call" in self.text.lower() or (
            "today" in lows
        ) else ():
            k = self._at(m.end())
            while 0 <= k < n:
                if self.flags[k] & REL:
                    t = self.rel_target(k)
                    if t < 0:
                        break
                    k = t
                    if not self.object_person(k) and not self.subject_person(k):
                        break
                elif not (self.subject_person(k) or self.object_person(k)):
                    break
                named[k] = cued[k] = 1
                if k + 2 < n and lows[k + 1] in _LIST_JOIN and _SP.match(self.gap(k + 1)):
                    k += 2
                elif k + 1 < n and _SUBJECT_JOIN.match(self.gap(k + 1)):
                    k += 1
                else:
                    break

    def _team_lists(self, named: bytearray, cued: bytearray) -> None:
        """The people listed after a heading naming a group of them (``Oncoming team: Xu, Crandall and Phạm``,
        ``the care team members were björn j. bell, zhou``): items of one to three words (initials inside), each
        word a person word or one that ``subject_person`` takes, joined by commas or ``and``; the list ends at
        the first item that is no name (``Care team: PT, OT``, ``team members were notified``)."""
        if _TEAM_KEYS.isdisjoint(self.lows):
            return
        n = len(self.words)
        for m in _TEAM_LIST_CUE.finditer(self.text):
            k = self._at(m.end())
            while 0 <= k < n and self.starts[k] - m.end() <= _TEAM_LIST_REACH and self._team_member(k):
                named[k] = cued[k] = 1
                k = self._next_in_list(k, named, cued)

    def _team_member(self, k: int) -> bool:
        """Word k can be a word of a team list's item: a person word, a word ``subject_person`` takes, or a lexicon
        name that is also a word (``Rivers``, ``STROUD``), never a function word, cue, role or service."""
        if self.person_word(k) or self.subject_person(k):
            return True
        f, low = self.flags[k], self.lows[k]
        if not f & _NAMEISH or f & (FUNC | _CUE) or not self.ok_word(k) or low in ROLES or low in _SERVICES:
            return False
        return (self.written_name(k) or not self.mixed(k)) and bool(_ITEM_END.match(self.text, self.ends[k]))

    def _next_in_list(self, k: int, named: bytearray, cued: bytearray) -> int:
        """After marked word k of a team list: mark the rest of its item (initials, name words) and return the
        first word of the next item, or -1 where the list ends."""
        n, lows = len(self.words), self.lows
        size = 1
        while k + 1 < n and size < 3:
            gap = self.gap(k + 1)
            inner = _SP.match(gap) or self.initial(k) and _INITIAL_GAP.match(gap)
            if not inner or not (self.initial(k + 1) or self._team_member(k + 1)) or lows[k + 1] in _LIST_JOIN:
                break
            k, size = k + 1, size + 1
            named[k] = cued[k] = 1
        if k + 2 < n and lows[k + 1] in _LIST_JOIN and _SP.match(self.gap(k + 1)) and _SP.match(self.gap(k + 2)):
            return k + 2
        if k + 1 < n and _LIST_GAP.match(self.gap(k + 1)):
            return k + 1
        return -1

    def _nicknames(self, named: bytearray, cued: bytearray) -> None:
        """A nickname after ``calls self``, ``goes by``, ``known as``, ``nicknamed`` (``pt calls self Sully``,
        ``GOES BY 'RED'``): any word but a function word or one saying which name (``goes by first name``)."""
        for m in _NICKNAME_CUE.finditer(self.text) if not _NICK_KEYS.isdisjoint(self.lows) else ():
            j = self._at(m.end())
            if j >= 0 and self.ok_word(j) and not self.flags[j] & (FUNC | _CUE) and self.lows[j] not in _NOT_NICKNAME:
                named[j] = cued[j] = 1

    def _service_names(self, named: bytearray, cued: bytearray) -> None:
        """A doctor named right after their service (``per EP Sokolov``, ``ct surgery oduya at bedside``, ``ID
        Patel``): a word on no list or a lexicon name that is no known word; never a function word, cue, role,
        service or a word notes put there (``EP study``, ``surgery aware``, ``GI bleed``)."""
        lows, n = self.lows, len(self.words)
        if _SERVICE_HEADS.isdisjoint(lows):
            return
        for k in [k for k, w in enumerate(lows) if w in _SERVICE_HEADS and k + 1 < n]:
            j = k + 1
            f, low = self.flags[j], lows[j]
            if not _SP.match(self.gap(j)) or not self.namey(j) or f & (SAFE | MORPH | FUNC | _CUE):
                continue
            if low in ROLES or low in _SERVICES or low in _NOT_AFTER_TITLE or low in _B6_NOT_PERSON or len(low) < 3:
                continue
            named[j] = cued[j] = 1

    def _initial_signoffs(self, named: bytearray, cued: bytearray) -> None:
        """Initials signing off at the end of a line: after a slash (``/JC``, ``/M.F.``, `` / LL``), dotted
        after a sentence (``updated. a.e.``) or after a dash closing a sentence (``drainage. -NM``, also at the
        text's end); not units (``40 cc /hr``) or dotted abbreviations (``given p.o.``)."""
        text = self.text
        for rx, mark in ((_SLASH_INITIALS, "/"), (_DOTTED_INITIALS, "."), (_DASH_INITIALS, "-")):
            for m in rx.finditer(text) if mark in text else ():
                a, b = m.span("i")
                letters = "".join(c for c in text[a:b] if c.isalpha()).lower()
                if letters in _NOT_SIGN_INITIALS:
                    continue
                for k in range(bisect.bisect_left(self.starts, a), len(self.starts)):
                    if self.starts[k] >= b:
                        break
                    named[k] = cued[k] = 1

    def _clergy_names_and_signed_initials(self, named: bytearray, cued: bytearray) -> None:
        """Tenth blind corpus: the name after a clergy title (``Fr. Quintal``, ``pastor okafor``; not ``14 fr
        foley``, ``pastor from``); a letter signing a line before a surname found here and a credential (``s lu
        rrt``); two or three initials alone on a line before a credential (``ms rn ccrn``)."""
        text = self.text
        for m in _CLERGY.finditer(text) if "r" in text or "R" in text else ():
            j = self._at(m.end())
            if j < 0 or self.flags[j] & (FUNC | _CUE) or self.words[j].title() in US_STATES:
                continue  # "called fr Texas": a state
            if _TITLE_AS_NOUN.search(text, max(0, m.start() - 12), m.start()):
                continue
            if m.group()[:2].lower() == "fr" and "." not in m.group() and (
                self.flags[j] & (SAFE | MORPH) or self.words[j].isupper() and self.mixed(j)
            ):
                continue  # "adm fr OSH", "tx fr ED": "fr" is also "from"; without its period no word or abbreviation
            if self.namey(j) or self.titled(j) or self.shouted(j):
                named[j] = cued[j] = 1
        for m in _SIGN_LETTER_LINE.finditer(text):
            i, j = self._at(m.start("i")), self._at(m.start("n"))
            if i >= 0 and j == i + 1 and named[j] and not self.flags[i] & FUNC:
                named[i] = cued[i] = 1
        for m in _SIGN_INITIALS_LINE.finditer(text):
            i = self._at(m.start("i"))
            if i >= 0 and not self.flags[i] & FUNC and self.lows[i] not in _NOT_SIGN_LETTERS:
                named[i] = cued[i] = 1

    def _inline_signoffs_and_reported_names(self, named: bytearray, cued: bytearray) -> None:
        """Eleventh blind corpus: one to three words signing a note inline after its last sentence, before a
        credential that ends the text (``NS. K WEEKS R.N.``, ``RN. m may rrt``; not ``pt stable. Charge RN``);
        initials after a dash ending a run-on note (``sbp 90s -BD``); a name in parentheses after a report verb
        (``md notified (sharp)``; not ``notified (x2)``, ``(team)``); ``Baby`` and a family name (``baby moody``)."""
        text = self.text
        m = _INLINE_SIGN.search(text, max(0, len(text) - 100))
        if m is not None:
            ks = [k for k in range(bisect.bisect_left(self.starts, m.start("s")), len(self.words))
                  if self.starts[k] < m.end("s")]
            if ks and self._signs_inline(ks):
                for k in ks:
                    named[k] = cued[k] = 1
        m = _RUN_ON_DASH_INITIALS.search(text, max(0, len(text) - 12))
        if m is not None and m.group("i").lower() not in _NOT_SIGN_INITIALS:
            k = self._at(m.start("i"))
            if k >= 0:
                named[k] = cued[k] = 1
        for rx, stop, key in ((_REPORTED_PAREN, _NOT_REPORTED, "("), (_BABY_NAME, _NOT_BABY_NAMES, "aby")):
            for m in rx.finditer(text) if key in text or key == "aby" and "ABY" in text else ():
                k = self._at(m.start("w"))
                if k < 0 or self.lows[k] in stop or self.flags[k] & (FUNC | _CUE):
                    continue
                if self.flags[k] & _NAMEISH or self.namey(k):
                    named[k] = cued[k] = 1

    def _slash_credential_initials(self, named: bytearray, cued: bytearray) -> None:
        """Twelfth blind corpus: two initials after a credential and a slash at a line's end (``RN/ DM``, ``rn/
        af``); not a credential, role or section (``RN/BSN``, ``RN/NP``, ``RN/ESS``)."""
        text = self.text
        for m in _SLASH_CRED_INITIALS.finditer(text) if "/" in text else ():
            k = self._at(m.start("b"))
            if k < 0 or self.lows[k] in _NOT_SLASH_INITIALS or self.lows[k] in _NOT_SIGN_INITIALS:
                continue
            if not self.flags[k] & FUNC:
                named[k] = cued[k] = 1

    def _paren_list_second(self, named: bytearray, cued: bytearray) -> None:
        """Thirteenth blind corpus: the second person of a pair whose first is a name followed by who they are in
        parentheses (``visited by ana (nephew) and jurgis``, ``Yusuf (hcp) and Bill``): a lexicon name or a word
        on no list, never a cue or a plain word (``and family``, ``and son``)."""
        n = len(self.words)
        for k in _positions(named):
            j = k + 3
            if j >= n or self.lows[k + 2] not in ("and", "&") or not _PAREN_OPEN.match(self.gap(k + 1)):
                continue
            if self.lows[k + 1] not in _PAREN_ROLES or not _PAREN_CLOSE_AND.match(self.gap(k + 2)):
                continue
            if _SP.match(self.gap(j)) and self.nameable(j) and not self.flags[j] & FUNC:
                named[j] = cued[j] = 1

    def _significant_others(self, named: bytearray, cued: bytearray) -> None:
        """Thirteenth blind corpus: a significant other written ``SO`` (capitals only: ``so`` is a word) before a
        word that may be a name (``SO PERPETUA UMEH VISITING``, ``SO Ana called``); not a plain word, function word
        or cue (``SO FAR``, ``SO GOOD``, ``SO WIFE``): a name that is no word, a word on no list, or a capitalised
        lexicon name in a line with case."""
        n = len(self.words)
        for k in [k for k, w in enumerate(self.words) if w == "SO"] if "SO" in self.text else ():
            j = k + 1
            if j >= n or not _SP.match(self.gap(j)) or self.flags[j] & (FUNC | REL):
                continue
            if self.strong(j) or self.unknown_name(j) or self.titled(j) and self.flags[j] & _NAMEISH:
                named[j] = cued[j] = 1

    def _shift_signed_initials(self, named: bytearray, cued: bytearray) -> None:
        """Thirteenth blind corpus: two or three letters alone on a line with the shift they close after a slash
        (``BL/11p``, ``- KM/7A``, ``jt/2300``); not a unit, route or credential (``hr/7p``, ``RN/7a``)."""
        for m in _SHIFT_INITIALS.finditer(self.text) if "/" in self.text else ():
            k = self._at(m.start("i"))
            if k < 0 or self.lows[k] in _NOT_SLASH_INITIALS or self.lows[k] in _NOT_SIGN_INITIALS:
                continue
            named[k] = cued[k] = 1

    def _apposition_names(self, named: bytearray, cued: bytearray) -> None:
        """Twelfth blind corpus: a word before ``his``/``her``/``their`` and a relation word is the name of that
        relative (``with arjun her brother``, ``see Deb his sister``); not a cue, a verb of speech or a plain word
        (``called her sister``, ``she said her brother``, ``pain her husband``)."""
        lows, n = self.lows, len(self.words)
        for k in [k for k in range(n - 2) if lows[k + 1] in _APPOSITION_OWNERS]:
            if lows[k + 2] not in RELATIONS or not (_SP.match(self.gap(k + 1)) and _SP.match(self.gap(k + 2))):
                continue
            if self.nameable(k) and not self.flags[k] & (FUNC | _CUE) and lows[k] not in _SPEECH_VERBS:
                named[k] = cued[k] = 1

    def _signs_inline(self, ks: list[int]) -> bool:
        """Words ``ks`` sign a note: an initial and a word (``m may``), or none a function word or cue and one a
        name, an unknown word or a rare word."""
        if any(self.lows[k] in _NOT_SIGN_LETTERS or not (self.ok_word(k) or len(self.lows[k]) == 1) for k in ks):
            return False  # "Report given. ICU RN": a kind of nurse
        named_word = [bool(self.flags[k] & _NAMEISH or not self.flags[k] & (SAFE | MORPH | FUNC | _CUE)) for k in ks]
        if len(ks) >= 2 and (self.initial(ks[0]) or len(ks) == 2 and len(self.lows[ks[0]]) == 1):
            return named_word[-1] and not self.flags[ks[-1]] & _CUE  # "m may", not "A TEAM"
        if any(self.flags[k] & (FUNC | _CUE) and not self.initial(k) for k in ks):
            return False
        return any(named_word)

    def _per_clause_end(self, named: bytearray, cued: bytearray) -> None:
        """``per X`` closing a clause (``no changes per Raj.``, ``infiltrate per chase.``): a lexicon first name,
        a word on no list or a rare word (``per protocol.``, ``per team.``, ``per MD.`` stay)."""
        for k in [k for k, w in enumerate(self.lows) if w == "per"]:
            m = _PER_END.match(self.text, self.starts[k])
            j = self._at(m.end()) if m is not None else -1
            if j < 0 or self.lows[j] in _B5_NOT_PER:
                continue
            f = self.flags[j]
            if f & _CUE:
                continue  # "per PA.": a physician assistant
            if _study_or_rule(self.lows[j], self.titled(j)):
                continue  # "per echo,", "per Fleischner.": a study or a named rule
            if f & FIRST and not f & FUNC or self.object_person(j) or self.titled(j) and not f & (SAFE | MORPH | FUNC):
                named[j] = cued[j] = 1

    def _clause_name_hold(self) -> int:
        """Stream hold-back for the rules above that read right of a name: the first word of a clause-opening
        name chain whose verb may still come (``Patience + Buck`` + `` in this``), a word right after an update
        or request cue or ``per`` (a clause end may still follow it), a word after a sentence end (a line end
        may still make it a sign-off) and letters after a slash (``/JC``); else the word count."""
        n, lows, text = len(self.words), self.lows, self.text
        for k in range(max(0, n - 8), n):
            if not (self.subject_person(k) and self.opens_clause(k)):
                continue
            j, names = k, 1
            while j + 1 < n and names < 3:
                i = j + 1
                if lows[i] == "and" and i + 1 < n and _SP.match(self.gap(i)) and _SP.match(self.gap(i + 1)):
                    i += 1
                elif not (_SUBJECT_JOIN.match(self.gap(i)) or _SP.match(self.gap(i))):
                    break
                if not self.subject_person(i):
                    break
                j, names = i, names + 1
            rest = n - 1 - j  # words after the chain: an adverb and a two-word phrase at most
            if rest <= 3 and all(_SP.match(self.gap(i)) for i in range(j + 1, n)):
                return k
        for j in range(max(0, n - 2), n):
            if j > 0 and lows[j - 1] in ROLES:
                return j  # "covering raj" + " notified"
            before = text[max(0, self.starts[j] - 40) : self.starts[j]]
            m = _OBJECT_BEFORE.search(before)
            if m is not None or (j > 0 and lows[j - 1] == "per") or _SENTENCE_BEFORE.search(before):
                return j
            if before.endswith(("/", "/ ", "-", "- ")) and len(lows[j]) <= 3:
                return j  # "/JC", "-NM": initials signing off, if the text ends or a line breaks there
        return n

    def _shift_initials_hold(self) -> int:
        """Stream hold-back for ``_shift_signed_initials``: letters opening the last line before a slash and a
        shift hour still being written (``BL/11`` + ``p``); else the word count."""
        text = self.text
        m = _SHIFT_INITIALS_OPEN.search(text, max(0, len(text) - 24)) if "/" in text[-16:] else None
        return len(self.words) if m is None else bisect.bisect_left(self.starts, m.start("i"))

    def _header_last_first_names(self, named: bytearray, cued: bytearray) -> None:
        """The patient line of a record header: "Re:", "Patient:" or "Name:" then "Last, First" with an optional
        initial, ending its line (or before two blanks or an MRN/DOB label). Every word is named when each is
        written as a name (capitalised or in capitals in a line with case) and one is on no word list or all are
        lexicon names or initials: "Re: Winter, Pearl M", "RE: ODUYA, SUNNIVA W"; not "Re: Referral, Cardiology",
        "Re: follow-up, labs" nor "re: echo, she will fax"."""
        if ":" not in self.text:
            return
        for m in _HEADER_LAST_FIRST.finditer(self.text):
            a, b = m.span("n")
            k0 = self._at(a)
            ks = [k for k in range(k0, len(self.words)) if self.starts[k] < b] if k0 >= 0 else []
            if not ks or any(self.flags[k] & (FUNC | _CUE) and len(self.words[k]) > 1 for k in ks):
                continue
            written = not self.mixed(ks[0]) or all(
                self.titled(k) or self.shouted(k) or self.lows[k] in _PARTICLES or self.words[k].isupper()
                for k in ks
            )
            # a word on no list, or every word a lexicon name or an initial ("Winter, Pearl M")
            ok = any(not self.flags[k] & (SAFE | MORPH) for k in ks) or all(
                self.flags[k] & _NAMEISH or len(self.words[k]) == 1 for k in ks
            )
            if written and ok:
                for k in ks:
                    named[k] = cued[k] = 1

    def _line_final_names(self, named: bytearray, cued: bytearray) -> None:
        """A name alone after the last sentence of a line (``slept in naps. Kwame``, ``reassured. PRIYA``): a
        lexicon first name, a word on no list or a rare word, signing off."""
        for m in _LINE_FINAL.finditer(self.text):
            j = self._at(m.start("w"))
            if j >= 0 and self.ends[j] == m.end("w") and self.subject_person(j) and not self.flags[j] & MORPH:
                named[j] = cued[j] = 1

    # ---- names in model answers (issue 16): proper-case prose, names of many origins with their diacritics
    def folded_flags(self, k: int) -> int:
        """Flags of word k as the lexicons spell it: without diacritics when it has letters outside ASCII and no
        list holds it as written (``Nguyễn`` -> ``nguyen``: a surname), else its own flags."""
        f = self.flags[k]
        low = self.lows[k]
        if f or low.isascii():
            return f
        return self._folded_get(_ascii_fold(low), 0)

    def person_word(self, k: int) -> bool:
        """Word k reads as a person's name on its own: a lexicon name that is no known word (also once its
        diacritics are dropped), or a word with letters outside ASCII that no list holds, as written or folded
        (``Szymańska``, ``Østergaard``; not ``café``, ``naïve``, ``Đà``)."""
        if not self.ok_word(k) or len(self.lows[k]) < 2:
            return False
        f = self.folded_flags(k)
        if f & (SAFE | FUNC | _CUE | MORPH):
            return False
        return bool(f & _NAMEISH) or not self.lows[k].isascii() and not self.flags[k]

    def name_part(self, k: int) -> bool:
        """Word k can be one part of a person's name: a person word, a lexicon name that is also a word (``Rose``,
        ``Fields``), or a word on no list of two letters or more; never a function word, cue or product shape."""
        if not self.ok_word(k) or _product_shaped(self.words[k]):
            return False
        f = self.folded_flags(k)
        if f & (FUNC | _CUE):
            return False
        return bool(f & _NAMEISH) or not f & (SAFE | MORPH)

    def written_name(self, k: int) -> bool:
        """Word k is capitalised (not ALL CAPS) in a line with lower case, and no product shape."""
        w = self.words[k]
        return w[0].isupper() and not w.isupper() and self.mixed(k) and not _product_shaped(w)

    def _prose_names(self, named: bytearray, cued: bytearray) -> None:
        """Names in model answers (well-formed prose, proper case, many origins): runs of name words
        (``Zsófia Szalai``, ``Kwame D. Okonkwo``), the addressee of a greeting (``Hi Halldór,``), the person a prose
        verb reaches or reports (``You can reach Vörös at``, ``Yesterday Nguyễn declined``) and accented names in
        lists (``Oncoming team: Østergaard, Brzęczek and Võ``)."""
        self._name_runs(named)
        self._greeted(named, cued)
        self._prose_objects(named, cued)
        self._prose_subjects(named, cued)
        self._speaker_subjects(named, cued)
        self._called_and_attributed_names(named, cued)
        self._accented_list_items(named)
        self._team_lists(named, cued)

    def _name_runs(self, named: bytearray) -> None:
        """Two name words side by side (an initial may stand between them), one of them a person word or both
        on no list: capitalised in a line with lower case (``Kwame Okonkwo``, ``Tendai Fields``, ``Eero M.
        Kjærgaard``); in a line without case both person words, or a person word beside an accented word
        (``eero kjærgaard`` stays unless one is a lexicon name: ``jürgen mensah``)."""
        n = len(self.words)
        part_of: list[bool | None] = [None] * n  # name_part per word, asked once (each word is k, then j)

        def name_part(i: int) -> bool:
            v = part_of[i]
            if v is None:
                v = part_of[i] = self.name_part(i)
            return v

        for k in self._run_starts():
            j = k + 1
            if _SP.match(self.gap(j)) is None:
                if self.initial(k) and _INITIAL_GAP.match(self.gap(j)) and self.person_word(j):  # noqa: SIM102
                    if self.written_name(j) or not self.mixed(j):
                        named[k] = named[j] = 1  # "J. Echeverría", "c. magalhães": an initial and a person word
                continue
            if self.initial(j) and j + 1 < n and self.text[self.ends[j] : self.ends[j] + 1] == ".":
                if not _INITIAL_GAP.match(self.gap(j + 1)):
                    continue
                j += 1  # "Eero M. Kjærgaard"
            if not (name_part(k) and name_part(j)):
                continue
            if self.written_name(k) and self.written_name(j):
                both_unknown = not (self.folded_flags(k) | self.folded_flags(j)) & (SAFE | MORPH | _NAMEISH)
                if not (self.person_word(k) or self.person_word(j) or both_unknown):
                    continue
                if self.words[k].title() in US_STATES or self.words[j].title() in US_STATES:
                    continue  # "Texas Medicaid": a state names no one
            elif self.mixed(k) or self.mixed(j):
                continue  # one word capitalised and one not: a sentence word beside a name word
            elif not (self.person_word(k) and self.person_word(j)):
                continue
            named[k] = named[j] = 1
            if j > k + 1:
                named[k + 1] = 1

    def _run_starts(self) -> list[int]:
        """The words ``_name_runs`` can start a run at (speed: a superset of those it acts on, from the flags
        alone): a one-letter word (an ``initial``), or a word whose flags leave ``name_part`` possible (no
        flags: the folded form may hold some). The last word starts none."""
        words = self.words
        return [
            k
            for k, f in enumerate(self.flags[:-1])
            if not f or len(words[k]) == 1 or not f & (FUNC | _CUE) and (f & _NAMEISH or not f & (SAFE | MORPH))
        ]

    def _any_case(self, rx: re.Pattern[str]) -> Iterator[re.Match[str]]:
        """``rx.finditer(self.text)`` for spans (``group()`` may be lower-cased): on ASCII text, ``lower_twin(rx)``
        over the lower-cased text (speed: 3-4x faster, same spans)."""
        low = self.ascii_low
        if low is not None and ascii_safe(low):
            return lower_twin(rx).finditer(low)
        return rx.finditer(self.text)

    def _greeted(self, named: bytearray, cued: bytearray) -> None:
        """The one or two name words between a greeting and the comma, line end or ``!`` after them (``Hi
        Halldór,``, ``Dear Signe Thorsen,``, ``hello bence!``); ``Hi team,``, ``Dear colleagues,`` stay."""
        for m in self._any_case(_GREETING):
            k = self._at(m.end())
            if k < 0:
                continue
            last = k + 1 if k + 1 < len(self.words) and _SP.match(self.gap(k + 1)) else k
            while last >= k:
                after = self.text[self.ends[last] : self.ends[last] + 2].lstrip(" \t")[:1]
                if after in (",", "!", "\n") or self.ends[last] == len(self.text):
                    break
                last -= 1
            if last < k or self.ends[last] == len(self.text):
                continue  # a stream's text may still go on: decided by the comma, "!" or line end
            if all(self.nameable(i) or self.person_word(i) for i in range(k, last + 1)):
                for i in range(k, last + 1):
                    named[i] = cued[i] = 1

    def _prose_objects(self, named: bytearray, cued: bytearray) -> None:
        """The person right after a prose verb of reaching or reporting (``You can reach Vörös at``, ``Thanks for
        seeing Radović on``, ``I also copied Kjærgaard from``): a person word, or a lexicon name or word on no list
        written as a name; ``reach Medicare``-like words on the safe list stay."""
        for m in self._any_case(_PROSE_OBJECT):
            j = self._at(m.end())
            if j < 0 or not self.name_part(j) or self.lows[j] in _NOT_AFTER_TITLE:
                continue
            if self.person_word(j) or self.written_name(j) and not self.folded_flags(j) & (SAFE | MORPH):
                named[j] = cued[j] = 1

    def _prose_subjects(self, named: bytearray, cued: bytearray) -> None:
        """A person word written as a name right before a verb of prose (``Yesterday Nguyễn declined``, ``Phạm
        would prefer``, ``Kübler agreed``); a word on no list (a product, an insurer) is left to other cues."""
        verbs = [v for v, w in enumerate(self.lows) if w in _PROSE_SUBJECT_VERBS]  # speed: the few verbs first
        for v in verbs:
            if not v or not self.words[v].islower() or not _SP.match(self.gap(v)):
                continue
            k = v - 1
            if self.written_name(k) and self.person_word(k):
                named[k] = cued[k] = 1

    def _speaker_subjects(self, named: bytearray, cued: bytearray) -> None:
        """A word written as a name right before a verb only people do (``On review, Chikwanha said``,
        ``Konstantinou thanked``): a word on no list; a lexicon name that is also a word before those or a verb of
        decision (``Underwood agreed``, ``Fields declined``). Never a function word, cue, role or service."""
        for v in [v for v, w in enumerate(self.lows) if w in _DECIDER_VERBS]:
            k = v - 1
            if k < 0 or not self.words[v].islower() or not _SP.match(self.gap(v)) or not self.written_name(k):
                continue
            f, low = self.folded_flags(k), self.lows[k]
            if not self.ok_word(k) or len(low) < 3 or f & (FUNC | _CUE | MORPH) or low in ROLES:
                continue
            if low in _NOT_REPORTED or low in _SERVICES:
                continue
            if (not f and self.lows[v] in _SPEAKER_VERBS) or f & _NAMEISH:
                named[k] = cued[k] = 1

    def _called_and_attributed_names(self, named: bytearray, cued: bytearray) -> None:
        """What a person is called (``everyone calls me Aantje``, ``She named him Luís``, ``known as rafe``: the
        next word if it is a person word, a lexicon name, written as a name or on no list) and a quote's speaker
        after its verb (``..., says Hartvigsson.``, ``said Gladys to Logan``: written as a name, a lexicon name or
        on no list). Never a function word, cue, role, service, or a known word that is no name."""
        for rx, any_case in ((_CALLED, True), (_ATTRIBUTED, False)):
            for m in rx.finditer(self.text):
                j = self._at(m.end())
                if j < 0 or not self.ok_word(j) or len(self.lows[j]) < 2:
                    continue
                f, low = self.folded_flags(j), self.lows[j]
                if f & (FUNC | _CUE) or low in ROLES or low in _NOT_REPORTED or low in _SERVICES:
                    continue
                if low in _CALENDAR_WORDS or not (any_case or self.written_name(j)):
                    continue  # "she said Monday is fine", "call him Sunday"
                if f & _NAMEISH or not f & (SAFE | MORPH) or any_case and self.written_name(j) and not f & MORPH:
                    named[j] = cued[j] = 1

    def _accented_list_items(self, named: bytearray) -> None:
        """Accented person words written as names that stand in a list (a comma or ``and`` beside them:
        ``Østergaard, Brzęczek and Võ``); the list rule then carries the name on to the items after it."""
        if self.ascii_low is not None:
            return  # speed: an ASCII text has no accented word
        for k in range(len(self.words)):
            if self.lows[k].isascii() or not self.person_word(k) or not self.written_name(k):
                continue
            before = self.text[max(0, self.starts[k] - 5) : self.starts[k]]
            after = self.text[self.ends[k] : self.ends[k] + 5]
            if re.search(r"(?:,|\band|&)[ \t]{1,3}\Z", before) or re.match(r",|[ \t]{1,3}(?:and|&)\b", after):
                named[k] = 1

    def _nursing_cues(self, named: bytearray, cued: bytearray) -> None:
        """Name positions of nursing notes: after a staff role (``SW Oksana``, ``cards fellow tamsin``,
        ``covering MD (Tamsin)``, ``RN: n. egbuna``), before ``aware``/``notified`` at the start of a clause
        (``Tamsin aware of plan``), and a ``-Tamsin`` sign-off."""
        n = len(self.words)
        flags = self.flags
        # only the tokens the cue words or a sign-off dash start (found by one C-level scan)
        cues, lows = _NURSING_CUE_WORDS, self.lows
        cands = [] if cues.isdisjoint(lows) else [k for k, w in enumerate(lows) if w in cues]
        text = self.text
        i = text.find("-")
        while i >= 0:  # the word right after a dash (a "-Tamsin" sign-off)
            k = bisect.bisect_left(self.starts, i)
            if k < n and self.starts[k] - i <= 2:
                cands.append(k)
            i = text.find("-", i + 1)
        for k in sorted(set(cands)):
            low = self.words[k].lower()
            if low in ROLES and k + 1 < n and _ROLE_GAP.match(self.gap(k + 1)):
                j = k + 1
                if self.initial(j) and j + 1 < n and _INITIAL_GAP.match(self.gap(j + 1)):
                    named[j] = cued[j] = 1  # "RN: J. Okafor": the growth takes the surname
                    continue
                if self.words[j].lower() in _NOT_AFTER_TITLE or flags[j] & (FUNC | _CUE):
                    continue
                full = j + 1 < n and flags[j + 1] & _NAMEISH and _SP.match(self.gap(j + 1))  # "sw grace sharp"
                written_as_name = self.titled(j) or "(" in self.gap(j) or full
                if (self.namey(j) and not flags[j] & SAFE) or (flags[j] & _NAMEISH and written_as_name):
                    named[j] = cued[j] = 1
            elif low in _REPORT_NEXT and k > 0 and _SP.match(self.gap(k)):
                j = k - 1
                if flags[j] & (FUNC | _CUE) or self.words[j].lower() in _NOT_REPORTED or not self.ok_word(j):
                    continue
                before = self.text[max(0, self.starts[j] - 4) : self.starts[j]]
                clause_start = j == 0 or bool(re.search(r"(?:[.;:!(,\n-]|^)[ \t]{0,3}\Z", before))
                after_role = j > 0 and (self.words[j - 1].lower() in ROLES or named[j - 1]) and _SP.match(self.gap(j))
                if not (clause_start or after_role):
                    continue
                if (self.namey(j) and not flags[j] & SAFE) or flags[j] & _NAMEISH:
                    named[j] = cued[j] = 1
            elif k + 1 == n or self.text.find("\n", self.ends[k], self.starts[k + 1]) >= 0:
                # the last word of a line or text, after a dash that opens its line or follows a sentence
                a = self.ends[k - 1] if k > 0 else 0
                namey = self.namey(k) or flags[k] & _NAMEISH
                if namey and not flags[k] & (FUNC | _CUE) and _DASH_SIGN.search(self.text, a, self.starts[k]):
                    named[k] = cued[k] = 1

    def _role_call_and_signoff_names(self, named: bytearray, cued: bytearray) -> None:
        """Name positions found on the second blind corpus: a role or relation in parentheses after a name
        (``Grant (charge)``), slash pairs before ``aware``/``notified`` (``Will/Grant notified``), the person of a
        call or report (``called will re: labs``, ``report called to Hope``), a person from a service (``Zbigniew
        from IV team``), ``her name is X``, and sign-offs: a line of one name, a name before ``R.N.``."""
        n = len(self.words)
        lows = self.lows

        def mark(j: int) -> None:
            named[j] = cued[j] = 1

        # each rule is keyed on the word at k or k + 1: only the cue words and the words before them are looked at
        text = self.text
        cues = _B2_CUES[("(" in text) + 2 * ("/" in text)]  # the parenthesis and slash rules need their mark
        hits = [k for k, w in enumerate(lows) if w in cues] if not cues.isdisjoint(lows) else []
        for k in sorted({*hits, *(k - 1 for k in hits if k)}):
            if k >= n - 1:
                continue
            low = lows[k]
            nxt = lows[k + 1]
            if (
                nxt in _PAREN_ROLES
                and _PAREN_OPEN.match(self.gap(k + 1))
                and (self.nameable(k) or self.titled(k) or self.shouted(k))
            ):
                mark(k)
            if nxt in _REPORT_NEXT and k > 0 and _SLASH_GAP.match(self.gap(k)) and _REPORT_SLASH.match(self.gap(k + 1)):
                chain = [k]
                while chain[-1] > 0 and len(chain) < _MAX_WORDS and _SLASH_GAP.match(self.gap(chain[-1])):
                    chain.append(chain[-1] - 1)
                a = self.starts[chain[-1]]
                if re.search(r"(?:[.;:!(\n-]|\A)[ \t]{0,3}\Z", self.text[max(0, a - 4) : a]) and all(
                    self.nameable(j) for j in chain
                ):
                    for j in chain:
                        mark(j)
            if low in _CALL_VERBS and _SP.match(self.gap(k + 1)):
                j = k + 1
                written = not self.flags[j] & SAFE or self.flags[j] & FIRST or self.titled(j) or self.shouted(j)
                nxt_ok = j + 1 < n and lows[j + 1] in _CALL_NEXT and _SP.match(self.gap(j + 1))
                if nxt_ok and written and lows[j] not in _CALL_NEXT and self.nameable(j):
                    mark(j)
            elif low in ("report", "reported") and _SP.match(self.gap(k + 1)):
                j = k + 1
                if lows[j] in _REPORT_VERBS and j + 1 < n and _SP.match(self.gap(j + 1)):
                    j += 1
                if lows[j] == "to" and j + 1 < n and _SP.match(self.gap(j + 1)) and self.nameable(j + 1):
                    mark(j + 1)
            elif nxt == "from" and k + 2 < n and _SP.match(self.gap(k + 1)) and _SP.match(self.gap(k + 2)):
                a = self.starts[k]
                clause = re.search(r"(?:[.;:!(,\n-]|\A)[ \t]{0,3}\Z", self.text[max(0, a - 4) : a])
                after = k > 0 and (lows[k - 1] in ("with", "w", "to", "by") or named[k - 1])
                service = lows[k + 2] in _SERVICES or self.nameable(k + 2) and not self.flags[k + 2] & _NAMEISH
                if (clause or after) and service and self.nameable(k) and not self.flags[k] & FUNC:
                    mark(k)
            elif low in _PAREN_AFTER and _PAREN_OPEN.match(self.gap(k + 1)) and self.text[
                self.ends[k + 1] : self.ends[k + 1] + 3
            ].lstrip(" \t").startswith(")"):
                if (self.nameable(k + 1) or self.titled(k + 1) or self.shouted(k + 1)) and (
                    lows[k + 1] not in _B5_NOT_HANDED  # "team (MICU)": a unit
                ):
                    mark(k + 1)  # "seen by PT (Padraig)"
            elif low == "rt" and _SP.match(self.gap(k + 1)) and self.titled(k + 1) and self.nameable(k + 1):
                mark(k + 1)  # "rt Abebe suctioned"
            elif (
                nxt == "family"
                and k > 0
                and _SP.match(self.gap(k + 1))  # "with staff. family meeting": two clauses
                and lows[k - 1] in ("the", "to", "with", "w", "called")
                and not (lows[k - 1] == "to" and low in _TO_FAMILY_VERBS)
                and self.nameable(k)
                and (self.flags[k] & _NAMEISH or self.titled(k) or self.shouted(k))
            ):
                mark(k)  # "spoke to BAKER family"
            elif (
                low == "name"
                and nxt == "is"
                and k + 2 < n
                and _SP.match(self.gap(k + 2))
                and (self.nameable(k + 2) or self.titled(k + 2) or self.shouted(k + 2))
            ):
                mark(k + 2)
        # sign-offs: a line that is one name ("FERENC", "Dmitri."), a name before a dotted credential ("R.N.")
        # (only inside a text of several lines: a one-word string value, "gpt-x", is no sign-off)
        for m in _LONE_LINE.finditer(self.text) if self.text.strip().count("\n") else ():
            k = bisect.bisect_left(self.starts, m.start(1))
            if k >= n or self.starts[k] != m.start(1) or self.ends[k] != m.end(1) or self.flags[k] & FUNC:
                continue
            if self.nameable(k) and self.words[k][0].isupper() and not self._lone_eponym(k):  # as the gate
                mark(k)
        for m in _DOTTED_CRED.finditer(self.text):
            a = m.start() - 1  # the credential's first letter
            cred = "".join(c for c in self.text[a : m.end()].lower() if c.isalpha())
            if a < 1 or cred not in _DOTTED_CREDS or self.text[a - 1] in ".'’-" or self.text[a - 1].isalnum():
                continue
            k = bisect.bisect_left(self.starts, a) - 1  # the word before the credential
            gap_ok = k >= 0 and re.fullmatch(r"[ \t]{0,2},?[ \t]{0,2}", self.text[self.ends[k] : a])
            if not gap_ok:
                continue
            ws = [k]
            while ws[0] > 0 and len(ws) < 3 and _SP.match(self.gap(ws[0])):
                ws.insert(0, ws[0] - 1)
            a = self.starts[ws[0]]
            if not re.search(r"(?:\A|[\n.!;,])[ \t]{0,3}-{0,3}\Z", self.text[max(0, a - 7) : a]):
                continue  # twelfth blind corpus: a run of dashes may open the signature ("---Mbeki, R.N.")
            # a dotted credential is a signature's own mark: any words before it that are no function word or cue
            if any(self.flags[j] & (FUNC | _CUE) or not self.ok_word(j) for j in ws):
                continue
            for j in ws:
                mark(j)

    def _spans(self, named: bytearray) -> list[Span]:
        out: list[Span] = []
        n = len(named)
        k = named.find(1)  # speed: the next named word found in C, not by stepping over every word
        while k >= 0:
            j = k
            particles = 0  # surname particles (De la Cruz) do not count against the word limit, two at most
            while (
                j + 1 < n
                and named[j + 1]
                and j + 1 - k - particles < _MAX_WORDS
                and (_INITIAL_GAP.match(self.gap(j + 1)) or _LIST_GAP.match(self.gap(j + 1)))
            ):
                j += 1
                if self.lows[j] in _PARTICLES and particles < 2:
                    particles += 1
            end = self.ends[j]
            if self.initial(j) and self.text[end : end + 1] == ".":
                end += 1
            cued = any(self.cued[k : j + 1])
            if cued or not self._eponym(j):
                # a cue makes a name certain; a bare lexicon name yields to a place detector on the same words
                out.append(Span(self.starts[k], end, "NAME", 0.7 if cued else self._bare_score(k, j)))
            k = named.find(1, j + 1)
        return out

    def _bare_score(self, k: int, j: int) -> float:
        """A bare first name + surname ("Maria Gonzalez") outranks a place reading of the same words; a single
        lexicon word ("Hopkins") yields to it."""
        if j > k and self.flags[k] & FIRST and not self.flags[k] & SAFE and self.flags[j] & LAST:
            return 0.6
        return 0.5

    def _eponym(self, j: int) -> bool:
        """The name ending at word j is followed by a word that makes it an eponym (``Wells score``)."""
        w = self.words[j]
        if j + 1 < len(self.words) and _SP.match(self.gap(j + 1)):
            nxt = self.words[j + 1].lower()
            if nxt in EPONYM_NEXT or nxt in ("s", "s'") and j + 2 < len(self.words):
                return True
            if nxt.endswith(("'s", "’s")) and j + 2 < len(self.words) and _SP.match(self.gap(j + 2)):
                return self.words[j + 2].lower() in EPONYM_NEXT  # Lou Gehrig's disease
            if w.endswith(("'s", "’s", "s'")):
                return False
        gap = self.text[self.ends[j] : self.ends[j] + 3]
        if gap.startswith(("' ", "’ ")) and j + 1 < len(self.words):
            return self.words[j + 1].lower() in EPONYM_NEXT
        if w.lower().endswith(("'s", "’s")) and j + 1 < len(self.words):
            return self.words[j + 1].lower() in EPONYM_NEXT
        return False

    def joinable(self, j: int) -> bool:
        """Whether a complete word could still become part of a name through words that follow it. A function
        word is named only when written as a name (capitalised) or as an initial; a cue that never becomes part
        of the name it announces (``patient``, relation, label and contact words) is not held either. Titles
        (part of the name) and credentials (a sign-off is decided by what follows them) stay joinable."""
        f = self.flags[j]
        if self.initial(j) or self.titled(j) or self.lows[j] in _PARTICLES or self.lows[j] in _NAME_SAINTS:
            return True  # a particle or "St." joins the name that may follow it (``_name_edges``)
        if f & FUNC:
            return False
        return bool(self.namey(j) or f & (_NAMEISH | TITLE | CRED | WEAK_CRED))

    def _signoff_line(self, k: int) -> int:
        """The first word of the last line when that line may still become a sign-off (one to three words, none
        a function word, then a credential that ends the line: ``stable kidney`` + `` RN``), else ``k``."""
        text = self.text
        ls = text.rfind("\n") + 1
        j0 = k
        while j0 > 0 and self.starts[j0 - 1] >= ls:
            j0 -= 1
            if j0 + 1 < len(self.words):  # the gaps a sign-off's words may have (``signoff``): else none
                g = self.gap(j0 + 1)
                if not (_SP.match(g) or _INITIAL_GAP.match(g) or _SIGN_GAP.match(g)):
                    return k
        if j0 == k or len(self.words) - j0 > 4 or text[ls : self.starts[j0]].strip():
            return k
        if any(self.flags[j] & FUNC for j in range(j0, k)):
            return k
        return j0

    def _right_cue_hold(self) -> int:
        """The first of the last three words that a right-hand cue still to come could name (``Grant`` +
        `` (charge)``, ``called will`` + `` re: labs``, ``Zbigniew`` + `` from IV``, a last word + end of note),
        else the word count. Function words (will, may) only where such a cue already began or a call precedes."""
        n = len(self.words)
        text = self.text
        for k in range(max(0, n - 3), n):
            if not self.nameable(k):
                continue
            m = _RIGHT_TAIL.match(text, self.starts[k])
            if m is None:
                continue
            sep = m.group(1).strip(" \t")
            a = self.starts[k]
            opens = bool(re.search(r"(?:\A|[\n.!;,(])[ \t]{0,3}-?[ \t]?\Z", text[max(0, a - 6) : a]))
            if sep in ("(", "/"):
                return self._with_initials(k)  # "Grant (" + "charge)", "Will/" + "Grant notified"
            if sep:  # a sentence or line ended after it: a sign-off only when the word opened its line or sentence
                if opens and not self.flags[k] & FUNC:
                    return self._with_initials(k)
                continue
            cued = k > 0 and self.lows[k - 1] in _CALL_VERBS_OR_LINK
            if (cued or opens or not self.flags[k] & (SAFE | FUNC)) and not self._settled_by_plain_next(k, opens):
                return self._with_initials(k)  # "called will" + " re:", "report to Hope", "Zbigniew" + " from IV"
        return n

    def _with_initials(self, k: int) -> int:
        """Word k held for a cue still to come, with the initials right before it (``A. Oßwald`` + `` from
        pharmacy``: growth joins the initial to the name the cue makes)."""
        while k > 0 and self.initial(k - 1) and _INITIAL_GAP.match(self.gap(k)):
            k -= 1
        return k

    def _settled_by_plain_next(self, k: int, opens: bool) -> bool:
        """Whether no right-hand cue can name word k any more because a plain word follows it, complete: lower
        case in a line with both cases, on the safe list, no name, cue, function word, particle or word a
        right-hand rule reads (re, from, family, aware, roles, services). Such a word is never named itself,
        so nothing after it reaches k: the rules that read the word after k (call, paren, slash, report,
        credential, service, family) need a cue word there, growth needs a name there. A dotted credential's
        signature (up to three words after a clause opening, ``R.N.``) could still take k with it, so k and the
        word before it must open no clause, or that word is a function word or cue (``the current regimen``)."""
        j = k + 1
        text = self.text
        if j >= len(self.words) or opens or not _SP.match(self.gap(j)):
            return False
        if self.ends[j] >= len(text) or text[self.ends[j]] not in " \t\n":
            return False  # still being written, or joined on by a hyphen, apostrophe or period
        w, f = self.words[j], self.flags[j]
        if not (len(w) >= 3 and w.isalpha() and w.islower() and self.mixed(j)):
            return False
        if not f & SAFE or f & (_NAMEISH | STAFF | _CUE | FUNC) or self.lows[j] in _RIGHT_CUE_WORDS:
            return False
        if k == 0 or self.flags[k - 1] & (FUNC | _CUE):
            return True
        a = self.starts[k - 1]
        return not re.search(r"(?:\A|[\n.!;,(])[ \t]{0,3}-?[ \t]?\Z", text[max(0, a - 6) : a])

    def _took_report_hold(self) -> int:
        """The first word a ``took report`` still to come may name (``AMA FROM GREER 10 TOOK REPORT``: the word
        before ``from`` at a sentence start, while fewer than six words follow ``from``); ``len(words)`` if none."""
        n, lows, text = len(self.words), self.lows, self.text
        for k in range(max(1, n - 7), n):
            if (
                lows[k] == "from"
                and self.ok_word(k - 1)
                and re.search(r"(?:\A|[.;\n])[ \t]{0,3}\Z", text[max(0, self.starts[k - 1] - 4) : self.starts[k - 1]])
            ):
                return k - 1
        return n

    def open_point(self) -> int:
        """Index (in this text) from which a continuation could change the findings: the trailing words
        that could still join a name (a word being written, words a following word or credential could
        make a name), and any finding among them."""
        n = len(self.words)
        text = self.text
        if not n:
            return len(text)
        if self.ends[-1] == len(text) or _WORD_END.search(text):
            if len(self.words[-1]) > _MAX_WORD and self.ends[-1] == len(text):
                return len(text)  # an overlong run is never a name
            k = n - 1  # a word being written: anything can still become of it
        else:
            tail = text[self.ends[-1] :]
            hold = min(self._right_cue_hold(), self._took_report_hold(), self._clause_name_hold(),
                       self._shift_initials_hold())
            done = len(text) if hold >= n else self.starts[hold]  # a right-hand cue may still name a word
            # a slash may still lead to a credential that makes initials before it a sign-off ("tm/rn")
            if len(tail) > 3 or "\n" in tail or not re.fullmatch(r"[ \t.,/]*", tail):
                return done
            if "." in tail and not (
                len(self.words[-1]) == 1 or self.flags[-1] & TITLE or self.lows[-1] in _NAME_SAINTS
            ):
                return done  # a sentence ended: nothing after it joins a name before it
            k = n
        # walk left over words that a following word could join into a name (names, unknown words, initials,
        # cue words), at most _MAX_WORDS of them, through gaps a name can span
        found = {(s.start, s.end) for s in self.run()}  # also sets self.cued
        first = k
        j = k - 1
        steps = 0
        if k < n and not (_INITIAL_GAP.match(self.gap(k)) or _CUE_GAP.match(self.gap(k))):
            j = -1  # the word being written joins no word before it ("novella 4 wickings")
        while j >= 0 and steps < _MAX_WORDS:
            joinable = self.joinable(j)
            in_found = any(a <= self.starts[j] < b for a, b in found)
            if not (joinable or in_found):
                break
            first = j
            if j == 0 or not (_INITIAL_GAP.match(self.gap(j)) or _CUE_GAP.match(self.gap(j))):
                break
            j -= 1
            steps += 1
        first = min(first, self._signoff_line(k), self._right_cue_hold(), self._took_report_hold())
        first = min(first, self._clause_name_hold())
        first = min(first, self._shift_initials_hold())
        pm = _PT_INITIALS_OPEN.search(text, max(0, len(text) - 40))
        if pm is not None:  # "pt JS" + " states": initials a verb of report still to come would name
            first = min(first, bisect.bisect_left(self.starts, pm.start("b")))
        if first >= n:
            return len(text)
        start = self.starts[first]
        for a, b in found:
            if a < start < b or (a < start and b >= start - 4):
                start = min(start, a)
        return start


def _line_end(text: str, i: int) -> int:
    """The end of the line holding offset ``i`` (its newline, or the end of the text)."""
    j = text.find("\n", i)
    return len(text) if j < 0 else j


_AFTER_PATIENT = re.compile(r"[Pp](?:atient|ATIENT)[ \t]{1,3}([^\W\d_]{3,30})\b")
_SP_TAB = (" ", "\t")


def _unknown_after_patient(text: str) -> bool:
    """A word on no list after "patient" ("Patient Adaeze"): the word gate cannot say it, prose must not wake
    the scan ("patient agrees")."""
    for stem in ("atient", "ATIENT"):
        i = text.find(stem, 1)
        while i > 0:
            # the regex only where a space or tab follows ("patients", "patient's" are no cue)
            if text[i + 6 : i + 7] in _SP_TAB and (i == 1 or not text[i - 2].isalnum()):
                m = _AFTER_PATIENT.match(text, i - 1)
                if m is not None and not _known_cached(m.group(1).lower()):
                    return True
            i = text.find(stem, i + 6)
    return False


@functools.lru_cache(maxsize=4096)
def _eponym_form(low: str) -> str:
    """A word as data/eponyms.txt writes it: no possessive, no plural -s (``murphy's`` -> ``murphy``)."""
    if low.endswith(("'s", "’s")):
        return low[:-2]
    if low.endswith(("s'", "’")):
        return low.rstrip("'’")
    return low


@functools.cache
def eponym_terms() -> dict[str, tuple[tuple[str, ...], ...]]:
    """First word -> the eponymous terms starting with it (longest first), words in ``_eponym_form``; a term's
    last word also matches in the plural (``apgars``, ``osler node``)."""
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for line in load_list("eponyms.txt"):
        term = tuple(_eponym_form(m.group()) for m in _TOK.finditer(line.lower()))
        if not term:
            continue
        variants = {term}
        if term[-1].endswith("s") and len(term[-1]) > 3:
            variants.add((*term[:-1], term[-1][:-1]))
        else:
            variants.add((*term[:-1], term[-1] + "s"))
        for t in variants:
            by_first.setdefault(t[0], []).append(t)
    return {w: tuple(sorted(ts, key=len, reverse=True)) for w, ts in by_first.items()}


@functools.cache
def clinical_words() -> frozenset[str]:
    """Nursing shorthand and clinical terms, lower case (data/clinical_words.txt)."""
    return frozenset(w.lower() for w in load_list("clinical_words.txt"))


def _study_or_rule(low: str, titled: bool = False) -> bool:
    """``low`` names a study or a rule, not a person, after ``per``: a one-word eponymous term (``fleischner``),
    or a clinical word (``echo``) unless written as a name in a line with case (``per Art,``: ``titled``)."""
    return (low in clinical_words() and not titled) or (low,) in eponym_terms().get(_eponym_form(low), ())


@functools.cache
def language_words() -> frozenset[str]:
    """Names of languages and peoples, lower case (data/languages.txt)."""
    return load_list("languages.txt")


@functools.cache
def eponym_inner_words() -> frozenset[str]:
    """The words eponymous terms hold after their first (``hess`` of ``hunt and hess``), as ``eponym_terms``."""
    return frozenset(w for ts in eponym_terms().values() for t in ts for w in t[1:])


def _known_cached(low: str) -> bool:
    return known_word(low)


# contact verbs whose object is a person (not "per", "seen", "examined", "signed": "per wean protocol",
# "examined coccyx")
_TIER_CONTACTS = words(
    "spoke talked discussed called paged notified informed dw covering relieved accompanied referring"
)
_COMMON_TIER: marisa_trie.Trie | None = None
_ALWAYS_SAFE: frozenset[str] = frozenset()


def rare_word(low: str) -> bool:
    """``low`` (a safe-list word) is in the rare tier: not in ``data/common_words.txt.gz`` (safe-list words
    frequent in real English, their derived forms, abbreviations and drugs; scripts/build_word_tiers.py) and no
    clinical word or stop word. Loaded on first use: only strong name positions ask."""
    global _COMMON_TIER, _ALWAYS_SAFE
    if _COMMON_TIER is None:
        _ALWAYS_SAFE = clinical_words() | frozenset(w.lower() for w in load_list("stopwords.txt"))
        _COMMON_TIER = marisa_trie.Trie(load_list("common_words.txt.gz"))
    return low not in _COMMON_TIER and low not in _ALWAYS_SAFE


def plain_word(word: str, cased: bool) -> bool:
    """``word`` is a plain word: on the safe list, no cue word (relations included), and no lexicon or staff name
    unless written in lower case in a text with case (``service``, a surname too, in ``prolonged service``)."""
    low = word.lower()
    f = vocabulary().get(low, 0)
    if not f & SAFE or f & _CUE:  # relation words carry a cue flag
        return False
    return not f & _NAMEISH or (cased and word.islower())


def plain_noun_phrase(before: str, word: str) -> bool:
    """``before word`` is a plain phrase for texts without case, where ``plain_word`` cannot read the case: both
    known words and no cue word, ``before`` no function word and no name, ``word`` no first name (a surname that
    is a word counts: ``service`` in ``PROLONGED SERVICE``)."""
    get = vocabulary().get
    fb, fw = get(before.lower(), 0), get(word.lower(), 0)
    if not known_word(before.lower()) or fb & (_CUE | FUNC | _NAMEISH):
        return False
    return bool(fw & SAFE) and not fw & (_CUE | FUNC | FIRST | STAFF)


def known_word(low: str) -> bool:
    """On the safe list or a function word, directly or as an inflected form (``visited``, ``clinics``)."""
    if low in _KNOWN_WORDS:
        return True
    get = vocabulary().get
    f = get(low, 0)
    if not f & (SAFE | FUNC | _NAMEISH):  # also a cue word's inflected form ("called", "paged", "signed")
        f |= _compound(low, get) if ("'" in low or "-" in low) else _morph(low, get)
    known = bool(f & (SAFE | FUNC))
    if known and len(_KNOWN_WORDS) < _KNOWN_FORMS_MAX:
        _KNOWN_WORDS.add(low)  # speed: a known word is asked about again; an unknown one (a name) is never kept
    return known


def _positions(flags: bytearray, start: int = 0) -> list[int]:
    """The indexes ``k >= start`` where ``flags[k]`` is 1 (a rule's marks: 1 or 0), found by ``bytearray.find``
    (speed: a few named words among many, without a Python step per word)."""
    out = []
    k = flags.find(1, start)
    while k >= 0:
        out.append(k)
        k = flags.find(1, k + 1)
    return out


def _compound(low: str, get: object) -> int:
    """Flags of ``o'brien``, ``smith-jones``, ``mcdonald``-like words not in the lists: a name when a part is a
    lexicon name and no part is a known word (``o'`` and ``d'`` prefixes count as name-making)."""
    assert callable(get)
    parts = _COMPOUND_SPLIT.split(low)
    if low[:2] in ("o'", "d'") and len(parts) == 2 and len(parts[1]) >= 2:
        return LAST
    # a cue word is a known word inside a compound ("on-call", "follow-up call")
    fl = [f | SAFE if f & _CUE and not f & _NAMEISH else f for f in (_part_flags(p, get) for p in parts if p)]
    if all(f & (SAFE | FUNC) for f in fl):
        # post-op, year-old, first-line; an ambiguous name when two parts of which one is a lexicon name and
        # none a function word (Koller-Ridges: joins a name next to it, never a name alone)
        two = len(fl) == 2 and all(len(p) >= 3 for p in parts)
        if two and not any(f & FUNC for f in fl) and any(f & _NAMEISH for f in fl):
            return SAFE | LAST
        return SAFE
    if len(parts) > 2 or any(len(p) == 1 for p in parts):
        return 0  # x-stainless-lang, a-b-c: a token of a machine vocabulary; a name only in a name position
    if any(f & _NAMEISH and not f & (SAFE | FUNC) for f in fl):
        return LAST  # Smith-Jones, Gump-Goodine
    return 0  # an unknown part: a name only in a name position


def _part_flags(part: str, get: Callable[..., int]) -> int:
    """Flags of one part of a compound. A lexicon name that reads as the plural of a safe-list word (``weeks``,
    ``rivas``) counts as that word, as the name gate reads it (no gate word wakes on it): ``weeks-rivas`` is then
    an ambiguous name that only joins a name next to it, so no distant gate word can make it a name later."""
    f = get(part, 0) or _morph(part, get)
    if f & _NAMEISH and not f & (SAFE | FUNC) and part[-1] == "s" and len(part) > 4 and get(part[:-1], 0) & SAFE:
        f |= SAFE
    return f


_COMPOUND_SPLIT = re.compile(r"['-]")
_SUFFIXES = (
    ("ies", "y"),
    ("ied", "y"),
    ("es", ""),
    ("s", ""),
    ("ed", ""),
    ("ed", "e"),
    ("ing", ""),
    ("ing", "e"),
    ("'s", ""),
    ("ly", ""),
)
# inflections of a short stem (the length floor of _SUFFIXES keeps names such as "Rosing" apart): only a stem in
# the common tier counts
_SHORT_STEM_SUFFIXES = (("ied", "y"), ("ies", "y"), ("d", ""), ("s", ""))
_SUFFIX_ENDS = frozenset(suf[-1] for suf, _ in _SUFFIXES)  # a word ending otherwise has no suffix


def _morph(low: str, get: object) -> int:
    """SAFE when ``low`` is an inflected form of a safe-list word (web2 lists base forms: ``contacted``,
    ``guidelines``, ``referred``); 0 otherwise."""
    assert callable(get)
    if low[-1:] not in _SUFFIX_ENDS:
        return 0  # speed: no suffix ends so (most names)
    for suf, rep in _SUFFIXES:
        # three-letter stems only before -ing/-ed ("asking", "eating"): "Rosing" or "Ewing" have no safe stem
        if low.endswith(suf) and len(low) - len(suf) >= (3 if suf in ("ing", "ed") else 4):
            stem = low[: -len(suf)] + rep
            if get(stem, 0) & SAFE:
                return SAFE
            if not rep and len(stem) >= 4 and stem[-1] == stem[-2] and get(stem[:-1], 0) & SAFE:
                return SAFE  # referred -> refer, stopping -> stop
    for suf, rep in _SHORT_STEM_SUFFIXES:  # died -> die, dies -> die, denied -> deny: a frequent short word
        if low.endswith(suf):
            stem = low[: -len(suf)] + rep
            if suf == "d" and stem[-1:] != "e":
                continue  # "-d" inflects only a word ending in e ("die"); "talkd" is a typo, not a form of "talk"
            if len(stem) >= 3 and get(stem, 0) & SAFE and not rare_word(stem):
                return SAFE
    return 0
