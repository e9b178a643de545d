"""Demo people for `seed_demo`. Idempotent: looks people up by email."""

from .models import ContributorProfile, User

DEMO_PASSWORD = "coproduce-demo"


def _person(email: str, **fields) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, **fields)
    if not user.is_staff:
        ContributorProfile.objects.get_or_create(user=user)
    return user


def seed() -> dict:
    admin = _person(
        "admin@example.org", name="Ada Admin", is_staff=True, is_superuser=True, is_finance=True
    )
    staff = _person("staff@example.org", name="Sam Staff", is_staff=True)
    contributor = _person(
        "contributor@example.org", name="Zoë O'Brien", preferred_name="Zoë"
    )
    return {"admin": admin, "staff": staff, "contributor": contributor}
