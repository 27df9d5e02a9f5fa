"""Geographic subdivisions smaller than a state: street addresses, unit/PO box, ZIP codes with context,
facilities (hospitals, clinics), and cities after a locative cue or before a state."""

from __future__ import annotations

import re
from collections.abc import Iterable

import regex

from sidecar.redaction.detectors.base import OpenScanner, gated, literal_union, longest_first, mixed_case
from sidecar.redaction.detectors.lexicons import (
    BODY_HEADS,
    STATE_ABBR,
    US_STATES,
    ends_address,
    load_list,
    only_geography,
    words,
)
from sidecar.redaction.detectors.names import (
    CONTACT_VERBS,
    FIRST,
    FUNC,
    LAST,
    SAFE,
    eponym_terms,
    known_word,
    language_words,
    rare_word,
    vocabulary,
)
from sidecar.redaction.detectors.regex_gate import RegexGate, ascii_safe, ascii_twin, twinned
from sidecar.redaction.site_vocabulary import EMPTY, SiteVocabulary
from sidecar.redaction.spans import Span

_W = r"(?:(?:St|Mt|Ste|Ft)\.|[A-Z][\w'’&-]{0,24})"
_STREET_SFX = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Way|Terrace|Ter|"
    r"Circle|Cir|Parkway|Pkwy|Highway|Hwy|Square|Sq|Trail|Trl|Loop|Row|Alley|Plaza|Pike|Route|Rte)"
)
_STATE_ALT = literal_union(sorted(US_STATES, key=longest_first))
_UNIT = r"(?:Apt|Apartment|Suite|Ste|Unit|Rm|Room|Floor|Fl|Bldg|#)\.?[ \t]{0,3}#?[ \t]{0,3}[A-Za-z0-9-]+"
_STREET = gated(
    r"\d",
    rf"\b\d{{1,6}}[A-Za-z]?[ \t]{{1,3}}(?:[NSEW]\.?[ \t]{{1,3}})?(?:{_W}[ \t]{{1,3}}){{0,3}}{_W}[ \t]{{1,3}}"
    rf"{_STREET_SFX}\b\.?"
    # the unit and the "City, ST ZIP" line may follow on the next line (an address block)
    rf"(?:,?\s{{1,3}}{_UNIT})?"
    rf"(?:,?\s{{1,3}}(?:{_W}[ \t]{{1,3}}){{0,2}}{_W},?[ \t]{{1,3}}(?:[A-Z]{{2}}|{_STATE_ALT})\b"
    rf"(?:[ \t]{{1,3}}\d{{5}}(?:-\d{{4}})?)?)?",
)
_UNIT_ALONE = re.compile(
    r"\b(?:Apt|Apartment|Suite|Ste|Unit)\.?[ \t]{0,3}#?[ \t]{0,3}\d+[A-Za-z]?\b"
    r"|\b(?i:p\.?[ \t]?o\.?[ \t]{1,3}box)[ \t]{1,3}\d+\b"
)
_ZIP = re.compile(r"(?<![\w-])\d{5}(?:-\d{4})?(?![\w-])")
_ZIP_CUE = twinned(re.compile(
    rf"(?:zip(?: code)?|postal(?: code)?|zipcode)\W{{0,4}}$|\b(?:[A-Z]{{2}}|{_STATE_ALT})\s{{0,3}}$", re.I
))
_FACILITY_KW = (
    r"(?:Hospital|Hosp\.|Clinic|Medical Cent(?:er|re)|Med Ctr|Health System|Health Cent(?:er|re)|Healthcare|Infirmary|"  # noqa: E501
    r"Institute|Cancer Cent(?:er|re)|Children's Hospital|Sanatorium|Nursing Home|Rehabilitation Cent(?:er|re)|"  # noqa: E501
    r"Urgent Care|Medical Group|Surgical Cent(?:er|re)|Care Cent(?:er|re)|General|Presbyterian|"  # noqa: E501
    r"Kaiser Permanente)"
)
_FACILITY = gated(
    "[A-Z]",
    rf"\b(?:{_W}[ \t]{{1,3}}){{0,4}}{_FACILITY_KW}\b(?:'s)?"
    rf"(?:[ \t]{{1,3}}(?:of|at|in)[ \t]{{1,3}}(?:the[ \t]{{1,3}})?{_W}(?:[ \t]{{1,3}}{_W}){{0,2}})?",
)
_SAINT = gated(
    "[SM]",
    rf"\b(?:St|Mt|Ste)\.[ \t]{{0,3}}{_W}(?:[ \t]{{1,3}}{_W}){{0,3}}"
    rf"|\b(?:Saint|Mount)[ \t]{{1,3}}{_W}(?:[ \t]{{1,3}}{_W}){{0,3}}",
)
_CUE_SEQ = gated(
    "[abdefhlmoprstvw]",
    r"\b(?:treated|seen|admitted|hospitali[sz]ed|transferred|discharged|evaluated|operated|followed|managed|"
    r"lives?|living|resides?|residing|resident|located|moved|relocated|born|works?|worked|employed|visited|"
    r"presented|referred|returned|traveled|travelled|stationed)[ \t]{1,3}(?:at|in|to|from|of|on|near)[ \t]{1,3}"
    r"(?:the[ \t]{1,3})?"
    rf"(?P<l>{_W}(?:[ \t]{{1,3}}(?:{_W}|of|the|and|&)){{0,5}})",
)
_LOC_PREP = gated(
    "[afinot]", rf"\b(?:in|at|from|near|to|of|outside|around)[ \t]{{1,3}}(?P<l>{_W}(?:[ \t]{{1,3}}{_W}){{0,2}})"
)
_CITY_STATE = gated("[A-Z]", rf"\b(?P<c>{_W}(?:[ \t]{{1,3}}{_W}){{0,2}}),[ \t]{{0,3}}(?P<s>[A-Z]{{2}}|{_STATE_ALT})\b")
_GEO_WORDS = frozenset(
    {
        "New",
        "San",
        "Santa",
        "Los",
        "Las",
        "Saint",
        "Mount",
        "Fort",
        "North",
        "South",
        "East",
        "West",
        "General",
        "Memorial",
        "University",
        "Regional",
        "Community",
        "County",
        "National",
        "Mercy",
        "Grace",
        "Hope",
        "Providence",
        "Valley",
        "Lake",
        "Park",
        "Hill",
        "Bay",
        "Baptist",
    }
)
_MULTI_AT = gated(
    "[afit]", rf"\b(?:at|in|from|to)[ \t]{{1,3}}(?:the[ \t]{{1,3}})?(?P<l>{_W}(?:[ \t]{{1,3}}{_W}){{1,4}})"
)
# USPS Publication 28, appendix C1: street suffixes (primary names and the usual abbreviations).
USPS_SUFFIXES = words(
    """allee alley ally aly anex annex anx arc arcade av ave aven avenu avenue avn avnue bayoo bayou bch beach
    bend bg bgs blf blfs bluf bluff bluffs blvd bnd bot boul boulevard boulv br branch brdge brg bridge brk brks
    brnch brook brooks btm burg burgs byp bypa bypas bypass byps byu camp canyn canyon cape causeway causwa cen
    cent center centers centr centre cir circ circl circle circles cirs clb clf clfs cliff cliffs club cmn cmns
    cmp cnter cntr cnyn common commons cor corner corners cors course court courts cove coves cp cpe crcl crcle
    creek cres crescent crest crk crossing crossroad crossroads crse crsent crsnt crssng crst cswy ct ctr ctrs
    cts curv curve cv cvs cyn dale dam div divide dl dm dr driv drive drives drs drv dv dvd est estate estates
    ests exp expr express expressway expw expy ext extension extensions extn extnsn exts fall falls ferry field
    fields flat flats fld flds fls flt flts ford fords forest forests forg forge forges fork forks fort frd frds
    freeway freewy frg frgs frk frks frry frst frt frway frwy fry ft fwy garden gardens gardn gateway gatewy
    gatway gdn gdns glen glens gln glns grden grdn grdns green greens grn grns grov grove groves grv grvs gtway
    gtwy harb harbor harbors harbr haven hbr hbrs heights highway highwy hill hills hiway hiwy hl hls hllw
    hollow hollows holw holws hrbor ht hts hvn hway hwy inlet inlt is island islands isle isles islnd islnds iss
    jct jction jctn jctns jcts junction junctions junctn juncton key keys knl knls knol knoll knolls ky kys lake
    lakes land landing lane lck lcks ldg ldge lf lgt lgts light lights lk lks ln lndg lndng loaf lock locks lodg
    lodge loop loops mall manor manors mdw mdws meadow meadows medows mews mill mills mission missn ml mls mnr
    mnrs mnt mntain mntn mntns motorway mount mountain mountains mountin msn mssn mt mtin mtn mtns mtwy nck neck
    opas orch orchard orchrd oval overpass ovl park parks parkway parkways parkwy pass passage path paths pike
    pikes pine pines pkway pkwy pkwys pky pl place plain plains plaza pln plns plz plza pne pnes point points
    port ports pr prairie prk prr prt prts psge pt pts rad radial radiel radl ramp ranch ranches rapid rapids
    rd rdg rdge rdgs rds rest ridge ridges riv river rivr rnch rnchs road roads route row rpd rpds rst rte rue
    run rvr shl shls shoal shoals shoar shoars shore shores shr shrs skwy skyway smt spg spgs spng spring springs
    sprng spur spurs sq sqr sqre sqrs sqs squ square squares st sta station statn stn str stra strav straven
    stravenue stravn stream street streets streme strm strt strvn strvnue sts sumit sumitt summit ter terr
    terrace throughway tpke trace traces track tracks trafficway trail trailer trails trak trce trfy trk trks
    trl trlr trlrs trls trnpk trwy tunel tunl tunls tunnel tunnels tunnl turnpike turnpk un underpass union
    unions uns upas valley valleys vally vdct via viadct viaduct view views vill villag village villages ville
    villg villiage vis vist vista vl vlg vlgs vlly vly vlys vst vsta vw vws walk walks wall way ways well wells
    wl wls wy xing xrd xrds"""
)
# suffixes that are unmistakably streets; the others also need a capitalised or unknown street name
_STRONG_SFX = words(
    """street st avenue ave av road rd boulevard blvd lane ln drive dr court ct place pl terrace ter terr circle
    cir parkway pkwy highway hwy trail trl plaza plz alley aly expressway expy freeway fwy turnpike tpke
    trafficway trfy stravenue stra causeway cswy pike route rte crescent cres"""
)
# words that sit between a number and a suffix-like word in clinical text, never in a street name
_NOT_STREET_WORDS = words(
    """mg mcg ml cc l lpm kg lb lbs mm cm min mins minute minutes hr hrs hour hours day days wk wks week weeks mo
    month months yr yrs year years x times unit units u tab tabs cap caps puff puffs breath breaths beat beats
    am pm yo y o of to and or the a an on in at with for per by q point lead leads view views vessel vessels
    step steps stage grade beds bed bottle bottles pack packs"""
)
# C1 abbreviations that are also words or clinical abbreviations (is, ml, pt, via): not matched as suffixes
AMBIGUOUS_SUFFIXES = words("is un pr cp dv dm dl ht hl vl wl ml ky kys lf cv pt pts via sta est ext")
ADDRESS_SUFFIXES = USPS_SUFFIXES - AMBIGUOUS_SUFFIXES
_SFX_ALT = literal_union(sorted(ADDRESS_SUFFIXES, key=longest_first))
# an oxygen flow before its device ("2L NC", "15L NRB", "4 L via FM") is no house number
# words a place name runs through ("Nursing and Rehab", "Hospital of the Good Samaritan", "Hospital for ...")
_NAME_JOINERS = frozenset(("and", "&", "of", "the", "for"))
_O2_FLOW = (r"(?!\d{1,2}[ \t]?(?i:l|lpm)[ \t]{1,3}"
            r"(?i:nc|n/c|nrb|fm|o2|via|nasal|hfnc|face|mask|vm|venti|bnc|shovel|tc|tm)\b)")
_NWORD = r"[A-Za-z][A-Za-z'’.-]{0,24}"
_SNWORD = rf"(?:{_NWORD}|\d{{1,3}}(?i:st|nd|rd|th))"  # a street name's word: also an ordinal (W 125th St)
_STATE_ABBR_ALT = literal_union(sorted(STATE_ABBR))
# any case: number, up to 4 name words, a USPS suffix, then an optional unit and ", City, ST 12345"
_STREET_ANY = gated(
    r"\d",
    rf"\b{_O2_FLOW}(?P<num>\d{{1,6}}[A-Za-z]?)[ \t]{{1,3}}"
    r"(?:(?:[NSEWnsew]|north|south|east|west|NORTH|SOUTH|EAST|WEST)\.?[ \t]{1,3})?"
    rf"(?P<name>(?:{_SNWORD}[ \t]{{1,3}}){{0,3}}{_SNWORD})[ \t]{{1,3}}(?P<sfx>(?i:{_SFX_ALT}))\b\.?"
    rf"(?P<unit>,?[ \t]{{1,3}}(?i:apt|apartment|suite|ste|unit|rm|room|fl|floor|bldg|building|lot|trlr|spc|#)\.?"
    rf"[ \t]{{0,3}}#?[ \t]{{0,2}}[A-Za-z0-9-]{{1,8}}\b)?"
    rf"(?P<tail>,?[ \t]{{1,3}}(?:{_NWORD}[ \t]{{1,3}}){{0,2}}{_NWORD},?[ \t]{{1,3}}"
    rf"(?i:{_STATE_ABBR_ALT}|{_STATE_ALT})\b"
    rf"(?:[ \t]{{1,3}}\d{{5}}(?:-\d{{4}})?)?)?",
)
_UNIT_WORDS = r"(?i:apt|apartment|suite|ste|unit|rm|room|fl|floor|bldg|building|lot|trlr|trailer|spc|space|dept|#)"
# what may follow a street address and belongs to it: a post-directional (St NW), up to two more units
# (Unit 7 Fl 2), then "City, ST 12345" on the same line or the next (addresses are written over two lines)
_POST_DIR = re.compile(r"[ \t]{1,2}(?:NE|NW|SE|SW|ne|nw|se|sw|N|S|E|W)\b\.?(?=[ \t,\n]|\Z)")
_MORE_UNIT = re.compile(rf",?[ \t]{{1,3}}{_UNIT_WORDS}\.?[ \t]{{0,3}}#?[ \t]{{0,2}}[A-Za-z]?\d[A-Za-z0-9-]{{0,7}}\b")
_UNIT_NUMBER = re.compile(r"[ \t]{1,2}#?\d{1,5}[A-Za-z]?\b")  # "Trlr 3": the suffix word was a unit
_CITY_STATE_ZIP = re.compile(
    rf"(?:,?[ \t]{{1,3}}|,?[ \t]*\n[ \t]*)(?:(?P<c>(?:{_NWORD}[ \t]{{1,3}}){{0,2}}{_NWORD}),?[ \t]{{1,3}})?"
    rf"(?P<s>(?i:{_STATE_ABBR_ALT}|{_STATE_ALT}))\b(?:[ \t]{{1,3}}\d{{5}}(?:-\d{{4}})?\b)?"
)
_ENDS_IN_ZIP = re.compile(r"(?<![\d-])\d{5}(?:-\d{4})?\Z")
_APO_LINE = re.compile(
    r"(?:,?[ \t]{1,3}|,?[ \t]*\n[ \t]*)(?i:apo|fpo|dpo)[ \t]{1,2}(?i:aa|ae|ap)[ \t]{1,2}\d{5}(?:-\d{4})?\b"
)
# military and diplomatic addresses: PSC 1234, Box 5678 / Unit 1234 Box 5678 / USNS Comfort; APO AE 09012
_MILITARY = gated(
    "[PpCcUuFfDdAa]",
    r"\b(?:(?i:psc|cmr|unit)[ \t]{1,2}\d{1,5},?[ \t]{1,3}(?i:box)[ \t]{1,2}\d{1,5}\b"
    r"|(?:USNS|USS|USCGC|usns)[ \t]{1,2}[A-Za-z][A-Za-z'-]{1,24}\b"
    r"|(?i:apo|fpo|dpo)[ \t]{1,2}(?i:aa|ae|ap)[ \t]{1,2}\d{5}(?:-\d{4})?\b)",
)
# street names written after their type: 31 Via Linda, 12 Calle Ocho, 400 Route 9, 12 County Road 5
_STREET_PREFIXED = gated(
    r"[\dNSEWnsew]",
    r"(?<![\w/.:-])[NSEWnsew]?\d{1,6}[A-Za-z]?[ \t]{1,3}"  # "N6320 County Road K": a grid address's house number
    r"(?:(?P<pre>(?i:via|calle|camino|avenida|paseo|rue|avenue[ \t]of[ \t]the))"
    rf"[ \t]{{1,3}}(?P<name>{_NWORD}(?:[ \t]{{1,3}}(?!{_UNIT_WORDS}\b){_NWORD})?)"
    r"|(?i:(?:us|state|county|(?:farm|ranch)[ \t]to[ \t]market)[ \t]{1,2})?"
    r"(?i:route|rte|highway|hwy|county[ \t]road|road|rd|fm|rm|sr|cr)"
    r"[ \t]{1,2}(?:\d{1,4}[A-Za-z]?|[A-Z]{1,2}(?![\w-])))\b",
)
# words that start a city's name and are words too (Lake Jamesside, North Jennifer, Port Michaelberg)
_CITY_PREFIX = words("north south east west new lake port fort ft ft. mount mt mt. saint st st. glen grand")
# any case: "City, ST" / "City ST 12345" / "City, State"; the city is checked in code (lexicon, ZIP or shape).
# Scanned from the state backwards (a state is rare, words are not): _STATE_AFTER, then _CITY_BEFORE.
_CITY_ST_ANY = gated(
    "[A-Za-z]",
    rf"\b(?P<c>{_NWORD}(?:[ \t]{{1,2}}{_NWORD}){{0,2}})(?:(?:,[ \t]{{0,2}}|[ \t]{{1,2}})"
    rf"(?:(?P<s>[A-Z]{{2}}|(?i:{_STATE_ALT}))\b(?P<z>[ \t]{{1,2}}\d{{5}}(?:-\d{{4}})?\b)?"
    rf"|(?P<sl>[a-z]{{2}})(?P<zl>[ \t]{{1,2}}\d{{5}}(?:-\d{{4}})?)\b)"
    # a lower-case state after a comma, ending the clause (consumed, not looked at: the gate drops lookarounds)
    r"|,[ \t]{0,2}(?P<sx>[a-z]{2})[ \t]{0,2}(?:[.;\n]|$))",
)
_STATE_AFTER = re.compile(
    rf"(?:,[ \t]{{0,2}}|[ \t]{{1,2}})(?:(?P<s>[A-Z]{{2}}|(?i:{_STATE_ALT}))\b(?P<z>[ \t]{{1,2}}\d{{5}}(?:-\d{{4}})?\b)?"
    rf"|(?P<sl>[a-z]{{2}})(?P<zl>[ \t]{{1,2}}\d{{5}}(?:-\d{{4}})?)\b"
    r"|(?<=,)[ \t]{0,2}(?P<sx>[a-z]{2})(?=[ \t]{0,2}(?:[.;\n]|\Z)))"  # "in zeunerberg, id."
)
# a locative cue right before a city: "visiting family in", "moved here from", "lives near"
_CITY_CUE = re.compile(r"(?i:\b(?:in|from|to|near|at|of)[ \t]{1,2})\Z")
# words a town's name may hold besides unknown ones (Garshatre Junction, Lintov Falls, Center City)
_TOWN_WORDS = words("city county township town village heights falls springs junction creek beach park hills")
_CITY_BEFORE = re.compile(rf"(?<![\w'’.-])(?P<c>{_NWORD}(?:[ \t]{{1,2}}{_NWORD}){{0,2}})\Z")
# wards and hospitals after a transfer cue: "transferred to Ellison 8", "from MGH", "report called to Blake 12"
_WARD_CUE = gated(
    "[tTxXaAsSmMrRcCdD]",
    r"(?i:\b(?:transferred|transfer|xfer|xferred|admitted|sent|moved|returned|report\s{1,2}called|called\s{1,2}report|"
    r"came|arrived|d/?c'?d|discharged)\s{1,2}(?:back\s{1,2})?(?:to|from)\s{1,2}(?:the\s{1,2})?)"
    r"(?P<w>[A-Za-z][A-Za-z'’-]{1,24})(?P<n>\s{1,2}\d{1,2}[A-Za-z]?\b(?:\s{1,2}(?i:north|south|east|west)\b)?)?",
)
# any case: a city of the lexicon after a residence or travel cue ("lives in boston", "MOVED TO DENVER")
_LIVES_IN = gated(
    "[lLrRmMbBvVtThH]",
    r"(?i:\b(?:lives?|living|resides?|residing|moved|relocated|born|visiting|travell?ed|returned|home)"
    r"[ \t]{1,2}(?:in|to|from|at|near)[ \t]{1,2})"
    r"(?P<l>[A-Za-z][A-Za-z.'-]{1,24}(?:[ \t][A-Za-z][A-Za-z.'-]{1,24}){0,2})",
)
_FROM_ABBR = re.compile(r"\b(?:from|to|at)[ \t]{1,2}(?P<w>[A-Z]{3,6})\b")
# facilities in any case: up to 4 words before a facility word
_FAC_ANY = gated(
    "[A-Za-z]",
    rf"\b(?P<name>(?:{_NWORD}[ \t]{{1,3}}){{1,4}})"
    r"(?P<kw>(?i:hospital|hosp|medical[ \t]{1,2}cent(?:er|re)|med[ \t]{1,2}ctr|"
    r"clinic|nursing[ \t]{1,2}home|nursing[ \t]{1,2}facility|rehab|rehabilitation[ \t]{1,2}cent(?:er|re)|"
    r"rehabilitation[ \t]{1,2}hospital|"
    r"health[ \t]{1,2}cent(?:er|re)|care[ \t]{1,2}cent(?:er|re)|infirmary|hospice|medical[ \t]{1,2}group|"
    r"health[ \t]{1,2}system|"
    r"cancer[ \t]{1,2}cent(?:er|re)|surgical[ \t]{1,2}cent(?:er|re)|assisted[ \t]{1,2}living|snf|ltach|ltac|va))\b",
)
# Places as nursing notes write them, in any case (``_nursing_places``):
# a town after a residence cue: "lives with partner in dorchester", "pt is from Quenton", "lives alone in X"; or
# after where a person grew up, stays or travels from ("grew up near Bangor", "drives in from Sheboygan", "takes
# the bus from Kalispell")
_HOME_CUE = gated(
    "[lLrRmMoOpPhHsSiIwWgGdDfFcCbBtT]",
    r"(?i:\b(?:lives?|living|resides?|residing|moved|relocated|originally|(?:pt|patient|he|she)[ \t]{1,2}(?:is|was)"
    r"|home|return(?:ed|ing|s)?|grew[ \t]{1,2}up|raised|stay(?:s|ing)|commut(?:es?|ing)|(?:bus|train|ferry)"
    r"|(?:drives?|drove|flies|flew)[ \t]{1,2}(?:in|down|up|over))(?:[ \t]{1,2}(?:alone|here|back))?"
    r"(?:[ \t]{1,2}with[ \t]{1,2}(?:(?:his|her|their)[ \t]{1,2})?[a-z]{2,12}"
    r"(?:[ \t]{1,2}and[ \t]{1,2}[a-z]{2,12})?)?[ \t]{1,2}(?:in|from|near|to)[ \t]{1,2})"
    r"(?P<l>[A-Za-z][A-Za-z'-]{2,24}(?:[ \t][A-Za-z][A-Za-z'-]{1,24})?)",
)
# a hospital abbreviation in a place position: "from bmc", "at QVH", "transferred from SOH ED", "@ NEBH"
_ABBR_AT = gated(
    "[aAfFtT@vV]",
    r"(?i:(?:\b(?:at|from|to|via|after)|@)[ \t]{1,2}(?:the[ \t]{1,2})?)"
    r"(?P<w>[A-Za-z]{2,4}[Hh]|[A-Za-z]{1,3}(?:[Mm][Cc]|[Hh][Cc])|[A-Z]{3,5}(?=[ \t]{1,2}[A-Za-z]))\b"
    r"(?P<ed>[ \t]{1,2}(?i:ed|er|icu|ccu|micu|cath[ \t]{1,2}lab|or|hospital|clinic)\b)?",
)
# a named facility in any case: up to three name words before a facility word
_FAC_KW_ALT = (
    r"(?P<kw>(?i:hospital|medical[ \t]{1,2}cent(?:er|re)|memorial|manor|nursing[ \t]{1,2}home|"
    r"nursing[ \t]{1,2}facility|"
    r"skilled[ \t]{1,2}nursing|rehab(?:ilitation)?[ \t]{1,2}(?:cent(?:er|re)|hospital|facility)|rehab|clinic|"
    r"health[ \t]{1,2}cent(?:er|re)|dialysis|institute|house|"
    # second blind corpus: "Fox Run Care Center", "Elmwood Health Care", "Wexford General", "Marigold Terrace"
    r"care[ \t]{1,2}cent(?:er|re)|health[ \t]{1,2}care|general|regional|terrace|deaconess))\b"
)
_FAC_NAMED = gated("[A-Za-z]", r"\b(?P<name>(?:[A-Za-z][A-Za-z'’.-]{1,24}[ \t]{1,2}){1,3})" + _FAC_KW_ALT)
# the same, scanned from the facility word back (cheap: most texts hold no facility word)
_FAC_KW = gated("[hHmMnNsSrRcCdDiIgGtT]", r"(?<=[ \t])" + _FAC_KW_ALT)
_SAINT_WORDS = frozenset({"st", "saint", "ste", "mt", "mount"})  # a facility's name after one may hold any word
_NAME_BEFORE = re.compile(r"\b(?P<name>(?:[A-Za-z][A-Za-z'’.-]{1,24}[ \t]{1,2}){1,3})\Z")
# a named ward or unit with its number after a place cue: "transferred to Corwin 7", "report called to treat 4"
_UNIT_AT = gated(
    "[tTfFaAoO]",
    r"(?i:\b(?:to|from|on|at)[ \t]{1,2})(?P<w>[A-Za-z][A-Za-z'’-]{2,24})(?P<n>[ \t]{1,2}\d{1,2}[A-Za-z]?)\b(?![./:]\d)",
)
_MONTHS = words(
    """january february march april may june july august september october november december jan feb mar apr jun
    jul aug sep sept oct nov dec"""
)
# words that name a kind of place or unit, not a place ("lives in apartment", "to room 4", "Heart Clinic")
_NOT_A_PLACE = words(
    """home house apartment apt condo facility assisted living senior housing group shelter community town city
    area state country room rm bed floor level pod bay step unit ward station suite lab cath ct mri or pacu ed er
    icu micu sicu ccu nicu picu csru cvicu tsicu tele stepdown rehab hospice hospital clinic dialysis nursing
    skilled care center centre medical health heart failure pain wound diabetes cancer outpatient inpatient primary
    urgent eye ear women's children's cardiology cardiac pulmonary renal psych psychiatric outside local same
    management sleep lung breast kidney liver transplant vascular anticoagulation coumadin infusion ortho neuro
    surgical surgery medicine internal family walk-in fertility memory stroke spine sports travel halfway way
    methadone addiction behavioral mental respiratory physical occupational speech therapy subacute short-term
    short long geriatric pediatric veterans military
    her his their the a an this that our my your its day night weekend week month year hd pt vent level grade
    stage class type phase zone block day weeks days hours"""
)

