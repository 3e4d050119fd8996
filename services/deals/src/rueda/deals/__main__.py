"""`python -m rueda.deals`: run the deals service."""

from .app import main

main()
