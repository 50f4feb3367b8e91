"""Sentence context for list hits whose meaning depends on it (issue 8, section 2).

Three kinds of hits are judged by the words around them, never by the whole text, so the cost is per hit:

* a ``prohibited`` term in an enforcement or warning sentence (a seizure notice, a court judgement, an
  anti-fraud warning) is what government accounts publish: it becomes a ``prohibited_mention`` note;
* an ``advertising`` word quoted by a police report or a scam warning (以低价商品、限时抢购等诱饵) is no
  advertising;
* an ``advertising_context`` term (an advertising-law superlative such as 最佳, 国家级, 首发) is
  advertising only next to a commercial cue (a price, buying, a product or brand, contact-to-buy);
* a ``prohibited_context`` term (a weapon or ammunition word: 手枪, 子弹) is judged like a prohibited term
  when the sentence reports enforcement, and is prohibited otherwise only next to a sale or offer cue (a
  price, a selling word, contact or payment details): 气手枪 in sports news is nothing.

The context of a hit is its sentence: the text between the nearest sentence ends (。！？!?；; or a line
break) before and after it, but at most ``REACH`` characters on either side. Everything runs on the
compact text (noise removed, so 加 微 信 is still 加微信), whose offsets the checker already has. The cue
words of a sentence are found with one small Aho-Corasick scan of that sentence, once per sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_left

import ahocorasick_rs

from .categories import PROHIBITED, PROHIBITED_MENTION
from .lexicon import MAX_TERM_LENGTH

REACH = 80  # characters on either side of a hit; a Chinese sentence rarely runs longer
_ENDS = "。！？!?；;\n"
_END_RE = re.compile(f"[{_ENDS}]")
_CLAUSE_ENDS = frozenset("，,。！？!?；;\n")

# Cue kinds.
(JUDICIAL, FRAUD, SCAM, ENFORCEMENT, OFFER, DEFIANCE, SALE, COMMERCIAL, AD_ENFORCEMENT, TRADE, STOCK, HANDLE,
 LURE) = range(13)

_WORDS: dict[int, str] = {
    # What only a report of police or court action says: beats even an offer, since an advertiser never
    # writes that a suspect was caught or sentenced (以…罪, the charge of a judgement, is a pattern below).
    JUDICIAL: "缴获 查获 收缴 查扣 扣押 没收 搜出 搜查 查出 搜缴 起获 查封 捣毁 破获 侦破 抓获 抓捕 刑拘 刑事拘留 "
              "行政拘留 逮捕 强制措施 批捕 归案 落网 嫌疑人 被告人 涉嫌 判处 判决 宣判 有期徒刑 无期徒刑 罚金 立案 "
              "移送起诉 提起公诉 公诉",
    # What only a warning about a scam says: the contact details around it describe the scam, they are
    # not an offer.
    FRAUD: "诈骗 骗局 骗子 受骗 被骗 上当 反诈 陷阱 不法分子 受害人 受害者",
    # The part of those that an advertiser does not write even to reassure (谨防上当 does occur in ads):
    # tells a warning that quotes advertising words from advertising.
    # 反诈 is not among them: it names campaigns (反诈宣传周), which sellers borrow as a tag.
    SCAM: "诈骗 骗局 不法分子 受害人 受害者",
    # Crackdowns, police and anti-drug work, prohibitions and warnings: a note, unless the sentence also
    # offers or sells something.
    ENFORCEMENT: "公安 警方 民警 派出所 禁毒 缉毒 戒毒 毒品 涉毒 吸毒 贩毒 制毒 打击 整治 严打 专项行动 扫黄 清查 取缔 "
                 "查处 治理 检察 法院 管制 列管 鉴定 检测 远离 拒绝 抵制 严禁 禁止 不得 切勿 谨防 警惕 提醒 当心 提防 "
                 "防范 举报 危害 违法 犯罪 非法 宣传 教育",
    # An offer: contact, price, delivery (a mobile number is a pattern below).
    OFFER: " ".join(f"加{w} 加个{w}" for w in ("微信", "薇信", "威信", "v信", "vx", "wx", "v", "qq", "扣扣", "群", "我"))
           + " 微信号 私聊 私信 联系我 联系方式 电话联系 手机号 价格 价钱 多少钱 元克 元一克 元每克 每克 包邮 货到付款 "
             "现货 有货 货源 出货 发货 同城可送 同城配送 同城送货 同城交易 送货上门 代办 低价 优惠 下单 欢迎咨询 "
             "欢迎选购 有意者 需要的 有需要 懂的来 招代理 注册送 点击进入 点击链接 扫码 安全可靠 保密发货 量大从优",
    # An offer that shrugs off the police (不怕警方查获, 查不到): the police word in it reports nothing.
    DEFIANCE: "不怕 查不到 抓不到 放心 安全可靠 保密发货 绝对安全",
    # Selling words that a warning may also use (严禁出售): see _PROHIBITION.
    SALE: "出售 售卖 销售 有售 转让 收购 求购",
    # Commercial cues for advertising-law words: price, buying, product or brand, contact-to-buy, recruiting,
    # and real estate, a trade of its own in the advertising law (art. 26). ¥, 10元起, 8折 are patterns.
    COMMERCIAL: "售价 原价 现价 特价 低价 价格 优惠 促销 折扣 打折 包邮 购买 下单 抢购 选购 订购 团购 专卖 代购 热销 "
                "畅销 销量 有售 出售 直销 网购 入手 拍下 产品 商品 品牌 旗舰店 店铺 门店 网店 本店 专柜 咨询热线 "
                "咨询电话 订购热线 订购电话 购买热线 购买电话 客服 加微信 微信号 vx 代理 加盟 招商 一件代发 月入 日赚 "
                "房源 楼盘 户型 样板间 售罄 旺铺 商铺 买铺 首付 均价 开盘 认购",
    # A sentence about illegal advertising (市场监管部门查处使用“国家级”“最佳”等绝对化用语的违法广告) quotes the words.
    AD_ENFORCEMENT: "违法 违规 虚假 广告法 绝对化 查处 处罚 罚款 警惕 谨防 提醒 举报 投诉 监管 禁用 严禁 禁止 不得",
    # A trade beyond the offer words above, for weapon words that are harmless alone (气手枪 is an Olympic
    # event): a price, payment, contact to buy. A price in yuan (1800元) is a pattern below.
    # Stock and delivery: what a seller has on hand. A lure beside a term an allow phrase lengthens; the
    # offer words above already make these beat an enforcement word.
    STOCK: "现货 有货 货源 一手货源 出货 发货 包邮 货到付款 量大从优 同城可送 同城配送 同城送货 同城交易 同城速达 "
           "送货上门 保密发货 元克 元一克 元每克",
    # What lures into a gambling, pyramid or fake-job scheme: tells an offer from a listed phrase that merely
    # extends a term (足球外围赛投注 is not the 外围赛 of a qualifier).
    LURE: "投注 下注 赔率 返水 彩金 佣金 日结 兼职 稳赚 稳赚不赔 入金 高回报 高额回报 保本 躺赚 日赚 月入 注册送",
    TRADE: "售价 标价 报价 要价 交易 支付宝 微信 转账 联系电话 联系方式 请联系 可联系 联系我 货到付款 包邮",
}
_PATTERNS: dict[int, re.Pattern[str]] = {
    JUDICIAL: re.compile(r"以[^，,。！？!?；;\n]{1,12}?罪"),
    OFFER: re.compile(r"1[3-9]\d{9}"),
    COMMERCIAL: re.compile(r"¥\d|\d元(?:起|左右)|\d{1,2}折"),
    TRADE: re.compile(r"¥\d|\d元"),  # 1800元, not 5万元 (prize money, fines)
    # A working contact handle (a WeChat or QQ id, a mobile number, a web address). Not a unit price, nor a
    # stock word alone: court and police reports state both (以每克400元的价格贩卖, 货源来自境外).
    HANDLE: re.compile(r"(?:加|添加)个?(?:微信|薇信|威信|v信|vx|wx|v|qq|扣扣)(?:号|好友)?[:：]?[a-z0-9_]{5,20}"
                       r"|(?:微信|vx|wx|qq|扣扣)号?[:：][a-z0-9_]{5,20}|(?<!\d)1[3-9]\d{9}(?!\d)|https?:|www[a-z0-9]"),
}
# Negations that turn a judicial or scam cue into its opposite: 不怕查获, 绝不是骗局 are an advertiser's words.
_NEGATIONS = ("不怕", "不会", "绝不", "绝非", "并非", "决不", "从不", "没有", "不是", "防止被", "避免被", "不用怕",
              "不担心", "不会被")
_NEGATED_KINDS = frozenset({JUDICIAL, FRAUD, SCAM})
_HOTLINE = re.compile(r"举报|报警|热线|投诉|监督|值班|咨询|求助|反诈专线")
# The cue kinds that turn a hit into a note or silence it: they must stand as words of their own.
_WORD_KINDS = frozenset({JUDICIAL, FRAUD, SCAM, ENFORCEMENT, AD_ENFORCEMENT})
# Continuations that make a cue another word: 没收到 is "not received", not a confiscation.
_GLUED_AFTER = {"没收": "到"}
# A prohibition before a selling word in the same clause: 禁止制造、销售仿真枪, 严禁向未成年人出售.
_PROHIBITION = re.compile(r"(?:严禁|禁止|不得|切勿|不要|非法|拒绝|涉嫌|不准|谨防|警惕)[^，,。！？!?；;\n]{0,8}$")

# A level word (国家级, 世界级) followed, within its clause, by what was awarded that level is an official
# designation (国家级农产品质量安全县, 国家级非遗代表性传承人), not a claim about a product.
_LEVEL_WORD = re.compile(r"(?:国家|省|世界|国际|全球)级$")
_DESIGNATION = re.compile(
    r"[^，,。！？!?；;、\n]{0,12}?(?:新区|开发区|园区|产业园|示范|试点|基地|中心|实验室|保护区|公园|景区|度假区|遗产|非遗"
    r"|传承人|县|称号|荣誉|奖|平台|重点|标准|文明|卫生|专精特新|小巨人|龙头企业|孵化器|众创空间|课程|人才|运动员|裁判"
    r"|项目|港口|城市|赛事|展会|博览会|展览会|交易会|论坛)")
# An award or designation conferred (获评“中国驰名商标”, 被认定为国家级…) reports a title, not a claim.
_AWARDED = re.compile(r"(?:获评|荣获|获得|获颁|被评为|评为|认定为|授予|入选|列为|入围)[“\"‘'「《]?[^，,。！？!?；;\n]{0,6}$")


def _build() -> tuple[ahocorasick_rs.AhoCorasick, list[str], list[frozenset[int]]]:
    kinds: dict[str, set[int]] = {}
    for kind, words in _WORDS.items():
        for word in words.split():
            kinds.setdefault(word, set()).add(kind)
    words = list(kinds)
    return ahocorasick_rs.AhoCorasick(words), words, [frozenset(kinds[w]) for w in words]


_AUTOMATON, _CUE_WORDS, _CUE_KINDS = _build()


def sentence(ctext: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around [start, end) of the compact text, at most REACH characters on either side."""
    lo = max(0, start - REACH)
    found = _END_RE.search(ctext[lo:start][::-1])  # the nearest end before the hit, searched backwards
    a = start - found.start() if found else lo
    hi = min(len(ctext), end + REACH)
    found = _END_RE.search(ctext, end, hi)
    return a, (found.start() if found else hi)


