"""The push API's request body, checked item by item into FetchedPosts (no Django here). The HTML stays
as sent: `ingest_posts` sanitizes it, with the one policy every source goes through.

The body is one post object or {"posts": [...]}. Every problem is collected as an ItemError naming the
item's index, the field and the value, in Chinese; the caller stores nothing unless there are none.
The fields and their limits are the OpenAPI schema's (`api.schema`), which a test holds to these.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from govmedia.monitoring.engine.netguard import is_web_url
from govmedia.monitoring.engine.posts import MAX_ID_CHARS, MAX_LINK_CHARS, MAX_LINKS, MAX_TITLE_CHARS
from govmedia.monitoring.engine.types import ORIGINAL, REPOST, FetchedPost

MAX_BATCH = 500
MAX_BODY_BYTES = 5 * 1024 * 1024
MAX_URL_CHARS = 1000
MAX_REPOST_SOURCE_CHARS = 200
MAX_TEXT_CHARS = 200_000
MAX_HTML_CHARS = 1_000_000
MAX_COUNT = 10**15  # far above any platform's counter, far below the database column's limit

FIELDS = ("id", "url", "title", "published", "text", "html", "kind", "repost_source", "links", "media_count",
          "reads", "likes", "comments", "shares", "deleted")
METRICS = ("reads", "likes", "comments", "shares")
KINDS = (ORIGINAL, REPOST)


@dataclass(frozen=True)
class ItemError:
    index: int | None  # the post's place in the batch (0 for a single post); None for the body as a whole
    field: str
    value: str
    message: str

    def as_dict(self) -> dict:
        return {"index": self.index, "field": self.field, "value": self.value, "message": self.message}


@dataclass
class Batch:
    posts: list[FetchedPost] = field(default_factory=list)
    deleted_ids: set[str] = field(default_factory=set)  # ids reported as deleted on the platform
    errors: list[ItemError] = field(default_factory=list)


def shown(value) -> str:
    """A value as an error repeats it: short, whatever it was."""
    text = value if isinstance(value, str) else _json_repr(value)
    return text if len(text) <= 100 else text[:100] + "…"


def _json_repr(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return "{…}" if isinstance(value, dict) else "[…]"
    return str(value)


def parse_batch(body) -> Batch:
    """Check a decoded JSON body; the posts are built only when no item has a problem."""
    batch = Batch()
    if isinstance(body, dict) and "posts" in body:
        extra = sorted(set(body) - {"posts"})
        if extra:
            batch.errors.append(ItemError(None, extra[0], "", f"与 posts 并列的字段“{extra[0]}”不认识；"
                                          "批量推送的请求体只含 posts 一个字段"))
        items = body["posts"]
        if not isinstance(items, list):
            batch.errors.append(ItemError(None, "posts", shown(items), "posts 应为信息对象的数组"))
            return batch
        if not items:
            batch.errors.append(ItemError(None, "posts", "[]", "posts 为空，没有要推送的信息"))
        if len(items) > MAX_BATCH:
            batch.errors.append(ItemError(None, "posts", f"{len(items)} 条",
                                          f"一次最多推送 {MAX_BATCH} 条信息，请分批推送"))
            return batch
    elif isinstance(body, dict):
        items = [body]
    else:
        batch.errors.append(ItemError(None, "", shown(body), "请求体应为一个信息对象，或 {\"posts\": [...]}"))
        return batch
    first_index: dict[str, int] = {}
    for index, item in enumerate(items):
        post, deleted = _item(index, item, batch.errors)
        if post is None:
            continue
        if post.post_id in first_index:
            batch.errors.append(ItemError(index, "id", post.post_id,
                                          f"与第 {first_index[post.post_id]} 条（从 0 起计）的 id 重复"))
            continue
        first_index[post.post_id] = index
        batch.posts.append(post)
        if deleted:
            batch.deleted_ids.add(post.post_id)
    if batch.errors:
        batch.posts, batch.deleted_ids = [], set()
    return batch


def _item(index: int, item, errors: list[ItemError]) -> tuple[FetchedPost | None, bool]:
    if not isinstance(item, dict):
        errors.append(ItemError(index, "", shown(item), "每条信息应为 JSON 对象"))
        return None, False
    before = len(errors)

    def error(name: str, value, message: str) -> None:
        errors.append(ItemError(index, name, shown(value), message))

    for name in item:
        if name not in FIELDS:
            if name in ("account", "account_id"):
                error(name, item[name], "推送的账号由令牌决定，请求中不能指定账号")
            else:
                error(name, item[name], f"未知字段“{shown(name)}”")
    post_id = item.get("id")
    if isinstance(post_id, int) and not isinstance(post_id, bool):
        post_id = str(post_id)
    # NUL is dropped on the way in (ingest), so an id of NULs alone is no id.
    if not isinstance(post_id, str) or not post_id.replace("\x00", "").strip():
        error("id", post_id, "缺少信息ID（平台上的信息编号，必填，字符串）")
        post_id = None
    elif len(post_id.strip()) > MAX_ID_CHARS:
        error("id", post_id, f"信息ID不能超过 {MAX_ID_CHARS} 个字符")
    values = {
        "url": _url(item.get("url"), error, "url", MAX_URL_CHARS),
        "title": _string(item, "title", MAX_TITLE_CHARS, error),
        "published": _published(item.get("published"), error),
        "text": _string(item, "text", MAX_TEXT_CHARS, error),
        "html": _string(item, "html", MAX_HTML_CHARS, error),
        "repost_source": _string(item, "repost_source", MAX_REPOST_SOURCE_CHARS, error),
        "links": _links(item.get("links"), error),
        "media_count": _count(item.get("media_count"), "media_count", error) or 0,
        **{name: _count(item.get(name), name, error) for name in METRICS},
    }
    kind = item.get("kind", ORIGINAL)
    if kind is None:
        kind = ORIGINAL
    if kind not in KINDS:
        error("kind", kind, "类型只能是 original（原创）或 repost（转载）")
    deleted = item.get("deleted", False)
    if deleted is None:
        deleted = False
    if not isinstance(deleted, bool):
        error("deleted", deleted, "deleted 应为 true 或 false")
    if len(errors) > before:
        return None, False
    if not values["html"] and not values["links"]:
        # Ingest reads the links of HTML (sanitizing it); plain text only says them in words.
        values["links"] = links_in_text(values["text"])
    return FetchedPost(post_id=post_id.strip(), kind=kind, **values), deleted


def _string(item: dict, name: str, limit: int, error) -> str:
    value = item.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        error(name, value, f"{name} 应为字符串")
        return ""
    value = value.strip()
    if len(value) > limit:
        error(name, value, f"{name} 不能超过 {limit:,} 个字符（现为 {len(value):,} 个）")
    return value


def _url(value, error, name: str, limit: int) -> str:
    if value is None or value == "":
        return ""
    if not isinstance(value, str):
        error(name, value, "链接应为字符串")
        return ""
    value = value.strip()
    if len(value) > limit:
        error(name, value, f"链接不能超过 {limit} 个字符")
    elif not is_web_url(value):
        error(name, value, "链接应以 http:// 或 https:// 开头，并含有主机名")
    return value


# An address in plain text ends at whitespace, a quote or bracket, or Chinese punctuation.
_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"'，。；、！？）】》「」“”]+")


def links_in_text(text: str) -> list[str]:
    """The http(s) addresses written in plain text, in order, without duplicates or trailing punctuation."""
    found: dict[str, None] = {}
    for match in _URL_IN_TEXT.finditer(text[:MAX_TEXT_CHARS]):
        url = match.group().rstrip(".,;:!?)]}")
        if len(url) <= MAX_LINK_CHARS and is_web_url(url):
            found.setdefault(url, None)
        if len(found) >= MAX_LINKS:
            break
    return list(found)


def _published(value, error) -> datetime | None:
    if value is None or value == "":
        return None  # unknown, and recorded as unknown: never 'now'
    if not isinstance(value, str):
        error("published", value, "发布时间应为 ISO 8601 字符串（如 2026-03-02T09:30:00+08:00）或 null")
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        error("published", value, "发布时间不是有效的 ISO 8601 时间（如 2026-03-02T09:30:00+08:00）")
        return None
    if moment.tzinfo is None:
        error("published", value, "发布时间须带时区（如 +08:00 或 Z），否则无法确定是哪一刻")
        return None
    try:
        moment.astimezone(UTC)  # stored in UTC: 9999-12-31T23:59-14:00 is past year 9999 there
    except OverflowError:
        error("published", value, "发布时间超出可记录的范围（公元 1 年至 9999 年）")
        return None
    return moment


def _links(value, error) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        error("links", value, "links 应为链接字符串的数组")
        return []
    if len(value) > MAX_LINKS:
        error("links", f"{len(value)} 个", f"每条信息最多 {MAX_LINKS} 个链接")
        return []
    links: list[str] = []
    for position, link in enumerate(value):
        checked = _url(link, lambda _n, v, m, p=position: error(f"links[{p}]", v, m), "links", MAX_LINK_CHARS)
        if checked and checked not in links:
            links.append(checked)
    return links


def _count(value, name: str, error) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            error(name, value, f"{name} 应为非负整数")
            return None
    if value < 0:
        error(name, value, f"{name} 不能为负数")
        return None
    if value > MAX_COUNT:
        error(name, value, f"{name} 超出合理范围")
        return None
    return value
