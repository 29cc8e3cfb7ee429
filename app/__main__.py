"""``python -m app`` is the same as the ``tracktwo`` command."""

from app.cli import main

raise SystemExit(main())
