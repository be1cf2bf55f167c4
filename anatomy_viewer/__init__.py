"""anatomy_viewer: see what walking, running and sprinting do to the legs."""

__version__ = "0.1.0"
