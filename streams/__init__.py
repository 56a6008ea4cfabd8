"""wirewatch: real-time diplomatic-event extraction from news wires."""

__version__ = "0.2.0"
