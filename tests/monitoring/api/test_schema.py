"""The OpenAPI description is valid OpenAPI 3.1, and the endpoint behaves as it says."""

import copy

import pytest
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate

from govmedia.monitoring.api import payload
from govmedia.monitoring.api.schema import OPENAPI
from govmedia.monitoring.models import Post
from tests.monitoring.api.conftest import push

pytestmark = pytest.mark.django_db

OPERATION = OPENAPI["paths"]["/posts"]["post"]
REQUEST = OPERATION["requestBody"]["content"]["application/json"]


def _validator(schema: dict) -> OAS31Validator:
    # The components travel with the schema, so its "#/components/..." references resolve.
    return OAS31Validator({"components": OPENAPI["components"], **schema},
                          format_checker=OAS31Validator.FORMAT_CHECKER)


def _response_validator(status: str) -> OAS31Validator:
    return _validator(OPERATION["responses"][status]["content"]["application/json"]["schema"])


def test_the_schema_is_valid_openapi_3_1():
    validate(OPENAPI)
    assert OPENAPI["openapi"] == "3.1.0"


def test_the_schema_is_served_as_json_without_logging_in(client):
    response = client.get("/monitoring/api/v1/openapi.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response.json() == OPENAPI


def test_the_schema_lists_exactly_the_fields_and_limits_the_endpoint_reads():
    post = OPENAPI["components"]["schemas"]["Post"]
    assert set(post["properties"]) == set(payload.FIELDS)
    assert post["required"] == ["id"]
    batch = OPENAPI["components"]["schemas"]["Batch"]["properties"]["posts"]
    assert batch["maxItems"] == payload.MAX_BATCH


@pytest.mark.parametrize("example", sorted(REQUEST["examples"]))
def test_each_example_request_is_valid_and_accepted_and_the_answer_matches_the_schema(api, edu_token, example):
    body = REQUEST["examples"][example]["value"]
    _validator(REQUEST["schema"]).validate(body)
    response = push(api, edu_token, body)
    assert response.status_code == 201
    _response_validator("201").validate(response.json())
    again = push(api, edu_token, body)
    assert again.status_code == 200
    _response_validator("200").validate(again.json())
    assert Post.objects.count() == len(body.get("posts", [body]))


def _bad(**changes) -> dict:
    post = copy.deepcopy(REQUEST["examples"]["single"]["value"])
    for name, value in changes.items():
        if value is ...:
            del post[name]
        else:
            post[name] = value
    return post


@pytest.mark.parametrize("body", [
    _bad(id=...), _bad(reads=-1), _bad(kind="forward"), _bad(deleted="yes"), _bad(links="https://a.cn"),
    _bad(title="题" * (payload.MAX_TITLE_CHARS + 1)), _bad(account=7), _bad(media_count=1.5),
    {"posts": []}, {"posts": [_bad()], "account": 7}, [_bad()],
], ids=["no id", "negative reads", "unknown kind", "deleted not bool", "links not a list", "title too long",
        "account field", "fractional count", "empty batch", "field beside posts", "bare list"])
def test_what_the_schema_refuses_the_endpoint_refuses_with_errors_the_schema_describes(api, edu_token, body):
    assert not _validator(REQUEST["schema"]).is_valid(body)
    response = push(api, edu_token, body)
    assert response.status_code == 400
    _response_validator("400").validate(response.json())
    assert not Post.objects.exists()


def test_refusals_carry_the_error_shape_the_schema_describes(api, edu_token):
    _response_validator("401").validate(push(api, "gm_wrong", {"id": "1"}).json())
    _response_validator("405").validate(api.get("/monitoring/api/v1/posts").json())
