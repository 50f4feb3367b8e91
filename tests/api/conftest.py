"""The drafts-and-messages API as a unit's own system uses it: a personal token, no session, CSRF checks on."""

import json

import pytest
from django.core.cache import cache
from django.test import Client

from govmedia.orgs.api_tokens import api_token_issue


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    """The rate limit counts in the cache, per token id and minute; ids and the frozen minute recur."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    return Client(enforce_csrf_checks=True)


def token_for(user, name: str = "单位采编系统") -> str:
    return api_token_issue(user=user, name=name)[1]


@pytest.fixture
def author_token(frozen_clock, assigned_operator, edu_weibo) -> str:
    """A token of edu's operator assigned to edu_weibo (who writes edu's drafts and answers its messages)."""
    return token_for(assigned_operator)


def call(api, method: str, path: str, token: str | None, body=None, **headers):
    """An API request: `body` as JSON (bytes and str sent as they are)."""
    if token is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    send = getattr(api, method.lower())
    if body is None:  # a GET, or a POST with an empty body as curl -X POST sends it
        return send(path, **headers) if method == "GET" else send(path, data=b"", content_type="", **headers)
    data = body if isinstance(body, (bytes, str)) else json.dumps(body, ensure_ascii=False)
    return send(path, data=data, content_type=headers.pop("content_type", "application/json"), **headers)
