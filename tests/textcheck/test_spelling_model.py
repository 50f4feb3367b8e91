"""The speller's data (govmedia.textcheck.spelling.model): confusions, wildcard index, counts, word LM."""

from govmedia.textcheck.spelling import model
from govmedia.textcheck.spelling.build import build_counts, write_version


def test_ngram_keys_are_exact_and_distinct_for_up_to_three_characters():
    grams = ["的", "一", "𠀀", "的一", "一的", "的的", "中华人"[:3], "人民的"]
    keys = [model.ngram_key(g) for g in grams]
    assert len(set(keys)) == len(keys)
    assert all(0 <= k < 2**63 for k in keys)


def test_the_character_counts_are_what_they_were_built_from(tmp_path):
    build_counts(["我们坚持改革开放", "我们坚持发展"], tmp_path)
    counts = model.CharCounts(tmp_path)
    assert counts.count("我") == 2 and counts.count("开") == 1 and counts.count("他") == 0
    assert (tmp_path / "common_pairs.txt").read_text(encoding="utf-8").split("\n")[1:-1] == sorted(["坚持", "我们", "们坚"])


def test_the_word_language_model_prefers_the_right_word_and_segments_afresh():
    lm = model.word_lm()
    assert lm.score("他的性格很急躁", True, True) > lm.score("他的性格很急燥", True, True)
    assert lm.score("我们必须坚持党的领导", True, True) > lm.score("我们必需坚持党的领导", True, True)
    assert lm.words(["急燥"]) == ["急", "燥"]  # a token the model does not know is split into ones it does


def test_the_data_version_is_a_digest_of_every_file_the_word_model_included(tmp_path):
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    first = write_version(tmp_path)
    (tmp_path / "zh_CN.lm").write_bytes(b"model")
    assert write_version(tmp_path) != first
    assert (tmp_path / "VERSION").read_text(encoding="ascii").strip() == write_version(tmp_path)


def test_the_shipped_version_is_up_to_date(tmp_path):
    import shutil

    for path in model.DATA.iterdir():
        shutil.copy(path, tmp_path / path.name)
    assert write_version(tmp_path) == model.data_version()


def test_the_word_model_is_not_loaded_until_a_check_needs_it():
    from govmedia.textcheck import Checker

    model.word_lm.cache_clear()
    Checker()
    assert model.word_lm.cache_info().currsize == 0


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
