"""tab_mcp.access.static_tokens: TAB_AUTH_TOKENS as the SDK's token verifier."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from tab_mcp.access.static_tokens import StaticTokenVerifier

pytestmark = pytest.mark.anyio

TOKENS = [SecretStr("alpha-token-0123"), SecretStr("beta-token-4567")]


async def test_each_configured_token_is_its_own_caller() -> None:
    verifier = StaticTokenVerifier(TOKENS, scopes=["tab:read"])
    first = await verifier.verify_token("alpha-token-0123")
    second = await verifier.verify_token("beta-token-4567")
    assert first is not None and first.client_id == "token 1" and first.scopes == ["tab:read"]
    assert second is not None and second.client_id == "token 2"


@pytest.mark.parametrize("presented", ["", "alpha-token-012", "alpha-token-01234", "ALPHA-TOKEN-0123", "beta"])
async def test_anything_else_is_refused(presented: str) -> None:
    assert await StaticTokenVerifier(TOKENS).verify_token(presented) is None


async def test_no_tokens_admit_nobody() -> None:
    assert await StaticTokenVerifier([]).verify_token("alpha-token-0123") is None
