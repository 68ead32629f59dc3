# Soak targets (owner: sessions). Not part of `make test`: they take minutes and drive the server hard.
# `make soak` floods a real `tab-mcp serve` on 127.0.0.1 with sessions from one client, past TAB_MAX_SESSIONS,
# and prints the figures (sessions opened, RSS before/at the cap/after, KiB per session, newcomer latency).
# SOAK_CAP and SOAK_SESSIONS size it; the defaults are the 512 MiB container's recommended cap, flooded 5x.
SOAK_CAP ?= 2000
SOAK_SESSIONS ?= 10000

.PHONY: soak

soak: $(STAMP) ## Session flood at scale (a few minutes): SOAK_SESSIONS sessions against TAB_MAX_SESSIONS=SOAK_CAP
	TABMCP_FLOOD_CAP=$(SOAK_CAP) TABMCP_FLOOD_SESSIONS=$(SOAK_SESSIONS) \
		$(BIN)/pytest tests/integration/test_session_flood.py -q -rA -p no:cacheprovider
