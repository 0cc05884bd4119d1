"""The screening service (FastAPI): see :mod:`proscribe.api.app`."""
