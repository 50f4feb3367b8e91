"""The author's forms. They check the shape of what was typed; the services decide the rules."""

from django import forms

from govmedia.publishing.models import Grade, Origin
from govmedia.publishing.services.drafts import TITLE_MAX

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class DraftForm(forms.Form):
    title = forms.CharField(label="标题", max_length=TITLE_MAX)
    body_html = forms.CharField(label="正文", required=False,
                                widget=forms.Textarea(attrs={"rows": 16, "class": "draft-body-source"}),
                                help_text="可直接粘贴 Word 或网页内容（保留段落、加粗、列表、表格、链接），保存时自动清除不安全的代码")
    docx = forms.FileField(label="导入 Word 文档（.docx）", required=False,
                           widget=forms.ClearableFileInput(attrs={"accept": ".docx"}))
    accounts = forms.ModelMultipleChoiceField(label="发布账号", queryset=None,
                                              widget=forms.CheckboxSelectMultiple)
    origin = forms.ChoiceField(label="来源", choices=Origin.choices, initial=Origin.ORIGINAL,
                               widget=forms.RadioSelect)
    source_name = forms.CharField(label="转载来源", max_length=200, required=False,
                                  widget=forms.TextInput(attrs={"list": "approved-sources"}),
                                  help_text="转载须注明来源，且须在许可转载来源名单中（第十一条）")
    marked_grade = forms.ChoiceField(label="审核等级", choices=Grade.choices, initial=Grade.ROUTINE,
                                     help_text="一般：审核员审核；敏感：再经单位负责人签发；重大：再经区级审核。"
                                               "检查发现敏感话题时至少为“敏感”")
    seen_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, accounts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accounts"].queryset = accounts.select_related("platform").order_by("name")
        self.fields["accounts"].label_from_instance = lambda a: f"{a.name}（{a.platform.name}）"


class SubmitForm(forms.Form):
    emergency = forms.BooleanField(label="紧急发布（重大突发事件）", required=False)
    emergency_reason = forms.CharField(label="紧急发布事由", max_length=500, required=False,
                                       widget=forms.Textarea(attrs={"rows": 2}),
                                       help_text="紧急发布经单位负责人审核即可发布，事后须在规定期限内补齐完整审核（第十三条）")

    def clean(self):
        data = super().clean()
        if data.get("emergency") and not (data.get("emergency_reason") or "").strip():
            self.add_error("emergency_reason", "紧急发布须填写事由")
        if not data.get("emergency"):
            data["emergency_reason"] = ""
        return data


class PublicationForm(forms.Form):
    url = forms.CharField(label="发布链接", max_length=1000, widget=forms.URLInput(attrs={"placeholder": "https://"}))
    published_at = forms.DateTimeField(label="发布时间", widget=DATETIME_INPUT)


class AttachmentForm(forms.Form):
    file = forms.FileField(label="附件")
