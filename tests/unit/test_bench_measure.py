"""The arithmetic the benchmarks report with (the benchmarks themselves run by `make bench`)."""

import math
import os

from bench.measure import cpu_seconds, percentile, rss_mib
from bench.scenarios.common import Target


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]  # 1..100, shuffled order must not matter
    shuffled = values[::2] + values[1::2]

    assert percentile(shuffled, 50) == 50.0
    assert percentile(shuffled, 99) == 99.0
    assert percentile(shuffled, 100) == 100.0
    assert percentile([7.0], 99) == 7.0


def test_percentile_of_nothing_is_nan() -> None:
    assert math.isnan(percentile([], 99))


def test_a_target_passes_at_its_limit_in_its_direction() -> None:
    assert Target("cpu ratio", 1.3, 1.3, "x").passed
    assert not Target("cpu ratio", 1.31, 1.3, "x").passed
    assert Target("throughput share", 0.8, 0.8, "x", at_most=False).passed
    assert not Target("throughput share", 0.79, 0.8, "x", at_most=False).passed
    assert Target("throughput share", 0.79, 0.8, "x", at_most=False).as_dict()["target"] == (
        ">= 0.8x"
    )


def test_this_process_has_cpu_time_and_resident_memory() -> None:
    sum(i * i for i in range(200_000))  # some CPU for the counter to see

    assert cpu_seconds(os.getpid()) > 0
    assert 1 < rss_mib(os.getpid()) < 4096
