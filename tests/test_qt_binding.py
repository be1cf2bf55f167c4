"""The Qt binding must not leak references to Python's singletons.

PySide6 6.12.0 drops one reference to True on every signal emit and to None on every Qt call
returning nothing; on Python 3.11, where None and True are not immortal, the program then
aborts with 'bool_dealloc' / 'none_dealloc' after a few seconds of playback. pyproject.toml
pins a sound version; this test catches a binding that leaks again.
"""

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel


class _Emitter(QObject):
    moved = Signal(float)


def test_emits_and_void_calls_keep_none_and_true_alive(qtbot):
    emitter = _Emitter()
    label = QLabel()
    qtbot.addWidget(label)
    received = []
    emitter.moved.connect(received.append)
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for i in range(200):
        emitter.moved.emit(float(i))
        label.setText(str(i))
    lost_none = none_before - sys.getrefcount(None)
    lost_true = true_before - sys.getrefcount(True)
    assert len(received) == 200
    # a few references may come and go with Python's own bookkeeping; a leak loses >= 200
    assert lost_none < 50, f"the Qt binding dropped {lost_none} references to None"
    assert lost_true < 50, f"the Qt binding dropped {lost_true} references to True"
