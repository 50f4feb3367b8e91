"""The speller's data (govmedia.textcheck.spelling.model): confusions, wildcard index, character LM."""

import math

from govmedia.textcheck.spelling import model
from govmedia.textcheck.spelling.build import build_lm


def test_ngram_keys_are_exact_and_distinct_for_up_to_three_characters():
    grams = ["的", "一", "𠀀", "的一", "一的", "的的", "中华人"[:3], "人民的"]
    keys = [model.ngram_key(g) for g in grams]
    assert len(set(keys)) == len(keys)
    assert all(0 <= k < 2**63 for k in keys)


def test_the_language_model_counts_what_it_was_built_from(tmp_path):
    build_lm(["我们坚持改革开放", "我们坚持发展"], tmp_path)
    lm = model.CharLM(tmp_path)
    assert lm.count("我") == 2 and lm.count("我们") == 2 and lm.count("我们坚") == 2
    assert lm.count("开放") == 1 and lm.count("革开放") == 0  # trigrams seen once are pruned
    assert lm.count("他") == 0


def test_a_seen_continuation_is_more_probable_than_an_unseen_one(tmp_path):
    build_lm(["坚持改革开放", "坚持改革开放", "坚持发展"], tmp_path)
    lm = model.CharLM(tmp_path)
    assert lm.logp("改革", "开") > lm.logp("改革", "发") > -math.inf
    assert lm.score("坚持改革开放", 4, 5) > lm.score("坚持改革发放", 4, 5)


def test_the_shipped_confusions_know_homophones_shapes_and_similar_sounds():
    homo, shape, near = model.confusions()
    assert "简" in homo["减"] and "镇" in homo["阵"] and "筹" in homo["愁"]
    assert "末" in shape["未"]
    assert "层" in near["成"]  # ceng / cheng


def test_the_wildcard_index_completes_frequent_words():
    words = model.wildcard()
    assert "简" in words["精?"] and "镇" in words["坐?"]
    assert "?镇" not in words or "坐" in words["?镇"]


def test_each_half_of_an_idiom_leads_to_its_other_halves():
    heads, tails = model.idioms()
    assert "莫展" in heads["一筹"] and "作气" in heads["一鼓"]
    assert "一筹" in tails["莫展"]
    assert all(len(others) % 2 == 0 for others in heads.values())


def test_a_rare_word_that_sounds_like_a_frequent_one_is_suspect():
    suspects = model.suspects()
    assert [w for w, _ in suspects["精减"]] == ["精简"]
    assert "精简" not in suspects


def test_place_names_are_shipped():
    assert {"中国", "北京", "青岛市"} <= model.places()
