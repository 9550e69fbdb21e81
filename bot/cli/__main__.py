"""``python -m bot.cli``: the same as the ``careerbot`` command."""

from bot.cli import main

main()
