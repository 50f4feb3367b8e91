"""What was planted in a world, as JSON (served at /_manifest): the answer key for tests, demo and benchmark."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from . import content
from .platforms import feed_url
from .render import Urls
from .world import LINK_KINDS, SOURCE_FAILURES, World


def manifest(world: World, urls: Urls, now: datetime | None = None) -> dict:
    now = now or world.now()
    tasks = world.tasks(now)
    accounts, planted, links, posts_total = {}, Counter(), Counter(), 0
    for key, account in world.accounts.items():
        posts = world.posts(key, now)
        posts_total += len(posts)
        planted_posts = {}
        for post in posts:
            links.update(link.split("/")[2] if link.startswith("/link/") else "other" for link in post.links)
            if post.plants:
                planted_posts[post.id] = [{**p, "url": urls.link(p["url"])} if "url" in p else p for p in post.plants]
                planted.update(p["kind"] for p in post.plants)
        reposts = {t.id: next((p.id for p in posts if p.task == t.id), None) for t in tasks}
        accounts[key] = {
            "platform": account.platform,
            "name": account.name,
            "url": feed_url(urls.base, account.platform, key),
            "kind": account.route.kind,
            "activity": account.activity,
            "last_post": posts[0].published.isoformat() if posts else None,
            "source": account.source,
            "plants": sorted(account.plants),
            "skips_reposts": account.skips_reposts,
            "reposts": reposts,
            "posts": len(posts),
            "planted_posts": planted_posts,
            "published": [p.id for p in world.published.get(key, [])],
        }
    return {
        "seed": world.seed,
        "days": world.days,
        "now": now.isoformat(),
        "anchor": world.anchor.isoformat(),
        "approved_sources": list(content.APPROVED_SOURCES),
        "unapproved_sources": list(content.UNAPPROVED_SOURCES),
        "source_failures": SOURCE_FAILURES,
        "link_kinds": {kind: {"status": status, "verdict": verdict} for kind, (status, verdict) in LINK_KINDS.items()},
        "repost_tasks": [{"id": t.id, "title": t.title, "url": urls.abs(t.path), "issued": t.issued.isoformat(),
                          "deadline": t.deadline.isoformat()} for t in tasks],
        "totals": {"accounts": len(accounts), "posts": posts_total, "links": sum(links.values()),
                   "links_by_kind": dict(sorted(links.items())), "planted": dict(sorted(planted.items()))},
        "accounts": accounts,
    }
