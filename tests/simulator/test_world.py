from datetime import timedelta

import pytest

from govmedia.monitoring.engine.types import BROKEN_REASONS, BROKEN_VERDICTS, LINK_VERDICTS
from govmedia.simulator import (
    Account,
    World,
    bench_world,
    demo_world,
    load_accounts,
    manifest,
    sample_accounts,
)
from govmedia.simulator.content import CONTENT_PLANTS
from govmedia.simulator.render import Urls
from govmedia.simulator.world import LINK_KINDS, SOURCE_FAILURES
from govmedia.simulator.worlds import DEMO_PLAN
from govmedia.textcheck import Checker
from tests.simulator.conftest import NOW, account_with, sample_world


@pytest.fixture(scope="module")
def checker():
    return Checker()


def snapshot(world: World) -> dict:
    return {key: [(p.id, p.published, p.title, p.text, p.links, p.kind, p.repost_source) for p in world.posts(key)]
            for key in list(world.accounts)[::5]}


def test_the_same_seed_gives_the_same_posts_and_another_seed_others():
    assert snapshot(sample_world(seed=3)) == snapshot(sample_world(seed=3))
    assert snapshot(sample_world(seed=3)) != snapshot(sample_world(seed=4))


def test_a_day_keeps_its_posts_as_the_clock_moves_on(world):
    later = World(world.accounts.values(), seed=world.seed, now=NOW + timedelta(days=2))
    key = account_with(world, source="ok", activity="active", platform="weibo").key
    today = {p.id: p.text for p in world.posts(key)}
    two_days_on = {p.id: p.text for p in later.posts(key)}
    shared = today.keys() & two_days_on.keys()
    assert len(shared) > 20
    assert all(today[i] == two_days_on[i] for i in shared)
    assert len(two_days_on.keys() - today.keys()) >= 2


def test_a_feed_holds_the_last_days_newest_first_and_nothing_from_the_future(world):
    posts = world.posts(account_with(world, source="ok", activity="active", platform="weibo").key)
    times = [p.published for p in posts]
    assert times == sorted(times, reverse=True)
    assert times[0] <= NOW and times[-1] > NOW - timedelta(days=30)


def test_silent_and_zombie_accounts_stopped_posting_but_still_show_their_last_posts(world):
    for account in world.accounts.values():
        posts = world.posts(account.key)
        if account.activity == "silent":
            assert NOW - posts[0].published > timedelta(days=15)
        elif account.activity == "zombie":
            assert NOW - posts[0].published > timedelta(days=100)
        else:
            assert NOW - posts[0].published < timedelta(days=4)
        assert len(posts) >= 5


def test_active_accounts_post_every_week_and_an_original_every_two_weeks(world):
    for account in world.accounts.values():
        if account.activity != "active":
            continue
        times = [NOW, *(p.published for p in world.posts(account.key))]
        gaps = [newer - older for newer, older in zip(times, times[1:], strict=False)]
        assert max(gaps) <= timedelta(days=7), account.key
        originals = [p.published for p in world.posts(account.key) if p.kind == "original"]
        assert NOW - originals[0] < timedelta(days=14)



def test_the_demo_world_plants_every_problem_and_one_account_per_source_failure(world):
    sources = [a.source for a in world.accounts.values() if a.source != "ok"]
    assert sorted(sources) == sorted(SOURCE_FAILURES)
    assert set(SOURCE_FAILURES) <= BROKEN_REASONS.keys()
    for kind, count in DEMO_PLAN.items():
        if kind in ("silent", "zombie"):
            assert sum(a.activity == kind for a in world.accounts.values()) == count
        elif kind == "skips_reposts":
            assert sum(a.skips_reposts for a in world.accounts.values()) == count
        else:
            assert sum(kind in a.plants for a in world.accounts.values()) == count, kind
    troubled = [a for a in world.accounts.values()
                if a.source != "ok" or a.activity != "active" or a.plants or a.skips_reposts]
    assert len(troubled) == sum(DEMO_PLAN.values()) + len(SOURCE_FAILURES)  # one problem per account


def test_each_planted_phrase_is_caught_by_the_shipped_lexicons_with_its_category(checker):
    for plants in CONTENT_PLANTS.values():
        for plant in plants:
            found = {(f.category, f.text) for f in checker.check(plant.sentence)}
            assert (plant.category, plant.phrase) in found, plant


def test_posts_without_planted_content_give_the_checker_nothing(world, checker):
    checked = 0
    for key in world.accounts:
        for post in world.posts(key):
            if not any(p["kind"] in CONTENT_PLANTS for p in post.plants):
                assert checker.check(post.title + "\n" + post.text) == [], post.id
                checked += 1
    assert checked > 3000


