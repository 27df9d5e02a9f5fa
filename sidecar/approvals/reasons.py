"""What counts as a written reason (break-glass): visible letters and digits, not invisible filler.

Hangul fillers (U+115F, U+1160, U+3164, U+FFA0) are letters to Unicode yet render as nothing; the Braille blank
(U+2800), zero-width and other format characters, combining marks, whitespace and punctuation carry no words
either. Only letters and digits that are not default-ignorable are counted.
"""

from __future__ import annotations

import unicodedata

# Default_Ignorable_Code_Point letters and the blank-rendering fillers (Unicode DerivedCoreProperties).
INVISIBLE_LETTERS = frozenset({"\u115f", "\u1160", "\u17b4", "\u17b5", "\u3164", "\uffa0", "\u2800"})


def visible_alnum_count(text: str) -> int:
    """How many visible letters and digits ``text`` holds (after NFKC)."""
    n = 0
    for ch in unicodedata.normalize("NFKC", text):
        if ch in INVISIBLE_LETTERS:
            continue
        if unicodedata.category(ch)[0] in "LN":
            n += 1
    return n
