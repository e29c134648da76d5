"""Every run/create flag that changes engine state, through the docker CLI and through %docker.

Each case is one command line.  It runs once through the CLI and once through
``%docker`` (create, not start, where starting proves nothing), and the two
containers' inspect documents must be equal once what necessarily differs is
taken out (ids, names, times, the session's labels; see ``normalise``).  Where
the CLI refuses the line on this engine (a client-side check, or the engine
itself: two networks on API 1.41, --storage-opt without xfs quotas...), %docker
must refuse it too, in one line, with the engine's words when the engine said no.

The reference is the CLI on PATH: docker.io's 20.10 on a fresh machine, a newer
one where it shadows it.  Where the two read a line differently, %docker reads
it as the newer CLI does, and the case says so:

- ``newer``: forms docker.io's 20.10 CLI does not know (``--add-host h=[v6]``,
  ``bind-recursive=``, ``-q``) or does not check (``--pull sometimes``), or
  flags it drops without a word when no ``--network`` is given (``--ip``, which
  newer CLIs send for the default network, ``--network-alias``, which they
  refuse).  With docker.io's CLI on PATH the case runs a newer CLI found on the
  machine; without one it runs ``old_cli_line`` (the same request in 20.10's
  words), or, with none, expects ``refusal``;
- ``docker_io_only``: ``--mac-address`` on API 1.41: newer CLIs refuse it
  client-side (they send it per network, which needs API 1.44); docker.io's
  20.10 sends it on the container, as %docker does, so that case runs docker.io's
  CLI, which the set-up always installs.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shlex
import shutil
import subprocess
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from IPython.core.error import UsageError

from tests.conftest import BASE_IMAGE, docker_cli
from tests.engine.test_parity_containers import normalise as normalise_container

DOCKER_IO_CLI = "/usr/bin/docker"
# what the engine fills in when it connects an endpoint (none of it is set by a flag)
_ENDPOINT_VOLATILE = {
    "NetworkID",
    "EndpointID",
    "Gateway",
    "IPAddress",
    "IPPrefixLen",
    "IPv6Gateway",
    "GlobalIPv6Address",
    "GlobalIPv6PrefixLen",
    "MacAddress",
    "DNSNames",
}


def normalise(doc: dict, name: str, volume_names: dict[str, str]) -> dict:
    """The container's document without what must differ; its network endpoints and mounts kept
    (anonymous volumes' random names replaced by their order of appearance)."""
    out = normalise_container(doc, name)
    networks = (doc.get("NetworkSettings") or {}).get("Networks") or {}
    out["Networks"] = {
        net: {k: v for k, v in endpoint.items() if k not in _ENDPOINT_VOLATILE}
        for net, endpoint in networks.items()
    }
    mounts = []
    for m in doc.get("Mounts") or []:
        m = dict(m)
        if m.get("Type") == "volume" and re.fullmatch(r"[0-9a-f]{64}", m.get("Name", "")):
            alias = volume_names.setdefault(m["Name"], f"<anonymous {len(volume_names)}>")
            m["Name"] = alias
            m["Source"] = m["Source"].replace(m["Source"].split("/")[-2], alias) if m.get("Source") else ""
        mounts.append(m)
    out["Mounts"] = sorted(mounts, key=lambda m: m.get("Destination", ""))
    return json.loads(json.dumps(out).replace(name, "<name>"))


@dataclass(frozen=True)
class Case:
    line: str
    # read as newer CLIs than docker.io's 20.10 read it (see the module's docstring)
    newer: bool = False
    old_cli_line: str | None = None  # the same request as docker.io's 20.10 CLI must be told it
    refusal: str | None = None  # the newer CLIs' refusal, words of it
    docker_io_only: bool = False
    verb: str = "create"

    def __str__(self) -> str:
        return self.line


CASES = [
    # security
    Case(
        "--security-opt seccomp=unconfined --security-opt apparmor=unconfined "
        "--security-opt label=disable --security-opt no-new-privileges {img}"
    ),
    Case("--security-opt systempaths=unconfined --security-opt apparmor:unconfined {img}"),
    Case("--security-opt seccomp={seccomp} {img}"),
    Case("--security-opt bogus {img}"),
    Case("--userns host --cgroupns host {img}"),
    Case("--cgroupns private {img}"),
    Case("--device-cgroup-rule 'c 1:3 mr' --device-cgroup-rule 'a *:* rwm' {img}"),
    Case("--device-cgroup-rule 'x 1:3 mr' {img}"),
    Case("--isolation default {img}"),
    Case("--isolation hyperv {img}"),
    # namespaces shared with the host or another container
    Case("--pid host --ipc host --uts host {img}"),
    Case("--pid container:{db} --ipc container:{db} {img}"),
    Case("--ipc shareable {img}"),
    Case("--volumes-from {db}:ro {img}"),
    Case("--volumes-from {db} {img}"),
    # limits
    Case("--ulimit nofile=1024:2048 --ulimit nproc=100 --ulimit core=-1 --ulimit nofile=512:1024 {img}"),
    Case("--ulimit nofile=2048:1024 {img}"),
    Case(
        "--sysctl net.ipv4.ip_forward=1 --sysctl kernel.msgmax=65536 --sysctl net.core.somaxconn=1024 {img}"
    ),
    Case("--sysctl vm.swappiness=1 {img}"),
    Case(
        "--cpu-shares 512 --cpu-period 100000 --cpu-quota 50000 --cpuset-cpus 0 --cpuset-mems 0 "
        "--memory-reservation 32m -m 64m --memory-swap 128m --memory-swappiness 10 --oom-kill-disable "
        "--oom-score-adj 100 --pids-limit 50 {img}"
    ),
    Case("-c 256 -m 64m --memory-swap -1 --pids-limit -1 {img}"),
    Case("--cpu-rt-period 1000 --cpu-rt-runtime 500 --kernel-memory 64m --cgroup-parent dmtest {img}"),
    Case(
        "--blkio-weight 300 --blkio-weight-device /dev/vda:200 --device-read-bps /dev/vda:1mb "
        "--device-write-bps /dev/vda:2mb --device-read-iops /dev/vda:100 --device-write-iops /dev/vda:200 {img}"
    ),
    Case("--memory-swappiness 101 {img}"),
    Case("--gpus all {img}"),
    Case("--gpus 2 {img}"),
    Case("--gpus '\"device=0,1\",capabilities=compute,driver=nvidia' {img}"),
    Case("--gpus 'count=1,\"options=a=1,b=2\"' {img}"),
    # storage
    Case("--tmpfs /run:rw,size=64m,mode=1777 --tmpfs /x {img}"),
    Case("--storage-opt size=1G {img}"),
    Case(
        "--mount type=bind,source={tmp},target=/b,readonly,bind-propagation=rslave "
        "--mount type=bind,src={tmp},dst=/c,bind-nonrecursive {img}"
    ),
    Case(
        "--mount type=bind,src={tmp},destination=/d,ro=false,bind-recursive=disabled {img}",
        newer=True,
        old_cli_line="--mount type=bind,src={tmp},destination=/d,ro=false,bind-nonrecursive=true {img}",
    ),
    Case(
        "--mount type=volume,source={unique}-vol,target=/v,volume-nocopy,volume-label={test_label},"
        "volume-driver=local {img}"
    ),
    Case(
        "--mount type=volume,src={unique}-tvol,dst=/t,volume-label={test_label},"
        "volume-opt=type=tmpfs,volume-opt=device=tmpfs,volume-opt=o=size=1m {img}"
    ),
    Case("--mount type=tmpfs,target=/t,tmpfs-size=64m,tmpfs-mode=1770 --mount target=/anon,ro {img}"),
    Case("--mount type=tmpfs,target=/t,volume-nocopy {img}"),
    Case("--mount type=bind,target=/t {img}"),
    Case("--volume-driver local -v /anon {img}"),
    # logging
    Case("--log-driver json-file --log-opt max-size=1m --log-opt max-file=2 {img}"),
    Case("--log-driver none {img}"),
    Case("--log-opt max-size=2m {img}"),
    Case("--log-driver none --log-opt max-size=1m {img}"),
    # networks
    Case("--network {net} --ip 10.231.7.9 --network-alias web --link {db}:database {img}"),
    Case(
        "--network name={net},ip=10.231.7.10,alias=Web,alias=www,"
        "driver-opt=com.docker.network.endpoint.sysctls=net.ipv4.conf.IFNAME.log_martians=1 {img}"
    ),
    Case("--network name={net6},ip6=2001:db8:231::10,alias=six {img}"),
    Case("--network {net6} --ip6 2001:db8:231::11 --link-local-ip 169.254.1.1 --link-local-ip fe80::1 {img}"),
    Case("--network {net} --network {net6} {img}"),
    Case("--network {net} --network {net} {img}"),
    Case("--network bridge --network {net} {img}"),
    Case("--network name={net},alias=a --network-alias b {img}"),
    Case("--ip 10.0.0.5 {img}", newer=True, old_cli_line="--network default --ip 10.0.0.5 {img}"),
    Case(
        "--network-alias web {img}",
        newer=True,
        refusal="network-scoped aliases are only supported for user-defined networks",
    ),
    Case("--network host {img}"),
    Case("--network none --dns 1.1.1.1 {img}"),
    Case("--network container:{db} {img}"),
    Case(
        "--dns 1.1.1.1 --dns 2001:4860:4860:0:0:0:0:8888 --dns-option ndots:2 --dns-search example.com "
        "--domainname example.org --group-add audio --group-add 1234 {img}"
    ),
    Case(
        "--add-host h=[2001:db8::33] --add-host 'k:[::1]' --add-host x=1.2.3.4 --add-host g:10.0.0.2 "
        "--add-host host.docker.internal:host-gateway {img}",
        newer=True,
        old_cli_line="--add-host h:2001:db8::33 --add-host k:::1 --add-host x:1.2.3.4 --add-host g:10.0.0.2 "
        "--add-host host.docker.internal:host-gateway {img}",
    ),
    Case("--mac-address 92:d0:c6:0a:29:33 {img}", docker_io_only=True),
    # labels, attaching, the container id file, pulling
    Case("--label-file {label_file} -l b=from-flag -l c {img}"),
    Case("-a stdout -a STDERR {img}"),
    Case("-a stdin -i {img}"),
    Case("-a stdin {img}"),
    Case("--cidfile {tmp}/{name}.cid {img}"),
    Case("--pull never -q {img}", newer=True, old_cli_line="--pull never {img}"),
    Case("--pull always --quiet {img}", newer=True, old_cli_line="--pull always {img}"),
    Case("--pull sometimes {img}", newer=True, refusal="invalid pull option: 'sometimes'"),
    Case("--pull always --platform linux/arm64 {img}"),
    Case("--pull never dmt-no-such-image:1"),
    Case("--disable-content-trust {img}"),
    Case("--runtime runc --stop-timeout 7 --restart unless-stopped {img}"),
    Case("--init=false {img}"),
    Case("--entrypoint '' {img} true"),
    Case("--restart always --rm {img}"),
    # started: what the engine does at start is the outcome compared
    Case("-d --privileged {img} true", verb="run"),
    Case("-d --rm -a stdout {img} true", verb="run"),
]


@pytest.fixture
def peers(client, unique, test_label, tmp_path):
    """A container with a volume (to share from, to link to), two networks, and files to read."""
    key, value = test_label.split("=")
    net = client.networks.create(
        f"{unique}-net",
        labels={key: value},
        ipam={"Config": [{"Subnet": "10.231.7.0/24"}]},
    )
    net6 = client.networks.create(
        f"{unique}-net6",
        labels={key: value},
        enable_ipv6=True,
        ipam={"Config": [{"Subnet": "10.231.8.0/24"}, {"Subnet": "2001:db8:231::/64"}]},
    )
    db = client.api.create_container(
        BASE_IMAGE, "sleep 60", name=f"{unique}-db", labels={key: value}, volumes=["/data"]
    )
    seccomp = tmp_path / "profile.json"
    seccomp.write_text('{\n  "defaultAction": "SCMP_ACT_ALLOW",\n  "syscalls": [ ]\n}\n')
    label_file = tmp_path / "labels"
    label_file.write_text("# labels\na=from-file\nb=from-file\n\n  spaced=yes\n")
    yield {
        "net": f"{unique}-net",
        "net6": f"{unique}-net6",
        "db": f"{unique}-db",
        "seccomp": str(seccomp),
        "label_file": str(label_file),
        "tmp": str(tmp_path),
        "unique": unique,
        "test_label": test_label,
    }
    client.api.remove_container(db["Id"], force=True, v=True)
    for n in (net, net6):
        n.remove()


def _version(binary: str) -> str:
    done = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=60)
    return done.stdout.split()[2].rstrip(",")  # "Docker version 20.10.24+dfsg1, build ..."


