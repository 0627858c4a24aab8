"""Validation and normalisation of the identifiers citizens give us.

Each ``normalise_*`` function returns the canonical form we store, or raises
:class:`InvalidIdentifier` whose ``code`` the API layer maps to a translated
message, so the wording never has to be parsed.
"""

from __future__ import annotations

import re
from datetime import date

_DIGITS = re.compile(r"[0-9]+")
# Separators people type or that forms paste in; anything else is an error.
_PHONE_SEPARATORS = re.compile(r"[\s\-.()/]")
_WHITESPACE = re.compile(r"\s")

_AMKA_LENGTH = 11
_AFM_LENGTH = 9
_GREEK_COUNTRY_CODE = "30"
_GREEK_NATIONAL_LENGTH = 10
_EMAIL_MAX_LENGTH = 254
_EMAIL_LOCAL_MAX_LENGTH = 64


class InvalidIdentifier(ValueError):
    """An identifier failed validation; ``code`` is stable and machine-readable."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _is_digits(value: str, length: int) -> bool:
    # str.isdigit() would accept e.g. Arabic-Indic digits, which no registry issues.
    return len(value) == length and _DIGITS.fullmatch(value) is not None


def amka_check_digit(first10: str) -> str:
    """The Luhn digit that makes ``first10`` followed by it a valid AMKA."""
    if not _is_digits(first10, _AMKA_LENGTH - 1):
        raise InvalidIdentifier("amka.format", "expected 10 digits")
    total = 0
    # The check digit will sit at the right, so doubling starts with the
    # rightmost of these ten digits.
    for position, char in enumerate(reversed(first10)):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return str((10 - total % 10) % 10)


def _is_amka_date(ddmmyy: str) -> bool:
    day, month, year = int(ddmmyy[0:2]), int(ddmmyy[2:4]), int(ddmmyy[4:6])
    # The century is not encoded; 29/02/00 is valid because 2000 was a leap year.
    for century in (2000, 1900):
        try:
            date(century + year, month, day)
        except ValueError:
            continue
        return True
    return False


def normalise_amka(value: str) -> str:
    """Return the 11-digit AMKA, or raise ``InvalidIdentifier``."""
    amka = _WHITESPACE.sub("", value)
    if not _is_digits(amka, _AMKA_LENGTH):
        raise InvalidIdentifier("amka.format", "an AMKA has 11 digits")
    if not _is_amka_date(amka[:6]):
        raise InvalidIdentifier("amka.date", "an AMKA starts with a date of birth DDMMYY")
    if amka_check_digit(amka[:10]) != amka[10]:
        raise InvalidIdentifier("amka.check", "the AMKA check digit does not match")
    return amka


def afm_check_digit(first8: str) -> str:
    """The check digit that makes ``first8`` followed by it a valid AFM."""
    if not _is_digits(first8, _AFM_LENGTH - 1):
        raise InvalidIdentifier("afm.format", "expected 8 digits")
    total = sum(int(char) * 2 ** (8 - index) for index, char in enumerate(first8))
    return str(total % 11 % 10)


def normalise_afm(value: str) -> str:
    """Return the 9-digit AFM (tax number), or raise ``InvalidIdentifier``."""
    afm = _WHITESPACE.sub("", value)
    if not _is_digits(afm, _AFM_LENGTH):
        raise InvalidIdentifier("afm.format", "an AFM has 9 digits")
    # All zeros passes the arithmetic but is a placeholder, never a real AFM.
    if afm == "0" * _AFM_LENGTH:
        raise InvalidIdentifier("afm.check", "an AFM cannot be all zeros")
    if afm_check_digit(afm[:8]) != afm[8]:
        raise InvalidIdentifier("afm.check", "the AFM check digit does not match")
    return afm


def _strip_country_code(compact: str) -> str:
    if compact.startswith("+"):
        international = compact[1:]
    elif compact.startswith("00"):
        international = compact[2:]
    else:
        return compact
    if _DIGITS.fullmatch(international) is None:
        raise InvalidIdentifier("phone.format", "a phone number has digits only")
    if not international.startswith(_GREEK_COUNTRY_CODE):
        raise InvalidIdentifier("phone.not_greek", "only Greek phone numbers are accepted")
    return international[len(_GREEK_COUNTRY_CODE) :]


def normalise_greek_phone(value: str) -> str:
    """Return a Greek mobile or landline number in E.164 (``+30`` + 10 digits)."""
    compact = _PHONE_SEPARATORS.sub("", value)
    national = _strip_country_code(compact)
    if not _is_digits(national, _GREEK_NATIONAL_LENGTH):
        raise InvalidIdentifier("phone.format", "a Greek phone number has 10 digits")
    # Mobiles are 69x and landlines 2xx; other ranges (e.g. 800, 190) are
    # services we cannot call back.
    if not (national.startswith("69") or national.startswith("2")):
        raise InvalidIdentifier("phone.format", "not a Greek mobile or landline number")
    return f"+{_GREEK_COUNTRY_CODE}{national}"


def normalise_email(value: str) -> str:
    """Return the address stripped, with its domain lower-cased.

    Deliberately pragmatic: full RFC 5322 accepts addresses no mail system we
    send through will deliver to, and the real test is the confirmation mail.
    """
    email = value.strip()
    if len(email) > _EMAIL_MAX_LENGTH or _WHITESPACE.search(email):
        raise InvalidIdentifier("email.format", "not a valid e-mail address")
    local, at, domain = email.partition("@")
    if not at or "@" in domain or not local or len(local) > _EMAIL_LOCAL_MAX_LENGTH:
        raise InvalidIdentifier("email.format", "not a valid e-mail address")
    labels = domain.split(".")
    if len(labels) < 2 or not all(labels):
        raise InvalidIdentifier("email.format", "the e-mail domain is not valid")
    # Only the domain is case-insensitive by standard; the local part may not be.
    return f"{local}@{domain.lower()}"
