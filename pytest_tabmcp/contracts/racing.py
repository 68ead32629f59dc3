"""Racing contracts (tabcorp-api.md §5-§11): what the racing tools, their docstrings and the smoke suite rely on.

Each comment names the reference section and its confidence tag; fields tagged [INFERRED] are optional.
"""

from __future__ import annotations

from pytest_tabmcp.contracts.shapes import (
    ANY_OBJECT,
    BOOL,
    DATE,
    INT,
    ISO_UTC,
    NUM,
    STR,
    Schema,
    array,
    nullable,
    obj,
)

# §6.3 [REAL]: a race summary, as listed in a meeting and by races-in-meeting (§7). raceDistance and
# raceClassConditions are absent on some fixed-odds-only races (§6.4).
RACE_SUMMARY = obj(
    {
        "raceNumber": INT,
        "raceName": STR,
        "raceStartTime": ISO_UTC,
        "raceStatus": STR,
        "hasParimutuel": BOOL,
        "hasFixedOdds": BOOL,
    },
    {
        "raceDistance": INT,
        "raceClassConditions": STR,
        "broadcastChannel": nullable(STR),
        "broadcastChannels": array(STR),
        "results": array(array(INT)),
        "scratchings": array(obj({"runnerNumber": INT, "runnerName": STR}, {"bettingStatus": STR})),
        "isJackpotRace": BOOL,
    },
)

# §6.1/§6.4 [REAL]: a meeting; the TAB-only keys (venueMnemonic, sellCode, prizeMoney, exoticPools) are absent
# on fixed-odds-only meetings, so they are optional.
MEETING = obj(
    {"meetingName": STR, "location": STR, "raceType": STR, "meetingDate": DATE, "races": array(RACE_SUMMARY)},
    {
        "venueMnemonic": STR,
        "displayMeetingName": STR,
        "fixedOddsOnly": BOOL,
        "prizeMoney": STR,
        "weatherCondition": nullable(STR),
        "trackCondition": nullable(STR),
        "sellCode": obj({}, {"meetingCode": STR, "scheduledType": STR}),
        "exoticPools": array(obj({"wageringProduct": STR}, {"poolTotal": NUM, "jackpot": NUM})),
    },
)

# §8.1 [REAL]: the meeting block of a race card and of a next-to-go item (§9).
RACE_MEETING = obj(
    {"meetingName": STR, "meetingDate": DATE, "location": STR, "raceType": STR},
    {"venueMnemonic": STR, "weatherCondition": nullable(STR), "trackCondition": nullable(STR)},
)

# §8.4 [REAL]: fixedOdds.returnWin is a number or absent; bettingStatus is an enum string.
PRICES = obj({}, {"returnWin": NUM, "returnPlace": NUM, "bettingStatus": STR})
RUNNER = obj(
    {"runnerName": STR, "runnerNumber": INT},
    {
        "barrierNumber": INT,
        "fixedOdds": PRICES,
        "parimutuel": PRICES,
        "vacantBox": BOOL,
        "emergency": BOOL,
        "trainerName": STR,
        "riderDriverName": STR,
    },
)

# §8.1-§8.4 [REAL]: the race card. pools is [] on fixed-odds-only races; substitute mixes types (§8.3) and is
# left out on purpose.
RACE_CARD = obj(
    {
        "raceNumber": INT,
        "raceName": STR,
        "raceStartTime": ISO_UTC,
        "raceStatus": STR,
        "meeting": RACE_MEETING,
        "runners": array(RUNNER),
    },
    {
        "raceDistance": INT,
        "raceClassConditions": STR,
        "hasFixedOdds": BOOL,
        "hasParimutuel": BOOL,
        "matchName": STR,
        "results": array(array(INT)),
        "pools": array(obj({"wageringProduct": STR}, {"poolTotal": NUM, "jackpot": NUM})),
    },
)

# §10.2 [REAL]: one runner's form; finishingPosition is a string in previousStarts.
START_SUMMARY = obj({}, {"numberOfStarts": INT, "numberOfWins": INT, "numberOfPlacings": INT})
PREVIOUS_START = obj({}, {"startDate": DATE, "finishingPosition": nullable(STR), "numberOfStarters": INT})
RUNNER_FORM = obj(
    {"runnerNumber": INT, "runnerName": STR},
    {
        "last20Starts": STR,
        "age": INT,
        "sire": STR,
        "dam": STR,
        "formComment": STR,
        "trainerName": STR,
        "runnerStarts": obj(
            {},
            {
                "startSummaries": {"type": "object", "additionalProperties": START_SUMMARY},
                "previousStarts": array(PREVIOUS_START),
            },
        ),
    },
)

CONTRACTS: dict[str, Schema] = {
    # §5 [CLIENT]: dates[0] is today; the top-level _links is [INFERRED].
    "racing_get_all_meeting_dates": obj(
        {"dates": array(obj({"dateName": STR, "meetingDate": DATE}, {"_links": obj({}, {"meetings": STR})}))},
        {"_links": ANY_OBJECT},
    ),
    "racing_get_meetings": obj({"meetings": array(MEETING)}),  # §6 [REAL]
    "racing_get_all_races_in_meeting": obj({"races": array(RACE_SUMMARY)}),  # §7 [REAL]
    "racing_get_race": RACE_CARD,  # §8 [REAL]
    # §9 [REAL]; raceStatus and the rest of the modern item are [INFERRED].
    "racing_get_next_to_go": obj(
        {
            "races": array(
                obj(
                    {"raceStartTime": ISO_UTC, "raceNumber": INT, "raceName": STR, "meeting": RACE_MEETING},
                    {"raceStatus": STR, "raceDistance": INT, "hasFixedOdds": BOOL},
                )
            )
        }
    ),
    "racing_get_race_form": obj({"form": array(RUNNER_FORM)}),  # §10.1 [REAL]
    "racing_get_runner_form": RUNNER_FORM,  # §10.2 [REAL]
    # §11.1 [CLIENT]: approximates use the plural "selections"; other keys are [INFERRED].
    "racing_get_approximates": obj(
        {"approximates": array(obj({"selections": array(INT), "return": NUM}))}, {"wageringProduct": STR}
    ),
    # §11.2 [INFERRED]: no response sample is documented; only the hinted shape, all optional.
    "racing_get_open_jackpots": obj({}, {"jackpots": array(obj({}, {"poolType": STR, "meeting": STR, "amount": NUM}))}),
    # §11.3 [INFERRED]: no response sample is documented.
    "racing_get_jackpot_pools": obj(
        {}, {"jackpotPools": array(obj({}, {"wageringProduct": STR, "jackpot": NUM, "poolTotal": NUM}))}
    ),
}
