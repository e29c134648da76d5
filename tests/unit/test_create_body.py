"""actions/create_body.py: each flag's translation into the create request, without an engine."""

import os

import pytest

from dockermagic.actions.create_body import create_body, parse_publish
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


def test_mounts_land_in_host_config_in_order():
    made = body("run --mount type=tmpfs,target=/t,tmpfs-size=1m --mount src=data,dst=/d,ro debian:bookworm")
    assert made["HostConfig"]["Mounts"] == [
        {"Type": "tmpfs", "Target": "/t", "TmpfsOptions": {"SizeBytes": 1024**2}},
        {"Type": "volume", "Source": "data", "Target": "/d", "ReadOnly": True},
    ]
    assert "Mounts" not in body("run debian:bookworm")["HostConfig"]


def test_volumes_relative_paths_become_absolute_and_anonymous_ones_are_volumes():
    made = body("run -v ./data:/d:ro -v /abs:/a -v /anon debian:bookworm")
    assert made["HostConfig"]["Binds"] == [os.path.abspath("data") + ":/d:ro", "/abs:/a"]
    assert made["Volumes"] == {"/anon": {}}


def test_host_config_translations():
    host = body(
        "run --restart on-failure:3 --cap-add net_admin --cap-drop ALL --add-host h=10.0.0.1 "
        "--add-host g:10.0.0.2 --device /dev/fuse --device /dev/a:/dev/b:r -m 1g --cpus 1.5 "
        "--shm-size 128m --init --read-only --privileged debian:bookworm"
    )["HostConfig"]
    assert host["RestartPolicy"] == {"Name": "on-failure", "MaximumRetryCount": 3}
    assert host["CapAdd"] == ["CAP_NET_ADMIN"] and host["CapDrop"] == ["ALL"]
    assert host["ExtraHosts"] == ["h:10.0.0.1", "g:10.0.0.2"]
    assert host["Devices"] == [
        {"PathOnHost": "/dev/fuse", "PathInContainer": "/dev/fuse", "CgroupPermissions": "rwm"},
        {"PathOnHost": "/dev/a", "PathInContainer": "/dev/b", "CgroupPermissions": "r"},
    ]
    assert (host["Memory"], host["NanoCpus"], host["ShmSize"]) == (1024**3, 1_500_000_000, 128 * 1024**2)
    assert host["Init"] and host["ReadonlyRootfs"] and host["Privileged"] and not host["AutoRemove"]
    assert body("run --rm debian:bookworm")["HostConfig"]["AutoRemove"]
    # Init travels only when the flag is written, as with the CLI
    assert body("run --init=false debian:bookworm")["HostConfig"]["Init"] is False
    assert "Init" not in body("run debian:bookworm")["HostConfig"]
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


def test_network_aliases_need_a_user_defined_network():
    made = body("run --network net --network-alias db --network-alias pg debian:bookworm")
    assert made["NetworkingConfig"] == {"EndpointsConfig": {"net": {"Aliases": ["db", "pg"]}}}
    assert made["HostConfig"]["NetworkMode"] == "net"
    for line in (
        "run --network-alias db debian:bookworm",
        "run --network bridge --network-alias db debian:bookworm",
    ):
        with pytest.raises(
            CommandError, match="only supported for user-defined networks: add --network NAME"
        ):
            body(line)


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


def test_bad_structured_values_are_the_flags_one_line_error():
    for line, words in [
        (
            "--mount type=tmpfs,target=/t,tmpfs-size=lots",
            '"--mount" flag: invalid value for tmpfs-size: lots',
        ),
        (
            "--ulimit nofile=2:1",
            '"--ulimit" flag: ulimit soft limit must be less than or equal to hard limit',
        ),
        ("--network name=n,colour=red", '"--network" flag: invalid field key colour'),
        ("--add-host nohost", '"--add-host" flag: bad format for add-host'),
        ("--gpus lots", '"--gpus" flag: invalid count'),
        ("--sysctl vm.swappiness=1", "\"--sysctl\" flag: sysctl 'vm.swappiness=1' is not allowed"),
        ("--pid private", '"--pid" flag: --pid: invalid PID mode'),
        ("-a stdall", '"-a" flag: valid streams are STDIN, STDOUT and STDERR'),
    ]:
        with pytest.raises(CommandError) as info:
            body(f"run {line} debian:bookworm")
        assert words in str(info.value) and "\n" not in str(info.value)


