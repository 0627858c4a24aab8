"""How any use case writes to a citizen: only if they left an address, by e-mail and text
alike, with links into the public site (``ctx.public_url``)."""

from __future__ import annotations

from typing import Any, Protocol

from chalicelib.messages import render
from chalicelib.ports import Attachment
from chalicelib.services.context import Context


class Contact(Protocol):
    """Whom a message reaches: a case's, a booking's or a waitlist entry's citizen."""

    @property
    def full_name(self) -> str: ...
    @property
    def email(self) -> str | None: ...
    @property
    def phone(self) -> str | None: ...


def tell(
    ctx: Context,
    citizen: Contact,
    template: str,
    language: str,
    *,
    attachments: tuple[Attachment, ...] = (),
    **fields: Any,
) -> None:
    """Sends ``template`` to the citizen, if they left an e-mail or a phone."""
    if not (citizen.email or citizen.phone):
        return
    ctx.notifier.send(
        render(
            template,
            language,
            email=citizen.email,
            phone=citizen.phone,
            attachments=attachments,
            full_name=citizen.full_name,
            **fields,
        )
    )


def public_link(ctx: Context, language: str, page: str, anchor: str, token: str | None) -> str:
    """A page of the public site; the citizen's token, when known, rides in the fragment."""
    url = f"{ctx.public_url}/{language}/{page}/#{anchor}"
    return f"{url}&token={token}" if token else url
