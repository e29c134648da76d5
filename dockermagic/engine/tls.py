"""``tcp://`` engines with TLS: the material the docker CLI reads, and its failures in one line.

The CLI turns TLS on when ``DOCKER_TLS_VERIFY`` (verify the engine's
certificate) or ``DOCKER_TLS`` (encrypt only) is set to anything non-empty,
for an address given with ``-H`` or ``DOCKER_HOST``; the files are
``ca.pem``, ``cert.pem`` and ``key.pem`` in ``DOCKER_CERT_PATH`` (default: the
docker configuration directory). A docker context brings its own files.
"""

from __future__ import annotations

import os
import re
from typing import Any

from ..errors import DockerMagicError, EngineUnavailable
from .endpoint import Endpoint, TLSFiles


def cert_dir() -> str:
    return (
        os.environ.get("DOCKER_CERT_PATH")
        or os.environ.get("DOCKER_CONFIG")
        or os.path.expanduser("~/.docker")
    )


def env_tls(host: str) -> TLSFiles | None:
    """The environment's TLS material for ``host`` (a tcp:// address), or None when TLS is off."""
    verify = os.environ.get("DOCKER_TLS_VERIFY", "") != ""
    if not (verify or os.environ.get("DOCKER_TLS", "") != "") or not host.startswith(("tcp://", "https://")):
        return None
    directory = cert_dir()
    return TLSFiles(
        ca=os.path.join(directory, "ca.pem"),
        cert=os.path.join(directory, "cert.pem"),
        key=os.path.join(directory, "key.pem"),
        verify=verify,
    )


def _origin_of_files(endpoint: Endpoint) -> str:
    if endpoint.origin.startswith("the docker context"):
        return f"{endpoint.origin}'s TLS files"
    return "DOCKER_CERT_PATH" if os.environ.get("DOCKER_CERT_PATH") else "the default DOCKER_CERT_PATH"


def tls_config(endpoint: Endpoint) -> Any:
    """The SDK's ``TLSConfig`` for ``endpoint``; missing files are a one-line error before any connection."""
    from docker.tls import TLSConfig

    files = endpoint.tls
    assert files is not None
    where = endpoint.where
    exists = {
        name: bool(path) and os.path.isfile(path or "")
        for name, path in (("ca", files.ca), ("cert", files.cert), ("key", files.key))
    }
    source = _origin_of_files(endpoint)
    if files.verify and files.ca and not exists["ca"]:  # no CA named (a context's): the system's
        raise EngineUnavailable(
            f"TLS verification is on for the engine at {where}, but there is no CA certificate "
            f"{files.ca or 'ca.pem'} ({source}): put the engine's CA certificate there as ca.pem, "
            "or point DOCKER_CERT_PATH at the directory holding it."
        )
    if exists["cert"] != exists["key"]:
        have, missing = ("cert", "key") if exists["cert"] else ("key", "cert")
        raise EngineUnavailable(
            f"The client {have} file is there but not its {missing} ({getattr(files, missing)}, {source}) for the "
            f"engine at {where}: put cert.pem and key.pem side by side."
        )
    client_cert = (files.cert, files.key) if exists["cert"] else None
    ca = files.ca if exists["ca"] else None
    if not files.verify:
        import warnings

        import urllib3

        # the user asked for encryption without verification (DOCKER_TLS), as the CLI's --tls
        warnings.filterwarnings("ignore", category=urllib3.exceptions.InsecureRequestWarning)
    return TLSConfig(client_cert=client_cert, ca_cert=ca, verify=files.verify)


MINIMUM_API = "1.24"  # the SDK's oldest; only /version is asked with it


def tls_client(endpoint: Endpoint, timeout: float, ping_timeout: float) -> Any:
    """A ``DockerClient`` on ``endpoint`` over TLS, its engine verified against the endpoint's CA.

    requests lets ``REQUESTS_CA_BUNDLE``/``CURL_CA_BUNDLE`` (a bundle for the web, often set
    machine-wide) replace the client's own CA on every request, so a good engine would fail
    verification: each request here takes the endpoint's. The SDK asks the engine's version in
    its constructor, before that can be set, so the version is asked first, then the client made.
    """
    import docker

    config = tls_config(endpoint)
    probe = docker.DockerClient(base_url=endpoint.host, tls=config, version=MINIMUM_API, timeout=ping_timeout)
    _pin_verify(probe.api)
    try:
        version = probe.api.version(api_version=False)["ApiVersion"]
    except KeyError:
        raise DockerMagicError(
            "What answered is not a Docker engine (its version has no ApiVersion)"
        ) from None
    finally:
        probe.close()
    client = docker.DockerClient(base_url=endpoint.host, tls=config, version=version, timeout=timeout)
    _pin_verify(client.api)
    return client


