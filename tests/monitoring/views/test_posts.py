"""An account's posts and one post through HTTP: scoped, escaped."""

import pytest
from django.urls import reverse

from tests.monitoring.pages import FindingFactory, PostFactory, client_for

pytestmark = pytest.mark.django_db


def test_the_account_posts_list_counts_each_posts_unresolved_findings(frozen_clock, edu_unit_admin, edu_weibo):
    post = PostFactory(account=edu_weibo, title="含错别字的信息")
    FindingFactory(post=post)
    FindingFactory(post=post, state="fixed")
    response = client_for(edu_unit_admin).get(reverse("monitoring:account_posts", args=[edu_weibo.pk]))
    assert [(p.title, p.unresolved) for p in response.context["page"]] == [("含错别字的信息", 1)]


def test_another_units_account_posts_and_post_are_not_found(frozen_clock, street_unit_admin, edu_weibo):
    post = PostFactory(account=edu_weibo)
    client = client_for(street_unit_admin)
    assert client.get(reverse("monitoring:account_posts", args=[edu_weibo.pk])).status_code == 404
    assert client.get(reverse("monitoring:post", args=[post.pk])).status_code == 404


def test_a_post_is_shown_escaped_with_its_links_and_metrics(frozen_clock, edu_unit_admin, edu_weibo):
    post = PostFactory(account=edu_weibo, title="<script>x</script>", links=["javascript:alert(1)"], reads=1200)
    page = client_for(edu_unit_admin).get(reverse("monitoring:post", args=[post.pk])).content.decode()
    assert "<script>x" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
    assert '<div class="break">javascript:alert(1)</div>' in page  # shown as text, never as a link
    assert "1200 / —" in page


def test_a_post_link_that_is_not_a_web_address_is_not_made_a_link(frozen_clock, edu_unit_admin, edu_weibo):
    post = PostFactory(account=edu_weibo, url="javascript:alert(document.cookie)")
    page = client_for(edu_unit_admin).get(reverse("monitoring:post", args=[post.pk])).content.decode()
    assert 'href="javascript:' not in page and "javascript:alert(document.cookie)" in page
