"""The figures as pure formulas over counters, and what one event adds to them."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from chalicelib.domain.kpi_tallies import (
    SurveyScore,
    Tally,
    bucket_of,
    callback_outcome,
    merged,
    survey_answered,
)
from chalicelib.domain.kpis import figures, flat, hours_quantile
from chalicelib.domain.local_time import ATHENS

DAY = date(2026, 12, 1)


def test_with_nothing_decided_rates_are_empty_rather_than_zero_or_one():
    result = figures({}, backlog=0, capacity=0)

    assert result["cases"]["tier_share"] == {"1": None, "2": None, "3": None}
    assert result["cases"]["sla_resolution"] is None
    assert result["cases"]["median_hours_to_resolve"] is None
    assert result["appointments"]["utilisation"] is None
    assert result["satisfaction"]["average"] is None


def test_tier_shares_are_fractions_of_all_resolutions():
    counts = {"resolved": 1000, "resolved_t1": 844, "resolved_t2": 128, "resolved_t3": 28}

    shares = figures(counts, 0, 0)["cases"]["tier_share"]

    assert shares == {"1": 0.844, "2": 0.128, "3": 0.028}


def test_resolution_sla_counts_deadline_escalations_and_breaches_as_missed_targets():
    counts = {"resolved": 6, "res_in_time": 5, "esc_deadline": 3, "breached": 1}

    assert figures(counts, 0, 0)["cases"]["sla_resolution"] == 0.5


def test_quantiles_come_from_the_histogram_interpolated_inside_the_bucket():
    # Ten resolutions: four within an hour, four between 8 and 12 hours, two after 2-3 days.
    counts = {"h0": 4, f"h{bucket_of(10)}": 4, f"h{bucket_of(60)}": 2}

    assert hours_quantile(counts, 0.5) == 9.0  # the 5th of 10: a quarter into 8-12 h
    assert hours_quantile(counts, 0.9) == 60.0  # the 9th: half-way through 48-72 h
    assert bucket_of(0) == 0 and bucket_of(1) == 0 and bucket_of(1.01) == 1
    assert bucket_of(10_000) == 13  # past the last edge: the open bucket


def test_utilisation_is_places_held_over_places_offered():
    assert figures({"ap_held": 30}, 0, capacity=120)["appointments"]["utilisation"] == 0.25


def test_increments_of_one_counter_item_are_summed_and_zeros_dropped():
    a = Tally(DAY, "efka", "first-line", "web", {"opened": 1, "open": 1})
    b = Tally(DAY, "efka", "first-line", "web", {"open": -1, "resolved": 1})
    c = Tally(None, "efka", "first-line", "web", {"open": 1})

    assert merged([a, b, c]) == [
        Tally(DAY, "efka", "first-line", "web", {"opened": 1, "resolved": 1}),
        Tally(None, "efka", "first-line", "web", {"open": 1}),
    ]


def test_a_survey_answer_adds_to_responses_sum_and_its_score():
    at = datetime(2026, 12, 1, 23, 30, tzinfo=ATHENS)

    tally = survey_answered(SurveyScore(at, 4, "kep", "kep-athens-syntagma", "in_person"))

    assert tally.where == (DAY, "kep", "kep-athens-syntagma", "in_person")
    assert tally.counts == {"sv_n": 1, "sv_sum": 4, "sv_4": 1}
    with pytest.raises(ValueError):
        survey_answered(SurveyScore(at, 6, "kep", "kep-athens-syntagma", "in_person"))


def test_a_reached_callback_counts_the_first_try_only_on_the_first_attempt():
    at = datetime(2026, 12, 1, 10, tzinfo=ATHENS)

    first = callback_outcome(at, "efka", "first-line", "reached", 1, False)
    later = callback_outcome(at, "efka", "first-line", "reached", 2, False)
    given_up = callback_outcome(at, "efka", "first-line", "no_answer", 3, True)

    assert first.counts == {"cb_reached": 1, "cb_first_try": 1}
    assert later.counts == {"cb_reached": 1}
    assert given_up.counts == {"cb_unreachable": 1}


def test_every_figure_has_a_dotted_csv_name():
    names = [name for name, _ in flat(figures({}, 0, 0))]

    assert "cases.tier_share.1" in names and "satisfaction.distribution.5" in names
    assert len(names) == len(set(names)) == 34
