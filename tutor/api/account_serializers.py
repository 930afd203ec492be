"""Input and output of the account-security endpoints: password change and reset,
and the learner's API tokens (their devices)."""

from __future__ import annotations

from django.contrib.auth import password_validation
from rest_framework import serializers

from .throttles import confirm_password


class PasswordChangeSerializer(serializers.Serializer):
    current_password = serializers.CharField(max_length=128, trim_whitespace=False)
    new_password = serializers.CharField(max_length=128, trim_whitespace=False)

    def validate_current_password(self, value: str) -> str:
        if not confirm_password(self.context["user"], value):
            raise serializers.ValidationError("Your current password is not right.")
        return value

    def validate_new_password(self, value: str) -> str:
        password_validation.validate_password(value, user=self.context["user"])
        return value


class PasswordResetSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class TokenSerializer(serializers.Serializer):
    """One active token: what the learner needs to recognise and revoke a device."""

    id = serializers.UUIDField(source="activity.id")
    prefix = serializers.CharField(source="token_key")
    device = serializers.CharField(source="activity.user_agent")
    created = serializers.DateTimeField()
    expires_at = serializers.DateTimeField(source="expiry", allow_null=True)
    last_used_at = serializers.DateTimeField(source="activity.last_used_at", allow_null=True)
    current = serializers.SerializerMethodField()

    def get_current(self, token) -> bool:
        return token.digest == self.context.get("current_digest")
