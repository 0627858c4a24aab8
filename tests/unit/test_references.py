from __future__ import annotations

import random
import re

import pytest

from chalicelib.domain.references import (
    ALPHABET,
    CHECK_SYMBOLS,
    InvalidReference,
    new_reference,
    new_token,
    normalise_reference,
)

_SYMBOL = f"[{ALPHABET}]"
_CANONICAL = re.compile(rf"[A-Z]{{1,3}}-{_SYMBOL}{{4}}-{_SYMBOL}{{4}}[{re.escape(CHECK_SYMBOLS)}]")


def _references(count: int, prefix: str = "C") -> list[str]:
    # Seeded so a failure can be replayed.
    bits = random.Random(20260101).getrandbits
    return [new_reference(prefix, bits) for _ in range(count)]


def test_a_new_reference_has_a_prefix_two_groups_of_four_and_a_check_symbol() -> None:
    prefix = "B"

    reference = new_reference(prefix)

    assert _CANONICAL.fullmatch(reference)
    assert reference.startswith("B-")


def test_the_body_encodes_the_random_bits_most_significant_symbol_first() -> None:
    all_ones = (1 << 40) - 1

    lowest, highest = new_reference("C", lambda bits: 0), new_reference("K", lambda bits: all_ones)

    assert lowest == "C-0000-00000"
    assert highest == "K-ZZZZ-ZZZZF"


def test_a_reference_dictated_in_lower_case_with_spaces_round_trips() -> None:
    references = _references(200)

    normalised = [normalise_reference(r.lower().replace("-", " ")) for r in references]

    assert normalised == references


def test_a_reference_typed_without_any_separator_is_recognised() -> None:
    reference = _references(1)[0]

    normalised = normalise_reference(reference.replace("-", ""))

    assert normalised == reference


def test_look_alike_letters_are_read_as_the_digits_they_resemble() -> None:
    ends_in_two_ones = new_reference("C", lambda bits: 1)

    normalised = normalise_reference("c oooo oOOil")

    assert normalised == ends_in_two_ones == "C-0000-00011"


def test_new_references_never_end_in_a_symbol_that_is_awkward_to_read_aloud() -> None:
    draws = iter([33, 34, 7])  # checks 33 and 34 would be "~" and "$"

    reference = new_reference("C", lambda bits: next(draws))

    assert reference == "C-0000-00077"
    assert not any(r[-1] in "*~$=U" for r in _references(500))


def test_every_single_symbol_typo_is_detected() -> None:
    reference = _references(1)[0]
    positions = [i for i, symbol in enumerate(reference) if i > 1 and symbol != "-"]
    mistyped: list[str] = []
    for position in positions:
        symbols = CHECK_SYMBOLS if position == len(reference) - 1 else ALPHABET
        mistyped += [
            reference[:position] + other + reference[position + 1 :]
            for other in symbols
            if other != reference[position]
        ]

    accepted = [typo for typo in mistyped if _is_accepted(typo)]

    assert len(mistyped) == 8 * 31 + 36
    assert accepted == []


def test_every_swap_of_two_adjacent_body_symbols_is_detected() -> None:
    references = _references(50)
    swapped: list[str] = []
    for reference in references:
        body = reference[2:6] + reference[7:11]
        for i in range(len(body) - 1):
            if body[i] != body[i + 1]:
                new_body = body[:i] + body[i + 1] + body[i] + body[i + 2 :]
                swapped.append(f"C-{new_body[:4]}-{new_body[4:]}{reference[-1]}")

    accepted = [typo for typo in swapped if _is_accepted(typo)]

    assert swapped
    assert accepted == []


def _is_accepted(candidate: str) -> bool:
    try:
        normalise_reference(candidate)
    except InvalidReference:
        return False
    return True


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "C",
        "C-0000-0000",
        "C-0000-000000",
        "C-0000-0000U0",
        "1-0000-00000",
        "CASE-0000-00000",
        "C-000U-00000",
    ],
)
def test_text_of_the_wrong_shape_is_not_a_reference(typed: str) -> None:
    accepted = _is_accepted(typed)

    assert not accepted


@pytest.mark.parametrize("prefix", ["", "c", "ABCD", "C1"])
def test_a_new_reference_needs_a_prefix_of_one_to_three_uppercase_letters(prefix: str) -> None:
    with pytest.raises(ValueError):
        new_reference(prefix)


def test_new_tokens_are_url_safe_and_distinct() -> None:
    count = 100

    tokens = {new_token() for _ in range(count)}

    assert len(tokens) == count
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{43}", token) for token in tokens)
