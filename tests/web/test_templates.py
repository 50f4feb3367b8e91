"""Templates carry no inline script or style: the Content-Security-Policy would block them."""

import re
from pathlib import Path

import pytest
from django.test import Client

import govmedia

TEMPLATES = sorted(Path(govmedia.__file__).parent.glob("**/templates/**/*.html"))
INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\sstyle=|\son[a-z]+=|\shx-on|javascript:", re.IGNORECASE)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(Path(govmedia.__file__).parent)))
def test_a_template_has_no_inline_script_or_style(template):
    assert INLINE.findall(template.read_text(encoding="utf-8")) == []


def test_every_page_is_served_with_a_strict_content_security_policy(db):
    policy = Client().get("/login/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_the_403_page_gives_the_refusals_own_chinese_reason(assigned_operator):
    client = Client()
    client.force_login(assigned_operator)
    refused = client.get("/publishing/ledger/")
    assert refused.status_code == 403 and '<p id="refusal-reason">无权查看审核发布台账</p>' in refused.content.decode()


def test_the_403_page_never_shows_an_english_framework_message():
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    page = render_to_string("403.html", {"exception": "Forbidden (Referer checking failed)"},
                            request=RequestFactory().get("/"))
    assert "Referer" not in page and "您的角色无权执行该操作" in page


def test_every_page_has_an_icon_and_favicon_ico_is_not_a_404(db):
    assert '<link rel="icon" href="/static/govmedia/favicon.svg"' in Client().get("/login/").content.decode()
    answer = Client().get("/favicon.ico")
    assert answer.status_code == 301 and answer["Location"] == "/static/govmedia/favicon.svg"
