"""Benchmark: what a browser downloads to show a page (the home page by default), as production serves it.

    .venv/bin/python bench/page_weight.py                 # the home page
    .venv/bin/python bench/page_weight.py / /cities/1/    # any pages of the demo data

Steps, all in a temporary directory (the working copy's database and static root are not touched):
  setup    with production settings (DEBUG=false, so CompressedManifestStaticFilesStorage): migrate a new
           SQLite database, load the demo data with its published run (setup_demo), and collectstatic
           (hashed names, and a .gz beside each file that compresses);
  fetch    each page through Django's test client (the whole middleware stack, WhiteNoise included), then
           every static file the page's HTML names (src= and href= under STATIC_URL: scripts, style
           sheets, both icons), each twice: with no Accept-Encoding (raw) and with "gzip" (what WhiteNoise
           sends a browser, which always offers gzip).
Prints one row per file and the page's total. The HTML itself is not compressed by the app (no
GZipMiddleware: gunicorn serves it as rendered); its gzip size (level 6, as a proxy would send it) is
shown beside it for scale. Results go to docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import gzip
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ASSET = re.compile(r"""(?:src|href)="(?P<url>/static/[^"?#]+)""")


def production_env(workdir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    env.update(DEBUG="false", SECRET_KEY="page-weight-bench-only-" + "x" * 40, ALLOWED_HOSTS="testserver",
               GOVWEIBO_VAR_DIR=str(workdir / "var"), STATIC_ROOT=str(workdir / "static"))
    return env


def setup(env: dict[str, str]) -> None:
    for command in (["migrate", "--noinput"], ["setup_demo"], ["collectstatic", "--noinput"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)


def body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def weigh(client, path: str) -> list[tuple[str, int, int, str]]:
    """(url, raw bytes, bytes sent to a gzip-accepting browser, how) for the page and each asset.
    secure=True: production redirects plain HTTP to HTTPS (SECURE_SSL_REDIRECT)."""
    page = client.get(path, secure=True)
    assert page.status_code == 200, (path, page.status_code)
    html = body(page)
    rows = [(path, len(html), len(html), "HTML, not compressed by the app"),
            (f"  (HTML gzip -6, if a proxy compressed it: {len(gzip.compress(html, 6)):,} B)", 0, 0, "")]
    for url in dict.fromkeys(match["url"] for match in ASSET.finditer(html.decode())):
        raw = client.get(url, secure=True)
        sent = client.get(url, secure=True, HTTP_ACCEPT_ENCODING="gzip")
        assert raw.status_code == sent.status_code == 200, url
        rows.append((url, len(body(raw)), len(body(sent)), sent.get("Content-Encoding", "identity")))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", default=["/"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="page_weight_") as tmp:
        env = production_env(Path(tmp))
        setup(env)
        os.environ.update(env)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govweibo.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.test import Client

        client = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
        for path in args.paths:
            rows = weigh(client, path)
            print(f"\n{path}\n{'file':<58} {'raw B':>11} {'sent B':>11}  encoding")
            for url, raw, sent, how in rows:
                print(f"{url:<58} {raw:>11,} {sent:>11,}  {how}" if how else url)
            print(f"{'total':<58} {sum(r[1] for r in rows):>11,} {sum(r[2] for r in rows):>11,}")


if __name__ == "__main__":
    main()
