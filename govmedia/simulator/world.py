"""The simulated world: accounts, their posts day by day, the district's repost tasks, what was planted.

Posts are a pure function of (seed, account key, calendar day): each day's posts come from a random
generator seeded with those three, so the same seed gives the same posts, and a server left running keeps
producing the day's posts as the clock reaches them. Only what is relative to the world's `anchor` (its
fixed `now`, or the moment it was built) moves with it: silent and zombie accounts stopped posting a fixed
number of days before the anchor.
"""

from __future__ import annotations

import random
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache

from . import content
from .platforms import BY_CODE, CAPTION, FULL, WEB, PlatformRoute, check_key, platform

CN = timezone(timedelta(hours=8), "CST")  # days and post times are Beijing days and times

ACTIVE, SILENT, ZOMBIE = "active", "silent", "zombie"
ACTIVITY_GAP_DAYS = {SILENT: 20, ZOMBIE: 120}  # last post this many days before the anchor
MIN_FEED_ITEMS = 5  # like a platform page, a feed shows the latest posts even when they are old
FORCED_POST_EVERY = 4  # an active account posts at least once every this many days: no accidental silence
TASK_CADENCE_DAYS = 21  # so that any 30-day window holds one or two tasks, at least one past its deadline
TASK_DEADLINE = timedelta(days=3)

# Link endpoints (/link/<kind>/<n>): what each answers and the verdict a link checker should reach.
LINK_KINDS: dict[str, tuple[int | None, str]] = {
    "ok": (200, "ok"),
    "redirect": (302, "redirect"),  # to /link/ok/<n>
    "nohead": (200, "ok"),  # 405 to HEAD, 200 to GET: exercises the GET fallback
    "missing": (404, "client_error"),
    "gone": (410, "client_error"),
    "error": (500, "server_error"),
    "slow": (None, "timeout"),  # answers 200 only after the server's slow_seconds
}
BROKEN_LINK_KINDS = ("missing", "gone", "error", "slow")
# The demo keeps broken links to the accounts planted with them; the benchmark spreads them everywhere.
HEALTHY_LINKS = (("ok", 90), ("redirect", 6), ("nohead", 4))
BENCH_LINKS = (("ok", 884), ("redirect", 40), ("nohead", 30), ("missing", 25), ("gone", 10), ("error", 10),
               ("slow", 1))

# How a source breaks (Account.source), named by the reason code govmedia should report
# (govmedia.monitoring.engine.types.BROKEN_REASONS). The server implements each; see server.py.
SOURCE_FAILURES: dict[str, str] = {
    "cookies_expired": "HTTP 432，RSSHub 提示 Cookie 已过期（微博）",
    "rate_limited": "HTTP 418，请求过快被限流（微博）",
    "captcha": "HTTP 200，返回滑块验证码页（抖音 WAF）",
    "login_page": "HTTP 302 跳转到登录页（公众号桥接登录失效）",
    "empty": "HTTP 200，响应体为空",
    "parse_error": "HTTP 200，响应体是乱码，不是订阅源",
    "too_large": "HTTP 200，超大响应体（默认 32 MiB，分块传输，不带 Content-Length）",
    "http_server_error": "HTTP 500，RSSHub 路由出错",
    "http_client_error": "HTTP 404，账号不存在或路由失效",
    "timeout": "响应前等待 slow_seconds（默认 30 秒）",
}
SOURCE_PLATFORMS: dict[str, tuple[str, ...]] = {  # where each failure happens in practice
    "cookies_expired": ("weibo",), "rate_limited": ("weibo",), "captcha": ("douyin",), "empty": ("douyin",),
    "login_page": ("wechat-subscription", "wechat-service"), "parse_error": ("toutiao",),
    "too_large": ("bilibili", "weibo"), "http_server_error": ("bilibili", "kuaishou"),
    "http_client_error": ("xiaohongshu", "zhihu", "toutiao"), "timeout": ("zhihu", "douyin"),
}
CONTENT_PLANT_KINDS = tuple(content.CONTENT_PLANTS)
POST_PLANT_KINDS = (*CONTENT_PLANT_KINDS, "broken_link", "repost_without_source", "repost_unapproved_source")


