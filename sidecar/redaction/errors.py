"""Why a body could not be redacted. The wiring withholds the body on any of these (fail closed)."""

from __future__ import annotations


class RedactionError(Exception):
    """Base: the body must be withheld. ``code`` is a short machine-readable cause (safe to log)."""

    code = "redaction_error"


class UnknownProfile(RedactionError, KeyError):
    code = "unknown_profile"

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else self.code


class BodyTooLarge(RedactionError):
    code = "body_too_large"


class BodyParseError(RedactionError):
    code = "body_parse_error"


class UnsupportedEncoding(RedactionError):
    code = "unsupported_encoding"


class DecompressionError(RedactionError):
    code = "decompression_error"


class ContentWithheld(RedactionError):
    """Policy says bodies of this content type are withheld, not redacted."""

    code = "content_withheld"


class ProcessorClosed(RedactionError):
    code = "processor_closed"


class UnsupportedCharset(RedactionError):
    """The declared charset is unknown or not a text encoding: the body cannot be read, so it is withheld."""

    code = "unsupported_charset"
