"""The monitoring engine: reading sources, checking posts and links, judging account activity.

Pure Python with no Django import, so that `govmedia monitor probe` runs without a database and the
Django side (`govmedia.monitoring.services`) and the probe share one implementation of every rule.
"""
