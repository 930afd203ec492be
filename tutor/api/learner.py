"""The learner's own profile, progress and word list."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from tutor.services.progress import common_issues, practice_progress
from tutor.services.vocabulary import add_word, get_item_for, word_list

from .pagination import WordListPagination
from .serializers import (
    ProfileSerializer,
    ProgressSerializer,
    VocabularyAddSerializer,
    VocabularyItemSerializer,
    VocabularySearchSerializer,
)

NEXT_PAGE_LINK = OpenApiParameter(
    "Link",
    str,
    location=OpenApiParameter.HEADER,
    response=[200],
    description='RFC 8288: `<absolute URL of the next page>; rel="next"`; absent on the last page.',
)


class ProfileView(APIView):
    def _shaped(self, request) -> Response:
        context = {"common_issues": common_issues(request.user)}
        return Response(ProfileSerializer(request.user, context=context).data)

    @extend_schema(operation_id="profile_get", responses=ProfileSerializer)
    def get(self, request):
        return self._shaped(request)

    @extend_schema(
        operation_id="profile_update",
        request=ProfileSerializer,
        responses={200: ProfileSerializer, 400: OpenApiResponse(description="Invalid value")},
    )
    def patch(self, request):
        serializer = ProfileSerializer(request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changed = [name for name in serializer.validated_data]
        if changed:
            for name, value in serializer.validated_data.items():
                setattr(request.user, name, value)
            request.user.save(update_fields=changed)
        return self._shaped(request)


class ProgressView(APIView):
    @extend_schema(operation_id="progress_get", responses=ProgressSerializer)
    def get(self, request):
        return Response(ProgressSerializer(practice_progress(request.user)).data)


class VocabularyListView(GenericAPIView):
    pagination_class = WordListPagination
    serializer_class = VocabularyAddSerializer  # what OPTIONS describes for POST

    def get_queryset(self):
        query = VocabularySearchSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return word_list(self.request.user, query=query.validated_data["q"])

    @extend_schema(
        operation_id="vocabulary_list",
        parameters=[VocabularySearchSerializer, NEXT_PAGE_LINK],
        responses={
            200: VocabularyItemSerializer(many=True),
            400: OpenApiResponse(description="Invalid search, limit or cursor"),
        },
        description="One page of the learner's words, alphabetically (case-insensitive). "
        "The body is a plain list; when there is more, the `Link` header gives the next "
        'page\'s URL (`<…?cursor=…&limit=…>; rel="next"`), which keeps `q` and `limit`.',
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        context = {"now": timezone.now()}
        data = VocabularyItemSerializer(page, many=True, context=context).data
        return self.get_paginated_response(data)

    @extend_schema(
        operation_id="vocabulary_add",
        request=VocabularyAddSerializer,
        responses={
            201: VocabularyItemSerializer,
            200: OpenApiResponse(VocabularyItemSerializer, description="Already in the list"),
        },
    )
    def post(self, request):
        serializer = VocabularyAddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item, created = add_word(learner=request.user, **serializer.validated_data)
        return Response(
            VocabularyItemSerializer(item).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class VocabularyItemView(APIView):
    @extend_schema(operation_id="vocabulary_delete", responses={204: None})
    def delete(self, request, item_id):
        get_item_for(request.user, item_id).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
