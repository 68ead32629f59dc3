"""The plugin's W3C trace context: what each tool call sends in ``_meta``."""

import pytest

from pytest_tabmcp.trace_context import TraceParent, new_traceparent


def test_a_new_traceparent_is_a_valid_sampled_w3c_header_and_fresh_each_time() -> None:
    first, second = new_traceparent(), new_traceparent()
    assert TraceParent.parse(first.header) == first
    assert first.header == f"00-{first.trace_id}-{first.span_id}-01"
    assert first.meta() == {"traceparent": first.header}
    assert first.trace_id != second.trace_id


@pytest.mark.parametrize(
    "header",
    ["", "01-" + "a" * 32 + "-" + "b" * 16 + "-01", "00-" + "0" * 32 + "-" + "b" * 16 + "-01", "00-xyz-abc-01"],
)
def test_parse_refuses_what_is_not_version_00_trace_context(header: str) -> None:
    with pytest.raises(ValueError, match="not a W3C traceparent"):
        TraceParent.parse(header)
