"""Adapters of the matching service: the MongoDB repository and the periodic ticker."""
