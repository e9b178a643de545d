"""Search boxes: a few words, never a thousand.

Each word of a search becomes a condition on several columns; a thousand-word search (a pasted
document) built a query too large for the database ("Expression tree is too large") and a server
error. Searches use the first MAX_WORDS words, each at most MAX_WORD_LENGTH characters, and say so.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.utils.text import smart_split

MAX_WORDS = 10
MAX_WORD_LENGTH = 100
CAPPED_NOTE = (
    f"Your search was shortened: only the first {MAX_WORDS} words (of up to {MAX_WORD_LENGTH} "
    "letters each) were searched for."
)


@dataclass(frozen=True)
class SearchTerms:
    words: tuple[str, ...]
    capped: bool

    @property
    def text(self) -> str:
        return " ".join(self.words)

    @property
    def note(self) -> str:
        return CAPPED_NOTE if self.capped else ""


def search_terms(text: str | None, *, split=str.split) -> SearchTerms:
    words = list(split(text or ""))
    kept = tuple(word[:MAX_WORD_LENGTH] for word in words[:MAX_WORDS])
    capped = len(words) > MAX_WORDS or any(len(word) > MAX_WORD_LENGTH for word in words[:MAX_WORDS])
    return SearchTerms(words=kept, capped=capped)


def cap_admin_searches(site) -> None:
    """Every admin list's search box (and the admin's autocomplete) searches a capped number of
    words, with a note on the page when words were left out. Applied to every registered model
    admin, ours and the packages', so no list is missed."""
    for model_admin in site._registry.values():
        if getattr(model_admin, "_search_capped", False):
            continue
        model_admin.get_search_results = _capped(model_admin.get_search_results)
        model_admin._search_capped = True


def _capped(get_search_results):
    def capped_search_results(request, queryset, search_term):
        # The admin splits on spaces but keeps "quoted phrases" together; so do we.
        terms = search_terms(search_term, split=smart_split)
        if terms.capped and "q" in request.GET:
            messages.info(request, CAPPED_NOTE)
        return get_search_results(request, queryset, terms.text)

    return capped_search_results


# --- accent-insensitive matching: "Zoe" finds "Zoë", "Jose" finds "José" ---
def fold(text: str) -> str:
    """Lower case without accents, as the database's unaccent(lower(...)) compares."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", (text or "").lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def unaccent(expression):
    from django.db.models import Func
    from django.db.models.functions import Lower

    return Func(Lower(expression), function="unaccent")


def contains_folded(field: str, word: str):
    """A filter: `field` contains `word`, ignoring case and accents. PostgreSQL's unaccent
    extension (a contributors migration turns it on); SQLite gets the same function below."""
    from django.db.models import F, Value
    from django.db.models.lookups import Contains

    return Contains(unaccent(F(field)), unaccent(Value(fold(word))))


def _sqlite_unaccent(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("unaccent", 1, fold, deterministic=True)


def install_sqlite_unaccent() -> None:
    from django.db.backends.signals import connection_created

    connection_created.connect(_sqlite_unaccent, dispatch_uid="core.search.unaccent")
