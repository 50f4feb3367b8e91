"""The OpenAPI description is valid OpenAPI 3.1, says exactly what the checks enforce, and its examples are
accepted by the endpoints with answers the description describes."""

import copy

import pytest
from django.urls import reverse
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate

from govmedia.interaction.api import payload as message_payload
from govmedia.interaction.models import TEXT_MAX
from govmedia.publishing.api import payload as draft_payload
from govmedia.publishing.services.drafts import BODY_HTML_MAX, TITLE_MAX
from govmedia.web import api as web_api
from govmedia.web.api_schema import OPENAPI
from tests.api.conftest import call
from tests.publishing.factories import draft_for

pytestmark = pytest.mark.django_db

SCHEMAS = OPENAPI["components"]["schemas"]


def _validator(schema: dict) -> OAS31Validator:
    # The components travel with the schema, so its "#/components/..." references resolve.
    return OAS31Validator({"components": OPENAPI["components"], **schema}, format_checker=OAS31Validator.FORMAT_CHECKER)


def _operation(path: str, method: str) -> dict:
    return OPENAPI["paths"][path][method]


def _request_schema(path: str, method: str) -> dict:
    return _operation(path, method)["requestBody"]["content"]["application/json"]


def _check_answer(path: str, method: str, response) -> None:
    described = _operation(path, method)["responses"][str(response.status_code)]
    _validator(described["content"]["application/json"]["schema"]).validate(response.json())


def test_the_schema_is_valid_openapi_3_1():
    validate(OPENAPI)
    assert OPENAPI["openapi"] == "3.1.0"


