"""factory-boy factories for monitoring models: `from tests.monitoring.factories import PostFactory`."""

import hashlib
from datetime import timedelta

import factory
from factory.django import DjangoModelFactory

from govmedia import clock
from govmedia.monitoring.models import (
    Alert,
    ApprovedSource,
    Finding,
    Post,
    PostKind,
    RepostCompletion,
    RepostTask,
    Source,
    SourceKind,
    SourceLevel,
)
from tests.factories import AccountFactory, UserFactory


class SourceFactory(DjangoModelFactory):
    class Meta:
        model = Source

    account = factory.SubFactory(AccountFactory)
    kind = SourceKind.FEED
    url = factory.Sequence(lambda n: f"http://127.0.0.1:8700/weibo/user/{n}")


class PostFactory(DjangoModelFactory):
    """A checked original post published an hour before it was first seen."""

    class Meta:
        model = Post

    account = factory.SubFactory(AccountFactory)
    platform_post_id = factory.Sequence(lambda n: f"post-{n}")
    url = factory.LazyAttribute(lambda o: f"https://weibo.example.cn/{o.platform_post_id}")
    title = factory.Sequence(lambda n: f"西海岸新区第{n}期政务信息")
    text = "区政府召开常务会议，研究部署冬季安全生产工作。"
    kind = PostKind.ORIGINAL
    first_seen = factory.LazyFunction(lambda: clock.now())
    last_seen = factory.LazyAttribute(lambda o: o.first_seen)
    published_at = factory.LazyAttribute(lambda o: o.first_seen - timedelta(hours=1))
    checked_at = factory.LazyAttribute(lambda o: o.first_seen)
    content_hash = factory.LazyAttribute(lambda o: hashlib.sha256((o.title + o.text).encode()).hexdigest())


class FindingFactory(DjangoModelFactory):
    class Meta:
        model = Finding

    post = factory.SubFactory(PostFactory)
    account = factory.LazyAttribute(lambda o: o.post.account if o.post else AccountFactory())
    code = "typo"
    severity = "medium"
    fingerprint = factory.Sequence(lambda n: f"{n:064d}")
    summary = "错别字：“精减”应为“精简”"
    evidence = factory.LazyFunction(lambda: {"start": 3, "end": 5, "text": "精减", "suggestion": "精简"})
    first_found_at = factory.LazyFunction(lambda: clock.now())
    last_found_at = factory.LazyAttribute(lambda o: o.first_found_at)


class ApprovedSourceFactory(DjangoModelFactory):
    class Meta:
        model = ApprovedSource
        django_get_or_create = ("name",)

    name = "新华社"
    level = SourceLevel.NATIONAL


class RepostTaskFactory(DjangoModelFactory):
    class Meta:
        model = RepostTask
        skip_postgeneration_save = True

    title = "关于做好冬季森林防火工作的通告"
    deadline = factory.LazyFunction(lambda: clock.now() + timedelta(days=2))
    issued_by = factory.SubFactory(UserFactory)
    issued_at = factory.LazyFunction(lambda: clock.now())

    @factory.post_generation
    def accounts(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.accounts.add(*extracted)


class AlertFactory(DjangoModelFactory):
    """An unread alert of a finding to its account's responsible person (pass recipient=…)."""

    class Meta:
        model = Alert

    finding = factory.SubFactory(FindingFactory)
    recipient = factory.SubFactory(UserFactory)
    reason = "responsible"
    created_at = factory.LazyFunction(lambda: clock.now())  # looked up at each call: tests freeze the clock


class RepostCompletionFactory(DjangoModelFactory):
    """`account` carried out `task` with `post` (pass task=… and post=…)."""

    class Meta:
        model = RepostCompletion

    account = factory.LazyAttribute(lambda o: o.post.account)
    matched_by = "title"
    detected_at = factory.LazyFunction(lambda: clock.now())
