"""The red-team oracle: does any planted PHI value reach the client, in any form a reader would recognise?

Independent of the guard's own normaliser (an oracle that shared its blind spots could not catch them). What the
client receives is read as a client would: the raw text, every JSON string leaf (escapes decoded), and the text
streamed per channel joined across events (per JSON path, per leaf key, per non-JSON SSE data), so an identifier
split across events is seen whole. Each view is then folded: NFKC, format characters removed, any script's decimal
digits (and digits with no decimal value: dingbat and double circled digits, CJK financial and Hangzhou
numerals) read as ASCII digits, confusable Cyrillic/Greek letters read as Latin, number words read as digits,
lower case, and only letters and digits kept. A needle (a planted value folded the same way) found in any view
is a leak.
"""

from __future__ import annotations

import base64
import contextlib
import html
import json
import re
import unicodedata
import urllib.parse
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

# UTS #39 confusables most used against Latin text (Cyrillic and Greek look-alikes), lower case after casefold.
_CONFUSABLE = str.maketrans({
    "а": "a", "в": "b", "е": "e", "ё": "e", "з": "3", "і": "i", "ї": "i", "ј": "j", "к": "k", "м": "m", "н": "h",
    "о": "o", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h",
    "ӏ": "l", "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "u", "χ": "x", "ω": "w", "ϲ": "c",
})
_NUMBER_WORDS = {"zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
                 "seven": "7", "eight": "8", "nine": "9"}
_WORD = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b")


_DIGIT_VALUES = frozenset(float(i) for i in range(10))


def fold(text: str) -> str:
    """The letters and digits of ``text`` as a reader would read them (see module docstring)."""
    text = unicodedata.normalize("NFKD", text)  # compatibility forms folded, accents split off
    out = []
    for ch in text:
        if 0xE0020 <= ord(ch) <= 0xE007E:  # a tag character: invisible ASCII a program decodes (ASCII smuggling)
            out.append(chr(ord(ch) - 0xE0000))
            continue
        cat = unicodedata.category(ch)
        if cat in ("Cf", "Mn", "Me"):  # zero-width, soft hyphen, BOM, combining marks
            continue
        d = unicodedata.decimal(ch, None)
        if d is None and unicodedata.numeric(ch, -1) in _DIGIT_VALUES:  # a digit with no decimal value: a
            d = int(unicodedata.numeric(ch))  # dingbat or double circled digit, a CJK financial or Hangzhou numeral
        out.append(str(d) if d is not None else ch)
    text = unicodedata.normalize("NFC", "".join(out)).casefold().translate(_CONFUSABLE)
    text = _WORD.sub(lambda m: _NUMBER_WORDS[m.group(1)], text)
    return re.sub(r"[^a-z0-9]", "", text)


def needle(value: str) -> str:
    return fold(value)


# --- reading what the client received ------------------------------------------------------------------------


