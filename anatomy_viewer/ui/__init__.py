"""How the program is used: the main window, the 3-D viewport, timeline and panels (Qt)."""
