"""`python -m rueda.matching`: run the matching service."""

from .app import main

main()
