"""`interrupts_recorded`: Ctrl-C still raises KeyboardInterrupt inside the block, and is recorded even when
a library swallowed that KeyboardInterrupt and raised an error of its own (as the jsii runtime does when
the same Ctrl-C ended its Node.js process: "broken pipe")."""

from __future__ import annotations

import os
import signal
import time

import pytest

from constructs_ab.cli.interrupts import interrupts_recorded


def ctrl_c() -> None:
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(0.5)  # the handler runs at the next bytecode, long before this ends


def test_ctrl_c_raises_keyboard_interrupt_and_is_recorded() -> None:
    with interrupts_recorded() as ctrl_c_came:
        assert not ctrl_c_came()
        with pytest.raises(KeyboardInterrupt):
            ctrl_c()
        assert ctrl_c_came()


def test_an_error_a_library_raised_instead_is_told_apart_by_the_record() -> None:
    def library_call() -> None:
        try:
            ctrl_c()
        except BaseException as lost:  # a library that turns everything into its own error
            raise RuntimeError("broken pipe") from lost

    with interrupts_recorded() as ctrl_c_came:
        with pytest.raises(RuntimeError):
            library_call()
        assert ctrl_c_came()


def test_a_plain_error_is_not_taken_for_ctrl_c_and_the_handler_is_restored() -> None:
    before = signal.getsignal(signal.SIGINT)
    with interrupts_recorded() as ctrl_c_came:
        with pytest.raises(ValueError):
            raise ValueError("a real failure")
        assert not ctrl_c_came()
    assert signal.getsignal(signal.SIGINT) is before


def test_after_ctrl_c_a_worker_threads_error_prints_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    import sys
    import threading

    from constructs_ab.cli.kit.entry import quiet_exit_after_interrupt

    hooks = (sys.unraisablehook, threading.excepthook)
    try:
        quiet_exit_after_interrupt()

        def cut_short() -> None:
            raise BrokenPipeError("the pipe to Node.js, closed by the same Ctrl-C")

        worker = threading.Thread(target=cut_short)
        worker.start()
        worker.join()
        assert capsys.readouterr().err == ""
    finally:
        sys.unraisablehook, threading.excepthook = hooks


def test_a_sigterm_handled_as_ctrl_c_is_recorded_too_even_when_a_library_lost_it() -> None:
    from constructs_ab.cli.kit.termination import sigterm_as_ctrl_c

    def library_call() -> None:
        assert callable(signal.getsignal(signal.SIGTERM))  # else the signal below would end pytest
        try:
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.5)
        except BaseException as lost:
            raise RuntimeError("broken pipe") from lost

    with sigterm_as_ctrl_c() as terminated:
        before = signal.getsignal(signal.SIGTERM)
        with interrupts_recorded() as interrupt_came:
            with pytest.raises(RuntimeError) as raised:
                library_call()
            assert interrupt_came() and terminated()
            assert isinstance(raised.value.__cause__, KeyboardInterrupt)
        assert signal.getsignal(signal.SIGTERM) is before
