"""The package's version, where every layer may read it (the package root is the top layer)."""

__version__ = "0.1.0"
