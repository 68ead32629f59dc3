"""The stand-in: a loopback Tabcorp API that serves cassette interactions, with OAuth, faults and counters.

It lets the real HTTP server run offline (``TAB_BASE_URL=http://127.0.0.1:P tab-mcp serve --transport http``)
and gives the fault, load and benchmark tests an upstream they control. Nothing here imports pytest.

- :mod:`~pytest_tabmcp.standin.app`: the ASGI app (:class:`StandIn`): replay, OAuth, faults, counters, control API;
- :mod:`~pytest_tabmcp.standin.cassettes`: vcrpy YAML cassettes loaded into a lookup table;
- :mod:`~pytest_tabmcp.standin.faults`: the fault grammar and which requests a fault hits;
- :mod:`~pytest_tabmcp.standin.oauth`: ``POST /oauth/token`` with numbered placeholder tokens;
- :mod:`~pytest_tabmcp.standin.runner`: the one threaded-uvicorn runner (:func:`serve_in_thread`);
- :mod:`~pytest_tabmcp.standin.serve`: :func:`run_standin` (in a thread) and the ``tabmcp-standin`` command.
"""

from pytest_tabmcp.standin.app import StandIn, StandInAbort
from pytest_tabmcp.standin.faults import Fault, FaultSpecError, parse_fault, parse_faults
from pytest_tabmcp.standin.runner import ThreadServer, serve_in_thread
from pytest_tabmcp.standin.serve import StandInHandle, is_loopback, main, run_standin

__all__ = [
    "Fault",
    "FaultSpecError",
    "StandIn",
    "StandInAbort",
    "StandInHandle",
    "ThreadServer",
    "is_loopback",
    "main",
    "parse_fault",
    "parse_faults",
    "run_standin",
    "serve_in_thread",
]