# a saint's facility after a place cue, in any case: "transferred to ST. ALDRIC'S", "from st oswin's"
_SAINT_AT = gated(
    "[aAfFtT]",
    r"(?i:\b(?:at|from|to)[ \t]{1,2})(?P<s>(?i:st\.?|saint)[ \t]{1,2}[A-Za-z][A-Za-z'’-]{2,24})",
)
# lower-case words that read as a word, not a hospital abbreviation, after at/from/to
_WORDY_ABBR_OK = words("bath both birth booth death earth month mouth south teeth tooth truth touch which each much")
_NAMEISH_BITS = FIRST | LAST
# facility words that follow a name, never a kind of care ("cardiac rehab", "local hospital")
_NAMED_ONLY_KW = frozenset(
    {"manor", "memorial", "nursing home", "skilled nursing", "general", "regional", "terrace"}
)

# Places of other note types (third blind corpus, ``_report_places``), in any case:
# a town after a residence or discharge cue later in the clause: "lives with her daughter Mei in Keene",
# "discharged to Marian Manor in leominster", "moved from Holyoke in '98"
_TOWN_IN_CLAUSE = gated(
    r"(?<![\w/])[lLrRmMdDhHoO\d]",
    r"(?:(?i:\b(?:lives?|living|resides?|residing|moved|relocated|discharged|returned|originally)\b)"
    r"[^\n.;:()]{0,48}?(?i:\b(?:in|from|near))"
    # "97 y/o m from saugus", "90 Y/O M FROM HAVERHILL": a person's age and sex, then the town they came from
    r"|(?i:\b\d{1,3}[ \t]?(?:y/?o|yr[ \t]old|year[ \t]old)[ \t]{1,2}(?:m|f|male|female|man|woman)[ \t]{1,2}from))"
    r"[ \t]{1,2}"
    r"(?P<l>[A-Za-z][A-Za-z'-]{2,24}(?:[ \t][A-Za-z][A-Za-z'-]{1,24})?)",
)
# a facility named without a facility word after a transfer cue: "transfer from Sacred Heart of Millbury for",
# "transferred from fairhaven mercy for further mgmt" (the name ends at a function word, a date or punctuation)
_TRANSFER_FROM = gated(
    r"(?<![A-Za-z])[tTxX]",
    r"(?i:\b(?:transfer|transferred|xfer|xferred)[ \t]{1,2}from[ \t]{1,2})"
    r"(?P<l>[A-Za-z][A-Za-z'-]{1,24}(?:[ \t]{1,2}(?:(?i:of)[ \t]{1,2})?[A-Za-z][A-Za-z'-]{1,24}){0,3})",
)
# the stream's view of it: words after a transfer cue up to the end may still grow into such a name
_TRANSFER_OPEN = re.compile(
    r"(?i:\b(?:transfer|transferred|xfer|xferred)[ \t]{1,2}from[ \t]{1,2})"
    r"(?P<l>(?:[A-Za-z][A-Za-z'-]{0,24}[ \t]{1,2}){0,4}[A-Za-z'-]{0,25})\Z"
)
# a town in parentheses after a person: "her brother Dmitri (Nashua)", "dtr (dorchester)"
_PAREN_TOWN = gated(r"\(", r"\((?P<l>[A-Za-z][A-Za-z'-]{3,24}(?:[ \t][A-Za-z][A-Za-z'-]{2,24})?)\)")
# "City, ST 12345" after a comma or at a line start (an address block's last line), in any case
# (found from the state and ZIP, a rare shape; the city before them is read back to a comma or line start)
_CITY_ST_ZIP = gated(",", r",[ \t]{1,2}(?P<s>[A-Za-z]{2})[ \t]{1,2}(?P<z>\d{5}(?:-\d{4})?)(?![\w-])")
_CITY_AFTER_COMMA = re.compile(
    r"(?:(?<=,[ \t])|(?<=\n)|\A)(?P<c>[A-Za-z][A-Za-z'-]{1,24}(?:[ \t][A-Za-z][A-Za-z'-]{1,24}){0,2})\Z"
)
# employers and schools: "worked at Market Basket", "driver for the MBTA", "grandson attends Lincoln Elementary"
_WORKS_AT = gated(
    r"(?<![A-Za-z])[wWeEjJaAsS]",
    r"(?i:\b(?:works?|worked|working|employed|employee|job|attends|student)"
    r"(?:[ \t]{1,2}as[ \t]{1,2}an?[ \t]{1,2}[a-z]{2,15})?[ \t]{1,2}(?:at|for|by)[ \t]{1,2}|\battends[ \t]{1,2})"
    r"(?P<l>(?:the[ \t]{1,2})?[A-Za-z][A-Za-z&'.-]{1,24}(?:[ \t]{1,2}(?:&[ \t]{1,2})?[A-Za-z][A-Za-z'.-]{1,24}){0,3})",
)
# the words a physicians' practice is named by (after its place or founder's name)
_PRACTICE_KW = (
    r"(?:(?:internal[ \t]{1,2}medicine|family[ \t]{1,2}(?:practice|medicine)|primary[ \t]{1,2}care|medical|"
    r"orthopedic|cardiology|renal|surgical)[ \t]{1,2})?associates"
    r"|(?:medical|orthopedic|surgical|cardiology|physicians?)[ \t]{1,2}group"
    r"|internal[ \t]{1,2}medicine|family[ \t]{1,2}(?:practice|medicine)|primary[ \t]{1,2}care"
)
_PRACTICE_KW_RX = re.compile(rf"(?i:{_PRACTICE_KW})\Z")
# facilities named by words other clinics use: "Fenway Family Health", "Riverside Pediatrics", "Brighton High
# School", "Golden Pond Assisted Living", "Briarcliff Nursing and Rehab"
_FAC_MORE_KW = gated(
    r"(?<=[ \t])[hHpPsSeEaAcCuUtTnNiIfFmMoOrR]",
    r"(?<=[ \t])(?P<kw>(?i:health(?:[ \t]{1,2}(?:services|center|centre|partners|associates))?|pediatrics|"
    r"elementary(?:[ \t]{1,2}school)?|middle[ \t]{1,2}school|high[ \t]{1,2}school|academy|"
    r"(?:community[ \t]{1,2})?college|university|technical|assisted[ \t]{1,2}living|senior[ \t]?life|"
    r"nursing[ \t]{1,2}and[ \t]{1,2}rehab(?:ilitation)?|"
    # ninth blind corpus: a practice named by its kind of practice ("Marsh Family Practice", "Okafor Internal
    # Medicine Associates", "Ridgeview Primary Care", "North Shore Renal Associates", "Pellman Orthopedic Group")
    rf"{_PRACTICE_KW}))\b",
)
# words that end a facility's name read back from its facility word: prepositions and the verbs that bring a place
# ("sw called oakhurst care center", "pearl attends brighton high school": the name starts after the verb)
_BEFORE_A_PLACE = CONTACT_VERBS | words(
    """to from at vs attends attended attend works worked visited visits moved sent transferred admitted discharged
    faxed returned resides resided lives lived went goes"""
)
# words before a health/school word that make a kind of care or school, not a name
_GENERIC_KW_NAME = words(
    """mental behavioral behavioural public home occupational employee student oral sexual reproductive global
    digital population community women's womens men's child children's family primary school medical nursing
    dental graduate law business high middle elementary junior senior private state local"""
)
# a ward, unit or facility after a label: "Location: Ellis 4", "Facility: SBH", "unit: cc7"
_PLACE_LABEL = gated(
    r"(?<![A-Za-z])[lLuUwWfFiI]",
    r"(?i:\b(?:location|loc|unit|ward|facility|institution)[ \t]{0,2}:[ \t]{0,2})"
    r"(?P<w>[A-Za-z]{1,4}\d{1,2}[A-Za-z]?\b|[A-Za-z][A-Za-z'-]{1,24}(?:[ \t]{1,2}\d{1,2}[A-Za-z]?\b)?)",
)
# a ward written as letters and a number after on/to/from/at: "on CC7", "to 4N" is not (a number first)
_WARD_CODE = gated(
    r"(?<![A-Za-z])[oOtTfFaA]",
    r"(?i:\b(?:on|to|from|at)[ \t]{1,2})(?P<w>[A-Za-z]{2,3}\d{1,2})(?![\w/%-]|\.\d)",
)
_NOT_WARD_CODE = words(
    "cd po hb ca mg fe ph pt ct mr ng pc cv vs gt sp dx hd pod dol bd tid bid qid ps rr hr bp iv im id or ed er rm "
    "bed bay icu rn md np"
)
# words before a town in parentheses that make it someone's town: "her brother Dmitri (Nashua)"
_PAREN_TOWN_CUE = re.compile(r"\b(?:lives?|lived|living|brother|sister|son|daughter|dtr|mother|father|family|friend)\b")
# pharmacy branches named by their street: "Walgreens Pleasant St", "CVS on Centre St"
_PHARMACY_BRANCH = gated(
    r"(?<![A-Za-z])[cCwWrRtTkKsSdD]",
    r"(?i:\b(?:cvs|walgreens|rite[ \t]aid|walmart|costco|target|kroger|safeway|duane[ \t]reade))"
    r"[ \t]{1,2}(?:(?i:on)[ \t]{1,2})?(?:[A-Za-z][A-Za-z'-]{1,24}[ \t]{1,2}){1,3}"
    r"(?i:st|street|ave|avenue|rd|road|blvd|boulevard|dr|drive|ln|lane|ct|court|pl|place|sq|square|hwy|pkwy|way)\b",
)

