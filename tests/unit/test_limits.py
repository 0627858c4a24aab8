"""The arithmetic of the abuse limits: fixed windows, counted mailboxes, keyed names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chalicelib.domain.limits import Limits, counting_email, quotas, window

NOW = datetime(2026, 12, 1, 7, 0, 45, tzinfo=UTC)


def test_a_window_starts_at_a_whole_multiple_of_its_length():
    assert window(NOW, timedelta(minutes=1)) == (
        datetime(2026, 12, 1, 7, 0, tzinfo=UTC),
        datetime(2026, 12, 1, 7, 1, tzinfo=UTC),
    )
    assert window(NOW, timedelta(hours=1))[0] == datetime(2026, 12, 1, 7, 0, tzinfo=UTC)


def test_a_refusal_waits_for_the_end_of_the_window():
    [address] = quotas(Limits(), NOW, b"key", "203.0.113.7", [])

    assert address.refusal(NOW).retry_in == timedelta(seconds=15)


def test_a_mailbox_counts_once_whatever_its_case_or_plus_tag():
    assert counting_email("Anna+news@Example.GR") == "anna@example.gr"


def test_quota_names_are_keyed_hashes_and_one_identifier_counts_once():
    found = quotas(Limits(), NOW, b"key", None, [("phone", "+306912345678")] * 2)

    assert len(found) == 1
    assert "6912345678" not in found[0].name
    assert (
        found[0].name != quotas(Limits(), NOW, b"other", None, [("phone", "+306912345678")])[0].name
    )
