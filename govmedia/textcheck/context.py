"""Sentence context for list hits whose meaning depends on it (issue 8, section 2).

Two kinds of hits are judged by the words around them, never by the whole text, so the cost is per hit:

* a ``prohibited`` term in an enforcement or warning sentence (a seizure notice, a court judgement, an
  anti-fraud warning) is what government accounts publish: it becomes a ``prohibited_mention`` note;
* an ``advertising_context`` term (an advertising-law superlative such as 最佳, 国家级, 首发) is
  advertising only next to a commercial cue (a price, buying, a product or brand, contact-to-buy).

The context of a hit is its sentence: the text between the nearest sentence ends (。！？!?；; or a line
break) before and after it, but at most ``REACH`` characters on either side. Everything runs on the
compact text (noise removed, so 加 微 信 is still 加微信), whose offsets the checker already has.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from .categories import PROHIBITED, PROHIBITED_MENTION
from .lexicon import MAX_TERM_LENGTH

REACH = 80  # characters on either side of a hit; a Chinese sentence rarely runs longer
_ENDS = "。！？!?；;\n"
_END_RE = re.compile(f"[{_ENDS}]")

# Negations that turn a cue into its opposite: 不怕查获 in an offer is not a seizure.
_NOT = "".join(f"(?<!{n})" for n in ("不怕", "不会", "不会被", "绝不", "绝非", "并非", "决不", "从不", "没有",
                                      "不是", "防止被", "避免被", "不用怕", "不担心"))

# What only a report of police or court action says: beats even an offer, since an advertiser never
# writes that a suspect was caught or sentenced. 以…罪 is the charge of a judgement (以贩卖毒品罪判处).
_JUDICIAL = re.compile(
    _NOT + r"(?:缴获|查获|收缴|查扣|扣押|没收|搜出|搜查|查出|搜缴|起获|查封|捣毁|破获|侦破|抓获|抓捕|刑拘|刑事拘留"
    r"|行政拘留|逮捕|强制措施|批捕|归案|落网|嫌疑人|被告人|涉嫌|判处|判决|宣判|有期徒刑|无期徒刑|罚金|立案|移送起诉"
    r"|提起公诉|公诉"
    r"|以[^，,。！？!?；;\n]{1,12}?罪)")
# What only a warning about a scam says (诈骗, 骗局, 受害人): the contact details around it describe the
# scam, they are not an offer. Negated forms (绝不是骗局) are an advertiser's reassurance.
_FRAUD_WARNING = re.compile(_NOT + r"(?:诈骗|骗局|骗子|受骗|被骗|上当|反诈|陷阱|不法分子|受害人|受害者)")
# The part of the scam warnings that an advertiser does not write even to reassure (谨防上当 does occur in
# ads): used to tell a warning that quotes advertising words from advertising.
_SCAM_REPORT = re.compile(_NOT + r"(?:诈骗|骗局|不法分子|受害人|受害者|反诈)")
# Crackdowns, police and anti-drug work, prohibitions and warnings: a note, unless the sentence also
# offers or sells something.
_ENFORCEMENT = re.compile(
    r"公安|警方|民警|派出所|禁毒|缉毒|戒毒|毒品|涉毒|吸毒|贩毒|制毒|打击|整治|严打|专项行动|扫黄|清查|取缔|查处|治理"
    r"|检察|法院|管制|列管|鉴定|检测"
    r"|远离|拒绝|抵制|严禁|禁止|不得|切勿|谨防|警惕|提醒|当心|提防|防范|举报|危害|违法|犯罪|非法|宣传|教育")
# An offer: contact, price, delivery. Keeps a term prohibited next to anything but a judicial report or a
# scam warning.
_OFFER = re.compile(
    r"加个?(?:微信|薇信|威信|v信|vx|wx|v|qq|扣扣|群|我)|微信号|私聊|私信|联系我|联系方式|电话联系|手机号"
    r"|(?<!\d)1[3-9]\d{9}(?!\d)|价格|价钱|多少钱|元克|元一克|元每克|每克|包邮|货到付款|现货|有货|货源|出货|发货"
    r"|同城(?:可送|配送|送货|交易)|送货上门|代办|低价|优惠|下单|欢迎咨询|欢迎选购|有意者|需要的|有需要|懂的来|招代理"
    r"|注册送|点击进入|点击链接|扫码|安全可靠|保密发货|量大从优")
# An offer that shrugs off the police (不怕警方查获, 查不到): the police word in it reports nothing.
_DEFIANCE = re.compile(r"不怕|查不到|抓不到|放心|安全可靠|保密发货|绝对安全")
# Selling words that a warning may also use (严禁出售); they keep a term prohibited unless a prohibition
# stands before them in the same clause (禁止制造、销售) or the sentence reports police or court action.
_SALE = re.compile(r"出售|售卖|销售|有售|转让|收购|求购")
_PROHIBITION = re.compile(r"(?:严禁|禁止|不得|切勿|不要|非法|拒绝|涉嫌|不准|谨防|警惕)[^，,。！？!?；;\n]{0,8}$")

# Commercial cues for advertising-law words. 优惠 and 品牌 also occur in government prose (优惠政策,
# 区域公用品牌): those phrases are allow entries, and a cue inside an allow phrase does not count.
_COMMERCIAL = re.compile(
    r"¥\d|\d元(?:起|左右)|售价|原价|现价|特价|低价|价格|优惠|促销|折扣|打折|(?<!\d)\d{1,2}折|包邮"
    r"|购买|下单|抢购|选购|订购|团购|专卖|代购|热销|畅销|销量|有售|出售|直销|网购|入手|拍下"
    r"|(?<!农)产品|商品|品牌|旗舰店|店铺|门店|网店|本店|专柜"
    r"|(?:咨询|订购|购买|客服)(?:热线|电话)|客服|加微信|微信号|vx|代理|加盟|招商|一件代发|月入|日赚"
    # real estate, a trade of its own in the advertising law (art. 26)
    r"|房源|楼盘|户型|样板间|售罄|旺铺|商铺|买铺|首付|均价|开盘|认购")
# A level word (国家级, 世界级) followed, within its clause, by what was awarded that level is an official
# designation (国家级农产品质量安全县, 国家级非遗代表性传承人), not a claim about a product.
_LEVEL_WORD = re.compile(r"(?:国家|省|世界|国际|全球)级$")
_DESIGNATION = re.compile(
    r"[^，,。！？!?；;、\n]{0,12}?(?:新区|开发区|园区|产业园|示范|试点|基地|中心|实验室|保护区|公园|景区|度假区|遗产|非遗"
    r"|传承人|县|称号|荣誉|奖|平台|重点|标准|文明|卫生|专精特新|小巨人|龙头企业|孵化器|众创空间|课程|人才|运动员|裁判"
    r"|项目|港口|城市|赛事)")
# A sentence about illegal advertising (市场监管部门查处使用“国家级”“最佳”等绝对化用语的违法广告) quotes the words.
_AD_ENFORCEMENT = re.compile(r"违法|违规|虚假|广告法|绝对化|查处|处罚|罚款|警惕|谨防|提醒|举报|投诉|监管|禁用|严禁|禁止|不得")


def sentence(ctext: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around [start, end) of the compact text, at most REACH characters on either side."""
    lo = max(0, start - REACH)
    a = max(ctext.rfind(ch, lo, start) for ch in _ENDS) + 1 or lo
    hi = min(len(ctext), end + REACH)
    found = _END_RE.search(ctext, end, hi)
    return a, (found.start() if found else hi)


