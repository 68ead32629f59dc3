"""The hand-built cassettes: payload definitions and the builder that writes them (repository tooling, not shipped).

Run ``python -m tabmcp_ops.cassette_builders [--check]`` (``make cassettes``, ``make cassettes-check``).

- :mod:`~tabmcp_ops.cassette_builders.build`: writes ``cassettes/``, ``cassettes-alt/``, the quirk fixtures and the
  index in ``cassettes/README.md`` (or compares with ``--check``); the OAuth and error cassettes;
- :mod:`~tabmcp_ops.cassette_builders.interactions`: request URIs, ``_links`` URLs and vcrpy interactions;
- :mod:`~tabmcp_ops.cassette_builders.racing`, :mod:`~tabmcp_ops.cassette_builders.racecard`,
  :mod:`~tabmcp_ops.cassette_builders.racing_more`: the racing payloads and the racing cassette;
- :mod:`~tabmcp_ops.cassette_builders.sports`: sports, results and FootyTAB payloads;
- :mod:`~tabmcp_ops.cassette_builders.second_set`, :mod:`~tabmcp_ops.cassette_builders.second_racing`,
  :mod:`~tabmcp_ops.cassette_builders.second_sports`: the second data set, with its own payloads and shape.
"""
