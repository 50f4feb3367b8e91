from django import forms

from govmedia.contentcheck.models import Lexicon
from govmedia.contentcheck.services import parse_lexicon_content
from govmedia.registry.models import Account
from govmedia.registry.selectors import accounts_visible_to

MAX_UPLOAD = 10 * 1024 * 1024  # textcheck reads HTML and plain text whole up to this size too


class CheckForm(forms.Form):
    title = forms.CharField(label="标题", max_length=200, required=False)
    account = forms.ModelChoiceField(label="拟发布账号（可选）", queryset=Account.objects.none(), required=False,
                                     empty_label="（不指定）")
    text = forms.CharField(label="待检查文本", widget=forms.Textarea(attrs={"rows": 12}), required=False)
    file = forms.FileField(label="或上传文件（.txt / .html / .docx，不超过 10MB）", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts_visible_to(user).order_by("name")

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
