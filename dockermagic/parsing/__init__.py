"""Parsing rules shared by several families: units, KEY=VALUE lists, image references.

Neutral ground under ``commands/``, ``engine/`` and ``views/``: these modules
import nothing of the project but ``errors``.
"""
