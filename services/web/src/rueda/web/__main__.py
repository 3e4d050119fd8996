"""`python -m rueda.web`: run the web app."""

from .app import main

main()
