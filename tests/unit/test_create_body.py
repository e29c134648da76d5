"""actions/create_body.py: each flag's translation into the create request, without an engine."""

import os

import pytest

from dockermagic.actions.create_body import create_body, parse_mount, parse_publish
from dockermagic.commands.registry import parse_line
from dockermagic.errors import CommandError


def body(line: str, publish_host: str = "127.0.0.1", labels=None, exposed=None) -> dict:
    return create_body(parse_line(line), publish_host, labels or {}, exposed)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("80", [("80/tcp", "127.0.0.1", "")]),
        ("8080:80", [("80/tcp", "127.0.0.1", "8080")]),
        ("0.0.0.0:8080:80/udp", [("80/udp", "0.0.0.0", "8080")]),
        ("[::1]:8080:80", [("80/tcp", "::1", "8080")]),
        ("127.0.0.2::80", [("80/tcp", "127.0.0.2", "")]),
        ("7000-7001:8000-8001", [("8000/tcp", "127.0.0.1", "7000"), ("8001/tcp", "127.0.0.1", "7001")]),
        ("7000-7001:80", [("80/tcp", "127.0.0.1", "7000-7001")]),
    ],
)
def test_publish_forms(text, expected):
    assert parse_publish(text, "127.0.0.1") == expected


@pytest.mark.parametrize("text", ["http", "80:90:100:1", "8000-7000:80", "1-2:3-5", "70000"])
def test_bad_publish_is_one_line(text):
    with pytest.raises(CommandError, match="port") as info:
        parse_publish(text, "")
    assert "\n" not in str(info.value)


def test_ports_bind_the_publish_host_and_every_interface_means_empty():
    safe = body("run -p 80 -p 1.2.3.4:81:81 --expose 90 debian:bookworm")
    assert safe["HostConfig"]["PortBindings"] == {
        "80/tcp": [{"HostIp": "127.0.0.1", "HostPort": ""}],
        "81/tcp": [{"HostIp": "1.2.3.4", "HostPort": "81"}],
    }
    assert safe["ExposedPorts"] == {"80/tcp": {}, "81/tcp": {}, "90/tcp": {}}
    wide = body("run -p 80 debian:bookworm", publish_host="0.0.0.0")
    assert wide["HostConfig"]["PortBindings"] == {"80/tcp": [{"HostIp": "", "HostPort": ""}]}


def test_publish_all_binds_each_exposed_port_on_the_safe_host():
    safe = body("run -P --expose 90 debian:bookworm", exposed={"5432/tcp": {}})
    assert safe["HostConfig"]["PublishAllPorts"] is False
    assert safe["HostConfig"]["PortBindings"] == {
        "5432/tcp": [{"HostIp": "127.0.0.1", "HostPort": ""}],
        "90/tcp": [{"HostIp": "127.0.0.1", "HostPort": ""}],
    }
    wide = body("run -P debian:bookworm", publish_host="0.0.0.0", exposed={"5432/tcp": {}})
    assert wide["HostConfig"]["PublishAllPorts"] is True and wide["HostConfig"]["PortBindings"] == {}


def test_env_file_and_env_from_the_kernel(tmp_path, monkeypatch):
    path = tmp_path / "app.env"
    path.write_text("# comment\n  A=1\n\nFROM_KERNEL\nMISSING_HERE\nB=x=y\n")
    monkeypatch.setenv("FROM_KERNEL", "k")
    monkeypatch.delenv("MISSING_HERE", raising=False)
    made = body(f"run --env-file {path} -e C=3 -e FROM_KERNEL debian:bookworm")
    assert made["Env"] == ["A=1", "FROM_KERNEL=k", "B=x=y", "C=3", "FROM_KERNEL=k"]


def test_missing_env_file_names_it(tmp_path):
    with pytest.raises(CommandError, match="--env-file .*nope.env.*a file on this machine"):
        body(f"run --env-file {tmp_path / 'nope.env'} debian:bookworm")


def test_mounts():
    assert parse_mount("type=bind,src=/a,dst=/b,ro,bind-propagation=rshared") == {
        "Type": "bind",
        "Target": "/b",
        "Source": "/a",
        "ReadOnly": True,
        "BindOptions": {"Propagation": "rshared"},
    }
    assert parse_mount("type=tmpfs,target=/t,tmpfs-size=64m,tmpfs-mode=1770") == {
        "Type": "tmpfs",
        "Target": "/t",
        "TmpfsOptions": {"SizeBytes": 64 * 1024**2, "Mode": 0o1770},
    }
    assert parse_mount("source=data,target=/d,volume-nocopy,volume-opt=o=1") == {
        "Type": "volume",
        "Target": "/d",
        "Source": "data",
        "VolumeOptions": {"DriverConfig": {"Options": {"o": "1"}}, "NoCopy": True},
    }
    with pytest.raises(CommandError, match="target is required"):
        parse_mount("type=volume,src=x")
    with pytest.raises(CommandError, match="unknown field 'colour'"):
        parse_mount("colour=red,target=/x")


