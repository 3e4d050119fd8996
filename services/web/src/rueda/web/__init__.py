"""Rueda web app: the participants portal."""
