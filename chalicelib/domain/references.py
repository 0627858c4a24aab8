"""Human-facing references such as ``C-7K3M-9Q2XH`` and secret URL tokens.

References are read aloud over the phone and typed back by agents, so they use
Crockford's base32 (no I, L, O, U to confuse) and end with Crockford's mod-37
check symbol, which catches every single-symbol mistake and every swap of two
adjacent symbols before we hit the database.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CHECK_SYMBOLS = ALPHABET + "*~$=U"

DEFAULT_LENGTH = 8
_GROUP = 4
_BITS_PER_SYMBOL = 5
_TOKEN_BYTES = 32

_PREFIX = re.compile(r"[A-Z]{1,3}")
_SEPARATORS = re.compile(r"[\s\-]+")
# Crockford's decoding is forgiving about the look-alikes it leaves out.
_ALIASES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_VALUES = {symbol: value for value, symbol in enumerate(CHECK_SYMBOLS)}


class InvalidReference(ValueError):
    """The text is not a well-formed reference or its check symbol is wrong."""


def _check_symbol(body: str) -> str:
    value = 0
    for symbol in body:
        value = value * len(ALPHABET) + _VALUES[symbol]
    return CHECK_SYMBOLS[value % len(CHECK_SYMBOLS)]


def _format(prefix: str, body: str) -> str:
    groups = [body[i : i + _GROUP] for i in range(0, len(body), _GROUP)]
    return f"{prefix}-{'-'.join(groups)}{_check_symbol(body)}"


def new_reference(
    prefix: str,
    random_bits: Callable[[int], int] = secrets.randbits,
    length: int = DEFAULT_LENGTH,
) -> str:
    """A fresh reference ``PREFIX-XXXX-XXXXC`` with ``length`` random symbols."""
    if _PREFIX.fullmatch(prefix) is None:
        raise ValueError("a reference prefix is 1 to 3 uppercase letters")
    if length <= 0 or length % _GROUP:
        raise ValueError(f"a reference length is a positive multiple of {_GROUP}")
    bits = length * _BITS_PER_SYMBOL
    value = random_bits(bits)
    if not 0 <= value < 1 << bits:
        raise ValueError(f"random_bits({bits}) returned an out-of-range value")
    # Check values 32..36 would need the symbols * ~ $ = U, which are awkward to read
    # aloud and to put in a link; draw again instead (the check stays mod 37).
    while value % len(CHECK_SYMBOLS) >= len(ALPHABET):
        value = random_bits(bits)
    symbols = []
    for _ in range(length):
        value, digit = divmod(value, len(ALPHABET))
        symbols.append(ALPHABET[digit])
    return _format(prefix, "".join(reversed(symbols)))


def _split_prefix(tokens: list[str]) -> tuple[str, str]:
    if len(tokens) > 1 and _PREFIX.fullmatch(tokens[0]):
        return tokens[0], "".join(tokens[1:])
    # Typed without separators: only the default shape can be told apart,
    # because a body may itself start with letters.
    compact = "".join(tokens)
    split_at = len(compact) - DEFAULT_LENGTH - 1
    return compact[:split_at], compact[split_at:]


def normalise_reference(value: str) -> str:
    """The canonical form of a reference as typed or dictated, checked."""
    tokens = [token for token in _SEPARATORS.split(value.strip().upper()) if token]
    prefix, rest = _split_prefix(tokens)
    if _PREFIX.fullmatch(prefix) is None:
        raise InvalidReference("a reference starts with 1 to 3 letters")
    rest = rest.translate(_ALIASES)
    body, check = rest[:-1], rest[-1:]
    if not body or len(body) % _GROUP:
        raise InvalidReference("a reference has groups of 4 symbols and a check symbol")
    if any(symbol not in ALPHABET for symbol in body) or check not in _VALUES:
        raise InvalidReference("a reference contains a symbol that is not allowed")
    if _check_symbol(body) != check:
        raise InvalidReference("the reference check symbol does not match")
    return _format(prefix, body)


def new_token() -> str:
    """An unguessable URL-safe secret (e.g. for a booking's manage link)."""
    return secrets.token_urlsafe(_TOKEN_BYTES)
