"""Compare mode under Xvfb: two gaits side by side in one render window, on one phase."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QTimer
from test_group_panel import grab, saturation

from anatomy_viewer.gait.animation import CycleAnimation
from anatomy_viewer.gait.library import load_gait


@pytest.fixture
def window(qtbot, leg_model):
    from anatomy_viewer.ui.main_window import MainWindow

    win = MainWindow(gait="walking", model=leg_model, autoplay=False)
    qtbot.addWidget(win)
    win.resize(1160, 725)
    win.plots_dock.hide()
    win.show()
    qtbot.waitExposed(win)
    win.set_view("side")
    yield win
    win.close()


def _halves(image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    w = image.shape[1]
    return image[:, : w // 2 - 2], image[:, w // 2 + 2 :]


def _bone_pixels(im: np.ndarray) -> int:
    """Ivory: light, slightly warm, little saturated."""
    r, g, b = (im[..., c].astype(int) for c in range(3))
    return int(((r > 150) & (r >= g) & (g >= b) & (r - b > 12) & (saturation(im) < 0.3)).sum())


def _changed(a: np.ndarray, b: np.ndarray) -> float:
    """Share of the pixels that changed clearly between two images."""
    return float((np.abs(a.astype(int) - b.astype(int)).max(-1) > 30).mean())


def _muscle_pixels(im: np.ndarray) -> int:
    r, g, b = (im[..., c].astype(int) for c in range(3))
    return int(((saturation(im) > 0.45) & (r > g) & (r > b)).sum())


def test_compare_shows_two_legs_side_by_side_sharing_the_camera(window):
    window.playback.seek(30.0)
    window.set_compare(("running", "sprinting"))
    assert window.compare.gaits == ("running", "sprinting")
    assert window.gait_name == "running" and window.cycle.name == "running"
    assert window.playback.stride_time == pytest.approx(load_gait("running").stride_time)
    assert window.playback.percent == pytest.approx(30.0)  # the phase is kept

    scenes = window.scenes
    assert len(scenes) == 2 and scenes[0] is window.scene
    assert window.render_window.GetRenderers().GetNumberOfItems() == 2
    left, right = (s.renderer.GetViewport() for s in scenes)
    assert left == pytest.approx((0.0, 0.0, 0.5, 1.0))
    assert right == pytest.approx((0.5, 0.0, 1.0, 1.0))
    assert scenes[1].renderer.GetActiveCamera() is scenes[0].renderer.GetActiveCamera()

    image = grab(window)
    for half in _halves(image):
        assert _bone_pixels(half) > 500
        assert _muscle_pixels(half) > 500
    # one legend, in the right half
    assert not scenes[0].legend_visible and scenes[1].legend_visible

    # rotating the (shared) camera turns both legs
    window.scene.renderer.GetActiveCamera().Azimuth(60)
    turned = grab(window)
    for a, b in zip(_halves(image), _halves(turned), strict=True):
        assert _changed(a, b) > 0.01


def test_both_legs_follow_the_shared_phase(window):
    window.set_compare(["running", "sprinting"])
    sprint = CycleAnimation(load_gait("sprinting"), window.model)
    run = CycleAnimation(load_gait("running"), window.model)
    i = window.model.muscle_index("gasmed_r")
    images = []
    for percent in (10.0, 60.0):
        window.playback.seek(percent)
        for scene, anim in ((window.scenes[0], run), (window.scenes[1], sprint)):
            path = anim.at(percent).pose.muscle_paths[i]
            assert scene.muscle_centre(i) == pytest.approx(path[len(path) // 2], abs=1e-6)
        images.append(grab(window))
    for a, b in zip(_halves(images[0]), _halves(images[1]), strict=True):
        assert _changed(a, b) > 0.01


def test_display_options_apply_to_both_scenes(window):
    window.set_compare(("running", "sprinting"))
    panel = window.group_panel
    panel.isolate_group("calves")
    window.view_options.set_gain(2.5)
    window.view_options.set_colormap("cividis")
    window.view_options.set_legs("right")
    window.selection.select("soleus_r")
    grab(window)  # the second scene takes the first one's display state before it renders
    a, b = (s.display_state() for s in window.scenes)
    for key in a:
        assert (
            np.array_equal(a[key], b[key]) if isinstance(a[key], np.ndarray) else a[key] == b[key]
        )
    assert b["gain"] == 2.5 and b["colormap"] == "cividis" and b["sides"] == (True, False)
    assert b["selected"] == window.model.muscle_index("soleus_r")
    assert b["isolated"].sum() == 6  # three calf muscles of two legs


def test_back_to_one_view(window):
    window.set_compare(("walking", "sprinting"))
    window.set_compare(None)
    assert window.compare.gaits is None
    assert window.scenes == [window.scene]
    assert window.render_window.GetRenderers().GetNumberOfItems() == 1
    assert window.scene.renderer.GetViewport() == pytest.approx((0.0, 0.0, 1.0, 1.0))
    assert window.scene.legend_visible
    image = grab(window)
    assert _bone_pixels(image) > 500 and _muscle_pixels(image) > 500
    # choosing a single gait in the Gait menu leaves compare mode too
    window.set_compare(("running", "sprinting"))
    walking = next(a for a in window.gait_menu.actions() if a.data() == "walking")
    walking.trigger()
    assert window.compare.gaits is None and window.gait_name == "walking"


def test_bad_gaits_are_refused(window):
    with pytest.raises(ValueError):
        window.set_compare(("running",))
    with pytest.raises(ValueError):
        window.set_compare(("running", "swimming"))
    assert window.compare.gaits is None


def test_each_half_is_labelled_with_its_gait_or_a_given_label(window):
    window.set_compare(("running", "sprinting"))
    grab(window)
    left, right = window.compare.labels()
    assert left.startswith("Running") and right.startswith("Sprinting")
    label = "Sprint: fast-twitch fibres too"
    window.set_compare(("running", "sprinting"), {"sprinting": label})
    assert window.compare.labels()[1] == label
    # the scene's own caption (a guided view's title) stays; the label goes under it
    window.scene.set_caption("Endurance running vs sprinting")
    grab(window)
    assert window.scene.caption == "Endurance running vs sprinting"
    window.set_compare(None)
    assert window.compare.labels() == ("", "")
    assert window.scene.caption == "Endurance running vs sprinting"


def test_the_gait_menu_asks_for_two_gaits(window, qtbot):
    from PySide6.QtWidgets import QApplication, QDialogButtonBox

    seen = {}

    def answer():
        dialog = QApplication.activeModalWidget()
        try:
            seen["name"] = dialog.objectName()
            seen["default"] = dialog.gaits()
            ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
            dialog.right.setCurrentIndex(dialog.right.findData("walking"))
            seen["same_refused"] = not ok.isEnabled()
            dialog.right.setCurrentIndex(dialog.right.findData("sprinting"))
            seen["different_accepted"] = ok.isEnabled()
            ok.click()
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(100, answer)
    window.compare.compare_action.trigger()
    assert seen == {
        "name": "compareDialog",
        "default": ("walking", "running"),  # the current gait and the next faster one
        "same_refused": True,
        "different_accepted": True,
    }
    assert window.compare.gaits == ("walking", "sprinting")
    assert window.compare.single_action.isEnabled()


def test_both_legs_stay_in_their_halves_over_the_stride_clear_of_the_legend(window):
    from anatomy_viewer.ui.compare import LEGEND_PX

    window.set_compare(("running", "sprinting"))
    window.set_view("side")  # the sprint's long stride is widest from the side
    grab(window)
    width, height = window.render_window.GetSize()
    for percent in range(0, 100, 10):
        window.playback.seek(float(percent))
        grab(window)
        for k, scene in enumerate(window.scenes):
            x0, x1 = (k * width / 2, (k + 1) * width / 2)
            xy = np.array([scene.display_position(p) for p in scene.framing_points()])
            assert xy[:, 0].min() >= x0 - 1, (percent, k)
            # the legend's room at the right edge of each half stays free
            assert xy[:, 0].max() <= x1 - 0.8 * LEGEND_PX, (percent, k)
            assert 0 <= xy[:, 1].min() and xy[:, 1].max() <= height
