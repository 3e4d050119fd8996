"""`python -m rueda.notifications`: run the notifications service."""

from .app import main

main()
