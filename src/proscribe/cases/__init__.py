"""Cases: the customer book, ongoing monitoring, alerts and cases, the good-guy list."""
