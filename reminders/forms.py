import uuid

from django import forms

from .models import GroupMessage


class PersonChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, person):
        return person.display_name


class GroupMessageForm(forms.Form):
    audience = forms.ChoiceField(label="Who gets it", widget=forms.RadioSelect)
    people = PersonChoice(
        label="The people I choose",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only used when you choose 'The people I choose'.",
    )
    subject = forms.CharField(label="Subject", max_length=150)
    body = forms.CharField(
        label="Message",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=3000,
        help_text="Plain words. People who get texts see the start of it and a link to the rest.",
    )
    form_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, audiences, people, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("form_token", uuid.uuid4())
        kwargs["initial"].setdefault("audience", audiences[0])
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = [
            (value, label) for value, label in GroupMessage.Audience.choices if value in audiences
        ]
        self.fields["people"].queryset = people

    def clean(self):
        data = super().clean()
        if data.get("audience") == GroupMessage.Audience.CHOSEN and not data.get("people"):
            self.add_error("people", "Choose at least one person, or send it to the whole group.")
        return data
