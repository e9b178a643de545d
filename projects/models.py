"""Projects: suitability, resources, timeline, power imbalances, meetings, roles and offers."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.dates import SensibleDateField, SensibleDateTimeField
from core.storage import private_storage, random_name


def papers_upload_to(instance, filename):
    return random_name("papers")(instance, filename)


class InvolvementLevel(models.TextChoices):
    INFORM = "inform", "Inform"
    CONSULT = "consult", "Consult"
    INVOLVE = "involve", "Involve"
    COPRODUCE = "coproduce", "Co-produce"


class SelectionMethod(models.TextChoices):
    OPEN_CALL = "open_call", "Open call"
    EXPRESSION_OF_INTEREST = "expression_of_interest", "Expression of interest"
    TARGETED_INVITATION = "targeted_invitation", "Targeted invitation"


class Project(models.Model):
    class Status(models.TextChoices):
        IDEA = "idea", "Idea"
        PLANNING = "planning", "Planning"
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"

    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.IDEA)
    lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="projects_led")
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="project_teams")
    start_date = SensibleDateField(null=True, blank=True)
    end_date = SensibleDateField(null=True, blank=True)
    # Involving people takes longer: the plan adds this lead time before work starts.
    involvement_lead_time_weeks = models.PositiveSmallIntegerField(
        "extra lead time for involvement (weeks)", default=6
    )
    selection_process = models.TextField(
        blank=True, help_text="How contributors will be found and chosen, and why that is fair."
    )
    # Suitability assessment for the project as a whole (seed step 1).
    involvement_level = models.CharField(max_length=10, choices=InvolvementLevel.choices, blank=True)
    open_decisions = models.TextField("decisions contributors can influence", blank=True)
    fixed_decisions = models.TextField("decisions that are already fixed", blank=True)
    can_achieve = models.TextField("what involving people can achieve", blank=True)
    cannot_achieve = models.TextField("what involving people cannot achieve", blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="project_end_after_start",
            )
        ]

    def __str__(self):
        return self.title


class PieceOfWork(models.Model):
    """A piece of work within a project, with its own suitability assessment."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="pieces_of_work")
    title = models.CharField(max_length=200)
    involvement_level = models.CharField(max_length=10, choices=InvolvementLevel.choices, blank=True)
    open_decisions = models.TextField("decisions contributors can influence", blank=True)
    fixed_decisions = models.TextField("decisions that are already fixed", blank=True)
    can_achieve = models.TextField("what involving people can achieve", blank=True)
    cannot_achieve = models.TextField("what involving people cannot achieve", blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "pieces of work"

    def __str__(self):
        return self.title


class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    due_date = SensibleDateField()
    done = models.BooleanField(default=False)

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self):
        return self.title


class BudgetLine(models.Model):
    class Kind(models.TextChoices):
        TRAVEL = "travel", "Travel and other expenses"
        TIME = "time", "Payment for time"
        OTHER = "other", "Other costs"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budget_lines")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    description = models.CharField(max_length=200, blank=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    managed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="budget_lines_managed", verbose_name="managed by",
    )
    # Where the ledger books this spending (the journal export); from your finance team.
    nominal_code = models.CharField(
        "nominal code", max_length=20, blank=True, help_text="The ledger account, e.g. 5410."
    )
    cost_centre = models.CharField(
        "cost centre", max_length=20, blank=True, help_text="The cost centre, e.g. RD123."
    )

    class Meta:
        ordering = ["kind", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="budget_line_not_negative")
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: £{self.amount}"


