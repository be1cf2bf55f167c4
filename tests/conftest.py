import pytest


@pytest.fixture(scope="session")
def leg_model():
    """One LegModel for the whole session (compiling MyoLeg takes about half a second)."""
    from anatomy_viewer.anatomy import LegModel

    return LegModel()
