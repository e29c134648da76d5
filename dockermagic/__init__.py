"""dockermagic: drive Docker from notebooks.

``%load_ext dockermagic`` registers ``%docker``, ``%%dockerfile``, ``%dexec``
and ``%%dexec``.  Loading imports nothing heavy and contacts no engine: the
first command that needs the engine connects to it.
"""

from .version import __version__

__all__ = ["__version__", "load_ipython_extension", "unload_ipython_extension"]


def load_ipython_extension(ipython):
    from .magics import DockerMagics

    existing = ipython.magics_manager.registry.get("DockerMagics")
    if existing is not None:  # %load_ext twice, or %reload_ext: start clean
        unload_ipython_extension(ipython)
    magics = DockerMagics(shell=ipython)
    ipython.register_magics(magics)
    from .completion import register

    register(ipython, magics.session)


def unload_ipython_extension(ipython):
    magics = ipython.magics_manager.registry.pop("DockerMagics", None)
    if magics is None:
        return
    from .completion import unregister

    unregister(ipython)
    for kind, names in magics.magics.items():
        table = ipython.magics_manager.magics[kind]
        for name in names:
            table.pop(name, None)
    if magics in getattr(ipython, "configurables", []):
        ipython.configurables.remove(magics)
    magics.close()