class PowerImbalance(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_HAND = "in_hand", "Being dealt with"
        RESOLVED = "resolved", "Resolved"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="power_imbalances")
    where = models.TextField("where the imbalance can exist")
    step_taken = models.TextField("step taken to reduce it", blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="power_imbalances_owned"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["status", "-created_at"]

    def __str__(self):
        return self.where[:60]


# A meeting is a day or a few: anything longer is almost always a mistyped end date, and an event
# that long is better planned as several meetings.
MEETING_LONGEST = timedelta(days=7)
MEETING_TOO_LONG = (
    "A meeting can last at most 7 days. Check the end date, or add a meeting for each day."
)


class Meeting(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(max_length=200)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meetings_organised"
    )
    start = SensibleDateTimeField()
    end = SensibleDateTimeField()
    venue = models.TextField(blank=True, help_text="Address, for meeting in person.")
    access_information = models.TextField(
        blank=True, help_text="Step-free access, parking, hearing loop, toilets, quiet room."
    )
    online_link = models.URLField(
        blank=True, max_length=500, help_text="Shown only to invited contributors and staff."
    )
    papers_file = models.FileField(upload_to=papers_upload_to, storage=private_storage, blank=True)
    papers_link = models.URLField(blank=True, max_length=500)
    papers_sent_on = SensibleDateField(null=True, blank=True)
    # When the organiser went ahead despite warnings, the reason is kept with exactly the
    # warnings it answered (one a line): a new warning on a later edit needs its own reason.
    warnings_overridden_reason = models.TextField(blank=True)
    warnings_overridden = models.TextField(blank=True)
    # iCalendar SEQUENCE: one more each time the time or place changes or it is cancelled, so
    # calendars replace the event (same UID) rather than keep the old one.
    sequence = models.PositiveIntegerField(default=0)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancel_reason = models.TextField("why it is cancelled", blank=True)
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    attendance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # An occurrence of a series: `series_start` is when the rule put it (its RECURRENCE-ID),
    # kept when it is moved, so extending the series never makes it again. Moved on its own
    # (`moved_alone`) or cancelled, a rule change going forward leaves it be.
    series = models.ForeignKey(
        "MeetingSeries", on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings"
    )
    series_start = models.DateTimeField(null=True, blank=True)
    moved_alone = models.BooleanField(default=False)
    place = models.ForeignKey(
        "Venue", on_delete=models.PROTECT, null=True, blank=True, related_name="meetings",
        verbose_name="saved place",
    )
    # AccessFeature codes (as a contributor's needs are kept).
    access_features = models.JSONField(
        default=list, blank=True,
        verbose_name="access this meeting offers",
    )

    class Meta:
        ordering = ["start"]
        indexes = [models.Index(fields=["start"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="meeting_end_after_start"
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.start and self.end and self.end - self.start > MEETING_LONGEST:
            raise ValidationError({"end": MEETING_TOO_LONG})


class MeetingChange(models.Model):
    """A meeting moved (time or place) or cancelled: everyone invited hears of it once."""

    class Kind(models.TextChoices):
        MOVED = "moved", "Moved"
        CANCELLED = "cancelled", "Cancelled"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # The meeting's SEQUENCE after this change.
    sequence = models.PositiveIntegerField()
    # In plain English, e.g. "Now on Friday 4 December 2026, 14:00 to 16:00 (was ...)."
    what = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "sequence"], name="unique_meeting_change_sequence")
        ]

    def __str__(self):
        return f"{self.meeting} {self.get_kind_display().lower()}"


class MeetingInvitation(models.Model):
    class Reply(models.TextChoices):
        NO_REPLY = "no_reply", "Not replied yet"
        # "attending" was the only yes before people could say how they come; migration
        # 0013 made it "online" for meetings with no venue.
        ATTENDING = "attending", "Coming in person"
        ONLINE = "online", "Coming online"
        NOT_ATTENDING = "not_attending", "Not coming"

    # The replies that count someone as coming.
    COMING = (Reply.ATTENDING, Reply.ONLINE)

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    contributor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meeting_invitations"
    )
    reply = models.CharField(max_length=15, choices=Reply.choices, default=Reply.NO_REPLY)
    # None until attendance is recorded after the meeting; payment depends on it.
    attended = models.BooleanField(null=True, blank=True)
    invited_at = models.DateTimeField(default=timezone.now)
    replied_at = models.DateTimeField(null=True, blank=True)
    reply_note = models.TextField("note with the reply", blank=True)
    # Staff who took the reply by phone or post; empty when the person replied themselves.
    reply_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["meeting__start"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "contributor"], name="unique_meeting_invitation")
        ]

    def __str__(self):
        return f"{self.contributor} at {self.meeting}"


