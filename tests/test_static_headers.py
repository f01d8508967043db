"""Static files under the production settings carry the site's security headers.

WhiteNoise answers /static/ itself, before the middleware below it run: placed above
``config.middleware.SecurityHeadersMiddleware``, it sent CSS, scripts and SVG images without the
Content-Security-Policy and Permissions-Policy that every other answer has (an SVG opened on
its own is a document that may run script).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_production_static_files_carry_the_security_headers(tmp_path):
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    )
    (tmp_path / "site.css").write_text("body { color: black; }")
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "a-long-random-secret-key-for-this-test-only-0123456789",
        "ALLOWED_HOSTS": "archive.example.org",
        "STATIC_ROOT": str(tmp_path),
        "HTTPS": "false",
    }
    script = (
        "import django, json\n"
        "django.setup()\n"
        "from django.test import Client\n"
        "out = {}\n"
        "for path in ('/static/img/logo.svg', '/static/site.css'):\n"
        "    r = Client().get(path, HTTP_HOST='archive.example.org')\n"
        "    out[path] = {'status': r.status_code, 'headers': dict(r.headers)}\n"
        "print(json.dumps(out))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    for path, answer in out.items():
        assert answer["status"] == 200, path
        headers = answer["headers"]
        assert "default-src 'self'" in headers.get("Content-Security-Policy", ""), path
        assert "frame-ancestors 'self'" in headers["Content-Security-Policy"], path
        assert "camera=()" in headers.get("Permissions-Policy", ""), path
        assert headers.get("X-Content-Type-Options") == "nosniff", path
