"""Input cleaning only, one module per area."""
