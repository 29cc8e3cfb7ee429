"""Circles: small, stable, mixed groups of members from different communities (issue 12)."""
