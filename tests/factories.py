"""Index of the test factories: each app's live beside its tests (tests/<app>/factories.py).

Kept so `from tests.factories import ...` keeps working; add new factories to the app's module.
"""

from tests.contributors.factories import (  # noqa: F401
    PASSWORD,
    AdminFactory,
    ContributorFactory,
    ContributorProfileFactory,
    StaffFactory,
    UserFactory,
    now,
)
from tests.projects.factories import (  # noqa: F401
    BudgetLineFactory,
    InvitationFactory,
    MeetingFactory,
    PieceOfWorkFactory,
    ProjectFactory,
    give_role,
)
