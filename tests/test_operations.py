"""What an operator meets: docker compose and .env.example as they are shipped, the settings read
from the environment (bad values stop startup with what to write), the system checks, setting up
a fresh site, scheduled publishing, and the demo in a production install (no test packages)."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client, override_settings
from django.utils import timezone
from wagtail.models import Page, Site

from archive.factories import SeminarPageFactory
from archive.models import SeminarIndexPage

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SECRET = "a-long-random-secret-key-for-this-test-only-0123456789"


def env_example() -> dict[str, str]:
    """The variables of .env.example as `cp .env.example .env` gives them to compose."""
    text = (ROOT / ".env.example").read_text()
    return dict(re.findall(r"^([A-Z0-9_]+)=(.*)$", text, re.M))


def interpolate(value: str, variables: dict[str, str]) -> str:
    """Compose's interpolation of ${VAR}, ${VAR:-default} and ${VAR:?error} in ``value``."""

    def one(match):
        name, op, arg = match.group(1), match.group(2), match.group(3)
        current = variables.get(name, "")
        if op == ":-":
            return current or arg
        if op == ":?":
            assert current, arg
        return current

    return re.sub(r"\$\{([A-Z0-9_]+)(?:(:-|:\?)([^}]*))?\}", one, value)


def compose_environment(service: str, dot_env: dict[str, str]) -> dict[str, str]:
    """The environment docker compose gives ``service`` with ``dot_env`` as its .env: the
    env_file first, then the service's own ``environment``, interpolated from .env."""
    spec = COMPOSE["services"][service]
    env = dict(dot_env) if spec.get("env_file") else {}
    env |= {k: interpolate(str(v), dot_env) for k, v in spec.get("environment", {}).items()}
    return env


def run_settings(env: dict[str, str], code: str) -> subprocess.CompletedProcess:
    """``code`` run in a fresh Python with exactly ``env`` (and PATH) as its environment."""
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"PATH": os.environ.get("PATH", ""), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


# --------------------------------------------------------------------------- compose and .env


