"""The VTK scene, rendered headless (offscreen, EGL): pixels, picking, visibility, camera presets.

A fixed window size, no multisampling and fixed camera presets keep the images deterministic;
assertions are on pixels at projected positions and on pixel classes, not on stored images.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

pytest.importorskip("vtkmodules")

from pick_cases import PICK_CASES
from vtkmodules.vtkRenderingCore import vtkCellPicker  # noqa: E402

from anatomy_viewer.gait.contraction import ContractionMode  # noqa: E402
from anatomy_viewer.scene.colormaps import COLORMAPS  # noqa: E402
from anatomy_viewer.scene.leg_scene import VIEWS, LegScene  # noqa: E402
from anatomy_viewer.scene.offscreen import (  # noqa: E402
    offscreen_window,
    render_to_array,
    render_to_png,
)

SIZE = 400
WALK = {
    "hip_flexion_r": 25,
    "knee_angle_r": 10,
    "hip_flexion_l": -10,
    "knee_angle_l": 40,
    "ankle_angle_l": -10,
}


@pytest.fixture(scope="module")
def pose(leg_model):
    return leg_model.pose(WALK)


@pytest.fixture(scope="module")
def _scene(leg_model):
    scene = LegScene(leg_model)
    window = offscreen_window(SIZE, SIZE)
    scene.attach(window)
    yield scene
    scene.detach()
    window.Finalize()


@pytest.fixture
def scene(_scene, pose):
    """The module's scene, reset to a known state for every test."""
    s = _scene
    s.set_muscle_visible(None)
    s.set_isolated(None)
    s.set_highlighted(None)
    s.set_selected(None)
    s.set_side_visible(True, True)
    s.set_bone_opacity(1.0)
    s.set_gain(1.0)
    s.set_colormap("activation")
    s.set_legend_visible(False)
    s.set_caption(None)
    s.set_ground_visible(True)
    s.update(pose, np.zeros(s.n_muscles), np.zeros(s.n_muscles, np.int8))
    s.window.SetSize(SIZE, SIZE)  # a picture rendered at another size resizes the window
    s.set_view("side")
    return s


def _image(scene: LegScene) -> np.ndarray:
    return render_to_array(scene).astype(float) / 255.0


def _pixel(img: np.ndarray, xy: tuple[float, float]) -> np.ndarray:
    """RGB at display position (origin bottom-left) of an image indexed from the top."""
    x, y = (int(round(v)) for v in xy)
    return img[img.shape[0] - 1 - y, x]


def _muscle_red(img: np.ndarray) -> np.ndarray:
    """Pixels of resting (red) muscle: red clearly above green and blue."""
    r, g, b = img[..., 0], img[..., 1], img[..., 2]
    return (r > 0.12) & (r > 1.6 * g) & (r > 1.6 * b)


def _active_gold(img: np.ndarray) -> np.ndarray:
    """Pixels of a fully active muscle (yellow-white): bright, warm, green well above blue."""
    r, g, b = img[..., 0], img[..., 1], img[..., 2]
    return (r > 0.55) & (g > 0.45) & (g > b + 0.18) & (r >= g)


def _bone(img: np.ndarray) -> np.ndarray:
    """Pixels of bone: light ivory, warm (red >= green >= blue), little saturation."""
    r, g, b = img[..., 0], img[..., 1], img[..., 2]
    return (r > 0.35) & (r >= g) & (g >= b) & (b > 0.72 * r) & (r - b > 0.02)


def _visible_anchor(scene: LegScene, name: str) -> tuple[int, tuple[float, float]]:
    """The muscle and the pixel of its anchor, where a click lands (the nearest pixel)."""
    i = scene.model.muscle_index(name)
    x, y = scene.display_position(scene.muscle_anchor(i))
    return i, (float(round(x)), float(round(y)))


# ------------------------------------------------------------------------------- rendering
def test_offscreen_window_renders_without_display(scene):
    img = render_to_array(scene)
    assert img.shape == (SIZE, SIZE, 3)
    assert img.dtype == np.uint8
    assert img.std() > 5  # not a blank image


