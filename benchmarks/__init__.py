"""Benchmarks of the provider against the way users would otherwise post media (tweepy), run with ``make bench``."""