def test_env_example_leaves_https_off_so_the_local_stack_answers_on_http():
    """`cp .env.example .env` once turned on HTTPS: the compose stack redirected every request
    to https://127.0.0.1:8000, where nothing listens."""
    dot_env = env_example() | {"SECRET_KEY": SECRET, "ALLOWED_HOSTS": "arkiv.example.se"}
    web = compose_environment("web", dot_env)
    out = run_settings(
        web | {"DATABASE_URL": "sqlite:///:memory:", "DATABASE_PASSWORD": ""},
        "from django.conf import settings as s\n"
        "print(s.HTTPS, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)",
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["False", "False", "False", "0"]


def healthcheck_request(service: str) -> tuple[str, dict[str, str]]:
    """(path, headers) of the HTTP request ``service``'s health check sends."""
    test = COMPOSE["services"][service]["healthcheck"]["test"]
    headers, url = {}, None
    for flag, value in zip(test, test[1:], strict=False):
        if flag in ("-H", "--header"):
            name, _sep, text = value.partition(":")
            headers[name.strip()] = text.strip()
    url = next(part for part in test if part.startswith("http://"))
    return "/" + url.split("/", 3)[3], headers


@pytest.mark.django_db
@pytest.mark.parametrize("service", ["web", "proxy"])
def test_health_checks_reach_a_view_also_with_https_on(archive_root, service):
    """With HTTPS=true the web check passed on the redirect (no view, no database) and the proxy
    check followed it to port 443 and always failed. Both now get the view's answer."""
    path, headers = healthcheck_request(service)
    with override_settings(
        SECURE_SSL_REDIRECT=True, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")
    ):
        response = Client().get(path, headers=headers)  # a new handler reads the settings
        assert response.status_code == 200, response.get("Location")
        assert b"Sitemap:" in response.content
        # and the same request without the check's headers would have been redirected
        assert Client().get(path).status_code == 301


def test_a_database_password_with_url_characters_reaches_the_database_as_it_is():
    """Compose put POSTGRES_PASSWORD inside DATABASE_URL: "ab/cd" was "not a valid url" and
    "ab%cd" silently another password."""
    password = "a/b#c?d%41e@f"
    dot_env = {"SECRET_KEY": SECRET, "ALLOWED_HOSTS": "x.example", "POSTGRES_PASSWORD": password}
    for service in ("web", "worker", "scheduler"):
        env = compose_environment(service, dot_env)
        out = run_settings(
            env,
            "from django.conf import settings as s\n"
            "d = s.DATABASES['default']\n"
            "print(repr((d['USER'], d['PASSWORD'], d['HOST'], d['PORT'], d['NAME'])))",
        )
        assert out.returncode == 0, out.stderr[-2000:]
        assert out.stdout.strip() == repr(("archive", password, "db", 5432, "archive")), service
    assert COMPOSE["services"]["db"]["environment"]["POSTGRES_PASSWORD"] == (
        "${POSTGRES_PASSWORD:-archive}"
    )


def test_web_sets_up_the_site_and_a_scheduler_publishes_on_schedule():
    """A fresh stack showed Wagtail's welcome page, and nothing ran publish_scheduled."""
    web = COMPOSE["services"]["web"]["command"]
    steps = [web.index(f"manage.py {step}") for step in ("migrate", "createcachetable")]
    # after both: publishing the archive and saving the site clear entries in the database cache
    assert max(steps) < web.index("manage.py setup_site") < web.index("gunicorn")
    commands = {name: str(spec.get("command", "")) for name, spec in COMPOSE["services"].items()}
    [scheduler] = [name for name, command in commands.items() if "run_schedule" in command]
    assert COMPOSE["services"][scheduler]["depends_on"]["web"]["condition"] == "service_healthy"
    assert COMPOSE["services"]["proxy"]["depends_on"]["web"]["restart"] is True


# --------------------------------------------------------------------------- settings


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": SECRET,
    "ALLOWED_HOSTS": "arkiv.example.se",
}


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"SEARCH_TIMEOUT_SECONDS": ""}, "2.0 INFO"),
        ({"SEARCH_TIMEOUT_SECONDS": "0.5", "LOG_LEVEL": "info"}, "0.5 INFO"),
        ({"LOG_LEVEL": " warning "}, "2.0 WARNING"),
    ],
)
def test_empty_and_lower_case_values_are_read(env, expected):
    out = run_settings(
        PRODUCTION | env,
        "import django\ndjango.setup()\nfrom django.conf import settings as s\n"
        "import logging\n"
        "assert logging.getLogger('archive').level == getattr(logging, s.LOG_LEVEL)\n"
        "print(s.SEARCH_TIMEOUT_SECONDS, s.LOG_LEVEL)",
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == expected


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SEARCH_TIMEOUT_SECONDS": "2s"}, "SEARCH_TIMEOUT_SECONDS must be a number of seconds"),
        ({"LOG_LEVEL": "loud"}, "LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL"),
        ({"ALLOWED_HOSTS": ""}, "Set ALLOWED_HOSTS to the host names the site answers to"),
        ({"ALLOWED_HOSTS": " , "}, "Set ALLOWED_HOSTS to the host names the site answers to"),
        ({"HTTPS": "maybe"}, "HTTPS must be true or false, got 'maybe'"),
        ({"DATABASE_URL": "postgres://u:ab/cd@db:5432/x"}, "DATABASE_URL is not a database URL"),
        ({"EMAIL_USE_TLS": "true", "EMAIL_USE_SSL": "true"}, "not both"),
    ],
)
def test_bad_values_stop_startup_with_what_to_write(env, message):
    out = run_settings(PRODUCTION | env, "import django\ndjango.setup()")
    assert out.returncode == 1
    last = out.stderr.strip().splitlines()[-1]
    assert last.startswith("django.core.exceptions.ImproperlyConfigured: "), last
    assert message in last
    assert "ab/cd" not in out.stderr  # a database URL's password is never repeated


def test_mail_settings_come_from_the_environment():
    env = PRODUCTION | {
        "EMAIL_HOST": "smtp.example.se",
        "EMAIL_HOST_USER": "arkiv",
        "EMAIL_HOST_PASSWORD": "hemligt",
        "EMAIL_USE_TLS": "True",
        "DEFAULT_FROM_EMAIL": "Seminariearkivet <arkiv@example.se>",
    }
    out = run_settings(
        env,
        "from django.conf import settings as s\n"
        "print(repr((s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_HOST_PASSWORD,"
        " s.EMAIL_USE_TLS, s.EMAIL_USE_SSL, s.DEFAULT_FROM_EMAIL, s.SERVER_EMAIL)))",
    )
    assert out.returncode == 0, out.stderr[-2000:]
    sender = "Seminariearkivet <arkiv@example.se>"
    assert out.stdout.strip() == repr(
        ("smtp.example.se", 587, "arkiv", "hemligt", True, False, sender, sender)
    )


def deploy_check(env: dict[str, str]) -> str:
    out = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env={"PATH": os.environ.get("PATH", "")} | PRODUCTION | env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return out.stdout + out.stderr


