"""The one JSON reader for documents a sender wrote: every refusal is typed and says where."""

from __future__ import annotations

import time

import pytest

from proscribe import jsonbody


def test_an_array_longer_than_the_limit_is_refused_with_its_path_and_length():
    with pytest.raises(jsonbody.TooLong) as caught:
        jsonbody.loads(b'{"q": [{"n": [1, 2, 3, 4]}]}', max_items=3)
    assert caught.value.kind == "array_length"
    assert "$.q[0].n (an array of 4 elements) is longer than the limit of 3" in str(caught.value)


def test_an_object_with_more_members_than_the_limit_is_refused():
    with pytest.raises(jsonbody.TooLong, match=r"\$ \(an object of 4 members\)"):
        jsonbody.loads(b'{"a": 1, "b": 2, "c": 3, "d": 4}', max_items=3)


def test_arrays_at_the_limit_are_read():
    assert jsonbody.loads(b"[[1, 2, 3], [4, 5, 6]]", max_items=3) == [[1, 2, 3], [4, 5, 6]]


def test_a_million_element_array_is_refused_quickly():
    data = b"[" + b"0," * 999_999 + b"0]"
    started = time.perf_counter()
    with pytest.raises(jsonbody.TooLong, match="1,000,000 elements"):
        jsonbody.loads(data)
    assert time.perf_counter() - started < 2


def test_a_long_member_name_is_shown_only_in_part():
    key = "k" * 5000
    with pytest.raises(jsonbody.TooLong) as caught:
        jsonbody.loads(f'{{"{key}": [1, 2]}}'.encode(), max_items=1)
    assert len(str(caught.value)) < 200 and "kkk..." in str(caught.value)


def test_depth_beyond_the_limit_is_refused_before_the_length_is_looked_at():
    with pytest.raises(jsonbody.TooDeep):
        jsonbody.loads(b"[" * 70 + b"]" * 70)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", jsonbody.EmptyBody),
        (b"\xff\xfe", jsonbody.EncodingError),
        (b'"\\ud800"', jsonbody.EncodingError),
        (b"{", jsonbody.SyntaxProblem),
    ],
)
def test_unreadable_documents_are_refused_by_type(data, error):
    with pytest.raises(error):
        jsonbody.loads(data)
