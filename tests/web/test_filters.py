"""List filters: a bad value is ignored with a Chinese message; no filter value ever gives a 500."""

from urllib.parse import urlencode

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import ApplicationFactory, ClosureNoticeFactory, FilingFactory

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999999"

# Every list page and the GET parameters it reads (page included).
LIST_PAGES = {
    "/registry/accounts/": ["unit", "platform", "status", "overdue", "q", "page"],
    "/registry/export.xlsx": ["unit", "platform", "status", "overdue", "q"],
    "/registry/filings/": ["show", "overdue", "page"],
    "/registry/applications/": ["state", "page"],
    "/registry/notices/": ["page"],
    "/registry/consolidation/": [],
    "/check/": [],
    "/": [],
}

values = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["", "0", "-1", HUGE, "1e999", "NaN", "²", "١٢", "0x10", " 3 ", "on", "true", "all",
                     "overdue", "normal", "submitted", "\x00", "a\x00b", "%00", "' OR 1=1 --"]),
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=40),
)


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def registry(edu_weibo, street_weibo, edu_unit_admin, supervisor):
    FilingFactory(account=edu_weibo)
    FilingFactory(account=street_weibo)
    ApplicationFactory(account=edu_weibo, applicant=edu_unit_admin)
    ClosureNoticeFactory(application__account=street_weibo)


@pytest.mark.parametrize("persona", ["supervisor", "edu_unit_admin"])
def test_no_filter_value_on_any_list_page_gives_a_server_error(persona, request, registry):
    client = _client_for(request.getfixturevalue(persona))

    @settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(url=st.sampled_from(sorted(LIST_PAGES)), data=st.data(), htmx=st.booleans())
    def property(url, data, htmx):
        names = st.sampled_from([*LIST_PAGES[url], "unknown"])
        # Repeated parameters included: Django reads the last one, which must be parsed the same way.
        params = data.draw(st.lists(st.tuples(names, values), max_size=6))
        headers = {"HX-Request": "true"} if htmx else {}
        response = client.get(f"{url}?{urlencode(params)}", headers=headers)
        assert response.status_code == 200, (url, params, response.status_code)

    property()


@pytest.mark.parametrize("url", ["/registry/accounts/", "/registry/export.xlsx"])
@pytest.mark.parametrize("name", ["unit", "platform"])
def test_an_id_too_large_for_the_database_is_ignored_with_a_message(url, name, supervisor, edu_weibo):
    response = _client_for(supervisor).get(url, {name: HUGE})
    assert response.status_code == 200
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("无效，已忽略" in m and HUGE[:20] in m for m in shown), shown


def test_the_other_filters_still_apply_when_one_is_ignored(supervisor, edu_weibo, street_weibo):
    response = _client_for(supervisor).get("/registry/accounts/", {"unit": HUGE, "q": street_weibo.name})
    names = [a.name for a in response.context["page"]]
    assert names == [street_weibo.name]


def test_a_nul_byte_in_the_search_is_ignored_on_every_database(supervisor, edu_weibo):
    response = _client_for(supervisor).get("/registry/accounts/", {"q": "教\x00育"})
    assert response.status_code == 200
    assert response.context["filters"]["q"] == ""
