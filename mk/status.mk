# Status page targets (owner: monitor). Included by the Makefile, so $(STAMP), $(PY), $(BIN), MONITOR_HISTORY and
# LIVE_URL (mk/ops.mk) come from there. The page is checked in the system's headless Chromium (Debian's `chromium`;
# Google Chrome where a runner has it), never a downloaded browser build. `make test` runs browser-setup first, so
# the browser tier runs on a fresh CI machine (root, apt) like every other tier.
MONITOR_SITE ?= .monitor/site
ARTIFACTS_DIR ?= .artifacts
export TABMCP_ARTIFACTS := $(abspath $(ARTIFACTS_DIR))/browser

.PHONY: monitor-page browser-setup browser-test

monitor-page: $(STAMP) ## Render the monitor history into the status page ($(MONITOR_SITE)/index.html)
	$(PY) -m tabmcp_ops.monitor page $(MONITOR_HISTORY) $(MONITOR_SITE)/index.html --url "$${LIVE_URL}"

browser-setup: $(STAMP) ## Install Debian's chromium for the browser tier when no Chromium is found (needs root + apt-get)
	@if $(PY) -m tests.helpers.chromium >/dev/null; then \
		echo "browser-setup: using $$($(PY) -m tests.helpers.chromium)"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "browser-setup: installing Debian's chromium"; \
		apt-get update -qq; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; \
		echo "browser-setup: using $$($(PY) -m tests.helpers.chromium)"; \
	else \
		echo "browser-setup: no Chromium, and installing one needs root and apt-get: the browser tier will skip" \
			"(install Debian's chromium, or set TABMCP_CHROMIUM to a Chromium or Chrome binary)" >&2; \
	fi

browser-test: browser-setup ## The status page in headless Chromium; screenshots to .artifacts/browser/
	$(BIN)/pytest -m browser -q
