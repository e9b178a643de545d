"""`make run`: the web server, a Celery worker and beat, supervised together. One Ctrl+C (or
any one of them stopping) stops all three. Without CELERY_BROKER_URL the broker is kombu's
filesystem transport in .celery-broker/, so reminders go out without Redis."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand


def embedded_broker_env(base_dir: Path) -> dict:
    """The environment for the three processes: the filesystem broker unless one is set."""
    env = dict(os.environ)
    if not env.get("CELERY_BROKER_URL"):
        folder = Path(env.get("CELERY_EMBEDDED_BROKER_DIR") or base_dir / ".celery-broker")
        for sub in ("queue", "processed", "control"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
        env["CELERY_EMBEDDED_BROKER_DIR"] = str(folder)
    return env


def worker_command() -> list[str]:
    return [sys.executable, "-m", "celery", "-A", "coproduction", "worker", "--loglevel=INFO",
            "--pool=solo", "--without-mingle", "--without-gossip", "--without-heartbeat"]


class Command(BaseCommand):
    help = "Run the web server, a Celery worker and Celery beat together; Ctrl+C stops all three."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        env = embedded_broker_env(Path(settings.BASE_DIR))
        commands = {
            "web": [sys.executable, "manage.py", "runserver", "--noreload", addrport],
            "worker": worker_command(),
            "beat": [sys.executable, "-m", "celery", "-A", "coproduction", "beat", "--loglevel=INFO"],
        }
        broker = env.get("CELERY_BROKER_URL") or f"files in {env['CELERY_EMBEDDED_BROKER_DIR']}"
        self.stdout.write(f"Starting the web server, worker and beat (broker: {broker}).")
        self.stdout.write("Ctrl+C stops all three.")
        processes = {
            name: subprocess.Popen(command, env=env, cwd=settings.BASE_DIR)
            for name, command in commands.items()
        }
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping:
                ended = [name for name, p in processes.items() if p.poll() is not None]
                if ended:
                    self.stderr.write(f"{', '.join(ended)} stopped, so the others stop too.")
                    break
                time.sleep(0.5)
        finally:
            for process in processes.values():
                if process.poll() is None:
                    process.terminate()
            for process in processes.values():
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
