"""The second data set (``cassettes-alt/``): built from its own payloads, so its shape differs from the first.

A smoke test that hard-codes anything of one set (a sport, a venue, a race or runner number, a round, a series,
a pool, a token lifetime) fails on the other. The racing payloads are in
:mod:`~tabmcp_ops.cassette_builders.second_racing`, the sports ones in
:mod:`~tabmcp_ops.cassette_builders.second_sports`; this module adds dates, next-to-go, form, approximates,
jackpots, OAuth and errors, and assembles the six cassettes. The token lifetime here is 7200 s (10800 in the
primary set). Every value is invented; NOT recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tabmcp_ops.cassette_builders import second_racing as racing
from tabmcp_ops.cassette_builders import second_sports as sports
from tabmcp_ops.cassette_builders.interactions import CLIENT_FORM, get, info_error, link, request_uri, token_post

LIFETIME = 7200
T = racing.T


def token(form: str = f"grant_type=client_credentials&{CLIENT_FORM}", **extra: str) -> dict[str, Any]:
    """A token exchange of this set (placeholders only, its own lifetime); ``extra`` adds or replaces fields."""
    body = {"access_token": "placeholder-access-token", "token_type": "Bearer", "expires_in": LIFETIME} | extra
    return token_post(form, body)


def dates_payload() -> dict[str, Any]:
    """``GET /racing/dates``: today first, then tomorrow only."""
    days = [(racing.DATE, "today"), ("2027-03-15", "tomorrow")]
    return {
        "dates": [
            {"meetingDate": d, "dateName": name, "_links": {"meetings": link("racing", "dates", d, "meetings")}}
            for d, name in days
        ]
    }


def next_to_go(max_races: int | None, recently_closed: bool) -> dict[str, Any]:
    """Next-to-go: a fixed-odds-only race first (its meeting has no venueMnemonic), then two TAB races."""
    kempton = {"meetingName": racing.KEMPTON, "meetingDate": racing.DATE, "location": "GBR", "raceType": "R"}
    items = [
        {"raceStartTime": "2027-03-13T18:05:00.000Z", "raceNumber": 3, "raceName": "Race 3", "meeting": kempton},
        {
            "raceStartTime": T.format("06:30"),
            "raceNumber": 1,
            "raceName": "CANTERBURY CUP",
            "raceStatus": "Normal",
            "meeting": {**racing.CNB, "railPosition": "True"},
        },
        {
            "raceStartTime": T.format("09:12"),
            "raceNumber": 2,
            "raceName": "GREYHOUND ADOPTION STAKE",
            "raceStatus": "Normal",
            "meeting": racing.MEA,
        },
    ]
    if recently_closed:
        items.insert(0, {**items[2], "raceNumber": 1, "raceName": "VETERANS STAKE", "raceStatus": "Closed"})
    return {"races": items[:max_races] if max_races else items}


def runner_form(runner: dict[str, Any]) -> dict[str, Any]:
    """Greyhound runner form (§10.2): a first starter has no previous starts (an empty optional list)."""
    n = runner["runnerNumber"]
    summary = {"numberOfStarts": 0, "numberOfWins": 0, "numberOfPlacings": 0}
    start = {
        "startType": "LastStarts",
        "startDate": "2027-03-01",
        "raceNumber": 5,
        "finishingPosition": str(n % 4 + 1),
        "numberOfStarters": 8,
        "margin": None if n % 2 else "2.25",
        "odds": "4.40",
        "time": "29.68",
        "weight": 31.2,
    }
    starts = [] if n == 8 else [start]
    return {
        "runnerNumber": n,
        "runnerName": runner["runnerName"],
        "last20Starts": "" if not starts else "1234",
        "age": 2 + n % 3,
        "sire": "FERNANDO BALE",
        "dam": "ZIPPING ZARA",
        "colour": "BK",
        "bestTime": "29.68",
        "trainerName": runner["trainerFullName"],
        "runnerStarts": {
            "startSummaries": {"overall": summary | {"numberOfStarts": len(starts)}},
            "previousStarts": starts,
        },
        "_links": {"self": link(*racing.race_path(racing.DATE, "G", "MEA", racing.DISCOVERED), "form", n)},
    }


def form_payload() -> dict[str, Any]:
    """Race form in box order from the outside in (runner 8 first), without the vacant and scratched boxes."""
    field = [r for r in racing.runners() if r["runnerNumber"] not in (racing.VACANT, racing.SCRATCHED)]
    return {"form": [runner_form(r) for r in reversed(field)]}


def approximates() -> dict[str, Any]:
    """Exacta approximates: ordered pairs, so (1, 2) and (2, 1) are two selections."""
    pairs = [([1, 2], 7.4), ([2, 1], 9.8), ([8, 1], 21.0), ([5, 7], 64.5)]
    return {"wageringProduct": "Exacta", "approximates": [{"selections": s, "return": r} for s, r in pairs]}


def jackpots() -> dict[str, Any]:
    """Open jackpots ([INFERRED]): a Quaddie at CANTERBURY."""
    return {"jackpots": [{"poolType": "Quaddie", "meeting": "CANTERBURY", "amount": 12500.0}]}


def jackpot_pools() -> dict[str, Any]:
    """Jackpot pools ([INFERRED]): the CANTERBURY Quaddie."""
    pool = {
        "wageringProduct": "Quaddie",
        "meetingName": "CANTERBURY",
        "venueMnemonic": "CNB",
        "raceType": "R",
        "jackpot": 12500.0,
        "poolTotal": 3100.5,
    }
    return {"jackpotPools": [pool]}


def _dated(d: str) -> list[dict[str, Any]]:
    seg = racing.race_path(d, "G", "MEA", racing.DISCOVERED)
    out = [get(request_uri("racing", "dates", d, "meetings"), racing.meetings_payload())]
    for info, races in ((racing.MEA, racing.MEA_RACES), (racing.CNB, racing.CNB_RACES), (racing.APK, racing.APK_RACES)):
        races_uri = request_uri("racing", "dates", d, "meetings", info["raceType"], info["venueMnemonic"], "races")
        out.append(get(races_uri, racing.races_payload(info, races)))
    out += [
        get(request_uri(*seg), racing.race_card()),
        get(request_uri(*seg, "form"), form_payload()),
        get(request_uri(*seg, "form", 8), runner_form(racing.runners()[7])),
        get(request_uri(*seg, "pools", "Exacta", "approximates"), approximates()),
        get(racing.kempton_uri(d), racing.fixed_only_card()),
        get(request_uri("racing", "dates", d, "jackpot-pools"), jackpot_pools()),
    ]
    return out


def racing_cassette() -> list[dict[str, Any]]:
    """Every racing interaction of the set, each dated one under both its date and ``today``."""
    out = [token(), get(request_uri("racing", "dates"), dates_payload())]
    for d in racing.DATE_SEGMENTS:
        out += _dated(d)
    for max_races in (None, 5, 10):
        for closed in (False, True):
            query = ((("maxRaces", str(max_races)),) if max_races else ()) + (
                (("includeRecentlyClosed", "true"),) if closed else ()
            )
            out.append(get(request_uri("racing", "next-to-go", "races", query=query), next_to_go(max_races, closed)))
    out.append(get(request_uri("racing", "jackpots"), jackpots()))
    return out


def errors_cassette() -> list[dict[str, Any]]:
    """The 400 for ``WA``, and the 404s at THE MEADOWS: race 99, and ``fixedOdds=true`` on its TAB race 2."""
    bad = info_error(
        "INVALID_SYNTAX_ERROR",
        "Invalid query string",
        [{"path": "query.jurisdiction", "message": "should be NSW, VIC, ACT, QLD, SA, NT or TAS"}],
    )
    out = [token(), get(request_uri("racing", "dates", jurisdiction="WA"), bad, 400)]
    out.append(get(request_uri("racing", "dates"), dates_payload()))
    for d in racing.DATE_SEGMENTS:
        out.append(get(request_uri("racing", "dates", d, "meetings"), racing.meetings_payload()))
        race = ("racing", "dates", d, "meetings", "G", "MEA", "races")
        out.append(get(request_uri(*race, 99), info_error("RESOURCE_NOT_FOUND_ERROR", "No race 99"), 404))
        missing = info_error("RESOURCE_NOT_FOUND_ERROR", "No fixed odds race")
        out.append(get(request_uri(*race, racing.DISCOVERED, query=(("fixedOdds", "true"),)), missing, 404))
    return out


def oauth_cassette() -> list[dict[str, Any]]:
    """The three grants and an OAuth error, with this set's lifetime."""
    user = "username=PLACEHOLDER_USERNAME&password=PLACEHOLDER_PASSWORD"
    refresh = "placeholder-refresh-token"
    return [
        token(),
        token(f"grant_type=password&{CLIENT_FORM}&{user}", refresh_token=refresh),
        token(
            f"grant_type=refresh_token&{CLIENT_FORM}&refresh_token={refresh}",
            access_token="placeholder-access-token-refreshed",  # noqa: S106 - a placeholder
            refresh_token=refresh,
        ),
        token_post(
            "grant_type=client_credentials&client_id=PLACEHOLDER_UNKNOWN_CLIENT&client_secret=PLACEHOLDER_WRONG_SECRET",
            {"error": "invalid_client", "error_description": "Client authentication failed"},
            status=401,
        ),
    ]


CASSETTES: dict[str, Callable[[], list[dict[str, Any]]]] = {
    "oauth.yaml": oauth_cassette,
    "racing.yaml": racing_cassette,
    "sports.yaml": lambda: sports.sports_cassette(token()),
    "results.yaml": lambda: sports.results_cassette(token()),
    "footytab.yaml": lambda: sports.footytab_cassette(token()),
    "errors.yaml": errors_cassette,
}
