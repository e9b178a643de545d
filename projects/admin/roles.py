"""Admin for role templates, roles, versions, expressions of interest and offers."""
