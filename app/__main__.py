"""``python -m bot`` is the same as the ``tracktwo`` command."""

from bot.cli import main

raise SystemExit(main())
