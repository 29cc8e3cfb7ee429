"""A local emulation of Discord's REST API v10 and Gateway, for tests and the offline demo.

Never imported by ``bot/`` or ``cogs/``; only the CLI entry point starts it.
"""