def test_planted_posts_contain_what_the_manifest_says(world, checker):
    urls = Urls("http://sim")
    listed = manifest(world, urls)["accounts"]
    for key, entry in listed.items():
        posts = {p.id: p for p in world.posts(key)}
        if entry["plants"]:
            assert entry["planted_posts"], key
        for post_id, plants in entry["planted_posts"].items():
            post = posts[post_id]
            for plant in plants:
                if plant["kind"] in CONTENT_PLANTS:
                    assert (plant["category"], plant["text"]) in {(f.category, f.text) for f in checker.check(post.text)}
                elif plant["kind"] == "broken_link":
                    assert plant["url"] in {urls.link(link) for link in post.links}
                    assert plant["verdict"] in BROKEN_VERDICTS
                elif plant["kind"] == "repost_without_source":
                    assert post.kind == "repost" and post.repost_source == "" and post.text.startswith("【转载】\n")
                else:
                    assert post.kind == "repost" and post.text.startswith(f"【转载】来源：{plant['source']}")
    unplanted = [p for key, entry in listed.items() if not entry["plants"] for p in world.posts(key)]
    assert all(link.split("/")[2] in ("ok", "redirect", "nohead") for p in unplanted for link in p.links
               if link.startswith("/link/"))


def test_link_kinds_name_the_verdicts_govmedia_uses():
    assert {verdict for _, verdict in LINK_KINDS.values()} <= LINK_VERDICTS.keys()


def test_most_accounts_repost_each_district_task_by_title_or_link_and_skippers_do_not(world):
    tasks = world.tasks()
    assert 1 <= len(tasks) <= 2
    overdue = [t for t in tasks if t.deadline < NOW]
    assert overdue
    for task in overdue:
        for account in world.accounts.values():
            reposts = [p for p in world.posts(account.key) if p.task == task.id]
            if account.skips_reposts:
                assert reposts == []
            elif account.activity == "active":
                (repost,) = reposts
                assert repost.title == task.title or task.path in repost.links
                assert task.issued < repost.published < task.deadline
                assert repost.kind == "repost" and repost.repost_source == "青岛西海岸发布"


def test_pinned_accounts_keep_their_behaviour_and_others_take_the_rest():
    accounts = [{"key": "gh_edu", "platform": "微信订阅号", "name": "西海岸教体", "source": "captcha"},
                {"key": "1234567890", "platform": "新浪微博", "plants": ["typo"]}, *sample_accounts()]
    world = demo_world(accounts, now=NOW)
    assert world.accounts["gh_edu"].source == "captcha" and world.accounts["gh_edu"].name == "西海岸教体"
    assert world.accounts["1234567890"].plants == {"typo"}
    assert [a.key for a in world.accounts.values() if a.source == "captcha"] == ["gh_edu"]
    assert sum("typo" in a.plants for a in world.accounts.values()) == DEMO_PLAN["typo"] + 1


def test_a_world_refuses_a_repeated_key_a_bad_key_and_an_unknown_platform():
    with pytest.raises(ValueError, match="重复"):
        World([Account("a1", "weibo"), Account("a1", "douyin")])
    with pytest.raises(ValueError, match="只能由"):
        Account("a/b", "weibo")
    with pytest.raises(ValueError, match="不认识平台"):
        Account("a1", "推特")
    with pytest.raises(ValueError, match="来源故障"):
        Account("a1", "weibo", source="exploded")


def test_an_accounts_file_names_the_item_it_cannot_use(tmp_path):
    path = tmp_path / "accounts.json"
    path.write_text('[{"key": "a1", "platform": "抖音"}, {"key": "a2"}]', encoding="utf-8")
    with pytest.raises(ValueError, match="第 2 项缺少 key 或 platform"):
        load_accounts(path)
    path.write_text('[{"key": "a1", "platform": "抖音", "name": "西海岸教体"}]', encoding="utf-8")
    assert demo_world(load_accounts(path), now=NOW).accounts["a1"].platform == "douyin"


def test_publishing_adds_a_post_at_now_on_top_of_the_feed():
    world = sample_world()
    key = account_with(world, source="ok", activity="active", platform="weibo").key
    post = world.publish(key, title="测试", text="第一段\n第二段", links=["/link/missing/t1"], repost_source="")
    assert world.posts(key)[0] is post and post.published == NOW
    assert post.kind == "original" and post.paragraphs == ["第一段", "第二段"]
    repost = world.publish(key, title="转", text="正文", kind="repost", repost_source="西海岸生活圈")
    assert repost.text.startswith("【转载】来源：西海岸生活圈") and world.post(repost.id) is repost


def test_the_bench_world_gives_about_30_posts_and_100_links_per_account_and_a_month():
    totals = manifest(bench_world(100, now=NOW), Urls("http://sim"))["totals"]
    assert 2_800 <= totals["posts"] <= 3_300
    assert 9_000 <= totals["links"] <= 11_500
    broken = sum(n for kind, n in totals["links_by_kind"].items() if kind in ("missing", "gone", "error", "slow"))
    assert 0.02 < broken / totals["links"] < 0.10
