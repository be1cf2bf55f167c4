"""The secondary views' throttle: exact while paused, fewer updates while playing, and the
last value always delivered."""

from anatomy_viewer.ui.throttle import PlayingThrottle


def test_paused_every_value_passes_playing_the_last_one_arrives(qtbot):
    seen: list[float] = []
    playing = False
    throttle = PlayingThrottle(seen.append, lambda: playing, interval_ms=40)
    for v in (1.0, 2.0, 3.0):
        throttle(v)
    assert seen == [1.0, 2.0, 3.0]
    qtbot.wait(60)  # longer than the interval since the last value
    playing = True
    seen.clear()
    for i in range(20):  # 20 values within a few milliseconds
        throttle(10.0 + i)
    assert seen == [10.0]  # the first at once, the rest held back
    qtbot.waitUntil(lambda: seen[-1] == 29.0, timeout=1000)  # ...but the last one arrives
    assert len(seen) == 2
