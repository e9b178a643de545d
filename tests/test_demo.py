import pytest
from django.core.management import CommandError, call_command

from contributors.models import User


@pytest.mark.django_db
def test_seed_demo_creates_the_three_logins_once(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = {model: model.objects.count() for model in _all_models()}
    call_command("seed_demo")
    assert {model: model.objects.count() for model in _all_models()} == counts
    for email in ("admin@example.org", "staff@example.org", "contributor@example.org"):
        assert User.objects.get(email=email).check_password("coproduce-demo")
    assert User.objects.get(email="admin@example.org").is_superuser
    assert User.objects.get(email="staff@example.org").is_staff
    assert not User.objects.get(email="contributor@example.org").is_staff
    assert "contributor@example.org" in capsys.readouterr().out


@pytest.mark.django_db
def test_seed_demo_refuses_to_run_in_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only runs with DEBUG=true"):
        call_command("seed_demo")
    assert not User.objects.exists()


def _all_models():
    from django.apps import apps

    return [m for m in apps.get_models() if m._meta.app_label in {"contributors", "projects", "expenses"}]
