"""The deployment monitor: probe, smoke run, alerts, history, report and the tracking issue.

``python -m tabmcp_ops.monitor check|issue`` runs :mod:`tabmcp_ops.monitor.cli`. The modules below it each own one
part: ``alert`` (what a check found), ``drift`` and ``skips`` (their alerts), ``history`` (the JSON-lines history
and its SLO windows), ``report`` (the Markdown health report), ``sessions`` (the server's session gauge) and
``target`` (which URL a run may send its secret headers to).
"""
