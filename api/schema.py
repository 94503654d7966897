"""The OpenAPI schema of every API view (REST_FRAMEWORK's DEFAULT_SCHEMA_CLASS): drf-spectacular's, plus
the error answers any operation can give, in the one error shape of api/errors.py. schemathesis checks in
the tests that each status code the API answers with is documented, with its body.

`_get_response_bodies` is a private method of drf-spectacular's AutoSchema: an upgrade may rename it, in
which case tests/api/test_v1_schema.py fails and says so.
"""
from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse

from api.errors import ErrorSerializer

_ERRORS = {
    "400": OpenApiResponse(
        response=ErrorSerializer,
        description=_("Invalid parameters: error.details holds each bad parameter or field with its "
                      "messages, e.g. {\"level\": [\"…\"]}")),
    "401": OpenApiResponse(response=ErrorSerializer, description=_("Not signed in")),
    "403": OpenApiResponse(response=ErrorSerializer,
                           description=_("Wrong credentials, or no permission for this")),
    "404": OpenApiResponse(response=ErrorSerializer,
                           description=_("No such object, or no such page of results")),
    "405": OpenApiResponse(response=ErrorSerializer, description=_("Method not allowed")),
    "406": OpenApiResponse(response=ErrorSerializer, description=_("Unsupported Accept header or format")),
    "413": OpenApiResponse(response=ErrorSerializer,
                           description=_("The request body is larger than the limit (DATA_UPLOAD_MAX_MEMORY_SIZE)")),
    "414": OpenApiResponse(response=ErrorSerializer,
                           description=_("The URL is longer than the limit (API_MAX_URL_LENGTH characters)")),
    "429": OpenApiResponse(response=ErrorSerializer, description=_("Too many requests; retry later")),
}


class DocumentedErrorsSchema(AutoSchema):
    """drf-spectacular's schema, plus the error answers every operation can give (schemathesis checks
    that each status code the API answers with is documented, with its body)."""

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        bodies = super()._get_response_bodies(direction)
        for code, response in _ERRORS.items():
            if code not in bodies:
                bodies[code] = self._get_response_for_code(response, code, direction=direction)
        return bodies


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Documents api.authentication.ApiTokenAuthentication (registered by being defined: this module is
    loaded as the schema class)."""

    target_class = "api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, str]:
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": str(_("“Token gw_…”: create one at /api/v1/tokens/, in the admin or with "
                                     "manage.py api_token"))}
