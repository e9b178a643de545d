"""Everything held about one person, across every app: "Download my data".

Put together here, above the apps, because it reads claims and reminders, which contributors/
cannot see. Each app keeps its own part as a selector beside its other reads (one place per
rule); this module only joins them and packs the receipt files. Every item names its record
("expenses.claim:12"); tests/test_personal_data.py checks that each row of every model that
refers to a person is in that person's download.
"""

import json
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator

from django.utils import timezone

from contributors.selectors import personal_data_people
from expenses.selectors import personal_data_expenses, receipts_of
from projects.selectors.personal_data import personal_data_projects
from reminders.selectors import personal_data_reminders

ABOUT = (
    "Everything we hold about you. Each item names the record it comes from. Receipts: each "
    "has a download link that opens while you are logged in, and the ZIP download holds the "
    "files themselves. We keep the subject of each email we sent you, not the email. "
    "'records_that_name_you' lists records where you are named as the person who did "
    "something, without their contents, which are often about other people."
)


def records_in(data) -> Iterator[str]:
    """Every record named anywhere in a download."""
    if isinstance(data, dict):
        if isinstance(data.get("record"), str):
            yield data["record"]
        for value in data.values():
            yield from records_in(value)
    elif isinstance(data, list):
        for value in data:
            yield from records_in(value)


def personal_data(user, *, link: Callable[[str], str] | None = None) -> dict:
    """The whole download as JSON-ready data. `link` turns a path into a full address."""
    link = link or (lambda path: path)
    data: dict = {"about_this_file": {"exported_at": timezone.now().isoformat(), "what": ABOUT}}
    naming: list[dict] = []
    for part in (
        personal_data_people(user),
        personal_data_projects(user),
        personal_data_expenses(user, link=link),
        personal_data_reminders(user),
    ):
        naming.extend(part.pop("records_that_name_you"))
        data.update(part)
    listed = set(records_in(data))
    data["records_that_name_you"] = [item for item in naming if item["record"] not in listed]
    return data


def as_json(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


def _safe(name: str) -> str:
    return re.sub(r"[^\w.\-]+", "-", name).strip("-.")[:80] or "receipt"


def personal_data_archive(user, *, link: Callable[[str], str] | None = None):
    """A ZIP file (an open temporary file, at its start) with my-data.json and every receipt
    file still held, named so each can be matched to its claim."""
    data = personal_data(user, link=link)
    in_zip: dict[str, str] = {}
    handle = tempfile.TemporaryFile()
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for receipt in receipts_of(user):
            if not receipt.file:
                continue
            name = f"receipts/claim-{receipt.claim_id}-receipt-{receipt.pk}-{_safe(receipt.original_name)}"
            try:
                with receipt.file.open("rb") as source, archive.open(name, "w") as target:
                    shutil.copyfileobj(source, target)
            except FileNotFoundError:
                continue
            in_zip[f"expenses.receipt:{receipt.pk}"] = name
        for claim in data["claims"]:
            for item in claim["receipts"]:
                item["in_this_zip"] = in_zip.get(item["record"])
        archive.writestr("my-data.json", as_json(data))
    handle.seek(0)
    return handle
