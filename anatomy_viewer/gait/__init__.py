"""What the leg does over time: gait cycles, phases, contraction modes, OpenSim import.

numpy (and the anatomy layer) only; no Qt, no VTK.
"""

from anatomy_viewer.gait.cycle import Event, Frame, GaitCycle, Phase, Provenance

__all__ = ["Event", "Frame", "GaitCycle", "Phase", "Provenance"]
