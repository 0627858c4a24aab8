"""What the API says to people, in Greek (default) and English.

The texts live in ``chalicelib/data/problems.json`` so that they are edited as translations, not
as code; both languages of a text sit side by side."""

from __future__ import annotations

import json
from pathlib import Path

_TEXTS = json.loads((Path(__file__).parent.parent / "data" / "problems.json").read_text("utf-8"))

# Problem titles by problem type, and field messages by message code.
TITLES: dict[str, dict[str, str]] = _TEXTS["titles"]
FIELD_MESSAGES: dict[str, dict[str, str]] = _TEXTS["fields"]


def language_of(accept_language: str | None) -> str:
    if not accept_language:
        return "el"
    first = accept_language.split(",")[0].strip().lower()
    return "en" if first.startswith("en") else "el"


def title(problem: str, language: str) -> str:
    return _in(TITLES.get(problem, TITLES["validation"]), language)


def field_message(code: str, language: str, **params: object) -> str:
    text = _in(FIELD_MESSAGES.get(code, FIELD_MESSAGES["invalid-type"]), language)
    try:
        return text.format(**params)
    except (KeyError, IndexError):
        return text


def _in(texts: dict[str, str], language: str) -> str:
    return texts["en"] if language == "en" else texts["el"]
