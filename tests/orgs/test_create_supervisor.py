"""`govmedia create_supervisor`: the first login, without demo data."""

import io

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
