"""The composition root: builds the services, the bot and its extensions, and the command line.

The only package that imports ``bot/`` (services), ``cogs/`` (Discord extensions) and
``sandbox/`` (the offline demo) together; nothing imports ``app``.
"""
