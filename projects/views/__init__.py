"""Thin views, one module per area (projects and meetings, roles and offers)."""
