"""The forms of the message pages. They check the shape of what was typed; the services decide the rules."""

from django import forms

from govmedia.interaction.models import TEXT_MAX, MessageKind, MessageStatus
from govmedia.interaction.selectors import reply_limits
from govmedia.interaction.services.message_import import MAX_ROWS
from govmedia.interaction.services.messages import NOTE_MAX
from govmedia.orgs.permissions import users_assignable_for_message
from govmedia.registry.ledger_cells import MAX_FILE_BYTES
from govmedia.web.filters import IdField, ListFilters

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

STATUS_FILTERS = [("active", "未办结"), ("waiting", "待答复（待分办、已分办）"), ("all", "全部"),
                  *MessageStatus.choices]
ASSIGNEE_FILTERS = [("mine_or_pool", "分办给我的和待分办的"), ("mine", "分办给我的"), ("pool", "待分办（无承办人）"),
                    ("all", "全部")]


def account_label(account) -> str:
    return f"{account.host_unit.name} · {account.name}（{account.platform.name}）"


class MessageFilters(ListFilters):
    status = forms.ChoiceField(label="状态", required=False, choices=STATUS_FILTERS)
    assignee = forms.ChoiceField(label="承办人", required=False, choices=ASSIGNEE_FILTERS)
    kind = forms.ChoiceField(label="类型", required=False, choices=[("", "全部"), *MessageKind.choices])
    account = IdField(label="账号")
    overdue = forms.BooleanField(label="仅逾期", required=False)


class KindForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=MessageKind.choices)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label="承办人", queryset=None, empty_label=None)
    seen_assignee = forms.CharField(required=False, max_length=20)

    def __init__(self, *args, account, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = users_assignable_for_message(account).order_by("person__unit__name", "username")
        self.fields["assignee"].label_from_instance = (
            lambda u: f"{u.display_name}（{u.unit or '区级'} · {u.get_role_display()}）")


class ReplyForm(forms.Form):
    text = forms.CharField(label="答复内容", required=False, help_text=f"不超过 {TEXT_MAX:,} 字",
                           widget=forms.Textarea(attrs={"rows": 6}))


class FollowUpForm(forms.Form):
    follow_up_note = forms.CharField(label="回访情况", max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(forms.Form):
    closed_reason = forms.CharField(label="办结说明", max_length=NOTE_MAX, required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}))


class MessageNewForm(forms.Form):
    """A message entered by hand. Lengths are checked by the service, which names the field."""

    account = forms.ModelChoiceField(label="账号", queryset=None)
    kind = forms.ChoiceField(label="类型", choices=MessageKind.choices, initial=MessageKind.MESSAGE)
    received_at = forms.DateTimeField(label="收到时间", widget=DATETIME_INPUT,
                                      help_text="留言在平台上的发送时间（北京时间）")
    sender_name = forms.CharField(label="留言人", required=False)
    sender_contact = forms.CharField(label="联系方式", required=False, help_text="仅本单位可见")
    platform_message_id = forms.CharField(label="平台留言编号", required=False,
                                          help_text="平台上的编号，用于避免同一留言重复录入；没有可留空")
    text = forms.CharField(label="内容", widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, accounts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts.select_related("host_unit", "platform")
        self.fields["account"].label_from_instance = account_label


class MessageImportForm(forms.Form):
    account = forms.ModelChoiceField(label="账号", queryset=None)
    file = forms.FileField(label="留言文件",
                           help_text=f".xlsx 或 .csv（UTF-8 或 GBK 编码），不超过 10MB、{MAX_ROWS:,} 条留言")
    dry_run = forms.BooleanField(label="只校验不导入", required=False)

    def __init__(self, *args, accounts, over_cap: str | None = None, **kwargs):
        """`over_cap`: the name of a file the upload handler stopped taking at the size cap."""
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts.select_related("host_unit", "platform")
        self.fields["account"].label_from_instance = account_label
        self.over_cap = over_cap
        if over_cap is not None:
            self.fields["file"].required = False  # it is missing because it was too big, which is the error

    def clean_file(self):
        if self.over_cap is not None:
            raise forms.ValidationError(f"文件“{self.over_cap}”超过 {MAX_FILE_BYTES // 1024 // 1024}MB，请分批导入。")
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".xlsm", ".csv")):
            raise forms.ValidationError(f"文件“{upload.name}”不是 .xlsx 或 .csv 文件。旧版 .xls 请先另存为 .xlsx。")
        return upload


class StatsFilters(ListFilters):
    month = forms.DateField(label="月份", required=False, input_formats=["%Y-%m"])
    unit = IdField(label="主办单位")


class ReplyLimitsForm(forms.Form):
    """One field per kind of message, initially the limit in force (configured, else the default)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = reply_limits()
        for kind, label in MessageKind.choices:
            self.fields[kind] = forms.IntegerField(label=label, min_value=1, max_value=60, initial=current[kind])
