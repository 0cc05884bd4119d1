"""proscribe: sanctions screening and blocking engine."""

__version__ = "0.1.0"
