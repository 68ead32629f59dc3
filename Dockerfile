# syntax=docker/dockerfile:1
# tab-mcp as a container: what Smithery builds (smithery.yaml, runtime "container") and what any other host
# can run. Two stages: the build stage installs the package into a venv; the final stage copies only that
# venv and runs it as an unprivileged user. Dependabot (.github/dependabot.yml) keeps the base image current.

FROM python:3.12-slim AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
WORKDIR /src
# Only what the wheel is built from (.dockerignore is an allow-list too): no ops tooling, tests, cassettes or .env.
COPY pyproject.toml README.md ./
COPY tab_mcp/ tab_mcp/
COPY pytest_tabmcp/ pytest_tabmcp/
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install --no-cache-dir .

FROM python:3.12-slim
RUN groupadd --system --gid 10001 tabmcp \
    && useradd --system --uid 10001 --gid tabmcp --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin tabmcp
COPY --from=build /opt/venv /opt/venv
# PORT: Smithery (and most container hosts) set it; `tab-mcp serve` honours it (default 8000).
# No TAB_ALLOWED_HOSTS here: the Host check (DNS-rebinding protection) stays on, so a web page cannot drive
# a container someone runs on their own machine. Behind a proxy, set TAB_ALLOWED_HOSTS to the public name
# (DEPLOYMENT.md, "Who may call: what to set where"). The server refuses to listen publicly with account
# credentials or betting and no inbound authentication (TAB_AUTH_TOKENS or TAB_AUTH_ISSUER).
ENV PATH="/opt/venv/bin:${PATH}" \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PORT=8000
USER 10001:10001
EXPOSE 8000
# Liveness only (/healthz answers "ok" and makes no upstream call; the check comes from 127.0.0.1, an
# allowed Host). python's urllib, because the slim image has no curl;
# urlopen raises on any non-2xx answer, which makes the check fail.
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=4)"]
CMD ["tab-mcp", "serve", "--transport", "http", "--host", "0.0.0.0"]
