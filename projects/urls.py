from django.urls import path  # noqa: F401

app_name = "projects"

# Projects and meetings (staff) and roles and offers (staff and contributors) add their
# routes below, each in its own block.
urlpatterns: list = [
    # --- projects and meetings ---
    # --- roles, opportunities and offers ---
]