# The regexes ``detect`` scans texts with, in gate order (the index is the gate's id).
# ---- postal addresses in any shape (issue 16, fourth blind corpus): house numbers with a fraction or a letter
# (`287 1/2`, `238-B`), spelled-out and dotted directionals (`southwest`, `NE.`), every USPS C1 suffix when a unit,
# a city line or an address cue confirms it, every C2 unit designator (with or without a number: `Rear`,
# `Bsmt`, `Lbby`), PO boxes, rural routes and highway contracts (`RR 2, Box 45`, `HC 1 Box 20`), and a city after
# `in` right after an address (`... Floor 23C in Kahului.`).
_DIR_WORD = (
    r"(?:north|south|east|west|northeast|northwest|southeast|southwest"
    r"|NORTH|SOUTH|EAST|WEST|NORTHEAST|NORTHWEST|SOUTHEAST|SOUTHWEST"
    r"|North|South|East|West|Northeast|Northwest|Southeast|Southwest"
    r"|[NSEWnsew]|NE|NW|SE|SW|ne|nw|se|sw|Ne|Nw|Se|Sw)"
)
# suffix abbreviations that are everyday words or clinical shorthand ("2 mg is", "3 pt", "given 2 via", "CV"): a
# street needs another suffix (the any-case rule's list leaves them out as well)
_B4_COMMON_SFX = words("is pt pts via un est ext sta pr ml cv ht")
_C2_NUMBERED = r"(?i:apartment|apt|building|bldg|department|dept|floor|fl|hangar|hngr|key|lot|pier|room|rm|slip|space|spc|stop|suite|ste|trailer|trlr|unit|#)"  # noqa: E501
_C2_BARE = r"(?i:basement|bsmt|front|frnt|lobby|lbby|lower|lowr|office|ofc|penthouse|ph|rear|side|upper|uppr)"
_C2_UNIT = re.compile(
    rf",?[ \t]{{1,3}}(?:{_C2_NUMBERED}\.?[ \t]{{0,2}}#?[ \t]{{0,2}}"
    r"(?:[A-Za-z]?\d{1,5}[A-Za-z]?(?:-?[A-Za-z0-9]{1,3})?|[A-Z](?![\w-]))"  # "Bldg A", "Apt C": a lettered unit
    rf"|{_C2_BARE}\.?|#[ \t]?[A-Za-z]?\d{{1,5}}[A-Za-z]?)(?![\w-])"
)
_B4_NEXT_SFX = re.compile(
    r"[ \t]{1,3}(?i:"
    + literal_union(sorted(USPS_SUFFIXES - _B4_COMMON_SFX - words("ky kys"), key=longest_first))
    + r")(?![\w'-])\.?"
)
_ORDINALS = words("first second third fourth fifth sixth seventh eighth ninth tenth")
_B4_CITY_ST = gated(
    "[fitnFITN]",
    r"\b(?i:from|in|to|near)[ \t]{1,2}(?P<c>[A-Za-z][A-Za-z'.-]{2,24}(?:[ \t][A-Za-z][A-Za-z'.-]{1,24}){0,2}),"
    r"[ \t]{0,2}(?P<s>[A-Za-z]{2})(?![\w-])",
)
_B4_POST_DIR = re.compile(rf"[ \t]{{1,2}}{_DIR_WORD}\.?(?![\w-])")
_B4_STREET = gated(
    r"\d",
    r"(?<![\w/.:#-])" + _O2_FLOW + r"(?P<num>\d{1,6}(?:[ \t]1/2|-?[A-Za-z](?![A-Za-z]))?)[ \t]{1,3}"
    rf"(?:(?P<dir>{_DIR_WORD})\.?[ \t]{{1,3}})?"
    rf"(?P<name>(?:{_SNWORD}[ \t]{{1,3}}){{0,4}}?{_SNWORD})[ \t]{{1,3}}"
    r"(?P<sfx>(?i:" + literal_union(sorted(USPS_SUFFIXES - _B4_COMMON_SFX, key=longest_first)) + r"))\b(?!['-])\.?",
)
_B4_BOX = gated(
    "[PpRrHh]",
    r"(?<![\w.-])(?:(?i:p\.?[ \t]?o\.?|post[ \t]office)[ \t]{1,2}(?i:box)[ \t]{0,2}#?[ \t]?\d{1,6}"
    r"|(?i:rural[ \t]route|r\.[ \t]?r\.|rr|hc|highway[ \t]contract|star[ \t]route)[ \t]{0,2}#?\d{1,4},?[ \t]{1,2}"
    r"(?i:box)[ \t]{0,2}#?\d{1,5}"
    r"|(?i:rural[ \t]route|r\.[ \t]?r\.)[ \t]{1,2}\d{1,4})(?![\w-])",
)
_B4_ADDR_CUE = re.compile(
    r"(?i:\b(?:address(?:[ \t]is|[ \t]on[ \t]file)?:?|lives?[ \t]at|living[ \t]at|resides?[ \t]at|reside[ \t]at"
    r"|home[ \t]to|found[ \t]at|moved[ \t]to|moved[ \t]from|to|at|from|bill[ \t]to|mail(?:ed)?[ \t]to))[ \t]{1,3}\Z"
)
_B4_CITY_IN = re.compile(
    r"[ \t]{1,2}(?i:in)[ \t]{1,2}(?P<c>[A-Za-z][A-Za-z'-]{2,24}(?:[ \t][A-Za-z][A-Za-z'-]{1,24}){0,2})"
    r"(?=[ \t]*(?:[.;,\n]|\Z))"
)
# facilities and towns in nursing-note positions (issue 16, fourth blind corpus): the place a patient is accepted
# to, discharged to, admitted or transferred from or to (a date may come between), or had a procedure at
# (`ACCEPTED TO HARBOR HOUSE IN HULL`, `D/C TO KINDRED`, `TRANSFERRED FROM CARNEY ON 1/8`, `CATH 7/19 AT GOOD
# SAMARITAN`); a town on no list after `in`/`from` that ends its clause (`FROM PALMER WITH SOB`, `in attleboro,`)
_B4_DATE = r"(?:[ \t]{1,2}(?:\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?|[A-Za-z]{3,9}[ \t]\d{1,2}(?:st|nd|rd|th|ST|ND|RD|TH)?|\d{1,2}[ \t][A-Za-z]{3,9}))?"  # noqa: E501
_B4_FAC_CUE = gated(
    "[aAdDtTcCpP]",
    r"\b(?i:accepted[ \t]{1,2}to|d/?c(?:'?d)?[ \t]{1,2}to|discharged?[ \t]{1,2}to|(?:admitted|transferred|transfer)"
    + _B4_DATE
    + r"[ \t]{1,2}(?:from|to)|cath"
    + _B4_DATE
    + r"[ \t]{1,2}at|t/c[ \t]{1,2}from[ \t]{1,2}[A-Za-z'-]{2,25}[ \t]{1,2}at)[ \t]{1,3}"
    r"(?P<l>[A-Za-z][A-Za-z'.-]{1,24}(?:[ \t]{1,2}[A-Za-z][A-Za-z'.-]{1,24}){0,3})",
)
_B4_TOWN_CLAUSE = re.compile(
    r"(?i:\b(?:pcp|lives?|living|retired|via[ \t]ew|admitted|moved|accepted|rehab|manor|house|home|nursing))"
    r"[^;\n]{0,36}\Z"
)
_B4_FAC_STOP = words(
    """in on when tomorrow today tonight for with re and at to from via after per by this next until once if as
    or then is was will s/p status"""
)
# precision (issue 16): words that end a facility's name after a cue (the time of the move follows it), and the
# head words of a hospital's own departments: known words before one name a department, not a facility
# ("transferred from interventional radiology overnight", "to blood bank", "from ep lab")
_TIME_AFTER = words("overnight yesterday tonight earlier later last am pm this today tomorrow now")
_DEPARTMENT_HEADS = words(
    """lab labs laboratory bank supply radiology holding pharmacy endoscopy imaging services service suite bay
    department dept therapy gym lounge desk station office med"""
)
_FACILITY_NAME_WORDS = words(
    """hospital hosp clinic center centre medical health city county general community state university children's
    women's womens va regional teaching institute memorial"""
)
_B4_TOWN_AT = gated(
    "[iIfF]",
    r"\b(?i:in|from)[ \t]{1,2}(?P<t>[A-Za-z][A-Za-z'-]{3,24}"
    r"(?:[ \t](?!(?i:with|aware|notified|faxed|and|cm|sw)\b)[A-Za-z][A-Za-z'-]{2,24})?)"
    r"(?=[ \t]{0,2}(?:[,;.\n]|\Z|(?i:with|aware|notified|faxed|and|cm|sw)\b))",
)
# fifth blind corpus (issue 16): a town right after a street address ("317 Centre St, Mattapan"), and a town after
# the nursing cues that name one ("VNA of Reading", "elder services in Dracut", "son flying in from Ware", "96 y/o
# widow from Salem"): one word, in any case, also a word that is an English word (the cue is strong)
_B5_TOWN_CUE = gated(
    "[vVnNeEcCfFdDwWgGlLmM]",
    r"(?i:\b(?:vna|visiting[ \t]{1,2}nurses?|elder[ \t]{1,2}services|council[ \t]{1,2}on[ \t]{1,2}aging)[ \t]{1,2}"
    r"(?:of|in)|\b(?:flying|flew|driving|drove|coming)[ \t]{1,2}(?:in|up|down)[ \t]{1,2}from"
    r"|\b(?:widow|widower|gentleman|lady|man|woman|female|male)[ \t]{1,2}from)[ \t]{1,2}"
    r"(?P<t>[A-Za-z][A-Za-z'-]{2,24})\b(?![-'/])",
)
_B5_TOWN_AFTER_STREET = re.compile(r",[ \t]{1,2}(?P<t>[A-Za-z][A-Za-z'-]{2,24})\b(?=[ \t]{0,2}(?:[.;,\n]|\Z))")
_B5_NOT_TOWN = words(
    """the this that home here there out town state area rehab hospital hosp nursing facility floor unit ed er
    icu work school church abroad overseas florida california place progress process effect use bed house person
    touch daily weekly nightly often"""
)
# known miss classes (issue 16, ``_known_miss_places``): a facility with no facility word after a communication
# or transfer cue ("referral faxed to Maristhill", "packet sent to bellwether"): one word, unknown or in the rare
# tier of the safe list, any case
_KM_FAC_CUE = gated(
    "[fFsSrRpPbBcCdDtTaA]",
    r"\b(?i:faxed|fax|sent|referrals?|referred|screened|screening|packet|bed[ \t]{1,2}offer(?:ed)?|"
    r"came|d/?c'?d?|discharged?|transferred|xfer'?d?|accepted|"
    # eighth blind corpus: transfer shorthand and a placement screen ("txf'd to Ashgrove", "screen for Tidewater")
    r"tx'?f'?r?'?d|(?:re)?admitted|screen)(?:[ \t]{1,2}(?i:back|over|out))?"
    r"[ \t]{1,2}(?i:to|at|from|by|for)[ \t]{1,2}(?P<w>[A-Za-z][A-Za-z'’-]{2,24})\b(?![-'’/])",
)
# a named ward: a name (a lexicon name, a word on no list or in the rare tier) and a small number after a ward cue or
# a note heading
# ("floor Baker 6", "Nursing Progress Note, Baker 6", "NPN CORWIN 7"); "5 West", "the floor", "MICU" stay
_KM_WARD = gated(
    "[fFuUwWpPnN]",
    r"\b(?i:floor|unit|ward|pod|note,|npn:?|nsg:?|nursing:)[ \t]{1,2}"
    r"(?P<w>[A-Za-z][A-Za-z'’-]{2,24})[ \t]{1,2}(?P<n>\d{1,2}[A-Za-z]?)\b(?![.,/:-]?\d)",
)
# a town before ", ST" after a residence or origin cue ("from Hope, AR", "IN PARADISE, NV"): any word, the state in
# capitals at a clause end; the cue and the capitals keep "in pain, MD aware" out (MD/PA/DO/RN/NP are no state here)
_KM_TOWN_ST = gated(
    "[fFiInNoO]",
    r"\b(?i:from|in|near|of)[ \t]{1,2}(?P<t>[A-Za-z][A-Za-z'’-]{2,24}(?:[ \t][A-Za-z][A-Za-z'’-]{2,24})?)"
    r",[ \t]{0,2}(?P<s>[A-Z]{2})\b(?=[ \t]{0,2}(?:[.;,)\n]|\d{5}|\Z|(?:with|and|WITH|AND)\b))",
)
_KM_NOT_STATE = frozenset(("MD", "PA", "DO", "RN", "NP"))
_KM_NOT_WARD = words(
    """room rm bed bay day days pod hd dol week wk cycle grade level stage step dose hour hr page tab tabs times"""
)
# sixth blind corpus (issue 16): a nursing home, rehab or hospital named without a facility word after the cues
# nursing notes use for where a patient came from, goes back to, stays or was (`adm 11/17 from Birchwood`, `goes to
# Glenrose on sat`, `D/C plan: back to Cedarfield vs Pinegate`, `rehab at Oakhurst planned`, `OSH: Lakeshore`, `PREV
# ADMIT AGH`, `spoke to X at the front desk of Marigold`); and a town after the cues that say where a person lives,
# lived or comes from (`grew up in Summit`, `visiting from Fairhaven`, `brother-in-law Rusty from Southgate`, `dtr
# Kenji in North Quarry`). The words are taken as the stream holds them: capitalised in a line with case, words on
# no list otherwise; a place needs a word on no list or, in a line with case, two capitalised words
_B6_FAC_CUE = gated(
    "[aAcCgGwWrRbBtTsSlLpPfFdDvVoOeE]",
    r"\b(?i:adm(?:it|itted)?\.?" + _B4_DATE + r"[ \t]{1,2}(?:from|fr)|came(?:[ \t]{1,2}over)?[ \t]{1,2}from"
    r"|(?:go|goes|going|went|return|returns|returned|returning|back)(?:[ \t]{1,2}back)?[ \t]{1,2}to"
    r"|transport(?:ed)?[ \t]{1,2}to|transfer(?:red)?[ \t]{1,2}back[ \t]{1,2}to|likely"
    r"|(?:rehab|snf|placement|lives|living|resides|weeks?|days?|was|been)[ \t]{1,2}at"
    r"|front[ \t]{1,2}desk[ \t]{1,2}(?:of|at)|scr(?:eened|eening)?[ \t]{1,2}(?:to|for|at)"
    r"|osh(?:[ \t]{1,2}admission[ \t]{1,2}at|[ \t]{0,2}:)"
    r"|prev(?:ious)?[ \t]{1,2}(?:admit(?:ted|ssion)?(?:[ \t]{1,2}(?:at|to))?|at))[ \t]{1,3}"
    r"(?P<l>[A-Za-z][A-Za-z'.-]{1,24}(?:[ \t]{1,2}[A-Za-z][A-Za-z'.-]{1,24}){0,3})",
)
_B6_TOWN_CUE = gated(
    "[gGlLvVhHuUdDoOfFiIsSbBwWnNcCmMaA]",
    r"\b(?i:grew[ \t]{1,2}up[ \t]{1,2}in|lived[ \t]{1,2}in|(?:visiting|here|up|down|over|originally|family|relatives)"
    r"[ \t]{1,2}from|(?:dtr|daughter|son|sister|sis|brother|bro|niece|neice|nephew|grandson|granddaughter|gs|cousin|"
    r"[a-z]{2,8}-in-law)[ \t]{1,2}[A-Za-z][A-Za-z'-]{1,24}(?:[ \t]{1,2}[A-Za-z][A-Za-z'-]{1,24})?[ \t]{1,2}(?:from|in))"
    r"[ \t]{1,2}(?P<l>[A-Za-z][A-Za-z'-]{2,24}(?:[ \t]{1,2}[A-Za-z][A-Za-z'-]{2,24})?)",
)
_B6_WEAK = re.compile(r"(?i:back|return|went|go[ \t]|goes|going|likely|was|been|weeks?|days?)")
_B6_STOP = _B4_FAC_STOP | words(
    """vs or once closer planned originally last til till w/ w and but who which where that today yesterday
    tomorrow tonight bedside baseline goal night work school church risk the a an start begin continue daily weekly
    nightly"""
)
_B6_OR = re.compile(
    r"[ \t]{1,2}(?i:vs\.?|or)[ \t]{1,2}(?P<l>[A-Za-z][A-Za-z'.-]{1,24}(?:[ \t]{1,2}[A-Za-z][A-Za-z'.-]{1,24}){0,3})"
)
# seventh blind corpus (issue 16): nursing homes, rehabs and hospitals named without a facility word where placement
# and records are written (``spoke w/ admissions at Fieldstone``, ``awaiting bed at brightwater subacute``, ``was at
# Juniper Knoll prior to admission``, ``screened by X from Saltmarsh liaison``, ``d/c rec: acute rehab (Marchmont)``,
# ``GCH records obtained``, ``admitted ... from Sable Harbor on 8/11``); towns where a caller, visitor, job or
# ambulance comes from (``son called from Hatchville``, ``visited from Hull``, ``the mill in Bath``, ``brought in by
# Dover EMS``), and the town after a facility found here (``Oakhurst Care Center in east ludgate``)
_B7_W = r"[A-Za-z][A-Za-z'.-]{1,24}"
_B7_FAC_CUE = gated(
    "[aAbB]",
    r"\b(?i:admissions?(?:[ \t]{1,2}(?:office|dept|coordinator|liaison))?[ \t]{1,2}(?:at|from|for)"
    r"|awaiting[ \t]{1,2}(?:a[ \t]{1,2})?bed[ \t]{1,2}(?:at|in)|bed[ \t]{1,2}(?:available[ \t]{1,2})?at"
    r"|accepted[ \t]{1,2}(?:at|to|by))[ \t]{1,3}"
    rf"(?P<l>{_B7_W}(?:[ \t]{{1,2}}{_B7_W}){{0,3}})",
)
_B7_FAC_AROUND = re.compile(
    rf"\b(?i:at)[ \t]{{1,2}}(?P<l>{_B7_W}(?:[ \t]{{1,2}}{_B7_W}){{0,3}})[ \t]{{1,2}}"
    r"(?i:prior[ \t]{1,2}to|before)[ \t]{1,2}(?i:admission|admit|adm)\b"
    rf"|\b(?i:from)[ \t]{{1,2}}(?P<f>{_B7_W}(?:[ \t]{{1,2}}{_B7_W}){{0,3}})[ \t]{{1,2}}(?i:liaison|admissions)\b"
)
_B7_REHAB_PAREN = twinned(re.compile(
    rf"(?i:rehab|snf|ltc|placement|nursing[ \t]home)[ \t]{{0,2}}\((?P<l>{_B7_W}(?:[ \t]{{1,2}}{_B7_W}){{0,3}})\)"
))
_B7_RECORDS = gated(
    "[A-Za-z]",
    r"\b(?P<a>[A-Za-z]{2,6})[ \t]{1,2}(?i:records|recs|chart)[ \t]{1,2}(?i:obtained|requested|received|faxed|reviewed)"
    r"|\b(?i:records|recs)[ \t]{1,2}(?i:from|at)[ \t]{1,2}(?P<b>[A-Za-z]{2,6})\b",
)
_B7_FROM_DATED = gated(
    "[fF]",
    rf"\b(?i:from)[ \t]{{1,2}}(?P<l>{_B7_W}(?:[ \t]{{1,2}}{_B7_W}){{0,2}})[ \t]{{1,2}}"
    r"(?:(?i:on)[ \t]{1,2}\d{1,2}[/.-]\d{1,2}|\d{1,2}(?i:st|nd|rd|th)\b|(?:ED|ER|ed)\b)",
)
_B7_TOWN_CUE = gated(
    "[cCpPvVfFdDmMsSwWbBnNaAgGuU]",
    r"\b(?i:(?:called|calling|phoned|visited|visiting|flying|flew|drove|driving)(?:[ \t]{1,2}in)?[ \t]{1,2}from"
    r"|(?:mill|plant|factory|shop|store|school|shipyard)[ \t]{1,2}in"
    r"|(?:niece|neice|nephew|sister|sis|brother|bro|cousin|son|daughter|dtr|friend|aunt|uncle|grandson|granddaughter)"
    r"[ \t]{1,2}from)[ \t]{1,3}"
    rf"(?P<l>{_B7_W}(?:[ \t]{{1,2}}{_B7_W})?)"
    rf"|\b(?i:by)[ \t]{{1,3}}(?P<e>{_B7_W}(?:[ \t]{{1,2}}{_B7_W})?)[ \t]{{1,2}}(?i:ems|fd|fire|ambulance)\b",
)
# what ``_placement_places`` reads right of a place (the stream holds the place while these may still come)
_B7_RIGHT = (
    ("prior", "to", "admission"),
    ("prior", "to", "admit"),
    ("prior", "to", "adm"),
    ("before", "admission"),
    ("before", "admit"),
    ("liaison",),
    ("admissions",),
    ("ems",),
    ("fd",),
    ("fire",),
    ("ambulance",),
    ("ed",),
    ("er",),
    ("on", "#"),
)
_B7_LEFT = re.compile(r"\b(?i:at|from|by)[ \t]{1,2}(?=[A-Za-z])")
_B7_WORD = re.compile(r"[^\s,;:()]+")
_B7_DATE_PART = re.compile(r"\d{0,2}(?:[/.-]\d{0,2})?")


def _right_cue_prefix(words: list[str]) -> bool:
    """``words`` (the last one maybe unfinished) begin one of the phrases ``_placement_places`` reads after a place."""
    low = [w.lower() for w in words]
    for cue in _B7_RIGHT:
        if len(low) > len(cue):
            continue
        ok = True
        for i, w in enumerate(low):
            last = i == len(low) - 1
            if cue[i] == "#":
                ok = _B7_DATE_PART.fullmatch(w) is not None
            else:
                ok = cue[i].startswith(w) if last else cue[i] == w
            if not ok:
                break
        if ok:
            return True
    return False


def _placement_open(text: str) -> int:
    """Stream hold for ``_placement_places``: the start of up to four words after ``at``/``from``/``by`` on the last
    line that the rest of the text may still make a place (``at Sisters of Alder`` + `` prior to admission``,
    ``from penwick on 2/1`` + ``9``), else ``len(text)``."""
    n = len(text)
    line = max(text.rfind("\n", 0, n), n - 120)
    best = n
    for m in _B7_LEFT.finditer(text, max(0, line)):
        toks = list(_B7_WORD.finditer(text, m.end()))
        ends_open = not text[toks[-1].end() :].strip(" \t") if toks else False
        if not toks or not ends_open or len(toks) > 7 or re.search(r"[,;:.()]", text[m.end() : toks[-1].start()]):
            continue
        words_ = [t.group() for t in toks]
        if any(_right_cue_prefix(words_[k:]) for k in range(1, min(4, len(words_)) + 1)):
            best = min(best, toks[0].start())
    return best