def _leaves(obj: Any, path: str, out: list[tuple[str, str, str]]) -> None:
    """(path with list positions, last key, text) for every string, number and key, in document order."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            out.append((f"{path}.#key", "#key", str(k)))
            _leaves(v, f"{path}.{k}", out)
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            # a stream's choice / candidate / block is known by its "index", not its list position
            idx = v.get("index") if isinstance(v, dict) else None
            _leaves(v, f"{path}[{idx if isinstance(idx, int) else i}]", out)
    elif isinstance(obj, str):
        out.append((path, path.rsplit(".", 1)[-1].split("[")[0], obj))
    elif isinstance(obj, int | float) and not isinstance(obj, bool):
        out.append((path, path.rsplit(".", 1)[-1].split("[")[0], json.dumps(obj)))


def _sse_payloads(text: str) -> Iterator[str]:
    """The data of each SSE event (WHATWG: CRLF/CR/LF line ends, data lines joined with LF)."""
    data: list[str] = []
    for line in re.split(r"\r\n|\r|\n", text.lstrip("\ufeff")):
        if not line:
            if data:
                yield "\n".join(data)
            data = []
        elif line.startswith("data"):
            name, _, value = line.partition(":")
            if name == "data":
                data.append(value[1:] if value.startswith(" ") else value)
    if data:
        yield "\n".join(data)


def _json_docs(text: str, content_type: str) -> Iterator[Any | str]:
    """Each JSON document in the body (or the raw payload when it is not JSON)."""
    ct = content_type.split(";")[0].strip().lower()
    if ct == "text/event-stream":
        payloads: Iterable[str] = _sse_payloads(text)
    elif "ndjson" in ct or "jsonl" in ct or "json-seq" in ct:
        payloads = [ln for ln in re.split(r"\r\n|\r|\n", text) if ln.strip()]
    else:
        payloads = [text]
    for p in payloads:
        try:
            yield json.loads(p)
        except ValueError:
            yield p  # not JSON: a text payload


_DATA_URL = re.compile(r"data:[^,\s\"]*;base64,([A-Za-z0-9+/_-]{4,}={0,2})")
# a payload inside quotes or brackets may hold spaces: a browser strips them before it decodes
_DATA_URL_QUOTED = re.compile(r"data:[^,\s\"]*;base64,([A-Za-z0-9+/=_\s-]{4,}?)[\"'<>)\]]")
_BARE_B64 = re.compile(r"[A-Za-z0-9+/_\r\n-]{16,}={0,2}")


def _readings(raw: bytes) -> list[str]:
    """The bytes as a reader could take them: UTF-8, UTF-16 (either order, BOM or not), Latin-1."""
    out = [raw.decode("utf-8", "replace"), raw.decode("latin-1")]
    for codec in ("utf-16", "utf-16-le", "utf-16-be"):
        with contextlib.suppress(UnicodeDecodeError):
            out.append(raw.decode(codec))
    return out


def _b64(b64: str) -> bytes | None:
    try:
        return base64.b64decode(b64 + "=" * (-len(b64) % 4), altchars=b"-_" if "-" in b64 or "_" in b64 else None)
    except ValueError:
        return None


def _data_urls(text: str) -> list[str]:
    """The decoded text of each base64 data: URL in ``text``, and of a value that is base64 as a whole (a
    Gemini ``inlineData``, an Anthropic ``source.data``), in every reading of ``_readings``."""
    out = []
    payloads = [m.group(1) for rx in (_DATA_URL, _DATA_URL_QUOTED) for m in rx.finditer(text)]
    if _BARE_B64.fullmatch(text):
        payloads.append(text)
    for b64 in payloads:
        raw = _b64(re.sub(r"\s", "", b64))
        if raw is not None:
            out += _readings(raw)
    return out


_ENCODED_WORD = re.compile(r"=\?([\w.:-]+)\?([BbQq])\?([^?\s]+)\?=")
_HEX_RUN = re.compile(r"(?:[0-9A-Fa-f]{2}){8,}")


def _carried(text: str) -> list[str]:
    """The decoded text of each RFC 2047 encoded word and each run of hex digits in ``text``."""
    out = []
    for cs, enc, data in _ENCODED_WORD.findall(text):
        if enc in "Bb":
            raw = _b64(data)
        else:
            raw = re.sub(r"=([0-9A-Fa-f]{2})", lambda m: chr(int(m.group(1), 16)), data.replace("_", " ")).encode(
                "latin-1", "replace")
        if raw is not None:
            with contextlib.suppress(LookupError, UnicodeDecodeError):
                out.append(raw.decode(cs))
            out += _readings(raw)
    for run in _HEX_RUN.findall(text):
        out += _readings(bytes.fromhex(run))
    return out


_FRAMINGS = ("text/event-stream", "application/x-ndjson")


def views(body: bytes, content_type: str, headers: Iterable[tuple[str, str]] = ()) -> list[str]:
    """Every text a client could assemble from what it received (also as a renderer shows it: character
    references decoded). A body of another type is also read as an event stream and as JSON lines: a client that
    asked for a stream parses what comes whatever its label."""
    ct = content_type.split(";")[0].strip().lower()
    if ct not in _FRAMINGS:
        return [v for c in (content_type, *_FRAMINGS) for v in _views(body, c, headers)]
    return _views(body, content_type, headers)


def _views(body: bytes, content_type: str, headers: Iterable[tuple[str, str]]) -> list[str]:
    text = body.decode("utf-8", "replace")
    out = [text, html.unescape(text)]
    per_path: dict[str, list[str]] = defaultdict(list)
    per_key: dict[str, list[str]] = defaultdict(list)
    plain: list[str] = []
    for doc in _json_docs(text, content_type):
        if isinstance(doc, str):
            plain.append(doc)
            continue
        leaves: list[tuple[str, str, str]] = []
        _leaves(doc, "$", leaves)
        for path, key, value in leaves:
            out.append(value)
            per_path[path].append(value)
            per_key[key].append(value)
            # JSON inside a string (tool arguments) is read too
            if value[:1] in "{[\"" and len(value) > 1:
                try:
                    inner = json.loads(value)
                except ValueError:
                    continue
                sub: list[tuple[str, str, str]] = []
                _leaves(inner, "$", sub)
                out.extend(v for _, _, v in sub)
    out.append("".join(plain))
    joined = ["".join(v) for v in per_path.values()] + ["".join(v) for v in per_key.values()]
    out += joined
    # JSON streamed in pieces (tool arguments) as the client parses it once joined; and JSON string escapes
    # decoded in any text (a client that reads a partial JSON document)
    for value in joined:
        if value[:1] in "{[" and len(value) > 1:
            try:
                inner = json.loads(value)
            except ValueError:
                continue
            sub = []
            _leaves(inner, "$", sub)
            out.extend(v for _, _, v in sub)
    out += [_unescape(v) for v in list(out) if "\\" in v or "%u" in v or "=" in v]
    # what a UI that renders Markdown or HTML shows of each string and joined text (character references)
    out += [html.unescape(v) for v in out[2:] if "&" in v]
    # what a client that opens a URL reads (percent-encoding)
    out += [urllib.parse.unquote(v) for v in out[2:] if "%" in v]
    # what a client that decodes twice reads (``&amp;#52;``, ``%2534``: HTML in JSON, a URL in a URL)
    out += [html.unescape(html.unescape(v)) for v in out[2:] if "&amp;" in v]
    out += [urllib.parse.unquote(urllib.parse.unquote(v)) for v in out[2:] if "%25" in v]
    # what a client that opens a base64 data: URL reads
    out += [d for v in list(out) if "base64," in v or _BARE_B64.fullmatch(v) for d in _data_urls(v)]
    # what a mail client shows of MIME encoded words, and the text a run of hex digits encodes
    out += [d for v in list(out) if "=?" in v or _HEX_RUN.search(v) for d in _carried(v)]
    out += [f"{k}: {v}" for k, v in headers]
    return out


# escapes a program or a renderer decodes: JSON and JavaScript (``\\u0034``, ``\\u{34}``, ``\\x34``), JavaScript's
# ``unescape`` (``%u0034``), CSS (``\\34 ``: 1 to 6 hex digits, one space closing it), quoted-printable (``=34``)
_ESCAPE = re.compile(r"\\U([0-9a-fA-F]{8})|\\u\{([0-9a-fA-F]{1,6})\}|\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})"
                     r"|%u([0-9a-fA-F]{4})"
                     r"|\\([0-9a-fA-F]{1,6}) ?|=([0-9A-F]{2})")


def _char(m: re.Match[str]) -> str:
    cp = int(next(g for g in m.groups() if g is not None), 16)
    return chr(cp) if cp < 0x110000 and not 0xD800 <= cp < 0xE000 else m.group()


def _unescape(text: str) -> str:
    """``text`` with its escapes (``_ESCAPE``) read as the characters they stand for."""
    return _ESCAPE.sub(_char, text)


# Headers that Envoy, the guard or the demo servers write themselves, with random or clock values (a request id,
# the guard's 18-digit request id, a decision id, the HTTP date, a brokered credential): read for a 5-digit run
# (``PART``), a random UUID holds one of a planted SSN's runs about once in 300 exchanges, and the clock at 03:14:19
# holds one of 03/14/1962's. Their values cannot carry what the hostile side planted unless that side sent a header
# of the same name itself.
GENERATED_HEADERS = frozenset({
    "date", "x-request-id", "x-phi-guard-request-id", "x-phi-guard-decision-id", "x-envoy-upstream-service-time",
    "x-envoy-expected-rq-timeout-ms", "x-forwarded-for", "x-forwarded-proto", "authorization", "traceparent",
    "tracestate", "server", "transfer-encoding", "content-length",
})


def planted_headers(headers: Iterable[tuple[str, str]], sent: Iterable[str]) -> list[tuple[str, str]]:
    """``headers`` without those the path generated itself (``GENERATED_HEADERS``), unless the hostile side sent
    a header of that name (``sent``: its header names, any case): the headers that can carry what it planted."""
    own = {n.lower() for n in sent}
    return [(k, v) for k, v in headers if k.lower() not in GENERATED_HEADERS or k.lower() in own]


def planted_head(raw: bytes, sent: Iterable[str]) -> bytes:
    """A raw HTTP exchange with the generated header lines (``planted_headers``) of every head removed."""
    own = {n.lower() for n in sent}
    lines = raw.split(b"\n")
    keep, in_head = [], True
    for line in lines:
        name, colon, _ = line.partition(b":")
        generated = (colon and in_head and name.strip().lower().decode("latin-1") in GENERATED_HEADERS
                     and name.strip().lower().decode("latin-1") not in own)
        if not generated:
            keep.append(line)
        if line.strip() == b"":
            in_head = False
        elif line.startswith(b"HTTP/"):
            in_head = True
    return b"\n".join(keep)


PART = 5  # a run of this many digits of a long identifier is a partial release (more than half an SSN)


def _parts(needle: str) -> list[str]:
    """What of a planted value must not appear: the whole value, and for a long number (SSN, phone, MRN) every
    run of ``PART`` of its digits (a stream that released the first half and redacted the rest leaked)."""
    if needle.isdigit() and len(needle) >= 7:
        return [needle[i : i + PART] for i in range(len(needle) - PART + 1)]
    return [needle]


def leaks(needles: Iterable[str], texts: Iterable[str]) -> list[str]:
    """The needles (raw planted values) found, whole or in part (``_parts``), in any view."""
    folded = [fold(t) for t in texts]
    return [n for n in needles if fold(n) and any(p in f for p in _parts(fold(n)) for f in folded)]


# --- the case table ----------------------------------------------------------------------------------------------


@dataclass
class Case:
    id: str
    family: str
    attack: str
    answer: dict[str, Any]
    phi: list[str]
    expect: str
    e2e: bool = False
    xfail: str = ""
    dropped: bool = False  # the guard drops the carrier whatever the profile (SSE comment, unknown field ...)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def status(self) -> int:
        return int(self.answer.get("status", 200))

    @property
    def headers(self) -> list[tuple[str, str]]:
        return [(str(k), str(v)) for k, v in self.answer.get("headers", [])]

    def header(self, name: str) -> str:
        return next((v for k, v in self.headers if k.lower() == name), "")

    @property
    def chunks(self) -> list[bytes]:
        out = [c.encode("utf-8") for c in self.answer.get("chunks", [])]
        return out + [base64.b64decode(c) for c in self.answer.get("chunks_b64", [])]


def load_cases(path: str) -> list[Case]:
    with open(path, encoding="utf-8") as fh:
        return [Case(**c) for c in yaml.safe_load(fh)]
