"""Reference data read once within a block. The checks before and inside one submission ask the roster (资格库)
and the employers the same questions several times; inside `read_once()` the database is asked each once."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")

_answers: ContextVar[dict[Hashable, Any] | None] = ContextVar("read_once", default=None)


@contextmanager
def read_once() -> Iterator[None]:
    outer = _answers.get()
    token = _answers.set({} if outer is None else outer)  # a block inside another shares its answers
    try:
        yield
    finally:
        _answers.reset(token)


def answer(question: Hashable, read: Callable[[], T]) -> T:
    """`read()`'s result, read once per question inside a `read_once()` block (every time outside one)."""
    answers = _answers.get()
    if answers is None:
        return read()
    if question not in answers:
        answers[question] = read()
    return answers[question]  # type: ignore[no-any-return]
