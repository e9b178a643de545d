"""How a reminder reaches a person: an email (HTML and plain text), a text message for those who
accept texts on a mobile, or, for contributors who asked for a phone call or a letter, a task
for a member of staff. What each carries comes from the reminder's kind (reminders/kinds/)."""

from django.conf import settings as django_settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, Template
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from . import registry


def site_url() -> str:
    return django_settings.SITE_URL.rstrip("/")


def link(*candidates) -> str:
    """An absolute link to the first page that exists, else the home page (which sends each
    user to their dashboard). Candidates are (url name, args) pairs."""
    for name, args in candidates:
        try:
            return site_url() + reverse(name, args=args)
        except NoReverseMatch:
            continue
    return site_url() + reverse("home")


def context_for(kind: str, obj, recipient, occasion: str = "") -> dict:
    reminder_kind = registry.get(kind)
    more = reminder_kind.occasion_context(obj, occasion) if reminder_kind.occasion_context else {}
    return {
        "recipient": recipient,
        "site_name": django_settings.SITE_NAME,
        "site_url": site_url(),
        "my_reminders_url": site_url() + reverse("reminders:mine"),
        **reminder_kind.context(obj),
        **more,
    }


def render_setting_text(text: str, context: dict) -> str:
    # Admin-edited text: rendered as a template, never trusted as HTML (escaped in the HTML part).
    return Template(text).render(Context(context, autoescape=False)).strip()


def build_email(*, kind: str, obj, recipient, setting, occasion: str = "") -> EmailMultiAlternatives:
    reminder_kind = registry.get(kind)
    context = context_for(kind, obj, recipient, occasion)
    subject = " ".join(render_setting_text(setting.subject, context).split())[:250]
    context.update(subject=subject, intro=render_setting_text(setting.intro, context))
    text_template, html_template = reminder_kind.templates
    message = EmailMultiAlternatives(
        subject=subject, body=render_to_string(text_template, context), to=[recipient.email]
    )
    message.attach_alternative(render_to_string(html_template, context), "text/html")
    for attachment in reminder_kind.attachments(obj) if reminder_kind.attachments else ():
        message.attach(*attachment)
    return message


TEXT_LIMIT = 306  # two text messages' worth: Notify charges per 153 characters after the first


def build_text(*, kind: str, obj, recipient, setting, occasion: str = "") -> str:
    """A short plain text: the site's name, the subject and a link to the page with the
    details ('Co-production: Tomorrow: Steering group at 10:00. Details: https://...')."""
    reminder_kind = registry.get(kind)
    context = context_for(kind, obj, recipient, occasion)
    if reminder_kind.text:
        words = reminder_kind.text(obj, context)
    else:
        words = " ".join(render_setting_text(setting.subject, context).split())
    url = context.get("url") or context["my_reminders_url"]
    tail = f" Details: {url}"
    head = f"{django_settings.SITE_NAME}: {words}".rstrip(".") + "."
    if len(head) + len(tail) > TEXT_LIMIT:
        head = head[: TEXT_LIMIT - len(tail) - 1].rstrip() + "…"
    return head + tail


# --- staff tasks ------------------------------------------------------------------------
def reach(contributor) -> str:
    """'Call Zoë O'Brien (07700 900123)' or 'Write to Zoë O'Brien (12 Mill Lane, Leeds)'."""
    profile = getattr(contributor, "profile", None)
    if profile and profile.contact_method == "post":
        address = ", ".join(line.strip() for line in profile.address.splitlines() if line.strip())
        return f"Write to {contributor.get_full_name()} ({address or 'no address recorded'})"
    phone = profile.phone if profile and profile.phone else "no phone number recorded"
    return f"Call {contributor.get_full_name()} ({phone})"


def staff_task_for(*, kind: str, obj, contributor, now=None) -> tuple:
    """(who does it, what to do) for a reminder delivered by a person."""
    reminder_kind = registry.get(kind)
    if reminder_kind.staff_task is None:
        raise ValueError(f"{kind} goes to staff, who always get email.")
    return reminder_kind.staff_task(obj, reach(contributor), now or timezone.now())


def bundle_text(reach_text: str, item_texts: list[str]) -> str:
    """One call for everything: 'Call Zoë O'Brien (07700 900123) about 2 things:' and a
    numbered line each ('about Thursday's meeting...', 'to tell them their claim...')."""
    if len(item_texts) == 1:
        return item_texts[0]
    lines = [text.removeprefix(reach_text).strip() for text in item_texts]
    return f"{reach_text} about {len(lines)} things:\n" + "\n".join(
        f"{number}. {line}" for number, line in enumerate(lines, 1)
    )
