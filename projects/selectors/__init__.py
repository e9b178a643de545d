"""Every read with rules in projects/: one module per area (projects and meetings, roles)."""