class Context:
    """The cues of the sentences of one compact text, found once per sentence; ``allows`` are the sorted
    allow-phrase spans of the same text (a cue inside one, 税收优惠, does not count)."""

    def __init__(self, ctext: str, allows: list[tuple[int, int]]):
        self.ctext = ctext
        self.allows = allows
        self._cues: dict[tuple[int, int, int], list[tuple[int, int, str, frozenset[int]]]] = {}
        self._tokens: dict[tuple[int, int], list[tuple[int, int]]] = {}

    def _sentence_cues(self, a: int, b: int, *kinds: int) -> list[tuple[int, int, str, frozenset[int]]]:
        """The cue words of the sentence [a, b), plus the pattern cues of ``kinds`` (only those asked for:
        a regular expression costs more than the whole word scan)."""
        cues = self._cues.get((a, b, -1))
        if cues is None:
            ctext = self.ctext
            cues = []
            for pid, s, e in _AUTOMATON.find_matches_as_indexes(ctext[a:b], overlapping=True):
                word, found = _CUE_WORDS[pid], _CUE_KINDS[pid]
                s, e = s + a, e + a
                if word == "产品" and s > 0 and ctext[s - 1] == "农":
                    continue  # 农产品 is government prose
                if found & _NEGATED_KINDS and ctext.endswith(_NEGATIONS, max(0, s - 3), s):
                    found = found - _NEGATED_KINDS
                if found & _WORD_KINDS and self._glued(a, b, s, e):
                    continue  # 没收 in 没收到货, 上当 in 马上当天: part of another word
                cues.append((s, e, word, found))
            self._cues[(a, b, -1)] = cues
        if not kinds:
            return cues
        return cues + [cue for kind in kinds for cue in self._pattern_cues(a, b, kind)]

    def _glued(self, a: int, b: int, s: int, e: int) -> bool:
        """Whether the cue word at [s, e) is part of other words of the sentence [a, b): a word of the
        segmentation straddles one of its ends (马上|当天 around 上当), or it reads on into a listed
        continuation (没收到 is "not received"). The sentence is segmented once, only when a cue needs it."""
        ctext = self.ctext
        if ctext.startswith(_GLUED_AFTER.get(ctext[s:e], "\0"), e):
            return True
        spans = self._tokens.get((a, b))
        if spans is None:
            import rjieba  # loads its dictionary on first use, only when a sentence has such a cue

            spans, at = [], a
            for token in rjieba.cut(ctext[a:b]):
                spans.append((at, at + len(token)))
                at += len(token)
            self._tokens[(a, b)] = spans
        return any(ts < s < te < e or s < ts < e < te for ts, te in spans)

    def offer_signal(self, start: int, end: int, *, inside: bool = False) -> str | None:
        """A real offer in the sentence of [start, end): a contact handle, outside the hit unless ``inside``
        (an advertising finding may be the handle itself)."""
        a, b = sentence(self.ctext, start, end)
        cues = self._pattern_cues(a, b, HANDLE)
        if inside:
            return cues[0][2] if cues else None
        return self._first(cues, HANDLE, start, end)

    def lure(self, start: int, end: int) -> str | None:
        """A lure, stock, offer or selling word in the sentence of [start, end), outside it, or a handle."""
        a, b = sentence(self.ctext, start, end)
        cues = self._sentence_cues(a, b)
        for kind in (LURE, STOCK, OFFER, SALE):
            cue = self._first(cues, kind, start, end)
            if cue:
                return cue
        return self.offer_signal(start, end)

    def _pattern_cues(self, a: int, b: int, kind: int) -> list[tuple[int, int, str, frozenset[int]]]:
        cues = self._cues.get((a, b, kind))
        if cues is None:
            ctext = self.ctext
            cues = []
            for m in _PATTERNS[kind].finditer(ctext, a, b):
                s, e = m.span()
                if kind == OFFER and (ctext[s - 1 : s].isdigit() or ctext[e : e + 1].isdigit()):
                    continue
                if kind == JUDICIAL and ctext.endswith(_NEGATIONS, max(0, s - 3), s):
                    continue
                if kind in (HANDLE, OFFER) and _HOTLINE.search(ctext, max(a, s - 10), s):
                    continue  # 举报电话13800000000 in an anti-drug notice is the police's number, not a seller's
                cues.append((s, e, m.group(), frozenset({kind})))
            self._cues[(a, b, kind)] = cues
        return cues

    def _first(self, cues, kind: int, start: int, end: int, allows=None) -> str | None:
        """The first cue of ``kind`` that is not part of the hit [start, end) itself nor of an allow phrase."""
        for s, e, word, kinds in cues:
            if kind not in kinds or s >= start and e <= end:
                continue
            if allows and any(x <= s and e <= y for x, y in allows):
                continue
            return word
        return None

    def judge_prohibited(self, start: int, end: int) -> tuple[str, str | None]:
        """(category, cue) for a prohibited term at [start, end) of the compact text.

        In order: an offer defying the police → prohibited; a judicial report → note; a scam warning →
        note; an offer → prohibited; an enforcement or warning word → note, unless a selling word stands
        outside the term with no prohibition before it; nothing → prohibited. The patterns (以…罪, a
        mobile number) run only when the words have not decided."""
        ctext = self.ctext
        a, b = sentence(ctext, start, end)
        cues = self._sentence_cues(a, b)
        if not cues:
            return PROHIBITED, None
        offer = any(OFFER in kinds for *_, kinds in cues) or None
        if any(DEFIANCE in kinds for *_, kinds in cues):
            offer = offer or bool(self._pattern_cues(a, b, OFFER))
            if offer:
                return PROHIBITED, None
        if self.offer_signal(start, end):
            return PROHIBITED, None  # a seller does not become a warning by slipping in 反诈 or 立案
        cue = self._first(cues, JUDICIAL, start, end)
        if cue is None and ctext.find("罪", a, b) >= 0:
            cue = self._first(self._pattern_cues(a, b, JUDICIAL), JUDICIAL, start, end)
        cue = cue or self._first(cues, FRAUD, start, end)
        if cue:
            return PROHIBITED_MENTION, cue
        if offer or offer is None and self._pattern_cues(a, b, OFFER):
            return PROHIBITED, None
        cue = self._first(cues, ENFORCEMENT, start, end)
        if cue and not self._selling(cues, a, start, end):
            return PROHIBITED_MENTION, cue
        return PROHIBITED, None

    def judge_offered(self, start: int, end: int) -> tuple[str | None, str | None]:
        """(category, cue) for a term that is prohibited only when offered (a weapon word) at [start, end).

        A judicial report or a scam warning (``judge_prohibited``) → note; an offer, price, payment or
        contact cue → prohibited; an enforcement word → note, even beside a selling word, since reports on
        gun trafficking name its trade (制贩枪支团伙的销售环节); a selling word without a prohibition before
        it → prohibited; nothing → (None, None): 气手枪 in sports news."""
        verdict, cue = self.judge_prohibited(start, end)
        if verdict == PROHIBITED_MENTION:
            return verdict, cue
        a, b = sentence(self.ctext, start, end)
        cues = self._sentence_cues(a, b, OFFER, TRADE)
        offer = self._first(cues, OFFER, start, end) or self._first(cues, TRADE, start, end)
        if offer:
            return PROHIBITED, offer
        cue = self._first(cues, ENFORCEMENT, start, end)
        if cue:
            return PROHIBITED_MENTION, cue
        for s, e, word, kinds in cues:
            if SALE in kinds and (s < start or e > end) and not self._prohibited_sale(a, s):
                return PROHIBITED, word
        return None, None

    def _prohibited_sale(self, a: int, s: int) -> bool:
        """Whether a prohibition stands before the selling word at ``s`` in its clause (禁止制造、销售仿真枪)."""
        return bool(_PROHIBITION.search(self.ctext, max(a, s - 12), s))

    def _selling(self, cues, a: int, start: int, end: int) -> bool:
        for s, e, _, kinds in cues:
            if SALE in kinds and (s < start or e > end) and not self._prohibited_sale(a, s):
                return True
        return False

    def quoted_by_a_report(self, start: int, end: int) -> str | None:
        """The cue that makes the sentence around [start, end) a police or court report or a scam warning,
        which quotes an advertisement's words rather than advertising; or None. An advertisement giving a
        contact handle or a price is never a quotation: a warning does not print the scammer's id."""
        ctext = self.ctext
        if self.offer_signal(start, end, inside=True):
            return None
        a, b = sentence(ctext, start, end)
        cues = self._sentence_cues(a, b, JUDICIAL) if ctext.find("罪", a, b) >= 0 else self._sentence_cues(a, b)
        return self._first(cues, JUDICIAL, start, end) or self._first(cues, SCAM, start, end)

    def commercial_cue(self, start: int, end: int) -> str | None:
        """The commercial cue that makes an advertising-law word at [start, end) advertising, or None (no
        cue in its sentence, an official designation, or a sentence about illegal advertising)."""
        ctext = self.ctext
        a, b = sentence(ctext, start, end)
        if _LEVEL_WORD.search(ctext, start, end) and _DESIGNATION.match(ctext, end, b):
            return None
        if _AWARDED.search(ctext, max(a, start - 12), start):
            return None
        cues = self._sentence_cues(a, b, JUDICIAL) if ctext.find("罪", a, b) >= 0 else self._sentence_cues(a, b)
        if any(JUDICIAL in kinds or AD_ENFORCEMENT in kinds for *_, kinds in cues):
            return None
        cues = cues + self._pattern_cues(a, b, COMMERCIAL)
        return self._first(cues, COMMERCIAL, start, end, _near(self.allows, a, b))


def _near(allows: list[tuple[int, int]], a: int, b: int) -> list[tuple[int, int]]:
    """The sorted allow spans that can overlap [a, b): an allow phrase is at most MAX_TERM_LENGTH long."""
    i = bisect_left(allows, (a - MAX_TERM_LENGTH,))
    j = bisect_left(allows, (b,), i)
    return [span for span in allows[i:j] if span[1] > a]