class ProjectEvent(models.Model):
    """Who changed what on a project and when: status changes, archiving, meeting decisions."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=50)
    detail = models.TextField(blank=True)
    # Contributors the detail is about (e.g. whose availability a meeting went against), so
    # their download holds it and erasing them reaches it.
    people = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="project_events_about", verbose_name="about"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.action} on {self.project}"


class RoleTemplate(models.Model):
    """A starting point for role descriptions, managed in the admin."""

    name = models.CharField(max_length=200)
    purpose = models.TextField()
    activities = models.TextField()
    time_commitment = models.TextField()
    length_of_involvement = models.TextField()
    payment_details = models.TextField()
    how_to_claim = models.TextField()
    support_offered = models.TextField()
    is_default = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_default", "name"]

    def __str__(self):
        return self.name


class Role(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        FILLED = "filled", "Filled"
        CLOSED = "closed", "Closed"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="roles")
    template = models.ForeignKey(RoleTemplate, on_delete=models.SET_NULL, null=True, blank=True)
    title = models.CharField(max_length=200)
    purpose = models.TextField()
    activities = models.TextField()
    time_commitment = models.TextField()
    start_date = SensibleDateField(null=True, blank=True)
    end_date = SensibleDateField(null=True, blank=True)
    payment_terms = models.TextField()
    how_to_claim = models.TextField(blank=True)
    support_offered = models.TextField(blank=True)
    places = models.PositiveSmallIntegerField("number of places", default=1)
    selection_method = models.CharField(max_length=30, choices=SelectionMethod.choices)
    selection_criteria = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    # Public advert: anyone can read it and apply without an account, until the closing date.
    advertised = models.BooleanField(
        "advertise publicly", default=False,
        help_text="Show this role on the public adverts page, where anyone can apply without an account.",
    )
    closing_date = SensibleDateField(
        null=True, blank=True, help_text="The last day to apply. The advert closes after it."
    )
    apply_offline = models.TextField(
        "how to apply by phone or post", blank=True,
        help_text="e.g. 'Phone Sam on 0113 496 0000, or write to Engagement team, 1 Park Row, Leeds.'",
    )

    # Changing any of these on a role someone has accepted needs their acceptance again.
    TERMS_FIELDS = ("time_commitment", "start_date", "end_date", "payment_terms")
    # Audit trail: who changed what and when, shown in the admin.
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="role_end_after_start",
            )
        ]

    def __str__(self):
        return self.title


class RoleVersion(models.Model):
    """The exact terms a contributor accepts. Changing terms makes a new version."""

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    description = models.JSONField(help_text="The role description as shown to the contributor.")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["role", "number"]
        constraints = [models.UniqueConstraint(fields=["role", "number"], name="unique_role_version")]

    def __str__(self):
        return f"{self.role} v{self.number}"


class ExpressionOfInterest(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        SHORTLISTED = "shortlisted", "Shortlisted"
        OFFERED = "offered", "Offered the role"
        TURNED_DOWN = "turned_down", "Not selected"

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="interests")
    contributor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="expressions_of_interest"
    )
    statement = models.TextField()
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.RECEIVED)
    decision_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        verbose_name_plural = "expressions of interest"
        constraints = [
            models.UniqueConstraint(fields=["role", "contributor"], name="unique_interest_per_role")
        ]

    def __str__(self):
        return f"{self.contributor} for {self.role}"


class RoleOffer(models.Model):
    class Status(models.TextChoices):
        OFFERED = "offered", "Waiting for an answer"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"
        STEPPED_DOWN = "stepped_down", "Stepped down"

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="offers")
    contributor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="role_offers"
    )
    offered_version = models.ForeignKey(RoleVersion, on_delete=models.PROTECT, related_name="+")
    # The version whose terms stand; a newer offered_version waits for re-acceptance.
    accepted_version = models.ForeignKey(
        RoleVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.OFFERED)
    # Why the contributor stepped down, if they said.
    step_down_reason = models.TextField(blank=True)
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    offered_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)
    # Set when staff recorded the answer given by phone or post (someone without a login).
    answer_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Audit trail: who changed what and when, shown in the admin.
    history = HistoricalRecords()

    class Meta:
        ordering = ["-offered_at"]
        constraints = [models.UniqueConstraint(fields=["role", "contributor"], name="unique_offer_per_role")]

    def __str__(self):
        return f"{self.role} for {self.contributor}"

    @property
    def needs_reacceptance(self) -> bool:
        """Accepted, but the terms changed since: the old terms stand until they accept again."""
        return (
            self.status == self.Status.ACCEPTED
            and self.accepted_version_id is not None
            and self.accepted_version_id != self.offered_version_id
        )


class RoleAcceptance(models.Model):
    """Each time a contributor accepts a version of the terms: kept forever."""

    offer = models.ForeignKey(RoleOffer, on_delete=models.CASCADE, related_name="acceptances")
    version = models.ForeignKey(RoleVersion, on_delete=models.PROTECT, related_name="acceptances")
    accepted_at = models.DateTimeField(default=timezone.now)
    # Audit trail: who changed what and when, shown in the admin.
    history = HistoricalRecords()

    class Meta:
        ordering = ["accepted_at"]

    def __str__(self):
        return f"{self.offer} accepted v{self.version.number}"


class ScreeningQuestion(models.Model):
    """A question staff ask everyone who applies for an advertised role."""

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="screening_questions")
    text = models.CharField("question", max_length=500)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["role", "position", "pk"]

    def __str__(self):
        return self.text


class Application(models.Model):
    """Someone answered a public advert, with or without an account."""

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        SHORTLISTED = "shortlisted", "Shortlisted"
        OFFERED = "offered", "Offered the role"
        TURNED_DOWN = "turned_down", "Not selected"

    class ContactMethod(models.TextChoices):
        EMAIL = "email", "Email"
        PHONE = "phone", "Phone call"
        POST = "post", "Post"

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="applications")
    name = models.CharField(max_length=200)
    contact_method = models.CharField("how to contact you", max_length=10, choices=ContactMethod.choices)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField("postal address", blank=True)
    statement = models.TextField()
    access_needs = models.TextField(blank=True)
    # [{"question": ..., "answer": ...}], the questions as they were worded when answered.
    answers = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.RECEIVED)
    decision_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # The contributor the applicant became when offered the role.
    contributor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="applications",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"Application #{self.pk} for {self.role}"


class Venue(models.Model):
    """A place meetings are held, reused across meetings and series, with what it offers."""

    name = models.CharField(max_length=200, unique=True)
    address = models.TextField()
    # AccessFeature codes (as a contributor's needs are kept).
    access_features = models.JSONField(
        default=list, blank=True,
        verbose_name="access it offers",
    )
    access_information = models.TextField(
        blank=True, help_text="Anything else: the nearest bus stop, which door, where to park."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class MeetingSeries(models.Model):
    """A meeting that repeats. The rule lives here; each occurrence is a Meeting of its own (so
    invitations, replies, attendance, claims and reminders work per meeting), made up to
    SERIES_HORIZON ahead and extended as time passes."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", "Every week"
        FORTNIGHTLY = "fortnightly", "Every two weeks"
        MONTHLY_WEEKDAY = "monthly_weekday", "Every month on the same weekday (e.g. the 2nd Tuesday)"
        MONTHLY_DATE = "monthly_date", "Every month on the same date"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="meeting_series")
    title = models.CharField(max_length=200)
    organiser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    frequency = models.CharField(max_length=20, choices=Frequency.choices)
    # The first meeting's start (UK wall-clock time is kept across the clocks changing).
    first_start = models.DateTimeField()
    duration = models.DurationField()
    until = models.DateField("last date", null=True, blank=True)
    count = models.PositiveIntegerField("number of meetings", null=True, blank=True)
    # People invited to the series are invited to each occurrence made later too.
    invitees = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["first_start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(until__isnull=False) | models.Q(count__isnull=False),
                name="meeting_series_has_an_end",
            )
        ]

    def __str__(self):
        return self.title


