"""Open311 GeoReport v2 over HTTP, on both stores: civic clients file and follow requests as
cases, in JSON and XML, with the specification's field names and errors."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlencode
from xml.etree import ElementTree

import pytest

from devtools.seed import LOCAL_OPEN311_KEY, seed_once

BASE = "/api/open311/v2"
FORM = {"content-type": "application/x-www-form-urlencoded"}
AMKA, EMAIL, PHONE = "15038512347", "giannis@example.gr", "6912345678"
REQUEST = {
    "service_code": "efka.pension",
    "description": "Υπέβαλα αίτηση σύνταξης πριν από 8 μήνες.",
    "first_name": "Γιάννης",
    "last_name": "Παπαδάκης",
    "email": EMAIL,
    "phone": PHONE,
    "attribute[amka]": AMKA,
    "attribute[consent]": "true",
}
SERVICE_FIELDS = {"service_code", "service_name", "description", "metadata", "type", "keywords"}
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}


def issue_key(api, client="FixMyStreet Αθήνα"):
    answer = api.post("/api/v1/admin/open311/keys", {"client": client}, token=api.token("admin"))
    assert answer.status == 201, answer.body
    return answer.body


def file(api, key, fmt="json", **changes):
    fields = {**REQUEST, "api_key": key, **changes}
    body = urlencode({k: v for k, v in fields.items() if v is not None}).encode()
    return api.post(f"{BASE}/requests.{fmt}", raw=body, headers=FORM)


@pytest.fixture
def key(api):
    return issue_key(api)["api_key"]


def xml(answer):
    return ElementTree.fromstring(answer.body.encode())


def test_discovery_points_civic_clients_at_the_v2_endpoint(api):
    found = api.get("/api/open311/discovery.json")

    endpoint = found.body["endpoints"][0]
    assert found.status == 200
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/api/open311/v2/")
    assert set(endpoint["formats"]) == {"application/json", "text/xml"}


def test_services_are_agencies_topics_in_greek_or_english_and_in_json_or_xml(api):
    greek = api.get(f"{BASE}/services.json").body
    english = api.get(f"{BASE}/services.json?locale=en").body
    by_header = api.get(f"{BASE}/services.json", headers={"Accept-Language": "en"}).body
    as_xml = api.get(f"{BASE}/services.xml")

    pension = next(s for s in greek if s["service_code"] == "efka.pension")
    assert SERVICE_FIELDS | {"group"} <= set(pension)
    assert (pension["service_name"], pension["metadata"], pension["type"]) == (
        "Συνταξιοδότηση",
        True,
        "realtime",
    )
    assert pension["group"].startswith("e-ΕΦΚΑ")
    assert english == by_header
    assert next(s for s in english if s["service_code"] == "efka.pension")["service_name"] == (
        "Pensions"
    )
    assert as_xml.headers["Content-Type"].startswith("text/xml")
    services = xml(as_xml)
    assert services.tag == "services"
    assert {s.findtext("service_code") for s in services} == {s["service_code"] for s in greek}


def test_a_service_definition_names_the_consent_and_amka_attributes_and_unknown_is_404(api):
    found = api.get(f"{BASE}/services/efka.pension.json")
    english = api.get(f"{BASE}/services/efka.pension.json?locale=en")
    as_xml = xml(api.get(f"{BASE}/services/efka.pension.xml"))
    unknown = api.get(f"{BASE}/services/efka.nothing.json")
    unknown_xml = api.get(f"{BASE}/services/nothing.xml")

    consent, amka = found.body["attributes"]
    assert found.body["service_code"] == "efka.pension"
    assert (consent["code"], consent["required"], consent["datatype"]) == (
        "consent",
        True,
        "singlevaluelist",
    )
    assert consent["values"] == [{"key": "true", "name": "Ναι"}]
    assert (amka["code"], amka["required"], amka["datatype"]) == ("amka", False, "string")
    assert english.body["attributes"][0]["values"] == [{"key": "true", "name": "Yes"}]
    assert as_xml.tag == "service_definition" and as_xml.findtext("service_code") == "efka.pension"
    assert [a.findtext("code") for a in as_xml.find("attributes")] == ["consent", "amka"]
    assert as_xml.findtext("attributes/attribute/values/value/key") == "true"
    assert unknown.status == 404 and unknown.body[0]["code"] == 404
    assert unknown.body[0]["description"]
    assert unknown_xml.status == 404 and xml(unknown_xml).find("error/code").text == "404"


def test_a_filed_request_is_a_case_on_channel_open311_in_the_agent_queue(api, key):
    filed = file(api, key)

    assert filed.status == 201
    (answer,) = filed.body
    assert set(answer) == {"service_request_id", "service_notice", "account_id"}
    ref = answer["service_request_id"]
    maria = api.token("maria")
    queue = api.get("/api/v1/agent/queue", token=maria).body["cases"]
    case = api.get(f"/api/v1/agent/cases/{ref}", token=maria).body
    assert ref in [c["reference"] for c in queue]
    assert case["channel"] == "open311"
    assert (case["agency"], case["topic"]) == ("efka", "pension")
    assert case["citizen"]["amka"] == AMKA
    assert case["statutory_due_at"] and case["due_at"]


def test_a_request_may_be_sent_as_json_and_answered_in_xml(api, key):
    filed = api.post(f"{BASE}/requests.xml", {**REQUEST, "api_key": key})

    assert filed.status == 201
    root = xml(filed)
    assert root.tag == "service_requests"
    assert root.findtext("request/service_request_id").startswith("C-")


@pytest.mark.parametrize("sent", [None, "wrong-key"])
def test_a_missing_or_wrong_key_is_a_403_and_files_nothing(api, key, sent):
    refused = file(api, sent)
    refused_xml = file(api, sent, fmt="xml")

    assert refused.status == 403 and refused.body[0]["code"] == 403
    assert refused_xml.status == 403 and xml(refused_xml).tag == "errors"
    assert api.get("/api/v1/agent/queue", token=api.token("maria")).body["cases"] == []


def test_a_revoked_key_no_longer_files_and_the_list_shows_only_last_four(api):
    issued = issue_key(api)
    listed = api.get("/api/v1/admin/open311/keys", token=api.token("admin")).body["keys"]
    revoked = api.request(
        "DELETE", f"/api/v1/admin/open311/keys/{issued['id']}", token=api.token("admin")
    )
    again = api.request(
        "DELETE", f"/api/v1/admin/open311/keys/{issued['id']}", token=api.token("admin")
    )

    assert [(k["client"], k["last4"]) for k in listed] == [
        ("FixMyStreet Αθήνα", issued["api_key"][-4:])
    ]
    assert "api_key" not in listed[0]
    assert revoked.status == 204 and again.status == 404
    assert file(api, issued["api_key"]).status == 403


def test_only_admins_manage_keys(api):
    maria = api.token("maria")

    issued = api.post("/api/v1/admin/open311/keys", {"client": "x"}, token=maria)
    listed = api.get("/api/v1/admin/open311/keys", token=maria)

    assert issued.status == listed.status == 403


def test_bad_input_is_a_400_naming_the_open311_field(api, key):
    unknown = file(api, key, service_code="efka.nothing")
    bad_amka = file(api, key, **{"attribute[amka]": "12345678901"})
    no_consent = file(api, key, **{"attribute[consent]": None})
    no_contact = file(api, key, email=None, phone=None)
    not_json = api.post(
        f"{BASE}/requests.json", raw=b"{", headers={"content-type": "application/json"}
    )

    assert unknown.status == 400 and unknown.body[0]["description"].startswith("service_code")
    assert bad_amka.status == 400 and bad_amka.body[0]["description"].startswith("attribute[amka]")
    assert no_consent.status == 400
    assert no_consent.body[0]["description"].startswith("attribute[consent]")
    assert no_contact.status == 400 and no_contact.body[0]["code"] == 400
    assert not_json.status == 400 and not_json.body[0]["code"] == 400


def test_a_resolved_case_is_closed_with_the_answer_as_status_notes(api, key):
    ref = file(api, key).body[0]["service_request_id"]
    maria = api.token("maria")
    opened = api.get(f"{BASE}/requests/{ref}.json").body[0]
    api.post(f"/api/v1/agent/cases/{ref}/claim", {"version": 1}, token=maria)
    api.post(
        f"/api/v1/agent/cases/{ref}/resolve", {"version": 2, "answer": "Εκδόθηκε"}, token=maria
    )

    closed = api.get(f"{BASE}/requests/{ref}.json").body[0]
    as_xml = xml(api.get(f"{BASE}/requests/{ref}.xml"))

    assert set(opened) == REQUEST_FIELDS
    assert (opened["status"], opened["status_notes"]) == ("open", None)
    assert (closed["status"], closed["status_notes"]) == ("closed", "Εκδόθηκε")
    assert closed["service_code"] == "efka.pension" and closed["agency_responsible"]
    assert (
        closed["expected_datetime"] and closed["updated_datetime"] >= closed["requested_datetime"]
    )
    assert as_xml.findtext("request/status") == "closed"
    assert as_xml.findtext("request/status_notes") == "Εκδόθηκε"


def test_requests_are_found_by_id_list_and_filtered_without_anything_personal(api, key):
    first = file(api, key).body[0]["service_request_id"]
    second = file(api, key, service_code="dypa.training").body[0]["service_request_id"]
    ids = f"{first},{second},C-0000-0000X"

    both = api.get(f"{BASE}/requests.json?service_request_id={ids}")
    efka = api.get(f"{BASE}/requests.json?service_request_id={ids}&service_code=efka.pension")
    closed = api.get(f"{BASE}/requests.json?service_request_id={ids}&status=closed")
    as_xml = api.get(f"{BASE}/requests.xml?service_request_id={ids}")

    assert [r["service_request_id"] for r in both.body] == [first, second]
    assert [r["service_request_id"] for r in efka.body] == [first]
    assert closed.body == []
    assert len(xml(as_xml).findall("request")) == 2
    for text in (str(both.body), as_xml.body):
        for personal in (AMKA, EMAIL, PHONE, "Παπαδάκης", "Γιάννης", REQUEST["description"]):
            assert personal not in text


def test_a_search_needs_ids_and_sane_filters(api):
    no_ids = api.get(f"{BASE}/requests.json")
    bad_status = api.get(f"{BASE}/requests.json?service_request_id=C-1&status=lost")
    bad_date = api.get(f"{BASE}/requests.json?service_request_id=C-1&start_date=yesterday")

    assert no_ids.status == bad_status.status == bad_date.status == 400
    assert no_ids.body[0]["description"].startswith("service_request_id")


def test_unknown_ids_and_cases_filed_elsewhere_are_404(api, key):
    web = api.post("/api/v1/cases", {**_site_case()}).body["reference"]

    for path in (f"{web}.json", "C-0000-0000X.json", "nonsense.json", f"{web}.txt"):
        answer = api.get(f"{BASE}/requests/{path}")
        assert answer.status == 404, path
        assert answer.body[0]["code"] == 404


def test_the_local_stage_seeds_its_demo_key(api):
    seed_once(api.runtime)
    seed_once(api.runtime)

    assert file(api, LOCAL_OPEN311_KEY).status == 201
    listed = api.get("/api/v1/admin/open311/keys", token=api.token("admin")).body["keys"]
    assert [k["last4"] for k in listed] == ["demo"]


def _site_case():
    from support import CASE_BODY

    return CASE_BODY


@pytest.mark.parametrize(
    "body",
    [
        {"service_code": 5},
        {"service_code": "efka.pension", "description": {"a": 1}},
        {"service_code": ["efka.pension"]},
        {"api_key": 12, "service_code": "efka.pension"},
        {"service_code": "efka.pension", "attribute[consent]": True, "first_name": None},
    ],
)
def test_odd_json_bodies_are_refused_as_open311_errors_never_a_500(api, key, body):
    answer = api.post(f"{BASE}/requests.json", {"api_key": key, **body})

    assert answer.status in (400, 403), answer.body
    assert answer.body[0]["code"] == answer.status


def test_odd_paths_and_queries_are_refused_never_a_500(api):
    for path in (
        "/requests/.json",
        "/requests/C-%FF.xml",
        "/services/..json",
        "/requests.json?service_request_id=,,,",
        "/requests.json?service_request_id=C-1&end_date=2026-12-01",
        "/services.json?locale=%00",
    ):
        answer = api.get(f"{BASE}{path}")
        assert answer.status < 500, path


def test_a_request_expects_the_promised_date_which_escalations_do_not_move(api, key):
    (answer,) = file(api, key).body
    ref = answer["service_request_id"]
    promised = api.runtime.ctx.cases.get(ref).promise
    before = api.get(f"{BASE}/requests/{ref}.json").body[0]

    api.post("/api/v1/dev/clock", {"advance": "PT8H"})  # past the first line's target
    after = api.get(f"{BASE}/requests/{ref}.json").body[0]

    expected = datetime.fromisoformat(before["expected_datetime"])
    assert expected.date() == promised + timedelta(days=1) and expected.hour == 0
    assert after["expected_datetime"] == before["expected_datetime"]
    assert promised.strftime("%d/%m/%Y") in answer["service_notice"]
