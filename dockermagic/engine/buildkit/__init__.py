"""BuildKit builds through the Engine API, with no CLI.

The engine's BuildKit calls back into its client while it builds: the client
opens ``POST /session``, which the engine upgrades to HTTP/2 and on which the
client serves gRPC (``session.py``, ``grpc_server.py``): the build context and
the Dockerfile as file-sync streams (``filesync.py``), a health check, registry
credentials (none) and build secrets; with ``-o`` the result sent back (``filesend.py``), with
``--ssh`` an ssh-agent lent to ``RUN --mount=type=ssh`` (``sshforward.py``, ``sshkeys.py``).
``POST /build?version=2`` then names the session; its JSON stream carries the solver's progress as protobuf
``StatusResponse`` messages (``progress.py``). ``build.py`` ties them together.
The protobuf messages are declared in ``messages.py`` from the field numbers of
BuildKit's and fsutil's published ``.proto`` files.
"""
