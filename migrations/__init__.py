"""Numbered SQL migrations, shipped as package data and applied by bot.storage.migrations."""
