"""Satisfaction surveys over HTTP, on both stores: the link in the citizen's message, one
answer per survey, wrong tokens, and the figure each answer leaves."""

from __future__ import annotations

import re
from datetime import timedelta

from booking_fixtures import CERTIFICATE, SYNTAGMA, amka
from support import CASE_BODY, TODAY, assert_problem, at

from chalicelib.adapters.surveys import survey_key

LINK = re.compile(r"(\S+)/(el|en)/survey/#id=([0-9a-f]+)&token=(\S+)")


def survey_link(api, template: str) -> tuple[str, str]:
    """The survey id and token from the newest message of this template in the outbox."""
    message = next(m for m in api.runtime.outbox.messages(50) if m["template"] == template)
    found = LINK.search(message["body"])
    assert found, message["body"]
    return found.group(3), found.group(4)


def answered_case(api, language: str = "el") -> tuple[str, str]:
    receipt = api.post("/api/v1/cases", {**CASE_BODY, "language": language}).body
    ref, maria = receipt["reference"], api.token("maria")
    api.post(f"/api/v1/agent/cases/{ref}/claim", {"version": 1}, token=maria)
    resolved = api.post(
        f"/api/v1/agent/cases/{ref}/resolve", {"version": 2, "answer": "Ναι"}, token=maria
    )
    assert resolved.status == 200, resolved.body
    return survey_link(api, "case_answered")


def test_an_answered_case_sends_a_survey_link_that_opens_what_is_rated(api):
    survey_id, token = answered_case(api, "en")

    shown = api.get(f"/api/v1/surveys/{survey_id}", headers={"X-Survey-Token": token})

    assert shown.status == 200, shown.body
    assert shown.body["kind"] == "case" and shown.body["answered"] is False
    assert shown.body["agency"]["id"] == "efka" and shown.body["agency"]["name"]["el"]
    assert shown.body["team"]["name"]["en"]
    assert shown.body["language"] == "en"
    text = str(shown.body)
    assert "Παπαδάκης" not in text and CASE_BODY["citizen"]["amka"] not in text


def test_a_survey_takes_one_answer_and_records_its_figure(api):
    survey_id, token = answered_case(api)
    headers = {"X-Survey-Token": token}

    first = api.post(
        f"/api/v1/surveys/{survey_id}", {"score": 4, "comment": "Γρήγορα"}, headers=headers
    )
    second = api.post(f"/api/v1/surveys/{survey_id}", {"score": 1}, headers=headers)
    english = api.post(
        f"/api/v1/surveys/{survey_id}",
        {"score": 1},
        headers={**headers, "Accept-Language": "en"},
    )

    assert first.status == 200 and first.body["answered"] is True
    assert_problem(second, 409, "survey-answered")
    assert english.body["title"].startswith("You have already answered")
    table = api.runtime.table
    stored = table.get(survey_key(survey_id))
    assert stored["score"] == 4 and "token_hash" not in stored
    assert satisfaction(api, "efka") == {
        "responses": 1,
        "average": 4,
        "distribution": {"1": 0, "2": 0, "3": 0, "4": 1, "5": 0},
    }


def test_a_wrong_or_missing_token_is_the_same_as_an_unknown_survey(api):
    survey_id, token = answered_case(api)

    wrong = api.get(f"/api/v1/surveys/{survey_id}", headers={"X-Survey-Token": token + "x"})
    missing = api.post(f"/api/v1/surveys/{survey_id}", {"score": 5})
    unknown = api.get("/api/v1/surveys/0123456789abcdef", headers={"X-Survey-Token": token})
    malformed = api.get("/api/v1/surveys/..%2Fcases", headers={"X-Survey-Token": token})

    for response in (wrong, missing, unknown, malformed):
        assert_problem(response, 404, "not-found")
    still_open = api.get(f"/api/v1/surveys/{survey_id}", headers={"X-Survey-Token": token})
    assert still_open.body["answered"] is False


def test_bad_answers_are_refused_and_change_nothing(api):
    survey_id, token = answered_case(api)
    headers = {"X-Survey-Token": token}

    refused = [
        api.post(f"/api/v1/surveys/{survey_id}", body, headers=headers)
        for body in (
            {"score": 6},
            {"score": 0},
            {"score": "5"},
            {"score": True},
            {"score": 4.0},
            {"score": 3, "comment": "x" * 501},
            {"comment": "χωρίς βαθμό"},
            {"score": 3, "extra": 1},
        )
    ]
    not_json = api.request("POST", f"/api/v1/surveys/{survey_id}", raw=b"{", headers=headers)

    for response in refused:
        assert_problem(response, 422, "validation")
    assert refused[0].body["errors"] == [
        {"field": "score", "message": "Επιλέξτε βαθμό από 1 έως 5."}
    ]
    assert_problem(not_json, 400, "bad-request")
    assert api.get(f"/api/v1/surveys/{survey_id}", headers=headers).body["answered"] is False


def test_a_survey_expires_after_thirty_days(api):
    survey_id, token = answered_case(api)
    api.runtime.clock.advance(timedelta(days=30, minutes=1))

    late = api.post(f"/api/v1/surveys/{survey_id}", {"score": 5}, headers={"X-Survey-Token": token})

    assert_problem(late, 404, "not-found")


def test_a_served_appointment_sends_a_survey_of_the_branch_and_service(api):
    staff = api.token("katerina")
    branch = f"/api/v1/branch/{SYNTAGMA}"
    citizen = {"full_name": "Πολίτης 7", "amka": amka(7), "email": "p7@example.gr"}
    body = {"service": CERTIFICATE, "start": at(TODAY, 9, 30).isoformat(), "citizen": citizen}
    code = api.post(f"{branch}/bookings", {**body, "channel": "phone"}, token=staff).body["code"]
    api.runtime.clock.advance(timedelta(minutes=25))
    api.post(f"{branch}/bookings/{code}/check-in", {"version": 1}, token=staff)

    served = api.post(f"{branch}/bookings/{code}/served", {"version": 2}, token=staff)

    assert served.status == 200, served.body
    survey_id, token = survey_link(api, "booking_served")
    headers = {"X-Survey-Token": token}
    shown = api.get(f"/api/v1/surveys/{survey_id}", headers=headers).body
    assert shown["kind"] == "appointment"
    assert shown["branch"]["id"] == SYNTAGMA and shown["service"]["id"] == CERTIFICATE
    answered = api.post(f"/api/v1/surveys/{survey_id}", {"score": 5}, headers=headers)
    assert answered.status == 200
    agency = api.runtime.ctx.catalogue.service(CERTIFICATE).agency
    assert satisfaction(api, agency)["responses"] == 1
    assert satisfaction(api, agency)["average"] == 5


def satisfaction(api, agency: str) -> dict:
    """The figures a supervisor reads for today (the KPI counters the answer added to)."""
    day = TODAY.isoformat()
    response = api.get(
        f"/api/v1/supervisor/kpis?from={day}&to={day}&agency={agency}", token=api.token("sofia")
    )
    assert response.status == 200, response.body
    return response.body["satisfaction"]
