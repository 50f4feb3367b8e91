"""The survey form: its fields, and the questions as plain text, so the page works without script.

Questions are written one block each, blocks separated by an empty line; a block's first line is its kind and
text, the option lines follow (choice questions only):

    单选：您对课后服务是否满意？
    满意
    不满意

    填空（选答）：其他意见和建议

The page's script (survey.js) offers rows to fill in instead and writes this text when the form is sent.
"""

import re

from django import forms

from govmedia.interaction.models import QuestionKind
from govmedia.interaction.services.surveys import MAX_OPTIONS, MAX_QUESTIONS
from govmedia.orgs.permissions import accounts_acted_for

KINDS = {"单选": QuestionKind.SINGLE, "多选": QuestionKind.MULTIPLE, "填空": QuestionKind.TEXT}
_HEADER = re.compile(r"^(单选|多选|填空)(（选答）)?[:：]\s*(.*)$")
QUESTIONS_MAX_CHARS = 60_000
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def parse_questions(text: str) -> list[dict]:
    """The questions typed in the block format; a ValidationError names the line that does not fit."""
    questions, problems = [], []
    block: list[tuple[int, str]] = []
    for number, line in enumerate([*text.splitlines(), ""], start=1):
        line = line.strip()
        if line:
            block.append((number, line))
            continue
        if not block:
            continue
        (first_number, header), *options = block
        block = []
        match = _HEADER.match(header)
        if match is None:
            problems.append(f"第{first_number}行“{header[:30]}”：每道题的第一行应以“单选：”“多选：”或“填空：”开头。")
            continue
        kind = KINDS[match.group(1)]
        questions.append({"kind": kind, "text": match.group(3), "options": [o for _, o in options],
                          "required": not match.group(2)})
        if len(questions) > MAX_QUESTIONS or any(len(q["options"]) > MAX_OPTIONS for q in questions):
            break  # the service names the limit; no need to read further
    if problems:
        raise forms.ValidationError(problems)
    return questions


class SurveyForm(forms.Form):
    account = forms.ModelChoiceField(label="账号", queryset=None)
    title = forms.CharField(label="标题", max_length=200)
    description = forms.CharField(label="说明", required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    opens_at = forms.DateTimeField(label="开始时间", widget=DATETIME_INPUT)
    closes_at = forms.DateTimeField(label="截止时间", widget=DATETIME_INPUT)
    per_ip_hourly_limit = forms.IntegerField(
        label="每个IP每小时答卷上限", min_value=1, max_value=10_000, initial=20,
        help_text="同一网络出口（如单位、学校）可能有多人作答，不宜过低")
    questions = forms.CharField(
        label="题目", max_length=QUESTIONS_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 12, "class": "survey-questions-text"}),
        help_text="每道题一段，段与段之间空一行。第一行写“单选：”“多选：”或“填空：”加题目（非必答题写“单选（选答）：”），"
                  "选择题的每个选项各占一行。")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts_acted_for(user).order_by("name")

    def clean_questions(self) -> list[dict]:
        return parse_questions(self.cleaned_data["questions"])
