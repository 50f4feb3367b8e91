"""Untrusted HTML from feeds, web pages and the push API: one sanitizing policy, and the text it shows.

Everything a post brings is hostile until it has been through here: scripts, styles, event handlers,
`javascript:` and `data:` URLs and inline styles are dropped by nh3 (Rust; linear in the size, quadratic in
the nesting depth, which nesting.cap_nesting bounds first), links get
rel="noopener noreferrer", and relative URLs are made absolute against the post's address or dropped.
The text is the one the content checker reads (`govmedia.textcheck.readers`), so a finding's offsets
index the same text whichever source the post came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit

import nh3

from govmedia.textcheck import readers

from .nesting import cap_nesting
from .netguard import is_web_url

# A post bigger than this is not a post; the cut keeps one hostile item inside a bounded time.
MAX_HTML_CHARS = 2_000_000
# html_to_text calls back into Python per tag and text node (about 1.5 s per MB of the densest markup).
MAX_TEXT_HTML_CHARS = 1_000_000

_TAGS = nh3.ALLOWED_TAGS | {"video", "audio", "source", "section"}
_ATTRIBUTES: dict[str, set[str]] = {
    **{tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()},
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "video": {"src", "poster", "controls", "width", "height"},
    "audio": {"src", "controls"},
    "source": {"src", "type"},
}
# Dropped with their content, not just their tags: what they hold is code or chrome, never the post.
_DROP_WITH_CONTENT = {"script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math",
                      "textarea", "select", "title"}
_SCHEMES = {"http", "https", "mailto"}
_LINK_ATTRS = {("a", "href")}
_MEDIA_ATTRS = {("img", "src"), ("video", "src"), ("audio", "src"), ("source", "src")}
_URL_ATTRS = _LINK_ATTRS | _MEDIA_ATTRS | {("video", "poster"), ("blockquote", "cite"), ("q", "cite"),
                                           ("del", "cite"), ("ins", "cite")}


@dataclass(slots=True)
class Content:
    """A piece of untrusted HTML made safe, with what the checks need from it."""

    html: str
    text: str
    links: list[str] = field(default_factory=list)  # absolute http(s) hrefs, in order, without duplicates
    media: list[str] = field(default_factory=list)  # absolute http(s) URLs of images, video and audio


def _clean(html: str, base_url: str, on_url=None) -> str:
    base = base_url if is_web_url(base_url) else ""

    def attribute_filter(tag: str, attribute: str, value: str) -> str | None:
        if (tag, attribute) not in _URL_ATTRS:
            return value
        value = value.strip()
        absolute = urljoin(base, value) if base and not value.startswith(("https://", "http://")) else value
        if urlsplit(absolute).scheme not in _SCHEMES:
            return None  # relative without a base: it would resolve against govmedia itself
        if on_url is not None:
            on_url(tag, attribute, absolute)
        return absolute

    return nh3.clean(
        cap_nesting(html[:MAX_HTML_CHARS]),
        tags=_TAGS,
        clean_content_tags=_DROP_WITH_CONTENT,
        attributes=_ATTRIBUTES,
        attribute_filter=attribute_filter,
        url_schemes=_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def sanitize_html(html: str, *, base_url: str = "") -> str:
    """The HTML with only article markup left; relative URLs made absolute against `base_url`, or dropped."""
    return _clean(html, base_url)


def html_to_text(html: str) -> str:
    """What a reader sees of the HTML, one block per line; bounded (the first MAX_TEXT_HTML_CHARS only)."""
    if not html:
        return ""
    text, _ = readers.html_to_text(html[:MAX_TEXT_HTML_CHARS])
    return text


def read_content(html: str, *, base_url: str = "", own_url: str = "") -> Content:
    """Sanitize once and collect the post's outbound links (not its own address) and media URLs."""
    links: dict[str, None] = {}
    media: dict[str, None] = {}
    own = {_without_fragment(own_url)} if own_url else set()

    def on_url(tag: str, attribute: str, url: str) -> None:
        if not is_web_url(url):
            return
        if (tag, attribute) in _LINK_ATTRS:
            if _without_fragment(url) not in own:
                links.setdefault(url, None)
        elif (tag, attribute) in _MEDIA_ATTRS:
            media.setdefault(url, None)

    clean = _clean(html, base_url, on_url)
    return Content(html=clean, text=html_to_text(clean), links=list(links), media=list(media))


def _without_fragment(url: str) -> str:
    return urldefrag(url)[0].rstrip("/")
