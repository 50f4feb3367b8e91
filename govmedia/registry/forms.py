from django import forms

from govmedia.orgs.models import Unit, UnitKind, User
from govmedia.orgs.selectors import account_owning_units_visible_to, people_visible_to
from govmedia.registry.fields import APPLICATION_FIELDS, COLUMN_KEYS, TEAM_KEYS, to_json
from govmedia.registry.models import Account, ApplicationKind, ColumnMenu, DecisionKind, Platform, TeamMember
from govmedia.registry.qr import MAX_UPLOADED_PIXELS, QR_MAX_BYTES

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AccountForm(forms.ModelForm):
    """Attachment 1 as a form. Querysets are scoped to what the user may choose."""

    class Meta:
        model = Account
        fields = APPLICATION_FIELDS
        widgets = {
            "registered_on": DATE_INPUT, "live_on": DATE_INPUT, "host_opinion_on": DATE_INPUT,
            "competent_opinion_on": DATE_INPUT, "introduction": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["platform"].queryset = Platform.objects.filter(is_active=True)
        self.fields["host_unit"].queryset = account_owning_units_visible_to(user)
        self.fields["competent_unit"].queryset = Unit.objects.exclude(
            kind__in=[UnitKind.INTERNAL, UnitKind.CONTRACTOR]
        )
        self.fields["competent_unit"].required = False
        self.fields["competent_unit"].help_text = "留空则取主办单位的主管单位"
        self.fields["operating_unit"].queryset = Unit.objects.filter(kind__in=[UnitKind.CONTRACTOR]) | \
            account_owning_units_visible_to(user)
        self.fields["responsible_person"].queryset = people_visible_to(user)
        self.fields["responsible_person"].required = True
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                field.empty_label = "请选择"
        for name in ("host_opinion_signer", "host_opinion_on", "competent_opinion_signer", "competent_opinion_on"):
            del self.fields[name]  # filled in by the approval chain itself

    def as_values(self) -> dict:
        return {name: to_json(self.cleaned_data.get(name)) for name in self.fields}


class ColumnForm(forms.ModelForm):
    class Meta:
        model = ColumnMenu
        fields = COLUMN_KEYS


class TeamMemberForm(forms.ModelForm):
    class Meta:
        model = TeamMember
        fields = TEAM_KEYS


ColumnFormSet = forms.formset_factory(ColumnForm, extra=4, can_delete=True)
TeamFormSet = forms.formset_factory(TeamMemberForm, extra=3, can_delete=True)


def formset_rows(formset, keys) -> list[dict]:
    return [{k: f.cleaned_data.get(k, "") for k in keys} for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and any(f.cleaned_data.get(k) for k in keys)]


class ReasonForm(forms.Form):
    reason = forms.CharField(label="开办（变更、关停）理由", widget=forms.Textarea(attrs={"rows": 3}))


class ClosureForm(forms.Form):
    kind = forms.ChoiceField(label="申请类型", choices=[(ApplicationKind.CLOSE, "关停"), (ApplicationKind.CANCEL, "注销")])
    reason = forms.CharField(label="关停（注销）理由", widget=forms.Textarea(attrs={"rows": 3}))
    decision_kind = forms.ChoiceField(label="决定方式", choices=DecisionKind.choices, widget=forms.RadioSelect)
    decision_document = forms.FileField(label="集体研究纪要或主要领导同意材料", help_text="PDF、图片或 Word 文件，不超过 10MB")

    ALLOWED_SUFFIXES = (".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".ofd")

    def clean_decision_document(self):
        f = self.cleaned_data["decision_document"]
        if not f.name.lower().endswith(self.ALLOWED_SUFFIXES):
            raise forms.ValidationError(f"文件“{f.name}”类型不支持，请上传 PDF、图片或 Word 文件。")
        if f.size > 10 * 1024 * 1024:
            raise forms.ValidationError("文件不能超过 10MB。")
        return f


class DecisionForm(forms.Form):
    comment = forms.CharField(label="审批意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FilingSubmitForm(forms.Form):
    provincial_filing_no = forms.CharField(label="省备案编号", max_length=60,
                                           help_text="山东省政务新媒体备案管理系统给出的编号")
    form = forms.FileField(label="加盖公章的备案登记表", help_text="PDF、JPG 或 PNG 文件，不超过 10MB")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form"].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png"


class FilingConfirmForm(forms.Form):
    comment = forms.CharField(label="确认意见", required=False, max_length=500,
                              widget=forms.Textarea(attrs={"rows": 2}))


class FilingReturnForm(forms.Form):
    reason = forms.CharField(label="退回原因", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class QrUploadForm(forms.Form):
    qr_code = forms.ImageField(label="新媒体二维码")

    def clean_qr_code(self):
        # Refused here, not at display time: an image the pages would never show must not be reported as saved.
        image = self.cleaned_data["qr_code"]
        if image.size > QR_MAX_BYTES:
            raise forms.ValidationError(f"图片为 {image.size / 1024 / 1024:.1f}MB，超过 {QR_MAX_BYTES // 1024 // 1024}MB 上限。")
        width, height = image.image.size  # read from the header by ImageField's own check
        if width * height > MAX_UPLOADED_PIXELS:
            raise forms.ValidationError(f"图片尺寸 {width}×{height} 过大，二维码图片不应超过 {MAX_UPLOADED_PIXELS:,} 像素。")
        return image


class FollowerForm(forms.Form):
    taken_on = forms.DateField(label="日期", widget=DATE_INPUT)
    followers = forms.IntegerField(label="关注量/粉丝量", min_value=0)

