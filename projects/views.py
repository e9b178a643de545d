"""Views: see the issue for this app."""
