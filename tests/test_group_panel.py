"""The Muscles dock under Xvfb: hide, isolate and highlight in the rendered 3-D view, search,
selection both ways, and the display options (legs, gain, colour map, legend).

Pixels are read from the render window (vtkWindowToImageFilter) at the projected position of a
muscle's belly, which the scene's picker confirms is that muscle in front.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from anatomy_viewer.ui.group_panel import KEY_ROLE

SAT_MUSCLE = 0.45  # activation colours are strongly saturated; bones, floor, ghosts are not


@pytest.fixture
def window(qtbot, leg_model):
    from anatomy_viewer.ui.main_window import MainWindow

    win = MainWindow(gait="walking", model=leg_model, autoplay=False)
    qtbot.addWidget(win)
    win.resize(900, 640)
    win.show()
    qtbot.waitExposed(win)
    win.panel_actions["muscles"].trigger()  # the window opens with its panels closed
    win.playback.seek(30.0)
    win.set_view("side")
    yield win
    win.close()


def grab(window) -> np.ndarray:
    """The render window as (h, w, 3) uint8, row 0 at the bottom (VTK display coordinates)."""
    from vtkmodules.util.numpy_support import vtk_to_numpy
    from vtkmodules.vtkRenderingCore import vtkWindowToImageFilter

    window.render_window.Render()
    f = vtkWindowToImageFilter()
    f.SetInput(window.render_window)
    f.ReadFrontBufferOff()
    f.ShouldRerenderOff()
    f.Update()
    image = f.GetOutput()
    w, h, _ = image.GetDimensions()
    return vtk_to_numpy(image.GetPointData().GetScalars()).reshape(h, w, -1)[:, :, :3].copy()


def saturation(rgb) -> np.ndarray:
    rgb = np.asarray(rgb, float)
    hi = rgb.max(-1)
    return (hi - rgb.min(-1)) / np.maximum(hi, 1.0)


def anchor(window, name: str, scene=None) -> tuple[int, int]:
    """Display pixel of muscle ``name``'s belly, checked to be that muscle in front."""
    scene = scene or window.scene
    i = window.model.muscle_index(name)
    window.render_window.Render()
    x, y = scene.display_position(scene.muscle_anchor(i))
    assert scene.pick(x, y) == i, f"{name} is not in front at its anchor"
    return int(round(x)), int(round(y))


def pixel(image: np.ndarray, xy: tuple[int, int]) -> np.ndarray:
    """Median colour of the 3x3 pixels around ``xy``."""
    x, y = xy
    return np.median(image[y - 1 : y + 2, x - 1 : x + 2].reshape(-1, 3), axis=0)


