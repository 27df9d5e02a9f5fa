"""Walk a parsed JSON document: apply field rules, then scan every string value and every object key.

A value skips scanning only when its key is structural and the value has that key's strict shape
(``shapes.value_shape_ok``), or it is a number under a numeric schema key (``shapes.number_key_ok``); a key
skips scanning only when it is a schema key of the model APIs. A value under a key that names a PHI field
(``first_name``, ``ssn``, ``zip``, FHIR ``name.family``: ``phi_keys``) in which the scan finds nothing is
redacted whole as that type.
Everything else is redacted like text (a
redacted key that collides with another gets a ``#N`` suffix; a number in which something is found becomes the
redacted string)."""

from __future__ import annotations

import json
import re
from typing import Any

from sidecar.redaction import operators
from sidecar.redaction.bodies import phi_keys
from sidecar.redaction.bodies.documents import UnreadMedia, unread_media
from sidecar.redaction.bodies.identifiers import AnswerIdentifiers, is_answer_model, is_tool_call
from sidecar.redaction.bodies.payloads import (
    MIN_OPAQUE_CHARS,
    bare_bytes,
    bare_text,
    bytes_text,
    data_url_bytes,
    declared_charset,
    payload_of,
)
from sidecar.redaction.bodies.shapes import (
    MODEL_NAME,
    SCHEMA_KEYS,
    has_shape,
    is_model_key,
    number_key_ok,
    schema_number,
    value_shape_ok,
)
from sidecar.redaction.detectors import digit_runs
from sidecar.redaction.detectors.names import known_word
from sidecar.redaction.profiles import FieldRule
from sidecar.redaction.redactor import TextRedactor
from sidecar.redaction.spans import Span, resolve

_DROP = object()
# characters that glue words and digit groups into one token in structural values (see ``_glued``)
_GLUE = re.compile(r"[-_.:+=;,/]")
# a digit run glued to letters in a structural value (``chatcmpl-478215096abc``) is an ID whatever the cue
_GLUED_DIGITS = re.compile(r"\d{7,}")
# a base64 data: URL (RFC 2397), standard or URL-safe alphabet
# (the payload may be percent-encoded, and inside quotes or brackets hold spaces, as a browser reads it)
_DATA_URL = re.compile(r"data:[\w.+-]*/?[\w.+-]*(?P<params>(?:;[\w.+-]+=?[\w.+-]*)*);base64,"
                       r"(?:(?P<quoted>[A-Za-z0-9+/_=%\s-]{4,}?)(?=[\"'<>)\]])"
                       r"|(?P<b64>(?:[A-Za-z0-9+/_-]|%[0-9A-Fa-f]{2}){4,}(?:=|%3[Dd]){0,2}))")
# a list of at most this many whole numbers below 10000 is read as the digits of one value (``_joined_numbers``),
# with strings of at most MAX_NUMBER_GLUE characters between them
MAX_NUMBER_PARTS = 20
MAX_NUMBER_GLUE = 3
# what such a list is redacted for: shapes that hold in digit groups alone (not a generic ID: ``[200, 404, 500]``)
NUMBER_PART_TYPES = frozenset({"SSN", "PHONE", "FAX", "CARD"})
MIN_DIGIT_LIST = 9  # a list of this many single digits or more may spell an ID (when they have an ID's shape)
_ID_NUMBER = 10**6  # a number with 7 integer digits or more has identifier length
_VERSION_DATE = re.compile(r"(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])")  # YYYYMMDD
# Token-by-token copies of the text (log probabilities: each token, its UTF-8 bytes as numbers, the alternatives):
# they cannot be redacted to match the redacted text, and a client joins them back into the answer. Emptied.
TOKEN_ECHO_KEYS = frozenset({"logprobs", "top_logprobs", "logprobsResult"})
TOKEN_IDS_KEY = "context"  # Ollama's token ids of the whole conversation (answer and request): a list of ints, emptied
MAX_REMEMBERED_KEYS = 4096
# snake_case with a letter at its end, or camelCase: a key written for a program, not text to read joined
_PROGRAM_KEY = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]*[a-z])+|[a-z]+(?:[A-Z][a-z]+)+")
PAIR_PROBE = 96  # characters of a key and of its value read to see whether a finding crosses between them
MAX_JOINED_LIST_CHARS = 65536  # a list of strings longer than this is scanned string by string only
# Dates in a model name of the model grammar are versions (``gpt-4o-2024-08-06``), not PHI.
_MODEL_VERSION_TYPES = frozenset({"DATE"})
# model family names that are also personal names (``claude-sonnet-4-5``): no finding inside a model name
MODEL_FAMILIES = frozenset({"claude", "gemini", "gemma", "llama", "mistral", "mixtral", "phi", "qwen", "grok",
                            "falcon", "jamba", "nova", "titan", "olmo", "granite", "sonnet", "opus", "haiku",
                            "command", "aya", "codestral", "pixtral", "ministral", "devstral", "magistral"})


