"""People: the user model, contributor profiles, availability and invitations."""

from datetime import time

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone

from core.names import validate_name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        from .services import email_address_sync

        email_address_sync(user=user)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractBaseUser, PermissionsMixin):
    """Everyone who logs in. Staff have is_staff; admins are staff with is_superuser;
    everyone else is a public contributor."""

    # Optional: someone contacted by phone or post has no email and no login. Unique when
    # present (PostgreSQL and SQLite let any number of rows have none).
    email = models.EmailField("email address", unique=True, null=True, blank=True)
    name = models.CharField("full name", max_length=200, blank=True, validators=[validate_name])
    preferred_name = models.CharField(
        max_length=100, blank=True, help_text="What you would like us to call you.",
        validators=[validate_name],
    )
    is_staff = models.BooleanField(
        "staff", default=False, help_text="Staff plan projects and review claims."
    )
    is_finance = models.BooleanField(
        "finance", default=False, help_text="Finance staff make payment batches and mark claims paid."
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # Set when personal data was removed; the row stays because claims point at it.
    anonymised_at = models.DateTimeField(null=True, blank=True)
    anonymised_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The day of their first involvement (a meeting attended, a claim accepted): kept by the
    # services that record it (contributors/involvement.py), for the funder report's "new".
    first_involved_on = models.DateField(null=True, blank=True, editable=False, db_index=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["name", "email"]
        indexes = [
            # The contributor pool's order: a page of 25 walks this instead of sorting everyone.
            models.Index(
                fields=["name", "email"], name="contributor_pool_order",
                condition=models.Q(is_staff=False, is_active=True, anonymised_at__isnull=True),
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.name or self.email or f"Contributor #{self.pk}"

    def get_full_name(self):
        return self.name or self.email or f"Contributor #{self.pk}"

    @property
    def has_login(self) -> bool:
        """An email address to log in with (people reached by phone or post have none)."""
        return bool(self.email)

    def get_short_name(self):
        return self.display_name

    @property
    def is_contributor(self) -> bool:
        return not self.is_staff


class AccessFeature(models.TextChoices):
    """What a venue or meeting offers and what a person needs, in the same words, so a need a
    meeting does not meet can be named before it is saved."""

    STEP_FREE = "step_free", "Step-free access"
    HEARING_LOOP = "hearing_loop", "Hearing loop"
    BSL = "bsl", "BSL interpreter"
    ACCESSIBLE_TOILET = "accessible_toilet", "Accessible toilet"
    QUIET_ROOM = "quiet_room", "Quiet room"
    LARGE_PRINT = "large_print", "Large print papers"
    PARKING = "parking", "Accessible parking nearby"
    CAPTIONS = "captions", "Live captions (online)"


class ContributorProfile(models.Model):
    class ContactMethod(models.TextChoices):
        EMAIL = "email", "Email"
        PHONE = "phone", "Phone call"
        POST = "post", "Post"

    class PaymentPreference(models.TextChoices):
        PAID = "paid", "Be paid for my time"
        LIMITED = "limited", "Be paid, up to a limit I set each week or month"
        VOUCHERS = "vouchers", "Take vouchers instead of money"
        EXPENSES_ONLY = "expenses_only", "Decline payment and claim expenses only"

    class TravelMode(models.TextChoices):
        CAR = "car", "Car"
        MOTORCYCLE = "motorcycle", "Motorcycle"
        BICYCLE = "bicycle", "Bicycle"
        PUBLIC_TRANSPORT = "public_transport", "Public transport"
        TAXI = "taxi", "Taxi"
        WALK = "walk", "Walk or wheel"

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField("postal address", blank=True)
    contact_method = models.CharField(
        "how we contact you", max_length=10, choices=ContactMethod.choices,
        default=ContactMethod.EMAIL,
    )
    access_needs = models.TextField(
        blank=True,
        help_text="Anything that helps you take part: step-free access, large print, a hearing "
        "loop, breaks, a carer coming with you.",
    )
    # AccessFeature codes: the needs a meeting can be checked against (JSON, not an array, so
    # the SQLite demo works); the free text above says the rest.
    access_features_needed = models.JSONField(
        default=list, blank=True,
        verbose_name="what you need at meetings",
    )
    interests = models.TextField(
        blank=True, help_text="Topics you would like to work on, separated by commas."
    )
    lived_experience = models.TextField(
        "lived experience", blank=True,
        help_text="Conditions, services or experiences you can speak about, separated by commas.",
    )
    payment_preference = models.CharField(
        max_length=20, choices=PaymentPreference.choices, default=PaymentPreference.PAID
    )
    # "Paid, up to a limit": the most payment for time in a week or month (benefit rules), and
    # what happens to the rest of a claim over it.
    payment_limit = models.DecimalField(
        "the most we should pay you for your time (£)", max_digits=10, decimal_places=2,
        null=True, blank=True,
    )
    payment_limit_period = models.CharField(
        "in each", max_length=5, choices=[("week", "Week (Monday to Sunday)"), ("month", "Calendar month")],
        default="week",
    )
    over_limit = models.CharField(
        "if a claim would take you over it", max_length=10,
        choices=[("defer", "Pay the rest later, when it fits"), ("decline", "Do not pay me the rest")],
        default="defer",
    )
    usual_travel_mode = models.CharField(
        "how you usually travel", max_length=20, choices=TravelMode.choices, blank=True
    )
    usual_journey_miles = models.DecimalField(
        "usual journey (miles, there and back)", max_digits=6, decimal_places=1,
        null=True, blank=True,
    )
    accepts_texts = models.BooleanField(
        "send me text messages", default=False,
        help_text="Reminders and messages by text to your mobile, instead of email, phone or post.",
    )
    # Taking a break: not suggested, offered roles or sent offers until this date.
    break_until = models.DateField("taking a break until", null=True, blank=True)
    break_note = models.CharField("about the break (optional)", max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Profile of {self.user}"


class Availability(models.Model):
    """A time a contributor has said they CAN take part. No rows means 'not told us'."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    class PartOfDay(models.TextChoices):
        MORNING = "morning", "Morning (9am to 12 noon)"
        AFTERNOON = "afternoon", "Afternoon (12 noon to 5pm)"
        EVENING = "evening", "Evening (5pm to 9pm)"

    # Local (Europe/London) hours each part of the day covers.
    HOURS = {
        PartOfDay.MORNING: (time(9), time(12)),
        PartOfDay.AFTERNOON: (time(12), time(17)),
        PartOfDay.EVENING: (time(17), time(21)),
    }

    profile = models.ForeignKey(
        ContributorProfile, on_delete=models.CASCADE, related_name="availability"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    part_of_day = models.CharField(max_length=10, choices=PartOfDay.choices)

    class Meta:
        verbose_name_plural = "availability"
        ordering = ["weekday", "part_of_day"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "weekday", "part_of_day"], name="unique_availability_slot"
            )
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.part_of_day}"


class Invitation(models.Model):
    """Staff invite a contributor by email; the link sets a password once."""

    email = models.EmailField()
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    # Only a hash of the token is stored, so a database leak does not leak working links.
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="invitations_sent"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation for {self.email}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at


class EqualityMonitoring(models.Model):
    """Optional, consented answers kept apart from the profile. Staff see only aggregates."""

    class AgeBand(models.TextChoices):
        UNDER_25 = "under_25", "Under 25"
        AGE_25_44 = "25_44", "25 to 44"
        AGE_45_64 = "45_64", "45 to 64"
        AGE_65_74 = "65_74", "65 to 74"
        AGE_75_PLUS = "75_plus", "75 or over"
        PREFER_NOT = "prefer_not", "Prefer not to say"

    class Gender(models.TextChoices):
        WOMAN = "woman", "Woman"
        MAN = "man", "Man"
        NON_BINARY = "non_binary", "Non-binary"
        SELF_DESCRIBE = "other", "In another way"
        PREFER_NOT = "prefer_not", "Prefer not to say"

    class EthnicGroup(models.TextChoices):
        ASIAN = "asian", "Asian or Asian British"
        BLACK = "black", "Black, Black British, Caribbean or African"
        MIXED = "mixed", "Mixed or multiple ethnic groups"
        WHITE = "white", "White"
        OTHER = "other", "Another ethnic group"
        PREFER_NOT = "prefer_not", "Prefer not to say"

    class YesNo(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        PREFER_NOT = "prefer_not", "Prefer not to say"

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="monitoring")
    consent_given_at = models.DateTimeField()
    age_band = models.CharField("age", max_length=12, choices=AgeBand.choices, blank=True)
    gender = models.CharField(max_length=12, choices=Gender.choices, blank=True)
    ethnic_group = models.CharField("ethnic group", max_length=12, choices=EthnicGroup.choices, blank=True)
    disability = models.CharField(
        "do you consider yourself disabled?", max_length=12, choices=YesNo.choices, blank=True
    )
    carer = models.CharField(
        "do you look after someone as an unpaid carer?", max_length=12, choices=YesNo.choices, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    # The answers that are reported, in order; the reach report aggregates each.
    REPORTED_FIELDS = ["age_band", "gender", "ethnic_group", "disability", "carer"]

    class Meta:
        verbose_name = "equality monitoring answers"
        verbose_name_plural = "equality monitoring answers"

    def __str__(self):
        return f"Monitoring answers #{self.pk}"


class ErasureRequest(models.Model):
    """A contributor asked for their personal data to be erased."""

    class Status(models.TextChoices):
        OPEN = "open", "Waiting"
        DONE = "done", "Done: personal data removed"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="erasure_requests")
    reason = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    requested_at = models.DateTimeField(default=timezone.now)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["status", "-requested_at"]

    def __str__(self):
        return f"Erasure request #{self.pk}"


class BankDetails(models.Model):
    """How a person is paid: into a bank account (sealed, see contributors/bank_details.py),
    by vouchers, or not at all. Never kept in the audit trail (no history), never shown except
    masked (••••5678); only the bank file reads the account itself."""

    class Method(models.TextChoices):
        BANK = "bank", "Into my bank account"
        VOUCHERS = "vouchers", "Vouchers instead of a bank payment"
        NONE = "none", "No payment: do not pay me anything"

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="bank_details")
    method = models.CharField("how to pay", max_length=10, choices=Method.choices, default=Method.BANK)
    # Fernet token (MultiFernet, BANK_DETAILS_KEYS) of the account name, sort code and number.
    sealed = models.TextField(blank=True, editable=False)
    # The last four digits of the account number: what people see ("••••5678").
    last_digits = models.CharField(max_length=4, blank=True, editable=False)
    added_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField("details changed on", null=True, blank=True)
    changed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A change holds the next payment until then, unless finance confirm it by phone.
    hold_until = models.DateTimeField("payment held until", null=True, blank=True)
    confirmed_at = models.DateTimeField("change confirmed by phone on", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmation_note = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = "bank details"
        verbose_name_plural = "bank details"

    def __str__(self):
        return f"Bank details #{self.pk}"

    def __repr__(self):
        return f"<BankDetails #{self.pk} {self.method} {self.masked}>"

    @property
    def masked(self) -> str:
        return f"••••{self.last_digits}" if self.last_digits else ""

    def is_held(self, now=None) -> bool:
        now = now or timezone.now()
        return bool(self.hold_until and self.hold_until > now and not self.confirmed_at)
