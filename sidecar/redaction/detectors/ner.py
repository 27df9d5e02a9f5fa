"""Optional NER second opinion: Presidio with a spaCy model the operator has installed (no downloads).

Enabled with ``redaction.ner_backend: presidio``; ~1000x slower than the built-in detectors, so it is
off by default. Its findings are mapped onto our types and merged with the others.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable

from sidecar.redaction.spans import Span

_MAP = {
    "PERSON": "NAME",
    "LOCATION": "LOCATION",
    "GPE": "LOCATION",
    "DATE_TIME": "DATE",
    "NRP": None,
    "ORGANIZATION": None,
}


class NerUnavailable(RuntimeError):
    """The configured NER backend or its model is not installed."""


class PresidioNerDetector:
    name = "ner"
    reach = 64
    prefilter_safe = False  # finds names without our triggers: whole texts are scanned

    def __init__(self, model: str = "en_core_web_sm", min_score: float = 0.6) -> None:
        if importlib.util.find_spec("presidio_analyzer") is None or importlib.util.find_spec(model) is None:
            raise NerUnavailable(f"NER backend needs presidio-analyzer and the spaCy model package {model!r}")
        from presidio_analyzer import AnalyzerEngine
        from presidio_analyzer.nlp_engine import NlpEngineProvider

        provider = NlpEngineProvider(
            nlp_configuration={
                "nlp_engine_name": "spacy",
                "models": [{"lang_code": "en", "model_name": model}],
            }
        )
        self._engine = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])
        self._min = min_score

    def detect(self, text: str) -> Iterable[Span]:
        out = []
        for r in self._engine.analyze(text, language="en", entities=["PERSON", "LOCATION", "DATE_TIME"]):
            t = _MAP.get(r.entity_type)
            if t and r.score >= self._min:
                out.append(Span(r.start, r.end, t, 0.5))
        return out
