"""Sign-up, login and logout. Tokens are knox tokens: opaque, stored hashed,
expiring after TOKEN_TTL_HOURS, sent as `Authorization: Bearer <token>`."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.contrib.auth import logout as session_logout
from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox.models import AuthToken
from rest_framework import status
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from tutor.models import User

from .serializers import AuthResponseSerializer, LoginSerializer, SignupSerializer, UserSerializer
from .throttles import LoginEmailThrottle, LoginIPThrottle, SignupEmailThrottle, SignupIPThrottle


def token_response(user: User, http_status: int) -> Response:
    instance, token = AuthToken.objects.create(user)
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
        return token_response(user, status.HTTP_201_CREATED)


class LoginView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [LoginIPThrottle, LoginEmailThrottle]

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
        serializer = LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(
            request,
            username=serializer.validated_data["email"],
            password=serializer.validated_data["password"],
        )
        if user is None:
            raise AuthenticationFailed("Invalid credentials")
        return token_response(user, status.HTTP_200_OK)


class LogoutView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="auth_logout", request=None, responses={204: None})
    def post(self, request):
        if isinstance(request.auth, AuthToken):
            request.auth.delete()
        else:
            session_logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)
