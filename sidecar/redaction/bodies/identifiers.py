"""Identifier fields of an answer that are not prose: the ``model`` name and tool-call names.

A detector cannot tell a lone surname glued into a token (``lookup_Okonkwo``, ``Okonkwo-v1``) from a word, so
these fields are checked against what the request itself established, not scanned for PHI:

- **tool names**: a tool call in the answer (OpenAI ``function.name``, Responses ``function_call``, Anthropic
  ``tool_use``, Gemini ``functionCall``, Bedrock ``toolUse``, Ollama) must name a tool the caller declared in
  its request (``tools[]``); any other name is replaced by :data:`UNDECLARED_TOOL` (the client could not call
  it anyway).
- **model**: the answer's top-level ``model`` / ``modelVersion`` (also ``message.model``, ``response.model``)
  is kept when it equals the requested model, or when each of its words (letter runs) is a single letter, a
  word of the requested model, or a word of provider model names (:data:`MODEL_WORDS`, extended by
  ``redaction.model_name_words``): ``gpt-4o-2024-08-06`` for ``gpt-4o``, ``claude-3-5-sonnet-20241022``;
  digit runs keep their own rule (json_walk). Otherwise it is replaced by the requested model.

The rule applies to answers whose profile redacts names (a profile that keeps names keeps them here too), and
only when the request is known (ext_proc passes it from the ext_authz hand-off; without a hand-off, an empty
request: every tool name is replaced, the model checked against the word list alone).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

UNDECLARED_TOOL = "undeclared_tool"
REPLACED_MODEL = "model"  # the stand-in when the requested model is unknown

# object keys whose object is a tool call: its "name" is a tool name
TOOL_CALL_KEYS = frozenset({"function", "function_call", "functionCall", "toolUse"})
# content / output item types that are tool calls
TOOL_CALL_TYPES = frozenset({"tool_use", "server_tool_use", "mcp_tool_use", "function_call", "custom_tool_call",
                             "mcp_call"})
MODEL_KEYS = frozenset({"model", "modelVersion"})
MODEL_PARENTS = frozenset({"message", "response"})  # Anthropic message_start, OpenAI Responses

# Words of provider model names (families, sizes, qualifiers, hosting prefixes). Not names of people: ``ada``,
# ``curie``, ``davinci`` (old OpenAI families) pass only as words of the requested model.
_MODEL_WORDS_TEXT = """
gpt chatgpt o claude opus sonnet haiku instant gemini gemma flash lite pro ultra nano llama codellama mistral
mixtral codestral ministral pixtral magistral devstral qwen qwq deepseek phi command r plus aya embed titan nova
jamba grok falcon olmo granite yi glm kimi dbrx nemotron starcoder whisper dall e tts sora omni mini turbo preview
latest exp experimental instruct chat vision audio realtime search reasoning reasoner coder code thinking it base
small medium large xl xxl tiny hd fp bf int gguf awq gptq q k m s v vl moe text embedding embeddings moderation
transcribe image anthropic openai google meta amazon bedrock azure models publishers us eu apac global echo clinical
notes demo default auto lora ft
"""
MODEL_WORDS = frozenset(_MODEL_WORDS_TEXT.split())

_WORDS = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True, slots=True)
class AnswerIdentifiers:
    """What the request established about the answer's identifier fields."""

    model: str = ""
    tools: frozenset[str] = frozenset()
    extra_model_words: frozenset[str] = frozenset()

    @classmethod
    def of(cls, model: str, tools: Iterable[str], extra_model_words: Iterable[str] = ()) -> AnswerIdentifiers:
        return cls(model, frozenset(tools), frozenset(w.lower() for w in extra_model_words))

    def tool_name(self, name: str) -> str:
        """``name`` when the caller declared it, else :data:`UNDECLARED_TOOL`."""
        return name if name in self.tools else UNDECLARED_TOOL

    def model_ok(self, value: str) -> bool:
        """The answer's model name is the requested one, or made only of model-name words (see module doc)."""
        if value == self.model:
            return True
        requested = {w.lower() for w in _WORDS.findall(self.model)}
        return all(len(w) == 1 or (lw := w.lower()) in MODEL_WORDS or lw in requested
                   or lw in self.extra_model_words for w in _WORDS.findall(value))

    @property
    def model_stand_in(self) -> str:
        return self.model or REPLACED_MODEL


def is_tool_call(parent_key: str, obj: dict[str, object]) -> bool:
    """``obj`` (found under ``parent_key``) is a tool call whose ``name`` is a tool name."""
    return parent_key in TOOL_CALL_KEYS or obj.get("type") in TOOL_CALL_TYPES


def is_answer_model(path: tuple[str, ...]) -> bool:
    """``path`` (keys down to the value) is the answer's own model field, not a ``model`` key in tool data."""
    return bool(path) and path[-1] in MODEL_KEYS and (len(path) == 1 or (len(path) == 2 and path[0] in MODEL_PARENTS))