def test_activation_brightens_the_muscle_at_its_projected_position(scene, pose):
    i, xy = _visible_anchor(scene, "vaslat_r")
    assert scene.pick(*xy) == i  # the anchor is on this muscle's visible surface
    rest = _pixel(_image(scene), xy)
    act = np.zeros(scene.n_muscles)
    act[i] = 1.0
    scene.update(pose, act)
    active = _pixel(_image(scene), xy)
    assert rest[0] > 1.6 * rest[1]  # resting: red
    assert active.sum() > rest.sum() + 0.6  # much brighter
    assert active[1] > rest[1] + 0.3  # towards yellow


def test_gain_makes_low_activation_visible(scene, pose):
    i, xy = _visible_anchor(scene, "vaslat_r")
    act = np.zeros(scene.n_muscles)
    act[i] = 0.25
    scene.update(pose, act)
    low = _pixel(_image(scene), xy)
    scene.set_gain(4.0)
    boosted = _pixel(_image(scene), xy)
    act[i] = 1.0
    scene.set_gain(1.0)
    scene.update(pose, act)
    full = _pixel(_image(scene), xy)
    assert np.abs(boosted - full).max() < 0.02  # 4 x 25 % shows like 100 %
    assert boosted.sum() > low.sum() + 0.4


@pytest.mark.parametrize("view", list(VIEWS))
def test_every_preset_shows_bones_and_muscles_unclipped(scene, view):
    scene.set_view(view)
    img = _image(scene)
    # (Tendon ends alone, bone-coloured, make at most ~200 such pixels at this size.)
    assert _muscle_red(img).sum() > 5000, "muscles on screen"
    assert _bone(img).sum() > 1000, "bones on screen"
    # Nothing clipped: the leg (anything differing from the empty background) keeps clear of
    # the image border.
    scene.set_ground_visible(False)
    leg = _image(scene)
    hidden = [*scene.bone_actors, scene.muscle_actor]
    for a in hidden:
        a.SetVisibility(False)
    background = _image(scene)
    for a in hidden:
        a.SetVisibility(True)
    ys, xs = np.nonzero(np.abs(leg - background).max(axis=2) > 0.05)
    assert len(xs) > 2000
    assert xs.min() > 2 and xs.max() < SIZE - 3, "clipped left/right"
    assert ys.min() > 2 and ys.max() < SIZE - 3, "clipped top/bottom"
    # And the leg fills a good part of the height.
    assert ys.max() - ys.min() > 0.6 * SIZE


def test_views_look_from_the_named_side(scene):
    cam = scene.renderer.GetActiveCamera()
    expected = {"side": 0, "left": 0, "front": 1, "back": 1}
    for view, axis in expected.items():
        scene.set_view(view)
        d = np.subtract(cam.GetPosition(), cam.GetFocalPoint())
        sign = {"side": -1, "left": 1, "front": -1, "back": 1}[view]
        assert np.sign(d[axis]) == sign and abs(d[axis]) > 0.9 * np.linalg.norm(d)
        assert cam.GetViewUp()[2] > 0.95


def test_the_right_leg_is_on_the_viewers_left_from_the_front(scene, leg_model):
    scene.set_view("front")
    right = scene.display_position(scene.muscle_centre(leg_model.muscle_index("vaslat_r")))
    left = scene.display_position(scene.muscle_centre(leg_model.muscle_index("vaslat_l")))
    assert right[0] < left[0]


# ------------------------------------------------------------------------------- picking
@pytest.mark.parametrize(("name", "view", "hide"), PICK_CASES)
def test_pick_at_a_muscles_anchor_returns_it(scene, leg_model, name, view, hide):
    groups = np.array([m.group for m in leg_model.muscles])
    scene.set_muscle_visible(~np.isin(groups, hide))
    scene.set_view(view)
    scene.render()
    i, xy = _visible_anchor(scene, name)
    assert scene.pick(*xy) == i


def test_every_group_has_a_pick_case(leg_model):
    groups = {m.group for m in leg_model.muscles}
    covered = {leg_model.muscles[leg_model.muscle_index(n)].group for n, _, _ in PICK_CASES}
    assert covered == groups


def test_pick_in_empty_space_returns_none(scene):
    scene.render()
    assert scene.pick(3, 3) is None
    assert scene.pick(SIZE - 4, SIZE - 4) is None


