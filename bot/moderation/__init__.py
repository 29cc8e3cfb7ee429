"""Moderation: reports, one review queue, numbered cases, warnings, timeouts, appeals."""
