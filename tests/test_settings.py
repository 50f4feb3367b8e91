"""Production settings, checked the way an operator checks them: `govmedia check --deploy` in a fresh process."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from govmedia.demo.district import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def production_env(tmp_path_factory) -> dict:
    """A production-like environment (DEBUG off, HTTPS on, a real secret key) with a migrated SQLite database."""
    data = tmp_path_factory.mktemp("data")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOVMEDIA_", "DJANGO_", "DATABASE_URL"))}
    env.update({
        "GOVMEDIA_DATA_DIR": str(data), "GOVMEDIA_HTTPS": "1", "GOVMEDIA_SECRET_KEY": secrets.token_urlsafe(60),
        "GOVMEDIA_ALLOWED_HOSTS": "media.example.gov.cn", "PYTHONPATH": str(ROOT),
        # Reminders are mailed: a production deployment names its mail server.
        "GOVMEDIA_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": "mail.example.gov.cn",
    })
    _govmedia(env, "migrate", "--verbosity", "0").check_returncode()
    return env


def _govmedia(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "govmedia.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_the_deploy_check_passes_with_no_warning_when_https_is_on(production_env):
    result = _govmedia(production_env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_without_https_the_deploy_check_names_what_is_missing(production_env):
    result = _govmedia({**production_env, "GOVMEDIA_HTTPS": "0"}, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr


def test_a_production_server_refuses_to_start_while_a_login_has_the_demo_password(production_env):
    env = production_env
    _govmedia(env, "shell", "-c", "from govmedia.orgs.models import User; "
              f"User.objects.create_user('supervisor', password='{DEMO_PASSWORD}')").check_returncode()
    try:
        check = _govmedia(env, "check", "--deploy")
        assert check.returncode != 0 and "govmedia.E001" in check.stderr and "supervisor" in check.stderr
        start = subprocess.run([sys.executable, "-c", "import govmedia.wsgi"], cwd=ROOT, env=env,
                               capture_output=True, text=True, timeout=120)
        assert start.returncode != 0 and "拒绝启动：用户 supervisor 仍在使用演示密码" in start.stderr
        # The production settings (HTTPS on) refuse the demo passwords whatever GOVMEDIA_DEMO says …
        demo = subprocess.run([sys.executable, "-c", "import govmedia.wsgi"], cwd=ROOT,
                              env={**env, "GOVMEDIA_DEMO": "1"}, capture_output=True, text=True, timeout=120)
        assert demo.returncode != 0 and "拒绝启动" in demo.stderr
        # … while demo mode without them (`make run`) serves the demo.
        demo = subprocess.run([sys.executable, "-c", "import govmedia.wsgi"], cwd=ROOT,
                              env={**env, "GOVMEDIA_DEMO": "1", "GOVMEDIA_HTTPS": "0"},
                              capture_output=True, text=True, timeout=120)
        assert demo.returncode == 0, demo.stderr
    finally:
        _govmedia(env, "shell", "-c", "from govmedia.orgs.models import User; "
                  "User.objects.filter(username='supervisor').delete()").check_returncode()
