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

# Lexicon-only pseudo categories: they declare data for other mechanisms and never become findings.
CANONICAL = "canonical"
ALLOW = "allow"

HIGH, MEDIUM, LOW, INFO = "high", "medium", "low", "info"

SEVERITY: dict[str, str] = {
    EXPRESSION_ERROR: HIGH,
    PROHIBITED: HIGH,
    SECRET_MARKING: HIGH,
    TYPO: MEDIUM,
    ADVERTISING: MEDIUM,
    PERSONAL_OPINION: LOW,
    SENSITIVE_TOPIC: INFO,
}

LABEL: dict[str, str] = {
    EXPRESSION_ERROR: "严重表述错误",
    TYPO: "错别字",
    PROHIBITED: "违法有害信息",
    ADVERTISING: "商业广告",
    SECRET_MARKING: "涉密标识",
    PERSONAL_OPINION: "个人观点或情绪化表述",
    SENSITIVE_TOPIC: "敏感话题",
}

FINDING_CATEGORIES: tuple[str, ...] = tuple(SEVERITY)
LEXICON_CATEGORIES: tuple[str, ...] = (*FINDING_CATEGORIES, CANONICAL, ALLOW)

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
        return "疑似违法有害信息，不得发布"
    if category == ADVERTISING:
        return f"疑似商业广告（{detail}），政务新媒体不得发布" if detail else "疑似商业广告，政务新媒体不得发布"
    if category == SECRET_MARKING:
        return "含涉密标识，涉密或内部信息严禁上网发布"
    if category == PERSONAL_OPINION:
        return f"含个人观点或情绪化表述（{detail}），政务发布应客观规范" if detail else (
            "含个人观点或情绪化表述，政务发布应客观规范"
        )
    if category == SENSITIVE_TOPIC:
        return "涉及敏感话题（重大事件、事故灾难、疫情等），须经主要负责人审签"
    raise ValueError(f"unknown category {category!r}")
