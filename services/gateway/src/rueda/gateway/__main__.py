"""`python -m rueda.gateway`: run the HTTP gateway."""

from .app import main

main()
