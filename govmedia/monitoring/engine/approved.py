"""Approved repost sources (art. 11): the shipped list of outlets, and whether the source a repost names is
one of them.

Reposts name their source loosely (新华社客户端, 人民日报微博, 来源：新华网, 《求是》), so names are compared
after normalisation: full-width folded, case ignored, quotes, brackets, spaces and punctuation removed, a
leading 来源：/转自 and a trailing 作者/记者 part cut off, and channel suffixes such as 客户端, 官方微博,
微信公众号, 官网 and 网 stripped. The comparison is then exact, never a substring test, so 某某观察 or
新华日报 does not pass for 新华社.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

LEVELS = ("national", "provincial", "municipal", "district")
MAX_NAME = 200  # a repost's source comes from the post: untrusted, and no outlet name is longer

_PARENTHESES_RE = re.compile(r"\([^)]*\)")
_PREFIX_RE = re.compile(r"^\W*(?:本文|文章|信息|内容)?(?:来源于|来源|来自|稿源|出处|转载自|转自|转载|摘自|source)\W*")
_BYLINE_RE = re.compile(r"(?:作者|记者|编辑|责编|通讯员|摄影)\W.*$|(?:作者|记者|通讯员)\w{1,4}$"
                        r"|(?:\d{2,4}年|\d{1,2}月\d{1,2}日|第\d+期).*$")
_SEPARATORS_RE = re.compile(r"[、,;/|]")
_NOISE_RE = re.compile(r"[\W_]+")
# Longest first: 官方微博 goes before 微博, 微信公众号 before 公众号 and 微信.
_SUFFIXES = ("微信公众号", "官方微博", "官方微信", "官方账号", "官方抖音", "公众号", "客户端", "新媒体", "视频号",
             "抖音号", "头条号", "快手号", "官方号", "微博", "微信", "抖音", "官网", "网站", "官方", "app", "网")


@dataclass(frozen=True, slots=True)
class Outlet:
    level: str
    name: str
    aliases: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def _clean(name: str) -> str:
    """The name without width, case, parenthesised remarks, a leading 来源： or a trailing byline."""
    text = unicodedata.normalize("NFKC", name[:MAX_NAME]).casefold()
    text = _PREFIX_RE.sub("", _PARENTHESES_RE.sub("", text))
    byline = _BYLINE_RE.search(text)
    return text[:byline.start()] if byline and byline.start() > 0 else text


def _key(name: str) -> str:
    text = _NOISE_RE.sub("", name)
    stripped = True
    while stripped:
        stripped = False
        for suffix in _SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text = text[:-len(suffix)]
                stripped = True
                break
    return text


def normalize_name(name: str) -> str:
    """The comparison key of one outlet name; "" when nothing is left of it."""
    return _key(_clean(name))


class ApprovedNames:
    """The names reposts may cite. A source naming several outlets (新华社、人民日报) passes when all do."""

    def __init__(self, keys: Iterable[str]):
        self._keys = frozenset(key for key in keys if key)

    @classmethod
    def from_names(cls, names: Iterable[str]) -> ApprovedNames:
        return cls(normalize_name(name) for name in names)

    @classmethod
    def from_outlets(cls, outlets: Iterable[Outlet]) -> ApprovedNames:
        return cls.from_names(name for outlet in outlets for name in outlet.names())

    def __len__(self) -> int:
        return len(self._keys)

    def match(self, name: str) -> bool:
        parts = [part for part in _SEPARATORS_RE.split(_clean(name)) if _key(part)]
        return bool(parts) and all(self._part_matches(part) for part in parts)

    def _part_matches(self, part: str) -> bool:
        """One outlet (China Daily), or several separated by spaces (青岛日报 观海新闻)."""
        if _key(part) in self._keys:
            return True
        words = [key for word in part.split() if (key := _key(word))]
        return len(words) > 1 and all(word in self._keys for word in words)


def parse_outlets(text: str, origin: str = "approved_sources.txt") -> list[Outlet]:
    """Outlets from the list format: `level<TAB>name[<TAB>alias,alias…]` a line, # comments, blank lines."""
    outlets = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = [field.strip() for field in line.split("\t")]
        if len(fields) not in (2, 3) or not fields[1]:
            raise ValueError(f"{origin} 第 {number} 行格式错误，应为“级别<TAB>名称[<TAB>别名,别名]”：{line[:80]}")
        if fields[0] not in LEVELS:
            raise ValueError(f"{origin} 第 {number} 行级别“{fields[0]}”无效，应为 {'、'.join(LEVELS)} 之一")
        aliases = tuple(a.strip() for a in re.split(r"[,，]", fields[2]) if a.strip()) if len(fields) == 3 else ()
        outlets.append(Outlet(fields[0], fields[1], aliases))
    return outlets


def shipped_outlets() -> list[Outlet]:
    """The default list shipped in data/approved_sources.txt (central, Shandong and Qingdao outlets)."""
    path = resources.files(__package__) / "data" / "approved_sources.txt"
    return parse_outlets(path.read_text(encoding="utf-8"))