def test_networks_as_the_cli_sends_them():
    made = body(
        "run --network name=front,ip=10.0.0.9,alias=Web,driver-opt=k=v --ip6 2001:db8::9 "
        "--link db:database --link-local-ip 169.254.1.1 debian:bookworm"
    )
    assert made["HostConfig"]["NetworkMode"] == "front"
    assert made["HostConfig"]["Links"] == ["db:database"]
    assert made["NetworkingConfig"] == {
        "EndpointsConfig": {
            "front": {
                "Aliases": ["web"],
                "DriverOpts": {"k": "v"},
                "Links": ["db:database"],
                "IPAMConfig": {
                    "IPv4Address": "10.0.0.9",
                    "IPv6Address": "2001:db8::9",
                    "LinkLocalIPs": ["169.254.1.1"],
                },
            }
        }
    }
    # several networks: each its endpoint (the engine says whether it can connect them all at create)
    two = body("run --network a --network name=b,alias=x debian:bookworm")
    assert two["HostConfig"]["NetworkMode"] == "a"
    assert two["NetworkingConfig"] == {"EndpointsConfig": {"a": {}, "b": {"Aliases": ["x"]}}}
    # one network with nothing to say needs no endpoint; on the default network --ip still travels
    assert "NetworkingConfig" not in body("run --network a debian:bookworm")
    assert body("run --ip 10.0.0.5 debian:bookworm")["NetworkingConfig"] == {
        "EndpointsConfig": {"default": {"IPAMConfig": {"IPv4Address": "10.0.0.5"}}}
    }
    # on the default bridge a link is a legacy link only
    assert "NetworkingConfig" not in body("run --link db debian:bookworm")
    for line, words in [
        ("--network a --network a", "specified multiple times"),
        ("--network bridge --network a", "cannot attach both user-defined and non-user-defined"),
        ("--network name=a,alias=x --network-alias y", "conflicting options: --network-alias"),
        ("--network name=a,ip=10.0.0.1 --ip 10.0.0.2", "conflicting options: --ip"),
    ]:
        with pytest.raises(CommandError, match=words):
            body(f"run {line} debian:bookworm")


def test_security_logging_storage_and_namespaces(tmp_path):
    profile = tmp_path / "seccomp.json"
    profile.write_text('{\n  "defaultAction": "SCMP_ACT_ALLOW",\n  "syscalls": [ ]\n}\n')
    host = body(
        f"run --security-opt seccomp={profile} --security-opt apparmor:unconfined --security-opt no-new-privileges "
        "--security-opt systempaths=unconfined --log-driver json-file --log-opt max-size=1m --log-opt max-file=2 "
        "--tmpfs /run:rw,size=64m --tmpfs /x --sysctl net.ipv4.ip_forward=1 --storage-opt size=1G "
        "--pid host --ipc shareable --uts host --userns host --cgroupns private --isolation default "
        "--runtime runc --volume-driver local --volumes-from db:ro --cgroup-parent p --group-add audio "
        "--dns 2001:4860:4860:0:0:0:0:8888 --dns-opt ndots:2 --dns-search example.com --cidfile id.txt "
        "debian:bookworm"
    )["HostConfig"]
    assert host["SecurityOpt"] == [
        'seccomp={"defaultAction":"SCMP_ACT_ALLOW","syscalls":[]}',
        "apparmor:unconfined",
        "no-new-privileges",
    ]
    assert host["MaskedPaths"] == [] and host["ReadonlyPaths"] == []
    assert host["LogConfig"] == {"Type": "json-file", "Config": {"max-size": "1m", "max-file": "2"}}
    assert host["Tmpfs"] == {"/run": "rw,size=64m", "/x": ""}
    assert host["Sysctls"] == {"net.ipv4.ip_forward": "1"} and host["StorageOpt"] == {"size": "1G"}
    assert [
        host[k] for k in ("PidMode", "IpcMode", "UTSMode", "UsernsMode", "CgroupnsMode", "Isolation")
    ] == [
        "host",
        "shareable",
        "host",
        "host",
        "private",
        "default",
    ]
    assert (host["Runtime"], host["VolumeDriver"], host["VolumesFrom"]) == ("runc", "local", ["db:ro"])
    assert (host["CgroupParent"], host["GroupAdd"], host["ContainerIDFile"]) == ("p", ["audio"], "id.txt")
    assert (host["Dns"], host["DnsOptions"], host["DnsSearch"]) == (
        ["2001:4860:4860::8888"],
        ["ndots:2"],
        ["example.com"],
    )
    plain = body("run debian:bookworm")["HostConfig"]
    assert "MaskedPaths" not in plain and plain["LogConfig"] == {"Type": "", "Config": {}}
    assert plain["SecurityOpt"] is None and plain["Tmpfs"] is None
    with pytest.raises(CommandError, match="--log-opt has no meaning with --log-driver none"):
        body("run --log-driver none --log-opt a=b debian:bookworm")
    with pytest.raises(CommandError, match="seccomp=.*nope.json"):
        body(f"run --security-opt seccomp={tmp_path / 'nope.json'} debian:bookworm")


