"""The loaded demo district, shared by the test modules of tests/demo: each test class that uses the fixture
`demo_output` gets the demo loaded once (loading takes seconds), inside a transaction rolled back afterwards,
with the clock at LOADED_AT while the class runs."""

import io
from datetime import datetime

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from govmedia import clock
from tests.conftest import BEIJING

# Just after the National Day holiday: what is overdue must be overdue whatever day the demo is loaded.
LOADED_AT = datetime(2026, 10, 9, 10, 0, tzinfo=BEIJING)


def load() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="class")
def demo_output(django_db_setup, django_db_blocker, tmp_path_factory):
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (pytest.MonkeyPatch.context() as patch, django_db_blocker.unblock(),
          override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"), PASSWORD_HASHERS=hashers),
          transaction.atomic()):
        patch.setattr(clock, "now", lambda: LOADED_AT)
        yield load()
        transaction.set_rollback(True)
