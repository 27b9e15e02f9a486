from __future__ import annotations

from bench.race import race_round, summarize_rounds


def test_it_counts_one_winner_and_the_rest_as_conflicts(booking_stub):
    tokens = [f"token-{index}" for index in range(20)]

    result = race_round(booking_stub.server_address[1], session_id=7, seat_id=41, tokens=tokens)

    assert result["winners"] == 1
    assert result["conflicts"] == 19
    assert result["server_errors"] == 0
    assert result["ok"] is True
    # Every client sent the same seat, each with its own user.
    assert {r["seats"][0] for r in booking_stub.received} == {41}
    assert {r["authorization"] for r in booking_stub.received} == {f"Bearer {t}" for t in tokens}


def test_a_round_with_two_winners_is_not_ok():
    rounds = [
        {"clients": 3, "winners": 1, "conflicts": 2, "server_errors": 0, "other": 0, "ok": True},
        {"clients": 3, "winners": 2, "conflicts": 1, "server_errors": 0, "other": 0, "ok": False},
    ]

    summary = summarize_rounds(rounds)

    assert summary["winners"] == [1, 2]
    assert summary["ok"] is False
