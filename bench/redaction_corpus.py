"""Seeded synthetic clinical corpus with labelled spans, for `bench/redaction_eval.py` and stream tests.

Identifiers are generated (random names from the shipped census lists, valid-range SSNs, Luhn-valid
cards, ...); templates are clinical notes and queries written for this project, not eval records.
"""

from __future__ import annotations

import calendar
import random
from typing import Any

from sidecar.redaction.detectors.lexicons import load_list

_MONTHS = list(calendar.month_name)[1:]  # English: nothing here sets a locale
_STREETS = ["Oak", "Maple", "Cedar", "Elm", "Washington", "Lake", "Hill", "Park", "Pine", "Walnut"]
_SUFFIX = ["Street", "Avenue", "Road", "Drive", "Lane", "Blvd", "Court"]
_CITIES = [
    ("Springfield", "IL"),
    ("Columbus", "OH"),
    ("Austin", "TX"),
    ("Denver", "CO"),
    ("Portland", "OR"),
    ("Madison", "WI"),
    ("Raleigh", "NC"),
    ("Tucson", "AZ"),
]
_FILLER = [
    "Vitals stable overnight; continue current regimen and reassess in the morning.",
    "Denies chest pain, shortness of breath or fever. Tolerating a regular diet.",
    "Plan: titrate metformin to 1000 mg twice daily, recheck HbA1c in 3 months.",
    "Labs notable for creatinine 1.4 and potassium 4.9; will repeat BMP tomorrow.",
    "Wound is clean, dry and intact without erythema. Ambulating with a walker.",
    "Discussed risks and benefits of anticoagulation; patient agrees with the plan.",
    "Imaging shows no acute intracranial abnormality. Neuro checks every 4 hours.",
]


def _luhn_complete(prefix: str, length: int, rng: random.Random) -> str:
    body = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
    for d in "0123456789":
        cand = body + d
        total = 0
        for i, ch in enumerate(reversed(cand)):
            v = int(ch) * (2 if i % 2 else 1)
            total += v - 9 if v > 9 else v
        if total % 10 == 0:
            return cand
    raise AssertionError


class Generator:
    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.first = sorted(
            load_list("first_names.txt.gz") - {w.capitalize() for w in load_list("stopwords.txt")}
        )[:3000]
        self.last = sorted(
            load_list("surnames.txt.gz") - {w.capitalize() for w in load_list("stopwords.txt")}
        )[:3000]

    def value(self, kind: str) -> str:
        r = self.rng
        if kind == "NAME":
            return f"{r.choice(self.first)} {r.choice(self.last)}"
        if kind == "SSN":
            area = r.choice([a for a in range(1, 900) if a != 666])
            return f"{area:03d}-{r.randint(1, 99):02d}-{r.randint(1, 9999):04d}"
        if kind == "PHONE":
            return r.choice(["({a}) {b}-{c}", "{a}-{b}-{c}", "{a}.{b}.{c}"]).format(
                a=r.randint(201, 989), b=r.randint(200, 999), c=f"{r.randint(0, 9999):04d}"
            )
        if kind == "EMAIL":
            return (
                f"{r.choice(self.first).lower()}.{r.choice(self.last).lower()}{r.randint(1, 99)}@example.org"
            )
        if kind == "DATE":
            m = r.randint(1, 12)
            d = r.randint(1, 28)
            y = r.randint(1940, 2025)
            return r.choice(
                [
                    f"{_MONTHS[m - 1]} {d}, {y}",
                    f"{m:02d}/{d:02d}/{y}",
                    f"{y}-{m:02d}-{d:02d}",
                    f"{d} {_MONTHS[m - 1][:3]} {y}",
                    f"{_MONTHS[m - 1][:3]} {d}",
                ]
            )
        if kind == "MRN":
            return r.choice([f"{r.randint(1000000, 99999999)}", f"MR-{r.randint(100000, 9999999)}"])
        if kind == "ADDRESS":
            city, st = r.choice(_CITIES)
            return f"{r.randint(10, 9999)} {r.choice(_STREETS)} {r.choice(_SUFFIX)}, {city}, {st} {r.randint(10000, 99999)}"  # noqa: E501
        if kind == "CARD":
            return _luhn_complete(r.choice(["4", "51", "37"]), 16, r)
        if kind == "IP":
            return ".".join(str(r.randint(1, 254)) for _ in range(4))
        if kind == "URL":
            return f"https://portal.example.org/patients/{r.randint(1000, 99999)}"
        if kind == "HEALTH_PLAN":
            return f"{r.choice(['BCX', 'HP', 'MBR'])}{r.randint(10000000, 99999999)}"
        raise KeyError(kind)


_TEMPLATES: list[tuple[str, list[str]]] = [
    ("Patient {NAME} (MRN {MRN}) was admitted on {DATE}.", ["NAME", "MRN", "DATE"]),
    ("Contact: {PHONE}; e-mail {EMAIL}.", ["PHONE", "EMAIL"]),
    ("SSN: {SSN}. Home address {ADDRESS}.", ["SSN", "ADDRESS"]),
    ("Seen by Dr. {NAME} on {DATE}; follow-up call to {PHONE}.", ["NAME", "DATE", "PHONE"]),
    ("Billing card {CARD} on file; member ID {HEALTH_PLAN}.", ["CARD", "HEALTH_PLAN"]),
    ("Portal login from {IP}, results at {URL} for {NAME}.", ["IP", "URL", "NAME"]),
]


def record(gen: Generator, idx: int, phi_rate: float = 0.5) -> dict[str, Any]:
    """One note: filler sentences with 1-3 templated sentences carrying identifiers."""
    r = gen.rng
    parts: list[str] = []
    spans: list[dict[str, Any]] = []
    pos = 0
    for _ in range(r.randint(2, 6) if phi_rate >= 0.5 else r.randint(10, 30)):
        if r.random() < phi_rate:
            tpl, kinds = r.choice(_TEMPLATES)
            text = ""
            rest = tpl
            for kind in kinds:
                pre, _, rest = rest.partition("{" + kind + "}")
                text += pre
                value = gen.value(kind)
                spans.append(
                    {
                        "start": pos + len(text),
                        "end": pos + len(text) + len(value),
                        "type": kind,
                        "value": value,
                    }
                )
                text += value
            text += rest
        else:
            text = r.choice(_FILLER)
        parts.append(text)
        pos += len(text) + 1
    return {"id": f"syn-{idx}", "text": " ".join(parts), "spans": spans}


def corpus(n: int, seed: int = 7, phi_rate: float = 0.5) -> list[dict[str, Any]]:
    gen = Generator(seed)
    return [record(gen, i, phi_rate) for i in range(n)]
