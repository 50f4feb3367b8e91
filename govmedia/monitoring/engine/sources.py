"""One way to read any polled source: a feed or a website, by its kind.

A connector reports what went wrong as a broken reading. Should one raise all the same (a parser
meeting input nobody foresaw), the reading is broken with a parse error naming the exception, so that
one source can never stop a run that reads hundreds.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from govmedia.monitoring.engine import feeds, web
from govmedia.monitoring.engine.fetch import Fetcher
from govmedia.monitoring.engine.types import BROKEN, SourceReading

FEED, WEB = "feed", "web"
KINDS = (FEED, WEB)


def read_source(kind: str, url: str, *, etag: str = "", last_modified: str = "", allow_private: bool = False,
                fetcher: Fetcher | None = None, skip: Collection[str] = (),
                now: datetime | None = None) -> SourceReading:
    """Read a source once. `etag` and `last_modified` come from its previous reading (conditional GET);
    `fetcher` is a connection pool shared by many readings; a website's articles at the URLs in `skip`
    (already stored) are not fetched again, and `now` bounds the dates its extractor accepts."""
    if kind not in KINDS:
        return SourceReading(status=BROKEN, reason="parse_error", detail=f"不支持定时读取的数据源类型：{kind}")
    try:
        if kind == FEED:
            return feeds.read_feed(url, etag=etag, last_modified=last_modified, allow_private=allow_private,
                                   fetcher=fetcher)
        return web.read_site(url, etag=etag, last_modified=last_modified, allow_private=allow_private,
                             fetcher=fetcher, skip=skip, now=now)
    except Exception as error:  # a connector's bug must not stop the run; the reading says what happened
        return SourceReading(status=BROKEN, reason="parse_error",
                             detail=f"读取出错（{type(error).__name__}）：{error}"[:500])
