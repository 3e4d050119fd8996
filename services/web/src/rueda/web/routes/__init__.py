"""The web app's pages, one package per area."""
