"""Snapshot files uploaded over the API: the same import job as the upload page (accounts.services),
so the same importer, all-or-nothing, with the same line-numbered problems.

POST a file (multipart, field `file`; optional `dry_run`, `encoding`) with the permission “Can import
snapshot files”: the answer is 202 with the job and its status URL (Location). Poll the job until its
status is done or failed; a rejected file's job lists its problems (line, column, message in the
request's language). Jobs are seen by their uploader and by users who may import.
"""
from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.forms import SnapshotUploadForm
from accounts.models import ImportJob, in_active_language
from accounts.permissions import can_import
from accounts.services import import_job_start
from api.renderers import ExportableMixin


class CanImportOrReadOwn(permissions.BasePermission):
    """Uploading needs “Can import snapshot files”; reading a job, being its uploader or an importer."""

    message = _("You need the permission “Can import snapshot files” to do this.")

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in permissions.SAFE_METHODS or can_import(request.user)


class ProblemSerializer(serializers.Serializer):
    line = serializers.IntegerField(allow_null=True, help_text=_("The file's line (1 is the header)"))
    column = serializers.CharField(allow_null=True, allow_blank=True)
    message = serializers.CharField()


class ImportJobSerializer(serializers.ModelSerializer):
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    problems = serializers.SerializerMethodField()
    error = serializers.SerializerMethodField(help_text=_("Why the job failed, in the request's language"))
    finished = serializers.BooleanField(read_only=True)
    links = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = ["id", "file_name", "file_size", "dry_run", "encoding", "status", "progress", "rows_done",
                  "finished", "created_at", "created_by", "started_at", "finished_at", "cities_created",
                  "accounts_created", "snapshots_created", "snapshots_replaced", "problem_count", "problems",
                  "error", "links"]

    @staticmethod
    def get_problems(job: ImportJob) -> list[dict[str, Any]]:
        return ProblemSerializer([{**problem, "message": in_active_language(problem["message"])}
                                  for problem in job.problems], many=True).data

    @staticmethod
    def get_error(job: ImportJob) -> str:
        return job.error_text

    def get_links(self, job: ImportJob) -> dict[str, str]:
        request = self.context.get("request")
        paths = {"self": reverse("api:import-detail", args=[job.pk]),
                 "page": reverse("accounts:import_job", args=[job.pk])}
        return {name: request.build_absolute_uri(path) if request else path for name, path in paths.items()}


class UploadSerializer(serializers.Serializer):
    """For the schema: the multipart fields (SnapshotUploadForm validates them)."""

    file = serializers.FileField(help_text=_("CSV, tab-separated .txt or .xlsx, one row per account and period"))
    dry_run = serializers.BooleanField(required=False, default=False, help_text=_("Check only, write nothing"))
    encoding = serializers.ChoiceField(required=False, allow_blank=True,
                                       choices=["", "utf-8", "gb18030", "utf-16", "big5", "latin-1", "cp1252"])


FAILED_EXAMPLE = OpenApiExample("A rejected file", response_only=True, value={
    "id": 5, "file_name": "bad.csv", "status": "failed", "progress": 100, "finished": True, "problem_count": 1,
    "problems": [{"line": 3, "column": "fans", "message": "“many” is not a whole number"}],
    "error": "The file was not imported: 1 problem.",
})


@extend_schema_view(
    list=extend_schema(summary=_("Import jobs (yours, or all for importers)")),
    retrieve=extend_schema(summary=_("One import job: status, progress, counts, problems"),
                           examples=[FAILED_EXAMPLE]),
)
class ImportJobViewSet(ExportableMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       viewsets.GenericViewSet):
    serializer_class = ImportJobSerializer
    permission_classes = [CanImportOrReadOwn]
    parser_classes = [MultiPartParser, FormParser]
    export_name = "imports"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema, generated without a user
            return ImportJob.objects.none()
        jobs = ImportJob.objects.select_related("created_by").order_by("-created_at", "-id")
        return jobs if can_import(self.request.user) else jobs.filter(created_by=self.request.user)

    @extend_schema(summary=_("Upload a snapshot file to import"), request={"multipart/form-data": UploadSerializer},
                   responses={202: ImportJobSerializer})
    def create(self, request: Request) -> Response:
        form = SnapshotUploadForm(data=request.data, files=request.FILES)
        if not form.is_valid():
            raise serializers.ValidationError({field: [error["message"] for error in errors]
                                               for field, errors in form.errors.get_json_data().items()})
        upload = form.cleaned_data["file"]
        job = import_job_start(source=upload, file_name=upload.name, user=request.user,
                               dry_run=form.cleaned_data["dry_run"], encoding=form.cleaned_data["encoding"])
        job = ImportJob.objects.select_related("created_by").get(pk=job.pk)  # inline without Redis: maybe done
        data = self.get_serializer(job).data
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["links"]["self"]})
