"""Compose stacks on the Engine API: the compose file's model, a plan, its execution, the Stack.

``source`` reads the YAML (with the line of every key), ``interpolate`` puts variables in,
``normalise`` turns the supported subset into the typed ``model`` (one line for anything else),
``plan`` decides what ``up`` changes, ``execute`` does it through ``engine/``, and ``stack`` is
the handle a cell gets back. Names and labels are docker compose v2's, so either tool manages
what the other made.
"""
