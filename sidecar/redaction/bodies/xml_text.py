"""The text of an XML document part (DOCX, ODT, XMP) as a reader sees it."""

from __future__ import annotations

import re

_TAGS = re.compile(r"(?:<[^<>]*>)+")
_BLOCK = re.compile(r"</?(?:[\w.-]+:)?(?:p|br|tab|tc|td|th|tr|li|si|c|row|cell|div|h\d|text|para)[\s/>]", re.I)


def xml_text(xml: str) -> str:
    """The text of an XML part as a reader sees it: runs inside a paragraph joined (``<w:t>Jo</w:t><w:t>hn``
    reads ``John``), paragraphs, cells and line breaks on their own lines."""
    return _TAGS.sub(lambda m: "\n" if _BLOCK.search(m.group()) else "", xml)
