"""A citizen answers the satisfaction survey linked in the message that answered their case."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from browser_checks import check_page, open_page
from playwright.sync_api import expect

LINK = re.compile(r"https?://\S+/survey/#id=[0-9a-f]+&token=[\w-]+")


def answered_case(site, lang: str) -> str:
    """Files a case, has the first line answer it; returns the survey link in the message."""
    body = {
        "agency": "efka",
        "topic": "contributions",
        "subject": "Εισφορές",
        "description": "Πότε πληρώνονται;",
        "language": lang,
        "consent": True,
        "citizen": {"full_name": "Άννα Δημητρίου", "email": f"anna-{lang}@example.gr"},
    }
    receipt = site.api("POST", "/cases", body).json()
    ref = receipt["reference"]
    assert site.as_agent("maria", "POST", f"/agent/cases/{ref}/claim", {"version": 1}).ok
    resolved = site.as_agent(
        "maria", "POST", f"/agent/cases/{ref}/resolve", {"version": 2, "answer": "Στις 10."}
    )
    assert resolved.ok, resolved.text
    for message in site.api("GET", "/dev/outbox").json()["messages"]:
        if message["template"] == "case_answered" and ref in message["body"]:
            return LINK.search(message["body"]).group(0)
    raise AssertionError(f"no answer message for {ref}")


@pytest.mark.parametrize("lang", ["el", "en"])
def test_a_citizen_answers_the_survey_from_their_message_once(page, site, lang):
    link = urlsplit(answered_case(site, lang))
    assert link.path == f"/{lang}/survey/"
    url = f"{site.url}{link.path}#{link.fragment}"

    open_page(page, url)
    expect(page.locator("#about")).to_contain_text("e-ΕΦΚΑ" if lang == "el" else "EFKA")
    check_page(page, f"survey-{lang}")
    page.locator("button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_visible()
    check_page(page, f"survey-missing-score-{lang}")
    page.get_by_label("4 – " + ("Ικανοποιημένος/η" if lang == "el" else "Satisfied")).check()
    page.locator("textarea[name=comment]").fill("Σύντομη και σαφής απάντηση")
    page.locator("button[type=submit]").click()

    expect(page.locator("#outcome")).to_contain_text("Ευχαριστούμε" if lang == "el" else "Thank")
    check_page(page, f"survey-thanks-{lang}")
    page.reload()  # the link opened again later
    page.wait_for_selector("body[data-ready]", state="attached")
    expect(page.locator("#outcome")).to_contain_text(
        "ήδη απαντήσει" if lang == "el" else "already answered"
    )
    expect(page.locator("#survey")).to_be_hidden()


def test_a_survey_link_with_a_wrong_token_says_the_link_is_not_valid(page, site):
    link = urlsplit(answered_case(site, "el"))

    open_page(page, f"{site.url}{link.path}#{link.fragment}x")

    expect(page.locator("#unknown")).to_be_visible()
    expect(page.locator("#survey")).to_be_hidden()
    check_page(page, "survey-unknown")
