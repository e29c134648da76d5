"""Clean-up that does not need the kernel to survive.

``%config DockerMagics.cleanup`` chooses what goes when the kernel goes:
``temporary`` (the default), ``session`` or ``none``. On the kernel's first
creation a watchdog process starts (``python -m dockermagic.reaper``), in a
session of its own so that a signal to the kernel's process group does not
reach it, holding the read end of a pipe whose write end only the kernel
has. However the kernel ends (shutdown, restart, SIGKILL, OOM), the kernel's
end closes, the watchdog reads end-of-file, removes what the mode says
through the Engine API with the kernel's own connection settings, and exits.

- ``model``: the modes and the messages on the pipe;
- ``plan``: what to remove, a pure function of labels and mode;
- ``watchdog``: the process's loop (read the pipe, then sweep);
- ``keeper``: the kernel's side (start lazily, tell the mode and built images, close).
"""
