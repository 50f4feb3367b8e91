"""`govmedia create_supervisor`: the first login, without demo data."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from govmedia.orgs.models import Role, User

pytestmark = pytest.mark.django_db


def test_the_created_supervisor_logs_in_to_the_back_office(monkeypatch):
    monkeypatch.setenv("GOVMEDIA_SUPERVISOR_PASSWORD", "Xihai2026first")
    out = io.StringIO()
    call_command("create_supervisor", "wang", "--name", "王监管", stdout=out)
    assert "已创建区级监管员 wang" in out.getvalue()
    assert User.objects.get(username="wang").role == Role.SUPERVISOR
    client = Client()
    client.post("/login/", {"username": "wang", "password": "Xihai2026first"})
    assert client.get("/admin/").status_code == 200


def test_the_demo_password_is_refused(monkeypatch, settings):
    settings.GOVMEDIA_DEMO = False
    monkeypatch.setenv("GOVMEDIA_SUPERVISOR_PASSWORD", "Demo2026gov")
    with pytest.raises(CommandError, match="不能使用演示密码"):
        call_command("create_supervisor", "wang", "--name", "王监管", stdout=io.StringIO())
    assert not User.objects.exists()


@pytest.mark.parametrize(("username", "name", "message"), [
    ("<b>bad user</b>", "王监管", "用户名只能包含字母、数字和 @ . + - _ 字符"),
    ("u" * 200, "王监管", "用户名不能超过 150 个字符"),
    ("wang", "王" * 60, "姓名不能超过 40 个字符"),
])
def test_a_username_or_name_the_model_refuses_is_reported_in_chinese(monkeypatch, username, name, message):
    monkeypatch.setenv("GOVMEDIA_SUPERVISOR_PASSWORD", "Xihai2026first")
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("create_supervisor", username, "--name", name, stdout=io.StringIO())
    assert not User.objects.exists()


def test_a_refused_username_exits_non_zero_without_a_traceback(monkeypatch, capsys):
    monkeypatch.setenv("GOVMEDIA_SUPERVISOR_PASSWORD", "Xihai2026first")
    from govmedia.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["create_supervisor", "u" * 200, "--name", "王监管"])
    assert exited.value.code != 0
    err = capsys.readouterr().err
    assert "用户名不能超过 150 个字符" in err and "Traceback" not in err
