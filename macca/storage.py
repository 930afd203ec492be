"""Media in an S3-compatible bucket (MEDIA_STORAGE=s3), served by Macca as from disk.

The bucket stays private: objects are written without an ACL (the bucket's own,
private by default), and `url()` names Macca's route under MEDIA_URL, never the
bucket, so a learner's speech and recordings are only reached through Macca's views
and their owner check, as they are from MEDIA_ROOT.

Why Macca streams the bytes rather than redirecting to a presigned URL: clients see
exactly what they see with files on disk (200, 206 with `Content-Range`, 416;
`Cache-Control` and `Vary` set by Macca), the bucket needs no CORS rules and no
public endpoint, and a URL that leaked from a browser's history or a log opens
nothing. The cost is the bytes passing through the app server, which are small
(a reply is ~3 KB per second of speech) and which `read_range` keeps to what was
asked: a `Range` request fetches only that range from the bucket (a ranged GetObject),
where django-storages' `S3File` would download the whole object before seeking."""

from __future__ import annotations

from contextlib import closing
from urllib.parse import urljoin

from botocore.config import Config
from botocore.exceptions import ClientError
from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

# A bucket that stops answering costs a turn seconds, not boto3's default minute.
CLIENT_CONFIG = Config(
    connect_timeout=5, read_timeout=20, retries={"mode": "standard", "max_attempts": 3}
)


class MediaS3Storage(S3Storage):
    """django-storages' S3 backend with Macca's URLs, private objects, no overwrites
    (as on disk: a second file of one name gets another name) and ranged reads."""

    default_acl = None
    file_overwrite = False
    querystring_auth = True  # were a URL of the bucket ever made, it would be signed

    def __init__(self, **options) -> None:
        super().__init__(**options)
        self.client_config = self.client_config.merge(CLIENT_CONFIG)

    def url(self, name: str, parameters=None, expire=None, http_method=None) -> str:
        """Macca's own URL of the file (its views check who may hear it)."""
        return urljoin(settings.MEDIA_URL, filepath_to_uri(name))

    def read_range(self, name: str, start: int, length: int) -> bytes:
        """`length` bytes from `start`, fetched alone; FileNotFoundError when gone."""
        if length <= 0:
            return b""
        try:
            answer = self.connection.meta.client.get_object(
                Bucket=self.bucket_name,
                Key=self._normalize_name(clean_name(name)),
                Range=f"bytes={start}-{start + length - 1}",
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                raise FileNotFoundError(f"No such file: {name}") from error
            raise
        with closing(answer["Body"]) as body:
            return body.read()
