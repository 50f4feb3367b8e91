"""factory-boy factories for interaction models: `from tests.interaction.factories import MessageFactory`."""

from datetime import timedelta

import factory
from factory.django import DjangoModelFactory

from govmedia import clock
from govmedia.interaction.models import (
    AccountService,
    Message,
    MessageChannel,
    MessageKind,
    QuestionKind,
    Survey,
    SurveyQuestion,
)
from tests.factories import AccountFactory, UserFactory


class MessageFactory(DjangoModelFactory):
    """A consultation entered by hand, received at the clock's time, waiting to be assigned."""

    class Meta:
        model = Message

    account = factory.SubFactory(AccountFactory)
    kind = MessageKind.CONSULTATION
    channel = MessageChannel.MANUAL
    sender_name = "张先生"
    sender_contact = "13900001111"
    received_at = factory.LazyFunction(clock.now)
    created_at = factory.LazyFunction(clock.now)
    text = factory.Sequence(lambda n: f"请问第{n}小学今年的招生范围是否有变化？")


class SurveyFactory(DjangoModelFactory):
    """A survey open from an hour ago for a week, with one single-choice, one multiple-choice and one text
    question (positions 1–3)."""

    class Meta:
        model = Survey
        skip_postgeneration_save = True

    account = factory.SubFactory(AccountFactory)
    title = "课后服务满意度调查"
    opens_at = factory.LazyFunction(lambda: clock.now() - timedelta(hours=1))
    closes_at = factory.LazyFunction(lambda: clock.now() + timedelta(days=7))
    created_by = factory.SubFactory(UserFactory)
    created_at = factory.LazyFunction(clock.now)

    @factory.post_generation
    def questions(obj, create, extracted, **kwargs):
        if not create:
            return
        for position, (kind, text, options, required) in enumerate(extracted if extracted is not None else [
            (QuestionKind.SINGLE, "您对课后服务是否满意？", ["满意", "基本满意", "不满意"], True),
            (QuestionKind.MULTIPLE, "您希望增加哪些课程？", ["体育", "艺术", "科技"], False),
            (QuestionKind.TEXT, "其他意见和建议", [], False),
        ], start=1):
            SurveyQuestion.objects.create(survey=obj, position=position, kind=kind, text=text, options=options,
                                          required=required)


class AccountServiceFactory(DjangoModelFactory):
    class Meta:
        model = AccountService

    account = factory.SubFactory(AccountFactory)
    kind = "lookup"
    name = factory.Sequence(lambda n: f"学位查询{n}")
    url = factory.Sequence(lambda n: f"https://edu.example.cn/query/{n}")
