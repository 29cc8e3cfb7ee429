"""Discord extensions. Each module or package here is loaded at startup; thin by design:
parse the interaction, call a service from ``bot.services``, render the answer."""