_B7_TOWN_AFTER_FAC = re.compile(rf"[ \t]{{1,2}}(?i:in)[ \t]{{1,2}}(?P<l>{_B7_W}(?:[ \t]{{1,2}}{_B7_W})?)")
# tenth blind corpus (issue 16): where ICU notes name a place by its kind of institution or by an outside-hospital
# cue. A house of worship by its head word (``Grace Covenant Church``, ``holy ghost parish``, ``Bethel AME``) or its
# lead words (``Our Lady of the Harbor``, ``Temple Beth Orah``); a long-term-care or rehab centre
# (``Bellmeade LTC``, ``Seabright Center for Rehab``, ``the Arbors at Millhaven``); the hospital in parentheses after
# ``OSH``; the place after a
# transfer written ``tx``, ``medflighted``, ``flown`` or ``accepting MD at``; a town after an arrival or an origin
# (``arrive from Millhaven``, ``retired teacher from Marbury``, ``pt from Harwick Port``)
_B10_HEADS = (
    r"(?i:church|parish|chapel|cathedral|synagogue|mosque|congregation|a\.?m\.?e\.?(?:[ \t]zion)?|ltc|ltcf|"
    r"cent(?:er|re)[ \t]{1,2}for[ \t]{1,2}"
    r"(?:rehab\w{0,9}|nursing|(?:senior|elder|skilled)[ \t]{1,2}(?:care|living|nursing)))"
)
_B10_HEAD = gated("[cCpPsSmMaAlL]", rf"(?<=[ \t])(?P<kw>{_B10_HEADS})(?![\w-])")
_B10_RESIDENCES = (
    r"the[ \t]{1,2}(?:arbors|residence|village|commons|gardens|meadows|landing|pavilion|pines|willows|oaks|"
    r"highlands|cottages|courtyard|atrium|terraces|groves|glen|woods)[ \t]{1,2}at"
)
_B10_LEAD = gated(
    "[oOtT]",
    r"(?<![\w])(?P<l>(?i:our[ \t]{1,2}lady[ \t]{1,2}of(?:[ \t]{1,2}the)?|temple|" + _B10_RESIDENCES + r")[ \t]{1,2}"
    rf"{_B7_W}(?:[ \t]{{1,2}}{_B7_W})?)",
)
_B10_OSH = gated(
    "[oO]",
    r"(?<![\w])(?i:osh|outside[ \t]{1,2}hosp(?:ital)?)[ \t]{0,2}\([ \t]{0,2}"
    rf"(?P<l>{_B7_W}(?:[ \t]{{1,2}}{_B7_W}){{0,3}})[ \t]{{0,2}}\)",
)
_B10_MOVED = gated(
    "[tTmMlLfFaA]",
    r"(?<![\w])(?i:tx(?:'?d)?|(?:med|life)[ -]?flighted|flown"
    r"|accepting[ \t]{1,2}(?:md|physician|doctor|attending|team))"
    rf"[ \t]{{1,2}}(?i:to|from|at)[ \t]{{1,3}}(?P<l>{_B7_W}(?:[ \t]{{1,2}}{_B7_W}){{0,3}})",
)
_B10_FROM = gated(
    "[aApPrRtTnN]",
    r"(?<![\w])(?i:arriv(?:e|es|ed|ing)|(?:pt|patient)|retired(?:[ \t]{1,2}[a-z]{3,12})?|teacher|native)"
    r"[ \t]{1,2}(?i:from)"
    rf"[ \t]{{1,3}}(?P<l>{_B7_W}(?:[ \t]{{1,2}}{_B7_W})?)",
)
# eleventh blind corpus: a caller's or visitor's town between "from" and the call ("dtr Ann from North Attleford
# called", "PCP DR X FROM DORRINGTON CALLED"), a town's police or fire department ("police from Chelmsford PD")
_B11_FROM_CALLER = gated(
    "[fF]",
    rf"(?<![\w])(?i:from)[ \t]{{1,3}}(?P<l>{_B7_W}(?:[ \t]{{1,2}}{_B7_W}){{0,2}}?)[ \t]{{1,2}}"
    r"(?i:called|calls|calling|phoned|phoning|visiting|visited|came[ \t]{1,2}in|drove[ \t]{1,2}in|is[ \t]{1,2}here)\b",
)
_B11_POLICE = gated(
    "[fFiIoObB]",
    rf"(?<![\w])(?i:from|in|of|by)[ \t]{{1,3}}(?P<l>{_B7_W}(?:[ \t]{{1,2}}{_B7_W})?)[ \t]{{1,2}}"
    r"(?i:pd|fd|p\.d\.|police|fire[ \t]{1,2}(?:dept|department))\b",
)
# twelfth blind corpus: where an accident or event happened, a few words after it ("s/p MVC near Quinsett", "MVC
# on Rte 9 in Marrowfield", "WITNESSED SEIZURE IN EAST BRACKLEY", "found down near old tilbury")
_INCIDENT_PLACE = gated(
    "[mMaAcCfFsSiIbBpP]",
    r"(?<![\w])(?i:mvc|mva|mcc|accident|crash|collision|fell|found[ \t]{1,2}down|assaulted|stabbed|shot|injured|"
    r"burned|seizure|arrest|ped[ \t]{1,2}struck)\b[^\n.;:]{0,24}?(?<![\w])(?i:near|in|outside)[ \t]{1,3}"
    rf"(?P<l>{_B7_W}(?:[ \t]{{1,2}}{_B7_W}){{0,2}})",
)
# a place after its label, as forms, intake sheets and model answers write one ("City: Worcester", "HOMETOWN - FALL
# RIVER", "place of birth: lowell", "Employer: Brannock Electric"), or after "my city is" (any case; a label is the
# cue, so known words count too); the value is read by ``_label_value``
_TOWN_LABEL = (
    r"(?:home[ \t]?)?town|city|village|township|borough|county|municipality|neighbou?rhood|suburb|"
    r"birth[ \t]?place|birth[ \t]city|place[ \t]of[ \t](?:birth|residence|work|employment)|"
    r"city[ \t]of[ \t](?:birth|residence)|(?:current[ \t])?residence|employer|workplace"
)
_LABELLED_PLACE = gated(
    "[cCtTvVbBmMnNsSpPrReEwWhHoOyYiIgGuUlLaA]",
    rf"(?<![\w/])(?i:{_TOWN_LABEL})[ \t]{{0,2}}(?:[:=]|-[ \t])[ \t]{{0,3}}(?=[^\W\d_])"
    rf"|(?<![\w])(?i:(?:my|his|her|their|our|pt's|patient's)[ \t]{{1,2}}(?:{_TOWN_LABEL})[ \t]{{1,2}}(?:is|was))"
    r"[ \t]{1,2}(?=[^\W\d_])",
)
# a postal code after its label, in any country's shape ("ZIP: 3520", "my zip code is 880", "Postcode: SW1A 1AA",
# "PLZ 80331", "Postal code: H3Z 2Y7"): three to ten letters and digits, at least two of them digits
_LABELLED_POSTCODE = gated(
    "[zZpPcC]",
    r"(?<![\w])(?i:zip(?:[ \t]?code)?|post(?:al)?[ \t]?code|postcode|plz|postleitzahl|cep|c[oó]digo[ \t]postal|"
    r"code[ \t]postal)(?:[ \t]{1,2}(?i:is|was|no\.?|#))?[ \t]{0,2}[:#=-]?[ \t]{0,3}"
    r"(?P<z>(?=(?:[A-Za-z -]*\d){2})[A-Za-z0-9]{1,5}(?:[ -][A-Za-z0-9]{2,4})?)(?![\w-])",
)
# what ends a labelled place's words: a word that begins a clause or a date rather than continuing a name
_LABEL_VALUE_STOP = words(
    """and or but with w since for from to in at on by as is was are were has had have who which that where when
    since until till then now currently originally prior previously dob age phone tel zip state county ma"""
)
_LABEL_VALUE_GENERIC = words(
    """unknown unk n/a na none no yes ok same home local here there other declined deferred pending see above below
    not applicable lives alone retired unemployed disabled self self-employed homemaker student homeless"""
)
# thirteenth blind corpus: the town of a primary care doctor ("PCP Dr. Rivkin of North Amesfield", "pcp dr x at
# merriton"); a town before a ZIP code after a place preposition ("from Glenmoor 02688"); a relative's town
# ("husband Lourdes from Brockhaven"); a hospital's abbreviation before its emergency department ("MVH ED->cath lab")
_B13_PCP_PLACE = gated(
    "[pP]",
    r"\b(?i:pcp)\b(?:[^\n.;:]|(?<=[dD][rR])\.){0,40}?(?<![\w])(?i:of|at|in)[ \t]{1,2}"
    rf"(?P<l>{_B7_W}(?:[ \t]{{1,2}}{_B7_W}){{0,2}})",
)
_B13_TOWN_ZIP = gated(
    "[fFiIoOaAtT]",
    rf"\b(?i:from|in|of|at|to)[ \t]{{1,2}}(?P<l>{_B7_W}(?:[ \t]{{1,2}}{_B7_W}){{0,2}}?),?[ \t]{{1,2}}"
    r"(?P<z>\d{5})(?![\w-]|[.,]\d)",
)
_B13_REL_TOWN = gated(
    "[hHwWpPfFmMdDaAuUgGsSnNcCbB]",
    r"\b(?i:husband|wife|partner|fianc[eé]e?|friend|mother|mom|father|dad|aunt|uncle|godson|goddaughter|stepson|"
    r"stepdaughter|hcp|proxy|girlfriend|boyfriend|guardian|neighbou?r|cousin|grandson|grand?daughter|mother-in-law|"
    rf"father-in-law)[ \t]{{1,2}}{_B7_W}(?:[ \t]{{1,2}}{_B7_W})?[ \t]{{1,2}}(?i:from)[ \t]{{1,2}}"
    rf"(?P<l>{_B7_W}(?:[ \t]{{1,2}}{_B7_W})?)",
)
_B13_ABBR_ED = gated(
    "[A-Za-z]",
    r"(?<![\w/.-])(?P<a>[A-Za-z]{2,5})[ \t]{1,2}(?:ED|ER|EW|ed|er|ew)\b(?![\w'’])",
)
# verbs of report and modals that end a town named after a doctor or relative ("IN MENDON NOTIFIED")
_B13_PLACE_STOP = words("notified aware faxed called updated informed paged contacted can will is was re")
_B13_NOT_ABBR = words("osh ems the our an to in at of from via pt fam ca er ed icu ccu micu sicu peds adult main")
_NAME_BEFORE_WORD = re.compile(r"(?<![\w'’.-])(?P<w>[A-Za-z][A-Za-z'’.-]{1,24})[ \t]{1,2}\Z")
_B10_LEAD_WORDS = re.compile(
    r"(?i:our[ \t]{1,2}lady[ \t]{1,2}of(?:[ \t]{1,2}the)?|temple|" + _B10_RESIDENCES + r")[ \t]{1,2}"
)
_B10_NAME_STOP = words(
    """catholic roman orthodox greek russian christian evangelical baptist methodist lutheran episcopal
    pentecostal local his her their our the a an to at of from in by for his own same""",
)
# "screening for LARKIN HOUSE VS BIRCHWOOD": the facility word the place reading dropped, then the alternative
_B6_OR_PAST = re.compile(
    r"(?:[ \t]{1,2}(?i:house|home|manor|rehab|center|centre|place|hospital|nursing|subacute|care|skilled)\b){1,2}"
    + _B6_OR.pattern
)
# ---- addresses of other countries in model answers (issue 16, bench/answers_corpus.py): the street type written
# after the name, glued or apart (Hersnapvej 18, Lindenstraße 42, Storgatan 12 B, Petőfi Sándor utca 5., Tordenskiolds
# gate 6), before it (Rua das Laranjeiras, 240; Calle Hidalgo 145; ul. Długa 14/3; 12 rue des Lilas), then the
# postal code and town before or after each other (2100 København Ø, 80-827 Gdańsk, Leeds LS6 2DT, Campinas - SP,
# 22240-003, Kelowna, BC V1Y 2K3), on the same line or the next
_IW = r"[^\W\d_][\w'’.-]{0,24}"  # a word of a street or town name, any script
_GLUED_TYPE = (
    r"vej|gade|gaden|gatan|gata|vägen|gränd|katu|kuja|tie|straße|strasse|str\.|weg|allee|platz|gasse|veien|stien|"
    r"vænget|"
    r"plads|stræde|utca|ulica|körút|laan|straat|steeg"
)
_APART_TYPE = r"u\.|utca|út|tér|körút|gate|vei|veg|allé|alle|vej|gade|gata|straße|strasse|str\.|weg|ring|laan"
_PREFIX_TYPE = (
    r"Rua|RUA|rua|Avenida|AVENIDA|avenida|Av\.|AV\.|av\.|Travessa|Calle|CALLE|calle|Carrera|Calzada|Privada|Rodovia|"
    r"Estrada|Praça|Largo|Viale|Piazza|Corso|ul\.|UL\.|Ul\.|ulica|aleja"
)
_HOUSE_NO = r"\d{1,5}[A-Za-z]?(?:/\d{1,4}[A-Za-z]?)?\.?(?![\w/-])"
_INTL_STREET = gated(
    r"[^\W\d_]",
    rf"\b(?:(?P<glued>[^\W\d_]{{2,25}}(?i:{_GLUED_TYPE}))"
    rf"|(?P<apart>{_IW}(?:[ \t]{{1,2}}{_IW}){{0,2}}[ \t]{{1,2}}(?i:{_APART_TYPE}))"
    rf"|(?P<pre>(?:{_PREFIX_TYPE})[ \t]{{1,2}}{_IW}(?:[ \t]{{1,2}}{_IW}){{0,3}}),?)"
    rf"[ \t]{{1,3}}(?P<num>{_HOUSE_NO})",
)
# what the two rules above need, in ASCII (hyperscan gates ``_SCANNED``; a non-ASCII literal would leave a pattern
# ungated, so a letter outside ASCII is ``\w``): a street type before a house number, a prefix type, a French type
_INTL_GATE = re.compile(
    r"(?i:vej|gade|gaden|gatan|gata|v\wgen|gr\wnd|katu|kuja|tie|stra\w{1,2}e|str\.|weg|allee|platz|gasse|veien|stien|"
    r"v\w{1,2}nget|plads|str\w{1,2}de|utca|ulica|k\wr\wt|laan|straat|steeg|\bu\.|\b[uUxX]t|\bt[eExX]r|\bgate|\bvei|"
    r"\bveg|\ball[eExX]|\bring)[ \t]{1,3}\d"  # a letter outside ASCII reads as itself or x in the gate's proxy
    r"|\b(?i:rua|avenida|av\.|travessa|calle|carrera|calzada|privada|rodovia|estrada|pra\w{1,2}a|largo|viale|piazza|"
    r"corso|ul\.|ulica|aleja)[ \t]"
    r"|\d[ \t,]{1,3}(?i:rue|avenue|boulevard|bd|chemin|impasse|all\w{1,2}e|quai|cours)[ \t]"
)
# stream hold: a street type written before the name among the last words, its name and number still to come
_PREFIX_OPEN = re.compile(
    rf"(?:\A|[\s,:;(])(?:{_PREFIX_TYPE})(?:[ \t]{{1,2}}{_IW}){{0,4}},?[ \t]{{0,2}}[\w/.-]{{0,12}}\Z"  # "65/" of 65/18
)
# British street types the USPS list lacks ("14 Larch Close"): a street only before a British postcode
_UK_STREET = gated(
    r"\d",
    rf"(?<![\w/.:-])\d{{1,4}}[A-Za-z]?[ \t]{{1,2}}{_IW}(?:[ \t]{{1,2}}{_IW}){{0,2}}[ \t]{{1,2}}"
    r"(?:Close|Rise|Chase|Drove|Wynd|Garth|Croft|Fold|Parade|Hey|Brow|Dene|Leys|Paddock|Approach|Grove|Mews)\b",
)
_UK_POSTCODE_TAIL = re.compile(
    rf",?[ \t]{{1,3}}(?:{_IW}[ \t]{{1,2}}){{1,3}}[A-Z]{{1,2}}\d[A-Z\d]?[ \t]\d[A-Z]{{2}}(?![\w-])"
)
# "12 rue des Lilas", "1624 avenue des Érables": a number before a French street type and up to four words
_FRENCH_STREET = gated(
    r"\d",
    rf"(?<![\w/.:-])\d{{1,5}}(?:[ \t]?(?:bis|ter))?,?[ \t]{{1,2}}(?i:rue|avenue|boulevard|bd|chemin|impasse|allée|"
    rf"quai|cours)[ \t]{{1,2}}{_IW}(?:[ \t]{{1,2}}{_IW}){{0,3}}",
)
# after a street: a unit (", 2. tv", " B", " lgh 1102", ", apto 302", " Int. 4", " Depto. 3B", ", app. 4"), a
# colonia ("Col. Centro"), then the postal code and town
_INTL_UNIT = re.compile(
    r",?[ \t]{1,2}(?:(?i:apto|apt|app|lgh|int|depto|dpto|casa|bloco|lok|m|st|sal|flat|unit|suite)\.?[ \t]?\d{0,4}"
    r"[A-Za-z]?(?:[ \t]?(?i:tv|th|mf))?|\d{1,2}\.[ \t]?(?i:tv|th|mf|sal)|[A-Z](?:[ \t]\d{1,3})?)(?![\w/-])"
)
_COLONIA = re.compile(rf",?[ \t]{{1,2}}(?:Col\.|Colonia|Bairro|Barrio)[ \t]{{1,2}}{_IW}(?:[ \t]{{1,2}}{_IW}){{0,2}}")
_POSTCODE = (
    r"(?:\d{5}-\d{3}|\d{2}-\d{3}|\d{3}[ \t]\d{2}|\d{4,5}|[A-Za-z]\d[A-Za-z][ \t]?\d[A-Za-z]\d"
    r"|[A-Za-z]{1,2}\d[A-Za-z\d]?[ \t]\d[A-Za-z]{2})(?![\w-])"
)
# a town: a word, then up to two more that start with a capital (a particle may join them: Juiz de Fora)
_TOWN_W = r"[^\W\d_][\w'’-]{0,24}"
_TOWN_PARTICLE = r"(?:(?i:de|da|do|del|la|le|sur|am|an|im)[ \t]{1,2})?"
_INTL_TOWN = rf"{_TOWN_W}(?:[ \t]{{1,2}}{_TOWN_PARTICLE}[^\W\d_a-zß-ÿ][\w'’-]{{0,24}}){{0,2}}"
_INTL_TAIL = re.compile(
    r"(?:,?[ \t]{1,3}|,?[ \t]*\n[ \t]*)"
    rf"(?:{_POSTCODE}[ \t]{{1,2}}{_INTL_TOWN}(?:[ \t][A-ZÆØÅÖÄ](?![\w]))?"
    rf"(?:,[ \t]{{1,2}}[A-Z][a-z]{{1,3}}\.)?"  # "Guadalajara, Jal."
    rf"|{_INTL_TOWN}(?:[ \t]{{1,2}}-[ \t]{{1,2}}[A-Z]{{2}}|,[ \t]{{1,2}}[A-Z]{{2}})?,?[ \t]{{1,2}}{_POSTCODE})"
)
_UNIT_FIRST = re.compile(r"(?i:apt|apartment|suite|ste|unit|rm|fl|bldg|#|p\.?[ \t]?o\.?[ \t]{1,3}box|rr|hc)\b")
_HAS_LETTERS = re.compile(r"[^\W\d_]{3}")
_US_STATE_ZIP_END = re.compile(rf"\b(?:{_STATE_ABBR_ALT})[ \t]{{1,3}}\d{{5}}(?:-\d{{4}})?\Z")
_FLAT_BEFORE = re.compile(r"(?i:flat|apartment|apt|unit)[ \t]{1,2}\d{1,4}[A-Za-z]?,?[ \t]{1,2}\Z")


_SCANNED = (
    _STREET,
    _UNIT_ALONE,
    _ZIP,
    _FACILITY,
    _SAINT,
    _MULTI_AT,
    _CUE_SEQ,
    _LOC_PREP,
    _CITY_STATE,
    _STREET_ANY,
    _CITY_ST_ANY,
    _WARD_CUE,
    _FAC_ANY,
    _FROM_ABBR,
    _LIVES_IN,
    _MILITARY,
    _STREET_PREFIXED,
    _HOME_CUE,  # 17.. : _nursing_places
    _ABBR_AT,
    _FAC_NAMED,
    _SAINT_AT,
    _UNIT_AT,
    _TOWN_IN_CLAUSE,  # 22.. : _report_places
    _PAREN_TOWN,
    _CITY_ST_ZIP,
    _WORKS_AT,
    _FAC_MORE_KW,
    _PLACE_LABEL,
    _WARD_CODE,
    _PHARMACY_BRANCH,
    _TRANSFER_FROM,
    _B4_STREET,
    _B4_BOX,
    _B4_CITY_ST,
    _B4_FAC_CUE,
    _B4_TOWN_AT,
    _B5_TOWN_CUE,
    _KM_FAC_CUE,
    _KM_WARD,
    _KM_TOWN_ST,
    _B6_FAC_CUE,
    _B6_TOWN_CUE,
    _B7_FAC_CUE,
    _B7_RECORDS,
    _B7_FROM_DATED,
    _B7_TOWN_CUE,
    _INTL_GATE,
    _UK_STREET,
    _B10_HEAD,
    _B10_LEAD,
    _B10_OSH,
    _B10_MOVED,
    _B10_FROM,
    _B11_FROM_CALLER,
    _B11_POLICE,
    _INCIDENT_PLACE,
    _LABELLED_PLACE,
    _LABELLED_POSTCODE,
    _B13_PCP_PLACE,
    _B13_TOWN_ZIP,
    _B13_REL_TOWN,
    _B13_ABBR_ED,
)
_NURSING_RULES = frozenset((17, 18, 19, 20, 21))  # the _SCANNED indexes _nursing_places runs
_REPORT_RULES = frozenset(range(22, 31))  # and _report_places
_K_B4_STREET = _SCANNED.index(_B4_STREET)
_K_B4_CITY_ST = _SCANNED.index(_B4_CITY_ST)
_K_PREFIXED = _SCANNED.index(_STREET_PREFIXED)
_K_B4_FAC = _SCANNED.index(_B4_FAC_CUE)
_K_B4_TOWN = _SCANNED.index(_B4_TOWN_AT)
_K_B4_BOX = _SCANNED.index(_B4_BOX)
_K_B5_TOWN = _SCANNED.index(_B5_TOWN_CUE)
_K_KM = (_SCANNED.index(_KM_FAC_CUE), _SCANNED.index(_KM_WARD), _SCANNED.index(_KM_TOWN_ST))
_K_B6_FAC = _SCANNED.index(_B6_FAC_CUE)
_K_B6_TOWN = _SCANNED.index(_B6_TOWN_CUE)
_K_INTL = (_SCANNED.index(_INTL_GATE), _SCANNED.index(_UK_STREET))
_K_B7 = tuple(_SCANNED.index(rx) for rx in (_B7_FAC_CUE, _B7_RECORDS, _B7_FROM_DATED, _B7_TOWN_CUE))
_K_B10 = tuple(_SCANNED.index(rx) for rx in (_B10_HEAD, _B10_LEAD, _B10_OSH, _B10_MOVED, _B10_FROM))
_K_B11 = tuple(_SCANNED.index(rx) for rx in (_B11_FROM_CALLER, _B11_POLICE))
_K_INCIDENT = _SCANNED.index(_INCIDENT_PLACE)
_K_LABELLED = _SCANNED.index(_LABELLED_PLACE)
_K_POSTCODE = _SCANNED.index(_LABELLED_POSTCODE)
_K_B13 = tuple(_SCANNED.index(rx) for rx in (_B13_PCP_PLACE, _B13_TOWN_ZIP, _B13_REL_TOWN, _B13_ABBR_ED))
_K_HEADS = frozenset(_SCANNED.index(rx) for rx in (_STREET_ANY, _STREET_PREFIXED, _MILITARY, _B4_STREET, _B4_BOX))
_TAIL = re.compile(rf",[ \t]{{0,3}}(?P<t>{_W}(?:[ \t]{{1,3}}{_W}){{0,2}})")
_LEAD_STOP = frozenset(
    {"The", "A", "An", "This", "That", "Our", "My", "His", "Her", "Their", "What", "Which", "At", "In"}
)


_FREQUENCY_WORDS = words("daily weekly nightly hourly often")
_GENERIC_FAC = words(
    """rec recs recommend recommends recommended"""  # "rec acute rehab": a recommendation, no facility's name
    """ the a an this that our your his her their outside local other another previous prior nearby same different
    osh community county general psychiatric psych rehab nursing acute skilled long term long-term area private
    state city university teaching tertiary regional hospital medical children's pediatric womens women's va
    snf home care"""
)
# unions the rules test words against, built once (speed: a set union in a loop rebuilt it per word)
_PLACE_OR_GENERIC = _NOT_A_PLACE | _GENERIC_FAC
_GENERIC_NAMED = _GENERIC_KW_NAME | _NOT_A_PLACE | _GENERIC_FAC
_TOWN_PART = _TOWN_WORDS | {"hill", "point", "hts"}
_CITY_PREFIX_FALL = _CITY_PREFIX | {"fall"}
_PLACE_WORDS = (
    words(
        """st mt ft saint mount fort apt apartment suite ste unit rm room fl floor bldg box po p o
    north south east west n s e w new san santa los las el la"""
    )
    | USPS_SUFFIXES
)
# whole spans (issue 16): the words a place's name runs on into after a rule has found its first part
# (``_grow_tail``): a compass word after a ward's number ("Kessler 4" + " East"), a ward's number before a clause
# word ("from Thorne" + " 6 on"), the head nouns of a facility, business or place name ("Brightwater" +
# " Subacute", "Meridian" + " Savings Bank", "Wickford" + " Neck"), and "of"/"w" + a town ("Good Samaritan" +
# " of Stonebury")
_TAIL_COMPASS = re.compile(r"[ \t]{1,2}(?i:north|south|east|west)\b(?![-'’])")
_TAIL_WARD_NO = re.compile(
    r"[ \t]{1,2}\d{1,2}(?=[ \t]{1,2}(?i:on|at|for|until|when|under|if|requested|today|tonight)\b"
    r"|[ \t]*(?:[,;)\n]|\.(?:\s|\Z))|[ \t]*\Z)"
)
_TAIL_MODS = words(
    """extended senior assisted skilled health savings family public school nursing medical heart dialysis post
    fire country subacute"""
)
_TAIL_HEADS = words(
    """hospital home house manor rehab subacute care center centre clinic gardens terrace living nh snf ltc plan
    bank library practice district college academy unit office dept club bay neck hill knoll point crossing
    harbor harbour ridge heights falls springs village"""
)
_TAIL_STOP = words("vs versus or and to from with per for at in on by")  # a place's name ends before them
_TAIL_WORD = re.compile(r"[ \t]{1,2}(?P<w>[A-Za-z][A-Za-z'’]{1,13})\b(?![-'’])")
_TAIL_OF_TOWN = re.compile(r"[ \t]{1,2}(?:of|w|OF|W)[ \t]{1,2}(?P<t>[A-Za-z][A-Za-z'’-]{2,24})\b")
# a house number as the street rules read it (``_B4_STREET``: ``708-b``, ``12 1/2``) before a word

