"""An appointment or call time near year 1 or 9999 (valid ISO 8601, but beyond what Athens
time can express) is a 422 validation problem that changes nothing, never a 500. Found by
probing the extremes that the generated contract tests rarely reach."""

from __future__ import annotations

import pytest
from support import TOMORROW, assert_problem, at
from test_booking_routes import book, manage

EXTREMES = ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00", "9999-12-31T23:59:59Z"]


@pytest.mark.parametrize("start", EXTREMES)
def test_a_booking_at_the_end_of_time_is_refused_as_a_bad_date(api, start):
    body = {
        "branch": "kep-athens-syntagma",
        "service": "kep-certificate",
        "start": start,
        "citizen": {"full_name": "Α Β", "amka": "15038512347", "email": "a@example.gr"},
    }

    response = api.post("/api/v1/bookings", body)

    assert_problem(response, 422, "validation")
    assert response.problem_fields == {"start"}


@pytest.mark.parametrize("start", EXTREMES)
def test_moving_a_booking_to_the_end_of_time_is_refused_and_keeps_it(api, start):
    receipt = book(api)
    headers = manage(receipt["code"], receipt["manage_token"])

    response = api.post(
        f"/api/v1/bookings/{receipt['code']}/reschedule", {"start": start}, headers=headers
    )
    kept = api.get(f"/api/v1/bookings/{receipt['code']}", headers=headers)

    assert_problem(response, 422, "validation")
    assert kept.body["start"] == at(TOMORROW, 10).isoformat()


@pytest.mark.parametrize("start", EXTREMES)
def test_a_callback_at_the_end_of_time_is_refused_as_a_bad_window(api, start):
    body = {"agency": "efka", "window_start": start, "phone": "6912345678"}

    response = api.post("/api/v1/callbacks", body)

    assert_problem(response, 422, "validation")
    assert response.problem_fields == {"window_start"}
