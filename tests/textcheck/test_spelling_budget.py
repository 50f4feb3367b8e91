"""The speller's budget: text that is not prose gets no speller work (and no finding from it)."""

from govmedia.textcheck.spelling import PROSE_SENTENCE, Speller


def _speller_work(text: str) -> int:
    speller = Speller()
    speller.scored(text)
    return speller.pieces_checked


def test_text_without_sentence_ends_gets_no_speller_work():
    text = "我们必需坚持党的领导工作中不能急燥" * (3 * PROSE_SENTENCE // 17)
    assert _speller_work(text) == 0


def test_one_character_repeated_gets_no_speller_work():
    assert _speller_work("社" * (5 * PROSE_SENTENCE)) == 0


def test_prose_of_the_same_length_is_checked():
    text = "我们必需坚持党的领导。工作中不能急燥。" * (3 * PROSE_SENTENCE // 19)
    assert _speller_work(text) >= 1
    assert Speller().scored(text)  # and its typos are still found


def test_a_short_text_without_punctuation_is_still_checked():
    assert _speller_work("犯罪嫌疑人弃车逃入密林后不知所踪先后抓获涉毒违法犯罪嫌疑人51名") == 1


def test_a_lone_surrogate_beside_a_candidate_does_not_break_the_speller():
    from govmedia.textcheck import Checker

    text = "\ud800他一股作气跑完了全程。"
    assert all(text[f.start:f.end] == f.text for f in Checker().check(text))
