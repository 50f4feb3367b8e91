"""The filters of the registry's list pages (see govmedia.web.filters)."""

from django import forms

from govmedia.registry.models import AccountStatus, ApplicationState, FilingState
from govmedia.web.filters import IdField, ListFilters


def _choices(choices):
    return [("", "全部"), *choices]


class RegistryFilters(ListFilters):
    """The account list and its XLSX export."""

    unit = IdField(label="主办单位")
    platform = IdField(label="平台")
    status = forms.ChoiceField(label="运行状态", choices=_choices(AccountStatus.choices), required=False)
    overdue = forms.BooleanField(label="仅逾期未备案", required=False)
    q = forms.CharField(label="搜索", max_length=100, required=False)


class FilingFilters(ListFilters):
    show = forms.ChoiceField(label="范围", choices=[("open", "未办结"), ("overdue", "已逾期"), ("all", "全部")],
                             required=False)
    overdue = forms.BooleanField(label="已逾期", required=False)
    state = forms.ChoiceField(label="备案状态", choices=_choices(FilingState.choices), required=False)
    unit = IdField(label="主办单位")
    q = forms.CharField(label="搜索", max_length=100, required=False)


class InboxFilters(ListFilters):
    state = forms.ChoiceField(label="状态", choices=_choices(ApplicationState.choices), required=False)