class FieldRules:
    """Compiled field rules; ``match(path)`` gives the first rule whose pattern matches the key path."""

    def __init__(self, rules: tuple[FieldRule, ...]) -> None:
        self._rules: list[tuple[bool, tuple[str, ...], FieldRule]] = []
        for r in rules:
            p = r.path[2:] if r.path.startswith("$.") else r.path
            anywhere = p.startswith("**.")
            parts = tuple(p[3:].split(".") if anywhere else p.split("."))
            self._rules.append((anywhere, parts, r))

    def __bool__(self) -> bool:
        return bool(self._rules)

    def match(self, path: tuple[str, ...]) -> FieldRule | None:
        for anywhere, parts, rule in self._rules:
            n = len(parts)
            if (len(path) == n or (anywhere and len(path) > n)) and all(
                want == "*" or want == got for want, got in zip(parts, path[-n:], strict=True)
            ):
                return rule
        return None


class JsonWalker:
    def __init__(self, redactor: TextRedactor, rules: FieldRules, answer: AnswerIdentifiers | None = None,
                 withhold_media: bool = False) -> None:
        """``answer``: what the request established about an answer's model and tool names (identifiers.py);
        None (request bodies, offline redaction): those fields are scanned like any other. ``withhold_media``:
        a base64 payload that is media whose content is not read (``documents.unread_media``) withholds the
        body."""
        self._r = redactor
        self._withhold_media = withhold_media
        self._rules = rules
        self._answer = answer if answer is not None and "NAME" in redactor.profile.types else None
        self._keys: dict[str, str] = {}  # scanned key -> its redacted form (a key is scanned once per body)
        # strings of content parts a finding crosses into (``_parts_crossing``): (id of container, key or
        # position) -> redacted form; None outside such a list
        self._parts: dict[tuple[int, str | int], str] | None = None

    @property
    def redactor(self) -> TextRedactor:
        return self._r

    def walk(self, node: Any, path: tuple[str, ...] = (), key: str = "") -> Any:
        """The redacted copy of ``node`` (``path``: the key path of ``node``, for field rules; ``key``: the
        nearest object key above it: numbers under a numeric schema key pass, any other number is scanned as text)."""
        if isinstance(node, str):
            return self._labelled(node, path) or self._string(node)
        if isinstance(node, (int, float)) and not isinstance(node, bool):
            if number_key_ok(key):
                return schema_number(key, node) if "ID" in self._r.profile.types else node
            return self._labelled(json.dumps(node), path) or self._number(node)
        if isinstance(node, dict):
            out: dict[str, Any] = {}
            crossing = self._crossing_keys(node)
            texts: list[tuple[str, str]] = []  # (new key, original) of free-text string values
            tool_call = (self._answer is not None and isinstance(node.get("name"), str)
                         and is_tool_call(path[-1] if path else "", node))
            for k, v in node.items():
                p = (*path, k)
                rule = self._rules.match(p) if self._rules else None
                if rule is not None:
                    new = self._apply_rule(rule, v)
                    if new is not _DROP:
                        out[self.key(k, out, crossing)] = new
                    continue
                if tool_call and k == "name" and self._answer is not None:
                    out[self.key(k, out, crossing)] = self._answer.tool_name(v)  # declared or replaced
                    continue
                pair = None if crossing and k in crossing else self._crossing_pair(k, v, p)
                if pair is not None:
                    out[self.unique(pair[0] or "#", k, out)] = pair[1]
                    continue
                nk = self.key(k, out, crossing)
                out[nk] = self.value(k, v, p)
                if isinstance(v, str) and not (has_shape(k) or is_model_key(k) or phi_keys.label(p)):
                    texts.append((nk, v))
            if len(texts) > 1:
                # sibling values read joined, as a table row a client prints (``{"a": "SSN 478", "b": "-21-5096"}``)
                joined = self._joined_strings([v for _, v in texts])
                if joined is not None:
                    for (nk, _), red in zip(texts, joined, strict=True):
                        out[nk] = red
            if self._parts:
                for k, nk in zip(node, out, strict=False):
                    if (id(node), k) in self._parts:
                        out[nk] = self._parts[(id(node), k)]
            return out
        if isinstance(node, list):
            return self._list(node, path, key)
        return node

    def _list(self, node: list[Any], path: tuple[str, ...], key: str) -> list[Any]:
        joined = self._joined_strings(node)
        if joined is None and not number_key_ok(key):
            joined = self._joined_numbers(node)
        if joined is None and not number_key_ok(key):
            joined = self._joined_text_and_numbers(node, path, key)
        if joined is not None:
            return joined
        outer = self._parts is None and sum(isinstance(v, (dict, list)) for v in node) > 1
        if outer:
            self._parts = self._parts_crossing(node, path)
        try:
            out = [self.walk(v, (*path, "*"), key) for v in node]
        finally:
            if outer:
                self._parts = None
        if self._parts:
            out = [self._parts.get((id(node), i), red) for i, red in enumerate(out)]
        return out

    def _parts_crossing(self, node: list[Any], path: tuple[str, ...]) -> dict[tuple[int, str | int], str]:
        """Content parts (Anthropic blocks, Gemini parts, Responses items, MCP content, a request's messages, the
        chunks of a Gemini stream sent as one JSON array): a list of objects whose text strings a client joins into
        one text (``[{"text": "SSN 478-21-"}, {"text": "5096"}]``). The strings are read joined in document order,
        and those under the same key path joined on their own (a stream's chunks repeat ids and names between the
        pieces of its text: ``[{"responseId": "a", "text": "SSN 478-"}, {"responseId": "a", "text": "21-5096"}]``).
        A finding that crosses from one part's string into another's is redacted where it lies
        (``_crossing_parts``); returns the redacted form of each string it touches, by container and key."""
        leaves: list[tuple[int, str | int, str, tuple[str, ...]]] = []
        self._text_leaves(node, path, leaves)
        if len({c for c, _, _, _ in leaves}) < 2:
            return {}  # strings of one object or one list: walk() reads those joined itself
        by_path: dict[tuple[str, ...], list[int]] = {}
        for i, leaf in enumerate(leaves):
            by_path.setdefault(leaf[3], []).append(i)
        groups = [list(range(len(leaves))), *(g for g in by_path.values() if 1 < len(g) < len(leaves))]
        out: dict[tuple[int, str | int], str] = {}
        for group in groups:
            parts = self._crossing_parts([out.get(leaves[i][:2], leaves[i][2]) for i in group])
            out.update({leaves[group[j]][:2]: red for j, red in (parts or {}).items()})
        for group in by_path.values():
            if len(group) > 1:
                self._word_pieces([leaves[i] for i in group], out)
        return out

    def _word_pieces(self, leaves: list[tuple[int, str | int, str, tuple[str, ...]]],
                     out: dict[tuple[int, str | int], str]) -> None:
        """The pieces of one text (strings under one key path, read joined) in which a piece's own scan finds a
        fragment of a word (``to|day`` sent as ``...seen tod`` + ``ay...``: ``tod`` alone reads as a name): a name
        or place finding at a piece's edge whose letters run on into the next or previous piece, where the joined
        letter run is a known word (``today``) and the joined text's scan finds nothing in it, is no finding. A
        run that is no known word (``Smith`` + ``Jones`` of two table cells), digits, and every other finding
        stay. Such pieces get their redacted form in ``out``; pieces already there (a finding crossing them) and
        pieces the walk reads another way (JSON, payloads, glued identifiers) keep theirs."""
        texts = [leaf[2] for leaf in leaves]
        joined = "".join(texts)
        if len(joined) > MAX_JOINED_LIST_CHARS:
            return  # too long to read joined: every piece is scanned on its own (fail closed)
        joined_spans: list[Span] | None = None
        pos = 0
        for i, (cid, key, v, _) in enumerate(leaves):
            a, b = pos, pos + len(v)
            pos = b
            if (cid, key) in out or not _plain_piece(v):
                continue
            if not (i > 0 and texts[i - 1][-1:].isalpha() and v[:1].isalpha()
                    or i + 1 < len(texts) and texts[i + 1][:1].isalpha() and v[-1:].isalpha()):
                continue
            own = self._r.spans(v)
            drop = []
            for sp in own:
                if sp.type not in _WORD_TYPES or not (sp.start == 0 or sp.end == len(v)):
                    continue
                lo, hi = a + sp.start, a + sp.end
                while lo > 0 and joined[lo - 1].isalpha():
                    lo -= 1
                while hi < len(joined) and joined[hi].isalpha():
                    hi += 1
                if (lo, hi) == (a + sp.start, a + sp.end) or not joined[a + sp.start : a + sp.end].isalpha():
                    continue  # the finding is a whole word of the joined text, or more than letters
                if not known_word(joined[lo:hi].lower()):
                    continue
                if joined_spans is None:
                    joined_spans = self._r.spans(joined)
                if not any(j.start < hi and lo < j.end for j in joined_spans):
                    drop.append(sp)
            if drop:
                out[(cid, key)] = self._r.apply(v, [sp for sp in own if sp not in drop])

    def _text_leaves(self, node: Any, path: tuple[str, ...],
                     out: list[tuple[int, str | int, str, tuple[str, ...]]]) -> None:
        """The free-text strings under ``node`` in document order, as (id of container, key or position, text,
        key path with ``*`` for list positions): values under keys a client reads as text (not shaped, model,
        PHI-labelled or field-rule keys)."""
        if isinstance(node, dict):
            for k, v in node.items():
                p = (*path, k)
                if isinstance(v, str):
                    if v and not (has_shape(k) or is_model_key(k) or phi_keys.label(p)
                                  or (self._rules and self._rules.match(p))):
                        out.append((id(node), k, v, p))
                elif isinstance(v, (dict, list)) and k not in TOKEN_ECHO_KEYS:
                    self._text_leaves(v, p, out)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                if isinstance(v, str):
                    if v:
                        out.append((id(node), i, v, (*path, "*")))
                else:
                    self._text_leaves(v, (*path, "*"), out)

    def _joined_strings(self, items: list[Any]) -> list[str] | None:
        """A list of strings read as the text a client joins them into (``["478", "-21-", "5096"]``): a finding
        that crosses from one string into the next is redacted where it lies (the replacement in the string
        where it starts, its rest removed from the others); each string is then scanned on its own. None when
        the list is not such a list, or no finding crosses."""
        if len(items) < 2 or not all(isinstance(v, str) for v in items):
            return None
        parts = self._crossing_parts(items)
        if parts is None:
            return None
        return [parts[i] if i in parts else self._string(v) for i, v in enumerate(items)]

    def _joined_numbers(self, items: list[Any]) -> list[Any] | None:
        """A short list of small whole numbers, maybe with short strings between them, read as the digits a client
        prints one after the other (``[478, 21, 5096]``, ``[4, 7, 8, 2, 1, 5, 0, 9, 6]``, ``[478, "-", 21, ...]``):
        adjacent numbers are read joined by ``-`` (by nothing when every number is one digit). A finding that
        crosses from one item into another is redacted where it lies (the numbers it touches become the
        redacted strings); None when the list is not such a list, or no finding crosses."""
        numbers = [v for v in items if _small_whole(v)]
        if not 2 <= len(numbers) <= MAX_NUMBER_PARTS or len(items) > 2 * MAX_NUMBER_PARTS or not all(
                _small_whole(v) or (isinstance(v, str) and len(v) <= MAX_NUMBER_GLUE) for v in items):
            return None
        sep = "" if all(v < 10 for v in numbers) else "-"
        texts = [(str(v) + sep if _small_whole(v) and i + 1 < len(items) and _small_whole(items[i + 1])
                  else str(v)) for i, v in enumerate(items)]
        parts = self._crossing_parts(texts, _number_part_types(numbers))
        if parts is None:
            return None
        return [parts[i].removesuffix(sep) if sep and i in parts and _small_whole(v) else parts.get(i, v)
                for i, v in enumerate(items)]

    def _joined_text_and_numbers(self, items: list[Any], path: tuple[str, ...], key: str) -> list[Any] | None:
        """A list of strings with whole numbers among them (``["SSN ", 478, "-", 21, "-", 5096]``): the numbers read
        as their digits where a client prints them, between the strings. A finding of the digit-group shapes
        (``_number_part_types``) that crosses items is redacted where it lies (numbers it touches become strings);
        None when the list is not such a list, or no finding crosses."""
        numbers = [v for v in items if isinstance(v, int) and not isinstance(v, bool)]
        if not numbers or len(numbers) == len(items) or not all(
                isinstance(v, str) or v in numbers for v in items) or len(items) > 2 * MAX_NUMBER_PARTS:
            return None
        parts = self._crossing_parts([v if isinstance(v, str) else str(v) for v in items],
                                     _number_part_types([abs(n) for n in numbers]))
        if parts is None:
            return None
        return [parts[i] if i in parts else self.walk(v, (*path, "*"), key) for i, v in enumerate(items)]

    def _crossing_parts(self, items: list[str], types: frozenset[str] | None = None) -> dict[int, str] | None:
        """The strings of ``items`` (read joined) that a finding crossing from one string into another touches,
        by position, redacted (``_joined_strings``); None when no finding crosses. ``types``: only findings of
        these types count."""
        if len(items) < 2:
            return None
        joined = "".join(items)
        if len(joined) > MAX_JOINED_LIST_CHARS:
            return None
        bounds, pos = [], 0
        for v in items:
            bounds.append((pos, pos + len(v)))
            pos += len(v)
        crossing = [sp for sp in self._r.spans(joined)
                    if (types is None or sp.type in types)
                    and any(a < sp.start < b < sp.end or sp.start < a < sp.end <= b for a, b in bounds)]
        if crossing:
            # a crossing finding every part of which its own string's scan finds anyway (a phone key glued to
            # an email key by the join) is no finding across strings
            own = [[Span(x.start + a, x.end + a, x.type, x.score) for x in self._r.spans(items[i])]
                   for i, (a, b) in enumerate(bounds)]
            crossing = [sp for sp in crossing if not all(
                any(x.start <= max(sp.start, a) and min(sp.end, b) <= x.end for x in own[i])
                for i, (a, b) in enumerate(bounds) if a < sp.end and sp.start < b)]
        if not crossing:
            return None
        out: dict[int, str] = {}
        for i, (a, b) in enumerate(bounds):
            parts, p = [], a
            for sp in crossing:
                if sp.end <= a or sp.start >= b:
                    continue
                parts.append(self._string(joined[p : max(sp.start, a)]) if sp.start > p else "")
                if sp.start >= a:
                    parts.append(self._r.replacement(joined[sp.start : sp.end], sp.type))
                p = min(sp.end, b)
            if parts:
                parts.append(self._string(joined[p:b]) if p < b else "")
                out[i] = "".join(parts)
        return out

    def value(self, key: str, v: Any, path: tuple[str, ...] = ()) -> Any:
        """The redacted copy of the value ``v`` found under ``key``."""
        if key in TOKEN_ECHO_KEYS and isinstance(v, (list, dict)) and v:  # (request flags: booleans, counts)
            return [] if isinstance(v, list) else None
        if key == TOKEN_IDS_KEY and isinstance(v, list) and v and all(
                isinstance(x, int) and not isinstance(x, bool) for x in v):
            return []  # the conversation as token ids (Ollama ``context``): text the guard cannot read
        if isinstance(v, str):
            shaped = value_shape_ok(key, v)
            if (shaped or has_shape(key)) and (found := self._bare(v)) is not None:
                return found  # an id or signature whose base64 is text
            if shaped:
                return v
            if self._answer is not None and is_answer_model(path):
                if v == self._answer.model:
                    return v
                if not self._answer.model_ok(v):
                    return self._answer.model_stand_in  # a word no model name has: replaced, not scanned
            if is_model_key(key) and MODEL_NAME.fullmatch(v):
                return self._model_name(v)
            if has_shape(key):
                return self._glued(v)
            return self._labelled(v, path) or self._string(v)
        return self.walk(v, path, key)

    def _crossing_keys(self, node: dict[str, Any]) -> dict[str, str] | None:
        """The keys of one object read joined, in order, as a client that prints them would (``{"SSN 478": 1,
        "-21-5096": 2}``): when a finding crosses from one key into the next, the redacted form of each key it
        touches (``_joined_strings`` of the keys); None when nothing crosses."""
        keys = [k for k in node if k and k not in SCHEMA_KEYS]
        if len(keys) < 2:
            return None
        joined = self._joined_strings(keys)
        return None if joined is None else dict(zip(keys, joined, strict=True))

    def _crossing_pair(self, k: str, v: Any, path: tuple[str, ...]) -> tuple[str, str] | None:
        """A key and its free-text string value read as a client prints them (``{"478-21": "-5096"}``,
        ``{"Maria": "Okonkwo"}``: key, a space, value): when a finding crosses from the key into the value, the
        redacted key and value (``_joined_strings``); None when nothing crosses. Only the value's first
        ``PAIR_PROBE`` characters are read to decide (a finding that crosses starts in the key)."""
        if not isinstance(v, str) or not v or not self.reads_with_value(k, path):
            return None
        probe = k + " " + v[:PAIR_PROBE]
        if not any(sp.start <= len(k) < sp.end - 1 for sp in self._r.spans(probe)):
            return None
        joined = self._joined_strings([k + " ", v])
        if joined is None:
            return None
        key, value = joined
        return (key[:-1] if key.endswith(" ") else key), value

    def reads_with_value(self, k: str, path: tuple[str, ...]) -> bool:
        """Whether key ``k`` (at ``path``, ``*`` for list positions) is read with its string value, as a client
        prints them (``_crossing_pair``; streamed events: ``EventRedactor``): any key but schema keys, keys of
        a checked shape, PHI keys and programmers' names (``note_text``, ``visitNote``)."""
        if not k or k in SCHEMA_KEYS or len(k) > PAIR_PROBE or has_shape(k) or is_model_key(k):
            return False
        return not phi_keys.label(path) and not _PROGRAM_KEY.fullmatch(k)

    def pair_spans(self, k: str, v: str) -> tuple[list[Span], list[Span]]:
        """The findings that cross from key ``k`` into its value ``v`` read as a client prints them, with a
        space or glued (``{"478-2": "1-5096"}``): their parts in the key and in the value (offsets into each).
        A crossing finding whose every part the key's and the value's own scans find anyway is no crossing.
        Only the value's first ``PAIR_PROBE`` characters are read."""
        v = v[:PAIR_PROBE]
        in_k: list[Span] = []
        in_v: list[Span] = []
        own: tuple[list[Span], list[Span]] | None = None
        for sep in (" ", ""):
            off = len(k) + len(sep)
            for sp in self._r.spans(k + sep + v):
                if not (sp.start < len(k) and sp.end > off):
                    continue
                if own is None:
                    own = (self._r.spans(k), self._r.spans(v))
                a, b = Span(sp.start, len(k), sp.type, sp.score), Span(0, sp.end - off, sp.type, sp.score)
                if not (any(o.start <= a.start and a.end <= o.end for o in own[0])
                        and any(o.start <= b.start and b.end <= o.end for o in own[1])):
                    in_k.append(a)
                    in_v.append(b)
        return resolve(in_k), resolve(in_v)

    def key(self, k: str, siblings: dict[str, Any] | None = None, crossing: dict[str, str] | None = None) -> str:
        """A scanned object key (schema keys pass); unique among ``siblings`` already placed. ``crossing``: the
        keys of this object a finding across keys touched, already redacted (``_crossing_keys``)."""
        if k in SCHEMA_KEYS or not k:
            return k
        new = crossing.get(k) if crossing else None
        if new is not None:
            return self.unique(new or "#", k, siblings)
        new = self._keys.get(k)
        if new is None:
            new = self._bare(k) or self._r.redact(k)  # (a key that is base64 text: replaced whole)
            if len(self._keys) < MAX_REMEMBERED_KEYS:
                self._keys[k] = new
        return self.unique(new, k, siblings)

    @staticmethod
    def unique(new: str, k: str, siblings: dict[str, Any] | None) -> str:
        """``new`` (the redacted form of key ``k``), suffixed ``#2``, ``#3`` ... when a sibling has it."""
        if siblings is not None and new != k and new in siblings:
            n = 2
            while f"{new}#{n}" in siblings:
                n += 1
            new = f"{new}#{n}"
        return new

    def _labelled(self, v: str, path: tuple[str, ...]) -> str | None:
        """A value whose key names a PHI field (``last_name``, ``zip``, FHIR ``name.family``: ``phi_keys``),
        when the profile redacts that type: redacted as scanned when the scan finds something in it, else
        whole as that type (the key is the cue). None: not such a value (scan it as text)."""
        type_ = phi_keys.label(path) if path else None
        if type_ is None or type_ not in self._r.profile.types or not v.strip():
            return None
        spans = self._r.spans(v)
        return self._r.apply(v, spans or [Span(0, len(v), type_, 1.0)])

    def _glued(self, v: str) -> str:
        """A structural value (id, type, signature ...) not of its shape: scanned as written and with its
        separators read as spaces (``SSN-123-45-6789-Smith``, ``response.maria_okonkwo``)."""
        view = _GLUE.sub(" ", v)
        spans = self._r.spans(v)
        if view != v:
            spans = resolve(spans + self._r.spans(view))
        if "ID" in self._r.profile.types:
            runs = [Span(m.start(), m.end(), "ID", 1.0) for m in _GLUED_DIGITS.finditer(v)]
            if runs:
                spans = resolve(spans + runs)
        return self._r.apply(v, spans)

    def _number(self, n: int | float) -> Any:
        """A number outside the APIs' schema (``"ssn": 123456789``): scanned as its JSON text; a number in
        which something is found becomes the redacted string. A number whose integer part has identifier
        length (7 digits or more: ``-478215096.0``, ``4.78215096e8``, ``478215096000000000000``) is an ``ID``
        whatever its sign, fraction or exponent (fractions such as embeddings keep their digits)."""
        text = json.dumps(n)
        if "ID" in self._r.profile.types and n == n and abs(n) != float("inf") and abs(n) >= _ID_NUMBER:
            return self._r.replacement(text, "ID")
        red = self._r.redact(text)
        return n if red == text else red

    def _model_name(self, v: str) -> str:
        spans = [s for s in self._r.spans(v) if s.type not in _MODEL_VERSION_TYPES
                 and v[s.start : s.end].lower() not in MODEL_FAMILIES]
        if "ID" in self._r.profile.types:
            # a digit run of identifier length that is no date version (``claude-3-5-sonnet-20241022``)
            spans = resolve(spans + [Span(m.start(), m.end(), "ID", 1.0) for m in _GLUED_DIGITS.finditer(v)
                                     if not _VERSION_DATE.fullmatch(m.group())])
        return self._r.apply(v, spans)

    def _string(self, s: str) -> str:
        if not s:
            return s
        t = s.strip()
        if len(t) > 1 and t[0] in "[{" and t[-1] in "]}":
            # JSON carried in a string (tool arguments and results): walk it with the same rules
            try:
                inner = json.loads(t)
            except ValueError:
                inner = None
            if isinstance(inner, (dict, list)):
                return json.dumps(self.walk(inner, ()), ensure_ascii=False)
        if "base64," in s:
            return self._data_urls(s)
        raw = bare_bytes(s)
        if raw is not None and self._withhold_media:
            self._check_media(raw)
        payload = None if raw is None else payload_of(raw)
        if isinstance(payload, str) and (found := self._payload(s, payload)) is not None:
            return found
        if payload is not None and len(s) >= MIN_OPAQUE_CHARS:
            return s  # its text read and clean, or an image's pixels: the base64 itself is no text a reader reads
        if "_" in s and " " not in s:
            return self._glued(s)  # an identifier-like token (``tooluse_478215096``, ``lookup_Okonkwo``)
        return self._r.redact(s)

    def _data_urls(self, s: str) -> str:
        """A string holding base64 ``data:`` URLs: each URL whose payload is UTF-8 text is decoded and scanned
        (JSON walked), and replaced whole when anything is found in it; the text around is scanned as text.
        Binary payloads (images) pass as written."""
        out, pos = [], 0
        for m in _DATA_URL.finditer(s):
            out.append(self._r.redact(s[pos : m.start()]) if m.start() > pos else "")
            out.append(self._data_url(m))
            pos = m.end()
        out.append(self._r.redact(s[pos:]) if pos < len(s) else "")
        return "".join(out)

    def _data_url(self, m: re.Match[str]) -> str:
        payload = m.group("b64") or m.group("quoted")
        text = None
        charset = declared_charset(m.group("params"))
        for n, candidate in enumerate((re.sub(r"\s", "", payload), re.split(r"\s", payload, maxsplit=1)[0])):
            raw = data_url_bytes(candidate)
            if n == 0 and raw is not None and self._withhold_media:
                self._check_media(raw)  # the whole payload, as a browser reads it
            text = None if raw is None else bytes_text(raw, charset)
            if text is not None:
                break
        if text is None:
            return m.group()  # not text
        found = self._payload(m.group(), text)
        return m.group() if found is None else found

    @staticmethod
    def _check_media(raw: bytes) -> None:
        if unread_media(raw):
            raise UnreadMedia("media whose content is not read (request_media: withhold)")

    def _bare(self, s: str) -> str | None:
        """``s`` replaced whole when it is a bare base64 value whose text has a finding, else None."""
        text = bare_text(s)
        return None if text is None else self._payload(s, text)

    def _payload(self, carrier: str, text: str) -> str | None:
        """``carrier`` (a data: URL, a base64 value) replaced whole when the text it holds has a finding, else
        None."""
        red = self._string(text)
        if red == text:
            return None
        spans = self._r.spans(text)
        return self._r.replacement(carrier, spans[0].type if spans else "ID")

    def _apply_rule(self, rule: FieldRule, value: Any) -> Any:
        if rule.action == "drop":
            self._r.counts[rule.type] += 1
            return _DROP
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        spec = operators.OperatorSpec(kind=rule.action)
        return self._r.replacement_with(spec, text, rule.type)