@functools.cache
def _clis() -> tuple[str, str | None]:
    """(the CLI on PATH, a newer one than docker.io's 20.10 found on this machine, if any)."""
    on_path = shutil.which("docker") or "docker"
    found = [shutil.which("docker", path=d) for d in os.environ.get("PATH", "").split(os.pathsep)]
    newer = [b for b in dict.fromkeys(found) if b and not _version(b).startswith("20.")]
    return on_path, (newer[0] if newer else None)


@dataclass
class Refused:
    """A refusal written in the case (what newer CLIs say), standing in for a CLI run."""

    words: str
    returncode: int = 125

    @property
    def stderr(self) -> bytes:
        return self.words.encode()


def _cli(case: Case, words: Callable[[str], list[str]]) -> subprocess.CompletedProcess | Refused:
    """Run the case's line through the reference CLI (see the module's docstring)."""
    on_path, newer = _clis()
    binary = on_path
    line = case.line
    if case.docker_io_only:
        assert os.path.exists(DOCKER_IO_CLI), "the set-up installs docker.io's CLI"
        binary = DOCKER_IO_CLI
    elif case.newer and _version(on_path).startswith("20."):
        if newer:
            binary = newer
        elif case.old_cli_line:
            line = case.old_cli_line
        else:
            assert case.refusal, "a case read only by newer CLIs says what they answer"
            return Refused(case.refusal)
    if binary == on_path:
        return docker_cli(*words(line), check=False)
    return subprocess.run([binary, *words(line)], capture_output=True, timeout=300, env={**os.environ})