def test_resources_and_devices():
    host = body(
        "run -c 512 --cpu-period 100000 --cpu-quota 50000 --cpu-rt-period 1000 --cpu-rt-runtime 500 "
        "--cpuset-cpus 0-1 --cpuset-mems 0 --memory-reservation 32m --memory-swap -1 --memory-swappiness 10 "
        "--kernel-memory 64m --oom-kill-disable --oom-score-adj -100 --pids-limit -1 --blkio-weight 300 "
        "--blkio-weight-device /dev/sda:200 --device-read-bps /dev/sda:1mb --device-write-bps /dev/sda:2k "
        "--device-read-iops /dev/sda:100 --device-write-iops /dev/sda:200 --ulimit nproc=5 --ulimit nofile=1:2 "
        "--device-cgroup-rule 'c 1:3 mr' --gpus all --gpus device=1 debian:bookworm"
    )["HostConfig"]
    assert [
        host[k] for k in ("CpuShares", "CpuPeriod", "CpuQuota", "CpuRealtimePeriod", "CpuRealtimeRuntime")
    ] == [
        512,
        100000,
        50000,
        1000,
        500,
    ]
    assert (host["CpusetCpus"], host["CpusetMems"], host["MemoryReservation"]) == ("0-1", "0", 32 * 1024**2)
    assert (host["MemorySwap"], host["MemorySwappiness"], host["KernelMemory"]) == (-1, 10, 64 * 1024**2)
    assert (host["OomKillDisable"], host["OomScoreAdj"], host["PidsLimit"]) == (True, -100, -1)
    assert host["BlkioWeight"] == 300 and host["BlkioWeightDevice"] == [{"Path": "/dev/sda", "Weight": 200}]
    assert host["BlkioDeviceReadBps"] == [{"Path": "/dev/sda", "Rate": 1024**2}]
    assert host["BlkioDeviceWriteBps"] == [{"Path": "/dev/sda", "Rate": 2048}]
    assert host["BlkioDeviceReadIOps"] == [{"Path": "/dev/sda", "Rate": 100}]
    assert host["BlkioDeviceWriteIOps"] == [{"Path": "/dev/sda", "Rate": 200}]
    assert host["Ulimits"] == [
        {"Name": "nofile", "Soft": 1, "Hard": 2},
        {"Name": "nproc", "Soft": 5, "Hard": 5},
    ]
    assert host["DeviceCgroupRules"] == ["c 1:3 mr"]
    assert [(r["Count"], r["DeviceIDs"]) for r in host["DeviceRequests"]] == [(-1, None), (0, ["1"])]
    plain = body("run debian:bookworm")["HostConfig"]
    assert not any(k in plain for k in ("MemorySwappiness", "PidsLimit", "OomKillDisable"))
    assert plain["DeviceRequests"] is None and plain["Ulimits"] == []


def test_config_fields_of_the_new_flags(tmp_path):
    labels = tmp_path / "labels"
    labels.write_text("# team labels\na=file\nb=file\n")
    made = body(
        f"create --label-file {labels} -l b=flag --domainname example.org --mac-address 92:d0:c6:0a:29:33 "
        "--stop-timeout 7 -a stdout debian:bookworm",
        labels={"dockermagic.session": "s"},
    )
    assert made["Labels"] == {"a": "file", "b": "flag", "dockermagic.session": "s"}
    assert (made["Domainname"], made["MacAddress"], made["StopTimeout"]) == (
        "example.org",
        "92:d0:c6:0a:29:33",
        7,
    )
    assert (made["AttachStdin"], made["AttachStdout"], made["AttachStderr"]) == (False, True, False)
    assert "StopTimeout" not in body("run debian:bookworm") and "MacAddress" not in body(
        "run debian:bookworm"
    )
    attached = body("create -a stdin -a STDERR -i debian:bookworm")
    assert [attached[k] for k in ("AttachStdin", "AttachStdout", "AttachStderr", "StdinOnce")] == [
        True,
        False,
        True,
        True,
    ]
    with pytest.raises(CommandError, match="cannot specify both --attach and --detach"):
        body("run -d -a stdout debian:bookworm")
    with pytest.raises(CommandError, match="cannot specify both --restart and --rm"):
        body("run --rm --restart always debian:bookworm")


def test_refused_flags_say_why_and_pull_is_read():
    for line, words in [
        (
            "run --sig-proxy=false",
            "--sig-proxy is not supported by '%docker run': a kernel has no terminal signals",
        ),
        ("run --detach-keys ctrl-1", 'invalid argument "ctrl-1" for "--detach-keys" flag'),
        ("create --detach-keys ctrl-a,d", "unknown flag: --detach-keys"),
        ("create --use-api-socket", "this engine's socket and your registry credentials"),
        ("run --health-start-interval 1s", "needs engine API 1.44"),
        ("create --disable-content-trust=false", "Docker Content Trust"),
        ("run --pull sometimes", "invalid pull option: 'sometimes'"),
    ]:
        with pytest.raises(CommandError, match=words):
            parse_line(f"{line} debian:bookworm")
    shown = str(parse_line("run --help"))
    refused = shown[shown.index("Refused") :]
    for name in (
        "--sig-proxy",
        "--use-api-socket",
        "--health-start-interval",
        "--cpu-count",
    ):
        assert name in refused
    assert parse_line("run -it --detach-keys ctrl-a,d debian:bookworm").detach_keys == "ctrl-a,d"
    assert parse_line("run debian:bookworm").pull == "missing"
    assert parse_line("create --pull never -q debian:bookworm").pull == "never"
    assert parse_line("create --disable-content-trust debian:bookworm").disable_content_trust
