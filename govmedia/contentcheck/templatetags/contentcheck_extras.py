from django import template

from govmedia.textcheck.rules import describe_rule

register = template.Library()


@register.filter
def lookup(mapping, key):
    return mapping.get(key, key)


@register.filter
def rule_words(finding) -> str:
    return describe_rule(finding.rule, finding.category, finding.suggestion)
