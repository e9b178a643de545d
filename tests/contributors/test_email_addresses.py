"""Email addresses, tried as an attacker would: an address counts only once its owner follows the
link sent to it, an address another account holds is refused with a reason, and the login
(User.email) and allauth's records never disagree, whichever door changed them."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from contributors.models import User
from contributors.services import EMAIL_TAKEN, contributor_invite, email_address_sync
from tests.factories import PASSWORD, ContributorFactory
from tests.security.test_headers_and_csp import inline_problems

pytestmark = pytest.mark.django_db

VICTIM = "real.owner@example.org"


def assert_in_step(user):
    """One main, confirmed record, the login; anything else only an unconfirmed change."""
    user.refresh_from_db()
    main = list(EmailAddress.objects.filter(user=user, primary=True))
    assert [(a.email, a.verified) for a in main] == [(user.email, True)]
    assert not EmailAddress.objects.filter(user=user, verified=True).exclude(pk=main[0].pk).exists()


def ask_to_change(client, email):
    return client.post(reverse("account_email"), {"action_add": "", "email": email})


def link_sent_to(email: str) -> str:
    message = [m for m in mail.outbox if m.to == [email]][-1]
    return re.search(r"http://testserver(/accounts/confirm-email/\S+/)", message.body).group(1)


def test_a_contributor_changes_their_address_by_following_the_link_sent_to_it(client, contributor):
    client.force_login(contributor)
    assert reverse("account_email") in client.get(reverse("contributors:profile")).content.decode()
    page = client.get(reverse("account_email"))
    assert page.status_code == 200
    assert f"You log in with <strong>{contributor.email}</strong>" in page.content.decode()

    response = ask_to_change(client, "Zoe.New@Example.org")
    assert response.status_code == 302
    contributor.refresh_from_db()
    assert contributor.email != "zoe.new@example.org"  # nothing changes before the link
    assert "You asked to change it to <strong>zoe.new@example.org</strong>" in (
        client.get(reverse("account_email")).content.decode()
    )

    pending = client.get(reverse("account_email")).content.decode()
    assert inline_problems(pending) == []  # the strict Content-Security-Policy holds
    link = link_sent_to("zoe.new@example.org")
    confirm = client.get(link)
    assert confirm.status_code == 200 and inline_problems(confirm.content.decode()) == []
    assert client.post(link).status_code in (200, 302)
    contributor.refresh_from_db()
    assert contributor.email == "zoe.new@example.org"
    assert_in_step(contributor)
    client.logout()
    response = client.post(reverse("account_login"), {"login": "zoe.new@example.org", "password": PASSWORD})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(contributor.pk)


def test_claiming_someone_elses_address_blocks_nothing_and_never_becomes_the_login(
    client, contributor, staff
):
    client.force_login(contributor)
    ask_to_change(client, VICTIM)
    # The attacker tries to make it their main address straight away.
    response = client.post(reverse("account_email"), {"action_primary": "", "email": VICTIM}, follow=True)
    assert "when you follow the link we emailed to it" in response.content.decode()
    contributor.refresh_from_db()
    assert contributor.email != VICTIM
    assert_in_step(contributor)

    # Staff can still invite the address's real owner.
    sent = contributor_invite(email=VICTIM, name="Real Owner", actor=staff)
    owner = User.objects.get(email=VICTIM)
    assert sent.invitation.user == owner
    assert_in_step(owner)

    # Even holding the link (a forwarded email), the attacker cannot take the address now.
    link = link_sent_to(VICTIM)
    response = client.post(link, follow=True)
    assert response.status_code == 200
    assert EMAIL_TAKEN in response.content.decode()
    contributor.refresh_from_db()
    assert contributor.email != VICTIM
    assert_in_step(contributor)
    assert_in_step(owner)


@pytest.mark.parametrize("held_as", ["login", "login in capitals", "pending invitation", "confirmed record"])
def test_an_address_another_account_holds_is_refused_with_a_clear_message(
    client, contributor, other_contributor, staff, held_as
):
    address = other_contributor.email
    if held_as == "login in capitals":
        address = other_contributor.email.upper()
    elif held_as == "pending invitation":
        address = "invited@example.org"
        contributor_invite(email=address, name="Invited Person", actor=staff)
    elif held_as == "confirmed record":
        address = "second@example.org"  # an older confirmed record of another account
        EmailAddress.objects.create(user=other_contributor, email=address, verified=True, primary=False)
    client.force_login(contributor)
    sent_before = len(mail.outbox)
    response = ask_to_change(client, address)
    assert response.status_code == 200
    assert EMAIL_TAKEN in response.content.decode()
    assert f'value="{address}"' in response.content.decode()  # what was typed stays
    assert len(mail.outbox) == sent_before
    assert not EmailAddress.objects.filter(user=contributor, email__iexact=address).exists()


def test_an_address_someone_else_only_asked_for_does_not_block_its_owner(
    client, contributor, other_contributor
):
    from django.core.cache import cache

    client.force_login(other_contributor)
    ask_to_change(client, "shared@example.org")
    cache.clear()  # a few minutes later: one link per address every 3 minutes
    client.force_login(contributor)
    assert ask_to_change(client, "shared@example.org").status_code == 302
    client.post(link_sent_to("shared@example.org"))
    contributor.refresh_from_db()
    assert contributor.email == "shared@example.org"
    # The other account's link now fails with a message, not a server error.
    client.force_login(other_contributor)
    first_link = [m for m in mail.outbox if m.to == ["shared@example.org"]][0]
    link = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", first_link.body).group(1)
    response = client.post(link, follow=True)
    assert response.status_code == 200
    other_contributor.refresh_from_db()
    assert other_contributor.email != "shared@example.org"
    assert_in_step(contributor)
    assert_in_step(other_contributor)


def test_making_another_accounts_address_main_never_gives_a_server_error(
    client, contributor, other_contributor
):
    # An old record from before these rules: the contributor holds the other's login, unconfirmed.
    EmailAddress.objects.create(
        user=contributor, email=other_contributor.email, verified=False, primary=False
    )
    client.raise_request_exception = False
    client.force_login(contributor)
    response = client.post(reverse("account_email"), {"action_primary": "", "email": other_contributor.email})
    assert response.status_code == 302
    contributor.refresh_from_db()
    assert contributor.email != other_contributor.email
    # Opening the page puts the records back in step with the login.
    assert client.get(reverse("account_email")).status_code == 200
    assert_in_step(contributor)


# --- every door keeps the login and allauth's records in step ---------------------------------


def test_accounts_made_by_create_user_invitation_or_factory_are_in_step(staff, client):
    made = User.objects.create_user(
        email="New.Person@Example.org", password=PASSWORD, name="Siobhán Ní Bhriain"
    )
    assert_in_step(made)
    contributor_invite(email="invitee@example.org", name="José-María Núñez", actor=staff)
    assert_in_step(User.objects.get(email="invitee@example.org"))
    bare = ContributorFactory()  # made without the manager, as an import might
    client.force_login(bare)
    client.get(reverse("account_email"))
    assert_in_step(bare)


def test_an_admin_changing_a_persons_address_changes_allauths_record_too(client, admin_user, contributor):
    email_address_sync(user=contributor)
    client.force_login(admin_user)
    url = reverse("admin:contributors_user_change", args=[contributor.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k not in ("password", "groups",
                                                                                   "user_permissions")}
    data.update(email="zoe.changed@example.org", date_joined_0="2025-01-01", date_joined_1="10:00:00")
    data.update({"profile-TOTAL_FORMS": "1", "profile-INITIAL_FORMS": "1", "profile-MIN_NUM_FORMS": "0",
                 "profile-MAX_NUM_FORMS": "1", "profile-0-id": str(contributor.profile.pk),
                 "profile-0-user": str(contributor.pk), "profile-0-contact_method": "email",
                 "profile-0-payment_preference": "paid", "profile-0-payment_limit_period": "week",
                 "profile-0-over_limit": "defer"})
    for key in ("last_login", "date_joined", "anonymised_at", "anonymised_by"):
        data.pop(key, None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    contributor.refresh_from_db()
    assert contributor.email == "zoe.changed@example.org"
    assert_in_step(contributor)
    assert not EmailAddress.objects.filter(email__iexact="zoe.changed@example.org").exclude(
        user=contributor
    ).exists()


def test_an_admin_cannot_give_a_person_an_address_another_account_holds(
    client, admin_user, contributor, other_contributor
):
    client.force_login(admin_user)
    url = reverse("admin:contributors_user_add")
    form = {
        "password1": "Lavender-Field-2026", "password2": "Lavender-Field-2026",
        "profile-TOTAL_FORMS": "0", "profile-INITIAL_FORMS": "0",
    }
    response = client.post(url, {**form, "email": other_contributor.email.upper(), "name": "Copy Cat"})
    assert response.status_code == 200
    assert EMAIL_TAKEN in response.content.decode()
    response = client.post(url, {**form, "email": "brand.new@example.org", "name": "Zoë O'Brien"})
    assert response.status_code == 302
    assert_in_step(User.objects.get(email="brand.new@example.org"))


def test_the_admin_shows_allauths_address_records_read_only(client, admin_user, contributor):
    address = email_address_sync(user=contributor)
    client.force_login(admin_user)
    page = client.get(reverse("admin:account_emailaddress_change", args=[address.pk]))
    assert page.status_code == 200
    assert 'name="email"' not in page.content.decode()
    assert client.get(reverse("admin:account_emailaddress_add")).status_code == 403
