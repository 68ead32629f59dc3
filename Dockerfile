# syntax=docker/dockerfile:1
# tab-mcp as a container: what Smithery builds (smithery.yaml, runtime "container") and what any other host
# can run. Two stages: the build stage installs the server into a venv; the final stage copies only that
# venv and runs it as an unprivileged user.
# Supply chain: the base image is pinned by digest (the multi-arch index of python:3.12-slim; Dependabot,
# .github/dependabot.yml, proposes the new digest when the tag moves), every package comes from a hash-locked
# file (`make lock` writes requirements/*.txt; pip refuses a file whose hash is not listed) and only wheels are
# installed, so no sdist build fetches unlocked build tools.

FROM python:3.12-slim@sha256:78387bc3881b8273120a12ebe6c1ab22b018ccc2c9adf565ae1ac9b536e184ea AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
WORKDIR /src
# Only what the image is built from (.dockerignore is an allow-list too): no plugin, ops tooling, tests,
# cassettes or .env.
COPY requirements/ requirements/
# The server's runtime dependencies, exactly as locked, into the venv the final stage copies.
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install --no-cache-dir --require-hashes --only-binary :all: -r requirements/server.txt
# The wheel's build backend, locked too, in a venv of its own that the final stage never sees.
RUN python -m venv /opt/build \
    && /opt/build/bin/pip install --no-cache-dir --require-hashes --only-binary :all: -r requirements/build.txt
COPY pyproject.toml README.md ./
COPY tab_mcp/ tab_mcp/
# The project itself with --no-deps (all it needs is locked above). pytest_tabmcp is not in the build context, so
# the wheel holds tab_mcp alone; the console scripts [project.scripts] declares for the plugin's stand-in would
# point into the missing package and are removed. pip check: the locked set satisfies tab-mcp's requirements.
RUN /opt/build/bin/pip wheel --no-cache-dir --no-deps --no-build-isolation --wheel-dir /wheels . \
    && /opt/venv/bin/pip install --no-cache-dir --no-deps /wheels/tab_mcp-*.whl \
    && rm /opt/venv/bin/tabmcp-standin /opt/venv/bin/tabmcp-upstream \
    && /opt/venv/bin/pip check \
    && /opt/venv/bin/python -c "import tab_mcp.server"

FROM python:3.12-slim@sha256:78387bc3881b8273120a12ebe6c1ab22b018ccc2c9adf565ae1ac9b536e184ea
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
