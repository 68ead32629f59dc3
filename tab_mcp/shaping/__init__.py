"""Agent-sized answers: each tool's default answer built from named TAB fields, within a character budget.

One module per domain (``racing``, ``racecard``, ``sports``, ``generic`` for undocumented bodies) over the
shared parts: ``fields`` (named fields and drift), ``budget`` (compact JSON and fitting lists) and ``answer``
(the envelope, its outputSchema and the tool result). The tools call these; nothing here calls upstream.
"""