def test_a_bone_in_front_of_a_muscle_blocks_the_pick(scene, leg_model):
    """Where the first surface along the ray is a bone, no muscle behind it is picked; where it
    is a muscle, that muscle is. Checked against independent pickers on bones and muscles."""
    scene.set_view("front")
    scene.render()
    cam = np.array(scene.renderer.GetActiveCamera().GetPosition())
    bones_only = vtkCellPicker()
    bones_only.PickFromListOn()
    for a in scene.bone_actors:
        bones_only.AddPickList(a)
    muscles_only = vtkCellPicker()
    muscles_only.PickFromListOn()
    muscles_only.AddPickList(scene.muscle_actor)
    muscles_only.AddPickList(scene.tendon_actor)
    names = [b.name for b in leg_model.bones]
    blocked = reached = 0
    for bone in ("tibia_r", "femur_r", "tibia_l", "femur_l"):
        b = names.index(bone)
        m = scene.model.pose(WALK).bone_matrices[b]
        verts = leg_model.bones[b].vertices[::3] @ m[:3, :3].T + m[:3, 3]
        for v in verts:
            x, y = scene.display_position(v)
            if not (0 <= x < SIZE and 0 <= y < SIZE):
                continue
            hit_bone = bones_only.Pick(x, y, 0, scene.renderer)
            hit_muscle = muscles_only.Pick(x, y, 0, scene.renderer)
            if not (hit_bone and hit_muscle):
                continue
            d_bone = np.linalg.norm(np.array(bones_only.GetPickPosition()) - cam)
            d_muscle = np.linalg.norm(np.array(muscles_only.GetPickPosition()) - cam)
            picked = scene.pick(x, y)
            if d_bone < d_muscle - 1e-4:
                assert picked is None
                blocked += 1
            elif d_muscle < d_bone - 1e-4:
                assert picked is not None
                reached += 1
    assert blocked > 5 and reached > 5
    # Translucent bones no longer hide the muscles behind them.
    scene.set_bone_opacity(0.3)
    hits = 0
    for bone in ("tibia_r", "femur_r"):
        b = names.index(bone)
        m = scene.model.pose(WALK).bone_matrices[b]
        for v in leg_model.bones[b].vertices[::3] @ m[:3, :3].T + m[:3, 3]:
            x, y = scene.display_position(v)
            if muscles_only.Pick(x, y, 0, scene.renderer):
                hits += 1
                assert scene.pick(x, y) is not None
    assert hits > 5


def test_pick_ignores_faded_muscles(scene, leg_model):
    scene.set_view("side")
    scene.render()
    i, xy = _visible_anchor(scene, "vaslat_r")
    other = leg_model.muscle_index("soleus_r")
    scene.set_isolated([other])
    assert scene.pick(*xy) != i


# ------------------------------------------------------------------------------- visibility
def test_hiding_a_muscle_removes_its_pixels(scene, pose):
    i, xy = _visible_anchor(scene, "vaslat_r")
    act = np.zeros(scene.n_muscles)
    act[i] = 1.0
    scene.update(pose, act)
    shown = _active_gold(_image(scene)).sum()
    mask = np.ones(scene.n_muscles, bool)
    mask[i] = False
    scene.set_muscle_visible(mask)
    img = _image(scene)
    assert shown > 300
    assert _active_gold(img).sum() < 0.02 * shown
    assert scene.pick(*xy) != i


def test_isolate_fades_the_other_muscles(scene, leg_model):
    before = _muscle_red(_image(scene)).sum()
    i, xy = _visible_anchor(scene, "vaslat_r")
    scene.set_isolated([i])
    img = _image(scene)
    after = _muscle_red(img).sum()
    assert after < 0.35 * before
    p = _pixel(img, xy)
    assert p[0] > 1.6 * p[1] and p[0] > 1.6 * p[2]  # the isolated muscle keeps its colour
    assert scene.pick(*xy) == i
    # Ghosts are still drawn: the image is not the same as with the others hidden.
    scene.set_isolated(None)
    scene.set_muscle_visible([i])
    hidden = _image(scene)
    assert np.abs(hidden - img).max() > 0.05


def test_side_visibility_hides_a_whole_leg(scene, leg_model):
    scene.set_view("front")
    right = scene.display_position(scene.muscle_centre(leg_model.muscle_index("vaslat_r")))
    left = scene.display_position(scene.muscle_centre(leg_model.muscle_index("vaslat_l")))
    mid = 0.5 * (right[0] + left[0])
    img = _image(scene)
    red = _muscle_red(img)
    assert red[:, : int(mid)].sum() > 500 and red[:, int(mid) :].sum() > 500
    scene.set_side_visible(True, False)
    red = _muscle_red(_image(scene))
    assert red[:, int(mid) :].sum() < 20
    assert red[:, : int(mid)].sum() > 500


