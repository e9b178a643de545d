"""Input cleaning for projects, suitability, resources and the power imbalance log."""

from decimal import Decimal

from django import forms

from contributors.models import User
from core.widgets import DatePicker
from projects.models import BudgetLine, Milestone, PieceOfWork, PowerImbalance, Project


def staff_people():
    return User.objects.filter(is_staff=True, is_active=True).order_by("name", "email")


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name()


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name()


class ProjectForm(forms.ModelForm):
    lead = StaffChoiceField(queryset=User.objects.none(), label="Project lead")
    team = StaffMultipleChoiceField(
        queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        label="Team", help_text="Staff who can change this project and review its claims.",
    )

    class Meta:
        model = Project
        fields = [
            "title", "summary", "status", "lead", "team", "start_date", "end_date",
            "involvement_lead_time_weeks", "selection_process",
        ]
        widgets = {"start_date": DatePicker, "end_date": DatePicker,
                   "summary": forms.Textarea(attrs={"rows": 3}),
                   "selection_process": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"title": {"required": "Give the project a title."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = staff_people()
        self.fields["team"].queryset = staff_people()
        self.fields["status"].help_text = (
            "A project can only become active once the suitability assessment is complete."
        )

    def _post_clean(self):
        # Rules (dates in order, suitability before active) are checked by the service, which
        # reports them beside the field; skip the model's own constraint check here.
        pass


class SuitabilityForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = ["involvement_level", "open_decisions", "fixed_decisions", "can_achieve", "cannot_achieve"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields[1:]}


class PieceOfWorkForm(forms.ModelForm):
    class Meta:
        model = PieceOfWork
        fields = ["title", "involvement_level", "open_decisions", "fixed_decisions", "can_achieve",
                  "cannot_achieve"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields[2:]}
        error_messages = {"title": {"required": "Give the piece of work a title."}}


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_date", "done"]
        widgets = {"due_date": DatePicker}
        labels = {"done": "Done"}
        error_messages = {
            "title": {"required": "Give the milestone a title."},
            "due_date": {"required": "Enter the date it is due.", "invalid": "Enter a real date."},
        }


class BudgetLineForm(forms.ModelForm):
    managed_by = StaffChoiceField(queryset=User.objects.none(), required=False, label="Managed by")

    class Meta:
        model = BudgetLine
        fields = ["kind", "description", "amount", "managed_by", "nominal_code", "cost_centre"]
        labels = {"kind": "What it pays for", "amount": "Amount (£)"}
        error_messages = {"amount": {"required": "Enter an amount of £0.00 or more.",
                                     "invalid": "Enter an amount in pounds and pence, like 250.00."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["managed_by"].queryset = staff_people()

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None and amount < Decimal("0"):
            raise forms.ValidationError("Enter an amount of £0.00 or more.")
        return amount

    def _post_clean(self):
        pass


class PowerImbalanceForm(forms.ModelForm):
    owner = StaffChoiceField(queryset=User.objects.none(), label="Who owns it")

    class Meta:
        model = PowerImbalance
        fields = ["where", "step_taken", "owner", "status"]
        widgets = {
            "where": forms.Textarea(attrs={"rows": 3}), "step_taken": forms.Textarea(attrs={"rows": 3})
        }
        error_messages = {"where": {"required": "Say where the imbalance can exist."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_people()
