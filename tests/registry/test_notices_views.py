"""The public notice feeds: what a feed reader shows is the text we wrote, never markup."""

import html
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import AccountFactory, ClosureNoticeFactory

pytestmark = pytest.mark.django_db

HOSTILE_NAME = "教体<script>alert(1)</script><img src=x onerror=alert(2)>"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def hostile_notice(edu):
    account = AccountFactory(host_unit=edu, name=HOSTILE_NAME)
    return ClosureNoticeFactory(application__account=account, body=f"“{HOSTILE_NAME}”将于公告期满后关停。")


def _what_a_reader_renders(summary: str) -> str:
    """A reader XML-decodes the element (done by the parser) and renders it as HTML: keep what is text."""
    assert "<" not in summary, f"the decoded summary holds markup: {summary!r}"
    return html.unescape(summary)


def test_the_atom_summary_holds_no_markup_after_decoding(hostile_notice):
    feed = ET.fromstring(Client().get(reverse("notice_feed_atom")).content)
    summary = feed.find(f"{ATOM}entry/{ATOM}summary")
    assert HOSTILE_NAME in _what_a_reader_renders(summary.text)


def test_the_rss_description_holds_no_markup_after_decoding(hostile_notice):
    feed = ET.fromstring(Client().get(reverse("notice_feed_rss")).content)
    description = feed.find("channel/item/description")
    assert HOSTILE_NAME in _what_a_reader_renders(description.text)
