"""The "Fibre types" colour mode of the 3-D view: which fibres each muscle is working with.

Rendered headless at a sprint instant of the built-in cycle: a muscle that recruits fast fibres
there shows the fast colour, one at rest the rest colour, one on slow fibres alone the slow
colour; stripes and highlights still show; the colours stay apart for colour-blind eyes.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

pytest.importorskip("vtkmodules")

from anatomy_viewer.anatomy.fibre_types import composition  # noqa: E402
from anatomy_viewer.gait.animation import CycleAnimation  # noqa: E402
from anatomy_viewer.gait.contraction import ContractionMode  # noqa: E402
from anatomy_viewer.gait.fibre_use import FibreState  # noqa: E402
from anatomy_viewer.gait.library import load_gait  # noqa: E402
from anatomy_viewer.scene.colormaps import FIBRE_COLOURS, FIBRE_RGB  # noqa: E402
from anatomy_viewer.scene.leg_scene import LegScene  # noqa: E402
from anatomy_viewer.scene.offscreen import offscreen_window, render_to_array  # noqa: E402

SIZE = 480
#: Early stance of the sprint: the right gluteus maximus pulls at over 80 % of its maximum,
#: beyond its 55 % of slow fibres (so fast fibres work too), while rectus femoris is at rest.
SPRINT_INSTANT = 5.0


@pytest.fixture(scope="module")
def sprint(leg_model):
    return CycleAnimation(load_gait("sprinting"), leg_model)


@pytest.fixture(scope="module")
def _scene(leg_model):
    scene = LegScene(leg_model)
    window = offscreen_window(SIZE, SIZE)
    scene.attach(window)
    yield scene
    scene.detach()
    window.Finalize()


@pytest.fixture
def scene(_scene, sprint):
    s = _scene
    s.set_highlighted(None)
    s.set_selected(None)
    s.set_gain(1.0)
    s.set_legend_visible(False)
    s.set_colour_mode("fibre_types")
    frame = sprint.at(SPRINT_INSTANT)
    s.update(frame.pose, frame.activations, frame.modes)
    s.set_view("side")
    return s


def _image(scene: LegScene) -> np.ndarray:
    return render_to_array(scene).astype(float) / 255.0


def _pixel(img: np.ndarray, xy) -> np.ndarray:
    x, y = (int(round(v)) for v in xy)
    return img[img.shape[0] - 1 - y, x]


def is_fast(rgb) -> bool:
    """Amber: warm, green well above blue."""
    r, g, b = rgb
    return r > 0.35 and r >= g > 0.55 * r and b < 0.6 * g


def is_slow(rgb) -> bool:
    """Blue: blue clearly above red."""
    r, g, b = rgb
    return b > 0.25 and b > r + 0.15


def is_rest(rgb) -> bool:
    """Grey: no colour to speak of, darker than the working colours."""
    return float(np.ptp(rgb)) < 0.08 and 0.08 < float(np.mean(rgb)) < 0.6


def _anchor(scene: LegScene, name: str):
    i = scene.model.muscle_index(name)
    xy = scene.display_position(scene.muscle_anchor(i))
    assert scene.pick(*xy) == i  # the point is on this muscle's visible surface
    return i, xy


def _activation(sprint, name: str) -> float:
    return float(sprint.at(SPRINT_INSTANT).activations[sprint.cycle.muscle_index(name)])


def test_a_muscle_recruiting_fast_fibres_shows_the_fast_colour(scene, sprint):
    # Independently of the colour code: gluteus maximus is 55 % slow fibres and works far
    # beyond that share at this instant, so by recruitment by size fast fibres work too.
    a = _activation(sprint, "glmax2_r")
    assert a > composition("glmax2_r").type1 + 0.1
    _, xy = _anchor(scene, "glmax2_r")
    fibres = _pixel(_image(scene), xy)
    assert is_fast(fibres), fibres
    # the same muscle in the activation colours is not amber-on-grey but the activation map's
    scene.set_colour_mode("activation")
    assert not np.allclose(_pixel(_image(scene), xy), fibres, atol=0.05)


def test_a_resting_muscle_shows_the_rest_colour(scene, sprint):
    assert _activation(sprint, "recfem_r") < 0.02
    _, xy = _anchor(scene, "recfem_r")
    rgb = _pixel(_image(scene), xy)
    assert is_rest(rgb), rgb


def test_a_muscle_below_its_slow_share_shows_the_slow_colour(scene, sprint, leg_model):
    # Whatever the sprint does: a muscle set to half of its slow share works on slow fibres.
    i, xy = _anchor(scene, "vaslat_r")
    act = np.zeros(scene.n_muscles)
    act[i] = 0.5 * composition("vaslat_r").type1
    scene.update(sprint.at(SPRINT_INSTANT).pose, act)
    rgb = _pixel(_image(scene), xy)
    assert is_slow(rgb), rgb
    act[i] = 1.0  # all of its fibres: fast ones too
    scene.update(sprint.at(SPRINT_INSTANT).pose, act)
    assert is_fast(_pixel(_image(scene), xy))


def test_the_gain_does_not_change_which_fibres_work(scene, sprint):
    i, xy = _anchor(scene, "vaslat_r")
    act = np.zeros(scene.n_muscles)
    act[i] = 0.3  # below its 46 % of slow fibres
    scene.update(sprint.at(SPRINT_INSTANT).pose, act)
    scene.set_gain(4.0)
    assert is_slow(_pixel(_image(scene), xy))
    assert scene.fibre_states()[i] == FibreState.SLOW


def test_eccentric_muscles_stay_striped_in_the_fibre_colours(scene, sprint):
    i, _ = _anchor(scene, "vaslat_r")
    pose = sprint.at(SPRINT_INSTANT).pose
    act = np.zeros(scene.n_muscles)
    act[i] = 1.0
    modes = np.zeros(scene.n_muscles, np.int8)

    def brightness() -> np.ndarray:
        img = _image(scene)
        # Along the belly as drawn (the model's path need not run under its visible surface).
        shapes = scene.muscles.shapes
        k = shapes.body_of_muscle[i]
        along = [scene.display_position(p) for p in shapes.centres[k][shapes.belly_ring[k]]]
        return np.array([_pixel(img, xy).sum() for xy in along[2:-2]])

    modes[i] = ContractionMode.CONCENTRIC
    scene.update(pose, act, modes)
    plain = brightness()
    modes[i] = ContractionMode.ECCENTRIC
    scene.update(pose, act, modes)
    striped = brightness()
    # Dark bands along the belly: neighbouring rings alternate (the plain belly's shading
    # changes only gradually along it).
    assert np.abs(np.diff(striped)).mean() > 2.0 * np.abs(np.diff(plain)).mean()
    assert striped.min() < plain.min() - 0.2
    assert scene.fibre_states()[i] == FibreState.FAST  # still the fast colour, banded


def test_a_highlight_still_outlines_and_dims_in_the_fibre_colours(scene):
    i, xy = _anchor(scene, "glmax2_r")
    _, other = _anchor(scene, "recfem_r")
    base = _image(scene)
    scene.set_highlighted([i])
    img = _image(scene)
    white = (img.min(axis=2) > 0.85) & ~(base.min(axis=2) > 0.85)
    assert white.sum() > 30  # the rim
    assert _pixel(img, other).sum() < _pixel(base, other).sum() - 0.05  # the rest dimmed
    assert is_fast(_pixel(img, xy))


def test_the_fibre_legend_replaces_the_activation_bar(scene):
    scene.set_legend_visible(True)
    img = _image(scene)
    right = img[:, int(0.7 * SIZE) :]
    # the three swatches, each a block of its own colour
    for state in FibreState:
        colour = FIBRE_RGB[int(state)]
        close = np.abs(right - colour).max(axis=2) < 0.03
        assert close.sum() > 150, FIBRE_COLOURS[state][1]
    assert scene.overlays.fibre_legend_shown
    scene.set_colour_mode("activation")
    img = _image(scene)
    fast = np.abs(img[:, int(0.7 * SIZE) :] - FIBRE_RGB[FibreState.SLOW]).max(axis=2) < 0.03
    assert fast.sum() < 20  # no blue swatch in the activation legend
    assert not scene.overlays.fibre_legend_shown


def test_the_display_state_carries_the_colour_mode_to_a_picture(scene, leg_model):
    other = LegScene(leg_model)
    other.set_display_state(scene.display_state())
    assert other.colour_mode == "fibre_types"
    with pytest.raises(ValueError):
        scene.set_colour_mode("rainbow")


# ------------------------------------------------------------------ colour vision deficiency
@pytest.mark.parametrize("cvd", ["deuteranomaly", "protanomaly", "tritanomaly"])
def test_the_three_colours_stay_apart_for_colour_blind_eyes(cvd):
    """Simulated full dichromacy (Machado, Oliveira and Fernandes 2009, as colorspacious
    implements it): each pair of the three colours stays at least 25 units apart in
    CAM02-UCS (about 10 is a difference seen at a glance)."""
    colorspacious = pytest.importorskip("colorspacious")
    space = {"name": "sRGB1+CVD", "cvd_type": cvd, "severity": 100}
    if cvd == "deuteranomaly":
        # the check can fail: a red and a green 55 apart fall to about 4 for these eyes
        red, green = np.array([0.8, 0.2, 0.2]), np.array([0.2, 0.6, 0.2])
        red_seen, green_seen = (
            colorspacious.cspace_convert(c, space, "sRGB1") for c in (red, green)
        )
        assert colorspacious.deltaE(red_seen, green_seen, input_space="sRGB1") < 10
    seen = {
        s: np.clip(colorspacious.cspace_convert(FIBRE_RGB[int(s)], space, "sRGB1"), 0, 1)
        for s in FibreState
    }
    for a, b in itertools.combinations(FibreState, 2):
        d = colorspacious.deltaE(seen[a], seen[b], input_space="sRGB1")
        assert d > 25, (cvd, a.label, b.label, d)


def test_the_colours_differ_in_lightness_too():
    """Rest darkest, fast lightest: the states read in greyscale as well."""
    colorspacious = pytest.importorskip("colorspacious")
    j = [
        colorspacious.cspace_convert(FIBRE_RGB[int(s)], "sRGB1", "CAM02-UCS")[0] for s in FibreState
    ]
    assert j[FibreState.REST] + 10 < j[FibreState.SLOW] < j[FibreState.FAST] - 10