@dataclass(slots=True)
class Account:
    key: str
    platform: str  # a platform code (platforms.PLATFORMS)
    name: str = ""
    activity: str = ACTIVE
    source: str = "ok"  # "ok" or a SOURCE_FAILURES key
    plants: frozenset[str] = frozenset()  # POST_PLANT_KINDS planted in some of its posts
    skips_reposts: bool = False  # never reposts the district's repost tasks
    posts_per_day: float | None = None  # None: the platform's usual rate
    link_mix: tuple[tuple[str, int], ...] = HEALTHY_LINKS

    def __post_init__(self):
        check_key(self.key)
        self.platform = platform(self.platform).code
        if self.activity not in (ACTIVE, SILENT, ZOMBIE):
            raise ValueError(f"账号 {self.key} 的活跃状态“{self.activity}”无效，可用 active、silent、zombie")
        if self.source != "ok" and self.source not in SOURCE_FAILURES:
            raise ValueError(f"账号 {self.key} 的来源故障“{self.source}”无效，可用 {'、'.join(SOURCE_FAILURES)}")
        unknown = set(self.plants) - set(POST_PLANT_KINDS)
        if unknown:
            raise ValueError(f"账号 {self.key} 的预埋问题 {sorted(unknown)} 无效，可用 {'、'.join(POST_PLANT_KINDS)}")
        self.plants = frozenset(self.plants)
        self.name = self.name or "西海岸发布"

    @property
    def route(self) -> PlatformRoute:
        return BY_CODE[self.platform]


@dataclass(slots=True)
class Post:
    id: str
    account: str
    published: datetime
    title: str
    paragraphs: list[str]
    links: list[str] = field(default_factory=list)  # simulator paths (/link/ok/…) or absolute URLs
    kind: str = "original"  # or "repost"
    repost_source: str = ""  # the source a repost names; "" when it names none
    images: int = 0
    stats: dict[str, int] = field(default_factory=dict)
    plants: list[dict] = field(default_factory=list)
    hide_time: bool = False  # kuaishou-like items without a publish time
    hide_link: bool = False  # kuaishou-like items without a link
    task: str = ""  # the repost task this post fulfils

    @property
    def body(self) -> list[str]:
        """The paragraphs as published. A repost opens with 【转载】 and, when it names one, its source."""
        if self.kind != "repost":
            return self.paragraphs
        return [f"【转载】来源：{self.repost_source}" if self.repost_source else "【转载】", *self.paragraphs]

    @property
    def text(self) -> str:
        return "\n".join(self.body)


@dataclass(frozen=True, slots=True)
class RepostTask:
    id: str
    title: str
    issued: datetime
    deadline: datetime

    @property
    def path(self) -> str:
        return f"/notice/{self.id}"


_POST_ID = re.compile(r"^(?P<key>.+)-(?P<day>\d{8})-(?P<index>\d{1,3})$")


