"""Input cleaning for outcomes, actions and feedback after a meeting."""

from django import forms

from contributors.models import User
from core.widgets import DatePicker
from projects.models import MeetingFeedback


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name()


def _staff():
    return User.objects.filter(is_staff=True, is_active=True).order_by("name", "email")


class ActionFields(forms.Form):
    what = forms.CharField(
        label="What will change",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": "Say what will change."},
    )
    owner = StaffChoiceField(
        queryset=User.objects.none(),
        label="Who sees to it",
        empty_label="Choose a member of staff",
        error_messages={"required": "Choose a member of staff to see to it."},
    )
    due_on = forms.DateField(
        label="Due by",
        widget=DatePicker,
        error_messages={"required": "Give a date it is due by.", "invalid": "Enter a real date."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _staff()


class OutcomeForm(forms.Form):
    said = forms.CharField(
        label="What contributors said, or what was decided",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": "Say what contributors said or what was decided."},
    )
    action_what = forms.CharField(
        label="What will change (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text="You can add more actions after saving.",
    )
    action_owner = StaffChoiceField(
        queryset=User.objects.none(),
        label="Who sees to it",
        required=False,
        empty_label="Choose a member of staff",
    )
    action_due_on = forms.DateField(
        label="Due by", required=False, widget=DatePicker, error_messages={"invalid": "Enter a real date."}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action_owner"].queryset = _staff()


class ActionDoneForm(forms.Form):
    what_changed = forms.CharField(
        label="What changed",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text="In plain words: contributors who were at the meeting are sent this.",
        error_messages={"required": "Say what changed: contributors who were there will read it."},
    )
    done_on = forms.DateField(
        label="Done on",
        widget=DatePicker,
        error_messages={"required": "Give the date it was done.", "invalid": "Enter a real date."},
    )


ANSWER_CHOICES = [(value, label) for value, label in MeetingFeedback.Answer.choices]


class FeedbackForm(forms.Form):
    accessible = forms.ChoiceField(
        label="Was the meeting accessible to you?",
        choices=ANSWER_CHOICES,
        required=False,
        widget=forms.RadioSelect,
        help_text="For example the place, the papers, the online link, the timing.",
    )
    listened_to = forms.ChoiceField(
        label="Did you feel listened to?",
        choices=ANSWER_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )
    to_change = forms.CharField(
        label="Is there anything we should change?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FeedbackPeriodForm(forms.Form):
    start = forms.DateField(label="From", required=False, widget=DatePicker)
    end = forms.DateField(label="To", required=False, widget=DatePicker)
    by = forms.ChoiceField(
        label="Group by", choices=[("meeting", "Meeting"), ("month", "Month")], required=False
    )
