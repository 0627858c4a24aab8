"""The single view of a citizen over both stores: every dealing across the channels, only for
the agencies an agent serves, and an access record of every look-up."""

from __future__ import annotations

from datetime import timedelta

import pytest
from support import PHONE, TOMORROW, agent, at

from chalicelib.adapters.case_items import sortable
from chalicelib.adapters.pseudonyms import citizen_partition
from chalicelib.adapters.table import Put
from chalicelib.domain.bookings import BookingCitizen, Mode
from chalicelib.domain.cases import Channel, Citizen
from chalicelib.domain.citizen_view import subject_hash
from chalicelib.domain.errors import Forbidden
from chalicelib.services import bookings, callbacks, cases
from chalicelib.services import citizen_view as service

AMKA = "15038512347"
GIANNIS = Citizen("Γιάννης Παπαδάκης", amka=AMKA, email="Giannis@Example.gr", phone=PHONE)


def open_case(ctx, agency="efka", topic="pension", **kwargs):
    command = cases.SubmitCase(agency, topic, "Ερώτηση", "Κείμενο", "el", GIANNIS, **kwargs)
    return cases.submit_case(ctx, command)


def book_callback(ctx, case):
    command = callbacks.RequestCallback(
        "efka",
        PHONE,
        "el",
        None,
        case_reference=case["reference"],
        case_token=case["tracking_token"],
    )
    return callbacks.request_callback(ctx, command)


def book_appointment(ctx):
    command = bookings.BookAppointment(
        "kep-athens-syntagma",
        "kep-certificate",
        at(TOMORROW, 10),
        Mode.IN_PERSON,
        "el",
        BookingCitizen(GIANNIS.full_name, AMKA, email="giannis@example.gr"),
    )
    return bookings.book(ctx, command)["code"]


def link_unknown_kind(ctx, created, table):
    # A kind of dealing this view does not know yet shows as its link holds it.
    table.write(
        Put(
            {
                "pk": citizen_partition("amka", AMKA),
                "sk": f"{sortable(created)}#CHAT#T-1",
                "kind": "chat",
                "ref": "T-1",
                "topic": "pension",
            }
        )
    )


def look(ctx, name, kind="amka", value=AMKA, reason="Ο πολίτης καλεί για τη σύνταξή του"):
    return service.look_up(ctx, agent(ctx, name), service.LookUp(kind, value, reason))


def test_an_agent_sees_every_case_callback_and_appointment_newest_first(ctx, clock):
    case = open_case(ctx)
    clock.advance(timedelta(minutes=5))
    callback = book_callback(ctx, case)
    clock.advance(timedelta(minutes=5))
    code = book_appointment(ctx)
    clock.advance(timedelta(minutes=5))
    phoned = open_case(ctx, "dypa", "training", channel=Channel.PHONE)

    items = look(ctx, "maria")

    assert [(i["kind"], i["ref"]) for i in items] == [
        ("case", phoned["reference"]),
        ("booking", code),
        ("callback", callback["reference"]),
        ("case", case["reference"]),
    ]
    assert items[0]["channel"] == "phone" and items[0]["agency"] == "dypa"
    assert items[1]["status"] == "confirmed" and items[1]["agency"] == "kep"
    assert items[1]["branch"] == "kep-athens-syntagma"
    assert items[2]["status"] == "scheduled" and items[2]["channel"] == "web"
    assert items[3]["status"] == "NEW" and items[3]["subject"] == "Ερώτηση"


def test_a_kind_of_dealing_the_view_cannot_load_shows_as_its_link_holds_it(ctx, clock, table):
    link_unknown_kind(ctx, clock.now(), table)

    [item] = look(ctx, "maria")

    assert item == {
        "kind": "chat",
        "ref": "T-1",
        "created_at": clock.now().isoformat(),
        "channel": None,
        "status": None,
        "agency": None,
        "topic": "pension",
    }
    assert look(ctx, "anna") == []  # of no known agency: only for those who serve all


def test_the_phone_number_finds_the_callback_and_the_cases(ctx):
    case = open_case(ctx)
    callback = book_callback(ctx, case)

    items = look(ctx, "maria", "phone", PHONE)

    assert {i["ref"] for i in items} == {case["reference"], callback["reference"]}


def test_an_email_is_found_whatever_its_case(ctx):
    case = open_case(ctx)

    items = look(ctx, "maria", "email", "giannis@example.gr")

    assert [i["ref"] for i in items] == [case["reference"]]


def test_an_agent_sees_only_the_agencies_their_teams_serve(ctx):
    open_case(ctx, "efka", "pension")
    dypa = open_case(ctx, "dypa", "training")

    items = look(ctx, "anna")

    assert [i["ref"] for i in items] == [dypa["reference"]]


def test_every_look_up_is_recorded_with_who_whom_when_and_why(ctx, clock):
    open_case(ctx)

    look(ctx, "maria", reason="Κλήση του πολίτη")
    looked_at = clock.now()
    clock.advance(timedelta(minutes=1))
    look(ctx, "anna", kind="afm", value="123456783", reason="Έλεγχος")

    sofia = agent(ctx, "sofia")
    [latest, first] = service.access_log(ctx, sofia)
    assert (first.agent, first.reason, first.results) == ("maria", "Κλήση του πολίτη", 1)
    assert first.subject_kind == "amka"
    assert first.subject_hash == subject_hash("amka", AMKA, ctx.pseudonym_key)
    assert first.subject_hash != subject_hash("amka", AMKA, b"another key")
    assert AMKA not in first.subject_hash
    assert first.at == looked_at
    assert (latest.agent, latest.results) == ("anna", 0)
    assert [r.agent for r in service.access_log(ctx, sofia, by="maria")] == ["maria"]
    assert [r.agent for r in service.access_log(ctx, sofia, subject=("amka", AMKA))] == ["maria"]
    assert service.access_log(ctx, sofia, month="2026-11") == []


def test_only_supervisors_read_the_access_record(ctx):
    with pytest.raises(Forbidden):
        service.access_log(ctx, agent(ctx, "maria"))


def test_an_administrator_without_a_service_role_cannot_look_citizens_up(ctx):
    open_case(ctx)

    with pytest.raises(Forbidden):
        look(ctx, "admin")

    assert service.access_log(ctx, agent(ctx, "sofia")) == []


def test_the_single_view_shows_appointment_and_callback_times_in_athens_time(ctx):
    case = open_case(ctx)
    book_callback(ctx, case)
    book_appointment(ctx)

    items = {i["kind"]: i for i in look(ctx, "maria")}

    booking = items["booking"]
    assert booking["start"] == at(TOMORROW, 10).isoformat()
    assert booking["start"].endswith("+02:00") and booking["end"].endswith("+02:00")
    assert items["callback"]["window"]["start"].endswith("+02:00")
    assert items["case"]["created_at"].endswith("+02:00")
