"""Racing contracts (tabcorp-api.md §5-§11): what the racing tools, their docstrings and the smoke suite rely on.

Each comment names the reference section and its confidence tag. The evidence decides the strength:
- a field that real captures always carry where it applies is required there ([REAL]/[CLIENT]), through a
  :func:`~pytest_tabmcp.contracts.shapes.when` rule where it depends on another field (prices on a runner that
  is not a vacant box, on a card that has fixed odds; a venueMnemonic on a meeting that is not fixed-odds-only);
- a list the domain never leaves empty is :func:`~pytest_tabmcp.contracts.shapes.non_empty` (a date lists
  meetings, a meeting races, a race runners, a run race its results, next-to-go some races);
- a field only inferred ([INFERRED]) stays optional but typed.
Every shape the reference documents as real still passes: fixed-odds-only meetings without venueMnemonic, dead
heats, vacant boxes, nulls and absent keys on overseas meetings, an integer ``substitute``, ``pools: []``.
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
    const,
    non_empty,
    nullable,
    obj,
    one_of_types,
    when,
)

# §4.7 [REAL]: the three race types.
RACE_TYPE: Schema = {"type": "string", "enum": ["R", "H", "G"], "description": "a race type (R, H or G)"}
# §8.3 [REAL] / §8.1 [REAL-DTO]: "NYD" or "NR" on most, the int 6 on Big6 and on 2023 races.
SUBSTITUTE = one_of_types("string", "integer", description="a string or an integer")
# §8.5 [REAL]: positions, each an array of runner numbers (two on a dead heat); a position is never empty.
RESULTS = array(non_empty(INT))
SCRATCHING = obj({"runnerNumber": INT, "runnerName": STR, "bettingStatus": STR})  # §6.3 [REAL]; "...." = vacant box
# A run race ("Paying", §4.7 [REAL]) has its placings.
PAID_HAS_RESULTS = when({"raceStatus": const("Paying")}, obj({"results": non_empty(non_empty(INT))}))

# §6.3 [REAL]: a race summary, as listed in a meeting and by races-in-meeting (§7). raceDistance and
# raceClassConditions are absent on some fixed-odds-only races (§6.4), so the meeting requires them (TAB only).
RACE_SUMMARY = obj(
    {
        "raceNumber": INT,
        "raceName": STR,
        "raceStartTime": ISO_UTC,
        "raceStatus": STR,
        "hasParimutuel": BOOL,
        "hasFixedOdds": BOOL,
        "results": RESULTS,
        "scratchings": array(SCRATCHING),
    },
    {
        "raceDistance": INT,
        "raceClassConditions": STR,
        "matchName": STR,
        "broadcastChannel": nullable(STR),
        "broadcastChannels": array(STR),
        "isJackpotRace": BOOL,
        "_links": obj({}, {"self": STR, "form": STR}),  # §7 [CLIENT]
    },
    rules=(PAID_HAS_RESULTS,),
)

# §6.2 [REAL]: a multi-leg pool of a TAB meeting (poolTotal may be 0).
EXOTIC_POOL = obj({"wageringProduct": STR}, {"poolTotal": NUM, "jackpot": NUM, "poolStatusCode": STR, "name": STR})
# §6.1 [REAL]: what every TAB meeting (one that is not fixed-odds-only) carries, its races' distance and class too.
TAB_MEETING = obj(
    {
        "venueMnemonic": STR,
        "sellCode": obj({"meetingCode": STR, "scheduledType": STR}),
        "exoticPools": array(EXOTIC_POOL),
        "races": array(obj({"raceDistance": INT, "raceClassConditions": STR})),
    }
)
# §6.1/§6.4 [REAL]: a meeting. Fixed-odds-only meetings have displayMeetingName and none of the TAB keys;
# weatherCondition/trackCondition are null on some overseas meetings and absent on others.
MEETING = obj(
    {"meetingName": STR, "location": STR, "raceType": RACE_TYPE, "meetingDate": DATE, "races": non_empty(RACE_SUMMARY)},
    {
        "venueMnemonic": STR,
        "displayMeetingName": STR,
        "fixedOddsOnly": BOOL,
        "prizeMoney": STR,
        "weatherCondition": nullable(STR),
        "trackCondition": nullable(STR),
        "railPosition": nullable(STR),
        "sellCode": ANY_OBJECT,
        "exoticPools": array(EXOTIC_POOL),
        "_links": obj({}, {"races": STR}),
    },
    rules=(when({"fixedOddsOnly": const(True)}, obj({"displayMeetingName": STR}), TAB_MEETING),),
)

# §8.1 [REAL]: the meeting block of a race card and of a next-to-go item (§9).
RACE_MEETING = obj(
    {"meetingName": STR, "meetingDate": DATE, "location": STR, "raceType": RACE_TYPE},
    {
        "venueMnemonic": STR,
        "weatherCondition": nullable(STR),
        "trackCondition": nullable(STR),
        "railPosition": nullable(STR),
        "sellCode": ANY_OBJECT,
    },
)

# §8.4 [REAL]: both price blocks carry a bettingStatus; an open runner has a win price (returnWin may be 0
# on a vacant box or before the tote exists, so it is typed, not bounded).
PRICES = obj(
    {"bettingStatus": STR},
    {"returnWin": NUM, "returnPlace": NUM, "propositionNumber": INT, "winDeduction": NUM, "placeDeduction": NUM},
    rules=(when({"bettingStatus": const("Open")}, obj({"returnWin": NUM})),),
)
RUNNER = obj(
    {"runnerName": STR, "runnerNumber": INT, "barrierNumber": INT},
    {
        "fixedOdds": PRICES,
        "parimutuel": PRICES,
        "vacantBox": BOOL,  # absent in 2018 data [REAL]
        "emergency": BOOL,
        "trainerName": STR,
        "riderDriverName": STR,
        "riderDriverFullName": nullable(STR),  # null for greyhounds [REAL]
        "handicapWeight": NUM,
        "claimAmount": NUM,  # -1 = no claim [REAL]
        "last5Starts": nullable(STR),
    },
)


def _runners_carry(block: str) -> Schema:
    """Every runner but a vacant box carries ``block`` (its price object)."""
    return array(when({"vacantBox": const(True)}, {}, obj({block: PRICES})))


# §8.3 [REAL]: a pool of the race; substitute mixes types; approximates links only on Quinella/Exacta/Duet.
POOL = obj(
    {"wageringProduct": STR, "poolStatusCode": STR, "poolTotal": NUM},
    {"jackpot": NUM, "legNumber": INT, "substitute": SUBSTITUTE, "name": STR, "_links": obj({}, {"approximates": STR})},
)

# §8.1-§8.5 [REAL]: the race card. A card with fixed odds prices its runners; a card with a tote (a TAB race)
# has pools, tote prices and a venueMnemonic; a fixed-odds-only card has none of these (pools: []).
RACE_CARD = obj(
    {
        "raceNumber": INT,
        "raceName": STR,
        "raceStartTime": ISO_UTC,
        "raceStatus": STR,
        "hasFixedOdds": BOOL,
        "hasParimutuel": BOOL,
        "meeting": RACE_MEETING,
        "runners": non_empty(RUNNER),
        "results": RESULTS,
    },
    {
        "raceDistance": INT,
        "raceClassConditions": STR,
        "matchName": STR,
        "substitute": SUBSTITUTE,
        "pools": array(POOL),
        "scratchings": array(SCRATCHING),
    },
    rules=(
        PAID_HAS_RESULTS,
        when({"hasFixedOdds": const(True)}, obj({"runners": _runners_carry("fixedOdds")})),
        # A resulted race turns hasFixedOdds false (quirk 15) but its runners keep their fixed-odds block.
        when({"willHaveFixedOdds": const(True)}, obj({"runners": _runners_carry("fixedOdds")})),
        when(
            {"hasParimutuel": const(True)},
            obj(
                {
                    "pools": non_empty(POOL),
                    "runners": _runners_carry("parimutuel"),
                    "meeting": obj({"venueMnemonic": STR}),
                }
            ),
        ),
    ),
)

# §10.2 [REAL]: one runner's form; finishingPosition, margin and odds are strings in previousStarts.
START_SUMMARY = obj({"numberOfStarts": INT, "numberOfWins": INT, "numberOfPlacings": INT})
PREVIOUS_START = obj(
    {"startDate": DATE, "finishingPosition": nullable(STR)},
    {"startType": STR, "numberOfStarters": INT, "margin": nullable(STR), "odds": nullable(STR)},
)
STARTS = obj(
    {
        "startSummaries": {"type": "object", "additionalProperties": START_SUMMARY},
        "previousStarts": array(PREVIOUS_START),
    }
)
RUNNER_FORM = obj(
    {"runnerNumber": INT, "runnerName": STR, "runnerStarts": STARTS},
    {
        "last20Starts": STR,
        "age": INT,
        "sire": STR,
        "dam": STR,
        "formComment": STR,
        "trainerName": STR,
        "trainerStarts": STARTS,
        "riderDriverStarts": STARTS,
    },
)

CONTRACTS: dict[str, Schema] = {
    # §5 [CLIENT]: dates[0] is today, each date links its meetings; the top-level _links is [INFERRED].
    "racing_get_all_meeting_dates": obj(
        {"dates": non_empty(obj({"dateName": STR, "meetingDate": DATE, "_links": obj({"meetings": STR})}))},
        {"_links": ANY_OBJECT},
    ),
    "racing_get_meetings": obj({"meetings": non_empty(MEETING)}),  # §6 [REAL]
    "racing_get_all_races_in_meeting": obj({"races": non_empty(RACE_SUMMARY)}),  # §7 [REAL]
    "racing_get_race": RACE_CARD,  # §8 [REAL]
    # §9 [REAL]: TAB always lists races about to jump; raceStatus and the rest of the modern item are [INFERRED].
    "racing_get_next_to_go": obj(
        {
            "races": non_empty(
                obj(
                    {"raceStartTime": ISO_UTC, "raceNumber": INT, "raceName": STR, "meeting": RACE_MEETING},
                    {"raceStatus": STR, "raceDistance": INT, "hasFixedOdds": BOOL, "_links": ANY_OBJECT},
                )
            )
        }
    ),
    "racing_get_race_form": obj({"form": non_empty(RUNNER_FORM)}),  # §10.1 [REAL]
    "racing_get_runner_form": RUNNER_FORM,  # §10.2 [REAL]
    # §11.1 [CLIENT]: approximates use the plural "selections" (two runners: Quinella, Exacta, Duet); other
    # keys are [INFERRED].
    "racing_get_approximates": obj(
        {"approximates": array(obj({"selections": array(INT, min_items=2), "return": NUM}))},
        {"wageringProduct": STR},
    ),
    # §11.2 [INFERRED]: no response sample is documented; only the hinted shape, typed and optional.
    "racing_get_open_jackpots": obj({}, {"jackpots": array(obj({}, {"poolType": STR, "meeting": STR, "amount": NUM}))}),
    # §11.3 [INFERRED]: no response sample is documented.
    "racing_get_jackpot_pools": obj(
        {},
        {
            "jackpotPools": array(
                obj(
                    {},
                    {
                        "wageringProduct": STR,
                        "meetingName": STR,
                        "venueMnemonic": STR,
                        "raceType": RACE_TYPE,
                        "jackpot": NUM,
                        "poolTotal": NUM,
                    },
                )
            )
        },
    ),
}
