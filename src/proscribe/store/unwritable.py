"""A store that cannot take a write says so: a full disk, a read-only store, a file size limit.

The database driver reports these as generic operational errors ("database or disk is full",
"attempt to write a readonly database", errno 28 or 27), which reach an operator as a traceback.
:func:`writing` turns them into :class:`StoreUnwritable`, whose message names the cause, the
store, and that nothing was written (the transaction was rolled back), so a caller can refuse
cleanly. Any other error passes through unchanged.
"""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import OperationalError

#: Words of the driver's message -> what an operator should read.
_CAUSES = (
    (("disk is full", "no space left", "could not extend file"), "the disk holding the store is full"),
    (("readonly database", "read-only file system", "read-only transaction"), "the store is read-only"),
    (("file too large",), "the store's file reached the size limit of this process"),
    (("unable to open database file", "permission denied"), "the store cannot be opened for writing"),
)
_ERRNO_CAUSES = {
    errno.ENOSPC: "the disk holding the store is full",
    errno.EROFS: "the store is read-only",
    errno.EFBIG: "the store's file reached the size limit of this process",
    errno.EACCES: "the store cannot be opened for writing",
}


class StoreUnwritable(Exception):
    """The store refused a write for a reason outside proscribe (disk, mount, permissions)."""


def cause(exc: BaseException) -> str | None:
    """What made the write fail, in an operator's words, or None when it is not the store's room
    or permissions."""
    if isinstance(exc, OSError) and exc.errno in _ERRNO_CAUSES:
        return _ERRNO_CAUSES[exc.errno]
    if isinstance(exc, OperationalError | OSError):
        text = str(getattr(exc, "orig", None) or exc).lower()
        for words, reason in _CAUSES:
            if any(word in text for word in words):
                return reason
    return None


@contextmanager
def writing(what: str, where: str) -> Iterator[None]:
    """Run a write; a full disk, read-only store or size limit becomes :class:`StoreUnwritable`
    naming ``what`` was being written and ``where`` the store is."""
    try:
        yield
    except (OperationalError, OSError) as exc:
        reason = cause(exc)
        if reason is None:
            raise
        raise StoreUnwritable(f"{what}: {reason} ({where}); nothing was written") from exc
