"""Every refusal the API can give has its title in Greek and in English."""

from __future__ import annotations

import re
from pathlib import Path

import app  # noqa: F401  (registers every route group's problems)
from chalicelib.api import problems
from chalicelib.api.i18n import FIELD_MESSAGES, TITLES


def test_every_problem_the_api_maps_has_a_title_in_both_languages():
    mapped = {problem for _, problem in problems.STATUS.values()}
    missing = sorted(p for p in mapped if set(TITLES.get(p, {})) != {"el", "en"})
    assert missing == []


def test_every_text_is_given_in_both_languages_and_differs_between_them():
    for texts in (*TITLES.values(), *FIELD_MESSAGES.values()):
        assert set(texts) == {"el", "en"}
        assert texts["el"].strip() and texts["en"].strip()
        assert texts["el"] != texts["en"]


def test_every_field_message_the_code_raises_has_its_text():
    """A message code given to InvalidInput without a text would fall back to a vague one."""
    source = "\n".join(p.read_text("utf-8") for p in Path("chalicelib").rglob("*.py"))
    raised = set(re.findall(r'InvalidInput\(\s*"[^"]+",\s*"([^"]+)"', source))
    assert raised, "the scan found no InvalidInput at all"
    assert sorted(raised - set(FIELD_MESSAGES)) == []
