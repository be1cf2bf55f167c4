"""How it looks: VTK actors for bones and muscles, colour maps and legend, picking, camera
presets, offscreen rendering. VTK and numpy only; no Qt.

Import the modules directly (``from anatomy_viewer.scene.leg_scene import LegScene``): importing
this package alone does not load VTK.
"""
