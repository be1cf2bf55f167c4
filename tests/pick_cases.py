"""Muscles to click in picking tests, shared by the scene's and the window's tests.

A muscle of every group and the camera preset from which its mid-belly faces the viewer
unobstructed (at 20 % of walking, and in the scene tests' walking pose), with the groups hidden
to uncover it: piriformis lies under the gluteal muscles.
"""

PICK_CASES = [
    ("glmax2_r", "back", ()),
    ("bflh_r", "back", ()),
    ("vaslat_r", "side", ()),
    ("gasmed_r", "back", ()),
    ("tfl_r", "side", ()),
    ("addlong_r", "front", ()),
    ("sart_r", "front", ()),
    ("tibant_r", "front", ()),
    ("piri_r", "back", ("glutes", "hip_abductors")),
]
