from __future__ import annotations

from collections.abc import Callable

import pytest

from chalicelib.domain.identifiers import (
    InvalidIdentifier,
    afm_check_digit,
    amka_check_digit,
    normalise_afm,
    normalise_amka,
    normalise_email,
    normalise_greek_phone,
)


def _rejection_code(normalise: Callable[[str], str], value: str) -> str:
    with pytest.raises(InvalidIdentifier) as caught:
        normalise(value)
    return caught.value.code


def test_a_valid_amka_typed_with_spaces_is_returned_as_eleven_digits() -> None:
    typed = "150385 1234 7"

    amka = normalise_amka(typed)

    assert amka == "15038512347"


def test_an_amka_born_on_29_february_2000_is_valid_because_the_century_is_not_encoded() -> None:
    amka = "2902000123" + amka_check_digit("2902000123")

    result = normalise_amka(amka)

    assert result == "29020001235"


@pytest.mark.parametrize("first10", ["3102851234", "1513851234", "0000001234", "2902010123"])
def test_an_amka_whose_first_six_digits_are_not_a_date_is_rejected(first10: str) -> None:
    amka = first10 + amka_check_digit(first10)

    code = _rejection_code(normalise_amka, amka)

    assert code == "amka.date"


def test_an_amka_with_a_wrong_luhn_digit_is_rejected() -> None:
    wrong_last_digit = "15038512348"

    code = _rejection_code(normalise_amka, wrong_last_digit)

    assert code == "amka.check"


def test_an_amka_with_two_adjacent_digits_swapped_is_rejected() -> None:
    swapped = "15038521347"

    code = _rejection_code(normalise_amka, swapped)

    assert code == "amka.check"


@pytest.mark.parametrize("value", ["", "1503851234", "150385123470", "15O38512347", "١٥٠٣٨٥١٢٣٤٧"])
def test_an_amka_that_is_not_eleven_ascii_digits_is_a_format_error(value: str) -> None:
    code = _rejection_code(normalise_amka, value)

    assert code == "amka.format"


def test_the_published_example_afm_090000045_is_valid() -> None:
    afm = "090000045"

    result = normalise_afm(afm)

    assert result == "090000045"


@pytest.mark.parametrize("first8", ["12345678", "99999999", "04400000"])
def test_an_afm_built_with_the_check_digit_helper_is_valid(first8: str) -> None:
    afm = first8 + afm_check_digit(first8)

    result = normalise_afm(f" {afm[:3]} {afm[3:]} ")

    assert result == afm


def test_the_afm_check_digit_follows_the_powers_of_two_rule() -> None:
    first8 = "12345678"

    check = afm_check_digit(first8)

    assert check == "3"


def test_an_afm_with_a_wrong_check_digit_is_rejected() -> None:
    wrong = "090000046"

    code = _rejection_code(normalise_afm, wrong)

    assert code == "afm.check"


def test_an_all_zero_afm_is_rejected_although_its_arithmetic_passes() -> None:
    zeros = "000000000"

    code = _rejection_code(normalise_afm, zeros)

    assert code == "afm.check"


@pytest.mark.parametrize("value", ["", "09000004", "0900000450", "09000004S"])
def test_an_afm_that_is_not_nine_digits_is_a_format_error(value: str) -> None:
    code = _rejection_code(normalise_afm, value)

    assert code == "afm.format"


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("6912345678", "+306912345678"),
        ("69 1234 5678", "+306912345678"),
        ("+30 691 234 5678", "+306912345678"),
        ("0030 6912345678", "+306912345678"),
        ("210-1234567", "+302101234567"),
        ("(210) 123.4567", "+302101234567"),
        ("+30 2310 123456", "+302310123456"),
    ],
)
def test_greek_phone_numbers_in_everyday_forms_become_e164(typed: str, e164: str) -> None:
    phone = normalise_greek_phone(typed)

    assert phone == e164


@pytest.mark.parametrize(
    "typed", ["+44 20 7946 0958", "0044 20 7946 0958", "+357 99 123456", "+1 212 555 0100"]
)
def test_a_number_with_another_country_code_is_not_greek(typed: str) -> None:
    code = _rejection_code(normalise_greek_phone, typed)

    assert code == "phone.not_greek"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "691234567",
        "69123456789",
        "+30 69123456",
        "6912a45678",
        "8001234567",
        "+30 1234567890",
        "+3O 6912345678",
    ],
)
def test_a_phone_of_the_wrong_length_characters_or_range_is_a_format_error(typed: str) -> None:
    code = _rejection_code(normalise_greek_phone, typed)

    assert code == "phone.format"


def test_an_email_is_stripped_and_only_its_domain_lower_cased() -> None:
    typed = "  Maria.Papadopoulou@Example.GOV.gr "

    email = normalise_email(typed)

    assert email == "Maria.Papadopoulou@example.gov.gr"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "maria",
        "@example.gr",
        "maria@",
        "maria@localhost",
        "maria@@example.gr",
        "ma ria@example.gr",
        "maria@example..gr",
        "maria@.example.gr",
        "maria@example.gr.",
        "a@b@example.gr",
        "m" * 250 + "@example.gr",
    ],
)
def test_an_implausible_email_is_rejected(typed: str) -> None:
    code = _rejection_code(normalise_email, typed)

    assert code == "email.format"


def test_an_identifier_error_is_a_value_error_so_generic_handlers_still_catch_it() -> None:
    error = InvalidIdentifier("afm.check", "bad")

    is_value_error = isinstance(error, ValueError)

    assert is_value_error
    assert error.code == "afm.check"
