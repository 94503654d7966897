"""Scoring schemes, score runs and their results arrive with the scoring issue."""
