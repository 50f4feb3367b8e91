"""Upkeep without approval: the QR code and follower counts, written by whoever may act on the account."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from govmedia.audit.models import AuditEntry
from govmedia.errors import PermissionDenied, ValidationError
from govmedia.registry import services
from govmedia.registry.models import FollowerSnapshot
from tests.registry.services.helpers import fresh

pytestmark = pytest.mark.django_db


def _png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (60, 60), "navy").save(out, format="PNG")
    return SimpleUploadedFile("qr.png", out.getvalue(), content_type="image/png")


def test_the_assigned_operator_replaces_the_qr_code_and_it_is_audited(assigned_operator, edu_weibo):
    services.account_qr_set(account=edu_weibo, by=assigned_operator, image=_png())
    assert fresh(edu_weibo).qr_code.name.startswith("qr/")
    entry = AuditEntry.objects.filter(object_type="registry.Account", object_id=str(edu_weibo.pk)).latest("pk")
    assert "qr_code" in entry.changes


def test_an_operator_not_assigned_to_the_account_cannot_replace_its_qr_code(edu_operator, edu_weibo):
    with pytest.raises(PermissionDenied):
        services.account_qr_set(account=edu_weibo, by=edu_operator, image=_png())
    assert not fresh(edu_weibo).qr_code


def test_another_unit_cannot_record_followers(street_unit_admin, edu_weibo):
    with pytest.raises(PermissionDenied):
        services.follower_count_record(account=edu_weibo, by=street_unit_admin, taken_on=date(2026, 3, 1),
                                       followers=10, today=date(2026, 3, 2))
    assert not FollowerSnapshot.objects.exists()


def test_a_second_reading_on_the_same_day_replaces_the_first(edu_unit_admin, edu_weibo):
    for followers in (100, 120):
        services.follower_count_record(account=edu_weibo, by=edu_unit_admin, taken_on=date(2026, 3, 1),
                                       followers=followers, today=date(2026, 3, 2))
    assert list(FollowerSnapshot.objects.values_list("followers", flat=True)) == [120]


def test_a_reading_dated_after_today_is_refused_naming_the_date(edu_unit_admin, edu_weibo):
    with pytest.raises(ValidationError, match="2026-03-03"):
        services.follower_count_record(account=edu_weibo, by=edu_unit_admin, taken_on=date(2026, 3, 3),
                                       followers=1, today=date(2026, 3, 2))
    assert not FollowerSnapshot.objects.exists()


def test_only_the_district_office_corrects_registered_details_directly(edu_unit_admin, edu_weibo):
    edu_weibo.name = "未经申请的新名称"
    with pytest.raises(PermissionDenied, match="变更申请"):
        services.account_correct(account=edu_weibo, by=edu_unit_admin)
    assert fresh(edu_weibo).name == "西海岸教育发布"
