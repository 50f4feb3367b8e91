"""Built-in pattern rules for what word lists cannot cover: prices, contacts, secret markings, opinions.

A rule never scans the whole text. It declares *trigger* literals that go into the single Aho-Corasick
automaton with the lexicon terms; only where a trigger is found is the rule's regular expression run,
on a small window around it. That keeps the cost of a dozen rules close to zero on clean text.

Patterns run on the compact text (folded: lower case, half-width letters and digits, simplified; noise
such as spaces, '-', '.', '*' removed; ',!?:;()' and their full-width forms kept, unfolded) unless
``space`` is "folded" (URLs need their dots).
Every quantifier is bounded so a match stays far shorter than the window.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from .categories import (
    ADVERTISING,
    ADVERTISING_CONTEXT,
    LABEL,
    PERSONAL_OPINION,
    PROHIBITED,
    PROHIBITED_CONTEXT,
    PROHIBITED_MENTION,
    SECRET_MARKING,
    SENSITIVE_TOPIC,
)

COMPACT, FOLDED = "compact", "folded"
# A header rule looks at the folded text right around its trigger: only the line start before it and
# the character after it matter, so it costs almost nothing however often the word occurs.
HEADER = "header"
WINDOW = {COMPACT: 64, FOLDED: 160, HEADER: 40}  # characters searched on each side of a trigger


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    category: str
    label: str  # Chinese, shown in the explanation
    pattern: re.Pattern[str]
    triggers: tuple[str, ...]
    space: str = COMPACT


def _rule(rule_id: str, category: str, label: str, pattern: str, triggers: str, space: str = COMPACT) -> Rule:
    return Rule(rule_id, category, label, re.compile(pattern), tuple(triggers.split()), space)


_NUM_CN = "一二两三四五六七八九十百千万几数多"
_PRICE_WORDS = ("原价 现价 特价 售价 仅售 只售 秒杀价 团购价 优惠价 折后价 到手价 活动价 抢购价 零售价 批发价 "
                "促销价 会员价 限时价 出厂价 特惠价 券后价")
# Only unmistakably commercial words: 批发/零售/促销 also name regulated trades in official notices.
_SELL_WORDS = "订购 出售 代购 团购 订货 招商加盟 热销 售卖 有售 欢迎选购 抢购 量大从优 货源充足 厂家直销 下单"
_WECHAT = "微信|薇信|威信|v信|vx|wx|weixin|扣扣|qq"
_SHOPS = "淘宝|天猫|京东|拼多多|微店|有赞|闲鱼|唯品会|苏宁易购|抖音|快手"
# A classification word heading a line or the text (after indentation as deep as a centred header, a
# Markdown '#', a ★ or a title label), perhaps spaced out (机 密) or bracketed (【机密】, 〔秘密〕), and followed
# by a space, ★, a period, a closing bracket or the end of the line: a document's marking. A colon counts
# only before a document title (机密：关于…); 内部：强化管理 and 秘密：如何守护… are headings of prose. The
# finding is the word alone (group ``w``).
_GAP = "[ \t\u3000\u200b\u200c\u200d\u2060\ufeff]"
_HEADER_MARKING = (
    r"(?:(?<![\s\S])|(?<=\n))[ \t\u3000]{0,24}(?:#{1,6}[ \t]*|[★☆][ \t]*|标题[:：][ \t]*)?[【〔〖［\[（(]?[ \t]*"
    rf"(?P<w>[绝机秘]{_GAP}{{0,2}}密|内部资料|内部)"
    r"(?=[ \t\u3000★☆.。】〕〗］\]）)]|\n|\Z|[:：][ \t]*(?:关于|\n|\Z))")
_CASUALTY = "死亡 遇难 罹难 丧生 身亡 受伤 失踪 被困 重伤 轻伤 伤亡 殉职"

RULES: tuple[Rule, ...] = (
    _rule("ad.price", ADVERTISING, "促销价格",
          rf"(?:{'|'.join(_PRICE_WORDS.split())})[:：]?(?:¥|rmb)?\d{{1,9}}(?:元|块)?", _PRICE_WORDS),
    _rule("ad.currency", ADVERTISING, "标价", r"¥\d{1,9}(?:元|起)?", "¥"),
    _rule("ad.discount", ADVERTISING, "打折优惠",
          r"(?<!\d)\d{1,2}折(?![叠线扣服射返腾])|打[一二三四五六七八九]折|[一二三四五六七八九]折(?:起|优惠|特惠|促销)"
          r"|(?<!不)(?<!不能)(?<!不会)(?<!不得)打折(?![扣、，,])|折扣(?:价|券|码|优惠)|优惠券|满\d{1,5}减\d{1,5}|买[一二三\d]送[一二三\d]"
          r"|第二件半价",
          "折 券 满 买一 买二 买三 买1 买2 买3 半价"),
    _rule("ad.promo", ADVERTISING, "促销用语",
          r"限时(?:优惠|特价|抢购|折扣|秒杀|促销|特惠|包邮|免费领)|包邮|秒杀|清仓(?:甩卖|处理|大促|特卖)"
          r"|扫码(?:购买|下单|领取优惠|抢购|购物)|(?:点击|立即|马上)(?:购买|下单|抢购)"
          r"|下单(?:立减|即送|有礼|返现)|拍下(?:立减|即送|改价)|(?:厂家|工厂)直销|欢迎(?:选购|订购|批发)"
          r"|量大从优|全网最低价?",
          "限时 包邮 秒杀 清仓 扫码 购买 下单 抢购 拍下 直销 欢迎 量大从优 全网最低"),
    _rule("ad.contact", ADVERTISING, "添加联系方式",
          rf"(?:加|添加)个?(?:{_WECHAT})(?:号|好友)?(?:[:：]?[a-z0-9_]{{5,20}})?"
          r"|加v(?=[:：0-9a-z])(?:[:：]?[a-z0-9_]{5,20})?",
          " ".join(f"加{w} 添加{w} 加个{w}" for w in _WECHAT.split("|")) + " 加v"),
    _rule("ad.sell_contact", ADVERTISING, "售卖信息附联系方式",
          rf"(?:{'|'.join(_SELL_WORDS.split())})(?:(?!举报|投诉|监督)[^\n。!?！？]){{0,20}}?"
          rf"(?:1[3-9]\d{{9}}|0\d{{2,3}}\d{{7,8}}|400\d{{7}}|(?:微信|vx|wx|qq)号?[:：]?[a-z0-9_]{{5,20}})",
          _SELL_WORDS),
    _rule("ad.shop", ADVERTISING, "网店推广",
          rf"(?:{_SHOPS})(?:店铺|旗舰店|专卖店|专营店|小店|同款|下单|购买|商城|橱窗|自营|链接)"
          r"|(?:淘宝|天猫|京东|拼多多)搜索|淘口令|复制(?:口令|这段|本条)|¥[a-z0-9]{8,13}¥",
          " ".join(_SHOPS.split("|")) + " 淘口令 复制 ¥"),
    _rule("ad.url", ADVERTISING, "电商链接",
          r"(?<![a-z0-9-])(?:https?://)?(?:[a-z0-9-]{1,30}\.){0,4}"
          r"(?:taobao|tmall|jd|pinduoduo|yangkeduo|weidian|youzan|1688|suning|vip|tb)\.(?:com|cn|net)"
          r"(?:/[!-~]{0,80})?",
          "taobao tmall jdcom pinduoduo yangkeduo weidian youzan 1688com suning vipcom tbcn", FOLDED),
    _rule("secret.star", SECRET_MARKING, "密级标志",
          r"(?:绝密|机密|秘密)[★☆](?:\d{1,3}年|\d{1,3}个月|长期)?|(?:绝密|机密|秘密)\d{1,3}年(?![a-z0-9])"
          r"|[★☆](?:\d{1,3}年|长期)",
          "绝密 机密 秘密 ★ ☆"),
    # A classification word heading a line or the text, followed by a space, ★, a period, a colon or the
    # end of the line, is a document's marking (机密 关于…的通知, 秘密．); in running text it is not.
    _rule("secret.header", SECRET_MARKING, "密级标志（文头）", _HEADER_MARKING, "绝密 机密 秘密 内部", HEADER),
    _rule("secret.level", SECRET_MARKING, "密级标注", r"(?<![绝机秘])密级[:：]?(?:绝密|机密|秘密|内部)", "密级"),
    _rule("secret.internal", SECRET_MARKING, "内部资料标识",
          r"内部资料[,，]?(?:注意保存|妥善保管|请勿外传|不得外传|严禁外传|注意保密|不得翻印)|内部文件"
          r"|(?:不得|严禁|禁止|请勿|切勿|不准|不要)(?:对外)?外传|(?:仅供|仅限)内部(?:参考|使用|传阅|学习|交流)"
          r"|内部(?:传阅|参阅)(?:资料)?",
          "内部资料 内部文件 外传 仅供内部 仅限内部 内部传阅 内部参阅"),
    _rule("opinion.first_person", PERSONAL_OPINION, "第一人称观点",
          r"(?<!自)我(?:个人)?(?:认为|觉得|感觉|以为|估计|相信|猜|想说|坚信|怀疑)|个人(?:认为|觉得|感觉|看法|观点)"
          r"|在我看来|本人(?:认为|觉得)|依我看|说实话|老实说|说句心里话|讲真",
          "我认为 我觉得 我感觉 我以为 我估计 我相信 我猜 我想说 我坚信 我怀疑 我个人 个人认为 个人觉得 个人感觉 "
          "个人看法 个人观点 在我看来 本人认为 本人觉得 依我看 说实话 老实说 说句心里话 讲真"),
    _rule("opinion.emotion", PERSONAL_OPINION, "情绪化表述",
          r"太(?:气人|恶心|过分|离谱|可恶|坑人|扯|无语|搞笑)了|气死(?:我|人)了?|简直(?:是)?(?:太|气死|无语|离谱|恶心"
          r"|笑死|忍无可忍|岂有此理|莫名其妙|不可理喻)|无语了|呵呵|哈哈哈|吐槽|真是服了|笑死(?:我|人)?了?|恶心死了|卧槽"
          r"|[!?！？]{3,8}",
          "太 气死 简直 无语了 呵呵 哈哈哈 吐槽 真是服了 笑死 恶心死了 卧槽 !! ?? !? ?! ！！ ？？ ！？ ？！ !！ ！! ?？ ？?"),
    _rule("sensitive.casualty", SENSITIVE_TOPIC, "伤亡事故",
          rf"(?:\d{{1,6}}|[{_NUM_CN}]{{1,6}})(?:人|名|位)[^\d,.!?;，。！？；\n]{{0,6}}?"
          rf"(?:{'|'.join(_CASUALTY.split())})"
          r"|(?:造成|致使|导致|致)(?:人员|群众)?(?:死亡|伤亡|遇难|失踪)",
          _CASUALTY),
)

RULES_VERSION = hashlib.sha256("\n".join(
    f"{r.id}\t{r.category}\t{r.pattern.pattern}\t{' '.join(r.triggers)}\t{r.space}" for r in RULES
).encode()).hexdigest()[:12]


_RULE_LABEL = {rule.id: rule.label for rule in RULES}


def describe_rule(rule_id: str, category: str, suggestion: str | None = None) -> str:
    """A finding's rule in Chinese words for people, e.g. "错别字词库：再接再励→再接再厉",
    "商业广告规则：打折优惠", "规范表述近似错误：应为“…”"; the id itself is for the record."""
    label = LABEL.get(category, category)
    kind, _, rest = rule_id.partition(":")
    if kind == "lex":  # lex:<category>:<term>, from the matcher
        listed, _, term = rest.partition(":")
        if listed == ADVERTISING_CONTEXT:
            return f"广告法绝对化用语（与商业线索同句）：{term}"
        if listed == PROHIBITED_CONTEXT:
            if category == PROHIBITED_MENTION:
                return f"枪支弹药用语：{term}（执法或警示语境，仅作提示）"
            return f"枪支弹药用语（与出售、价格、联系交易同句）：{term}"
        if category == PROHIBITED_MENTION:
            return f"{LABEL[PROHIBITED]}词库：{term}（执法或警示语境，仅作提示）"
        return f"{label}词库：{term}→{suggestion}" if suggestion else f"{label}词库：{term}"
    if kind == "canonical":  # canonical:<phrase>, a near miss of a 规范表述
        return f"规范表述近似错误：应为“{rest}”"
    if rule_id in _RULE_LABEL:
        return f"{label}规则：{_RULE_LABEL[rule_id]}"
    return label
