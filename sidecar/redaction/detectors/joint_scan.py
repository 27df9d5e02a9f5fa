"""Gate answers from a scan that already happened: the prefilter's whole-text hyperscan scan also carries the
expressions of the detectors' own gates (``RegexGate``, the patterns of a ``WordGate``), so on a long ASCII text
one scan answers all of them instead of one scan each (speed; the answers are the same: each expression in a
hyperscan database matches independently of the others).

The prefilter ``publish``es the hits of one text; a gate asked about that very text object (``hits_for``) uses
them, any other text it scans itself. The analyzer ``clear``s the answers when it is done with the text.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Protocol


class JointMember(Protocol):
    """A gate whose hyperscan expressions may be scanned as part of another database."""

    def joint_exprs(self) -> Sequence[tuple[bytes, int, int]]:
        """(expression, id reported to the gate, hyperscan flags) of every expression the gate scans raw
        ASCII text with."""
        ...


_LOCAL = threading.local()  # (text, {id(gate): hit ids}, gates kept alive so their ids stay theirs)


def publish(text: str, hits: dict[int, set[int]], gates: Sequence[object]) -> None:
    """The hits of every gate in ``gates`` on ``text`` (an ASCII text scanned whole, to its end)."""
    _LOCAL.entry = (text, hits, gates)


def hits_for(gate: object, text: str) -> set[int] | None:
    """The ids of ``gate``'s expressions that match ``text`` when a joint scan of this text object answered
    for this gate, else None (the gate scans itself)."""
    entry = getattr(_LOCAL, "entry", None)
    if entry is None or entry[0] is not text:
        return None
    return entry[1].get(id(gate))  # type: ignore[no-any-return]


def clear() -> None:
    _LOCAL.entry = None
