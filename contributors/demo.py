"""Demo people for `seed_demo`. Idempotent: looks people up by email."""

from .models import Availability, ContributorProfile, User

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
    pool = seed_pool()
    return {"admin": admin, "staff": staff, "contributor": contributor, "pool": pool}


# A varied pool: names from many backgrounds (non-ASCII kept), interests, contact methods,
# payment choices and times people can take part.
POOL = [
    ("Zoë O'Brien", "diabetes, food and health", "type 2 diabetes", "email", "paid", "1M,1A,3M"),
    ("Amara Okafor", "maternity care, mental health", "postnatal depression", "email", "vouchers", "0E,2E"),
    ("Bartłomiej Nowak", "hospital discharge, care homes", "carer for a parent", "phone", "expenses_only",
     "4M"),
    ("Siân Llewellyn", "rural transport, access to GP", "wheelchair user", "post", "paid", "1A,2A"),
    ("Mohammed Al-Rashid", "diabetes, eye health", "type 1 diabetes, sight loss", "email", "paid", "5M,5A"),
    ("Chloé Dubois", "dementia, carers", "carer for a partner with dementia", "email", "vouchers", "0M"),
    ("Niamh Ní Bhriain", "young people, mental health", "eating disorder recovery", "email", "paid", "2E,3E"),
    ("Rajesh Kumar", "heart health, diabetes", "heart failure", "phone", "paid", ""),
    ("Grace Mensah", "sickle cell, blood donation", "sickle cell disease", "email", "expenses_only", "1E"),
    ("Tomás Ó Ceallaigh", "alcohol services", "recovery from addiction", "post", "expenses_only", "0A,4A"),
    ("Li Wei", "cancer screening, language access", "breast cancer", "email", "paid", "3M,3A"),
    ("Fatima Hussain", "maternity care, interpreters", "gestational diabetes", "email", "vouchers", "0M,1M"),
    ("Dafydd Jones", "stroke rehabilitation", "stroke survivor", "phone", "paid", "2M"),
    ("Ewa Kowalczyk", "learning disability, easy read", "learning disability", "post", "vouchers", "1M,3M"),
    ("Kwame Asante", "kidney care, dialysis", "kidney failure", "email", "paid", "5A,6A"),
    ("Ingrid Sørensen", "arthritis, physiotherapy", "rheumatoid arthritis", "email", "paid", "0A"),
    ("José García", "homelessness, primary care", "experience of homelessness", "phone", "expenses_only", ""),
    ("Aoife Murphy", "children's services, autism", "parent of an autistic child", "email", "paid", "2M,4M"),
    ("Olamide Adeyemi", "mental health, racism in care", "psychosis", "email", "vouchers", "3E"),
    ("Hannah Goldberg", "long covid, fatigue", "long covid", "email", "paid", "1M"),
    ("Priya Patel", "diabetes prevention, South Asian health", "prediabetes", "email", "paid", "0E,1E,2E"),
    ("Seamus McAllister", "veterans, hearing loss", "hearing loss", "post", "paid", "3A"),
    ("Ayşe Yılmaz", "pharmacy, medicines", "epilepsy", "email", "expenses_only", "4A"),
    ("Ruth Abernethy", "end of life care", "bereaved carer", "phone", "paid", "1A"),
    ("Jamal Thompson", "sickle cell, young men's health", "sickle cell disease", "email", "paid", "5M"),
    ("Małgorzata Wiśniewska", "falls prevention, older people", "osteoporosis", "phone", "vouchers", "2M,2A"),
    ("Kai Nakamura", "digital health, apps", "ADHD", "email", "paid", "6M,6A"),
    ("Bernadette Mwangi", "HIV care, stigma", "living with HIV", "email", "expenses_only", "0E"),
    ("Åsa Lindqvist", "diabetes, foot care", "type 1 diabetes", "email", "paid", ""),
    ("Oluwaseun Bello", "men's mental health", "depression", "email", "paid", "4E"),
]
PARTS = {"M": "morning", "A": "afternoon", "E": "evening"}


def _slug(name: str) -> str:
    import unicodedata

    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum() or ch == " ").replace(" ", ".")


def seed_pool() -> list[User]:
    people = []
    for index, (name, interests, lived, contact, payment, slots) in enumerate(POOL):
        email = "contributor@example.org" if index == 0 else f"{_slug(name)}@example.org"
        user = _person(email, name=name)
        profile = user.profile
        if not profile.interests:  # only fill in a profile nobody has edited
            profile.interests, profile.lived_experience = interests, lived
            profile.contact_method, profile.payment_preference = contact, payment
            if contact == "phone":
                profile.phone = f"01632 960{index:03d}"
            if contact == "post":
                profile.address = f"{index + 1} Example Street\nNewtown\nNT1 {index}AA"
            profile.save()
            for code in filter(None, slots.split(",")):
                Availability.objects.get_or_create(
                    profile=profile, weekday=int(code[0]), part_of_day=PARTS[code[1]]
                )
        people.append(user)
    return people
