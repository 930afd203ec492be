"""The learner's rights over their data: delete the account (DELETE /api/user) and
download a copy of it (GET /api/user/export). Thin views over tutor.services.account."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.contrib.auth import logout
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from tutor.models import User
from tutor.services.account import delete_account, export_account

from .throttles import confirm_password

WRONG_PASSWORD = _("That is not your password.")


class AccountDeleteSerializer(serializers.Serializer):
    password = serializers.CharField(max_length=128, trim_whitespace=False)

    def validate_password(self, value: str) -> str:
        if not confirm_password(self.context["user"], value):
            raise serializers.ValidationError(WRONG_PASSWORD)
        return value


class AccountView(APIView):
    @extend_schema(
        operation_id="account_delete",
        description=(
            "Deletes the learner's account for good: every session, turn, piece of "
            'feedback, word, review, attempt, token and recording. The JSON body is {"password": '
            '"..."}, the account\'s password (OpenAPI describes no body on DELETE).'
        ),
        responses={
            204: None,
            400: OpenApiResponse(description="Wrong or missing password; nothing deleted"),
            401: OpenApiResponse(description="Not logged in"),
        },
    )
    def delete(self, request):
        serializer = AccountDeleteSerializer(data=request.data, context={"user": request.user})
        serializer.is_valid(raise_exception=True)
        delete_account(user=request.user)
        logout(request._request)  # a browser calling with its session cookie is logged out
        return Response(status=status.HTTP_204_NO_CONTENT)


def export_response(user: User) -> FileResponse:
    """The zip as a download named by the learner's own date (the page view sends it too)."""
    today = timezone.localdate(timezone=ZoneInfo(user.time_zone))
    return FileResponse(
        export_account(user=user),
        as_attachment=True,
        filename=f"macca-data-{today:%Y-%m-%d}.zip",
        content_type="application/zip",
    )


class _AnyAccept(BaseContentNegotiation):
    """A zip whatever the client accepts (errors stay JSON): `Accept: application/zip`
    would otherwise be refused with 406, as the API renders only JSON."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ExportView(APIView):
    content_negotiation_class = _AnyAccept

    @extend_schema(
        operation_id="account_export",
        description="A zip of the learner's data: macca.json (profile, sessions with "
        "their turns and feedback, vocabulary with its reviews, pronunciation attempts, "
        "recurring mistakes) and the learner's recordings under recordings/, named in it.",
        responses={
            (200, "application/zip"): OpenApiResponse(
                OpenApiTypes.BINARY, description="macca-data-YYYY-MM-DD.zip, as a download"
            ),
            401: OpenApiResponse(description="Not logged in"),
        },
    )
    def get(self, request):
        return export_response(request.user)
