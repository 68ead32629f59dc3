"""``make mutants``: does the smoke suite notice a change, offline and live, by an assertion (not by luck).

Two kinds, each measured in both modes (offline from cassettes, live over ``tab-mcp serve`` and the stand-in,
both strict):

- ``request_side``: one-literal changes to ``tab_mcp/`` (the server asks the upstream wrongly);
- ``response_side``: drifts of the upstream data (a renamed block, an emptied list, a changed type, a blanked
  name), applied as the cassettes load (``drift_plugin`` offline, the stand-in's ``--response-transform`` live).

``runs`` runs one mode and reads its verdict from pytest's JUnit XML (killed, survived or error), ``measure`` runs
them all in parallel on scratch copies, ``cli`` prints the tables. Targets, for each kind: live kills at least 90%
of what offline kills, offline kills at least 90% of all, and no run is an error.
"""