def test_deploy_check_warns_when_production_has_no_mail_server():
    without = deploy_check({})
    assert "config.W001" in without and "EMAIL_HOST" in without
    assert "config.W002" in without  # webmaster@localhost
    configured = deploy_check({"EMAIL_HOST": "localhost", "DEFAULT_FROM_EMAIL": "a@example.se"})
    assert "config.W001" not in configured and "config.W002" not in configured


def test_api_rate_limit_is_checked_in_the_limiters_syntax():
    """A malformed value passed every check, then every /api/ request answered 500
    ('NoneType' object has no attribute 'groups'); "120/M" quietly meant 120 a second."""
    from django_ratelimit.core import _split_rate

    for rate in ("", "120/m", "2000/h", "10/s", "50000/d", "300/5m"):
        with override_settings(API_RATE_LIMIT=rate):
            call_command("check", stdout=io.StringIO())
        if rate:
            count, seconds = _split_rate(rate)
            assert count > 0 and seconds > 0
    for rate in ("120", "lots", "120/M", "120/", "120/minute", "0/m", "5/0m"):
        with (
            override_settings(API_RATE_LIMIT=rate),
            pytest.raises(SystemCheckError, match="config.E001") as raised,
        ):
            call_command("check", stdout=io.StringIO(), stderr=io.StringIO())
        assert f"API_RATE_LIMIT must look like 120/m (requests / s, m, h or d), got {rate!r}" in (
            str(raised.value)
        )


# --------------------------------------------------------------------------- setup_site


def welcome_page():
    return Page.objects.filter(depth=2, slug="home").exact_type(Page).first()


@pytest.mark.django_db
def test_setup_site_replaces_the_welcome_page_with_the_archive(client, settings):
    """A fresh deployment showed "Welcome to your new Wagtail site!" and import_seminars found
    no archive."""
    from archive.importers.seminars import resolve_parent

    settings.WAGTAILADMIN_BASE_URL = "https://arkiv.example.se"
    assert welcome_page() is not None  # as Wagtail's migrations leave a new database
    assert not SeminarIndexPage.objects.exists()
    out = io.StringIO()
    call_command("setup_site", stdout=out)

    index = SeminarIndexPage.objects.get()
    assert index.live and index.title == "Seminarier" and index.title_en == "Seminars"
    site = Site.objects.get(is_default_site=True)
    assert site.root_page_id == index.pk
    assert (site.hostname, site.port) == ("arkiv.example.se", 443)
    assert welcome_page() is None
    assert f"/admin/pages/{index.pk}/edit/" in out.getvalue()
    assert resolve_parent(None) == index
    response = client.get("/")
    assert response.status_code == 200 and b"Seminarier" in response.content
    assert b"Welcome to your new Wagtail site" not in response.content

    out = io.StringIO()
    call_command("setup_site", stdout=out)  # every start of the web container runs it
    assert "nothing to do" in out.getvalue()
    assert SeminarIndexPage.objects.count() == 1 and Site.objects.count() == 1


@pytest.mark.django_db
def test_setup_site_leaves_a_home_page_chosen_by_hand(archive_root):
    home = Page.get_first_root_node().add_child(instance=Page(title="Start", slug="start"))
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    out = io.StringIO()
    call_command("setup_site", stdout=out)
    site.refresh_from_db()
    assert site.root_page_id == home.pk and "left as it is" in out.getvalue()
    assert SeminarIndexPage.objects.count() == 1


@pytest.mark.django_db
def test_setup_site_uses_an_archive_that_already_exists(archive_root):
    site = Site.objects.get(is_default_site=True)
    site.root_page = welcome_page() or Page.get_first_root_node().add_child(
        instance=Page(title="Welcome", slug="home")
    )
    site.save()
    call_command("setup_site", stdout=io.StringIO())
    site.refresh_from_db()
    assert site.root_page_id == archive_root.pk
    assert SeminarIndexPage.objects.count() == 1


# --------------------------------------------------------------------------- run_schedule


@pytest.mark.django_db
def test_run_schedule_applies_expiry_and_go_live_dates(archive_root, client):
    """Expired seminars stayed in the API, feeds and search: nothing ran publish_scheduled."""
    past = timezone.now() - dt.timedelta(minutes=5)
    expired = SeminarPageFactory(parent=archive_root, slug="utgangen", title="Utgången")
    expired.expire_at = past
    expired.save_revision().publish()
    assert client.get("/api/seminars/utgangen/").status_code == 200

    scheduled = SeminarPageFactory(parent=archive_root, slug="kommande", title="Kommande")
    scheduled.unpublish()
    revision = scheduled.save_revision()
    revision.approved_go_live_at = past
    revision.save()

    call_command("run_schedule", "--once", stdout=io.StringIO())

    expired.refresh_from_db()
    scheduled.refresh_from_db()
    assert not expired.live and expired.expired
    assert scheduled.live
    assert client.get("/api/seminars/utgangen/").status_code == 404
    assert client.get("/api/seminars/kommande/").status_code == 200