def _plain(rx: re.Pattern[str] | str) -> str:
    """A pattern's text with its named groups made plain (so that several can be joined into one regex)."""
    return re.sub(r"\(\?P<\w+>", "(?:", rx if isinstance(rx, str) else rx.pattern)


# what an address reading joins to a street (the rules' heads, then ``_address_end``: a post-directional, units,
# an APO line or a city, state and ZIP, also on the next line; the any-case rule's own city and state tail comes
# first, so two city-and-state tails may follow one another): the stream holds a street while a continuation may
# still join more to it, which reaches over prose words ("4821 Wisteria Lane  pt lives alone in" + "Fairhaven, MA"
# reads "in" as Indiana and joins the town), and nothing longer (at most three words and a state per tail)
_JOINED_TAIL = (
    rf"(?:{_plain(_UNIT_NUMBER)})?(?:{_plain(_POST_DIR)})?(?:{_plain(_MORE_UNIT)}){{0,2}}"
    rf"(?:{_plain(_APO_LINE)}|{_plain(_CITY_STATE_ZIP)}|{_plain(_B4_CITY_IN)})?"
)
_STREET_HEADS = re.compile(
    rf"{_plain(_STREET_ANY)}|{_plain(_STREET_PREFIXED)}|{_plain(_MILITARY)}|{_plain(_B4_STREET)}|{_plain(_B4_BOX)}"
)
_STREET_JOINS = re.compile(
    rf"(?:{_plain(_STREET_ANY)}|{_plain(_STREET_PREFIXED)}|{_plain(_MILITARY)}"
    rf"|{_plain(_B4_STREET)}(?:{_plain(_B4_NEXT_SFX)}){{0,3}}(?:{_plain(_B4_POST_DIR)})?(?:{_plain(_C2_UNIT)}){{0,3}}"
    rf"|{_plain(_B4_BOX)}(?:{_plain(_C2_UNIT)}){{0,3}})"
    + _JOINED_TAIL
)
_JOIN_HEAD = re.compile(r"\d|USNS|USS|USCGC|usns")  # what every head of _STREET_JOINS holds
_JOINS_PARTIAL = regex.compile(_STREET_JOINS.pattern)  # ``partial=True``: does a path run into the end of a text
_JOIN_STOP = re.compile(r"[^\w \t\n,.'’#/-]")  # a character no part of a join after its street reads
_HOUSE_NUMBER = re.compile(r"(?<![\w./-])\d{1,6}(?:[ \t]1/2|-?[A-Za-z])?[ \t]{1,3}[A-Za-z]")
_SITE_TOK = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_NON_BLANK = re.compile(r"\S+")
# a word as the place rules may read it (``_W``, ``_NWORD``: "example.orgSpringfield", "well-Springfield" are
# one word to them): open_at walks back over these, so it never settles the first part of a word they take whole
_ZIP_TO_COME = re.compile(r"[ \t]{0,2}(?:\d{1,5}(?:-\d{0,4})?)?")  # after a state: a ZIP may still follow it
_OPEN_TOK = re.compile(r"[^\W_]+(?:[_'’.&-]+[^\W_]+)*")


# Prefilter triggers (hyperscan syntax) and whole words that wake this detector where the analyzer scans regions.
TRIGGERS: tuple[bytes, ...] = (
    rb"\d{5}",  # ZIP
    rb",\s*[A-Z][A-Z]\b",  # City, ST
    rb"\b(?:St|Mt|Ste|Ft)\.",
    rb"\b(?:Saint|Mount)\s",
    rb"(?i)(?:zip|postal)",
    rb"(?:Hospital|Clinic|Medical|Health|Infirmary|Hospice|Institute|Children's|Memorial|Sanatorium|Nursing|"
    rb"Rehabilitation|Urgent|Pharmacy|Physicians|Surgical|Care|General|Presbyterian|Methodist|Baptist|Mercy|"
    rb"Kaiser|Hosp|Ctr)",
    rb"\b(?:treated|seen|admitted|hospitali[sz]ed|transferred|discharged|evaluated|operated|followed|managed|"
    rb"lives?|living|resides?|residing|resident|located|moved|relocated|born|works?|worked|employed|visited|"
    rb"presented|referred|returned|traveled|travelled|stationed)\s+(?:at|in|to|from|of|on|near)\s",
    rb"(?i)\b(?:Apt|Apartment|Suite|Ste|Unit|P\.?\s?O\.?\s+Box)\b",
    rb"\b(?:at|in|from|to)\s+(?:the\s+)?[A-Z][\w'&-]*\s+[A-Z]",  # multi-word places after a preposition
    rb"\b" + _STREET_SFX.encode() + rb"\b",  # street suffixes
    # a practice named by its kind (_PRACTICE_KW): Marsh Family Practice, North Shore Renal Associates
    rb"(?i)\b(?:associates|family\s{1,2}(?:practice|medicine)|primary\s{1,2}care|internal\s{1,2}medicine|"
    rb"(?:medical|orthopedic|surgical|cardiology|physicians?)\s{1,2}group)\b",
)


def _abbreviation_plural(word: str) -> bool:
    """An abbreviation's plural, capitals then a lower-case s (``ADLs``, ``LFTs``, ``PVCs``): never a town."""
    return len(word) >= 3 and word[-1] == "s" and word[:-1].isupper()


_LABEL_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
_LABEL_JOIN = re.compile(r"[ \t]{1,2}")
_LABEL_MOST = 4  # words a labelled place may hold


def _label_value(text: str, a: int) -> int:
    """The end of a labelled place's words from ``a``: at most ``_LABEL_MOST`` words, each starting with a letter,
    joined by one or two blanks; ends before a clause or date word (``_LABEL_VALUE_STOP``), at any other mark, or
    at the line's end. ``a`` when no word is there. A word's trailing ``.`` is kept only inside the value."""
    b = a
    pos = a
    for i in range(_LABEL_MOST):
        w = _LABEL_WORD.match(text, pos)
        if w is None or w.group().lower().rstrip(".") in _LABEL_VALUE_STOP and i:
            break
        b = w.end()
        j = _LABEL_JOIN.match(text, b)
        if j is None or text[b - 1 : b] == "." and len(w.group()) > 3:
            break  # "Boston. Next ...": the sentence ends ("St. Louis" goes on)
        pos = j.end()
    return a + len(text[a:b].rstrip("."))


def label_value_open(tail: str) -> int:
    """Stream contract for ``_labelled_places``: the offset in ``tail`` (the text's end) where a labelled place
    still being written starts, else -1: a label, then value words up to the end with no mark after them, fewer
    than ``_LABEL_MOST`` complete words and none of them a stop word."""
    line = tail[tail.rfind("\n") + 1 :]
    off = len(tail) - len(line)
    found = -1
    for m in _LABELLED_PLACE.finditer(line):
        found = m.end()
    if found < 0:
        return -1
    cut = len(line)
    if line[-1:] not in (" ", "\t"):  # a word (or mark) being written: judge the words before it
        cut = max(line.rfind(" "), line.rfind("\t")) + 1
    if cut <= found:
        return off + found
    v = _label_value(line[:cut], found)
    if line[v:cut].strip(" \t") or len(line[found:v].split()) >= _LABEL_MOST:
        return -1  # a mark, a stop word or the last word ended the place already
    return off + found


