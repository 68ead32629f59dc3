"""FootyTAB: the rounds of AFL Football, and one round with and without a series.

Live, FootyTAB may be closed (off-season): then the tools must fail with a clear upstream error.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.smoke._support import assert_ok_or_clear_error

pytestmark = pytest.mark.anyio  # cassette: cassettes/footytab.yaml
SPORT = "AFL Football"  # the sport FootyTAB runs on


async def test_rounds_and_round_details(call_tool: Any, tabmcp_mode: str) -> None:
    expect_error = None if tabmcp_mode == "live" else False
    rounds = assert_ok_or_clear_error(
        await call_tool("footytab_get_all_rounds", {"sport_name": SPORT}, expect_error=expect_error)
    )
    if rounds is None:
        return  # live and closed: the clear error was the check
    numbers = [r["roundNumber"] for r in rounds["rounds"]]
    assert numbers, "FootyTAB lists no rounds"
    details = assert_ok_or_clear_error(
        await call_tool(
            "footytab_get_round_details", {"sport_name": SPORT, "round_number": numbers[-1]}, expect_error=expect_error
        )
    )
    if tabmcp_mode == "offline":
        assert numbers == [26, 27]
        assert details is not None and details["roundNumber"] == 27 and details["games"]
        series = await call_tool("footytab_get_round_details", {"sport_name": SPORT, "round_number": 27, "series": "1"})
        assert series.structured_content["roundNumber"] == 27