class CalendarFeed(models.Model):
    """A person's secret calendar address. Only a hash of the token is kept (as with
    invitations): the address is shown once, and regenerating it or revoking it makes the old
    one stop working."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Calendar feed of {self.user}"


# --- closing the loop: what was said at a meeting, what will change, and feedback ---------
class Outcome(models.Model):
    """What contributors said at a meeting, or what was decided there. The actions that follow
    from it are what will change; contributors who attended see both."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="outcomes")
    said = models.TextField("what contributors said or what was decided")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting__start", "id"]

    def __str__(self):
        return self.said[:80]


class Action(models.Model):
    """What will change because of an outcome, who sees to it and by when; once done, what
    changed (the "we did" of "you said, we did")."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="actions")
    what = models.TextField("what will change")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="actions_owned"
    )
    due_on = SensibleDateField("due by")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    what_changed = models.TextField(blank=True)
    done_on = SensibleDateField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="open")
                | (models.Q(done_on__isnull=False) & ~models.Q(what_changed="")),
                name="action_done_says_what_changed",
            )
        ]

    def __str__(self):
        return self.what[:80]

    @property
    def meeting(self) -> Meeting:
        return self.outcome.meeting


class MeetingFeedback(models.Model):
    """One person's answers about one meeting. Staff only ever see counts, as ranges
    (core/suppression.py), and comments without names; erasing the person removes the link
    to them and keeps the answers for the totals."""

    class Answer(models.TextChoices):
        YES = "yes", "Yes"
        PARTLY = "partly", "Partly"
        NO = "no", "No"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="feedback")
    contributor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="meeting_feedback",
    )
    accessible = models.CharField(
        "Was the meeting accessible to you?", max_length=10, choices=Answer.choices, blank=True
    )
    listened_to = models.CharField(
        "Did you feel listened to?", max_length=10, choices=Answer.choices, blank=True
    )
    to_change = models.TextField("Is there anything we should change?", blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting__start", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "contributor"], name="one_feedback_per_person_per_meeting"
            )
        ]

    def __str__(self):
        return f"Feedback on {self.meeting}"