class LocationDetector:
    name = "locations"
    types = frozenset({"ADDRESS", "ZIP", "LOCATION"})
    triggers = TRIGGERS
    reach = 200
    gates_itself = True  # any-case rules and site lists: its own hyperscan gate, the analyzer gives whole texts
    open_reads_words = True  # its open point judges whole words: Analyzer.open_at asks it without a word being written

    @staticmethod
    def trigger_words() -> Iterable[str]:
        return set(load_list("cities.txt.gz")) | set(US_STATES)

    def __init__(self, site: SiteVocabulary | None = None) -> None:
        self._cities = load_list("cities.txt.gz")
        self._cities_low = frozenset(c.lower() for c in self._cities)
        self._city_words = frozenset(
            w for c in self._cities_low for w in c.split() if not vocabulary().get(w, 0) & FUNC
        )
        self._stop = frozenset(w.capitalize() for w in load_list("stopwords.txt"))
        self._gate = RegexGate(_SCANNED)  # which of them can match at all: one hyperscan scan
        # the rules whose lead words come before the number (``rr 2, box 206``, ``PSC 12, Box 4``) or whose
        # street type comes before the name (``12 via Roma``): open wherever a partial match of them runs into
        # the end, which the word walk of open_at does not see (a function word, a lead word before a number)
        self._open_lead = OpenScanner([_B4_BOX, _MILITARY, _STREET_PREFIXED, _B10_LEAD])
        self._words = vocabulary()
        self._site = site
        self._site_version = -1
        self._phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}

    def scan_gates(self) -> tuple[RegexGate, ...]:
        """Speed: the gate the prefilter's whole-text scan may answer for (``joint_scan``)."""
        return (self._gate,)

    def detect(self, text: str) -> Iterable[Span]:
        out: list[Span] = []
        add = out.append
        can = self._gate.possible(text)
        if not can:  # speed: no rule can match (most prose); only the site phrases remain to look for
            self._site_phrases(text, add)
            return out
        tw = ascii_twin if ascii_safe(text) else _same  # speed: re.ASCII twins, same matches on such text
        for m in tw(_STREET).finditer(text) if 0 in can else ():
            add(Span(m.start(), m.end(), "ADDRESS", 0.8))
        for m in tw(_UNIT_ALONE).finditer(text) if 1 in can else ():
            add(Span(m.start(), m.end(), "ADDRESS", 0.7))
        for m in tw(_ZIP).finditer(text) if 2 in can else ():
            ctx = text[max(0, m.start() - 24) : m.start()]
            if _ZIP_CUE.search(ctx):
                add(Span(m.start(), m.end(), "ZIP", 0.7))
        for k, rx in ((3, _FACILITY), (4, _SAINT)):
            for m in tw(rx).finditer(text) if k in can else ():
                start, end = self._strip_lead(text, m.start(), m.end())
                if rx is _SAINT and text[end : end + 6].lstrip(" \t").lower().startswith("wort"):
                    continue  # St. John's wort: a herbal drug
                if rx is _FACILITY and " " not in text[start:end].strip():
                    continue  # a facility word alone ("Hospital course") names no place
                if rx is _FACILITY and self._generic(text[start:end].split()[:-1]):
                    continue  # "from Outside Hospital ED", "Local Medical Center": a kind of facility
                if end > start:
                    add(Span(start, self._extend(text, end), "LOCATION", 0.65))
        for m in tw(_MULTI_AT).finditer(text) if 5 in can else ():
            words = m.group("l").split()
            if words[0] in self._stop and words[0] not in _GEO_WORDS or words[0] in _LEAD_STOP:
                continue
            if any(w in self._stop and w not in _GEO_WORDS for w in words[1:]):
                continue
            if self._abbreviation_run(text, m.start("l"), words) or self._department(words) or _site_part(words):
                continue
            start, end = self._strip_trail(text, m.start("l"), m.end("l"))
            if end > start:
                add(Span(start, end, "LOCATION", 0.55))
        for m in tw(_CUE_SEQ).finditer(text) if 6 in can else ():
            start, end = self._strip_trail(text, m.start("l"), m.end("l"))
            ws = text[start:end].split()
            if ws and (self._generic(ws) or self._department(ws)):
                continue  # "discharged to Rehab", "transferred to Floor 7", "seen in Cath Lab"
            if end > start:
                add(Span(start, end, "LOCATION", 0.6))
        cities = self._cities
        for m in tw(_LOC_PREP).finditer(text) if 7 in can else ():
            words = m.group("l").split()
            for k in range(len(words), 0, -1):
                cand = " ".join(words[:k]).rstrip(".,")
                if cand in cities:
                    s = m.start("l")
                    add(Span(s, self._extend(text, s + len(cand)), "LOCATION", 0.6))
                    break
        for m in tw(_CITY_STATE).finditer(text) if 8 in can else ():
            st = m.group("s")
            if st in ("MD", "PA", "DO", "RN", "NP") and not _ZIP.match(text, m.end() + 1):
                continue
            if len(st) == 2 and st not in STATE_ABBR:
                continue
            words = m.group("c").split()
            while words and (words[0] in self._stop or words[0] in _LEAD_STOP or self._safe(words[0])):
                if words[0].lower() in self._cities_low:
                    break
                words.pop(0)
            if words and self._city_like(words, zip_follows=bool(_ZIP.match(text, m.end() + 1))):
                # the first kept word's own offset: the gaps between words may be wider than one blank
                first = [w.start() for w in _NON_BLANK.finditer(m.group("c"))][-len(words)]
                add(Span(m.start("c") + first, m.end("s"), "LOCATION", 0.6))
        self._any_case(text, can, add)
        self._nursing_places(text, can, add)
        self._report_places(text, can, add)
        self._postal_addresses(text, can, add)
        self._cued_facilities(text, can, add)
        self._towns_after_street_or_visit_cue(text, can, out)
        self._known_miss_places(text, can, out)
        self._places_after_where_cues(text, can, add)
        self._placement_places(text, can, out)
        self._international_addresses(text, can, out)
        self._institution_and_transfer_places(text, can, out)
        self._caller_and_police_towns(text, can, out)
        self._incident_places(text, can, out)
        self._labelled_places(text, can, out)
        self._towns_of_doctors_relatives_and_zips(text, can, out)
        self._hospital_abbreviations_before_ed(text, can, out)
        self._site_phrases(text, add)
        langs = language_words()  # "available in Spanish", "translating from Russian": a language, no place
        return [
            sp
            for sp in [self._grow_tail(text, sp) for sp in out]
            if sp.type != "LOCATION"
            or text[sp.start : sp.end].lower() not in langs
            and not _countries(text, sp)
            and not _body(text, sp)
            and not _instrument(text, sp)
        ]

    def open_at(self, text: str) -> int:
        """Stream contract (see Analyzer.open_at): where a continuation could still create, lengthen or merge a
        place. Open are: a house number and what follows it in the same clause (a street suffix, unit, city,
        state or ZIP may still come), the trailing words that could belong to a place name (capitalised, digits,
        unknown words, city-lexicon words, facility and unit words), and any finding that touches them.
        Looks back at most ``reach`` characters; ``len(text)`` when nothing can change."""
        n = len(text)
        lo = max(0, n - self.reach)
        tail = text[lo:]
        clause = max(tail.rfind("\n"), tail.rfind(";"), tail.rfind("?"), tail.rfind("!"))
        if clause >= 0:
            lo += clause + 1
            tail = text[lo:]
        toks = list(_OPEN_TOK.finditer(tail))
        open_ = n
        if (lv := label_value_open(tail)) >= 0:
            open_ = lo + lv  # a labelled place being written: it takes any words
        if toks and toks[-1].end() == len(tail):
            open_ = lo + toks[-1].start()  # a word being written
        k = len(toks) - (1 if open_ < n else 0) - 1
        last = k  # the last complete word: a ZIP may still follow it
        steps = 0
        # without site phrases (any words, in any case), a place that runs through a plain lower-case word
        # (known, no function, city, facility or place word) has no capital in it (any-case facility names;
        # in a stretch with capitals every name word is capitalised), and a leading word (The, This, ...) at
        # the start of a sentence begins no place (the rules that take one need a cue before it)
        tight = not self._has_site_phrases()
        line = tail[tail.rfind("\n") + 1 :]
        # a line with both cases: a name by the any-case facility rule is capitalised, so a plain lower-case
        # unknown word joins a place only as a town right before a state (at most three words) or after a cue
        mixed = mixed_case(line)
        plain_after = False  # a plain lower-case word lies between this word and the end
        # the word right of this one may still be part of a place (or the text's end, where anything may follow):
        # a joining word then joins, it does not end the walk ("Juniper Knoll Nursing and" + "Rehab")
        in_chain = True
        while k >= 0 and steps < 6:
            w = toks[k].group()
            low = w.lower()
            capable = (
                any(c.isdigit() or c.isupper() for c in w)
                or low in self._city_words
                or (low in _GENERIC_FAC or low in _PLACE_WORDS)
                and not self._words.get(low, 0) & FUNC
                or not known_word(low)
            )
            # a two-letter state in any case ("in", "me", "or") before a ZIP may make the words before it a town
            state = (
                k == last
                and len(low) == 2
                and low.upper() in STATE_ABBR
                and _ZIP_TO_COME.fullmatch(tail, toks[k].end()) is not None
            )
            gap = tail[toks[k].end() : toks[k + 1].start()] if k + 1 < len(toks) else tail[toks[k].end() :]
            joiner = in_chain and low in _NAME_JOINERS
            if len(gap) > 4 or self._func(low) and not capable and not state and not joiner:
                break
            if tight and capable and w[:1].isupper() and known_word(low) and low not in self._city_words:
                before = tail[: toks[k].start()].rstrip(" \t")
                if plain_after or (w in _LEAD_STOP and (not before or before[-1] in ".!?:\n")):
                    capable = False
            if (
                tight
                and mixed
                and capable
                and last - k >= 4
                and w.isalpha()
                and w.islower()
                and low not in self._city_words
                and low not in _GENERIC_FAC
                and low not in _PLACE_WORDS
            ):
                capable = False
            if capable:  # everything from here on may still become part of a place
                open_ = lo + toks[k].start()
            elif tight and low not in ("of", "the", "and", "&") and not any(c.isupper() for c in w):
                plain_after = True
            in_chain = capable or joiner
            k -= 1
            steps += 1
        if not any(c.isupper() for c in line):
            # a line without capitals: up to three words joined by one or two blanks may still name a facility
            # (``cedar hollow`` + `` rehab``: the any-case named-facility rule), back to a function word or a
            # clause mark
            j = len(toks) - 1
            end_gap = tail[toks[j].end() :] if toks else ""
            if toks and len(end_gap) <= 2 and end_gap.strip(" \t") == "":
                taken = 0
                while j >= 0 and taken < 3:
                    w = toks[j].group()
                    if self._func(w.lower()) or w.lower() in _BEFORE_A_PLACE or not w.isalpha():
                        break
                    sep = tail[toks[j].end() : toks[j + 1].start()] if j + 1 < len(toks) else ""
                    if j + 1 < len(toks) and not (0 < len(sep) <= 2 and sep.strip(" \t") == ""):
                        break
                    open_ = min(open_, lo + toks[j].start())
                    taken += 1
                    j -= 1
        # a house number earlier in the clause: a street may still be completed after it (its name may hold an
        # ordinal, "708-b third clb", as the street rules read it)
        for m in _HOUSE_NUMBER.finditer(tail):
            after = [w.lower() for w in _SITE_TOK.findall(tail[m.start() :])]
            # "Farm to Market Road 2748": the "to" of a Texas road's name is no clause word
            plain = [w for i, w in enumerate(after) if not (w == "to" and i and after[i - 1] in ("farm", "ranch"))]
            if len(after) <= 16 and not any(self._func(w) and w not in _ORDINALS for w in plain):
                open_ = min(open_, lo + m.start())
                break
        # a saint's name before a facility word may hold any word, function words too ("to st elsewhere
        # hospital", the _FAC_KW rule): a saint word among the last words is open until a facility word may no
        # longer follow (its name is at most three words; the facility word may be two, or being written)
        j, prev = len(toks) - 1, n - lo
        while j >= 0 and len(toks) - j <= 6:
            gap = tail[toks[j].end() : prev].removeprefix(".")  # "St. Elsewhere"
            if len(gap) > 2 or gap.strip(" \t"):
                break
            if toks[j].group().lower().rstrip(".") in _SAINT_WORDS:
                open_ = min(open_, lo + toks[j].start())
            prev = toks[j].start()
            j -= 1
        # words after a transfer cue: a facility's name may still grow over them ("transfer from sacred heart")
        tm = _TRANSFER_OPEN.search(text, max(0, n - 160))
        if tm is not None:
            open_ = min(open_, tm.start("l"))
        open_ = min(open_, _placement_open(text), self._open_lead.open_at(text))
        if (pm := _PREFIX_OPEN.search(text, max(0, n - 130))) is not None:
            open_ = min(open_, pm.start() + (pm.group()[0].isspace() or pm.group()[0] in ",:;("))
        open_ = min(open_, self._joins_open(text))
        # a finding that reaches the open words may still grow or merge
        for sp in self.detect(text[max(0, lo - self.reach) :]):
            a = sp.start + max(0, lo - self.reach)
            b = sp.end + max(0, lo - self.reach)
            if b >= min(open_, n) - 4 and a < open_:
                open_ = a
        return open_

    def _grow_tail(self, text: str, sp: Span) -> Span:
        """Whole spans: a place finding taken on over the words its name runs into (``_TAIL_*``): a ward's
        number and compass word, up to three head words of a facility or place name written in the case of the
        name's last word, and "of"/"w" + a town. Any other finding is returned as it is."""
        if sp.type != "LOCATION":
            return sp
        end = sp.end
        last = text[sp.start : end].rsplit(None, 1)[-1] if end > sp.start else ""
        if last and not any(c.isdigit() for c in text[sp.start : end]):
            m = _TAIL_WARD_NO.match(text, end)
            if m is not None and last[:1].isupper() and len(last) >= 3 and last.isalpha():  # not "HNMC, OR" + 7
                end, last = m.end(), m.group().strip()
        if last.isdigit() and (m := _TAIL_COMPASS.match(text, end)) is not None:
            end = m.end()
        if last.lower() not in _TAIL_STOP:  # "Oakhurst Care Center vs" + " home": a head after a clause word
            end = self._head_words(text, end, last)
        if (m := _TAIL_OF_TOWN.match(text, end)) is not None and self._town_after_of(m.group("t"), last):
            end = m.end()
        return sp if end == sp.end else Span(sp.start, end, sp.type, sp.score)

    @staticmethod
    def _head_words(text: str, end: int, last: str) -> int:
        """The end of up to three facility or place head words after ``end`` (modifiers, then one head), each
        in the case of ``last``; ``end`` when they do not end in a head word."""
        shape = str.isupper if last.isupper() else str.islower if last.islower() else str.istitle
        i, got = end, end
        for _ in range(3):
            m = _TAIL_WORD.match(text, i)
            if m is None or not shape(m.group("w")):
                break
            low = m.group("w").lower()
            if low in _TAIL_HEADS:
                got = m.end()
            if low not in _TAIL_MODS:
                break
            i = m.end()
        return got

    def _town_after_of(self, town: str, last: str) -> bool:
        """A word after "of" that names a town: written in the case of the name before it (capitalised in
        mixed text), and a city or a word on no list."""
        if not (town.isupper() if last.isupper() else town.islower() if last.islower() else town[:1].isupper()):
            return False
        low = town.lower()
        return low in self._cities_low or not known_word(low)

    def _joins_open(self, text: str) -> int:
        """Where a street read in the last ``reach`` characters may still have more joined to it (a path of
        ``_STREET_JOINS`` from the street's start runs into the end of the text), or ``len(text)``. A street still
        being written is the other open rules' (the house number and the lead words)."""
        n = len(text)
        lo = max(0, n - self.reach)
        if _JOIN_HEAD.search(text, lo) is None or self._gate.possible(text[lo:]).isdisjoint(_K_HEADS):
            return n  # speed: most text has no house number, and most numbers start no street
        i = lo
        while (head := _STREET_HEADS.search(text, i)) is not None:
            a = head.start()
            # speed: a character no join reads (``:``, ``(``, ``;``, ``@``) after the street ends every path
            if _JOIN_STOP.search(text, head.end()) is None and _JOINS_PARTIAL.fullmatch(text, a, partial=True):
                return a
            i = a + 1
        return n

    def _international_addresses(self, text: str, can: object, out: list[Span]) -> None:
        """Addresses of other countries (issue 16, model answers): a street whose type is written after its name
        (``Hersnapvej 18``, ``Petőfi Sándor utca 5.``, ``Tordenskiolds gate 6``) or before it (``Rua das Laranjeiras,
        240``, ``ul. Długa 14/3``, ``12 rue des Lilas``), with its unit, colonia, postal code and town; and the
        postal code and town of another country (``Leeds LS6 2DT``, ``Kelowna, BC V1Y 2K3``) after any street
        already found, with a ``Flat 3,`` before it."""
        assert hasattr(can, "__contains__")
        starts: list[tuple[int, int]] = []
        if _K_INTL[0] in can:
            for m in _INTL_STREET.finditer(text):
                if m.group("glued") is None and not self._intl_name_ok(m.group("apart") or m.group("pre")):
                    continue
                starts.append((m.start(), m.end()))
            starts.extend(m.span() for m in _FRENCH_STREET.finditer(text))
        for m in _UK_STREET.finditer(text) if _K_INTL[1] in can else ():
            if (t := _UK_POSTCODE_TAIL.match(text, m.end())) is not None:
                out.append(Span(self._flat_start(text, m.start()), t.end(), "ADDRESS", 0.75))
        found = [(a, b, True) for a, b in starts]
        found += [(sp.start, sp.end, False) for sp in out if sp.type == "ADDRESS"]
        for a, b, own in found:
            end = b
            if own:
                while (u := _INTL_UNIT.match(text, end)) is not None and u.end() - b < 16:
                    end = u.end()
                if (c := _COLONIA.match(text, end)) is not None:
                    end = c.end()
            if not own and (_UNIT_FIRST.match(text, a) or not _HAS_LETTERS.search(text, a, b)):
                continue  # a unit or box alone ("Apt. 675 62314"): its ZIP is read by the ZIP rule
            t = _INTL_TAIL.match(text, end)
            if t is not None and not own and _US_STATE_ZIP_END.search(t.group()):
                continue  # "..., MN 17210": a US city line, the US continuation's to read
            if t is not None and not re.fullmatch(r"[\s,]*", t.group()):
                end = t.end()
            elif not own:
                continue  # a street another rule found, no postal code of another country after it
            out.append(Span(self._flat_start(text, a), end, "ADDRESS", 0.75))

    @staticmethod
    def _flat_start(text: str, a: int) -> int:
        """Where the street address starting at ``a`` starts with the flat or unit written before it (``Flat 3,
        27 Ashgrove Road``)."""
        flat = _FLAT_BEFORE.search(text, max(0, a - 14), a)
        return flat.start() if flat is not None else a

    def _intl_name_ok(self, words_: str) -> bool:
        """The words before a separate street type, or after a prefix type, name a street: the first is no function
        word (``to the gate 5``), and none is a plain lower-case English word in a line with capitals (``Board gate
        12``, ``take bus gate 4``) unless it is a joining particle (``das``, ``de``, ``do``)."""
        ws = words_.split()
        if not ws:
            return False
        body = ws[1:] if re.fullmatch(rf"(?:{_PREFIX_TYPE})", ws[0]) else ws[:-1]
        if not body or self._func(body[0].lower()) and not body[0][0].isupper():
            return False
        for w in body:
            low = w.lower().strip(".,")
            if low in ("de", "da", "do", "das", "dos", "del", "la", "los", "las", "le"):
                continue
            if w.isascii() and w.islower() and known_word(low) and not ws[0].islower():
                return False
        return True

    def _towns_after_street_or_visit_cue(self, text: str, can: object, out: list[Span]) -> None:
        """A town of one word right after a street address found here (``317 Centre St, Mattapan.``) or after a
        nursing cue that names one (``VNA of Reading``, ``flying in from Ware``, ``widow from Salem``)."""
        for m in _B5_TOWN_CUE.finditer(text) if _K_B5_TOWN in can else ():  # type: ignore[operator]
            t = m.group("t")
            if t.lower() not in _B5_NOT_TOWN and not self._words.get(t.lower(), 0) & FUNC:
                out.append(Span(m.start("t"), m.end("t"), "LOCATION", 0.6))
        for sp in [s for s in out if s.type == "ADDRESS"] if out else ():
            town = _B5_TOWN_AFTER_STREET.match(text, sp.end)
            t = town.group("t").lower() if town is not None else ""
            if town is not None and t not in _B5_NOT_TOWN and not self._words.get(t, 0) & FUNC:
                out.append(Span(town.start("t"), town.end("t"), "LOCATION", 0.6))

    def _known_miss_places(self, text: str, can: object, out: list[Span]) -> None:
        """Known miss classes (issue 16): a facility with no facility word after a communication or transfer cue
        (``faxed to Maristhill``: one word, unknown or rare, any case); a named ward, a name and a small number
        after a ward cue or a note heading (``floor Baker 6``, ``Note, Corwin 7``); a town before ``, ST`` after
        a residence or origin cue (``from Hope, AR``)."""
        fac, ward, town = _K_KM
        for m in _KM_FAC_CUE.finditer(text) if fac in can else ():  # type: ignore[operator]
            low = m.group("w").lower()
            if self._words.get(low, 0) & FUNC or low in _B5_NOT_TOWN or self._generic([low]):
                continue
            if not known_word(low) or rare_word(low) and self._words.get(low, 0) & SAFE:
                out.append(Span(m.start("w"), m.end("w"), "LOCATION", 0.6))
        for m in _KM_WARD.finditer(text) if ward in can else ():  # type: ignore[operator]
            w = m.group("w")
            low = w.lower()
            if low in _KM_NOT_WARD or low in _MONTHS or self._words.get(low, 0) & FUNC or self._generic([low]):
                continue
            if _scale_after_heading(m, low):
                continue
            named = self._words.get(low, 0) & (FIRST | LAST) or not known_word(low) or rare_word(low)
            if named and (w[0].isupper() or not _mixed_line(text, m.start("w"))):
                out.append(Span(m.start("w"), m.end("n"), "LOCATION", 0.6))
        for m in _KM_TOWN_ST.finditer(text) if town in can else ():  # type: ignore[operator]
            st, t = m.group("s"), m.group("t")
            if st not in STATE_ABBR or st in _KM_NOT_STATE or not (t[0].isupper() or not _mixed_line(text, m.start())):
                continue
            if not any(self._words.get(x.lower(), 0) & FUNC for x in t.split()):
                out.append(Span(m.start("t"), m.end("s"), "LOCATION", 0.6))
    def _places_after_where_cues(self, text: str, can: object, add: object) -> None:
        """A facility named without a facility word after a cue of where a patient came from, goes or stays
        (``goes to Glenrose on sat``, ``back to Cedarfield vs Pinegate``, ``OSH: Lakeshore``), and a town after a
        cue of where a person lives or comes from (``grew up in Summit``, ``visiting from Fairhaven``)."""
        assert callable(add) and hasattr(can, "__contains__")
        for k, rx, most in ((_K_B6_FAC, _B6_FAC_CUE, 4), (_K_B6_TOWN, _B6_TOWN_CUE, 2)):
            for m in rx.finditer(text) if k in can else ():
                a = m.start("l")
                # after a cue of a state as well as a place ("back to baseline", "went to sleep", "likely
                # Pneumonia") only a word on no list makes a place
                cased = _B6_WEAK.match(m.group()) is None
                words_ = m.group("l")
                while (b := self._b6_place(text, a, words_, most, cased)) > a:
                    add(Span(a, b, "LOCATION", 0.55))
                    o = _B6_OR.match(text, b) or _B6_OR_PAST.match(text, b)  # past a dropped facility word
                    if k == _K_B6_TOWN or o is None:
                        break
                    a, words_ = o.start("l"), o.group("l")  # "back to Cedarfield vs Pinegate"

    def _placement_places(self, text: str, can: object, out: list[Span]) -> None:
        """Places named where placement, records, callers and ambulances are written (seventh blind corpus): a
        facility after ``admissions at``, ``awaiting bed at``, ``accepted at``, between ``at`` and ``prior to
        admission``, before ``liaison``, in parentheses after ``rehab``/``SNF``, an abbreviation before ``records
        obtained`` or after ``records from`` (a word on no list), a place after ``from`` before a date or ``ED``;
        a town after ``called from``, ``visited from``, ``the mill in``, a relation and ``from``, ``by X EMS``,
        and after ``in`` right after a place found here."""
        assert hasattr(can, "__contains__")
        fac, rec, dated, town = _K_B7
        add = out.append
        for m in _B7_FAC_CUE.finditer(text) if fac in can else ():
            self._add_place(text, m.start("l"), m.group("l"), 4, True, add)
        for m in _B7_FAC_AROUND.finditer(text) if "prior" in text.lower() or "liaison" in text.lower() or (
            "before" in text.lower() or "admissions" in text.lower()
        ) else ():
            g = "l" if m.group("l") else "f"
            self._add_place(text, m.start(g), m.group(g), 4, True, add)
        for m in _B7_REHAB_PAREN.finditer(text) if "(" in text else ():
            self._add_place(text, m.start("l"), m.group("l"), 4, True, add)
        for m in _B7_RECORDS.finditer(text) if rec in can else ():
            g = "a" if m.group("a") else "b"
            low = m.group(g).lower()
            if not known_word(low) and not self._words.get(low, 0) & FUNC and low not in _B5_NOT_TOWN:
                add(Span(m.start(g), m.end(g), "LOCATION", 0.6))
        for m in _B7_FROM_DATED.finditer(text) if dated in can else ():
            words_ = m.group("l").split()
            if len(words_) >= 2 or not self._safe(words_[0]):  # "from Sable Harbor on 8/11"; not "from home on"
                self._add_place(text, m.start("l"), m.group("l"), 3, len(words_) >= 2, add)
        for m in _B7_TOWN_CUE.finditer(text) if town in can else ():
            g = "l" if m.group("l") else "e"  # "by X" names a town only before EMS: "brought in by Dover EMS"
            self._add_place(text, m.start(g), m.group(g), 2, True, add)
        # eighth blind corpus: after any place, not only one ending in a facility word ("from Cobble Ridge in East
        # Quarry", "sister in Kettle Cove (Ciaran)")
        for sp in [s for s in out if s.type == "LOCATION"]:
            t = _B7_TOWN_AFTER_FAC.match(text, sp.end)
            if t is not None:
                self._add_place(text, t.start("l"), t.group("l"), 2, True, add)

    def _institution_and_transfer_places(self, text: str, can: object, out: list[Span]) -> None:
        """Tenth blind corpus: a house of worship or a long-term-care centre named before its head word (up to
        three name words: capitalised in a line with case, at most two otherwise) or by its lead words; the
        hospital in parentheses after ``OSH``; a place after ``tx``/``medflighted``/``flown``/``accepting MD at``;
        a town after an arrival or an origin (``arrive from``, ``retired teacher from``, ``pt from``)."""
        assert hasattr(can, "__contains__")
        head, lead, osh, moved, origin = _K_B10
        add = out.append
        for m in _B10_HEAD.finditer(text) if head in can else ():
            a = self._name_before_head(text, m.start("kw"))
            if a < m.start("kw"):
                add(Span(a, m.end("kw"), "LOCATION", 0.6))
        for m in _B10_LEAD.finditer(text) if lead in can else ():
            b = self._lead_name_end(text, m)
            if b > m.start("l"):
                add(Span(m.start("l"), b, "LOCATION", 0.6))
        for m in _B10_OSH.finditer(text) if osh in can else ():  # "OSH (CT HEAD)": in capitals a word on no list
            self._add_place(text, m.start("l"), m.group("l"), 4, _mixed_line(text, m.start("l")), add)
        for k, rx, most in ((moved, _B10_MOVED, 4), (origin, _B10_FROM, 2)):
            for m in rx.finditer(text) if k in can else ():  # a word on no list makes the place ("tx to IR" no)
                self._add_place(text, m.start("l"), m.group("l"), most, False, add)

    def _caller_and_police_towns(self, text: str, can: object, out: list[Span]) -> None:
        """Eleventh blind corpus: the town a caller or visitor is from, between ``from`` and the call (``son from
        North Attleford called``; not ``dtr from work called``), and a town before its police or fire department
        (``police from Chelmsford PD``): up to three (two) words, capitalised in a line with case or on no list."""
        assert hasattr(can, "__contains__")
        for k, rx, most in zip(_K_B11, (_B11_FROM_CALLER, _B11_POLICE), (3, 2), strict=True):
            for m in rx.finditer(text) if k in can else ():
                self._add_place(text, m.start("l"), m.group("l"), most, _mixed_line(text, m.start("l")), out.append)

    def _incident_places(self, text: str, can: object, out: list[Span]) -> None:
        """Twelfth blind corpus: the place an accident or event happened, after ``near``/``in``/``outside`` a few
        words after it (``s/p MVC near Quinsett``, ``SEIZURE IN EAST BRACKLEY``; not ``seizure in the ICU``,
        ``shot in Chest``): up to three words, one of them on no list."""
        assert hasattr(can, "__contains__")
        for m in _INCIDENT_PLACE.finditer(text) if _K_INCIDENT in can else ():
            self._add_place(text, m.start("l"), m.group("l"), 3, False, out.append)

    def _labelled_places(self, text: str, can: object, out: list[Span]) -> None:
        """A place after its label (``City: Worcester``, ``my home town is Kalispell``): the words ``_label_value``
        reads, in any case (the label is the cue); not a US state, country or generic word. A postal code after
        its label in any country's shape (``ZIP: 3520``, ``Postcode: SW1A 1AA``)."""
        assert hasattr(can, "__contains__")
        for m in _LABELLED_PLACE.finditer(text) if _K_LABELLED in can else ():
            b = _label_value(text, m.end())
            value = text[m.end() : b]
            low = value.lower().rstrip(".")
            if b <= m.end() + 1:
                continue
            if text[b : b + 1] == "/":
                continue  # "City: N/A", "Town: unk/unk": letters glued to a slash are an abbreviation
            generic = all(w in _PLACE_OR_GENERIC or w in _LABEL_VALUE_GENERIC for w in low.split())
            if value.rstrip(".").title() in US_STATES or generic:
                continue
            out.append(Span(m.end(), b, "LOCATION", 0.6))
        for m in _LABELLED_POSTCODE.finditer(text) if _K_POSTCODE in can else ():
            out.append(Span(m.start("z"), m.end("z"), "ZIP", 0.7))

    def _towns_of_doctors_relatives_and_zips(self, text: str, can: object, out: list[Span]) -> None:
        """Thirteenth blind corpus: the town after a primary care doctor (``PCP Dr. Rivkin of North Amesfield``),
        after a relative and a name (``husband Lourdes from Brockhaven``), or before a ZIP code after a place
        preposition (``from Glenmoor 02688``: the ZIP too); up to three words, capitalised in a line with case or
        on no list."""
        assert hasattr(can, "__contains__")
        pcp, zip_, rel, _ = _K_B13
        for k, rx in ((pcp, _B13_PCP_PLACE), (rel, _B13_REL_TOWN)):
            for m in rx.finditer(text) if k in can else ():
                ws = m.group("l").split()
                cut = next((i for i, w in enumerate(ws) if w.lower().rstrip(".,;:") in _B13_PLACE_STOP), len(ws))
                a = m.start("l")
                if cut:
                    self._add_place(text, a, " ".join(ws[:cut]), 3, _mixed_line(text, a), out.append)
        for m in _B13_TOWN_ZIP.finditer(text) if zip_ in can else ():
            a = m.start("l")
            b = self._b6_place(text, a, m.group("l"), 3, _mixed_line(text, a))
            # the place reaches the ZIP, but for generic words of its name ("Pellham Center 02146")
            if b > a and all(w.lower() in _PLACE_OR_GENERIC for w in text[b : m.end("l")].split()):
                out.append(Span(a, m.end("l"), "LOCATION", 0.55))
                out.append(Span(m.start("z"), m.end("z"), "ZIP", 0.6))

    def _hospital_abbreviations_before_ed(self, text: str, can: object, out: list[Span]) -> None:
        """Thirteenth blind corpus: an abbreviation on no list before an emergency department (``MVH ED``, ``qrmc
        ed->cath lab``): in capitals, or in any case in a line without case; not a generic or function word
        (``OSH ED``, ``TO ED``, ``PEDS ED``)."""
        assert hasattr(can, "__contains__")
        for m in _B13_ABBR_ED.finditer(text) if _K_B13[3] in can else ():
            a = m.group("a")
            low = a.lower()
            if low in _B13_NOT_ABBR or self._safe(a) or self._words.get(low, 0) & FUNC:
                continue
            if (a.isupper() and m.group()[-2:].isupper()) or not _mixed_line(text, m.start()):
                out.append(Span(m.start("a"), m.end("a"), "LOCATION", 0.5))

    def _lead_name_end(self, text: str, m: re.Match[str]) -> int:
        """The end of an institution named by its lead words (``Our Lady of the Harbor``, ``Temple Beth Orah``),
        or its start when no name word follows the lead: the words after it up to a function, stop or generic
        word, each on no list or (in a line with case) capitalised (after ``our lady of`` the first may be any
        word). Senior residences name themselves ``the Arbors at Millhaven``, ``the Residence at ...``."""
        lead = _B10_LEAD_WORDS.match(m.group("l"))
        assert lead is not None
        a = m.start("l") + lead.end()
        cased = _mixed_line(text, a)
        strong = lead.group()[:1] in "oO"  # "Our Lady of ..." names a parish, school or hospital whatever follows
        b = a
        for w in _SITE_TOK.finditer(text, a, m.end("l")):
            low = w.group().lower()
            if self._words.get(low, 0) & FUNC or low in _B6_STOP or low in _PLACE_OR_GENERIC:
                break
            if not (strong and b == a) and self._safe(low) and not (cased and w.group()[:1].isupper()):
                break  # a plain word ends the name ("the courtyard at noon", "... MILLHAVEN SENT TO")
            b = w.end()
        return b if b > a else m.start("l")

    def _name_before_head(self, text: str, end: int) -> int:
        """The start of the name words right before offset ``end`` (an institution's head word), or ``end``: up
        to three words, capitalised in a line with case (two words at most in a line without), none a function,
        stop or generic place word."""
        cased = _mixed_line(text, end)
        most = 3 if cased else 2
        a = end
        for _ in range(most):
            m = _NAME_BEFORE_WORD.search(text, max(0, a - 32), a)
            if m is None:
                break
            w = m.group("w")
            low = w.lower().strip(".'’")
            if self._func(low) or low in _B10_NAME_STOP or low in _PLACE_OR_GENERIC or low in _B6_STOP:
                break
            if cased and not w[:1].isupper():
                break
            a = m.start("w")
        return a

    def _add_place(self, text: str, a: int, words_: str, most: int, cased: bool, add: object) -> None:
        """Adds the place ``_b6_place`` reads at ``a`` (if any)."""
        assert callable(add)
        b = self._b6_place(text, a, words_, most, cased)
        if b > a:
            add(Span(a, b, "LOCATION", 0.55))

    def _b6_place(self, text: str, a: int, words_: str, most: int, cased: bool = True) -> int:
        """The end of the place whose words start ``words_`` at ``a`` (``a`` when there is none): up to ``most``
        words, capitalised or on no list, ending at a stop word or punctuation; a word on no list makes a place,
        and (``cased``) so do capitalised words (never a state, month, generic or department word)."""
        keep: list[str] = []
        for t in words_.split()[:most]:
            core = t.rstrip(".,;:/")
            low = core.lower()
            if not core or low in _B6_STOP or self._func(low) or low in _MONTHS or low in _TIME_AFTER:
                break
            if not core[:1].isupper() and self._safe(core):
                break  # a plain lower-case word ends the name (the line's case is not read: later text may change it)
            keep.append(core)
            if core != t:
                break
        while keep and keep[-1].lower() in _NOT_A_PLACE | _GENERIC_FAC and len(keep) > 1:
            keep.pop()
        lows = [w.lower() for w in keep]
        if not keep or all(w in _NOT_A_PLACE or w in _GENERIC_FAC for w in lows) or self._department(keep):
            return a
        if " ".join(keep).title() in US_STATES or any(w.title() in US_STATES for w in keep):
            return a
        if not (any(not self._safe(w) for w in keep) or cased):
            return a
        b = a + len(keep[0])
        for w in keep[1:]:
            b = text.index(w, b) + len(w)
        return b

    def _has_site_phrases(self) -> bool:
        lists = self._site.current() if self._site is not None else EMPTY
        return any(lists.of(kind) for kind in ("facilities", "units", "streets"))

    def _func(self, low: str) -> bool:
        """A function word that no street name holds (``of`` and ``the`` may: Avenue of the Americas)."""
        return bool(self._words.get(low, 0) & FUNC) and low not in ("of", "the")

    # ---- any-case rules
    def _safe(self, word: str) -> bool:
        """A known non-PHI word (safe list, function word) or a clinical unit."""
        low = word.lower().strip(".")
        return low in _NOT_STREET_WORDS or known_word(low)

    def _department(self, ws: list[str]) -> bool:
        """Known words ending in a department's head word (``interventional radiology``, ``EP lab``, ``blood
        bank``): a part of the hospital, no facility's name (``Lahey lab`` holds an unknown word: a place)."""
        return ws[-1].lower().strip(".,") in _DEPARTMENT_HEADS and all(self._safe(w) for w in ws)

    @staticmethod
    def _generic(ws: list[str]) -> bool:
        """Words that each name a kind of place or care (``Outside``, ``Rehab``, ``Floor 7``), none a word that
        facility names are made of (``City Hospital``, ``General``, ``Women's``: named facilities)."""
        lows = [w.lower().strip(".,;:") for w in ws]
        return bool(ws) and all(w in _PLACE_OR_GENERIC and w not in _FACILITY_NAME_WORDS for w in lows)

    def _abbreviation_run(self, text: str, start: int, ws: list[str]) -> bool:
        """Capitalised words after at/in/from/to in a line with lower case that are all known words, one of them
        an ALL-CAPS abbreviation (``prior to ABG UCx VF``, ``from Previous CATH site``): clinical shorthand."""
        if not _mixed_line(text, start) or not all(self._safe(w) for w in ws):
            return False
        return any(w.isupper() and 2 <= len(w) <= 5 and w not in STATE_ABBR for w in ws)  # "Port China DC"

    def _city_like(self, words: list[str], zip_follows: bool) -> bool:
        """``K, CA`` (potassium, calcium) is no place: a city is in the lexicon, or is followed by a ZIP, or is
        capitalised words of 3+ letters that are not known words or abbreviations."""
        cand = " ".join(words).lower().rstrip(".,")
        if cand in self._cities_low:
            return True
        if any(c.isdigit() for c in cand):
            return False  # twelfth blind corpus: "CABGx3, CT to -20": a procedure count, no town, before a state
        if zip_follows:
            return any(len(w) >= 3 for w in words)
        return all(
            (len(w) >= 3 and not w.isupper() or len(w) >= 4) and w[:1].isupper() and not self._safe(w) for w in words
        )  # SIEGERSVILLE, OR: an unknown word of 4+ capitals is a town too

    def _any_case(self, text: str, can: object, add: object) -> None:
        assert callable(add) and hasattr(can, "__contains__")
        tw = ascii_twin if ascii_safe(text) else _same  # speed: re.ASCII twins of the any-case regexes
        if 9 in can:  # type: ignore[operator]
            for m in tw(_STREET_ANY).finditer(text):
                name = m.group("name").split()
                if any(w.lower().strip(".") in _NOT_STREET_WORDS or self._func(w.lower()) for w in name):
                    continue
                if any(w.endswith(".") and len(w) > 4 and self._safe(w) for w in name):
                    continue  # "2 doses. morse fall score": a sentence ends inside the would-be street name
                sfx = m.group("sfx").lower()
                strong = sfx in _STRONG_SFX
                caps = all(w[:1].isupper() and not w.isupper() for w in name)
                unknown = any(not self._safe(w) for w in name)
                if not (strong or caps or unknown or m.group("unit") or m.group("tail")):
                    continue
                if sfx in ("st", "ct", "dr", "pt", "is", "un", "pr", "via", "est", "ext", "cp") and not (
                    caps
                    or m.group("unit")
                    or m.group("tail")
                    or text[m.end("sfx") : m.end("sfx") + 1] in ".,"
                    or m.end("sfx") == len(text)
                    or text[m.end("sfx")] == "\n"
                ):
                    continue  # "2 mm ST elevation", "head CT", "per PT"
                add(Span(m.start(), self._address_end(text, m.end(), sfx), "ADDRESS", 0.8))
        for m in tw(_STREET_PREFIXED).finditer(text) if 16 in can else ():  # type: ignore[operator]
            end = self._address_end(text, m.end(), "")
            if end == m.end():  # no unit, city or state follows: the words must read as a street's
                a = text.rfind("\n", 0, m.start()) + 1
                b = text.find("\n", m.end())
                line = text[a : b if b >= 0 else len(text)]
                mixed = mixed_case(line)
                name = m.group("name")
                words_ = name.split() if name is not None else text[m.start() : m.end()].split()[1:2]
                if any(self._func(w.lower()) for w in words_) or not any(
                    (mixed and w[:1].isupper() and not w.isupper()) or (name is not None and not self._safe(w))
                    for w in words_
                ):
                    continue  # "given 2 via ng tube", "2 via PEG", "dose 400 route 2": a route of administration
            add(Span(m.start(), end, "ADDRESS", 0.75))
        for m in tw(_MILITARY).finditer(text) if 15 in can else ():  # type: ignore[operator]
            add(Span(m.start(), self._address_end(text, m.end(), ""), "ADDRESS", 0.75))
        if 10 in can:  # type: ignore[operator]
            for m in tw(_STATE_AFTER).finditer(text):
                sg = "s" if m.group("s") else "sl" if m.group("sl") else "sx"
                st = m.group(sg)
                if st is None or len(st) == 2 and st.upper() not in STATE_ABBR:
                    continue  # speed: decided by the state alone (BP, HR, IV), before the city is looked for
                zg = "z" if sg == "s" else "zl"
                cm = _CITY_BEFORE.search(text, max(0, m.start() - 80), m.start())
                if cm is None or st is None:
                    continue
                words = cm.group("c").split()
                lows = [w.lower() for w in words]
                # the longest tail of the words that is a known city ("EL MONTE"), else drop leading known words
                tail = next((k for k in range(len(words)) if " ".join(lows[k:]) in self._cities_low), None)
                popped = ""
                if tail is not None:
                    words = words[tail:]
                while tail is None and words and self._safe(words[0]):
                    popped = words.pop(0)
                if not words:
                    continue
                if popped.lower() in _CITY_PREFIX and not any(self._safe(w) for w in words):
                    words.insert(0, popped)  # "Lake Jamesside, MN": a prefix word of an unknown town
                zip_ = bool(zg and m.group(zg))
                if len(st) == 2 and st.upper() not in STATE_ABBR:
                    continue
                end = cm.end("c")
                start = end - len(" ".join(words))
                if text[start:end].split() != words:
                    continue
                if tail is None and not self._town_like(words, zip_, bool(_CITY_CUE.search(text, 0, start))):
                    continue
                # the place whole: city through state, then the ZIP with the space before it
                add(Span(start, m.end(sg), "LOCATION", 0.6))
                if zip_:
                    add(Span(m.end(sg), m.end(zg), "ZIP", 0.7))
        if 11 in can:  # type: ignore[operator]
            for m in tw(_WARD_CUE).finditer(text):
                w = m.group("w")
                if self._safe(w) or self._words.get(w.lower(), 0) & (SAFE | FUNC):
                    continue
                if m.group("n"):  # "Ellison 8": a name and a number
                    add(Span(m.start("w"), m.end("n"), "LOCATION", 0.6))
                elif (
                    w.isupper()
                    and 3 <= len(w) <= 6
                    or (not any(c.isupper() for c in text[m.start() : m.end()]) and 3 <= len(w) <= 6)
                ):
                    add(Span(m.start("w"), m.end("w"), "LOCATION", 0.55))  # "from MGH", "from ephch"
        for m in tw(_LIVES_IN).finditer(text) if 14 in can else ():
            ws = m.group("l").split()
            for k in range(len(ws), 0, -1):
                cand = " ".join(ws[:k]).rstrip(".,")
                if cand.lower() in self._cities_low:
                    add(Span(m.start("l"), m.start("l") + len(cand), "LOCATION", 0.6))
                    break
        for m in tw(_FROM_ABBR).finditer(text) if 13 in can else ():  # "to Ellison 8 from MGH": an unknown abbreviation
            w = m.group("w")
            if not self._safe(w) and any(c.islower() for c in text[max(0, m.start() - 40) : m.start()]):
                add(Span(m.start("w"), m.end("w"), "LOCATION", 0.5))
        if 12 in can:  # type: ignore[operator]
            for m in tw(_FAC_ANY).finditer(text):
                words = m.group("name").split()
                # the name is the words after the last function word ("seen at [Mercy General] Hospital")
                for i in range(len(words) - 1, -1, -1):
                    sentence_end = words[i].endswith(".") and words[i].lower() not in ("st.", "mt.", "ste.")
                    low = words[i].lower().strip(".,")
                    if self._words.get(low, 0) & FUNC or low in _BEFORE_A_PLACE or words[i].endswith((",", ";", ":")):
                        words = words[i + 1 :]
                        break
                    if sentence_end and i < len(words) - 1:
                        words = words[i + 1 :]
                        break
                while words and (self._safe(words[0]) or words[0].lower() in _GENERIC_FAC):
                    if words[0].lower() in ("st", "st.", "saint", "mount", "mt", "mt."):
                        break
                    words.pop(0)
                if not words:
                    continue
                saint = len(words) > 1 and words[0].lower() in ("st.", "saint", "mt.", "mount")
                if not saint and all(w.lower().strip(".") in _GENERIC_FAC or self._safe(w) for w in words):
                    continue  # "St. Cherry Health Center": a saint's name makes a facility name
                mixed = mixed_case(text[m.start() : m.end()])
                if mixed and not all(w[:1].isupper() for w in words):
                    continue  # in a line with case, a facility's name is capitalised
                name = " ".join(words)
                start = m.start("kw") - 1 - len(name)
                while start > m.start("name") and text[start : m.start("kw")].split() != words:
                    start -= 1
                add(Span(start, m.end("kw"), "LOCATION", 0.65))

    def _nursing_places(self, text: str, can: object, add: object) -> None:
        """Towns after a residence cue, hospital abbreviations in a place position, named facilities and named
        units, in any case; generic words (``rehab``, ``room 4``, ``Heart Clinic``) are no place."""
        assert callable(add) and hasattr(can, "__contains__")
        if can.isdisjoint(_NURSING_RULES):  # type: ignore[attr-defined]  # speed: one set test in C
            return

        def run(k: int, rx: re.Pattern[str]) -> Iterable[re.Match[str]]:
            return _run_if(can, k, rx, text)

        def mixed(a: int) -> bool:
            return _mixed_line(text, a)

        def placeish(w: str, cased: bool) -> bool:
            """A word that can be (part of) a place's name here: unknown, or capitalised in a cased line."""
            low = w.lower().strip(".'’")
            if low in _NOT_A_PLACE or self._func(low) or len(low) < 2:
                return False
            if not self._safe(w):
                return True
            return cased and w[:1].isupper() and not w.isupper()

        for m in run(17, _HOME_CUE):
            ws = m.group("l").split()
            cased = mixed(m.start("l"))
            if not placeish(ws[0], cased) or ws[0].isupper() and cased and len(ws[0]) <= 3:
                continue  # "lives in NH": an abbreviation in a line with case; "in DRACUT" is a town
            keep = ws[:1]
            if len(ws) > 1 and (placeish(ws[1], cased) or ws[1].lower() in _TOWN_PART):
                keep = ws
            cand = " ".join(keep).rstrip(".,")
            add(Span(m.start("l"), m.start("l") + len(cand), "LOCATION", 0.6))
        for m in run(18, _ABBR_AT):
            w = m.group("w")
            low = w.lower()
            if self._func(low) or low in _NOT_A_PLACE or low in _GENERIC_FAC:
                continue  # "intubated at OSH": an outside hospital, no name
            hospital_shape = low.endswith(("h", "mc", "hc")) and len(low) >= 3
            if text[m.start() : m.start() + 5].lower() == "after" and not m.group("ed"):
                continue  # "after SOH ED eval": after a plain "after" only with a hospital department
            if not (hospital_shape or (m.group("ed") and w.isupper() and len(w) >= 3)):
                continue
            if low in _WORDY_ABBR_OK or (len(low) > 3 and known_word(low)):
                continue  # a word, not an abbreviation: "to high flow", "at bath"
            add(Span(m.start("w"), m.end("w"), "LOCATION", 0.55))
        for km in run(19, _FAC_KW):
            nm = _NAME_BEFORE.search(text, max(0, km.start() - 84), km.start())
            if nm is None:
                continue
            ws = nm.group("name").split()
            saints = [i for i, w in enumerate(ws) if w.lower().rstrip(".") in _SAINT_WORDS]
            if saints:
                ws = ws[saints[-1] :]  # "to st elsewhere hospital": the saint's name may hold any word
            else:  # the name is the words after the last function word, clause mark or sentence end
                for i in range(len(ws) - 1, -1, -1):
                    low = ws[i].lower().strip(".,;:")
                    func = self._words.get(low, 0) & FUNC
                    if ws[i].endswith((",", ";", ":", ".")) or func or low in _BEFORE_A_PLACE:
                        ws = ws[i + 1 :]
                        break
            saint = bool(saints)
            while ws and not saint and ws[0].lower().strip(".'’") in _PLACE_OR_GENERIC:
                ws.pop(0)
            if not ws:
                continue
            cased = mixed(nm.start("name"))
            kw = km.group("kw").lower()
            # a word on no list as written (an inflected-looking "Halvering" counts: names look like words)
            unlisted = any(not self._safe(w) for w in ws)
            strong_kw = kw not in ("house", "dialysis", "institute", "clinic", "general", "regional", "terrace")
            if cased and not saint and not all(w[:1].isupper() for w in ws) and not (unlisted and strong_kw):
                continue  # in a line with case a facility's name is capitalised ("need rehab", "the clinic")
            if cased and not saint and not all(w[:1].isupper() for w in ws):
                # "the patient halvering Hospital", "Willes saw Halvering Hospital": in a line with case the name
                # is the run of capitalised or unlisted words before the facility word
                i = len(ws)
                while i > 0 and (ws[i - 1][:1].isupper() or not self._safe(ws[i - 1])):
                    i -= 1
                ws = ws[i:]
                if not ws:
                    continue
            named = saint or unlisted or any(not self._safe(w) for w in ws)
            if not named and cased:
                named = all(w.lower().strip(".'’") not in _NOT_A_PLACE for w in ws)
            if not named and (len(ws) >= 2 or kw in _NAMED_ONLY_KW):
                # no case: two name words, none generic ("CEDAR HOLLOW REHAB"), or one before a word that only
                # names ("BELLWETHER MANOR")
                named = all(w.lower().strip(".'’") not in _NOT_A_PLACE for w in ws)
            strong_name = saint or unlisted
            if not strong_kw and not strong_name and (kw == "house" or not cased and len(ws) < 2):
                continue  # "Fennimore House", "Alder Dialysis" yes; "half way house", "PAIN CLINIC" no
            if not named:
                continue
            name = " ".join(ws)
            start = km.start("kw") - 1 - len(name)
            while start > nm.start("name") and text[start : km.start("kw")].split() != ws:
                start -= 1
            if cased and not strong_name and _sentence_word_before_generic(text, start, ws, km.group("kw")):
                continue
            add(Span(start, km.end("kw"), "LOCATION", 0.65))
        for m in run(20, _SAINT_AT):
            if not self._words.get(m.group("s").split()[-1].lower(), 0) & FUNC:
                add(Span(m.start("s"), m.end("s"), "LOCATION", 0.55))
        for m in run(21, _UNIT_AT):
            w = m.group("w")
            low = w.lower()
            if low in _NOT_A_PLACE or low in _GENERIC_FAC or self._func(low) or self._words.get(low, 0) & FUNC:
                continue
            if self._safe(w) and not (w[:1].isupper() or not mixed(m.start("w"))):
                continue  # "to bed 4", "on day 3" (generic) ... and "from rounds 2" in lower case
            if self._safe(w) and not mixed(m.start("w")) and not self._words.get(low, 0) & _NAMEISH_BITS:
                continue  # no case: a known word that is no surname is no ward's name ("ON LASIX 40")
            if m.group()[:2].lower() == "on" and (
                low in _MONTHS or self._safe(w) and not self._words.get(low, 0) & _NAMEISH_BITS
            ):
                continue  # after "on": a date ("on March 3"), a drug or setting ("on Lasix 20"); a surname, a ward
            add(Span(m.start("w"), m.end("n"), "LOCATION", 0.55))

    def _report_places(self, text: str, can: object, add: object) -> None:
        """Places as discharge summaries, letters, reports and social work notes write them, in any case: a town
        later in a residence clause or in parentheses, ``City, ST 12345``, employers and schools, facilities named
        by clinic and school words, wards and facilities after a label, ward codes (``CC7``), pharmacy branches."""
        assert callable(add) and hasattr(can, "__contains__")
        if can.isdisjoint(_REPORT_RULES):  # type: ignore[attr-defined]
            return

        def run(k: int, rx: re.Pattern[str]) -> Iterable[re.Match[str]]:
            return _run_if(can, k, rx, text)

        def cased(a: int) -> bool:
            return _mixed_line(text, a)

        def town_word(w: str, mixed: bool) -> bool:
            """Unknown, a city of the lexicon, or capitalised in a line with case; no generic or function word."""
            low = w.lower().strip(".'")
            if low in _NOT_A_PLACE or low in _GENERIC_FAC or self._func(low) or len(low) < 3 or low in _MONTHS:
                return False
            if low in _FREQUENCY_WORDS:
                return False  # "CHECKS IN DAILY": how often, not where (Daily is also a city of the lexicon)
            if low in self._cities_low or not self._safe(w):
                return True
            return mixed and w[:1].isupper() and not w.isupper()

        def name_words(ws: list[str], mixed: bool) -> list[str]:
            """The leading words that can name an employer, school or facility (up to a function word)."""
            out: list[str] = []
            for w in ws:
                low = w.lower().strip(".,'")
                if self._func(low) and low not in ("the", "&") or not w[:1].isalpha() and w != "&":
                    break
                if mixed and w[:1].islower() and low not in ("the", "&"):
                    break
                out.append(w)
            while out and out[-1].lower() in ("the", "&", "and"):
                out.pop()
            return out

        for m in run(22, _TOWN_IN_CLAUSE):
            ws = m.group("l").split()
            mixed = cased(m.start("l"))
            both = " ".join(ws).lower()
            if both in self._cities_low:  # "IN FALL RIVER": a city of the lexicon made of words
                add(Span(m.start("l"), m.end("l"), "LOCATION", 0.6))
                continue
            if not town_word(ws[0], mixed) or ws[0].isupper() and mixed and len(ws[0]) <= 3:
                continue
            if _abbreviation_plural(ws[0].rstrip(".,;:")):
                continue  # "independent in ADLs": an abbreviation's plural
            keep = ws if len(ws) > 1 and (both in self._cities_low or town_word(ws[1], mixed)) else ws[:1]
            cand = " ".join(keep).rstrip(".,")
            add(Span(m.start("l"), m.start("l") + len(cand), "LOCATION", 0.6))
        for m in run(23, _PAREN_TOWN):
            ws = m.group("l").split()
            before = text[max(0, m.start() - 48) : m.start()].lower()
            low = m.group("l").lower()
            if low in self._cities_low or (
                all(not self._safe(w) and not self._words.get(w.lower(), 0) & _NAMEISH_BITS for w in ws)
                and _PAREN_TOWN_CUE.search(before)
            ):
                add(Span(m.start("l"), m.end("l"), "LOCATION", 0.55))
        for zm in run(24, _CITY_ST_ZIP):
            if zm.group("s").upper() not in STATE_ABBR:
                continue
            cm = _CITY_AFTER_COMMA.search(text, max(0, zm.start() - 80), zm.start())
            if cm is None:
                continue
            ws = cm.group("c").split()
            mixed = cased(cm.start("c"))
            # a town's words as the stream's open point holds them: capitalised (in a line with case: each word),
            # a city-lexicon word or an unknown word; no function, unit or generic word
            if any(
                self._func(w.lower())
                or w.lower() in _NOT_STREET_WORDS
                or w.lower() in _NOT_A_PLACE
                or (mixed and not w[:1].isupper())
                or not (any(c.isupper() for c in w) or w.lower() in self._city_words or not known_word(w.lower()))
                for w in ws
            ):
                continue
            add(Span(cm.start("c"), zm.end("s"), "LOCATION", 0.6))
            add(Span(zm.end("s"), zm.end("z"), "ZIP", 0.7))
        for m in run(25, _WORKS_AT):
            mixed = cased(m.start("l"))
            ws = name_words(m.group("l").split(), mixed)
            core = [w for w in ws if w.lower() not in ("the", "&")]
            generic = _PLACE_OR_GENERIC
            if not core or core[0].lower().strip(".") in generic or all(w.lower().strip(".") in generic for w in core):
                continue
            if mixed and not all(w[:1].isupper() for w in core):
                continue
            if not mixed and all(self._safe(w) for w in core) and len(core) < 2:
                continue  # "WORKS AT NIGHT", "works for hospice": one known word in a line without case
            a = m.start("l")
            if len(ws) > 1 and ws[0].lower() == "the":  # "at the Chicopee mill": the article is no part of the name
                a = text.index(ws[1], a + 3)
                ws = ws[1:]
            cand = " ".join(ws)
            if text[a : a + len(cand)].split() == ws:
                add(Span(a, a + len(cand), "LOCATION", 0.55))
        for km in run(26, _FAC_MORE_KW):
            nm = _NAME_BEFORE.search(text, max(0, km.start() - 84), km.start())
            if nm is None:
                continue
            ws = nm.group("name").split()
            for i in range(len(ws) - 1, -1, -1):
                low = ws[i].lower().strip(".,;:")
                if ws[i].endswith((",", ";", ":", ".")) or self._func(low) or low in _BEFORE_A_PLACE:
                    ws = ws[i + 1 :]
                    break
            mixed = cased(km.start())
            if mixed:
                i = len(ws)
                while i > 0 and ws[i - 1][:1].isupper():
                    i -= 1
                ws = ws[i:]
                if not km.group("kw")[:1].isupper():
                    continue  # "community health", "mental health": a kind of care in a line with case
            if not ws or all(w.lower().strip(".'") in _GENERIC_NAMED for w in ws):
                continue
            if any(w.lower().strip(".'") in _GENERIC_KW_NAME for w in ws[-1:]) and len(ws) < 2:
                continue
            shouted = not mixed or ws[0].isupper()
            if shouted and len(ws) < 2 and self._safe(ws[0]) and _PRACTICE_KW_RX.match(km.group("kw")):
                continue  # "CONTINUE PRIMARY CARE": one known word in capitals before a kind of practice
            name = " ".join(ws)
            start = km.start("kw") - 1 - len(name)
            while start > nm.start("name") and text[start : km.start("kw")].split() != ws:
                start -= 1
            add(Span(start, km.end("kw"), "LOCATION", 0.6))
        for m in run(27, _PLACE_LABEL):
            w = m.group("w")
            first = w.split()[0].lower()
            if first in _NOT_A_PLACE or first in _GENERIC_FAC or self._func(first):
                continue  # "Location: left arm", "Unit: Bed 4": a kind of place
            abbr = w.isupper() and len(w) <= 5 and cased(m.start("w"))
            if not any(c.isdigit() for c in w) and self._safe(first) and not abbr:
                continue  # "Location: left arm": a known word without a number
            add(Span(m.start("w"), m.end("w"), "LOCATION", 0.55))
        for m in run(28, _WARD_CODE):
            w = m.group("w")
            letters = w.rstrip("0123456789")
            if letters.lower() in _NOT_WARD_CODE or (cased(m.start("w")) and not letters.isupper()):
                continue
            add(Span(m.start("w"), m.end("w"), "LOCATION", 0.5))
        for m in run(29, _PHARMACY_BRANCH):
            add(Span(m.start(), m.end(), "LOCATION", 0.55))
        for m in run(30, _TRANSFER_FROM):  # the same in any line case (a later capital must not undo it)
            ws = []
            for w in m.group("l").split():
                low = w.lower()
                if low == "of" and ws:
                    ws.append(w)
                    continue
                if self._func(low) or low in _GENERIC_FAC or low in _MONTHS or not ws and low in _NOT_A_PLACE:
                    break
                if ws and low in _TIME_AFTER:
                    break
                ws.append(w)
            while ws and ws[-1].lower() == "of":
                ws.pop()
            if not ws or len(ws) < 2 and self._safe(ws[0]) or self._department(ws):
                continue  # "transferred from floor", "TRANSFER FROM STEPDOWN": one known word
            cand = " ".join(ws)
            a = m.start("l")
            if text[a : a + len(cand)].split() == ws:
                add(Span(a, a + len(cand), "LOCATION", 0.55))

    def _postal_addresses(self, text: str, can: object, add: object) -> None:
        """Street addresses the any-case rule leaves (a weak suffix in ALL CAPS or lower case, a fraction or letter
        in the house number, a spelled-out directional, a bare unit designator), PO boxes, rural routes and
        highway contracts, each with its unit, city, state and ZIP; and a city after ``in`` right after one."""
        assert callable(add) and hasattr(can, "__contains__")
        if _K_B4_STREET in can:
            tw = ascii_twin if ascii_safe(text) else _same  # speed: the re.ASCII twin on ASCII text
            for m in tw(_B4_STREET).finditer(text):
                name = m.group("name").split()
                if any(
                    w.lower().strip(".") in _NOT_STREET_WORDS or self._func(w.lower()) and w.lower() not in _ORDINALS
                    for w in name
                ):
                    continue  # "2 mm st", "5 min walk", "3 of the ..."
                end = m.end()
                while _C2_UNIT.match(text, end) is None and (nx := _B4_NEXT_SFX.match(text, end)) is not None:
                    end = nx.end()  # "blue hill bnd": the last suffix ("fld key 25c": a unit)
                sfx = text[m.start("sfx") : end].split()[-1].lower().strip(".")
                if (d := _B4_POST_DIR.match(text, end)) is not None:
                    end = d.end()
                units = 0
                while units < 3 and (u := _C2_UNIT.match(text, end)) is not None:
                    end, units = u.end(), units + 1
                full = self._address_end(text, end, sfx)
                if text[end:full].strip(" ,\t").lower() == "in":
                    full = end  # "... Apt 4 in Biloxi": the locative, not Indiana
                city = full > end
                cue = _B4_ADDR_CUE.search(text, max(0, m.start() - 24), m.start())
                strong_cue = cue is not None and cue.group().strip().lower() not in ("to", "at", "from")
                abbr = sfx not in self._words and sfx not in AMBIGUOUS_SUFFIXES  # "Blf", "Cswy": no word
                if not (units or city or strong_cue or (cue is not None and (abbr or m.group("dir")))):
                    continue
                if sfx in AMBIGUOUS_SUFFIXES and not (units or city or strong_cue):
                    continue
                add(Span(m.start(), full, "ADDRESS", 0.75))
                self._city_in(text, full, add)
        for m in _STREET_PREFIXED.finditer(text) if _K_PREFIXED in can else ():
            cue = _B4_ADDR_CUE.search(text, max(0, m.start() - 24), m.start())
            if cue is not None and m.group("pre") is None:  # "moved to 7876 FM 365", "address is 12 state route 9"
                full = self._address_end(text, m.end(), "")
                if text[m.end() : full].strip(" ,\t").lower() == "in":
                    full = m.end()
                add(Span(m.start(), full, "ADDRESS", 0.7))
                self._city_in(text, full, add)
        if _K_B4_BOX in can:
            for m in _B4_BOX.finditer(text):
                end = m.end()
                while (u := _C2_UNIT.match(text, end)) is not None and end - m.end() < 20:
                    end = u.end()
                full = self._address_end(text, end, "")
                if text[end:full].strip(" ,\t").lower() == "in":
                    full = end
                add(Span(m.start(), full, "ADDRESS", 0.75))
                self._city_in(text, full, add)
        if _K_B4_CITY_ST in can:
            for m in _B4_CITY_ST.finditer(text):  # "moved from minot, nd to ...": a lexicon city and its state
                if m.group("s").upper() in STATE_ABBR and m.group("c").lower() in self._cities_low:
                    add(Span(m.start("c"), m.end("s"), "LOCATION", 0.6))

    def _cued_facilities(self, text: str, can: object, add: object) -> None:
        """Facilities after an accept, discharge, admission, transfer or procedure cue (the words up to a word
        that ends the name: ``in``, ``on``, ``when``, ``tomorrow``, punctuation), unless every word is generic
        (``d/c to home``, ``transferred to rehab``, ``admitted from the ED``); the town after ``in`` when it ends
        the clause; and a town no list holds after ``in``/``from`` at a clause end (``from palmer with sob``)."""
        assert callable(add) and hasattr(can, "__contains__")
        if _K_B4_FAC in can:
            for m in _B4_FAC_CUE.finditer(text):
                toks = list(_NON_BLANK.finditer(m.group("l")))
                keep: list[re.Match[str]] = []
                for t in toks:
                    w = t.group()
                    core = w.rstrip(".,;:")
                    if core.lower() in _B4_FAC_STOP or self._func(core.lower()) or core.lower() in _MONTHS:
                        break
                    if keep and core.lower() in _TIME_AFTER:
                        break
                    keep.append(t)
                    if core != w:
                        break  # punctuation ends the name
                if not keep:
                    continue
                ws = [t.group().rstrip(".,;:") for t in keep]
                lows = [w.lower() for w in ws]
                if all(w in _NOT_A_PLACE or w in _GENERIC_FAC for w in lows) or self._department(ws):
                    continue
                unknown = any(not self._safe(w) for w in ws)
                named = len(ws) == 1 and bool(self._words.get(lows[0], 0) & _NAMEISH_BITS)
                several = len(ws) >= 2 and not (lows[0] in _NOT_A_PLACE or lows[0] in _GENERIC_FAC)
                if not (unknown or named or several):
                    continue
                a = m.start("l") + keep[0].start()
                b = m.start("l") + keep[-1].start() + len(ws[-1])
                add(Span(a, b, "LOCATION", 0.6))
                self._city_in(text, b, add)
        if _K_B4_TOWN in can:
            for m in _B4_TOWN_AT.finditer(text):
                ws = m.group("t").split()
                lows = [w.lower() for w in ws]
                if any(self._func(w) or w in _NOT_A_PLACE for w in lows) or any(map(_abbreviation_plural, ws)):
                    continue
                # a cue before (residence, PCP, admission), a town written as a name, or "from X with" (a chief
                # complaint follows); an unknown word alone is a clinical word the safe list lacks ("in formalin")
                cue = _B4_TOWN_CLAUSE.search(text, max(0, m.start() - 40), m.start())
                written = all(w[:1].isupper() and not w.isupper() for w in ws) and _mixed_line(text, m.start("t"))
                complaint = m.group()[:4].lower() == "from" and text[m.end() : m.end() + 6].strip().lower() == "with"
                unknown = all(not self._safe(w) for w in ws) or (
                    len(ws) == 2 and lows[0] in _CITY_PREFIX_FALL and not self._safe(ws[1])
                )
                lexical = all(self._words.get(w, 0) & _NAMEISH_BITS or w in self._cities_low for w in lows)
                if unknown and (cue or written or complaint) or cue and lexical:
                    add(Span(m.start("t"), m.end("t"), "LOCATION", 0.55))

    def _city_in(self, text: str, end: int, add: object) -> None:
        """``... Apt 4 in Kahului.``: the town an address is in, when it ends the clause."""
        assert callable(add)
        if (c := _B4_CITY_IN.match(text, end)) is None:
            return
        words = c.group("c").split()
        if c.group("c").lower() in self._cities_low or all(
            not self._func(w.lower()) and w.lower() not in ("the", "a", "an") and w.lower() not in _NOT_STREET_WORDS
            for w in words
        ):  # the clause ends with the words: a town (any word: Liberty, Commerce, Normal)
            add(Span(c.start("c"), c.end("c"), "LOCATION", 0.6))

    def _town_like(self, words: list[str], zip_: bool, cue: bool) -> bool:
        """Words no lexicon holds as a city, before a state: a town when a ZIP follows or a locative cue comes
        before, and they hold an unknown word (not a known word, 3+ letters) and otherwise only a prefix
        (Lake, North) or a town word (Falls, Junction)."""
        if not (zip_ or cue):
            return False
        unknown = [w for w in words if not self._safe(w) and len(w) >= 3]
        rest = all(
            w in unknown or w.lower() in _CITY_PREFIX or w.lower().strip(".") in _TOWN_WORDS for w in words
        )
        if not (unknown and rest):
            return False
        return zip_ or all(len(w) >= 4 for w in unknown)  # "in bp, ok": two or three letters are abbreviations

    def _address_end(self, text: str, end: int, sfx: str) -> int:
        """The end of the street address that ends at ``end`` with everything that belongs to it: a
        post-directional, more units, then city, state and ZIP (also on the next line)."""
        if sfx in ("trlr", "trailer", "lot", "spc") and (m := _UNIT_NUMBER.match(text, end)):
            end = m.end()
        if m := _POST_DIR.match(text, end):
            end = m.end()
        for _ in range(2):
            if not (m := _MORE_UNIT.match(text, end)):
                break
            end = m.end()
        if m := _APO_LINE.match(text, end):
            return m.end()
        if _ENDS_IN_ZIP.search(text, max(0, end - 11), end):
            return end  # city, state and ZIP read already: what follows is the sentence ("..., CO 93420 was seen")
        if (m := _CITY_STATE_ZIP.match(text, end)) is not None:
            st = m.group("s")
            if len(st) != 2 or st.upper() in STATE_ABBR:
                end = m.end()
        return end

    def _site_phrases(self, text: str, add: object) -> None:
        """The operator's facilities, units and streets, whole, in any case."""
        assert callable(add)
        lists = self._site.current() if self._site is not None else EMPTY
        if lists.version != self._site_version:
            phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
            for kind, type_ in (("facilities", "LOCATION"), ("units", "LOCATION"), ("streets", "ADDRESS")):
                for ph in lists.of(kind):
                    phrases.setdefault(ph[0], []).append((ph, type_))
            for v in phrases.values():
                v.sort(key=lambda x: -len(x[0]))
            self._phrases = phrases
            self._site_version = lists.version
        if not self._phrases:
            return
        toks = [(m.start(), m.end(), m.group().lower().replace("’", "'")) for m in _SITE_TOK.finditer(text)]
        for i, (a, _b, w) in enumerate(toks):
            for ph, type_ in self._phrases.get(w, ()):
                k = len(ph)
                if i + k <= len(toks) and all(toks[i + j][2] == ph[j] for j in range(k)):  # noqa: SIM102
                    if all(toks[i + j][0] - toks[i + j - 1][1] <= 3 for j in range(1, k)):
                        add(Span(a, toks[i + k - 1][1], type_, 0.75))
                        break

    def _strip_lead(self, text: str, start: int, end: int) -> tuple[int, int]:
        while True:
            sp = text.find(" ", start, end)
            if sp < 0:
                break
            word = text[start:sp]
            if word in _LEAD_STOP or (word in self._stop and word not in _GEO_WORDS):
                start = sp + 1
                while start < end and text[start] == " ":
                    start += 1
            else:
                break
        return start, end

    def _extend(self, text: str, end: int) -> int:
        """Take in a following ", City" or ", State" (the city or state of the same place)."""
        m = _TAIL.match(text, end)
        if m is not None:
            t = m.group("t").rstrip(".")
            if t in self._cities or t in US_STATES or t in STATE_ABBR:
                return m.start("t") + len(t)
        return end

    def _strip_trail(self, text: str, start: int, end: int) -> tuple[int, int]:
        while end > start and text[end - 1] in ".,;:":
            end -= 1
        seg = text[start:end]
        for tail in (" and", " the", " of", " &"):
            while seg.endswith(tail):
                seg = seg[: -len(tail)]
        if seg.split(" ")[0] in self._stop or seg.isupper():
            return start, start
        return start, start + len(seg)


