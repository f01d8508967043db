"""The client address behind docker compose's nginx, as .env.example sets the stack up.

nginx (deploy/nginx/site.conf) appends the address it was connected from to whatever
X-Forwarded-For the client sent (``$proxy_add_x_forwarded_for``). Compose defaulted
TRUSTED_PROXIES to 2 while .env.example runs the stack with no TLS proxy in front
(HTTPS=false, plain http://127.0.0.1:8000): the client then was the entry it wrote itself, a new
address for every request, and /api/ had no rate limit.
"""

import re
from pathlib import Path
from unittest import mock

import pytest
from django.core.cache import cache
from django.test import RequestFactory, override_settings

from config.middleware import client_address
from tests.test_security import FrozenClock

ROOT = Path(__file__).resolve().parent.parent
NGINX = "172.18.0.5"  # the compose proxy, as gunicorn sees the connection
CLIENT = "192.0.2.9"


def compose_trusted_proxies() -> int:
    """TRUSTED_PROXIES as docker compose gives it to the app with .env copied from
    .env.example: ``${TRUSTED_PROXIES:-N}`` takes N when the variable is unset or empty."""
    compose = (ROOT / "docker-compose.yml").read_text()
    default = re.search(r"TRUSTED_PROXIES: \$\{TRUSTED_PROXIES:-(\d+)\}", compose).group(1)
    env = re.search(r"^TRUSTED_PROXIES=(.*)$", (ROOT / ".env.example").read_text(), re.M)
    return int(env.group(1).strip() or default)


def through_nginx(sent: str | None, remote: str = CLIENT):
    """A request as gunicorn gets it from compose's nginx: the client's own X-Forwarded-For
    (``sent``, None: none) with the address nginx was connected from (``remote``) appended."""
    forwarded = f"{sent}, {remote}" if sent else remote
    return RequestFactory().get("/api/schema/", REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=forwarded)


def test_env_example_and_compose_say_no_tls_proxy():
    env = (ROOT / ".env.example").read_text()
    assert re.search(r"^HTTPS=false$", env, re.M)
    assert compose_trusted_proxies() == 1


@pytest.mark.parametrize(
    "sent",
    [None, "10.8.0.1", "10.8.0.1, 10.8.0.2", "unknown", "[2001:db8::1]:443", "198.51.100.7"],
)
def test_the_client_nginx_saw_is_the_client_whatever_it_sends(sent):
    with override_settings(TRUSTED_PROXIES=compose_trusted_proxies()):
        assert client_address(through_nginx(sent)) == CLIENT


def test_behind_a_tls_proxy_that_appends_the_operator_sets_two():
    """.env then says TRUSTED_PROXIES=2: the TLS proxy appended the visitor, nginx the TLS
    proxy (Docker's gateway)."""
    request = through_nginx(f"10.8.0.1, {CLIENT}", remote="172.18.0.1")
    with override_settings(TRUSTED_PROXIES=2):
        assert client_address(request) == CLIENT


@pytest.mark.django_db
def test_forged_addresses_do_not_escape_the_api_rate_limit(client):
    cache.clear()
    codes = []
    with (
        override_settings(API_RATE_LIMIT="3/m", TRUSTED_PROXIES=compose_trusted_proxies()),
        mock.patch("django_ratelimit.core.time", FrozenClock(1_800_000_000.0)),
    ):
        for n in range(5):
            response = client.get(
                "/api/schema/",
                REMOTE_ADDR=NGINX,
                HTTP_X_FORWARDED_FOR=f"10.8.0.{n}, {CLIENT}",
            )
            codes.append(response.status_code)
    cache.clear()
    assert codes[:3] == [200, 200, 200] and 429 in codes[3:]
