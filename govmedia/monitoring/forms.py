"""The monitoring pages' forms. They check the shape of what was typed; the services decide the rules."""

from django import forms

from govmedia.monitoring.models import ApprovedSource, FindingState, Source
from govmedia.monitoring.services.triage import REASON_MAX, STEPS
from govmedia.orgs.permissions import users_assignable_for
from govmedia.orgs.selectors import account_owning_units_visible_to
from govmedia.registry.models import Platform

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SourceForm(forms.ModelForm):
    class Meta:
        model = Source
        fields = ("kind", "url", "interval_minutes", "is_active")
        widgets = {"url": forms.URLInput(attrs={"placeholder": "https://rsshub.example.cn/weibo/user/…"})}


class StepForm(forms.Form):
    action = forms.ChoiceField(choices=[(name, step.label) for name, step in STEPS.items()])
    reason = forms.CharField(label="原因或说明", max_length=REASON_MAX, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
    seen_state = forms.ChoiceField(choices=FindingState.choices, required=False)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label="处理人", queryset=None, required=False, empty_label="（不指派）")
    seen_assignee = forms.CharField(required=False, max_length=20)

    def __init__(self, *args, account, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = users_assignable_for(account).order_by("person__unit__name", "username")
        self.fields["assignee"].label_from_instance = lambda u: f"{u.display_name}（{u.unit or '区级'} · {u.get_role_display()}）"


class ApprovedSourceForm(forms.ModelForm):
    class Meta:
        model = ApprovedSource
        fields = ("name", "level", "aliases", "is_active")
        widgets = {"aliases": forms.Textarea(attrs={"rows": 4})}


class RepostTaskForm(forms.Form):
    """A task's accounts are those ticked, plus every operating account of the picked units on the picked
    platforms (pick a platform alone for all its accounts, a unit alone for all of its)."""

    title = forms.CharField(label="标题", max_length=300)
    notice_url = forms.CharField(label="原文链接", max_length=1000, required=False,
                                 widget=forms.URLInput(attrs={"placeholder": "https://"}))
    match_phrases = forms.CharField(label="匹配关键词", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                    help_text="每行一个；信息标题含任一即视为已转载。留空则按标题匹配")
    deadline = forms.DateTimeField(label="截止时间", widget=DATETIME_INPUT)
    units = forms.ModelMultipleChoiceField(label="按单位选择", queryset=None, required=False,
                                           widget=forms.SelectMultiple(attrs={"size": 8}))
    platforms = forms.ModelMultipleChoiceField(label="按平台选择", queryset=Platform.objects.filter(is_active=True),
                                               required=False, widget=forms.SelectMultiple(attrs={"size": 8}))
    accounts = forms.ModelMultipleChoiceField(label="逐个选择账号", queryset=None, required=False,
                                              widget=forms.SelectMultiple(attrs={"size": 12}))

    def __init__(self, *args, user, accounts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = account_owning_units_visible_to(user).select_related(None)
        self.fields["accounts"].queryset = accounts.order_by("host_unit__name", "name")
        self.fields["accounts"].label_from_instance = lambda a: f"{a.host_unit.name} · {a.name}（{a.platform.name}）"
