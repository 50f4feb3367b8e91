"""The filters of the monitoring list pages (see govmedia.web.filters)."""

from django import forms

from govmedia.monitoring.engine import codes
from govmedia.monitoring.models import FindingState
from govmedia.web.filters import IdField, ListFilters


def _choices(choices):
    return [("", "全部"), *choices]


SEVERITY_CHOICES = list(codes.SEVERITY_LABEL.items())


class FindingFilters(ListFilters):
    state = forms.ChoiceField(label="状态", required=False, choices=[
        ("unresolved", "未办结（待处理、已确认）"), ("all", "全部"), *FindingState.choices])
    group = forms.ChoiceField(label="指标", required=False, choices=_choices(codes.GROUP_LABEL.items()))
    code = forms.ChoiceField(label="问题类型", required=False, choices=_choices(codes.LABEL.items()))
    severity = forms.ChoiceField(label="严重程度", required=False, choices=_choices(SEVERITY_CHOICES))
    unit = IdField(label="主办单位")
    account = IdField(label="账号")
    found_from = forms.DateField(label="发现日期自", required=False)
    found_to = forms.DateField(label="至", required=False)


class DutyFilters(ListFilters):
    day = forms.DateField(label="日期", required=False)
    unit = IdField(label="主办单位")
    unread = forms.BooleanField(label="仅未读", required=False)