def click_item(qtbot, tree, item) -> None:
    if item.parent() is not None:
        item.parent().setExpanded(True)
    tree.scrollToItem(item)
    rect = tree.visualItemRect(item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_the_dock_is_named_and_lists_every_group_and_muscle(window):
    from PySide6.QtWidgets import QDockWidget, QLineEdit, QWidget

    from anatomy_viewer.anatomy.catalogue import catalogue

    panel = window.findChild(QWidget, "groupPanel")
    assert panel is window.group_panel
    search = window.findChild(QLineEdit, "muscleSearch")
    assert search.placeholderText() == "Search muscles\u2026"
    dock = window.findChild(QDockWidget, "musclesDock")
    assert dock.windowTitle() == "Muscles" and dock.isVisible()
    assert window.dockWidgetArea(dock) == Qt.DockWidgetArea.RightDockWidgetArea
    tree = panel.tree
    assert tree.topLevelItemCount() == len(catalogue().groups) == 9
    assert [tree.topLevelItem(i).text(0) for i in range(9)] == [g.name for g in catalogue().groups]
    assert len(panel.visible_muscle_items()) == 40
    assert panel.muscle_item("vaslat").text(0) == "Vastus lateralis"
    assert not panel.group_item("glutes").icon(0).isNull()  # colour swatch
    # the 3-D view keeps most of the window
    assert window.viewport.width() > 0.6 * window.width()


def test_isolate_fades_the_other_groups_and_keeps_the_group_in_colour(window, qtbot):
    panel = window.group_panel
    quads = anchor(window, "vaslat_r")
    others = [anchor(window, "tfl_r"), anchor(window, "bflh_r")]
    before = grab(window)
    for xy in [quads, *others]:
        assert saturation(pixel(before, xy)) > SAT_MUSCLE

    click_item(qtbot, panel.tree, panel.group_item("quadriceps"))
    qtbot.mouseClick(panel.isolate_button, Qt.MouseButton.LeftButton)
    assert panel.isolated == ("group", "quadriceps")
    after = grab(window)
    assert saturation(pixel(after, quads)) > SAT_MUSCLE
    assert np.abs(pixel(after, quads) - pixel(before, quads)).max() <= 8
    for xy in others:
        assert saturation(pixel(after, xy)) < 0.3, "a muscle of another group is not faded"

    # while isolating, choosing another group in the tree isolates that one instead
    click_item(qtbot, panel.tree, panel.group_item("hamstrings"))
    assert panel.isolated == ("group", "hamstrings")
    image = grab(window)
    assert saturation(pixel(image, others[1])) > SAT_MUSCLE
    assert saturation(pixel(image, quads)) < 0.3

    qtbot.mouseClick(panel.show_all_button, Qt.MouseButton.LeftButton)
    assert panel.isolated is None and not panel.isolate_button.isChecked()
    image = grab(window)
    for xy in [quads, *others]:
        assert saturation(pixel(image, xy)) > SAT_MUSCLE


def test_unchecking_a_muscle_removes_its_pixels(window, qtbot):
    from anatomy_viewer.anatomy.catalogue import catalogue

    panel = window.group_panel
    window.view_options.set_legend(False)  # the legend's colour bar is saturated too
    xy = anchor(window, "vaslat_r")
    # show vastus lateralis alone: uncheck every group, then check that muscle
    for g in catalogue().groups:
        panel.group_item(g.key).setCheckState(0, Qt.CheckState.Unchecked)
    panel.muscle_item("vaslat").setCheckState(0, Qt.CheckState.Checked)
    assert panel.group_item("quadriceps").checkState(0) == Qt.CheckState.PartiallyChecked
    visible = window.scene.visible_muscles()
    assert set(np.flatnonzero(visible)) == {
        window.model.muscle_index("vaslat_r"),
        window.model.muscle_index("vaslat_l"),
    }
    alone = grab(window)
    assert saturation(pixel(alone, xy)) > SAT_MUSCLE
    muscle_pixels = saturation(alone) > SAT_MUSCLE
    assert muscle_pixels.sum() > 300  # both legs' vastus lateralis

    panel.muscle_item("vaslat").setCheckState(0, Qt.CheckState.Unchecked)
    hidden = grab(window)
    assert (saturation(hidden) > SAT_MUSCLE).sum() < 0.02 * muscle_pixels.sum()
    assert saturation(pixel(hidden, xy)) < 0.3


def test_highlight_outlines_the_chosen_group(window, qtbot):
    panel = window.group_panel
    click_item(qtbot, panel.tree, panel.group_item("calves"))
    before = grab(window)
    qtbot.mouseClick(panel.highlight_button, Qt.MouseButton.LeftButton)
    assert panel.highlighted == ("group", "calves")
    after = grab(window)
    # the outline shells draw light pixels around the calf muscles
    light = lambda im: (im.min(-1) > 215).sum()  # noqa: E731
    assert light(after) > light(before) + 50
    qtbot.mouseClick(panel.highlight_button, Qt.MouseButton.LeftButton)
    assert panel.highlighted is None


def test_search_filters_by_display_name_model_name_and_group(window, qtbot):
    panel = window.group_panel
    qtbot.keyClicks(panel.search, "vast")
    shown = {i.text(0) for i in panel.visible_muscle_items()}
    assert shown == {"Vastus lateralis", "Vastus medialis", "Vastus intermedius"}
    groups = [k for k, _ in _shown_groups(panel)]
    assert groups == ["quadriceps"]
    assert panel.group_item("quadriceps").isExpanded()

    panel.search.setText("GLMAX")  # model base name, any case
    assert len(panel.visible_muscle_items()) == 3
    panel.search.setText("hamstrings")  # group name: all its muscles
    assert {i.text(0) for i in panel.visible_muscle_items()} == {
        "Biceps femoris, long head",
        "Biceps femoris, short head",
        "Semimembranosus",
        "Semitendinosus",
    }
    panel.search.setText("zzz")
    assert not panel.visible_muscle_items() and panel.empty.isVisible()
    panel.search.clear()
    assert len(panel.visible_muscle_items()) == 40 and not panel.empty.isVisible()


def test_search_knows_everyday_words_latin_names_and_sided_model_names(window):
    panel = window.group_panel

    def shown(text):
        panel.search.setText(text)
        return {str(i.data(0, KEY_ROLE)) for i in panel.visible_muscle_items()}

    assert shown("calf") == {"gasmed", "gaslat", "soleus"}
    assert shown("Achilles") == {"gasmed", "gaslat", "soleus"}
    assert "tfl" in shown("IT band")
    assert shown("quads") == {"recfem", "vaslat", "vasmed", "vasint"}
    assert shown("glmed1_r") == {"glmed1"}  # a model name with its side
    assert shown("soleus_l") == {"soleus"}
    assert "soleus" in shown("musculus soleus")  # Latin name
    panel.search.clear()


def test_the_command_line_lists_what_the_search_box_shows(window, capsys):
    """``anatomy-viewer muscles calf`` failed (exit 2) where this box finds the calves."""
    from anatomy_viewer import cli

    panel = window.group_panel
    for text in ("calf", "hammies", "vas", "iliotibial"):
        panel.search.setText(text)
        shown = [str(i.data(0, KEY_ROLE)) for i in panel.visible_muscle_items()]
        assert cli.main(["muscles", text]) == 0
        out = capsys.readouterr().out.splitlines()
        if len(shown) == 1:
            assert f"[{shown[0]}," in out[0]  # one muscle: described
        else:
            assert [ln.split()[0] for ln in out[2 : 2 + len(shown)]] == shown
    panel.search.clear()


def _shown_groups(panel):
    return [(k, i) for k, i in panel._group_items.items() if not i.isHidden()]


def test_choosing_a_muscle_in_the_tree_selects_it_in_the_window(window, qtbot):
    panel = window.group_panel
    emitted = []
    window.selection.changed.connect(emitted.append)
    click_item(qtbot, panel.tree, panel.muscle_item("vaslat"))
    assert window.selection.name == "vaslat_r"
    assert window.scene.selected == window.model.muscle_index("vaslat_r")
    assert emitted == ["vaslat_r"]  # once: following the selection does not select again

    # a selection made elsewhere shows in the tree, scrolled to, without a loop
    window.selection.select("soleus_l")
    item = panel.muscle_item("soleus")
    assert panel.tree.currentItem() is item
    assert item.parent().isExpanded()
    assert panel.tree.viewport().rect().intersects(panel.tree.visualItemRect(item))
    assert emitted == ["vaslat_r", "soleus_l"]
    window.selection.select(None)
    assert panel.tree.currentItem() is None

    # only the left leg drawn: the tree selects the left leg's muscle
    window.view_options.set_legs("left")
    click_item(qtbot, panel.tree, panel.muscle_item("tibant"))
    assert window.selection.name == "tibant_l"


def test_legs_bones_legend_and_colour_map_controls(window, qtbot):
    from PySide6.QtWidgets import QCheckBox, QComboBox, QRadioButton

    model = window.model
    qtbot.mouseClick(window.findChild(QRadioButton, "legs_right"), Qt.MouseButton.LeftButton)
    sides = {model.muscles[i].side for i in np.flatnonzero(window.scene.visible_muscles())}
    assert sides == {"r"}
    assert window.view_options.legs == "right"
    qtbot.mouseClick(window.findChild(QRadioButton, "legs_left"), Qt.MouseButton.LeftButton)
    sides = {model.muscles[i].side for i in np.flatnonzero(window.scene.visible_muscles())}
    assert sides == {"l"}
    assert window.heatmap.side() == "l"  # the heatmap follows the leg shown

    window.findChild(QCheckBox, "translucentBones").setChecked(True)
    assert all(a.GetProperty().GetOpacity() < 0.5 for a in window.scene.bone_actors)
    window.findChild(QCheckBox, "legendVisible").setChecked(False)
    assert not window.scene.legend_visible

    combo = window.findChild(QComboBox, "colormapChoice")
    i = combo.findData("cividis")
    combo.setCurrentIndex(i)
    combo.activated.emit(i)
    assert window.scene.colormap.name == "cividis"
    lut = window.heatmap.image.getColorMap()  # the heatmap uses the same colours
    assert lut is not None and lut.name == "cividis"


#: Muscles whose belly faces the camera from the side view (checked by picking in the test).
SIDE_VIEW_MUSCLES = ("vaslat_r", "tfl_r", "bflh_r", "glmed1_r", "recfem_r", "gaslat_r", "edl_r")


def test_gain_brightens_a_lowly_active_muscle_in_the_view_and_the_heatmap(window, qtbot):
    from PySide6.QtWidgets import QSlider

    activations = window.animation.at(window.playback.percent).activations
    index = window.model.muscle_index
    low = [m for m in SIDE_VIEW_MUSCLES if 0.02 < activations[index(m)] < 0.15]
    assert low, "no lowly active muscle in view at 30 % of walking"
    name = min(low, key=lambda m: abs(activations[index(m)] - 0.06))
    xy = anchor(window, name)
    before = pixel(grab(window), xy)
    slider = window.findChild(QSlider, "gainSlider")
    slider.setValue(slider.maximum())  # 4x
    assert window.view_options.gain == 4.0
    assert window.scene.gain == 4.0
    assert window.heatmap.image.getLevels()[1] == pytest.approx(0.25)
    after = pixel(grab(window), xy)
    assert after.sum() > before.sum() + 40, (name, activations[index(name)], before, after)
