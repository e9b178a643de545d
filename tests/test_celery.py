"""Celery runs tasks in-process without a broker, and on a real worker over real Redis."""

import pytest
from celery.contrib.testing.worker import start_worker

from coproduction.celery import app
from coproduction.tasks import health_check


@pytest.mark.django_db
def test_without_a_broker_tasks_run_in_process():
    assert app.conf.task_always_eager is True
    assert health_check.delay().get(timeout=5) == {"worker": "ok", "database": True}


@pytest.fixture
def redis_celery(redis_url):
    """Point the app at the real Redis for the length of one test."""
    saved = {key: app.conf[key] for key in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=redis_url, result_backend=redis_url, task_always_eager=False)
    _forget_connections(app)
    yield app
    app.conf.update(saved)
    _forget_connections(app)


def _forget_connections(celery_app):
    # Celery caches the result backend and broker pool from the first use.
    celery_app._backend_cache = None
    celery_app._local = __import__("threading").local()
    celery_app._pool = None
    celery_app.__dict__.pop("amqp", None)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_over_redis_runs_a_task_and_returns_its_result(redis_celery):
    with start_worker(redis_celery, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        result = health_check.delay()
        assert result.get(timeout=20) == {"worker": "ok", "database": True}
