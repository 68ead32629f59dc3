"""The server's OpenTelemetry: spans for upstream calls and token grants, and its metrics.

``instruments`` owns the tracer, the meter and every span and metric name; ``middleware`` times each MCP message;
``sdk`` configures the OpenTelemetry SDK with an OTLP exporter when the ``otel`` extra is installed and the standard
``OTEL_*`` variables ask for it. Everything here goes through the OpenTelemetry *API* (a dependency of the MCP SDK),
so without the extra every call is a no-op and nothing is imported beyond what the SDK already imports.

No attribute ever carries a secret, a token, an argument value or a session id: spans name the path *template*
(``/v1/tab-info-service/racing/dates/{meeting_date}/meetings``), never the filled path.
"""