def test_selection_outlines_the_muscle_and_dims_the_others(scene, pose):
    i, xy = _visible_anchor(scene, "vaslat_r")
    base = _image(scene)
    scene.set_selected(i)
    img = _image(scene)
    cyan = (img[..., 2] > 0.7) & (img[..., 1] > 0.6) & (img[..., 0] < 0.5)
    assert cyan.sum() > 30
    j, other_xy = _visible_anchor(scene, "soleus_r")
    assert _pixel(img, other_xy).sum() < _pixel(base, other_xy).sum() - 0.03
    with pytest.raises(IndexError):
        scene.set_selected(scene.n_muscles)


def test_highlight_draws_a_rim(scene):
    i, _ = _visible_anchor(scene, "vaslat_r")
    base = _image(scene)
    scene.set_highlighted([i])
    img = _image(scene)
    white = (img.min(axis=2) > 0.85) & ~(base.min(axis=2) > 0.85)
    assert white.sum() > 30


def test_eccentric_muscles_are_striped(scene, pose, leg_model):
    i, _ = _visible_anchor(scene, "vaslat_r")
    act = np.zeros(scene.n_muscles)
    act[i] = 1.0
    modes = np.zeros(scene.n_muscles, np.int8)
    modes[i] = ContractionMode.CONCENTRIC

    def brightness_along() -> np.ndarray:
        img = _image(scene)
        # Sample on the surface facing the camera, following the belly as drawn.
        shapes = scene.muscles.shapes
        k = shapes.body_of_muscle[i]
        along = [scene.display_position(p) for p in shapes.centres[k][shapes.belly_ring[k]]]
        return np.array([_pixel(img, xy).sum() for xy in along[2:-2]])

    scene.update(pose, act, modes)
    plain = brightness_along()
    modes[i] = ContractionMode.ECCENTRIC
    scene.update(pose, act, modes)
    striped = brightness_along()
    assert striped.std() > plain.std() + 0.1
    assert striped.min() < plain.min() - 0.2


def test_colour_blind_safe_map_changes_the_colours(scene, pose):
    i, xy = _visible_anchor(scene, "vaslat_r")
    default = _pixel(_image(scene), xy)
    scene.set_colormap("cividis")
    cvd = _pixel(_image(scene), xy)
    assert cvd[2] > cvd[0]  # cividis starts dark blue
    assert np.abs(cvd - default).max() > 0.1
    with pytest.raises(KeyError):
        scene.set_colormap("rainbow")


def test_colormaps_rise_in_lightness():
    for cm in COLORMAPS.values():
        rgb = cm(np.linspace(0, 1, 50))
        luma = rgb @ [0.2126, 0.7152, 0.0722]
        assert np.all(np.diff(luma) > 0), cm.name


