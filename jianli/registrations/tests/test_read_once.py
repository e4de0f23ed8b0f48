from jianli.registrations.read_once import answer, read_once


def test_inside_a_block_each_question_is_read_once_and_outside_every_time() -> None:
    reads: list[str] = []

    def read(what: str):  # type: ignore[no-untyped-def]
        return lambda: reads.append(what) or len(reads)

    assert answer("roster", read("roster")) == 1
    assert answer("roster", read("roster")) == 2  # no block: no memory
    with read_once():
        assert answer("roster", read("roster")) == 3
        assert answer("employer", read("employer")) == 4
        with read_once():  # an inner block shares the outer one's answers
            assert answer("roster", read("roster")) == 3
        assert answer("roster", read("roster")) == 3
    assert answer("roster", read("roster")) == 5
    assert reads == ["roster", "roster", "roster", "employer", "roster"]
