"""Every write in projects/: one module per area (projects and meetings, roles and offers).

Import from the module, e.g. `from projects.services.meetings import meeting_schedule`.
"""
