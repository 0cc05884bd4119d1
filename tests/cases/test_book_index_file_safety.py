"""The customer book's compiled index is persisted like the list index: in a format that cannot
run code, loaded only when its sha256 is the one the store recorded (issue 19, class 18)."""

from __future__ import annotations

import pickle

from proscribe import settings
from proscribe.cases import book, monitor


class _Planted:
    """A pickle that creates a marker file when loaded: proof that a file ran code."""

    def __init__(self, marker: str):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


def _book_index_files() -> list:
    return sorted(p for p in settings.index_dir().glob("book-*") if not p.name.endswith(".tmp"))


def test_planted_file_in_the_book_index_folder_never_runs_code(db, store_list, book_file, tmp_path):
    store_list(1, db)
    book.import_book(book_file(), engine=db)
    compiled = monitor.get_book_index(engine=db)
    [path] = _book_index_files()
    assert path.suffix == ".npz", path
    marker = tmp_path / "ran-code"
    payload = pickle.dumps(_Planted(str(marker)))
    for planted in (path, path.with_suffix(".pkl")):
        planted.write_bytes(payload)
    monitor._book_cache.clear()
    reloaded = monitor.get_book_index(engine=db)
    assert not marker.exists(), "a planted book index file ran code"
    assert [r.id for r in reloaded.entities] == [r.id for r in compiled.entities]


def test_changed_book_index_file_is_rebuilt_never_loaded(db, store_list, book_file):
    store_list(1, db)
    book.import_book(book_file(), engine=db)
    monitor.get_book_index(engine=db)
    [path] = _book_index_files()
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    monitor._book_cache.clear()
    rebuilt = monitor.get_book_index(engine=db)
    assert rebuilt.entities, "the rebuilt book index is empty"
    assert path.read_bytes() != bytes(data), "the changed file was not replaced by a rebuilt one"
