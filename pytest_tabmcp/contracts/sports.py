"""Sports, results and FootyTAB contracts (tabcorp-api.md §12): what those tools and the smoke suite rely on.

Each comment names the reference section and its confidence tag. Fields client code reads on every item
([CLIENT]) are required, lists the domain never leaves empty carry ``minItems: 1`` (TAB always lists open and
resulted sports, a listed sport has competitions, a market has propositions, next-to-go has matches), and
fields tagged [INFERRED] (resulted matches, every FootyTAB payload) stay optional but typed. Ids may be strings
or integers (quirk 3), and tennis-style competitions list ``matches: []`` with tournaments (quirk 20).
"""

from __future__ import annotations

from pytest_tabmcp.contracts.shapes import (
    BOOL,
    INT,
    ISO_UTC,
    NUM,
    STR,
    Schema,
    array,
    non_empty,
    nullable,
    obj,
    one_of_types,
)

# Quirk 3 [REAL]/[CLIENT]: proposition and market ids are sometimes strings and sometimes ints.
ID = one_of_types("string", "integer", description="a string or an integer id")
# §12.3 [CLIENT]: a proposition (a selection with its price).
PROPOSITION = obj(
    {"name": STR, "returnWin": NUM},
    {"id": ID, "number": INT, "returnPlace": NUM, "bettingStatus": STR, "position": nullable(STR), "isOpen": BOOL},
)
# §12.3 [CLIENT]: a market always offers propositions.
MARKET = obj(
    {"id": ID, "name": STR, "betOption": STR, "propositions": non_empty(PROPOSITION)},
    {"shortName": STR, "bettingStatus": STR, "closeTime": ISO_UTC, "allowMulti": BOOL},
)
CONTESTANT = obj({"name": STR}, {"position": STR, "isHome": BOOL})
_MATCH_REQUIRED: dict[str, Schema] = {
    "id": ID,
    "name": STR,
    "startTime": ISO_UTC,
    "inPlay": BOOL,
    "markets": array(MARKET),  # the top N markets; a match between markets may list none
}
_MATCH_OPTIONAL: dict[str, Schema] = {
    "closeTime": ISO_UTC,
    "contestants": array(CONTESTANT),
    "competitionName": STR,
    "sportName": STR,
    "tournamentName": STR,  # only on tournament matches
    "spectrumUniqueId": INT,
    "_links": obj({}, {"self": STR, "markets": STR}),
}
# §12.3 [CLIENT]: a match item; its name always contains " v ".
MATCH = obj(_MATCH_REQUIRED, _MATCH_OPTIONAL)
# §12.6 [CLIENT]: next-to-go items also say which sport and competition they belong to.
NEXT_TO_GO_MATCH = obj({**_MATCH_REQUIRED, "sportName": STR, "competitionName": STR}, _MATCH_OPTIONAL)
TOURNAMENT_SUMMARY = obj({"name": STR}, {"id": ID, "_links": obj({}, {"self": STR})})
# §12.1 [CLIENT]: a competition summary inside a sport.
COMPETITION_SUMMARY = obj(
    {"id": ID, "name": STR},
    {"hasMarkets": BOOL, "tournaments": array(TOURNAMENT_SUMMARY), "_links": obj({}, {"self": STR, "matches": STR})},
)
# §12.1/§12.2 [CLIENT]: a sport lists its competitions (a sport with none is not listed); footytab on footy codes.
SPORT = obj(
    {"id": ID, "name": STR, "competitions": non_empty(COMPETITION_SUMMARY)},
    {"displayName": STR, "_links": obj({}, {"self": STR, "competitions": STR, "footytab": STR})},
)
# §12.3/§12.4 [CLIENT]: a competition (or tournament) with its matches; tennis-style ones list tournaments.
COMPETITION = obj(
    {"id": ID, "name": STR, "matches": array(MATCH)},
    {"tournaments": array(TOURNAMENT_SUMMARY), "betOptionPriority": array(STR)},
)

# §12.7 [INFERRED]: the fields of a resulted match, market or proposition are not documented publicly.
RESULTED_PROPOSITION = obj({}, {"id": ID, "name": STR, "returnWin": NUM, "result": STR, "bettingStatus": STR})
RESULTED_MARKET = obj(
    {}, {"id": ID, "name": STR, "betOption": STR, "bettingStatus": STR, "propositions": array(RESULTED_PROPOSITION)}
)
RESULTED_MATCH = obj(
    {},
    {
        "id": ID,
        "name": STR,
        "startTime": ISO_UTC,
        "resultedTime": ISO_UTC,
        "contestants": array(CONTESTANT),
        "markets": array(RESULTED_MARKET),
    },
)

SPORTS_CONTRACTS: dict[str, Schema] = {
    "sports_get_all_open": obj({"sports": non_empty(SPORT)}),  # §12.1 [CLIENT]
    "sports_get_open_sport": SPORT,  # §12.2 [CLIENT]
    "sports_get_open_competition": COMPETITION,  # §12.3 [CLIENT]
    "sports_get_open_tournament": obj({"id": ID, "name": STR, "matches": array(MATCH)}),  # §12.4 [CLIENT]
    "sports_get_open_match_in_competition": MATCH,  # §12.5 [CLIENT]
    # §12.5 [INFERRED]: "the same match shape" is inferred, so only the match's identity is required.
    "sports_get_open_match_in_tournament": obj({"name": STR}, MATCH["properties"]),
    "sports_get_next_to_go": obj({"matches": non_empty(NEXT_TO_GO_MATCH)}),  # §12.6 [CLIENT]
}

RESULTS_CONTRACTS: dict[str, Schema] = {
    # §12.7 [CLIENT]: {"sports": [...]} mirroring the open list.
    "sports_get_all_results": obj({"sports": non_empty(SPORT)}),
    "sports_get_resulted_sport": SPORT,  # §12.7 [CLIENT] (BFF results mock)
    # §12.7: a resulted competition mirrors the open one [CLIENT]; its matches are [INFERRED].
    "sports_get_resulted_competition": obj(
        {"id": ID, "name": STR}, {"matches": array(RESULTED_MATCH), "tournaments": array(TOURNAMENT_SUMMARY)}
    ),
    "sports_get_resulted_match_in_competition": RESULTED_MATCH,  # §12.7 [INFERRED]
}

# §12.8 [INFERRED]: no FootyTAB payload is documented publicly; every field is optional (typed) until recorded.
ROUND = obj({}, {"roundNumber": INT, "name": STR, "status": STR, "closeTime": ISO_UTC})
GAME = obj({}, {"gameNumber": INT, "matchName": STR, "startTime": ISO_UTC, "homeTeam": STR, "awayTeam": STR})
FOOTYTAB_CONTRACTS: dict[str, Schema] = {
    "footytab_get_all_rounds": obj({}, {"sportName": STR, "rounds": array(ROUND)}),
    "footytab_get_round_details": obj(
        {},
        {
            **ROUND["properties"],
            "sportName": STR,
            "jackpot": NUM,
            "games": array(GAME),
            "series": array(obj({}, {"seriesNumber": INT, "name": STR})),
        },
    ),
}
