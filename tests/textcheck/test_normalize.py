import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from govmedia.textcheck.normalize import Compact, fold, fold_table, has_astral, is_noise, normalize_term

# Text made of what real posts and evasions contain: Chinese, Latin, digits, noise, decorated digits.
ALPHABET = st.sampled_from(list("赌博大麻國際體ＡＢｃAbz09０９①⑴❶、，。！!?-*_ .·\u3000\u200b\n★🎲𝐀⽅ğİ"))
texts = st.text(alphabet=ALPHABET, max_size=60) | st.text(max_size=40)


def test_fold_maps_full_width_forms_to_half_width():
    assert fold("ＡＢＣ１２３＠＃") == "abc123@#"


def test_fold_keeps_the_full_width_punctuation_of_chinese_prose():
    assert fold("，！？：；（）") == "，！？：；（）"


def test_fold_lowercases_latin_letters():
    assert fold("WeChat VX") == "wechat vx"


def test_fold_maps_traditional_characters_to_simplified():
    assert fold("國際賭博與發展") == "国际赌博与发展"


def test_fold_maps_circled_and_decorated_digits_to_ascii_digits():
    assert fold("①③⑧⑴⒈❶➀➊⓵⓿") == "1381111110"


def test_fold_keeps_characters_that_are_also_correct_simplified_characters():
    assert fold("乾坤 哪吒") == "乾坤 哪吒"


def test_fold_maps_compatibility_and_radical_forms_used_to_evade():
    assert fold("⽅𝐀") == "方a"


@given(texts)
def test_fold_never_changes_the_length(text):
    assert len(fold(text)) == len(text)


@given(texts)
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


def test_folding_a_character_and_its_lower_case_agree():
    # fold() lower-cases first with str.lower and then applies the table; that is only right if the table
    # gives the same result for a character and for its lower-case form.
    table = fold_table()
    disagree = []
    for cp in [*range(0xD800), *range(0xE000, 0x10000)]:
        ch = chr(cp)
        low = ch.lower()
        if len(low) == 1 and table.get(cp, ch) != table.get(ord(low), low):
            disagree.append(ch)
    assert disagree == ["Ϲ"]  # Greek lunate sigma: irrelevant to Chinese text


def test_fold_table_is_one_to_one_in_length():
    assert all(len(v) == 1 for v in fold_table().values())


def test_spaces_symbols_and_zero_width_characters_are_noise():
    for ch in " -*_.·“”「」\u3000\u200b\ufeff●◆→🎲":
        assert is_noise(fold(ch)), repr(ch)


def test_line_breaks_and_sentence_punctuation_are_not_noise():
    for ch in "\n\r，。！？；：,!?;:()中a1★☆¥":
        assert not is_noise(fold(ch)), repr(ch)


def test_normalize_term_drops_noise_and_folds():
    assert normalize_term("代 办-證*件") == "代办证件"
    assert normalize_term("ＶＸ") == "vx"


def test_compact_removes_noise_and_maps_each_character_back():
    original = "赌-博 大*麻"
    folded = fold(original)
    compact = Compact(folded)
    assert compact.text == "赌博大麻"
    assert [original[compact.orig(i)] for i in range(4)] == list("赌博大麻")
    assert compact.span(0, 2) == (0, 3)
    assert original[slice(*compact.span(2, 4))] == "大*麻"


def test_compact_without_noise_is_the_same_string():
    folded = fold("没有任何符号的文本")
    assert Compact(folded).text is folded


def test_astral_noise_is_removed_only_by_the_astral_aware_path():
    text = "赌🎲博"
    assert has_astral(text)
    assert Compact(fold(text)).text == "赌博"
    assert not has_astral("赌博 ABC")


@given(texts)
def test_compact_offsets_always_point_at_the_same_character(text):
    folded = fold(text)
    compact = Compact(folded)
    for i, ch in enumerate(compact.text):
        assert folded[compact.orig(i)] == ch
    kept = [ch for ch in folded if not is_noise(ch)]
    assert compact.text == "".join(kept)


@given(texts)
def test_compact_positions_invert_original_positions(text):
    folded = fold(text)
    compact = Compact(folded)
    for i in range(len(compact.text)):
        assert compact.compact_pos(compact.orig(i)) == i
    for pos in range(len(folded) + 1):
        c = compact.compact_pos(pos)
        assert c == len(compact.text) or compact.orig(c) >= pos
        assert c == 0 or compact.orig(c - 1) < pos


def test_fold_handles_the_rare_letters_whose_lower_case_is_longer():
    text = "İSTANBUL赌博"
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded.endswith("赌博")
    assert unicodedata.normalize("NFKC", "Ｘ").lower() == fold("Ｘ")
