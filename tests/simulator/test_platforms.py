import importlib

import pytest

from govmedia.simulator import UnknownPlatform, feed_url, route_path, source_kind

REGISTRY_PLATFORMS = importlib.import_module("govmedia.registry.migrations.0002_platforms").PLATFORMS


@pytest.mark.parametrize(("code", "name"), [(row[0], row[1]) for row in REGISTRY_PLATFORMS])
def test_every_registry_platform_has_a_route_by_code_and_by_name(code, name):
    assert route_path(code, "k1") == route_path(name, "k1")
    assert "k1" in route_path(code, "k1")


def test_feed_url_gives_rsshub_like_routes_for_the_common_names():
    base = "http://127.0.0.1:8700/"
    assert feed_url(base, "新浪微博", "1234567890") == "http://127.0.0.1:8700/weibo/user/1234567890"
    assert feed_url(base, "微博", "1234567890") == "http://127.0.0.1:8700/weibo/user/1234567890"
    assert feed_url(base, "微信公众号", "gh_0123456789ab") == "http://127.0.0.1:8700/wechat/mp/gh_0123456789ab"
    assert feed_url(base, "抖音", "xhaedu123") == "http://127.0.0.1:8700/douyin/user/xhaedu123"
    assert feed_url(base, "今日头条", "12345678901") == "http://127.0.0.1:8700/toutiao/user/token/12345678901"
    assert feed_url(base, "哔哩哔哩", "1234567890") == "http://127.0.0.1:8700/bilibili/user/dynamic/1234567890"
    assert feed_url(base, "政务APP", "cn.gov.xhaedu") == "http://127.0.0.1:8700/site/cn.gov.xhaedu/"


def test_apps_mini_programs_and_websites_are_read_as_web_pages_and_the_rest_as_feeds():
    assert {source_kind(name) for name in ("移动客户端（APP）", "微信小程序", "网站")} == {"web"}
    assert {source_kind(row[0]) for row in REGISTRY_PLATFORMS if row[0] not in ("app", "wechat-miniprogram")} == {"feed"}


def test_an_unknown_platform_or_an_unsafe_key_is_refused():
    with pytest.raises(UnknownPlatform, match="推特"):
        feed_url("http://sim", "推特", "k1")
    with pytest.raises(ValueError, match="账号标识"):
        feed_url("http://sim", "微博", "../admin")
