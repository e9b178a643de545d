"""Admin for projects, suitability, resources, power imbalances and meetings."""
