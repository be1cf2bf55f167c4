"""The application model: what is shown, free of Qt and VTK.

One :class:`~anatomy_viewer.app.model.AppModel` holds the current and compared animations,
the playback, the selected muscle and the layered display state. The 3-D scenes, the panels,
the plots and the window receive it, subscribe to its events (psygnal signals, called in the
thread that changes the model) and change it through its methods; none of them reaches into
another. See :mod:`anatomy_viewer.app.model` for how a new view plugs in.
"""

from anatomy_viewer.app.display import DisplayModel, DisplayState
from anatomy_viewer.app.model import AppModel, Comparison, StillPose
from anatomy_viewer.app.playback import Playback
from anatomy_viewer.app.selection import Selection

__all__ = [
    "AppModel",
    "Comparison",
    "DisplayModel",
    "DisplayState",
    "Playback",
    "Selection",
    "StillPose",
]
