"""The colour-blind-safe map is the published Cividis, not an approximation of it."""

from __future__ import annotations

import numpy as np
import pytest

from anatomy_viewer.scene.colormaps import COLORMAPS, colormap

# Entries of the published Cividis table (Nunez, Anderton & Renslow 2018, PLoS ONE
# 13(7):e0199239, S1 Table; 256 entries, RGB in 0..1) at 0, 0.2, 0.4, 0.6, 0.8 and 1.
PUBLISHED = {
    0.0: (0.000000, 0.135112, 0.304751),
    0.2: (0.208926, 0.272546, 0.424809),
    0.4: (0.401418, 0.411790, 0.440708),
    0.6: (0.582087, 0.558670, 0.468118),
    0.8: (0.785965, 0.720438, 0.399613),
    1.0: (0.995737, 0.909344, 0.217772),
}


@pytest.mark.parametrize("at, rgb", sorted(PUBLISHED.items()))
def test_cividis_matches_the_published_table(at, rgb):
    assert np.abs(colormap("cividis")(np.array([at]))[0] - rgb).max() < 0.5 / 255


def test_cividis_has_the_whole_table_and_rises_in_lightness():
    cm = COLORMAPS["cividis"]
    assert cm.colours.shape == (256, 3) and cm.positions[0] == 0.0 and cm.positions[-1] == 1.0
    grey = cm(np.linspace(0, 1, 64)) @ np.array([0.2126, 0.7152, 0.0722])
    assert (np.diff(grey) > 0).all()
    lut = cm.lookup_table()
    rgba = [0.0] * 4
    lut.GetTableValue(128, rgba)
    np.testing.assert_allclose(rgba[:3], cm(np.array([128 / 255]))[0], atol=1 / 255)  # 8 bits
