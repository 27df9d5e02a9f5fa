"""Redaction settings: profiles are chosen by policy; these are the engine's limits."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints


class RedactionSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    default_profile: str = "standard"
    # Extra profile definitions (YAML/JSON file); built-in profiles are always there.
    profiles_file: str | None = None
    max_buffered_body_bytes: int = Field(default=8 * 1024 * 1024, gt=0)
    unknown_content_type: Literal["redact_text", "withhold"] = "withhold"
    # A minimised prompt (a request redacted under the caller's request profile) carrying an image, audio or
    # video (by its bytes, whatever its label) or a PDF with no text layer (a scan): its pixels and samples are not
    # read here (no OCR), so by default the request is refused (400 ``unreadable_media``, audited). "pass" sends
    # them on unread (their metadata text is still scanned). Answers are not affected.
    request_media: Literal["withhold", "pass"] = "withhold"
    # Key for stable pseudonyms (HMAC); generated under state_dir when unset.
    pseudonym_key_file: str | None = None
    # Streaming: a stream releases what no continuation can turn into part of a finding (Analyzer.open_at).
    # A held candidate longer than this (floored at the detectors' reach) is redacted whole as [REDACTED],
    # never released in part: it bounds the memory one text channel holds.
    stream_max_held_chars: int = Field(default=512, ge=64, le=65536)
    # CPU budget of one scan (a whole body, or one stream step): scan_budget_seconds plus
    # scan_budget_seconds_per_mib for each MiB of text the body has had so far. Over it, the scan is interrupted
    # and the body withheld (502 ``scan_budget_exceeded``, audited); the worker goes on serving. Defaults: a
    # typical answer scans in milliseconds, and PHI-dense text at about 2 CPU-s per MiB on one core
    # (docs/benchmarks.md): 1 s and 8 s/MiB leave 4x or more of headroom, yet a detector that loops forever
    # costs one request about a second instead of a worker. CPU time of the scanning thread, so a loaded
    # machine does not trip it. See docs/redteam.md "Scan budget".
    scan_budget_seconds: float = Field(default=1.0, gt=0, le=300)
    scan_budget_seconds_per_mib: float = Field(default=8.0, ge=0, le=600)
    # Words of the model names your providers answer with, beyond the built-in list
    # (sidecar/redaction/bodies/identifiers.py: MODEL_WORDS): an answer's ``model`` made of other words is
    # replaced by the requested model (a surname cannot hide in it). Letters only, any case.
    model_name_words: list[Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2,40}$")]] = []
    # Extra medical record number formats (Python regexes), on top of the context-based detection.
    mrn_patterns: list[str] = []
    # Unlabelled digit runs at least this long are redacted as other unique identifiers (ID).
    id_min_digits: int = Field(default=6, ge=4, le=20)
    # Optional NER second opinion (names, places, dates): "presidio" needs presidio-analyzer and an installed
    # spaCy model package (ner_model); about 1000x slower than the built-in detectors.
    ner_backend: Literal["none", "presidio"] = "none"
    ner_model: str = "en_core_web_sm"
    # Site vocabularies (staff.txt, facilities.txt, units.txt, streets.txt: one entry a line, any case), polled
    # for changes every site_vocabulary_poll_seconds; see docs/site-vocabulary.md. Helm mounts them at
    # /etc/phi-guard/site-vocabulary.
    site_vocabulary_dir: str | None = None
    site_vocabulary_poll_seconds: float = Field(default=2.0, gt=0, le=3600)
    # Compiled hyperscan databases are kept here and loaded at start-up instead of compiled (docs/startup.md: the
    # engine builds in ~2 s instead of ~10 s). None: $XDG_CACHE_HOME/phi-guard, else ~/.cache/phi-guard. The
    # guard uses its own subdirectory (mode 0700); a file that fails its digest is compiled again and replaced.
    # ``phi-guard warm-cache`` fills it ahead of time. False: compile every database at every start.
    compile_cache: bool = True
    compile_cache_dir: str | None = None
