"""Detector plug-ins. :func:`default_detectors` builds the built-in set (no downloads, no models).

Each detector declares the types it emits (``types``); ``DETECTOR_TYPES`` is derived from them."""

from __future__ import annotations

from collections.abc import Sequence

from sidecar.redaction.detectors.base import Detector
from sidecar.redaction.detectors.data_urls import CarriedTextDetector, DataUrlDetector
from sidecar.redaction.detectors.dates import DateDetector
from sidecar.redaction.detectors.encoded_runs import EncodedRunDetector
from sidecar.redaction.detectors.locations import LocationDetector
from sidecar.redaction.detectors.lookalike import LookalikeDigitDetector
from sidecar.redaction.detectors.names import NameDetector
from sidecar.redaction.detectors.patterns import PatternDetector
from sidecar.redaction.site_vocabulary import SiteVocabulary

BUILTIN = (PatternDetector, DateDetector, NameDetector, LocationDetector)


def detector_types(det: object) -> frozenset[str] | None:
    """The types ``det`` can emit; None when it does not say (it always runs, its findings filtered by type)."""
    declared = getattr(det, "types", None)
    return frozenset(declared) if declared is not None else None


# Which types each built-in detector can emit (lets a profile skip detectors it does not need).
DETECTOR_TYPES: dict[str, frozenset[str]] = {
    c.name: t for c in BUILTIN if (t := detector_types(c)) is not None
}


def default_detectors(
    mrn_patterns: Sequence[str] = (),
    id_min_digits: int = 6,
    ner_backend: str = "none",
    ner_model: str = "",
    site: SiteVocabulary | None = None,
) -> list[Detector]:
    """The built-in detectors, plus the NER backend when configured (raises NerUnavailable if missing).
    ``site``: the operator's site vocabularies (staff, facilities, units, streets), matched in any case."""
    patterns, dates = PatternDetector(mrn_patterns, id_min_digits), DateDetector()
    dets: list[Detector] = [
        patterns,
        dates,
        NameDetector(site),
        LocationDetector(site),
        LookalikeDigitDetector([patterns, dates]),  # identifiers with letters written for digits
        CarriedTextDetector(),  # MIME encoded words and hex text, scanned with all the others (bound too)
        EncodedRunDetector(),  # Morse, character codes, spoken numbers, Roman numerals (bound too)
        DataUrlDetector(),  # last: it scans what a URL carries with all the others (the Analyzer binds it)
    ]
    if ner_backend == "presidio":
        from sidecar.redaction.detectors.ner import PresidioNerDetector

        dets.append(PresidioNerDetector(ner_model or "en_core_web_sm"))
    return dets


__all__ = ["DETECTOR_TYPES", "Detector", "default_detectors", "detector_types"]
