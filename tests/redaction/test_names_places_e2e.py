"""Names, places and site vocabularies through the real path: Envoy in front, the guard's ext_authz/ext_proc,
the demo model's ``echo`` answer, safe_harbor (a researcher), streamed one to a few characters per event."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.redaction.echo_e2e import check, echo, echo_streamed

pytestmark = pytest.mark.e2e

NOTE = (
    "DR QUILLON AWARE. spoke with dtr mary re: plan. J SMITH RN. pt transferred to Ellison 8 from MGH. "
    "home: 4821 wisteria ports, apt 3, siegersville, or 77174. zaphod reviewed the chart. "
    "K, CA repleted. Pharmacy aware."
)
PHI = ("QUILLON", "mary", "SMITH", "Ellison 8", "MGH", "4821 wisteria", "siegersville", "77174", "zaphod")
KEPT = ("K, CA repleted", "Pharmacy aware")


@pytest.fixture(scope="module")
def site_stack(stack_factory: Callable[..., Any], tmp_path_factory: pytest.TempPathFactory) -> Any:
    site = Path(tmp_path_factory.mktemp("site-vocabulary"))
    (site / "staff.txt").write_text("Zaphod\n", encoding="utf-8")
    return stack_factory(guard_overrides={"redaction": {"site_vocabulary_dir": str(site)}})


def test_any_case_names_places_and_site_staff_are_redacted(site_stack: Any) -> None:
    check(echo(site_stack, NOTE), PHI, KEPT)


@pytest.mark.parametrize("chunk_chars", ["1", "4"])
def test_streamed_any_case_names_and_places_are_redacted_whole(site_stack: Any, chunk_chars: str) -> None:
    check(echo_streamed(site_stack, NOTE, chunk_chars), PHI, KEPT)


def test_control_the_site_name_passes_without_the_site_list(stack: Any) -> None:
    """Control: on a stack without the site list, the staff-only name reaches the caller (the oracle can fail)."""
    assert "zaphod" in echo(stack, "zaphod reviewed the chart.").lower()  # no cue: only the site list names it
