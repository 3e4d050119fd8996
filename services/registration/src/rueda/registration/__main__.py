"""`python -m rueda.registration`: run the registration service."""

from .app import main

main()
