"""The redaction engine: profiles + detectors + operators, and body processors for the ext_proc wiring.

Construct once (``RedactionEngine(settings, key)``) and share: it holds no per-request state. Each
``redact_text`` call and each ``open_body`` processor has its own counts and stream state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from sidecar.redaction.analyzer import Analyzer
from sidecar.redaction.bodies.base import BodyProcessor
from sidecar.redaction.bodies.charset import media_type, text_codec
from sidecar.redaction.bodies.decode import Decoder
from sidecar.redaction.bodies.events import EventRedactor
from sidecar.redaction.bodies.identifiers import AnswerIdentifiers
from sidecar.redaction.bodies.json_walk import FieldRules, JsonWalker
from sidecar.redaction.bodies.processors import (
    JsonProcessor,
    MarkupTextProcessor,
    NdjsonProcessor,
    PlainTextProcessor,
    SniffingTextProcessor,
    SseProcessor,
    WithholdProcessor,
)
from sidecar.redaction.detectors import Detector, default_detectors, hs_cache
from sidecar.redaction.errors import UnknownProfile
from sidecar.redaction.prefilter import Prefilter
from sidecar.redaction.profiles import Profile, load_profiles
from sidecar.redaction.redactor import TextRedactor
from sidecar.redaction.scan_budget import shared_budget
from sidecar.redaction.settings import RedactionSettings
from sidecar.redaction.site_vocabulary import SiteVocabulary
from sidecar.redaction.spans import Span
from sidecar.redaction.stream import TextStream

_JSON_CT = re.compile(r"^application/(?:[\w.+-]+\+)?json$")
_NDJSON_CT = frozenset(
    {
        "application/x-ndjson",
        "application/ndjson",
        "application/jsonl",
        "application/x-jsonlines",
        "application/jsonlines",
        "application/json-seq",
    }
)
_TEXT_CT = frozenset({"text/plain", "text/markdown", "text/csv", "text/html", "text/xml", "application/xml"})
_MARKUP_CT = frozenset({"text/markdown", "text/html", "text/xml", "application/xml"})  # character references


@dataclass(frozen=True, slots=True)
class RedactResult:
    text: str
    spans: list[tuple[int, int, str]] = field(default_factory=list)  # offsets into the input text
    counts: dict[str, int] = field(default_factory=dict)


def summary_header(counts: dict[str, int]) -> str:
    """Value for the ``x-phi-guard-redactions`` header: ``NAME=2,SSN=1`` (sorted; empty string when none)."""
    return ",".join(f"{t}={n}" for t, n in sorted(counts.items()) if n)


class RedactionEngine:
    def __init__(
        self, settings: RedactionSettings, pseudonym_key: bytes, detectors: list[Detector] | None = None
    ) -> None:
        """Raises ProfileFileError (bad ``profiles_file``), NerUnavailable (NER backend configured but not
        installed), ValueError (empty key). Compiles its hyperscan databases, or loads them from the compile cache
        (``settings.compile_cache_dir``): ~10 s cold, ~2 s warm; construct once."""
        if not pseudonym_key:
            raise ValueError("pseudonym_key must not be empty")
        self.settings = settings
        self._key = pseudonym_key
        self._profiles = load_profiles(settings.profiles_file)
        hs_cache.configure(settings.compile_cache_dir, settings.compile_cache)
        dets = (
            detectors
            if detectors is not None
            else default_detectors(
                settings.mrn_patterns,
                settings.id_min_digits,
                settings.ner_backend,
                settings.ner_model,
                SiteVocabulary(settings.site_vocabulary_dir, settings.site_vocabulary_poll_seconds),
            )
        )
        # detectors without prefilter triggers (custom MRN formats, NER) scan whole texts (see Analyzer)
        pre = Prefilter(dets) if detectors is None else None
        self.analyzer = Analyzer(dets, pre, padding=True)
        # the longest a stream holds a candidate before redacting it whole
        self.stream_max_held = max(settings.stream_max_held_chars, self.analyzer.reach)
        self.scan_budget = shared_budget(settings.scan_budget_seconds, settings.scan_budget_seconds_per_mib)

    def profile_names(self) -> list[str]:
        return sorted(self._profiles)

    def profile(self, name: str) -> Profile:
        try:
            return self._profiles[name]
        except KeyError:
            raise UnknownProfile(f"unknown redaction profile {name[:64]!r}") from None

    def redactor(self, profile: str, conversation_key: str = "") -> TextRedactor:
        return TextRedactor(self.analyzer, self.profile(profile), self._key, conversation_key)

    def detect(self, text: str, profile: str) -> list[Span]:
        return self.analyzer.analyze(text, self.profile(profile).types)

    def findings(self, text: str, profile: str) -> list[Span]:
        """Each detector's findings with their own types, overlaps not merged (``detect`` merges them and keeps
        one type per span): for callers that weigh findings by type, e.g. the response-header filter."""
        return self.analyzer.analyze(text, self.profile(profile).types, merge=False)

    def redact_text(self, text: str, profile: str, conversation_key: str = "") -> RedactResult:
        r = self.redactor(profile, conversation_key)
        spans = r.spans(text)
        out = r.apply(text, spans)
        return RedactResult(out, [(s.start, s.end, s.type) for s in spans], dict(r.counts))

    def text_stream(self, redactor: TextRedactor) -> TextStream:
        return TextStream(
            redactor, reach=self.analyzer.max_reach, max_held=self.stream_max_held, context=self.analyzer.reach
        )

    def open_body(
        self,
        profile: str,
        content_type: str,
        content_encoding: str = "",
        conversation_key: str = "",
        direction: Literal["response", "request"] = "response",
        request: AnswerIdentifiers | None = None,
    ) -> BodyProcessor:
        """A processor for one body. Raises UnknownProfile / UnsupportedEncoding / UnsupportedCharset (withhold
        the body). The processor's ``content_type`` is the header value to send with its (UTF-8) output.
        ``direction`` "request": media whose content cannot be read are withheld (``request_media``).
        ``request``: the requested model and declared tools, for an answer's identifier fields
        (``bodies/identifiers.py``; the ``redaction.model_name_words`` setting is added here)."""
        ct, charset = media_type(content_type)
        codec = text_codec(charset)
        if request is not None and self.settings.model_name_words:
            request = AnswerIdentifiers.of(request.model, request.tools,
                                           [*request.extra_model_words, *self.settings.model_name_words])
        withhold_media = direction == "request" and self.settings.request_media == "withhold"
        proc = self._processor(profile, ct, content_encoding, conversation_key, request, withhold_media)
        proc.decode_with(codec)
        proc.budget = self.scan_budget
        proc.content_type = f"{ct}; charset=utf-8" if charset is not None else ct
        return proc

    def _processor(self, profile: str, ct: str, content_encoding: str, conversation_key: str,
                   request: AnswerIdentifiers | None = None, withhold_media: bool = False) -> BodyProcessor:
        r = self.redactor(profile, conversation_key)
        max_buf = self.settings.max_buffered_body_bytes
        decoder = Decoder(content_encoding or "", max_buf)
        walker = JsonWalker(r, FieldRules(r.profile.fields), request, withhold_media=withhold_media)
        if _JSON_CT.match(ct):
            return JsonProcessor(r, decoder, max_buf, walker)
        if ct == "text/event-stream":
            return SseProcessor(r, decoder, max_buf, EventRedactor(walker, lambda: self.text_stream(r)))
        if ct in _NDJSON_CT:
            return NdjsonProcessor(r, decoder, max_buf, EventRedactor(walker, lambda: self.text_stream(r)))
        policy = r.profile.unknown_content_type or self.settings.unknown_content_type
        text: BodyProcessor
        if ct in _MARKUP_CT:
            text = MarkupTextProcessor(r, decoder, max_buf, self.text_stream(r))
        elif ct in _TEXT_CT or (ct.startswith("text/") and policy == "redact_text") or policy == "redact_text":
            text = PlainTextProcessor(r, decoder, max_buf, self.text_stream(r))
        else:
            return WithholdProcessor(r, decoder, max_buf)
        # a client may parse a text answer as an event stream or JSON lines whatever its label
        return SniffingTextProcessor(
            r, decoder, max_buf, text,
            lambda: SseProcessor(r, decoder, max_buf, EventRedactor(walker, lambda: self.text_stream(r))),
            lambda: NdjsonProcessor(r, decoder, max_buf, EventRedactor(walker, lambda: self.text_stream(r))))
