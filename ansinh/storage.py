"""Where private files are kept: the STORAGES entry for this machine's disk or for an S3-compatible bucket.

Plain data, no Django import: settings build it from the environment, tests build it for their own bucket.
"""


def local_disk(location) -> dict:
    return {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": location}}


def s3_bucket(bucket_name: str, *, endpoint_url=None, region_name=None, location="") -> dict:
    """A bucket (AWS, MinIO, Ceph or any S3-compatible store) via django-storages. Credentials come from
    AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, read by boto3 itself."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket_name,
            "endpoint_url": endpoint_url or None,
            "region_name": region_name or None,
            "location": location,
            # Objects stay private (no ACL of our own: the bucket's private default) and no page links to the
            # bucket: `ansinh.uploads.serve` passes the bytes through after the access check.
            "default_acl": None,
            # Like the local disk: an existing name is never overwritten (names are random anyway).
            "file_overwrite": False,
            # A document being served spills to a temporary file above this size instead of memory.
            "max_memory_size": 2 * 1024 * 1024,
        },
    }
