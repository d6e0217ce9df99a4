"""Dashboard Desktop: the desktop and kiosk client of the live dashboard schedule."""

__version__ = "0.1.0"
