"""Reusable widgets: the calendar heatmap, the rating bar, and task rows."""