def _pin_verify(api: Any) -> None:
    send, verify = api.send, api.verify

    def pinned(request: Any, **kwargs: Any) -> Any:
        kwargs["verify"] = verify
        return send(request, **kwargs)

    api.send = pinned


_CLIENT_CERT_ALERTS = {
    "TLSV13_ALERT_CERTIFICATE_REQUIRED",
    "SSLV3_ALERT_BAD_CERTIFICATE",
    "SSLV3_ALERT_HANDSHAKE_FAILURE",
    "SSLV3_ALERT_CERTIFICATE_UNKNOWN",
    "TLSV1_ALERT_UNKNOWN_CA",
}
_SSL = re.compile(r"\[SSL: ([A-Z0-9_]+)\]([^(\]]*)")


def tls_failure(exc: BaseException, endpoint: Endpoint) -> EngineUnavailable | None:
    """A TLS handshake or protocol failure of the first connection, said in one line; else None."""
    text = _chain_text(exc)
    where = endpoint.where
    files = endpoint.tls
    source = _origin_of_files(endpoint) if files else ""
    found = _SSL.search(text)
    code = found.group(1) if found else ""
    said = " ".join(found.group(0).split()) if found else ""
    if "Client sent an HTTP request to an HTTPS server" in text:
        return EngineUnavailable(
            f"The engine at {where} speaks TLS and this client did not: set DOCKER_TLS_VERIFY=1 and "
            "DOCKER_CERT_PATH (its ca.pem, cert.pem, key.pem), or use a docker context that has them."
        )
    if files is None and not code:
        return None
    ca = files.ca if files else "the system's store"
    if code == "CERTIFICATE_VERIFY_FAILED":
        if "mismatch" in text:
            return EngineUnavailable(
                f"The engine's TLS certificate at {where} is not made out to that host name or address "
                f"({said}): connect by a name the certificate lists, or have it reissued."
            )
        return EngineUnavailable(
            f"The engine's TLS certificate at {where} is not signed by the CA in {ca} ({source}; {said}): "
            "put the CA that signed the engine's certificate there as ca.pem."
        )
    folder = os.path.dirname(files.cert or "") if files else cert_dir()
    if code in _CLIENT_CERT_ALERTS:  # the engine's verdict on the client's certificate
        if not (files and _has_cert(files)):
            return EngineUnavailable(
                f"The engine at {where} wants a client certificate, and none was sent (no cert.pem and "
                f"key.pem in {source}, {folder}): put the client's certificate and key there."
            )
        return EngineUnavailable(
            f"The engine at {where} refused the client certificate {files.cert} ({said}): it wants one "
            f"signed by the CA it trusts; put that certificate and its key in {source} as cert.pem and key.pem."
        )
    if code in ("WRONG_VERSION_NUMBER", "RECORD_LAYER_FAILURE", "PACKET_LENGTH_TOO_LONG"):
        return EngineUnavailable(
            f"The engine at {where} does not speak TLS there ({said}): use its TLS port (2376 by custom), "
            "or unset DOCKER_TLS_VERIFY and DOCKER_TLS for a plain tcp:// engine."
        )
    if code:
        return EngineUnavailable(
            f"The TLS connection to the engine at {where} failed ({said}): check {source}."
        )
    return None


def _has_cert(files: TLSFiles) -> bool:
    return bool(files.cert) and os.path.isfile(files.cert or "")


def _chain_text(exc: BaseException | None) -> str:
    seen: list[str] = []
    ids: set[int] = set()
    while exc is not None and id(exc) not in ids and len(ids) < 20:
        ids.add(id(exc))
        seen.append(str(exc))
        exc = exc.__cause__ or exc.__context__
    return " ".join(seen)