def _countries(text: str, sp: Span) -> bool:
    """The place, widened to whole words, only names countries or US states (``from Denmark``, ``in the United
    States``): no Safe Harbor identifier (the name detector keeps a cued person: ``son Jordan``)."""
    a, b = sp.start, sp.end
    while a > 0 and text[a - 1].isalpha():
        a -= 1
    while b < len(text) and text[b].isalpha():
        b += 1
    return only_geography(text[a:b]) and not ends_address(text, a)


# words of national or world scope that name no place a patient is seen at (``the American College of Cardiology``)
_SCOPE = words("the national international american british european world global royal federal")
_NEXT_WORD = re.compile(r"[ \t]{1,3}([^\W\d_]+)")


def _body(text: str, sp: Span) -> bool:
    """The place is the start of an organisation's or a publication's name (a ``_BODY_HEADS`` word follows it),
    or only words of national scope before its last word: a body, not where a patient was seen."""
    m = _NEXT_WORD.match(text, sp.end)
    if m and m.group(1).lower() in BODY_HEADS:
        return True
    ws = text[sp.start : sp.end].lower().split()
    return len(ws) > 1 and all(w in _SCOPE for w in ws[:-1]) and any(w != "the" for w in ws[:-1])


# head words of a clinical score or set of criteria named after a place (``King's College criteria``, ``Milan
# criteria``, ``Los Angeles classification``, ``Ottawa ankle rules`` reads its last word): an instrument, no place
_INSTRUMENT_HEADS = words("criteria criterion score scores scale scales classification rule rules staging")
# words for a part of a site a visitor is sent to (``Park in Lot B``, ``take Elevator C``): wayfinding, no place
_SITE_PARTS = words("lot level elevator elevators garage gate door entrance exit deck wing zone section dock")
_NOTE_HEADINGS = ("note,", "npn", "nsg", "nursing")


