"""Sign-up, login and logout, the learner's tokens (devices), password change and
reset. Tokens are knox tokens: opaque, stored hashed, expiring after TOKEN_TTL_HOURS,
sent as `Authorization: Bearer <token>`; a password change or reset revokes them
(tutor.models.User.save)."""

from __future__ import annotations

from django.contrib.auth import authenticate, update_session_auth_hash
from django.contrib.auth import logout as session_logout
from django.contrib.auth.forms import PasswordResetForm
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox.models import AuthToken
from rest_framework import status
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from tutor.models import User
from tutor.services import tokens

from .account_serializers import PasswordChangeSerializer, PasswordResetSerializer, TokenSerializer
from .serializers import AuthResponseSerializer, LoginSerializer, SignupSerializer, UserSerializer
from .throttles import (
    LoginGuard,
    PasswordResetEmailThrottle,
    PasswordResetIPThrottle,
    SignupEmailThrottle,
    SignupIPThrottle,
)


def token_response(request, user: User, http_status: int) -> Response:
    instance, token = tokens.issue_token(user=user, request=request)
    data = {
        "access_token": token,
        "token_type": "bearer",
        "expires_at": instance.expiry,
        "user": UserSerializer(user).data,
    }
    return Response(AuthResponseSerializer(data).data, status=http_status)


class SignupView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [SignupIPThrottle, SignupEmailThrottle]

    @extend_schema(
        operation_id="auth_signup",
        request=SignupSerializer,
        responses={201: AuthResponseSerializer, 400: OpenApiResponse(description="Invalid")},
        description="Create a learner account (level B1, goal daily_conversation, "
        "explanations in Indonesian) and get a token. Django's password validators apply.",
    )
    def post(self, request):
        serializer = SignupSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = User.objects.create_user(data["email"], data["password"], name=data["name"])
        return token_response(request, user, status.HTTP_201_CREATED)


class LoginView(APIView):
    """Wrong passwords are counted per (email, address), per address, and against a
    high ceiling per email that never refuses the owner from a clean address."""

    authentication_classes = []
    permission_classes = [AllowAny]

    def get_authenticate_header(self, request) -> str:
        # A 401 needs a challenge; without one DRF turns AuthenticationFailed into 403.
        return "Bearer"

    @extend_schema(
        operation_id="auth_login",
        request=LoginSerializer,
        responses={
            200: AuthResponseSerializer,
            401: OpenApiResponse(description="Invalid credentials"),
            429: OpenApiResponse(description="Too many attempts; see Retry-After"),
        },
    )
    def post(self, request):
        guard = LoginGuard(request)
        if not guard.allows():
            raise Throttled(wait=guard.wait)
        serializer = LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(
            request,
            username=serializer.validated_data["email"],
            password=serializer.validated_data["password"],
        )
        if user is None:
            guard.failed()
            raise AuthenticationFailed("Invalid credentials")
        return token_response(request, user, status.HTTP_200_OK)


class LogoutView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="auth_logout",
        request=None,
        responses={204: None},
        description="The token making the call stops working (or, with the session "
        "cookie, the browser is logged out; API tokens are left alone).",
    )
    def post(self, request):
        if isinstance(request.auth, AuthToken):
            request.auth.delete()
        else:
            session_logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutAllView(APIView):
    @extend_schema(
        operation_id="auth_logout_all",
        request=None,
        responses={204: None},
        description="Log out everywhere: every API token and every browser session of "
        "the learner stop working, the one making the call included.",
    )
    def post(self, request):
        tokens.log_out_everywhere(user=request.user)
        if not isinstance(request.auth, AuthToken):
            session_logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordView(APIView):
    @extend_schema(
        operation_id="auth_password",
        request=PasswordChangeSerializer,
        responses={204: None, 400: OpenApiResponse(description="Wrong or weak password")},
        description="Change the password. Every other API token and browser session of "
        "the learner is revoked; the token (or session) making the call keeps working.",
    )
    def post(self, request):
        user = request.user
        serializer = PasswordChangeSerializer(data=request.data, context={"user": user})
        serializer.is_valid(raise_exception=True)
        if isinstance(request.auth, AuthToken):
            user.keep_token_digest = request.auth.digest
        user.set_password(serializer.validated_data["new_password"])
        user.save(update_fields=["password"])
        if not isinstance(request.auth, AuthToken):
            update_session_auth_hash(request._request, user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordResetView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [PasswordResetIPThrottle, PasswordResetEmailThrottle]

    @extend_schema(
        operation_id="auth_password_reset",
        request=PasswordResetSerializer,
        responses={202: None, 400: OpenApiResponse(description="Not an email address")},
        description="Email a one-time link to the password reset page. The answer is "
        "202 whether or not the address has an account.",
    )
    def post(self, request):
        serializer = PasswordResetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        form = PasswordResetForm(data=serializer.validated_data)
        if form.is_valid():
            form.save(request=request._request, use_https=request.is_secure())
        return Response(status=status.HTTP_202_ACCEPTED)


class TokenListView(APIView):
    @extend_schema(
        operation_id="auth_tokens",
        responses=TokenSerializer(many=True),
        description="The learner's active API tokens (devices), newest first.",
    )
    def get(self, request):
        current = request.auth.digest if isinstance(request.auth, AuthToken) else None
        serializer = TokenSerializer(
            tokens.active_tokens(user=request.user), many=True, context={"current_digest": current}
        )
        return Response(serializer.data)


class TokenDetailView(APIView):
    @extend_schema(operation_id="auth_token_revoke", responses={204: None, 404: None})
    def delete(self, request, token_id):
        if not tokens.revoke_token(user=request.user, token_id=token_id):
            raise Http404("No such token.")
        return Response(status=status.HTTP_204_NO_CONTENT)