def test_volumes_relative_paths_become_absolute_and_anonymous_ones_are_volumes():
    made = body("run -v ./data:/d:ro -v /abs:/a -v /anon debian:bookworm")
    assert made["HostConfig"]["Binds"] == [os.path.abspath("data") + ":/d:ro", "/abs:/a"]
    assert made["Volumes"] == {"/anon": {}}


def test_host_config_translations():
    host = body(
        "run --restart on-failure:3 --cap-add net_admin --cap-drop ALL --add-host h=10.0.0.1 "
        "--add-host g:10.0.0.2 --device /dev/fuse --device /dev/a:/dev/b:r -m 1g --cpus 1.5 "
        "--shm-size 128m --init --read-only --privileged --rm debian:bookworm"
    )["HostConfig"]
    assert host["RestartPolicy"] == {"Name": "on-failure", "MaximumRetryCount": 3}
    assert host["CapAdd"] == ["CAP_NET_ADMIN"] and host["CapDrop"] == ["ALL"]
    assert host["ExtraHosts"] == ["h:10.0.0.1", "g:10.0.0.2"]
    assert host["Devices"] == [
        {"PathOnHost": "/dev/fuse", "PathInContainer": "/dev/fuse", "CgroupPermissions": "rwm"},
        {"PathOnHost": "/dev/a", "PathInContainer": "/dev/b", "CgroupPermissions": "r"},
    ]
    assert (host["Memory"], host["NanoCpus"], host["ShmSize"]) == (1024**3, 1_500_000_000, 128 * 1024**2)
    assert host["Init"] and host["ReadonlyRootfs"] and host["Privileged"] and host["AutoRemove"]
    assert body("run debian:bookworm")["HostConfig"]["RestartPolicy"] == {
        "Name": "no",
        "MaximumRetryCount": 0,
    }


def test_attach_and_stdin_follow_the_clis_rules():
    foreground = body("run -i debian:bookworm cat")
    assert (foreground["AttachStdin"], foreground["OpenStdin"], foreground["StdinOnce"]) == (True, True, True)
    detached = body("run -di debian:bookworm cat")
    assert (detached["AttachStdin"], detached["AttachStdout"], detached["OpenStdin"]) == (False, False, True)
    created = body("create -t debian:bookworm")
    assert created["AttachStdout"] and created["Tty"] and not created["OpenStdin"]


def test_labels_the_users_and_the_sessions():
    made = body("run -l team=data -l flag debian:bookworm", labels={"dockermagic.session": "s1"})
    assert made["Labels"] == {"team": "data", "flag": "", "dockermagic.session": "s1"}


def test_healthcheck_and_its_conflicts():
    made = body("run --health-cmd 'pg_isready' --health-interval 5s --health-retries 2 debian:bookworm")
    assert made["Healthcheck"] == {
        "Test": ["CMD-SHELL", "pg_isready"],
        "Interval": 5 * 10**9,
        "Timeout": 0,
        "StartPeriod": 0,
        "Retries": 2,
    }
    assert body("run --no-healthcheck debian:bookworm")["Healthcheck"] == {"Test": ["NONE"]}
    assert "Healthcheck" not in body("run debian:bookworm")
    with pytest.raises(CommandError, match="conflicts"):
        body("run --no-healthcheck --health-cmd true debian:bookworm")


def test_network_aliases_need_a_network():
    made = body("run --network net --network-alias db --network-alias pg debian:bookworm")
    assert made["NetworkingConfig"] == {"EndpointsConfig": {"net": {"Aliases": ["db", "pg"]}}}
    with pytest.raises(CommandError, match="needs --network"):
        body("run --network-alias db debian:bookworm")


def test_command_entrypoint_and_identity():
    made = body(
        "run --entrypoint sh -w /srv -u 1000 -h box --stop-signal SIGINT debian:bookworm -c 'echo hi'"
    )
    assert (made["Entrypoint"], made["Cmd"]) == (["sh"], ["-c", "echo hi"])
    assert (made["WorkingDir"], made["User"], made["Hostname"], made["StopSignal"]) == (
        "/srv",
        "1000",
        "box",
        "SIGINT",
    )
    assert body("run debian:bookworm")["Cmd"] is None and body("run debian:bookworm")["Entrypoint"] is None


def test_bad_tmpfs_options_are_one_line():
    with pytest.raises(CommandError, match="tmpfs-size takes a size"):
        parse_mount("type=tmpfs,target=/t,tmpfs-size=lots")
    with pytest.raises(CommandError, match="octal mode"):
        parse_mount("type=tmpfs,target=/t,tmpfs-mode=rwx")
