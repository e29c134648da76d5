"""``--ssh ID=KEYFILE[,KEYFILE]``: an ssh-agent held in the client, made from key files.

The CLI's provider does the same when ``--ssh`` names key files rather than an agent's socket.
It answers the two requests the session lets through (``sshforward.py``): listing the keys
(REQUEST_IDENTITIES, answered with IDENTITIES_ANSWER: each public key blob and a comment, here
the file's path) and signing (SIGN_REQUEST: the key blob, the data, flags asking for SHA-2 RSA
signatures; answered with SIGN_RESPONSE). The keys are read with paramiko (the docker SDK's own
ssh transport), which writes the signatures in the SSH wire format an agent returns.
"""

from __future__ import annotations

import struct
from typing import Any

from ...errors import CommandError

REQUEST_IDENTITIES, IDENTITIES_ANSWER, SIGN_REQUEST, SIGN_RESPONSE, FAILURE = 11, 12, 13, 14, 5
RSA_SHA2_256, RSA_SHA2_512 = 2, 4
_FAILED = struct.pack(">IB", 1, FAILURE)


def _string(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def _read_string(data: bytes, at: int) -> tuple[bytes, int]:
    (size,) = struct.unpack(">I", data[at : at + 4])
    return data[at + 4 : at + 4 + size], at + 4 + size


def load_keys(name: str, paths: tuple[str, ...]) -> KeyAgent:
    """The keys of ``--ssh NAME=PATHS``, or a one-line error saying what to do instead."""
    try:
        import paramiko  # type: ignore[import-untyped]
    except ImportError:
        raise CommandError(
            f"--ssh {name}: key files are read with paramiko, which is not installed: pip install "
            f"paramiko, or add the keys to an ssh-agent (ssh-add KEYFILE) and pass --ssh {name}=SOCKET."
        ) from None
    keys = []
    for path in paths:
        try:
            keys.append((paramiko.PKey.from_path(path), path))
        except (paramiko.PasswordRequiredException, TypeError) as exc:
            # cryptography's reader (which paramiko's from_path uses) says so with a TypeError
            if isinstance(exc, TypeError) and "password" not in str(exc).lower():
                raise
            raise CommandError(
                f"--ssh {name}: {path} is protected by a passphrase: add it to an ssh-agent "
                f"(ssh-add {path}) and pass --ssh {name}=SOCKET."
            ) from None
        except (OSError, paramiko.SSHException, ValueError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
            raise CommandError(f"--ssh {name}: {path}: {reason}; name an OpenSSH private key file.") from None
    return KeyAgent(keys)


def _algorithm(kind: str, flags: int) -> str | None:
    """An RSA key signs with the SHA-2 hash the flags ask for (SHA-1 when none); others have one."""
    if kind != "ssh-rsa":
        return None
    return "rsa-sha2-512" if flags & RSA_SHA2_512 else "rsa-sha2-256" if flags & RSA_SHA2_256 else "ssh-rsa"


class KeyAgent:
    """Answers agent requests from keys held in memory (paramiko ``PKey`` objects)."""

    def __init__(self, keys: list[tuple[Any, str]]):
        self.keys = keys

    def answer(self, message: bytes) -> bytes:
        """One request frame (length, type, body) -> one reply frame."""
        kind, body = message[4], message[5:]
        if kind == REQUEST_IDENTITIES:
            listed = b"".join(
                _string(key.asbytes()) + _string(comment.encode()) for key, comment in self.keys
            )
            reply = bytes([IDENTITIES_ANSWER]) + struct.pack(">I", len(self.keys)) + listed
        elif kind == SIGN_REQUEST:
            try:
                blob, at = _read_string(body, 0)
                data, at = _read_string(body, at)
                (flags,) = struct.unpack(">I", body[at : at + 4])
            except struct.error:
                return _FAILED
            key = next((k for k, _ in self.keys if k.asbytes() == blob), None)
            if key is None:
                return _FAILED
            try:
                signature = key.sign_ssh_data(data, _algorithm(key.get_name(), flags))
            except KeyError:  # SHA-1 RSA, which paramiko 4 and later no longer make
                return _FAILED
            reply = bytes([SIGN_RESPONSE]) + _string(signature.asbytes())
        else:
            return _FAILED
        return _string(reply)
