"""Steps shared by the registry service tests: submit an opening or a closure, approve it, reload a row,
run actions at once in separate threads."""


from django.core.files.uploadedfile import SimpleUploadedFile

from govmedia.registry import services
from govmedia.registry.models import Application, ApplicationKind, DecisionKind
from tests.factories import platform


def open_values(host_unit, code="douyin", **overrides) -> dict:
    values = {
        "account_id": f"xha_{code}_{host_unit.pk}", "name": f"{host_unit.name}{code}",
        "platform": platform(code).pk, "host_unit": host_unit.pk, "registrant_kind": "organisation",
        "registered_on": "2026-02-20", "introduction": "发布政策解读和工作动态。",
    }
    values.update(overrides)
    return values


def submit_opening(applicant, host_unit, code="douyin", **overrides) -> Application:
    return services.open_application_submit(
        applicant=applicant, values=open_values(host_unit, code, **overrides), reason="面向群众发布政务信息。")


def approve(application, *approvers, comment="同意") -> Application:
    for approver in approvers:
        application = services.application_approve(application=application, by=approver, comment=comment)
    return application


def decision_document() -> SimpleUploadedFile:
    return SimpleUploadedFile("党组会议纪要.pdf", b"%PDF-1.4 collective decision", content_type="application/pdf")


def submit_closure(applicant, account, kind=ApplicationKind.CLOSE) -> Application:
    return services.closure_application_submit(
        applicant=applicant, account=account, kind=kind, reason="功能与微信公众号重复，整合后关停。",
        decision_kind=DecisionKind.COLLECTIVE, decision_document=decision_document())


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)
