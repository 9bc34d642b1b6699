"""``python -m kling.cli``: the same as the ``kling`` command."""

from kling.cli import main

main()
