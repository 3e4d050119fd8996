"""Adapters of the scheduling service: MongoDB repositories and the video-room port."""