def _instrument(text: str, sp: Span) -> bool:
    """A clinical instrument's head word follows the place right after a blank (``King's College criteria``):
    the place names the instrument, not where a patient was seen."""
    m = _NEXT_WORD.match(text, sp.end)
    return m is not None and m.group(1).lower() in _INSTRUMENT_HEADS


def _site_part(ws: list[str]) -> bool:
    """``Lot B``, ``Garage C``: a word for a part of a site and one letter (a wayfinding label, no place)."""
    return len(ws) == 2 and ws[0].lower() in _SITE_PARTS and len(ws[1].rstrip(".,;:")) == 1


def _scale_after_heading(m: re.Match[str], low: str) -> bool:
    """``npn braden 12``: after a note heading an eponymous scale alone (a one-word term of data/eponyms.txt)
    and a number are a score, no ward; after ``floor``/``unit``/``ward``/``pod`` it stays a ward's name."""
    return m.group().lower().startswith(_NOTE_HEADINGS) and (low,) in eponym_terms().get(low, ())


def _same(rx: re.Pattern[str]) -> re.Pattern[str]:
    return rx


def _run_if(can: object, k: int, rx: re.Pattern[str], text: str) -> Iterable[re.Match[str]]:
    """The matches of scanned regex ``k`` when the gate says it can match (``can``), else none."""
    if k not in can:  # type: ignore[operator]
        return ()
    return (ascii_twin(rx) if ascii_safe(text) else rx).finditer(text)  # speed: the re.ASCII twin on such text


def _mixed_line(text: str, a: int) -> bool:
    """The line holding offset ``a`` has both lower- and upper-case letters (its capitals mean something)."""
    ls = text.rfind("\n", 0, a) + 1
    le = text.find("\n", a)
    line = text[ls : le if le >= 0 else len(text)]
    return mixed_case(line)


_CLAUSE_END = re.compile(r"(?:^|[.!?:;|\n(\[-])\s*$")


def _sentence_word_before_generic(text: str, start: int, ws: list[str], kw: str) -> bool:
    """``Awaiting rehab``, ``Pending rehab``: in a line with case, one known word (also an inflected one)
    capitalised only because it opens a sentence, before a facility word in lower case, names no facility; a
    name on no list (``Spaulding rehab``) or a facility word in capitals (``Awaiting Rehab``) still does."""
    if len(ws) != 1 or not kw.islower() or not known_word(ws[0].lower().strip(".'’")):
        return False
    return _CLAUSE_END.search(text, max(0, start - 12), start) is not None
