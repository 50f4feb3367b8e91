import pytest
from django.db import IntegrityError

from govmedia.audit.models import AuditEntry
from tests.monitoring.factories import FindingFactory, PostFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_same_platform_post_id_twice_on_one_account_is_refused():
    post = PostFactory()
    with pytest.raises(IntegrityError):
        PostFactory(account=post.account, platform_post_id=post.platform_post_id)


def test_ingested_posts_stay_out_of_the_audit_log_but_source_edits_are_audited():
    source = SourceFactory()
    PostFactory(account=source.account)
    assert not AuditEntry.objects.filter(object_type__icontains="post").exists()
    assert AuditEntry.objects.filter(object_type__icontains="source", object_id=str(source.pk)).exists()


def test_same_fingerprint_on_one_account_is_one_finding():
    finding = FindingFactory()
    with pytest.raises(IntegrityError):
        FindingFactory(post=finding.post, fingerprint=finding.fingerprint)
