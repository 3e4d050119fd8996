"""`python -m rueda.scheduling`: run the scheduling service."""

from .app import main

main()
