"""Build progress: one line per finished report, the count done, what is running and the time left."""

from __future__ import annotations

import io

from parindex.pipeline.progress import Progress, left_text, line


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_line_says_the_count_the_report_its_time_what_is_left_and_what_runs():
    assert line(3, 9, "2020", 12.06, 40.2) == "[3/9] 2020 done in 12.1 s, about 40 s left"
    assert (
        line(3, 9, "2020", 12.06, 40.2, ["2021", "2022"])
        == "[3/9] 2020 done in 12.1 s, about 40 s left; running 2021, 2022"
    )
    assert line(9, 9, "trends", 20.0, None) == "[9/9] trends done in 20.0 s"
    assert line(2, 5, "2019", 3.0, 200.0, failed=True) == "[2/5] 2019 failed after 3.0 s, about 3 min left"


def test_the_time_left_reads_in_seconds_then_minutes():
    assert left_text(0.2) == "about 1 s"
    assert left_text(89.4) == "about 89 s"
    assert left_text(90) == "about 2 min"
    assert left_text(30 * 60 + 20) == "about 30 min"


def test_plain_lines_when_the_stream_is_no_terminal():
    clock, stream = Clock(), io.StringIO()
    with Progress(4, stream, "reports", clock=clock) as progress:
        clock.now += 12
        progress.finished("2019", 11.5, ["2020"])
        clock.now += 12
        progress.finished("2020", 12.25, ["2021"])
        clock.now += 30
        progress.finished("2021", 30.0, failed=True)
        progress.finished("trends", 4.0)
    assert stream.getvalue().splitlines() == [
        "[1/4] 2019 done in 11.5 s, about 36 s left; running 2020",
        "[2/4] 2020 done in 12.2 s, about 24 s left; running 2021",
        "[3/4] 2021 failed after 30.0 s, about 18 s left",
        "[4/4] trends done in 4.0 s",
    ]


def test_the_time_left_the_caller_estimates_is_shown_instead():
    clock, stream = Clock(), io.StringIO()
    with Progress(3, stream, clock=clock) as progress:
        clock.now += 35  # runs first, exports after: the first report finishes late
        progress.finished("2018", 8.1, ["2019"], left=14.2)
        progress.finished("2019", 9.8, left=None)
        progress.finished("2020", 9.0, left=3.0)
    assert stream.getvalue().splitlines() == [
        "[1/3] 2018 done in 8.1 s, about 14 s left; running 2019",
        "[2/3] 2019 done in 9.8 s, about 18 s left",  # 35 s for two, one left
        "[3/3] 2020 done in 9.0 s",
    ]


def test_a_bar_on_a_terminal_with_each_report_written_above_it():
    clock, stream = Clock(), io.StringIO()
    with Progress(2, stream, "PAR INDEX 2020 profiles", terminal=True, clock=clock) as progress:
        clock.now += 5
        progress.finished("2020 Nghệ An", 4.5, ["Hà Tĩnh"])
        progress.finished("2020 Hà Tĩnh", 4.0)
    shown = stream.getvalue()
    assert "[1/2] 2020 Nghệ An done in 4.5 s, about 5 s left; running Hà Tĩnh\n" in shown
    assert "[2/2] 2020 Hà Tĩnh done in 4.0 s\n" in shown
    assert "PAR INDEX 2020 profiles: 100%" in shown and "2/2" in shown
    assert "running Hà Tĩnh" in shown.rpartition("[1/2]")[2]  # the bar's note of what runs


def test_nothing_is_shown_without_a_stream_and_names_lose_their_escape_sequences():
    assert Progress(1, None).finished("2020", 1.0) == "[1/1] 2020 done in 1.0 s"
    stream = io.StringIO()
    Progress(1, stream).finished("2020 \x1b[31mHuế", 1.0)
    assert stream.getvalue() == "[1/1] 2020 Huế done in 1.0 s\n"
