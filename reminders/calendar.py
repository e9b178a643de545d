"""The .ics attached to meeting reminders comes from projects (one calendar file everywhere)."""

from projects.calendar import meeting_ics


def meeting_calendar_file(meeting) -> tuple[str, bytes, str]:
    return ("meeting.ics", meeting_ics(meeting), "text/calendar")
