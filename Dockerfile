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
# TAB_ALLOWED_HOSTS="*": behind a hosting proxy the Host header is the proxy's public name, which the
# loopback-only DNS-rebinding check would refuse with 421. Rebinding protects servers on a user's own
# machine; set TAB_ALLOWED_HOSTS=your.host.name to turn the Host check back on for a known name.
ENV PATH="/opt/venv/bin:${PATH}" \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PORT=8000 \
    TAB_ALLOWED_HOSTS="*"
USER 10001:10001
EXPOSE 8000
# Liveness only (/healthz makes no upstream call). python's urllib, because the slim image has no curl;
# urlopen raises on any non-2xx answer, which makes the check fail.
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=4)"]
CMD ["tab-mcp", "serve", "--transport", "http", "--host", "0.0.0.0"]
