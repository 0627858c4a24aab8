"""`make run` loads demo data once: cases in the queues, a callback, the desk's appointments."""

from datetime import timedelta

from devtools.seed import seed_once


def test_demo_data_is_loaded_once_and_shows_in_every_console_view(api):
    first = seed_once(api.runtime)
    second = seed_once(api.runtime)

    maria = api.get("/api/v1/agent/queue", token=api.token("maria")).body["cases"]
    api.runtime.clock.advance(timedelta(hours=1))  # the earliest callback window has opened
    eleni_next = api.post("/api/v1/agent/callbacks/next", token=api.token("eleni"))
    lookup = api.post(
        "/api/v1/agent/citizens/search",
        {"amka": "15038512347", "reason": "demo"},
        token=api.token("sofia"),
    ).body["items"]

    assert (first, second) == (True, False)
    assert len(maria) == 3
    assert {i["kind"] for i in lookup} == {"case", "callback", "booking"}
    assert eleni_next.status == 200
    assert eleni_next.body["case_reference"] in {c["reference"] for c in maria}
