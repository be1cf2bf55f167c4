"""anatomy_viewer: see what walking, running and sprinting do to the legs."""

from __future__ import annotations


def version() -> str:
    """The installed package's version (from its metadata; "unknown" when the package is
    run from a source tree that was never installed)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as _version

    try:
        return _version("anatomy-viewer")
    except PackageNotFoundError:
        return "unknown"