@pytest.mark.django_db
def test_run_schedule_prunes_old_task_results_when_tasks_are_in_the_database():
    from django_tasks_db.models import DBTaskResult

    def result(days_ago: int) -> DBTaskResult:
        when = timezone.now() - dt.timedelta(days=days_ago)
        return DBTaskResult.objects.create(
            status="SUCCESSFUL",
            args_kwargs={"args": [], "kwargs": {}},
            task_path="archive.tasks.extract_slides",
            backend_name="default",
            run_after=when,
            finished_at=when,
        )

    old, recent = result(30), result(1)
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        call_command("run_schedule", "--once", stdout=io.StringIO())
    assert list(DBTaskResult.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not DBTaskResult.objects.filter(pk=old.pk).exists()


@pytest.mark.django_db(transaction=True)  # the loop closes its connections between runs
def test_run_schedule_keeps_running_when_a_run_fails(wagtail_base_rows, monkeypatch):
    """The database restarting must not end the scheduler: the next minute tries again."""
    from django.db import OperationalError

    from archive.management.commands import run_schedule

    calls = []

    def flaky_call_command(name, *args, **kwargs):
        calls.append(name)
        if len(calls) == 1:
            raise OperationalError("the database system is shutting down")
        return call_command(name, *args, **kwargs)

    waits = []

    def wait(self, timeout):
        waits.append(timeout)
        return len(waits) >= 2  # stopped (SIGTERM) during the second pause

    monkeypatch.setattr(run_schedule, "call_command", flaky_call_command)
    monkeypatch.setattr(run_schedule.threading.Event, "wait", wait)
    err = io.StringIO()
    call_command("run_schedule", "--interval", "30", stdout=io.StringIO(), stderr=err)
    assert calls == ["publish_scheduled", "publish_scheduled"] and waits == [30, 30]
    assert "publish_scheduled failed" in err.getvalue()


# --------------------------------------------------------------------------- demo


def test_the_demo_loads_without_the_test_packages():
    """A production install (pip install ., as the Dockerfile does) has no factory-boy: the
    demo loader failed with "No module named 'factory'"."""
    code = (
        "import sys\n"
        "sys.modules['factory'] = None  # import factory -> ImportError\n"
        "sys.modules['wagtail_factories'] = None\n"
        "import django\n"
        "django.setup()\n"
        "from django.core.management import load_command_class\n"
        "for name in ('load_demo_data', 'setup_site', 'run_schedule', 'import_announcement'):\n"
        "    load_command_class('archive', name)\n"
        "from archive.demo.build import make_slides\n"
        "print('loaded')\n"
    )
    out = run_settings({"DJANGO_SETTINGS_MODULE": "config.settings.base"}, code)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "loaded"


@pytest.mark.django_db
def test_demo_in_an_installation_with_its_own_admin_and_address(settings):
    """The summary always said http://127.0.0.1:8000/ and admin / changeme, also with make run
    PORT=8103 and for an admin whose password had been changed; and the demo's slide PDFs had
    an empty hash, which Wagtail sends as the ETag ("" matched every If-None-Match: "")."""
    import hashlib

    from django.contrib.auth import get_user_model
    from wagtail.images import get_image_model

    from archive.models import ArchiveDocument

    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8103/"
    get_user_model().objects.create_superuser("admin", "a@example.se", "eget-lösenord-1")
    out = io.StringIO()
    call_command("load_demo_data", verbosity=0, stdout=out)
    summary = out.getvalue()
    assert "Site: http://127.0.0.1:8103/  (English: http://127.0.0.1:8103/en/)" in summary
    assert "Admin: http://127.0.0.1:8103/admin/  login admin " in summary
    assert "8000" not in summary and "changeme" not in summary
    assert get_user_model().objects.get(username="admin").check_password("eget-lösenord-1")

    files = [*ArchiveDocument.objects.all(), *get_image_model().objects.all()]
    assert len(files) > 20
    for obj in files:
        with obj.file.open("rb") as f:
            assert obj.file_hash == hashlib.sha1(f.read()).hexdigest(), obj.title

    out = io.StringIO()
    call_command("load_demo_data", "--seed", "7", verbosity=0, stdout=out)
    assert "--reset --seed 7" in out.getvalue()  # a loaded archive keeps its transcripts
