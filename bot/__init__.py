"""Track Two: a Discord bot for people-to-people dialogue between communities in conflict."""

__version__ = "0.1.0"
