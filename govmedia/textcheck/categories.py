"""The stable category codes of the content checker, their severities and Chinese labels.

Codes are stored with findings and shown to users, so they never change; labels may be reworded.
"""

from __future__ import annotations

EXPRESSION_ERROR = "expression_error"
TYPO = "typo"
PROHIBITED = "prohibited"
ADVERTISING = "advertising"
SECRET_MARKING = "secret_marking"
PERSONAL_OPINION = "personal_opinion"
SENSITIVE_TOPIC = "sensitive_topic"
# A prohibited term in an enforcement or warning sentence (a seizure notice, an anti-fraud warning): what
# government accounts publish, so only a note. Derived by the checker from ``prohibited`` entries, never
# listed in a lexicon.
PROHIBITED_MENTION = "prohibited_mention"

# Lexicon-only pseudo categories: they declare data for other mechanisms and never become findings.
CANONICAL = "canonical"
ALLOW = "allow"
# An advertising-law word (极限词 such as 最佳, 国家级, 首个) that is advertising only next to a commercial cue
# (a price, buying, a product or brand, contact-to-buy) in the same sentence; reported as ``advertising``.
ADVERTISING_CONTEXT = "advertising_context"
# A weapon or ammunition word (手枪, 子弹, 消声器) that is ``prohibited`` only when a sale or offer stands in
# the same sentence and a ``prohibited_mention`` note in an enforcement sentence; otherwise (气手枪 in
# sports news) nothing.
PROHIBITED_CONTEXT = "prohibited_context"

HIGH, MEDIUM, LOW, INFO = "high", "medium", "low", "info"

SEVERITY: dict[str, str] = {
    EXPRESSION_ERROR: HIGH,
    PROHIBITED: HIGH,
    SECRET_MARKING: HIGH,
    TYPO: MEDIUM,
    ADVERTISING: MEDIUM,
    PERSONAL_OPINION: LOW,
    SENSITIVE_TOPIC: INFO,
    PROHIBITED_MENTION: INFO,
}

LABEL: dict[str, str] = {
    EXPRESSION_ERROR: "严重表述错误",
    TYPO: "错别字",
    PROHIBITED: "违法有害信息",
    ADVERTISING: "商业广告",
    SECRET_MARKING: "涉密标识",
    PERSONAL_OPINION: "个人观点或情绪化表述",
    SENSITIVE_TOPIC: "敏感话题",
    PROHIBITED_MENTION: "执法或警示语境中的违禁词（提示）",
}

FINDING_CATEGORIES: tuple[str, ...] = tuple(SEVERITY)
# Categories derived by the checker from context; a lexicon cannot list them.
DERIVED_CATEGORIES: frozenset[str] = frozenset({PROHIBITED_MENTION})
LEXICON_CATEGORIES: tuple[str, ...] = (
    *(c for c in FINDING_CATEGORIES if c not in DERIVED_CATEGORIES), ADVERTISING_CONTEXT, PROHIBITED_CONTEXT, CANONICAL,
    ALLOW,
)

# Categories whose authors deliberately disguise terms; only these get the costlier
# repeated-character and pinyin treatment, the others are honest mistakes.
EVASIVE: frozenset[str] = frozenset({PROHIBITED, ADVERTISING, SECRET_MARKING})


def explain(category: str, suggestion: str | None = None, detail: str | None = None) -> str:
    """A short Chinese explanation shown next to a finding."""
    if category == EXPRESSION_ERROR:
        if detail:
            return f"与规范表述不一致（{detail}），应为“{suggestion}”"
        return f"严重表述错误，应为“{suggestion}”" if suggestion else "严重表述错误，请核实规范表述"
    if category == TYPO:
        return f"疑似错别字，建议改为“{suggestion}”" if suggestion else "疑似错别字，请核实"
    if category == PROHIBITED:
        return f"疑似违法有害信息（{detail}），不得发布" if detail else "疑似违法有害信息，不得发布"
    if category == ADVERTISING:
        return f"疑似商业广告（{detail}），政务新媒体不得发布" if detail else "疑似商业广告，政务新媒体不得发布"
    if category == SECRET_MARKING:
        return "含涉密标识，涉密或内部信息严禁上网发布"
    if category == PERSONAL_OPINION:
        return f"含个人观点或情绪化表述（{detail}），政务发布应客观规范" if detail else (
            "含个人观点或情绪化表述，政务发布应客观规范"
        )
    if category == PROHIBITED_MENTION:
        cue = f"（“{detail}”）" if detail else ""
        return f"违禁词出现在执法、审判或警示语境中{cue}，仅作提示：请核实是否为通报、警示用语"
    if category == ADVERTISING_CONTEXT:  # only until the checker has looked at the sentence
        return "广告法禁用的绝对化用语，与商业宣传同句出现时属于商业广告"
    if category == PROHIBITED_CONTEXT:  # only until the checker has looked at the sentence
        return "枪支弹药等用语，与出售、价格、联系交易等同句出现时属于违法有害信息"
    if category == SENSITIVE_TOPIC:
        return "涉及敏感话题（重大事件、事故灾难、疫情等），须经主要负责人审签"
    raise ValueError(f"unknown category {category!r}")
