"""Rebuild sidecar/redaction/data/first_names_world.txt.gz and surnames_world.txt.gz: first names and surnames of
many countries, beside the 1990 US Census lists (first_names.txt.gz, surnames.txt.gz).

The Census lists hold 5,163 first names of 1990 US residents: no Seamus, Priya, Kenji, Kwame, Alistair, Agnieszka
or Adaeze. The name rules that need a lexicon name (a first name opening a clause before what visitors do, a first
name + surname pair, a name in a list) then miss them outside a cue, on every corpus written by a new author.

Source: the person providers of every locale of Faker (``pip download --no-deps faker``; MIT licence, names
compiled by its contributors from public lists): first names (``first_names``, ``first_names_male``,
``first_names_female``, ``first_names_nonbinary``, romanised forms) and last names. Kept: names written in Latin
letters, folded to ASCII (the name detector reads ASCII words: ``Zsófia`` -> ``Zsofia``), four letters or more (shorter
ones are mostly clinical abbreviations or junk: ``Vit``, ``Rai``, ``Blr``), that
are not already on the Census lists, on the safe list (English words and inflections: ``Floor``, ``Cas``, ``Will``
stay words unless a cue names them), function words, US states or the words in ``EXCLUDED``.

Usage: python scripts/build_world_names.py DIR_WITH_UNPACKED_FAKER_WHEEL
"""

from __future__ import annotations

import gzip
import importlib
import pkgutil
import re
import sys
import unicodedata
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "sidecar" / "redaction" / "data"
LATIN = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ɏḀ-ỿ'’-]+$")
ASCII = re.compile(r"^[A-Za-z][A-Za-z'-]+$")
# not names in clinical or general text whatever a locale's list says (places, languages, clinical words)
EXCLUDED = frozenset(
    ("dakota", "carolina", "india", "china", "english", "spanish", "french", "german", "italian", "polish", "russian")
)
FIRST_ATTRS = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary",
               "first_romanized_names", "first_names_romanized")
LAST_ATTRS = ("last_names", "last_romanized_names", "last_names_romanized")


def _names(faker_dir: Path, attrs: tuple[str, ...]) -> set[str]:
    sys.path.insert(0, str(faker_dir))
    import faker.providers.person as person

    out: set[str] = set()
    for m in pkgutil.iter_modules(person.__path__):
        prov = getattr(importlib.import_module(f"faker.providers.person.{m.name}"), "Provider", None)
        for attr in attrs:
            v = getattr(prov, attr, None)
            if isinstance(v, (list, tuple, set, frozenset, dict)):
                out.update(n for n in v if isinstance(n, str) and LATIN.match(n))
    return out


def _fold(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()


def main(faker_dir: Path) -> None:
    sys.path.insert(0, str(DATA.parent.parent.parent))
    from sidecar.redaction.detectors import names
    from sidecar.redaction.detectors.lexicons import US_STATES, load_list

    flags = names.vocabulary()
    census = {w.lower() for w in load_list("first_names.txt.gz") | load_list("surnames.txt.gz")}
    states = {s.lower() for s in US_STATES}

    def keep(n: str) -> bool:
        low = n.lower()
        if not ASCII.match(n) or len(n) < 4 or low in census or low in states or low in EXCLUDED:
            return False
        return not (names.known_word(low) or flags.get(low, 0) & (names.FUNC | names.SAFE))

    for attrs, out, what in ((FIRST_ATTRS, "first_names_world.txt.gz", "first names"),
                             (LAST_ATTRS, "surnames_world.txt.gz", "surnames")):
        kept = sorted({f for f in (_fold(n) for n in _names(faker_dir, attrs)) if keep(f)})
        header = (
            f"# {len(kept)} {what} of many countries not on the Census lists (scripts/build_world_names.py).\n"
            "# Source: Faker person providers of every locale (PyPI faker, MIT licence), Latin script folded to\n"
            "# ASCII; safe-list words, function words and US states left out.\n"
        )
        (DATA / out).write_bytes(gzip.compress((header + "\n".join(kept) + "\n").encode(), mtime=0))
        print(out, len(kept))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
