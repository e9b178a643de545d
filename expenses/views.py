"""Thin views for claims, review and payments."""