def _outside(pattern: re.Pattern[str], ctext: str, a: int, b: int, start: int, end: int,
             allows: list[tuple[int, int]] | None = None) -> str | None:
    """The first match of ``pattern`` in [a, b) that is not part of the hit [start, end) itself nor of
    an allow phrase; None when there is none."""
    for m in pattern.finditer(ctext, a, b):
        s, e = m.span()
        if s >= start and e <= end:
            continue
        if allows and any(x <= s and e <= y for x, y in allows):
            continue
        return m.group()
    return None


def judge_prohibited(ctext: str, start: int, end: int) -> tuple[str, str | None]:
    """(category, cue) for a prohibited term at [start, end) of the compact text.

    In order: an offer defying the police → prohibited; a judicial report → note; a scam warning → note; an offer → prohibited; an enforcement or
    warning word → note, unless a selling word stands outside the term; nothing → prohibited."""
    a, b = sentence(ctext, start, end)
    offer = _OFFER.search(ctext, a, b)
    if offer and _DEFIANCE.search(ctext, a, b):
        return PROHIBITED, None
    cue = _outside(_JUDICIAL, ctext, a, b, start, end) or _outside(_FRAUD_WARNING, ctext, a, b, start, end)
    if cue:
        return PROHIBITED_MENTION, cue
    if offer:
        return PROHIBITED, None
    cue = _outside(_ENFORCEMENT, ctext, a, b, start, end)
    if cue and not _selling(ctext, a, b, start, end):
        return PROHIBITED_MENTION, cue
    return PROHIBITED, None


def _selling(ctext: str, a: int, b: int, start: int, end: int) -> bool:
    for m in _SALE.finditer(ctext, a, b):
        s, e = m.span()
        if (s < start or e > end) and not _PROHIBITION.search(ctext, max(a, s - 12), s):
            return True
    return False


def quoted_by_a_report(ctext: str, start: int, end: int) -> str | None:
    """The cue that makes the sentence around [start, end) a police or court report or a scam warning,
    which quotes an advertisement's words (以低价商品、限时抢购等诱饵) rather than advertising; or None."""
    a, b = sentence(ctext, start, end)
    return _outside(_JUDICIAL, ctext, a, b, start, end) or _outside(_SCAM_REPORT, ctext, a, b, start, end)


def commercial_cue(ctext: str, start: int, end: int, allows: list[tuple[int, int]]) -> str | None:
    """The commercial cue that makes an advertising-law word at [start, end) advertising, or None (no
    cue in its sentence, or the sentence warns about or reports on such advertising)."""
    a, b = sentence(ctext, start, end)
    if _LEVEL_WORD.search(ctext, start, end) and _DESIGNATION.match(ctext, end, b):
        return None
    cue = _outside(_COMMERCIAL, ctext, a, b, start, end, _near(allows, a, b))
    if cue is None or _JUDICIAL.search(ctext, a, b) or _AD_ENFORCEMENT.search(ctext, a, b):
        return None
    return cue


def _near(allows: list[tuple[int, int]], a: int, b: int) -> list[tuple[int, int]]:
    """The sorted allow spans that can overlap [a, b): an allow phrase is at most MAX_TERM_LENGTH long."""
    i = bisect_left(allows, (a - MAX_TERM_LENGTH,))
    j = bisect_left(allows, (b,), i)
    return [span for span in allows[i:j] if span[1] > a]
