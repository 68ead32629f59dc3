"""``python -m tab_mcp`` runs the CLI."""

from tab_mcp.cli import main

raise SystemExit(main())
