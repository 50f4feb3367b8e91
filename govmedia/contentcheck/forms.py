from django import forms
from django.db.models import Q

from govmedia.contentcheck.models import Lexicon
from govmedia.contentcheck.services import parse_lexicon_content
from govmedia.registry.models import Account
from govmedia.registry.selectors import accounts_visible_to

MAX_UPLOAD = 10 * 1024 * 1024  # textcheck reads HTML and plain text whole up to this size too


class CheckForm(forms.Form):
    title = forms.CharField(label="标题", max_length=200, required=False)
    # A text box, not a drop-down: a supervisor sees every account of the district (10,000 options made
    # the page 780 KB and a second to render).
    account = forms.CharField(label="拟发布账号（可选）", max_length=100, required=False,
                              help_text="填写账号ID或账号名称")
    text = forms.CharField(label="待检查文本", widget=forms.Textarea(attrs={"rows": 12}), required=False)
    file = forms.FileField(label="或上传文件（.txt / .html / .docx，不超过 10MB）", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_account(self) -> Account | None:
        """The one account, among those the user sees, whose ID or name is the text given."""
        given = self.cleaned_data["account"].strip()
        if not given:
            return None
        matches = list(accounts_visible_to(self.user).filter(Q(account_id=given) | Q(name=given))[:6])
        if not matches:
            raise forms.ValidationError(f"没有找到您可见的账号“{given}”，请核对账号ID或名称。")
        if len(matches) > 1:
            names = "、".join(f"{a.name}（{a.platform.name}，ID {a.account_id}）" for a in matches[:5])
            raise forms.ValidationError(f"有多个账号与“{given}”相符：{names}。请填写账号ID。")
        return matches[0]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        # upload.size counts the bytes Django actually received, not a header the client sent.
        if upload is not None and upload.size > MAX_UPLOAD:
            raise forms.ValidationError(f"文件“{upload.name}”超过 {MAX_UPLOAD // 1024 // 1024}MB，请拆分后再检查。")
        return upload

    def clean(self):
        data = super().clean()
        if not data.get("text") and not data.get("file") and "file" not in self.errors:
            raise forms.ValidationError("请粘贴文本或上传文件。")
        return data


class LexiconAdminForm(forms.ModelForm):
    class Meta:
        model = Lexicon
        fields = ["name", "note", "content", "is_active"]
        widgets = {"content": forms.Textarea(attrs={"rows": 25, "cols": 100, "class": "lexicon-content"})}

    def clean(self):
        data = super().clean()
        if data.get("name") and data.get("content") is not None:
            try:
                parse_lexicon_content(data["name"], data["content"])
            except forms.ValidationError as error:
                self.add_error("content", error.message_dict["content"])
        return data
