"""Sports, results and FootyTAB contracts (tabcorp-api.md §12): what those tools and the smoke suite rely on.

Each comment names the reference section and its confidence tag; fields tagged [INFERRED] are optional.
"""

from __future__ import annotations

from pytest_tabmcp.contracts.shapes import (
    ANY_OBJECT,
    BOOL,
    INT,
    ISO_UTC,
    NUM,
    STR,
    Schema,
    array,
    obj,
)

# §12.3 [CLIENT]: proposition ids are strings; returnWin is a number.
PROPOSITION = obj({"name": STR}, {"id": STR, "number": INT, "returnWin": NUM, "returnPlace": NUM, "bettingStatus": STR})
MARKET = obj({"id": STR, "name": STR}, {"betOption": STR, "bettingStatus": STR, "propositions": array(PROPOSITION)})
CONTESTANT = obj({"name": STR}, {"position": STR, "isHome": BOOL})
# §12.3 [CLIENT]: a match item; its name always contains " v ". tournamentName is optional.
MATCH = obj(
    {"id": STR, "name": STR, "startTime": ISO_UTC},
    {
        "closeTime": ISO_UTC,
        "inPlay": BOOL,
        "contestants": array(CONTESTANT),
        "competitionName": STR,
        "sportName": STR,
        "tournamentName": STR,
        "markets": array(MARKET),
    },
)
# §12.1 [CLIENT]: a competition summary inside a sport.
COMPETITION_SUMMARY = obj(
    {"id": STR, "name": STR},
    {"hasMarkets": BOOL, "tournaments": array(obj({"name": STR}, {"id": STR}))},
)
SPORT = obj({"id": STR, "name": STR, "competitions": array(COMPETITION_SUMMARY)}, {"displayName": STR})
# §12.3/§12.4 [CLIENT]: a competition (or tournament) with its matches; tennis-style ones list tournaments.
COMPETITION = obj(
    {"id": STR, "name": STR, "matches": array(MATCH)},
    {"tournaments": array(obj({"name": STR}, {"id": STR})), "betOptionPriority": array(STR)},
)
# §12.7 [INFERRED]: the fields of a resulted match, market or proposition are not documented publicly.
RESULTED_MATCH = obj({}, {"id": STR, "name": STR, "startTime": ISO_UTC, "markets": array(ANY_OBJECT)})

SPORTS_CONTRACTS: dict[str, Schema] = {
    "sports_get_all_open": obj({"sports": array(obj({"id": STR, "name": STR}, SPORT["properties"]))}),  # §12.1
    "sports_get_open_sport": SPORT,  # §12.2 [CLIENT]
    "sports_get_open_competition": COMPETITION,  # §12.3 [CLIENT]
    "sports_get_open_tournament": obj({"id": STR, "name": STR, "matches": array(MATCH)}),  # §12.4 [CLIENT]
    "sports_get_open_match_in_competition": MATCH,  # §12.5 [CLIENT]
    # §12.5 [INFERRED]: "the same match shape" is inferred, so only the match's identity is required.
    "sports_get_open_match_in_tournament": obj({"name": STR}, MATCH["properties"]),
    "sports_get_next_to_go": obj({"matches": array(MATCH)}),  # §12.6 [CLIENT]
}

RESULTS_CONTRACTS: dict[str, Schema] = {
    # §12.7 [CLIENT]: {"sports": [...]} mirroring the open list.
    "sports_get_all_results": obj({"sports": array(obj({"id": STR, "name": STR}, SPORT["properties"]))}),
    "sports_get_resulted_sport": SPORT,  # §12.7 [CLIENT] (BFF results mock)
    # §12.7: a resulted competition mirrors the open one [CLIENT]; its matches are [INFERRED].
    "sports_get_resulted_competition": obj(
        {"id": STR, "name": STR}, {"matches": array(RESULTED_MATCH), "tournaments": array(ANY_OBJECT)}
    ),
    "sports_get_resulted_match_in_competition": RESULTED_MATCH,  # §12.7 [INFERRED]
}

# §12.8 [INFERRED]: no FootyTAB payload is documented publicly; every field is optional until recorded.
ROUND = obj({}, {"roundNumber": INT, "name": STR, "status": STR})
FOOTYTAB_CONTRACTS: dict[str, Schema] = {
    "footytab_get_all_rounds": obj({}, {"sportName": STR, "rounds": array(ROUND)}),
    "footytab_get_round_details": obj(
        {},
        {
            **ROUND["properties"],
            "closeTime": ISO_UTC,
            "jackpot": NUM,
            "games": array(obj({}, {"gameNumber": INT, "matchName": STR, "startTime": ISO_UTC})),
            "series": array(obj({}, {"seriesNumber": INT, "name": STR})),
        },
    ),
}
