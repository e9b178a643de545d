"""The kinds of reminder and their defaults (also used by the data migration, so plain data)."""

MEETING_WEEK_BEFORE = "meeting_week_before"
MEETING_DAY_BEFORE = "meeting_day_before"
PAPERS_NOT_SENT = "papers_not_sent"
CLAIM_PROMPT = "claim_prompt"
CLAIM_WAITING_REVIEW = "claim_waiting_review"
CLAIM_NOT_PAID = "claim_not_paid"
CLAIM_PAID = "claim_paid"
OFFER_UNANSWERED_CONTRIBUTOR = "offer_unanswered_contributor"
OFFER_UNANSWERED_STAFF = "offer_unanswered_staff"
# Confirmations: sent at the next scan after staff act, however the person was added.
MEETING_INVITED = "meeting_invited"
OFFER_MADE = "offer_made"
# What happened to a contributor's claim: at the next scan after the reviewer acts, once each.
CLAIM_QUERIED = "claim_queried"
CLAIM_REJECTED = "claim_rejected"
CLAIM_APPROVED = "claim_approved"

# kind: (label, lead time in days, what the lead time means, subject, intro). Subject and
# intro are Django templates, editable by admins; the variables each kind offers are listed
# in the admin help text.
DEFAULTS = {
    MEETING_WEEK_BEFORE: (
        "Meeting coming up: a week before",
        7,
        "days before the meeting",
        "Reminder: {{ meeting.title }} on {{ start|date:'l j F' }}",
        "This is a reminder that you are invited to a meeting next week.",
    ),
    MEETING_DAY_BEFORE: (
        "Meeting coming up: the day before",
        1,
        "days before the meeting",
        "Tomorrow: {{ meeting.title }} at {{ start|time:'H:i' }}",
        "This is a reminder that you are invited to a meeting tomorrow.",
    ),
    PAPERS_NOT_SENT: (
        "Papers not yet sent (to the organiser)",
        7,
        "days before the meeting",
        "Papers not sent yet for {{ meeting.title }} on {{ start|date:'j F' }}",
        "The papers for your meeting have not been sent to contributors yet. Sending them a week "
        "ahead gives everyone time to read them and take part.",
    ),
    CLAIM_PROMPT: (
        "Attended a meeting but no claim yet",
        3,
        "days after the meeting",
        "You can claim for {{ meeting.title }}",
        "Thank you for coming to the meeting. You have not made a claim for it yet. You can "
        "claim your expenses and, if you are paid for your time, payment for it.",
    ),
    CLAIM_WAITING_REVIEW: (
        "Claim waiting for review (to the project's reviewers)",
        5,
        "working days (Monday to Friday) after it was sent",
        "A claim from {{ claim.contributor.display_name }} is waiting for review",
        "A claim has been waiting for review for more than a week. The contributor is waiting "
        "for their money.",
    ),
    CLAIM_NOT_PAID: (
        "Approved claim not yet paid (to finance)",
        10,
        "working days (Monday to Friday) after approval",
        "Approved claim from {{ claim.contributor.display_name }} not paid yet",
        "A claim was approved more than two weeks ago and has not been paid yet.",
    ),
    CLAIM_PAID: (
        "Your claim has been paid (to the contributor)",
        0,
        "days after it was paid",
        "Your claim has been paid",
        "Good news: your claim has been paid.",
    ),
    OFFER_UNANSWERED_CONTRIBUTOR: (
        "Role offer unanswered (to the contributor)",
        7,
        "days after the offer",
        "Please reply to the offer: {{ offer.role.title }}",
        "You have been offered a role and we have not heard from you yet. Please tell us "
        "whether you would like to take it. It is fine to say no.",
    ),
    OFFER_UNANSWERED_STAFF: (
        "Role offer unanswered (to staff)",
        14,
        "days after the offer",
        "No answer yet from {{ offer.contributor.display_name }}: {{ offer.role.title }}",
        "A contributor has not answered a role offer for two weeks. You may want to get in "
        "touch with them or offer the role to someone else.",
    ),
    MEETING_INVITED: (
        "Invited to a meeting (confirmation to the contributor)",
        0,
        "days after the invitation (0: at the next scan)",
        "You are invited: {{ meeting.title }} on {{ start|date:'l j F' }}",
        "You have been invited to a meeting. The details are below, with a calendar file to add "
        "it to your calendar. Please tell us whether you can come.",
    ),
    OFFER_MADE: (
        "Role offered, or its terms changed (to the contributor)",
        0,
        "days after the offer (0: at the next scan)",
        "{% if offer.accepted_version_id %}New terms for your role{% else %}"
        "You have been offered a role{% endif %}: {{ offer.role.title }}",
        "{% if offer.accepted_version_id %}The terms of your role have changed. Your current terms stand "
        "until you accept the new ones.{% else %}You have been offered a role. Please read it and tell us "
        "whether you would like to take it. It is fine to say no.{% endif %}",
    ),
    CLAIM_QUERIED: (
        "A question about your claim (to the contributor)",
        0,
        "days after the question (0: at the next scan)",
        "A question about your claim for {{ project.title }}",
        "The person reviewing your claim has a question. Please answer it on the claim's page so "
        "your claim can move on. If you would like help, reply to the project's staff.",
    ),
    CLAIM_REJECTED: (
        "Your claim was not approved (to the contributor)",
        0,
        "days after the decision (0: at the next scan)",
        "Your claim for {{ project.title }} was not approved",
        "We are sorry: your claim has not been approved. The reason is below. If you think this is "
        "wrong, or you would like help with a new claim, please get in touch.",
    ),
    CLAIM_APPROVED: (
        "Your claim was approved (to the contributor)",
        0,
        "days after approval (0: at the next scan)",
        "Your claim for {{ project.title }} is approved",
        "Good news: your claim has been approved. Below is when it will be paid.",
    ),
}

CHOICES = [(kind, values[0]) for kind, values in DEFAULTS.items()]
