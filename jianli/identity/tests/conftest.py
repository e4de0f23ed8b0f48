from __future__ import annotations

import pytest

from jianli import testing
from jianli.accounts.models import Applicant
from jianli.testing import cast


@pytest.fixture
def make_applicant(db):  # type: ignore[no-untyped-def]
    """An applicant with an ID photo (the astronaut unless given) and no mini-program profile."""

    def make(photo: bytes | None = None, *, name: str = "张三", sequence: int = 12) -> Applicant:
        return cast.applicant(sequence, name, photo=photo or testing.astronaut(), profile=False)

    return make
