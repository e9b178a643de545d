"""Shared infrastructure below every app (widgets, dates, names, search, CSV writing, admin
building blocks). Imports no app of the project, so every app may import it."""
