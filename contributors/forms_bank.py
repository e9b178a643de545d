"""Input cleaning for bank details; the rules themselves are in contributors/bank_details.py."""

from django import forms

from .models import BankDetails


class BankDetailsForm(forms.Form):
    method = forms.ChoiceField(
        label="How would you like to be paid?",
        choices=BankDetails.Method.choices,
        widget=forms.RadioSelect,
        initial=BankDetails.Method.BANK,
    )
    account_name = forms.CharField(
        label="Name on the account", max_length=70, required=False,
        help_text="As the bank has it, for example Z O'BRIEN.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    sort_code = forms.CharField(
        label="Sort code", max_length=12, required=False, help_text="6 digits, like 12-34-56.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    account_number = forms.CharField(
        label="Account number", max_length=16, required=False, help_text="8 digits.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )


class ConfirmChangeForm(forms.Form):
    note = forms.CharField(
        label="Who you spoke to, and on which number",
        max_length=300,
        help_text="Call a number we held before the change, never one given in the request.",
    )
