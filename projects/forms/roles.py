"""Input cleaning for roles, interest and offers."""

from django import forms

from core.names import NameField
from core.widgets import DatePicker
from projects.models import Role, RoleTemplate, SelectionMethod
from projects.services.roles import EDITABLE_FIELDS


class RoleCreateForm(forms.Form):
    template = forms.ModelChoiceField(
        label="Start from this role description template",
        queryset=RoleTemplate.objects.all(),
        empty_label=None,
    )
    title = forms.CharField(label="Role title", max_length=200)
    selection_method = forms.ChoiceField(
        label="How will people be chosen?", choices=SelectionMethod.choices,
        initial=SelectionMethod.EXPRESSION_OF_INTEREST,
    )
    places = forms.IntegerField(label="Number of places", min_value=1, max_value=500, initial=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        default = RoleTemplate.objects.filter(is_default=True).first()
        if default:
            self.fields["template"].initial = default.pk


class RoleForm(forms.ModelForm):
    questions = forms.CharField(
        label="Questions for people who apply to the public advert (one a line, optional)",
        required=False, widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["questions"] = "\n".join(q.text for q in self.instance.screening_questions.all())

    class Meta:
        model = Role
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "start_date": DatePicker,
            "end_date": DatePicker,
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "activities": forms.Textarea(attrs={"rows": 4}),
            "time_commitment": forms.Textarea(attrs={"rows": 2}),
            "payment_terms": forms.Textarea(attrs={"rows": 4}),
            "how_to_claim": forms.Textarea(attrs={"rows": 3}),
            "support_offered": forms.Textarea(attrs={"rows": 3}),
            "selection_criteria": forms.Textarea(attrs={"rows": 3}),
            "closing_date": DatePicker,
            "apply_offline": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {
            "start_date": "Start date",
            "end_date": "End date",
            "payment_terms": "Payment (rate and what is paid)",
            "how_to_claim": "How to claim",
            "selection_criteria": "What we are looking for (selection criteria)",
        }
        help_texts = {
            "time_commitment": "Changing the time, the dates or the payment after someone has accepted "
            "asks them to accept the new terms.",
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date must be on or after the start date.")
        return cleaned


class InterestForm(forms.Form):
    statement = forms.CharField(
        label="Why are you interested? A few sentences is plenty.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
        error_messages={"required": "Tell us in a few words why you are interested."},
    )


class TurnDownForm(forms.Form):
    reason = forms.CharField(
        label="Reason (recorded, and shared with the person if they ask)",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Give a reason. It is recorded, and helps the person understand the decision."
        },
    )


class OfferMakeForm(forms.Form):
    contributor = forms.IntegerField(widget=forms.HiddenInput)


class StepDownForm(forms.Form):
    reason = forms.CharField(
        label="Would you like to tell us why? (optional)", required=False, max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FindPersonForm(forms.Form):
    find = forms.CharField(label="Find anyone by name, interest or lived experience", required=False)


class ApplicationForm(forms.Form):
    """Applying for an advertised role: no account needed. `website` is a honeypot: hidden from
    people (and screen readers), filled in only by robots."""

    name = NameField(label="Your name", max_length=200)
    contact_method = forms.ChoiceField(
        label="How should we contact you?",
        choices=[("email", "Email"), ("phone", "Phone call"), ("post", "Post")],
        widget=forms.RadioSelect,
    )
    email = forms.EmailField(label="Email address (if we should email you)", required=False)
    phone = forms.CharField(
        label="Phone number (if we should phone you)", required=False, max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    address = forms.CharField(
        label="Postal address (if we should write to you)", required=False,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
    )
    statement = forms.CharField(
        label="Why would you like to do this? A few sentences is plenty.", max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Tell us in a few words why you would like to do this."},
    )
    access_needs = forms.CharField(
        label="Anything that would help you take part (optional)", required=False, max_length=3000,
        help_text="For example step-free access, large print, a hearing loop, breaks, or someone "
        "coming with you.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    website = forms.CharField(label="Leave this empty", required=False)

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["website"].widget.attrs.update(tabindex="-1", autocomplete="off")
        for question in questions:
            self.fields[f"question_{question.pk}"] = forms.CharField(
                label=question.text, max_length=3000, widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"required": f"Please answer: {question.text}"},
            )
        self.question_ids = [q.pk for q in questions]

    def answers(self) -> dict[int, str]:
        return {pk: self.cleaned_data.get(f"question_{pk}", "") for pk in self.question_ids}

    @property
    def visible_fields_for_people(self):
        return [f for f in self if f.name != "website"]
