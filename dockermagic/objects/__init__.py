"""Handles returned by the magics: a container, an image. They act on the
engine (``.stop()``, ``.logs()``, ``.history()``) and display themselves
through views."""