_WORD_TYPES = frozenset({"NAME", "LOCATION"})


def _plain_piece(v: str) -> bool:
    """A string ``JsonWalker._string`` reads as plain text (no JSON, data URL, bare bytes or glued identifier)."""
    t = v.strip()
    return not (len(t) > 1 and t[0] in "[{" and t[-1] in "]}" or "base64," in v or bare_bytes(v) is not None
                or "_" in v and " " not in v)


def _small_whole(v: Any) -> bool:
    """``v`` is a JSON whole number from 0 to 9999 (a group of digits of an identifier or a date)."""
    return isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 10000


def _number_part_types(numbers: list[int]) -> frozenset[str]:
    """The finding types a list of small whole numbers is redacted for: a date only with a 4-digit year among them
    (``[1962, 3, 14]``; ``[10, 20, 30]`` is no date), an ID only when it is a run of single digits with the shape
    of an identifier (``digit_runs.shape_kind``: not a counting sequence, not a bit vector)."""
    types = set(NUMBER_PART_TYPES)
    if any(v >= 1000 for v in numbers):
        types.add("DATE")
    if len(numbers) >= MIN_DIGIT_LIST and max(numbers) < 10 and digit_runs.shape_kind("".join(map(str, numbers))):
        types.add("ID")
    return frozenset(types)
