import re

from django.core.exceptions import ValidationError


class CharacterClassValidator:
    """Government network-security rules ask for letters and digits at least (等保二级)."""

    def validate(self, password, user=None):
        if not (re.search(r"[A-Za-z]", password) and re.search(r"\d", password)):
            raise ValidationError("密码须同时包含字母和数字。", code="password_character_classes")

    def get_help_text(self):
        return "密码须同时包含字母和数字。"
