"""Input cleaning for meetings, replies and attendance."""

from django import forms

from contributors.models import AccessFeature, User
from core.uploads import check_papers
from core.widgets import DatePicker, DateTimePicker
from projects.models import Meeting, MeetingInvitation, MeetingSeries, Venue

PAPERS_MAX_BYTES = 20 * 1024 * 1024


class ContributorMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name()


def access_field(label="Access this meeting offers"):
    return forms.MultipleChoiceField(
        choices=AccessFeature.choices, required=False, widget=forms.CheckboxSelectMultiple, label=label,
        help_text="Besides what the venue offers. We warn you when someone invited needs something "
        "not ticked here or at the venue.",
    )


def place_field():
    return forms.ModelChoiceField(
        queryset=Venue.objects.all(), required=False, label="Saved place",
        empty_label="None: type the address below",
        help_text="A venue we know brings its address and the access it offers.",
    )


class MeetingForm(forms.ModelForm):
    place = place_field()
    access_features = access_field()
    invitees = ContributorMultipleChoiceField(
        queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        label="Invite contributors",
        help_text="We check their stated availability and warn you before saving.",
    )
    override_reason = forms.CharField(
        label="Reason for going ahead", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only needed when we warn you about the time or the papers. It is recorded.",
    )

    class Meta:
        model = Meeting
        fields = ["title", "start", "end", "place", "venue", "access_features", "access_information",
                  "online_link", "papers_file", "papers_link", "papers_sent_on"]
        widgets = {
            "start": DateTimePicker, "end": DateTimePicker,
            # Not ClearableFileInput: it links to the file's URL, and private files have none.
            "papers_file": forms.FileInput,
            "papers_sent_on": DatePicker,
            "venue": forms.Textarea(attrs={"rows": 2}),
            "access_information": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {
            "start": "Starts (UK time)", "end": "Ends (UK time)", "papers_file": "Papers (upload)",
            "papers_link": "Papers (link)", "papers_sent_on": "Date papers are (or were) sent",
            "online_link": "Online meeting link", "venue": "Venue address",
        }
        error_messages = {
            "title": {"required": "Give the meeting a title."},
            "start": {"required": "Enter when the meeting starts.", "invalid": "Enter a real date and time."},
            "end": {"required": "Enter when the meeting ends.", "invalid": "Enter a real date and time."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invitees"].queryset = User.objects.filter(is_staff=False, is_active=True).order_by(
            "name", "email"
        )
        self.fields["start"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        self.fields["end"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        if self.instance.pk and not self.is_bound:
            invited = self.instance.invitations.values_list("contributor_id", flat=True)
            self.initial["invitees"] = list(invited)
            # Never the old reason: a reason answers the warnings it was given for.

    def clean_papers_file(self):
        upload = self.cleaned_data.get("papers_file")
        if upload and getattr(upload, "size", 0) > PAPERS_MAX_BYTES:
            raise forms.ValidationError(
                "The papers file is larger than 20 MB. Upload a smaller file or give a link."
            )
        if upload and hasattr(upload, "content_type"):  # a new upload, not the file already kept
            check_papers(upload)
        return upload

    def _post_clean(self):
        # The service checks the rules and reports them beside the field.
        pass


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Why it is cancelled (optional)", required=False, max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Sent to everyone invited, with a calendar file that removes the meeting.",
    )


def reply_choices(meeting: Meeting, *, person: str = "I am"):
    """Only the ways this meeting can be attended: no "online" without a link."""
    choices = []
    if (meeting.venue or "").strip():
        choices.append((MeetingInvitation.Reply.ATTENDING, f"{person} coming in person"))
    if meeting.online_link:
        choices.append((MeetingInvitation.Reply.ONLINE, f"{person} coming online"))
    choices.append((MeetingInvitation.Reply.NOT_ATTENDING, f"{person} not coming"))
    return choices


class ReplyForm(forms.Form):
    reply = forms.ChoiceField(widget=forms.RadioSelect, label="Your reply",
                              error_messages={"required": "Choose whether you are coming."})
    note = forms.CharField(
        label="A note for the organiser (optional)", required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: arriving late, or bringing a carer.",
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reply"].choices = reply_choices(meeting)


class StaffReplyForm(ReplyForm):
    """A reply given by phone or post, recorded by staff."""

    contributor = forms.ModelChoiceField(queryset=User.objects.none(), label="Who replied")

    field_order = ["contributor", "reply", "note"]

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, meeting=meeting, **kwargs)
        self.fields["contributor"].queryset = User.objects.filter(
            meeting_invitations__meeting=meeting
        ).order_by("name")
        self.fields["contributor"].label_from_instance = lambda user: user.get_full_name()
        self.fields["reply"].choices = reply_choices(meeting, person="They are")
        self.fields["reply"].label = "Their reply"
        self.fields["note"].label = "Their note (optional)"
        self.fields["note"].help_text = "What they told you, for the organiser."


class AttendanceForm(forms.Form):
    def __init__(self, *args, invitations, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitations = invitations
        self.fields["attended"] = forms.MultipleChoiceField(
            choices=[(str(i.contributor_id), i.contributor.get_full_name()) for i in invitations],
            required=False, widget=forms.CheckboxSelectMultiple, label="Who came",
            initial=[str(i.contributor_id) for i in invitations if i.attended],
        )


DATE_TIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
REAL_DATE_TIME = "Enter a real date and time."


class SeriesForm(forms.Form):
    """A meeting that repeats: the first meeting, how often, and when it ends."""

    title = forms.CharField(max_length=200, error_messages={"required": "Give the meetings a title."})
    frequency = forms.ChoiceField(
        choices=MeetingSeries.Frequency.choices, widget=forms.RadioSelect, label="How often",
        help_text="“The same date” skips months without it (the 31st): choose the weekday instead.",
    )
    start = forms.DateTimeField(
        label="First meeting starts (UK time)", widget=DateTimePicker, input_formats=DATE_TIME_FORMATS,
        error_messages={"required": "Enter when the first meeting starts.", "invalid": REAL_DATE_TIME},
    )
    end = forms.DateTimeField(
        label="First meeting ends (UK time)", widget=DateTimePicker, input_formats=DATE_TIME_FORMATS,
        error_messages={"required": "Enter when the first meeting ends.", "invalid": REAL_DATE_TIME},
    )
    until = forms.DateField(
        label="Last date (optional)", required=False, widget=DatePicker,
        help_text="Give a last date or a number of meetings.",
    )
    count = forms.IntegerField(
        label="Number of meetings (optional)", required=False, min_value=1, max_value=100
    )
    place = place_field()
    venue = forms.CharField(label="Venue address", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    access_features = access_field("Access these meetings offer")
    access_information = forms.CharField(
        label="Access information", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    online_link = forms.URLField(label="Online meeting link", required=False, max_length=500)
    invitees = ContributorMultipleChoiceField(
        queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        label="Invite contributors to every meeting",
        help_text="We check their availability and access needs against each date and warn you "
        "before saving.",
    )
    override_reason = forms.CharField(
        label="Reason for going ahead", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only needed when we warn you. It is recorded with each meeting it applies to.",
    )

    def __init__(self, *args, change: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invitees"].queryset = User.objects.filter(is_staff=False, is_active=True).order_by(
            "name", "email"
        )
        if change:
            del self.fields["invitees"]
            self.fields["start"].label = "From the meeting starting (UK time)"
            self.fields["end"].label = "That meeting ends (UK time)"
            self.fields["start"].help_text = (
                "The new pattern starts here. Meetings already moved or cancelled on their own keep "
                "their dates."
            )
            self.fields["count"].label = "Number of meetings from then (optional)"


class SeriesInviteForm(forms.Form):
    invitees = ContributorMultipleChoiceField(
        queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple,
        label="Invite to every future meeting in the series",
        error_messages={"required": "Choose who to invite."},
    )
    override_reason = SeriesForm.base_fields["override_reason"]

    def __init__(self, *args, series: MeetingSeries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invitees"].queryset = (
            User.objects.filter(is_staff=False, is_active=True)
            .exclude(pk__in=series.invitees.values("pk"))
            .order_by("name", "email")
        )


class SeriesEndForm(forms.Form):
    last_day = forms.DateField(
        label="Last meeting on or before", widget=DatePicker,
        error_messages={"required": "Enter the date of the last meeting.", "invalid": "Enter a real date."},
        help_text="Later meetings are cancelled, and everyone invited is told.",
    )
    reason = forms.CharField(
        label="Why it ends (optional)", required=False, max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
