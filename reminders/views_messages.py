"""Messages to a group, from the project page and the meeting page: write it, see who will get
it and how, send it. Only the project's lead and team (and admins)."""

import uuid
from collections import Counter

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render

from core.access import staff_required
from core.errors import show_error
from core.fragments import render_cached
from projects.selectors.access import can_manage_project, get_meeting_to_manage, get_project_to_manage

from . import selectors, services
from .forms import GroupMessageForm
from .models import GroupMessage, ReminderSent

Audience = GroupMessage.Audience


WAYS = {
    ReminderSent.Channel.EMAIL: "by email",
    ReminderSent.Channel.SMS: "by text",
    ReminderSent.Channel.STAFF_TASK: "as a task for staff (a call or a letter)",
}


def _summary(copies) -> str:
    counts = Counter(copy.channel for copy in copies)
    ways = ", ".join(f"{n} {WAYS[channel]}" for channel, n in sorted(counts.items()))
    return f"Message sent to {len(copies)} {'person' if len(copies) == 1 else 'people'}: {ways}."


# The empty form comes from the cache (core/fragments.py) with this in place of its one-use
# token, which each request replaces with its own, as the CSRF token is.
FORM_TOKEN_PLACEHOLDER = "00000000-0000-4000-8000-00000000f0a1"


def _choosable(project, meeting):
    """Whom the form offers to tick: the meeting's invitees, or the project's people."""
    return selectors.invited_to(meeting) if meeting else selectors.people_of_project(project)


def _names(people) -> list:
    # Only what the list of people to tick shows: a name per person.
    return list(people.select_related(None).only("pk", "name", "preferred_name", "email"))


def _blank_form(request, *, project, meeting, audiences):
    def context():
        people = _choosable(project, meeting)
        form = GroupMessageForm(
            audiences=audiences, people=people, initial={"form_token": FORM_TOKEN_PLACEHOLDER}
        )
        return {"form": form, "project": project, "meeting": meeting, "preview": None, "ticked": set(),
                "people": _names(people)}

    about = meeting.title if meeting else project.title
    response = render_cached(
        request, "reminders/message_form.html", context, title=f"Send a message about {about}",
        parts=[request.user.pk, project.pk, meeting.pk if meeting else None],
    )
    response.content = response.content.replace(FORM_TOKEN_PLACEHOLDER.encode(), str(uuid.uuid4()).encode())
    return response


def _compose(request, *, project, meeting=None):
    audiences = [Audience.INVITED, Audience.CHOSEN] if meeting else [Audience.ROLE_HOLDERS, Audience.CHOSEN]
    if request.method != "POST":
        return _blank_form(request, project=project, meeting=meeting, audiences=audiences)
    people = _choosable(project, meeting)
    form = GroupMessageForm(request.POST, audiences=audiences, people=people)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "send" in request.POST:
            try:
                message, created = services.group_message_send(
                    actor=request.user,
                    project=project,
                    meeting=meeting,
                    audience=data["audience"],
                    subject=data["subject"],
                    body=data["body"],
                    form_token=data["form_token"],
                    chosen=data["people"],
                )
            except services.ReminderError as error:
                show_error(request, error)
            else:
                if created:
                    copies = list(selectors.group_message_copies(message))
                    messages.success(request, _summary(copies))
                else:
                    messages.info(request, "This message was already sent; it was not sent again.")
                return redirect("reminders:message", message.pk)
        if data["audience"] == Audience.CHOSEN:
            chosen = list(people.filter(pk__in=[p.pk for p in data["people"]]))
        else:
            chosen = services.group_message_recipients(
                project=project, meeting=meeting, audience=data["audience"]
            )
        preview = selectors.deliveries(chosen)
    ticked = {int(value) for value in request.POST.getlist("people") if value.isdigit()}
    return render(
        request,
        "reminders/message_form.html",
        {"form": form, "project": project, "meeting": meeting, "preview": preview,
         "people": _names(people),
         "ticked": ticked},
    )


@staff_required
def message_project(request, pk: int):
    return _compose(request, project=get_project_to_manage(request.user, pk))


@staff_required
def message_meeting(request, pk: int):
    meeting = get_meeting_to_manage(request.user, pk)
    return _compose(request, project=meeting.project, meeting=meeting)


def message_detail(request, pk: int):
    """The message itself: for the people it was sent to, and for staff on the project, with
    who got it, how, and whether it went."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    message = selectors.get_group_message_for_user(request.user, pk)
    copies = None
    if can_manage_project(request.user, message.project):
        copies = list(selectors.group_message_copies(message))
    return render(
        request,
        "reminders/message_detail.html",
        {"message": message, "copies": copies, "failed": ReminderSent.Status.FAILED},
    )