def test_legend_and_caption_draw_text(scene):
    base = _image(scene)
    scene.set_legend_visible(True)
    scene.set_caption("Walking 12 %")
    img = _image(scene)
    changed = np.abs(img - base).max(axis=2) > 0.1
    h = SIZE
    assert changed[: h // 8, : SIZE // 2].sum() > 50  # caption, top left
    assert changed[:, int(0.85 * SIZE) :].sum() > 200  # legend, right


# ------------------------------------------------------------------------------- geometry
def test_update_writes_in_place_with_fixed_topology(scene, leg_model):
    points = scene.muscle_layer.poly.GetPoints()
    n_points = points.GetNumberOfPoints()
    n_cells = scene.muscle_layer.poly.GetNumberOfCells()
    pose2 = leg_model.pose({"knee_angle_r": 60, "hip_flexion_l": 30})
    scene.update(pose2, np.ones(scene.n_muscles))
    assert scene.muscle_layer.poly.GetPoints() is points
    assert points.GetNumberOfPoints() == n_points
    assert scene.muscle_layer.poly.GetNumberOfCells() == n_cells
    # Cell data maps every triangle to its muscle.
    ids = scene.muscle_layer.poly.GetCellData().GetArray("muscle")
    assert ids.GetNumberOfTuples() == n_cells


def test_render_to_png_and_transparent_background(scene, tmp_path):
    out = render_to_png(scene, tmp_path / "leg.png")
    assert out.exists() and out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    rgba = render_to_array(scene, transparent_background=True)
    assert rgba.shape == (SIZE, SIZE, 4)
    assert rgba[0, 0, 3] == 0 and rgba[SIZE // 2].max(axis=0)[3] == 255
    assert scene.ground_visible  # restored after the transparent capture


def test_render_to_array_with_its_own_window(leg_model):
    scene = LegScene(leg_model)
    img = render_to_array(scene, size=(320, 200))
    assert img.shape == (200, 320, 3)
    assert scene.window is None


def test_scene_does_not_import_qt():
    code = (
        "import sys; import anatomy_viewer.scene.leg_scene, anatomy_viewer.scene.offscreen;"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'PyQt', 'pyqtgraph'))];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_a_preset_chosen_before_the_window_has_its_size_is_reframed(leg_model):
    scene = LegScene(leg_model)
    scene.set_view("front")  # no window yet: framed for a default shape
    window = offscreen_window(200, 400)  # tall and narrow
    scene.attach(window)
    try:
        scene.render()
        assert abs(scene.renderer.GetTiledAspectRatio() - 0.5) < 1e-6
        framed_here = scene.renderer.GetActiveCamera().GetPosition()
        scene.set_view("front")
        assert np.allclose(framed_here, scene.renderer.GetActiveCamera().GetPosition())
        # A camera the user moved is left alone.
        scene.renderer.GetActiveCamera().Azimuth(30)
        moved = scene.renderer.GetActiveCamera().GetPosition()
        window.SetSize(300, 300)
        scene.render()
        assert np.allclose(moved, scene.renderer.GetActiveCamera().GetPosition())
    finally:
        scene.detach()
        window.Finalize()


def test_modes_none_clears_the_stripes(scene, pose):
    i, _ = _visible_anchor(scene, "vaslat_r")
    act = np.zeros(scene.n_muscles)
    act[i] = 1.0
    scene.update(pose, act)
    plain = _image(scene)
    modes = np.zeros(scene.n_muscles, np.int8)
    modes[i] = ContractionMode.ECCENTRIC
    scene.update(pose, act, modes)
    assert np.abs(_image(scene) - plain).max() > 0.2
    scene.update(pose, act, None)
    assert np.abs(_image(scene) - plain).max() < 0.01


def test_png_to_an_unwritable_place_raises_oserror_naming_the_file(scene, tmp_path):
    target = tmp_path / "no such folder" / "leg.png"
    with pytest.raises(OSError) as err:
        render_to_png(scene, target, (64, 48))
    assert "leg.png" in str(err.value.filename)
    assert not target.exists()


def test_png_is_written_at_the_requested_size(scene, tmp_path):
    target = render_to_png(scene, tmp_path / "leg.png", (96, 64))
    data = target.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(data[16:20], "big") == 96
    assert int.from_bytes(data[20:24], "big") == 64


def test_highlight_dims_the_muscles_outside_it(scene, leg_model):
    """A highlighted group stands out: the other muscles get darker, the group keeps its
    colour (an outline alone is lost where other muscles hide it)."""
    i, xy_in = _visible_anchor(scene, "vaslat_r")
    j, xy_out = _visible_anchor(scene, "tibant_r")
    img = _image(scene)
    inside, outside = _pixel(img, xy_in).sum(), _pixel(img, xy_out).sum()
    quads = [leg_model.muscle_index(n) for n in ("recfem_r", "vaslat_r", "vasmed_r", "vasint_r")]
    scene.set_highlighted(quads)
    img = _image(scene)
    assert _pixel(img, xy_out).sum() < 0.75 * outside
    assert _pixel(img, xy_in).sum() > 0.9 * inside
    scene.set_highlighted(None)
    assert _pixel(_image(scene), xy_out).sum() > 0.9 * outside


def test_a_highlight_says_under_the_legend_that_the_other_muscles_are_darkened(scene):
    """Darkened, an active calf turns olive, a colour the bar does not have: the key says why."""
    scene.set_legend_visible(True)
    scene.set_highlighted([scene.model.muscle_index("glmax1_r")])
    assert "darkened = not\nhighlighted" in scene.overlays.hint_text
    scene.set_highlighted(None)
    assert "darkened" not in scene.overlays.hint_text
    scene.set_legend_visible(False)