def test_the_schema_is_served_as_json_without_a_token(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response.json() == OPENAPI


def test_every_described_path_is_served(api):
    for path in OPENAPI["paths"]:
        served = call(api, "GET", "/api/v1" + path.replace("{id}", "1"), None)
        assert served.status_code in (401, 405), path  # it exists and asks for a token


def test_the_bodies_name_exactly_the_fields_the_checks_read_with_the_same_limits():
    create, edit = SCHEMAS["DraftCreate"], SCHEMAS["DraftEdit"]
    assert tuple(create["properties"]) == draft_payload.CREATE_FIELDS
    assert tuple(edit["properties"]) == draft_payload.EDIT_FIELDS
    assert tuple(SCHEMAS["DraftSubmit"]["properties"]) == draft_payload.SUBMIT_FIELDS
    assert tuple(create["required"]) == draft_payload.CREATE_REQUIRED
    limits = {name: spec.get("maxLength") for name, spec in create["properties"].items()}
    assert limits == {"unit": draft_payload.UNIT_NAME_MAX, "title": TITLE_MAX, "body_html": BODY_HTML_MAX,
                      "accounts": None, "origin": None, "source_name": draft_payload.SOURCE_NAME_MAX, "grade": None}
    assert create["properties"]["accounts"]["maxItems"] == draft_payload.MAX_ACCOUNTS
    assert SCHEMAS["DraftSubmit"]["properties"]["emergency_reason"]["maxLength"] == draft_payload.EMERGENCY_REASON_MAX
    message = SCHEMAS["MessageCreate"]
    assert tuple(message["properties"]) == message_payload.CREATE_FIELDS
    assert tuple(message["required"]) == message_payload.CREATE_REQUIRED
    assert {name: spec.get("maxLength") for name, spec in message["properties"].items()} == {
        "account": None, "kind": None, "text": TEXT_MAX, "received_at": None,
        "sender_name": message_payload.SENDER_NAME_MAX, "sender_contact": message_payload.SENDER_CONTACT_MAX,
        "platform_message_id": message_payload.PLATFORM_MESSAGE_ID_MAX}
    assert tuple(SCHEMAS["ReplyBody"]["properties"]) == message_payload.REPLY_FIELDS
    assert SCHEMAS["DraftPage"]["properties"]["results"]["maxItems"] == web_api.PAGE_SIZE


def test_the_query_parameters_are_the_ones_the_lists_read():
    for path, names in (("/drafts", draft_payload.LIST_PARAMETERS), ("/messages", message_payload.LIST_PARAMETERS)):
        assert tuple(p["name"] for p in _operation(path, "get")["parameters"]) == names


@pytest.mark.parametrize(("field", "limit"), [("title", TITLE_MAX), ("source_name", draft_payload.SOURCE_NAME_MAX)])
def test_at_its_limit_a_field_is_accepted_and_one_over_it_refused_by_both(api, author_token, edu_weibo, field, limit):
    base = {**_request_schema("/drafts", "post")["examples"]["repost"]["value"], "accounts": [edu_weibo.pk]}
    validator = _validator(_request_schema("/drafts", "post")["schema"])
    at, over = {**base, field: "字" * limit}, {**base, field: "字" * (limit + 1)}
    assert validator.is_valid(at) and not validator.is_valid(over)
    assert call(api, "POST", "/api/v1/drafts", author_token, at).status_code == 201
    refused = call(api, "POST", "/api/v1/drafts", author_token, over)
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == field


@pytest.mark.parametrize("example", sorted(_request_schema("/drafts", "post")["examples"]))
def test_each_draft_example_is_valid_and_accepted(api, author_token, example):
    content = _request_schema("/drafts", "post")
    body = content["examples"][example]["value"]
    _validator(content["schema"]).validate(body)
    response = call(api, "POST", "/api/v1/drafts", author_token, body)
    assert response.status_code == 201
    _check_answer("/drafts", "post", response)
    _check_answer("/drafts/{id}", "get", call(api, "GET", f"/api/v1/drafts/{response.json()['id']}", author_token))
    _check_answer("/drafts", "get", call(api, "GET", "/api/v1/drafts", author_token))


def test_the_edit_and_submit_examples_are_valid_and_accepted(api, author_token, assigned_operator, edu_weibo):
    draft = draft_for(assigned_operator, edu_weibo)
    edit = _request_schema("/drafts/{id}", "patch")
    _validator(edit["schema"]).validate(edit["examples"]["edit"]["value"])
    edited = call(api, "PATCH", f"/api/v1/drafts/{draft.pk}", author_token, edit["examples"]["edit"]["value"])
    assert edited.status_code == 200 and edited.json()["title"] == edit["examples"]["edit"]["value"]["title"]
    _check_answer("/drafts/{id}", "patch", edited)
    submit = _request_schema("/drafts/{id}/submit", "post")
    for name, example in submit["examples"].items():
        _validator(submit["schema"]).validate(example["value"])
        fresh = draft_for(assigned_operator, edu_weibo)
        response = call(api, "POST", f"/api/v1/drafts/{fresh.pk}/submit", author_token, example["value"])
        assert response.status_code == 200, name
        _check_answer("/drafts/{id}/submit", "post", response)


def test_the_message_and_reply_examples_are_valid_and_accepted(api, author_token, edu_weibo):
    content = _request_schema("/messages", "post")
    body = {**content["examples"]["consultation"]["value"], "account": edu_weibo.pk}  # this district's account
    _validator(content["schema"]).validate(body)
    created = call(api, "POST", "/api/v1/messages", author_token, body)
    assert created.status_code == 201
    _check_answer("/messages", "post", created)
    path = f"/api/v1/messages/{created.json()['id']}"
    reply = _request_schema("/messages/{id}/reply", "post")
    for name in ("draft", "submit"):
        _validator(reply["schema"]).validate(reply["examples"][name]["value"])
        response = call(api, "POST", path + "/reply", author_token, reply["examples"][name]["value"])
        assert response.status_code == 200, name
        _check_answer("/messages/{id}/reply", "post", response)
    assert response.json()["reply"]["state"] == "in_review"
    _check_answer("/messages/{id}", "get", call(api, "GET", path, author_token))
    _check_answer("/messages", "get", call(api, "GET", "/api/v1/messages?overdue=false", author_token))


def _bad(**changes) -> dict:
    body = copy.deepcopy(_request_schema("/drafts", "post")["examples"]["original"]["value"])
    for name, value in changes.items():
        if value is ...:
            del body[name]
        else:
            body[name] = value
    return body


@pytest.mark.parametrize("body", [
    _bad(title=...), _bad(unit=...), _bad(origin="forward"), _bad(grade="urgent"), _bad(accounts="1"),
    _bad(accounts=[0]), _bad(title="题" * (TITLE_MAX + 1)), _bad(author=7), _bad(title=""), _bad(unit=1.5),
], ids=["no title", "no unit", "unknown origin", "unknown grade", "accounts not a list", "account id 0",
        "title too long", "unknown field", "empty title", "fractional unit"])
def test_what_the_schema_refuses_the_endpoint_refuses_with_errors_the_schema_describes(api, author_token, body):
    assert not _validator(_request_schema("/drafts", "post")["schema"]).is_valid(body)
    response = call(api, "POST", "/api/v1/drafts", author_token, body)
    assert response.status_code == 400
    _check_answer("/drafts", "post", response)


def test_refusals_carry_the_error_shape_the_schema_describes(api, author_token, street_weibo, monkeypatch):
    _check_answer("/drafts", "get", call(api, "GET", "/api/v1/drafts", "gmu_wrong"))
    _check_answer("/drafts/{id}", "get", call(api, "GET", "/api/v1/drafts/999", author_token))
    forbidden = call(api, "POST", "/api/v1/drafts", author_token, _bad(unit="灵山卫街道"))
    assert forbidden.status_code == 403
    _check_answer("/drafts", "post", forbidden)
    monkeypatch.setattr(web_api, "MAX_BODY_BYTES", 10)
    _check_answer("/drafts", "post", call(api, "POST", "/api/v1/drafts", author_token, _bad()))
    _check_answer("/drafts", "post", call(api, "POST", "/api/v1/drafts", author_token, "x", content_type="text/plain"))


def test_the_token_page_links_the_description(assigned_operator, client):
    client.force_login(assigned_operator)
    assert reverse("api_openapi") in client.get(reverse("api_tokens")).content.decode()
