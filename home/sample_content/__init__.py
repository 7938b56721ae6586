"""Sample content: the 2026-02-06 issue of Focus This Week and its surroundings."""
