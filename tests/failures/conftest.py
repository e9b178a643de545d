"""Real services that a test can break: its own redis-server (never the shared one on 6379,
which other people use at the same time), started, stopped and started again."""

import shutil
import socket
import subprocess
import threading
import time

import pytest

from coproduction.celery import app
from tests.conftest import need_service


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    def __init__(self, port: int):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def own_redis():
    need_service(shutil.which("redis-server") is not None, "redis-server is not installed")
    server = RedisServer(free_port())
    server.start()
    yield server
    server.stop()


def forget_connections(celery_app):
    # Celery caches the broker pool and producer from first use; a restarted Redis needs new ones.
    celery_app._backend_cache = None
    celery_app._local = threading.local()
    celery_app._pool = None
    celery_app.__dict__.pop("amqp", None)


@pytest.fixture
def celery_on_own_redis(own_redis):
    """The app sends tasks to our own Redis, with no result backend (as in production)."""
    saved = {key: app.conf[key] for key in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=own_redis.url, result_backend=None, task_always_eager=False)
    forget_connections(app)
    app.loader.import_default_modules()
    yield app
    app.conf.update(saved)
    forget_connections(app)
