"""Revisions, one file each: `v<rev>_<slug>.py`."""
