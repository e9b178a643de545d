from allauth.account.forms import AddEmailForm as AllauthAddEmailForm
from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html

from core.names import NameField
from core.widgets import DatePicker

from .models import AccessFeature, Availability, ContributorProfile, EqualityMonitoring


class InviteContributorForm(forms.Form):
    name = NameField(label="Full name", max_length=200)
    email = forms.EmailField(label="Email address")


class AddOfflineContributorForm(forms.Form):
    """Someone without email: staff reach them by phone or post and act for them."""

    name = NameField(label="Full name", max_length=200)
    contact_method = forms.ChoiceField(
        label="How do we contact them?",
        choices=[("phone", "Phone call"), ("post", "Post")],
        widget=forms.RadioSelect,
    )
    phone = forms.CharField(
        label="Phone number", required=False, max_length=40,
        help_text="A UK number, or an international one starting with +.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    address = forms.CharField(
        label="Postal address", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    access_needs = forms.CharField(
        label="Access needs", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    interests = forms.CharField(label="Topics they would like to work on", required=False)
    lived_experience = forms.CharField(label="Lived experience", required=False)


class BreakForm(forms.Form):
    until = forms.DateField(
        label="I am taking a break until", widget=DatePicker(),
        help_text="We will not suggest you for roles or offer you one before this date.",
    )
    note = forms.CharField(label="Anything you want us to know (optional)", required=False, max_length=300)


class GiveLoginForm(forms.Form):
    email = forms.EmailField(label="Their email address")


class AddEmailForm(AllauthAddEmailForm):
    """Changing one's email address (allauth's page). An address another account holds is
    refused with a reason; allauth itself stays silent about it so as not to reveal accounts,
    but here the person is signed in and needs to know why nothing happens."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "New email address"
        self.fields["email"].widget.attrs.pop("placeholder", None)

    def clean_email(self):
        from .selectors import email_held_by_another
        from .services import EMAIL_TAKEN

        email = super().clean_email()
        if email_held_by_another(email, user=self.user):
            raise forms.ValidationError(EMAIL_TAKEN, code="email_taken")
        return email


class SetPasswordForm(forms.Form):
    password1 = forms.CharField(
        label="Choose a password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Type the password again",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", "The two passwords do not match. Type them again.")
        return cleaned


# --- profile, monitoring, erasure (contributors issue) ---

PAYMENT_NOTE = (
    "If you get benefits, being paid for your time can affect them, and vouchers usually count "
    "as income just as money does. You can choose to be paid up to a limit you set, or to claim "
    "expenses only (travel, parking, care costs): expenses you paid out are not income. You can "
    "also ask us to pay you less. If you are not sure, ask us: we can put you in touch with free "
    "advice."
)


class ProfileForm(forms.ModelForm):
    name = NameField(label="Full name", max_length=200)
    preferred_name = NameField(label="What you would like us to call you", max_length=100, required=False)
    access_features_needed = forms.MultipleChoiceField(
        choices=AccessFeature.choices, required=False, widget=forms.CheckboxSelectMultiple,
        label="What you need at meetings",
        help_text="We check each meeting you are invited to against these and tell the organiser "
        "when one is missing. Write anything else in the box below.",
    )

    class Meta:
        model = ContributorProfile
        fields = [
            "contact_method", "phone", "address", "access_features_needed", "access_needs", "interests",
            "lived_experience",
            "payment_preference", "payment_limit", "payment_limit_period", "over_limit",
            "usual_travel_mode", "usual_journey_miles", "accepts_texts",
        ]
        labels = {
            "phone": "Phone number",
            "contact_method": "How should we contact you?",
            "interests": "Topics you would like to work on",
            "payment_preference": "How would you like to be paid?",
        }
        widgets = {
            "contact_method": forms.RadioSelect,
            "payment_preference": forms.RadioSelect,
            "payment_limit_period": forms.RadioSelect,
            "over_limit": forms.RadioSelect,
            "address": forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
            "access_needs": forms.Textarea(attrs={"rows": 3}),
            "interests": forms.Textarea(attrs={"rows": 2}),
            "lived_experience": forms.Textarea(attrs={"rows": 2}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        }
        help_texts = {
            "payment_preference": PAYMENT_NOTE,
            "payment_limit": "Only if you chose a limit. You know your own limit (your benefits letter "
            "or adviser can tell you); we never pay you more for your time than this in a week or "
            "month. Expenses are paid in full: they are not income.",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.update(name=user.name, preferred_name=user.preferred_name)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        for name, default in (("payment_limit_period", "week"), ("over_limit", "defer")):
            self.fields[name].required = False
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0]]
            self.fields[name].initial = self.fields[name].initial or default
        # Name fields first: what people expect at the top of "my profile".
        self.order_fields(["name", "preferred_name", *self.Meta.fields])
        slots = []
        if self.instance.pk:
            slots = self.instance.availability.values_list("weekday", "part_of_day")
        self.availability_selected = {f"{w}-{p}" for w, p in slots}

    def clean_payment_limit_period(self):
        return self.cleaned_data.get("payment_limit_period") or "week"

    def clean_over_limit(self):
        return self.cleaned_data.get("over_limit") or "defer"

    def availability_grid(self, data=None):
        """Rows of days with a checkbox per part of the day, for the fieldset in the template."""
        selected = set(data.getlist("availability")) if data is not None else self.availability_selected
        return [
            {
                "day": label,
                "slots": [
                    {
                        "value": f"{weekday}-{part}",
                        "id": f"id_availability_{weekday}_{part}",
                        "label": part_label,
                        "short": part.capitalize(),
                        "checked": f"{weekday}-{part}" in selected,
                    }
                    for part, part_label in Availability.PartOfDay.choices
                ],
            }
            for weekday, label in Availability.Weekday.choices
        ]

    @staticmethod
    def clean_availability(values) -> set[tuple[int, str]]:
        parts = set(Availability.PartOfDay.values)
        slots = set()
        for value in values:
            weekday, _, part = value.partition("-")
            if weekday.isdigit() and int(weekday) in Availability.Weekday.values and part in parts:
                slots.add((int(weekday), part))
        return slots


class MonitoringForm(forms.ModelForm):
    consent = forms.BooleanField(
        label="I agree to you keeping these answers to check that a wide range of people take part. "
        "Staff only ever see totals, never my answers.",
        required=False,
    )

    class Meta:
        model = EqualityMonitoring
        fields = EqualityMonitoring.REPORTED_FIELDS
        widgets = {name: forms.RadioSelect for name in EqualityMonitoring.REPORTED_FIELDS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if hasattr(field, "choices"):
                field.choices = [c for c in field.choices if c[0] != ""]
        if self.instance.pk and not self.is_bound:
            self.initial["consent"] = True


class ErasureRequestForm(forms.Form):
    reason = forms.CharField(
        label="Anything you want to tell us (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label="I understand my account will be closed and my personal details removed.",
        error_messages={"required": "Tick the box to confirm you want your data erased."},
    )


class PoolSearchForm(forms.Form):
    q = forms.CharField(label="Search by name, email, interest or lived experience", required=False)
