"""An interrupt cannot be swallowed: not by a retrying wait, not by a step's error capture."""

from __future__ import annotations

import os
import signal
import time

import pytest

from reportgen._cleanup import Interrupts, signals_raise
from reportgen._cluster import _waits
from reportgen._exceptions import RunInterrupted


def test_run_interrupted_is_not_an_exception():
    assert not issubclass(RunInterrupted, Exception)
    with pytest.raises(RunInterrupted):
        try:
            raise RunInterrupted(signal.SIGINT)
        except Exception:
            pytest.fail("except Exception caught the interrupt")


class _InterruptingCluster:
    """Every list call is where Ctrl-C lands."""

    calls = 0

    def raw(self, *_args, **_kwargs):
        self.calls += 1
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(1)
        raise AssertionError("the signal did not interrupt")


def test_a_retrying_wait_lets_the_interrupt_through():
    cluster = _InterruptingCluster()
    with pytest.raises(RunInterrupted) as caught, signals_raise():
        _waits._follow(cluster, _Res(), "ns", ("fieldSelector", "x"), lambda _o: (False, ""),
                       time.monotonic() + 30)
    assert caught.value.exit_code == 130
    assert cluster.calls == 1


def test_a_swallowed_interrupt_is_raised_again_between_phases():
    with signals_raise():
        try:
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(1)
        except BaseException:
            pass
        with pytest.raises(RunInterrupted) as caught:
            Interrupts.raise_if_any()
    assert caught.value.exit_code == 143


class _Res:
    def path(self, namespace: str) -> str:
        return f"/api/v1/namespaces/{namespace}/pods"
