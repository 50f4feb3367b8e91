import json

import pytest
from django.core.cache import cache
from django.test import Client

from govmedia.monitoring.services.tokens import token_issue

PUSH_URL = "/monitoring/api/v1/posts"


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    """The rate limit counts in the cache, per token id and minute; ids and the frozen minute recur."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def edu_token(edu_weibo, edu_unit_admin, frozen_clock) -> str:
    """A live push token of edu_weibo (the raw string)."""
    return token_issue(account=edu_weibo, name="融媒体中心发布系统", by=edu_unit_admin, now=frozen_clock.current)[1]


@pytest.fixture
def api():
    """A client as an operator's system is: no session, CSRF checks on (the push API must not need them)."""
    return Client(enforce_csrf_checks=True)


def push(api, token: str | None, body, **headers):
    if token is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    data = body if isinstance(body, (bytes, str)) else json.dumps(body, ensure_ascii=False)
    return api.post(PUSH_URL, data=data, content_type=headers.pop("content_type", "application/json"), **headers)
