"""Everything that talks to the Docker Engine API, over the docker SDK.

The only package that imports docker.  One function per Engine API operation,
taking the API client and plain values and returning plain data or a generator
that always closes its stream; every failure becomes the project's one-line
error in ``engine.errors``.  No IPython, no widgets.
"""