class World:
    def __init__(self, accounts: Iterable[Account], *, seed: int = 0, days: int = 30, now: datetime | None = None):
        self.seed, self.days, self.fixed_now = seed, days, now
        if now is not None and now.tzinfo is None:
            raise ValueError("now 必须带时区")
        self.anchor = now or datetime.now(CN)
        self.accounts: dict[str, Account] = {}
        for account in accounts:
            if account.key in self.accounts:
                raise ValueError(f"账号标识 {account.key} 重复：模拟器按标识区分账号")
            self.accounts[account.key] = account
        self.published: dict[str, list[Post]] = {}
        self._day = lru_cache(maxsize=100_000)(self._generate_day)

    def now(self) -> datetime:
        return self.fixed_now or datetime.now(CN)

    # -- reading ---------------------------------------------------------------------------------

    def posts(self, key: str, now: datetime | None = None) -> list[Post]:
        """The account's feed at `now`, newest first: the last `days` days, or at least its latest few."""
        now = now or self.now()
        today = now.astimezone(CN).date().toordinal()
        start = now - timedelta(days=self.days)
        found = [p for back in range(self.days + 1) for p in self._day(key, today - back) if start < p.published <= now]
        # Like a platform's page, the feed of an account that stopped posting still shows its last posts.
        back = self.days
        while len(found) < MIN_FEED_ITEMS and back < 400:
            older = sorted((p for p in self._day(key, today - back) if p.published <= start),
                           key=lambda p: p.published, reverse=True)
            found.extend(older[:MIN_FEED_ITEMS - len(found)])
            back += 1
        return sorted([*self.published.get(key, []), *found], key=lambda p: p.published, reverse=True)

    def post(self, post_id: str) -> Post | None:
        for posts in self.published.values():
            for post in posts:
                if post.id == post_id:
                    return post
        match = _POST_ID.match(post_id)
        if not match or match["key"] not in self.accounts:
            return None
        day = datetime.strptime(match["day"], "%Y%m%d").date()
        for post in self._day(match["key"], day.toordinal()):
            if post.id == post_id and post.published <= self.now():
                return post
        return None

    def tasks(self, now: datetime | None = None) -> list[RepostTask]:
        """The district's repost tasks issued in the last `days` days, oldest first."""
        now = now or self.now()
        today = now.astimezone(CN).date()
        found = []
        for back in range(self.days, -1, -1):
            task = self._task_on(today - timedelta(days=back))
            if task and task.issued <= now:
                found.append(task)
        return found

    def task(self, task_id: str) -> RepostTask | None:
        match = re.fullmatch(r"task-(\d{8})", task_id)
        if not match:
            return None
        return self._task_on(datetime.strptime(match[1], "%Y%m%d").date())

    def _task_on(self, day: date) -> RepostTask | None:
        if (day.toordinal() + self.seed) % TASK_CADENCE_DAYS:
            return None
        issued = datetime(day.year, day.month, day.day, 9, 0, tzinfo=CN)
        title = content.TASK_TITLES[day.toordinal() // TASK_CADENCE_DAYS % len(content.TASK_TITLES)]
        return RepostTask(f"task-{day:%Y%m%d}", title, issued, issued + TASK_DEADLINE)

    # -- publishing ------------------------------------------------------------------------------

    def publish(self, key: str, *, title: str, text: str, links: Iterable[str] = (), kind: str = "original",
                repost_source: str = "", now: datetime | None = None) -> Post:
        if key not in self.accounts:
            raise KeyError(key)
        if kind not in ("original", "repost"):
            raise ValueError(f"kind 只能是 original 或 repost，收到“{kind}”")
        own = self.published.setdefault(key, [])
        post = Post(f"{key}-p{len(own) + 1}", key, now or self.now(), title,
                    [line for line in text.splitlines() if line.strip()] or [""], list(links), kind,
                    repost_source if kind == "repost" else "", stats={"reposts": 0, "comments": 0, "likes": 0})
        own.append(post)
        return post

    # -- generation ------------------------------------------------------------------------------

    def _generate_day(self, key: str, ordinal: int) -> list[Post]:
        account = self.accounts[key]
        day = date.fromordinal(ordinal)
        gap = ACTIVITY_GAP_DAYS.get(account.activity)
        if gap is not None and day > self.anchor.astimezone(CN).date() - timedelta(days=gap):
            return []
        rng = random.Random(f"{self.seed}|{key}|{day.isoformat()}")
        rate = account.posts_per_day if account.posts_per_day is not None else account.route.posts_per_day
        count = int(rate) + (rng.random() < rate - int(rate))
        forced = count == 0 and (ordinal + zlib.crc32(key.encode())) % FORCED_POST_EVERY == 0
        minutes = sorted(rng.sample(range(8 * 60, 21 * 60), k=max(count, forced)))
        posts = [self._make_post(account, day, i, minute, rng, original=forced)
                 for i, minute in enumerate(minutes)]
        for task in filter(None, (self._task_on(day - timedelta(days=back)) for back in range(3))):
            repost = self._task_repost(account, task, day, len(posts))
            if repost:
                posts.append(repost)
        return posts

    def _make_post(self, account: Account, day: date, index: int, minute: int, rng: random.Random, *,
                   original: bool) -> Post:
        route = account.route
        published = datetime(day.year, day.month, day.day, minute // 60, minute % 60, rng.randrange(60), tzinfo=CN)
        post_id = f"{account.key}-{day:%Y%m%d}-{index}"
        if route.text != CAPTION:
            title, paragraphs = content.ordinary(rng, account.name, day.month, day.day)
        else:
            title = rng.choice(content.CAPTIONS).format(area=rng.choice(content.AREAS), month=day.month, day=day.day)
            paragraphs = [title + "。"]
        post = Post(post_id, account.key, published, title, paragraphs, images=rng.randrange(4) if route.text != CAPTION else 1,
                    stats=self._stats(rng, route))
        if route.text != CAPTION:
            post.links = [self._link(rng, account.link_mix, f"{post_id}-{j}") for j in range(rng.choice((2, 3, 3, 4, 4, 5)))]
        if route.sometimes_no_link and rng.random() < 0.4:
            post.hide_link = True
            post.hide_time = rng.random() < 0.7
        reposts = {"repost_without_source", "repost_unapproved_source"} & account.plants
        if not original and rng.random() < (0.35 if reposts else 0.12):
            self._make_repost(post, rng, reposts)
        for kind in CONTENT_PLANT_KINDS:
            if kind in account.plants and rng.random() < 0.35:
                plant = rng.choice(content.CONTENT_PLANTS[kind])
                # Where a feed shows only the start of a post (abstract, caption), the plant goes there.
                at = rng.randrange(len(post.paragraphs) + 1) if route.text == FULL else 0
                post.paragraphs.insert(at, plant.sentence)
                post.plants.append({"kind": kind, "category": plant.category, "text": plant.phrase})
        if "broken_link" in account.plants and post.links and rng.random() < 0.5:
            bad = rng.choices(BROKEN_LINK_KINDS, (4, 2, 3, 1))[0]
            post.links[rng.randrange(len(post.links))] = f"/link/{bad}/{post_id}-x"
        for link in post.links:
            kind = link.split("/")[2]
            if kind in BROKEN_LINK_KINDS:
                status, verdict = LINK_KINDS[kind]
                post.plants.append({"kind": "broken_link", "url": link, "status": status, "verdict": verdict})
        return post

    @staticmethod
    def _make_repost(post: Post, rng: random.Random, planted: set[str]) -> None:
        post.kind = "repost"
        post.title = rng.choice(content.REPOSTED_TITLES)
        choice = rng.choice(sorted(planted)) if planted and rng.random() < 0.7 else ""
        if choice == "repost_without_source":
            post.repost_source = ""
            post.plants.append({"kind": choice})
        elif choice == "repost_unapproved_source":
            post.repost_source = rng.choice(content.UNAPPROVED_SOURCES)
            post.plants.append({"kind": choice, "source": post.repost_source})
        else:
            post.repost_source = rng.choice(content.APPROVED_SOURCES)

    def _task_repost(self, account: Account, task: RepostTask, day: date, index: int) -> Post | None:
        if account.skips_reposts:
            return None
        rng = random.Random(f"{self.seed}|{account.key}|{task.id}")
        published = task.issued + timedelta(minutes=rng.randrange(60, 48 * 60))
        if published.astimezone(CN).date() != day:
            return None
        by_link = rng.random() < 0.5 and account.route.text != CAPTION  # a video caption carries no link
        title = "转发区管委办公室通知" if by_link else task.title
        paragraphs = [f"近日，青岛西海岸新区管委办公室印发《{task.title}》，请广大市民周知。"]
        post = Post(f"{account.key}-{day:%Y%m%d}-{index}", account.key, published, title, paragraphs,
                    links=[task.path] if by_link else [], kind="repost", repost_source=content.DISTRICT_SOURCE,
                    stats=self._stats(rng, account.route), task=task.id)
        return post

    @staticmethod
    def _link(rng: random.Random, mix: tuple[tuple[str, int], ...], n: str) -> str:
        kinds, weights = zip(*mix, strict=True)
        return f"/link/{rng.choices(kinds, weights)[0]}/{n}"

    @staticmethod
    def _stats(rng: random.Random, route: PlatformRoute) -> dict[str, int]:
        likes = min(int(rng.paretovariate(1.3) * 20), 500_000)
        stats = {"reposts": likes // rng.randint(3, 9), "comments": likes // rng.randint(4, 12), "likes": likes}
        if route.code.startswith("wechat") or route.kind == WEB:
            stats["reads"] = likes * rng.randint(8, 30)
        return stats
