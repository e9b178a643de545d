"""Shared infrastructure below every app: widgets, CSV writing. Imports no app of the project."""
