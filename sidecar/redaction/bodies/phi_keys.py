"""Object keys that name a PHI field (``first_name``, ``patientName``, ``ssn``, ``zip``, FHIR ``name.family``).

A tool or EHR answer often carries PHI as bare values a detector cannot recognise alone (``"last_name":
"Okonkwo"``, ``"zip": "62704"``): the key is the cue. ``label(path)`` gives the PHI type a value stands for from
its key (split into words: ``patientName`` → patient name) and, for generic keys (``name``, ``family``,
``given``, ``line``), the key above it. Generic keys alone never count: ``name`` is a tool or model name in
every model API.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from sidecar.redaction.detectors.lexicons import words as word_set
from sidecar.redaction.spans import Span

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SPLIT = re.compile(r"[^a-z0-9]+")

# a key ending in "name" after one of these words names a person
_PERSON_WORDS = word_set(
    """patient first last middle full given family maiden legal preferred birth contact guardian mother father
    spouse kin relative caregiver emergency physician doctor provider nurse practitioner subscriber insured
    member beneficiary sur"""
)
# whole keys (words joined) and the PHI type of their value
_EXACT = {
    "surname": "NAME", "firstname": "NAME", "lastname": "NAME", "fullname": "NAME", "givenname": "NAME",
    "familyname": "NAME", "middlename": "NAME", "patientname": "NAME", "maidenname": "NAME",
    "ssn": "SSN", "socialsecuritynumber": "SSN", "socialsecurity": "SSN", "ssnumber": "SSN",
    "mrn": "MRN", "medicalrecordnumber": "MRN", "medicalrecord": "MRN", "medicalrecordno": "MRN",
    "dob": "DATE", "dateofbirth": "DATE", "birthdate": "DATE", "birthday": "DATE", "deathdate": "DATE",
    "dateofdeath": "DATE", "deceaseddatetime": "DATE", "admissiondate": "DATE", "dischargedate": "DATE",
    "phone": "PHONE", "phonenumber": "PHONE", "telephone": "PHONE", "mobile": "PHONE", "mobilephone": "PHONE",
    "cellphone": "PHONE", "homephone": "PHONE", "workphone": "PHONE", "pager": "PHONE",
    "fax": "FAX", "faxnumber": "FAX",
    "email": "EMAIL", "emailaddress": "EMAIL", "mail": "EMAIL",
    "street": "ADDRESS", "streetaddress": "ADDRESS", "addressline": "ADDRESS", "addressline1": "ADDRESS",
    "addressline2": "ADDRESS", "homeaddress": "ADDRESS", "address": "ADDRESS",
    "city": "LOCATION", "county": "LOCATION", "town": "LOCATION",
    "zip": "ZIP", "zipcode": "ZIP", "postalcode": "ZIP", "postcode": "ZIP",
    "memberid": "HEALTH_PLAN", "policynumber": "HEALTH_PLAN", "insuranceid": "HEALTH_PLAN",
    "healthplanid": "HEALTH_PLAN", "subscriberid": "HEALTH_PLAN",
    "accountnumber": "ACCOUNT", "accountno": "ACCOUNT",
    "licensenumber": "LICENSE", "driverslicense": "LICENSE", "driverlicense": "LICENSE",
}
# generic keys that name PHI only under a parent key (FHIR HumanName and Address, a person object)
_UNDER = {
    "name": ("NAME", word_set("""patient person contact guardian subject member beneficiary insured subscriber
        practitioner physician provider caregiver relative kin emergencycontact nextofkin relatedperson spouse
        mother father""")),
    "family": ("NAME", frozenset({"name", "names"})),
    "given": ("NAME", frozenset({"name", "names"})),
    "text": ("NAME", frozenset({"name", "names"})),
    "line": ("ADDRESS", frozenset({"address", "addresses"})),
    "first": ("NAME", frozenset({"name", "names"})),
    "last": ("NAME", frozenset({"name", "names"})),
}


def key_words(key: str) -> list[str]:
    """``patientName`` / ``patient_name`` / ``Patient-Name`` → ``["patient", "name"]``."""
    return [w for w in _SPLIT.split(_CAMEL.sub(" ", key).lower()) if w]


def label(path: tuple[str, ...]) -> str | None:
    """The PHI type the value at ``path`` (object keys, ``*`` for a list position) stands for, if its key
    names one."""
    keys = [k for k in path if k != "*"]
    if not keys:
        return None
    ws = key_words(keys[-1])
    if not ws:
        return None
    joined = "".join(ws)
    found = _EXACT.get(joined)
    if found:
        return found
    if len(ws) > 1 and ws[-1] == "name" and ws[-2] in _PERSON_WORDS:
        return "NAME"
    under = _UNDER.get(joined)
    if under and len(keys) > 1 and "".join(key_words(keys[-2])) in under[1]:
        return under[0]
    return None


def whole_value(path: Sequence[str | int], text: str, types: Collection[str], found: list[Span]) -> list[Span]:
    """``found`` (what a scan of ``text`` found), or, when nothing was found and the key path (list positions
    as ints) names a PHI field the profile redacts, the whole of ``text`` as that type."""
    if found or not text.strip():
        return found
    type_ = label(tuple("*" if isinstance(k, int) else k for k in path))
    return [Span(0, len(text), type_, 1.0)] if type_ is not None and type_ in types else found
