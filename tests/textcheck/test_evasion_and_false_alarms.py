"""Outside review of the content checker v2 (issue 8): reproducers of what an adversary or a reviewer finds.

Every test states what the product SHOULD do. A test that fails is a defect of the product, not of the
test; the tests that pass document what held. Grouped as in the review brief:

1. downgrade evasion: sales and ads that get a real offer downgraded to ``prohibited_mention`` (not
   escalated by monitoring) or silenced altogether, and secret markings that escape;
2. false positives (above ``info``) on legitimate official prose;
3. streaming: chunked checking must give exactly the findings of whole-text checking;
4. guarantees: offsets, Chinese explanation, stable codes, lexicon versions, confidence, CLI exit codes.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govmedia.textcheck import FINDING_CATEGORIES, Checker
from govmedia.textcheck.categories import (
    ADVERTISING,
    INFO,
    PROHIBITED,
    PROHIBITED_MENTION,
    SECRET_MARKING,
)

# What monitoring sends to the district office at once (govmedia/monitoring/engine/codes.py).
ESCALATED = frozenset({"prohibited", "secret_marking", "expression_error"})


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker()


def summary(checker: Checker, text: str) -> list[tuple[str, str, str]]:
    return [(f.category, f.severity, f.text) for f in checker.check(text)]


def above_info(checker: Checker, text: str) -> list[tuple[str, str, str]]:
    return [(f.category, f.text, f.rule) for f in checker.check(text) if f.severity != INFO]


# == 1. Downgrade evasion ===================================================================================

# A real offer (stock / delivery / a working contact handle) of drugs, guns, gambling or fake papers, with
# one warning or court word slipped in. Each must still give an escalated finding (``prohibited``).
SALES_WITH_A_WARNING_WORD = [
    # an anti-fraud tag in front of the offer: FRAUD cue beats the WeChat offer
    "反诈提醒：冰毒现货，加微信abc12345",
    "#全民反诈# 冰毒现货，量大从优，加微信abc12345",
    "K粉现货，反诈认证商家，加微信abc12345",
    "网赌平台注册送彩金，反诈宣传，加微信abc12345",
    # ordinary seller phrases that merely CONTAIN a cue word (substring match, no word boundaries):
    # 没收到货 contains the JUDICIAL cue 没收, 马上当天 contains the FRAUD cue 上当
    "冰毒现货，没收到货全额退款，加微信abc12345",
    "冰毒现货，马上当天发货，加微信abc12345",
    "麻古 K粉 摇头丸 一手货源 马上当天发货 加微信abc12345",
    "网络赌博平台，没收到彩金找客服，加微信abc12345",
    # the term itself is the sale (出售枪支) and a phone number is given, still only a note
    "出售枪支，防范诈骗，认准本店，联系13812345678",
    "出售枪支，马上当天发货，vx:abc12345",
    # reassurance that uses a scam word (非骗子 is not in the negation list) or a court word
    "冰毒现货，非骗子，加微信abc12345",
    "冰毒现货，归案前最后一批，加微信abc12345",
    "代办假证，立案无忧，加微信abc12345",
]


@pytest.mark.parametrize("text", SALES_WITH_A_WARNING_WORD)
def test_a_sale_with_a_warning_word_is_still_escalated(checker, text):
    findings = summary(checker, text)
    assert any(category in ESCALATED for category, _, _ in findings), findings


def test_a_sale_downgraded_by_a_cue_word_keeps_at_least_its_advertising_finding(checker):
    # 没收 (in 没收到货) makes quoted_by_a_report() drop the 加微信 advertising finding as well: the whole
    # drug offer leaves one informational note and nothing else.
    findings = summary(checker, "冰毒现货，没收到货全额退款，加微信abc12345")
    assert any(category == ADVERTISING for category, _, _ in findings), findings


@pytest.mark.parametrize("text", [
    "反诈宣传周，全场五折",  # known gap, per the brief
    "反诈宣传周，全场5折，欢迎选购，加微信abc12345",  # a full ad: price, buying, contact
    "谨防诈骗！本店正品，全场5折，欢迎选购，加微信abc12345",
])
def test_a_scam_warning_word_does_not_silence_an_advertisement(checker, text):
    findings = summary(checker, text)
    assert any(category == ADVERTISING for category, _, _ in findings), findings


# An allow phrase that merely starts or contains a prohibited term swallows it in an offer.
@pytest.mark.parametrize("text", [
    "资金盘活动开启，稳赚不赔，入金即返。",  # allow 资金盘活 swallows 资金盘
    "刷单返利类兼职，佣金日结。",  # allow 刷单返利类 swallows 刷单返利
    "足球外围赛投注，赔率最高。",  # allow 足球外围赛 swallows 足球外围
])
def test_an_allow_phrase_does_not_swallow_an_offer(checker, text):
    findings = summary(checker, text)
    assert any(category in (PROHIBITED, ADVERTISING) for category, _, _ in findings), findings


# Controls: the straightforward forms are caught (these held).
@pytest.mark.parametrize("text", [
    "出售冰毒，加微信abc12345",
    "警方提醒 出售冰毒 联系13812345678",
    "打击毒品，冰毒现货，加微信abc12345",
    "出售冰毒。警方提醒。加微信abc12345",
    "海洛因到货，警方查不到，加微信abc12345",
    "“冰毒”现货，加微信abc12345",
])
def test_control_plain_offers_are_escalated(checker, text):
    assert any(category == PROHIBITED for category, _, _ in summary(checker, text))


def test_control_a_seizure_notice_is_only_a_note(checker):
    text = "近日，我局民警在辖区某出租屋内查获冰毒12克、吸毒工具一套，现场抓获吸毒人员2名。"
    assert [c for c, _, _ in summary(checker, text)] == [PROHIBITED_MENTION]


# -- secret markings that escape ---------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "机 密\n关于开展专项检查的通知",  # the header word spaced out (the lexicon handles noise, the rule does not)
    "机　密\n关于开展专项检查的通知",  # full-width space between the characters
    "机\u200b密\n关于开展专项检查的通知",  # zero-width space
    "★机密\n关于开展专项检查的通知",  # star before the word
    "【机密】\n关于开展专项检查的通知",
    "〔秘密〕\n关于开展专项检查的通知",
    "（绝密）\n关于开展专项检查的通知",
    "        机密\n关于开展专项检查的通知",  # centred with eight spaces (only up to four are accepted)
    "# 机密\n关于开展专项检查的通知",  # a Markdown heading
    "标题：秘密 关于开展专项检查的通知",  # a title line
])
def test_a_header_classification_marking_is_caught(checker, text):
    assert any(category == SECRET_MARKING for category, _, _ in summary(checker, text)), summary(checker, text)


@pytest.mark.parametrize("text", [
    "机密 关于开展专项检查的通知",
    "机密\u3000关于开展专项检查的通知",
    "\u3000\u3000机密\n关于开展专项检查的通知",
    "秘密★1年\n通知",
    "秘密 ★ 1年\n通知",
    "秘密★一年\n通知",
    "机密★长期\n通知",
    "密级：机密",
    "密 级：秘密",
    "机 密 ★1年\n通知",
    "【机密★1年】",
])
def test_control_standard_markings_are_caught(checker, text):
    assert any(category == SECRET_MARKING for category, _, _ in summary(checker, text))


# == 2. False positives on official prose ==================================================================

# Legitimate official wording flagged as a near-miss of a canonical formulation (high, escalated).
NEAR_MISS_FALSE_POSITIVES = [
    "国家市场监督管理总局公布一批典型案例。",  # the State Council agency's name: "多“总”"
    "省人力资源和社会保障厅发布公告。",  # a provincial department: "“厅”应为“局”"
    "省退役军人事务厅召开新闻发布会。",
    "省文化和旅游厅公布第二批名单。",
    "向第二个百年奋斗目标进军，建设社会主义现代化国家。",  # "漏字：缺“强”"
    "社会主义现代化国家建设取得新成就。",
    "深入开展“不忘初心、牢记使命”主题教育。",  # the official punctuation of the campaign's name
    "不忘初心，牢记使命，永远奋斗。",
    "积极稳妥推进碳达峰、碳中和。",  # as the government work report writes it
    "深入推进全面从严治团。",  # the Communist Youth League's own formulation
]


@pytest.mark.parametrize("text", NEAR_MISS_FALSE_POSITIVES)
def test_legitimate_formulations_are_not_near_misses(checker, text):
    assert above_info(checker, text) == []


# 新华社禁用词 entries hitting correct (historical) uses.
XINHUA_FALSE_POSITIVES = [
    "1912年1月1日，孙中山在南京就任中华民国临时大总统。",  # the entry itself says "1949年以后"
    "辛亥革命推翻了清王朝，建立了中华民国。",
    "中国共产党第二十次全国代表大会在北京隆重召开。",  # allow has 二十大隆重召开, not this headline form
    "1924年，外蒙古宣布成立蒙古人民共和国。",
]


@pytest.mark.parametrize("text", XINHUA_FALSE_POSITIVES)
def test_xinhua_entries_do_not_hit_correct_uses(checker, text):
    assert above_info(checker, text) == []


# Advertising-law words in government text, next to a word that counts as a commercial cue.
@pytest.mark.parametrize("text", [
    "我县茶叶品牌获评“中国驰名商标”，产品远销30多个国家。",
    "市商务局组织企业参加世界级展会，推动产品出口。",
])
def test_official_designations_next_to_product_words_are_not_advertising(checker, text):
    assert above_info(checker, text) == []


@pytest.mark.parametrize("text", [
    "内部：强化管理，外部：优化服务。",  # a line heading "内部：" in a work report is no secret marking
])
def test_a_line_heading_is_not_a_secret_marking(checker, text):
    assert above_info(checker, text) == []


def test_speller_does_not_flag_a_correct_idiom_by_its_neighbours(checker):
    # 不知所踪 is correct; the speller suggests 不知所终 when no punctuation follows (words from
    # clean_official.tsv line 83, joined as they are in a text without punctuation).
    text = "犯罪嫌疑人弃车逃入密林后不知所踪先后抓获涉毒违法犯罪嫌疑人51名"
    assert above_info(checker, text) == []


# 80+ further official sentences (police, health, work reports, zones, rankings, titles) not taken from
# clean_official.tsv: nothing above info. These held.
OFFICIAL = """\
2024年，全市公安机关共破获毒品犯罪案件312起，抓获犯罪嫌疑人406名，缴获各类毒品28.6公斤。
近日，我局民警在辖区某出租屋内查获冰毒12克、吸毒工具一套，现场抓获吸毒人员2名。
警方提示：凡是要求下载陌生APP、共享屏幕、转账到“安全账户”的，都是诈骗。
反诈民警提醒广大群众，不听、不信、不转账，遇到可疑情况及时拨打96110咨询。
市禁毒办联合卫健、市场监管等部门开展易制毒化学品专项检查，共检查企业46家。
经法院审理查明，被告人张某某以非法占有为目的，通过网络虚构投资项目，骗取被害人钱款共计42万元。
12月1日是第37个“世界艾滋病日”，今年的宣传主题是“社会倡导，社区行动，全面提升防治效能”。
入冬以来，流感、支原体肺炎等呼吸道疾病进入高发季节，请广大市民科学佩戴口罩、勤洗手、常通风。
市疾控中心提醒，接种流感疫苗是预防流感最经济、最有效的手段。
全市65岁及以上老年人健康管理率达到72.3%，高血压患者规范管理率达到68.5%。
各级医疗机构要严格落实首诊负责制，不得以任何理由推诿拒收急危重症患者。
滨海新区获批国家级新区以来，地区生产总值年均增长8.2%，成为全市经济发展的重要引擎。
我市高新区在全国国家级高新区综合评价中排名第十六位，较上年提升三位。
2023年，我省粮食总产量达到1398.7亿斤，连续五年稳定在1300亿斤以上，位居全国第三。
我县被命名为第三批国家生态文明建设示范县，是全省唯一获此殊荣的山区县。
全市新增国家级专精特新“小巨人”企业23家，总数达到126家，居全省首位。
该项目是目前亚洲最大的单体光伏储能项目，总投资约58亿元。
区人民政府副区长王建华出席会议并讲话。
市委常委、常务副市长李卫东主持召开全市安全生产工作会议。
县委书记刘志强、县长陈晓明一行深入乡镇调研秋粮收购工作。
深入学习贯彻习近平新时代中国特色社会主义思想，全面贯彻党的二十大和二十届三中全会精神。
牢固树立和践行绿水青山就是金山银山的理念，统筹推进山水林田湖草沙一体化保护和系统治理。
加快构建以国内大循环为主体、国内国际双循环相互促进的新发展格局。
市场监管局依法查处一起发布含有“最佳”“国家级”等绝对化用语的违法广告案件，罚款3万元。
本次招聘岗位共计45个，报名时间为3月1日至3月7日，咨询电话0571-87654321。
因道路施工，中山路（解放路至人民路段）将于10月8日至10月20日实行全封闭施工，请过往车辆提前绕行。
我市首个“15分钟便民生活圈”试点在东城街道正式启用。
全省第一家数据交易所揭牌运营，首日挂牌数据产品62个。
该企业研发的新型锂电池隔膜技术打破国外垄断，填补国内空白。
这是我市迄今为止规模最大、标准最高的一次应急演练。
夏季是溺水事故高发期，家长务必加强对孩子的看护，切勿让孩子私自到江河湖塘游泳。
公安机关严厉打击非法制造、贩卖、持有枪支弹药违法犯罪活动，欢迎群众积极举报。
警方依法对涉嫌开设赌场罪的8名犯罪嫌疑人采取刑事强制措施。
根据《中华人民共和国广告法》第九条规定，广告中不得使用“国家级”“最高级”“最佳”等用语。
全体党员干部要发扬连续作战的作风，再接再厉，乘势而上。
龙泉驿区、郫都区、双流区入选全国综合实力百强区。
根据工作需要，经研究决定，任命李明同志为区卫生健康局副局长。
2023年度全省营商环境评价中，我市位列第二。
他是全国劳动模范、国家级非物质文化遗产代表性传承人。
全国人大代表、岳阳市君山区钱粮湖镇党委书记谌伟发言。
区委常委、宣传部部长禤玉梅主持会议。
会议在涿州市、邳州市、睢宁县、盱眙县同步举行。
黟县、歙县、婺源县入选国家全域旅游示范区。
近期诺如病毒感染性腹泻进入高发期，请注意饮食卫生。
市疾控中心开展结核病、乙肝、布鲁氏菌病等重点传染病防控培训。
辖区内共排查登革热媒介伊蚊孳生地1200余处。
驻村第一书记带领村民发展羊肚菌、黄精种植。
切实做到守土有责、守土负责、守土尽责。
坚持以文化人、以文育人，不断丰富群众精神文化生活。
赣南脐橙、库尔勒香梨、五常大米入选中欧地理标志协定保护名录。
保障群众生活必需品供应充足。
报名截止日期为5月31日，截至目前已有300人报名。
设置三年过渡期，保持主要帮扶政策总体稳定。
严厉打击“黄赌毒”“盗抢骗”等违法犯罪。
有效防范化解“灰犀牛”“黑天鹅”风险。
深化“最多跑一次”改革。
全国首个数据产权登记平台在我市上线，首批登记数据产品42个。
该医院是全省唯一一家国家级区域医疗中心，患者可通过咨询电话预约挂号。
我县是国家级电子商务进农村综合示范县，农产品网络销售额达到12亿元。
全国人大常委会委员长赵乐际主持会议。
延边朝鲜族自治州成立70周年。
九一八事变后，日本扶植建立伪满洲国傀儡政权。
选派优秀年轻干部到村任职，担任大学生村官。
中国人民政治协商会议第十四届全国委员会第二次会议在京隆重开幕。
增强“四个意识”、坚定“四个自信”、做到“两个维护”。
完整、准确、全面贯彻新发展理念。
学习习近平法治思想和习近平生态文明思想。
坚持和完善职工代表大会制度。
防范化解金融风险，守住不发生系统性金融风险的底线。
人力资源和社会保障部、财政部联合印发通知。
住房和城乡建设部召开新闻发布会。
烟台经济技术开发区管委会召开会议。
自由贸易试验区济南片区成立五周年。
开展城乡居民基本养老保险参保登记。
社区新时代文明实践站开展志愿服务。
马克思主义中国化大众化是党的十七大提出的重大任务。
""".splitlines()


def test_control_official_sentences_are_clean(checker):
    assert len(OFFICIAL) >= 60
    flagged = {s: above_info(checker, s) for s in OFFICIAL if above_info(checker, s)}
    assert flagged == {}


# == 3. Streaming: chunked checking gives exactly the whole-text findings ===================================

_CLEAN = [line.split("\t")[0] for line in OFFICIAL]
FRAGMENTS = [piece for line in _CLEAN for piece in re.split(r"[，。、；]", line) if piece] + [
    "冰毒", "反诈", "加微信abc12345", "社会注意思想", "精减机构", "必需", "国家级", "产品", "秘密★1年",
    "\n机密 ", "“我认为太离谱了”", "。", "，", "\n", "𠀀𠀁", "a", "1", "\ud800", "不忘初心、牢记使命",
    "急燥", "再接再励", " ", "\u3000", "犯罪嫌疑人弃车逃入密林后不知所踪先后抓获",
]


def _dicts(findings):
    return [f.to_dict() for f in findings]


def test_chunking_small_chunks_give_the_whole_text_findings():
    # 34 characters, shorter than CONTEXT_CHARS: every chunk sees the whole text, yet the speller's
    # finding depends on where the chunk starts (found with chunk_size 3, 5, 10, 20, 1000; lost with 1, 2,
    # 7, 13).
    text = "犯罪嫌疑人弃车逃入密林后不知所踪先后抓获涉毒违法犯罪嫌疑人51名"
    whole = _dicts(Checker().check(text))
    for size in (1, 2, 7, 13):
        assert _dicts(Checker(chunk_size=size).check(text)) == whole, size


_CHUNKED = {size: Checker(chunk_size=size) for size in (1000, 1500)}
_WHOLE = Checker(chunk_size=1 << 24)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=50, max_size=500), st.sampled_from([1000, 1500]))
def test_chunked_streaming_equals_whole_text(pieces, size):
    text = "".join(pieces)
    whole = _WHOLE.check(text)
    for f in whole:
        assert 0 <= f.start < f.end <= len(text) and text[f.start:f.end] == f.text
    assert _dicts(_CHUNKED[size].check(text)) == _dicts(whole)
    # iter_check over uneven pieces must agree as well
    assert _dicts(_CHUNKED[size].iter_check(iter(pieces))) == _dicts(whole)


# == 4. Guarantees ==========================================================================================

def _random_texts(n: int = 30) -> list[str]:
    rng = random.Random(7)
    return ["".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(20, 200))) for _ in range(n)]


def test_every_finding_keeps_the_guarantees(checker):
    real_slips = ["坚持以新时代中国特色社会注意思想为指导。", "社会主义核心价值现深入人心。"]
    texts = (SALES_WITH_A_WARNING_WORD + NEAR_MISS_FALSE_POSITIVES + XINHUA_FALSE_POSITIVES + real_slips
             + _random_texts())
    seen = set()
    for text in texts:
        for f in checker.check(text):
            seen.add(f.category)
            assert f.category in FINDING_CATEGORIES
            assert text[f.start:f.end] == f.text
            assert re.search("[\u4e00-\u9fff]", f.explanation), f
            assert f.lexicon_version, f
            assert 0.0 <= f.confidence <= 1.0, f
            assert f.line >= 1 and f.column >= 1
    assert {PROHIBITED_MENTION, "expression_error", "typo"} <= seen


def _cli(tmp_path, text: str, *args: str) -> subprocess.CompletedProcess:
    path = tmp_path / "post.txt"
    path.write_text(text, encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "govmedia.textcheck", str(path), *args],
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


def test_cli_exit_codes(tmp_path):
    assert _cli(tmp_path, "今天天气晴朗。").returncode == 0
    assert _cli(tmp_path, "出售冰毒，加微信abc12345").returncode == 1
    bad = subprocess.run([sys.executable, "-m", "govmedia.textcheck", str(tmp_path / "missing.txt")],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2
    assert subprocess.run([sys.executable, "-m", "govmedia.textcheck", "--format", "xml", "x"],
                          capture_output=True, text=True, timeout=120).returncode == 2


def test_cli_no_spelling_drops_only_the_speller(tmp_path):
    text = "因伪下雨，为了放便群众，活动延期。工作中不能急燥。"
    spelled = json.loads(_cli(tmp_path, text, "--format", "json").stdout)[0]["findings"]
    plain = json.loads(_cli(tmp_path, text, "--format", "json", "--no-spelling").stdout)[0]["findings"]
    assert any(f["rule"].startswith("spelling:") for f in spelled)
    assert not any(f["rule"].startswith("spelling:") for f in plain)
    assert [f["text"] for f in plain] == ["急燥"]  # the listed typo stays
