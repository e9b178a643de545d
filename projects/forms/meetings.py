"""Input cleaning for meetings, replies and attendance."""

from django import forms

from contributors.models import User
from core.uploads import check_papers
from core.widgets import DatePicker, DateTimePicker
from projects.models import Meeting, MeetingInvitation

PAPERS_MAX_BYTES = 20 * 1024 * 1024


class ContributorMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name()


class MeetingForm(forms.ModelForm):
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
        fields = ["title", "start", "end", "venue", "access_information", "online_link",
                  "papers_file", "papers_link", "papers_sent_on"]
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
            "online_link": "Online meeting link",
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


class ReplyForm(forms.Form):
    reply = forms.ChoiceField(
        choices=[(MeetingInvitation.Reply.ATTENDING, "I am attending"),
                 (MeetingInvitation.Reply.NOT_ATTENDING, "I am not attending")],
        widget=forms.RadioSelect, label="Your reply",
    )


class AttendanceForm(forms.Form):
    def __init__(self, *args, invitations, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitations = invitations
        self.fields["attended"] = forms.MultipleChoiceField(
            choices=[(str(i.contributor_id), i.contributor.get_full_name()) for i in invitations],
            required=False, widget=forms.CheckboxSelectMultiple, label="Who came",
            initial=[str(i.contributor_id) for i in invitations if i.attended],
        )
