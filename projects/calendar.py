"""Calendar files for meetings: everything people need in one .ics, including the online link."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from projects.models import Meeting

LONDON = ZoneInfo("Europe/London")


def meeting_uid(meeting: Meeting) -> str:
    # Stable per meeting, so calendars update the event rather than adding a second one.
    return f"meeting-{meeting.pk}@coproduction"


def meeting_ics(meeting: Meeting) -> bytes:
    """One VEVENT with its Europe/London VTIMEZONE. Only give this to invited people and staff:
    it carries the online link."""
    cal = Calendar()
    cal.add("prodid", f"-//{getattr(settings, 'SITE_NAME', 'Co-production')}//Meetings//EN")
    cal.add("version", "2.0")
    cancelled = meeting.cancelled_at is not None
    cal.add("method", "CANCEL" if cancelled else "PUBLISH")
    cal.add_component(meeting_event(meeting))
    cal.add_missing_timezones()
    return cal.to_ical()


def feed_ics(meetings, *, name: str) -> bytes:
    """A person's calendar feed: every meeting of theirs as its own VEVENT (the same UID as
    its .ics file, so a calendar holding both keeps one), cancelled ones STATUS:CANCELLED."""
    cal = Calendar()
    cal.add("prodid", f"-//{getattr(settings, 'SITE_NAME', 'Co-production')}//Meetings//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    for meeting in meetings:
        cal.add_component(meeting_event(meeting))
    cal.add_missing_timezones()
    return cal.to_ical()


def meeting_event(meeting: Meeting) -> Event:
    """The meeting as a VEVENT: the same UID for ever, SEQUENCE one more at each change."""
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("status", "CANCELLED" if meeting.cancelled_at is not None else "CONFIRMED")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.start.astimezone(LONDON).replace(microsecond=0))
    event.add("dtend", meeting.end.astimezone(LONDON).replace(microsecond=0))
    cancelled = "Cancelled: " if meeting.cancelled_at is not None else ""
    event.add("summary", f"{cancelled}{meeting.title} ({meeting.project.title})")
    description = [f"Project: {meeting.project.title}"]
    if meeting.venue:
        description.append(f"Venue: {meeting.venue}")
    if meeting.access_information:
        description.append(f"Access information: {meeting.access_information}")
    if meeting.online_link:
        description.append(f"Join online: {meeting.online_link}")
        event.add("url", meeting.online_link)
    if meeting.papers_link:
        description.append(f"Papers: {meeting.papers_link}")
    description.append(f"Organiser: {meeting.organiser.get_full_name()} ({meeting.organiser.email})")
    event.add("description", "\n".join(description))
    event.add("location", meeting.venue or meeting.online_link or "To be confirmed")
    organiser = vCalAddress(f"mailto:{meeting.organiser.email}")
    organiser.params["cn"] = vText(meeting.organiser.get_full_name())
    event["organizer"] = organiser
    return event
