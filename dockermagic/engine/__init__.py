"""Everything that talks to the Docker Engine API, over the docker SDK.

No IPython, no widgets: functions return plain data, docker SDK objects, or
generators that always close their stream.
"""
