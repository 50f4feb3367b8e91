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