def _engine_words(stderr: str) -> str | None:
    """The engine's own refusal in the CLI's error, if the engine refused (not the CLI)."""
    found = re.search(r"Error response from daemon: (.*)", stderr)
    return found.group(1).strip().rstrip(".") if found else None


@pytest.mark.parametrize("case", CASES, ids=str)
def test_create_matches_the_cli(ip, client, case, peers, unique, test_label):
    ip.run_line_magic("config", "DockerMagics.publish_host = '0.0.0.0'")
    names = {"cli": f"{unique}-cli", "magic": f"{unique}-magic"}
    try:
        outcome = {}
        for side, name in names.items():

            def words(line: str, labelled: bool = True, name: str = name) -> list[str]:
                label = ["--label", test_label] if labelled else []
                return [
                    case.verb,
                    *label,
                    "--name",
                    name,
                    *shlex.split(line.format(img=BASE_IMAGE, name=name, **peers)),
                ]

            if side == "cli":
                cli = _cli(case, words)
                outcome[side] = cli.stderr.decode() if cli.returncode else None
            else:
                try:
                    ip.run_line_magic("docker", " ".join(shlex.quote(w) for w in words(case.line, False)))
                    outcome[side] = None
                except UsageError as exc:
                    outcome[side] = str(exc)
        refusal = outcome["cli"]
        if refusal is not None and case.refusal:
            assert case.refusal in (outcome["magic"] or ""), (
                f"expected {case.refusal!r}: {outcome['magic']!r}"
            )
        if refusal is not None:
            assert outcome["magic"] is not None, (
                f"the CLI refused the line ({refusal.strip()}); %docker took it"
            )
            assert "\n" not in outcome["magic"]
            engine_words = _engine_words(refusal)
            if engine_words:  # in any order: the engine lists two networks in its map's order
                theirs = Counter(engine_words.replace(names["cli"], "<name>").replace(",", " ").split())
                ours = Counter(outcome["magic"].replace(names["magic"], "<name>").replace(",", " ").split())
                assert theirs <= ours, f"the engine said {engine_words!r}; %docker said {outcome['magic']!r}"
            return
        assert outcome["magic"] is None, f"the CLI took the line; %docker said: {outcome['magic']}"
        volumes: dict[str, str] = {}
        theirs = normalise(client.api.inspect_container(names["cli"]), names["cli"], volumes)
        volumes_ours: dict[str, str] = {}
        ours = normalise(client.api.inspect_container(names["magic"]), names["magic"], volumes_ours)
        assert ours == theirs
        if "--cidfile" in case.line:
            for name in names.values():
                path = os.path.join(peers["tmp"], f"{name}.cid")
                assert open(path).read() == client.api.inspect_container(name)["Id"]
    finally:
        ip.run_line_magic("config", "DockerMagics.publish_host = '127.0.0.1'")
        for name in names.values():
            docker_cli("rm", "-f", "-v", name, check=False)
