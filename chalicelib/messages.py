"""Messages to citizens, rendered from jinja2 templates in Greek or English.

A template's first line is the subject; the rest is the body.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chalicelib.ports import Attachment, Message

if TYPE_CHECKING:
    from jinja2 import Environment

_TEMPLATES = Path(__file__).parent / "templates"


@cache
def _environment() -> Environment:
    # Imported on the first message, not at cold start: most requests send none.
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    # StrictUndefined: a missing value is a bug to catch in tests, not a blank in a letter.
    return Environment(
        loader=FileSystemLoader(_TEMPLATES),
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
    )


def render(
    template: str,
    language: str,
    *,
    email: str | None = None,
    phone: str | None = None,
    attachments: tuple[Attachment, ...] = (),
    **context: Any,
) -> Message:
    language = "en" if language == "en" else "el"
    text = _environment().get_template(f"{template}.{language}.txt").render(**context)
    subject, _, body = text.partition("\n")
    return Message(
        template, language, subject.strip(), body.strip() + "\n", email, phone, attachments
    )
