"""The speller's data build (govmedia.textcheck.spelling.build), on small inputs."""

from govmedia.textcheck.spelling.build import (
    corpus_lines,
    fuzzy,
    idiom_halves,
    reading,
    suspect_words,
    wildcard_index,
)


def test_corpus_lines_drop_the_part_of_speech_tags_and_brackets_and_fold(tmp_path):
    path = tmp_path / "corpus.txt"
    path.write_text("迈向/v  [中国/ns  政府/n]nt  １９９８年/t  。/w\n\n", encoding="utf-8")
    assert corpus_lines(path) == ["迈向中国政府1998年。"]


def test_fuzzy_syllables_merge_what_speakers_blur():
    assert fuzzy("zhang") == fuzzy("zan") == "zan"
    assert fuzzy("nan") == fuzzy("lang")
    assert fuzzy("lv") == fuzzy("lu")
    assert fuzzy("cheng") != fuzzy("chong")


def test_the_wildcard_index_keeps_frequent_words_and_every_idiom():
    words = {"精简": (237, "n"), "坐镇": (239, "n"), "生僻": (5, "a")}
    index = wildcard_index(words, {"一筹莫展"})
    assert index["精?"] == ("简", "") and index["?镇"] == ("坐", "")
    assert index["一?莫展"] == ("", "筹")
    assert "生?" not in index  # too rare to be a correction


def test_a_rare_word_is_suspect_only_against_a_far_more_frequent_same_reading():
    words = {"精减": (12, "v"), "精简": (237, "n"), "必需": (1273, "v"), "必须": (21884, "d"),
             "权利": (3000, "n"), "权力": (3500, "n"), "托玛斯": (3, "nr"), "托马斯": (900, "nr")}
    confusions = {"减": ({"简"}, set(), set()), "简": ({"减"}, set(), set()), "需": ({"须"}, set(), set()),
                  "须": ({"需"}, set(), set()), "利": ({"力"}, set(), set()), "力": ({"利"}, set(), set()),
                  "玛": ({"马"}, set(), set()), "马": ({"玛"}, set(), set())}
    suspects = suspect_words(words, set(), confusions)
    assert [w for w, _ in suspects["精减"]] == ["精简"]
    assert [w for w, _ in suspects["必需"]] == ["必须"]
    assert "权利" not in suspects  # both frequent
    assert "托玛斯" not in suspects  # a name, though it reads exactly like 托马斯


def test_reading_includes_the_tones():
    assert reading("精减") == reading("精简")
    assert reading("抑止") != reading("抑制")


def test_idiom_halves_map_each_half_to_the_other_halves():
    idioms = {"一筹莫展", "一鼓作气", "一丝不苟"}
    assert idiom_halves(idioms, 0) == {"一筹": "莫展", "一鼓": "作气", "一丝": "不苟"}
    assert idiom_halves({"一筹莫展", "别无莫展"}, 1) == {"莫展": "一筹别无"}
