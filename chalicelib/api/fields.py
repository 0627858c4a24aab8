"""Reusable validated fields for request bodies: Greek identifiers with coded errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict
from pydantic_core import PydanticCustomError

from chalicelib.domain.identifiers import (
    InvalidIdentifier,
    normalise_afm,
    normalise_amka,
    normalise_email,
    normalise_greek_phone,
)


def _coded(normalise: Callable[[str], str]) -> Callable[[str], str]:
    def check(value: str) -> str:
        try:
            return normalise(value)
        except InvalidIdentifier as error:
            # The error type is the message code; the API turns it into el/en text.
            raise PydanticCustomError(error.code, str(error)) from None

    return check


Amka = Annotated[str, AfterValidator(_coded(normalise_amka))]
Afm = Annotated[str, AfterValidator(_coded(normalise_afm))]
Email = Annotated[str, AfterValidator(_coded(normalise_email))]
GreekPhone = Annotated[str, AfterValidator(_coded(normalise_greek_phone))]


class Strict(BaseModel):
    """Unknown fields are refused, strings are trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
