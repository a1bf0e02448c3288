"""``python -m paperkit``: the command line."""

from .cli import run

run()
