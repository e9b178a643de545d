"""Rate limits and used two-factor codes hold across servers: two real gunicorn processes on
loopback, sharing one PostgreSQL database, with the cache production uses (the database cache
when no CACHE_URL is set, Redis when it is). A per-process cache lets each server count alone."""

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.db import connection

from tests.factories import PASSWORD, ContributorFactory, StaffFactory

from .test_login_protection import current_code

GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
TOO_MANY = "Too many failed login attempts"
WRONG_CODE = "Incorrect code."


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    p = connection.settings_dict
    auth = p["USER"] + (f":{p['PASSWORD']}" if p["PASSWORD"] else "")
    return f"postgres://{auth}@{p['HOST'] or '127.0.0.1'}:{p['PORT'] or 5432}/{p['NAME']}"


class Server:
    def __init__(self, env: dict, log: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.process = subprocess.Popen(
            [GUNICORN, "coproduction.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers", "1"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log.open("w"),
        )

    def wait_until_up(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped: {self.log.read_text()[-2000:]}")
            try:
                if requests.get(f"{self.url}/healthz", timeout=10).status_code == 200:
                    return
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start: {self.log.read_text()[-2000:]}")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _clear_shared_cache(cache_url: str | None):
    if cache_url:
        import redis

        client = redis.Redis.from_url(cache_url)
        keys = list(client.scan_iter(match="*allauth*"))
        if keys:
            client.delete(*keys)
    else:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(settings.CACHE_TABLE)}")


@pytest.fixture(params=["database cache", "redis"])
def two_servers(request, require_postgres, tmp_path):
    cache_url = request.getfixturevalue("redis_url") if request.param == "redis" else None
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL"}}
    env.update(DEBUG="true", DATABASE_URL=_database_url(), EMAIL_URL="dummy://", LOG_LEVEL="WARNING")
    env.pop("CACHE_URL", None)
    if cache_url:
        env["CACHE_URL"] = cache_url
    _clear_shared_cache(cache_url)
    servers = [Server(env, tmp_path / f"server-{n}.log") for n in (1, 2)]
    try:
        for server in servers:
            server.wait_until_up()
        yield servers
    finally:
        for server in servers:
            server.stop()
        _clear_shared_cache(cache_url)


@pytest.fixture
def real_password_hashing(settings):
    # The servers use the production hashers, so the test's users need a hash they can check.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]


class Browser:
    """One person's cookies, talking to whichever server the load balancer picks."""

    def __init__(self):
        self.session = requests.Session()

    def _csrf(self, url: str) -> str:
        page = self.session.get(url, timeout=30).text
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def log_in(self, server: Server, email: str, password: str) -> requests.Response:
        url = f"{server.url}/accounts/login/"
        token = self._csrf(url)
        return self.session.post(
            url, data={"login": email, "password": password, "csrfmiddlewaretoken": token}, timeout=60
        )

    def enter_code(self, server: Server, code: str) -> requests.Response:
        url = f"{server.url}/accounts/2fa/authenticate/"
        token = self._csrf(url)
        return self.session.post(url, data={"code": code, "csrfmiddlewaretoken": token}, timeout=60)

    def is_signed_in(self, server: Server, page: str) -> bool:
        response = self.session.get(f"{server.url}{page}", allow_redirects=False, timeout=30)
        return response.status_code == 200


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_failed_login_limit_holds_across_two_servers(two_servers, real_password_hashing):
    first, second = two_servers
    person = ContributorFactory(email="zoe.obrien@example.org", name="Zoë O'Brien")
    attacker = Browser()
    # Five wrong guesses, spread over both servers as a load balancer would spread them.
    for server in (first, second, first, second, first):
        page = attacker.log_in(server, person.email, "a-wrong-guess-123").text
        assert "not correct" in page and TOO_MANY not in page
    for server in (second, first):
        page = attacker.log_in(server, person.email, PASSWORD).text
        assert TOO_MANY in page
        assert not attacker.is_signed_in(server, "/me/")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_per_address_limit_holds_across_two_servers(two_servers, real_password_hashing):
    first, second = two_servers
    person = ContributorFactory(email="priya@example.org", name="Priya Patel")
    attacker = Browser()
    for n, server in enumerate((first, second, second, first, second)):
        assert TOO_MANY not in attacker.log_in(server, f"guess{n}@example.org", "a-wrong-guess-123").text
    page = attacker.log_in(first, person.email, PASSWORD).text
    assert TOO_MANY in page


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_two_factor_code_used_on_one_server_is_refused_by_the_other(two_servers, real_password_hashing):
    first, second = two_servers
    staff = StaffFactory(email="sam@example.org", name="Sam Staff")
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    RecoveryCodes.activate(staff)
    recovery = RecoveryCodes(
        Authenticator.objects.get(user=staff, type=Authenticator.Type.RECOVERY_CODES)
    ).get_unused_codes()[0]
    # A code lasts 30 seconds: start early in a period so both tries use the same code.
    if time.time() % 30 > 15:
        time.sleep(30 - time.time() % 30 + 0.5)
    code = current_code(secret)

    owner, thief = Browser(), Browser()
    response = owner.log_in(first, staff.email, PASSWORD)
    assert response.url.endswith("/accounts/2fa/authenticate/")
    owner.enter_code(first, code)
    assert owner.is_signed_in(first, "/staff/")

    # Someone who saw the password and the code tries them a moment later on the other server.
    response = thief.log_in(second, staff.email, PASSWORD)
    assert response.url.endswith("/accounts/2fa/authenticate/")
    assert current_code(secret) == code, "the code changed during the test: too slow a machine"
    assert WRONG_CODE in thief.enter_code(second, code).text
    assert not thief.is_signed_in(second, "/staff/")
    assert not thief.is_signed_in(first, "/staff/")
    # The second server does accept a code it has not seen used (so the refusal was the reuse).
    thief.enter_code(second, recovery)
    assert thief.is_signed_in(second, "/staff/")
