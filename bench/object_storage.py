"""What keeping private files in an S3-compatible bucket costs against the local disk: storing a document and
serving it back through `ansinh.uploads.serve` (the download views' path), for a 100 KB and a 5 MB PDF.
The bucket is moto's S3 server on loopback, so the figures show our side (boto3, HTTP, the spooled copy),
not a real object store's network; the local disk is the baseline measured in the same run.

Run: .venv/bin/python bench/object_storage.py [--repeat 20]   (needs the test dependencies: moto[s3], flask)
"""

import argparse
import os
import socket
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ansinh.settings")
os.environ.update(AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench")

import django  # noqa: E402

django.setup()

import boto3  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402
from django.test import override_settings  # noqa: E402
from moto.server import ThreadedMotoServer  # noqa: E402

from ansinh import storage, uploads  # noqa: E402
from registrations.models import RegistrationDocument  # noqa: E402

PDF_HEAD = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"


def pdf_of(size: int) -> bytes:
    return PDF_HEAD + b"%" + os.urandom(size // 2).hex().encode()[: size - len(PDF_HEAD) - 8] + b"\n%%EOF\n"


def measure(content: bytes, repeat: int) -> tuple[float, float]:
    """Median ms to store the document, and to serve it back whole (shown inline: the PDF is scanned too)."""
    stores, serves = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        name = default_storage.save(f"bench/{uuid.uuid4().hex}.pdf", ContentFile(content))
        stores.append(time.perf_counter() - start)
        doc = RegistrationDocument(file=name, original_name="bench.pdf", content_type="application/pdf")
        start = time.perf_counter()
        response = uploads.serve(doc, inline=True)
        served = b"".join(response.streaming_content)
        response.close()
        serves.append(time.perf_counter() - start)
        assert served == content
    return statistics.median(stores) * 1000, statistics.median(serves) * 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(Bucket="ansinh-bench")
    stores = {
        "local disk": storage.local_disk(tempfile.mkdtemp(prefix="ansinh-bench-")),
        "S3 (moto)": storage.s3_bucket("ansinh-bench", endpoint_url=endpoint, region_name="us-east-1"),
    }
    try:
        for size in (100 * 1024, 5 * 1024 * 1024):
            content = pdf_of(size)
            results = {}
            for label, entry in stores.items():
                with override_settings(STORAGES={"default": entry}):
                    results[label] = measure(content, args.repeat)
            (disk_store, disk_serve), (s3_store, s3_serve) = results.values()
            print(f"{size // 1024:>5} KB, median of {args.repeat}:")
            print(f"  local disk  store {disk_store:7.1f} ms  serve {disk_serve:7.1f} ms")
            print(
                f"  S3 (moto)   store {s3_store:7.1f} ms  serve {s3_serve:7.1f} ms"
                f"   ratio store {s3_store / disk_store:.1f}x, serve {s3_serve / disk_serve:.1f}x"
            )
    finally:
        server.stop()


if __name__ == "__main__":
    main()
