"""parsing/container_values.py: the run/create flags' structured values, read as the docker CLI reads them.

The expected values are the CLI's own (docker.io's 20.10 and 28.x send the same
here), as its inspect documents show them; the engine parity tests
(tests/engine/test_parity_run_flags.py) check the same lines end to end.
"""

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dockermagic.parsing import container_values as cv


def test_mount_every_type_and_option():
    assert cv.mount("type=bind,src=/a,dst=/b,ro,bind-propagation=RSHARED,bind-nonrecursive") == {
        "Type": "bind",
        "Source": "/a",
        "Target": "/b",
        "ReadOnly": True,
        "BindOptions": {"Propagation": "rshared", "NonRecursive": True},
    }
    assert cv.mount("type=bind,source=./here,target=/h,readonly=false,bind-recursive=disabled") == {
        "Type": "bind",
        "Source": os.path.abspath("here"),
        "Target": "/h",
        "ReadOnly": False,
        "BindOptions": {"NonRecursive": True},
    }
    assert cv.mount(
        "source=data,target=/d,volume-nocopy,volume-opt=o=1,volume-label=a=b,volume-driver=local"
    ) == {
        "Type": "volume",
        "Source": "data",
        "Target": "/d",
        "VolumeOptions": {
            "Labels": {"a": "b"},
            "DriverConfig": {"Name": "local", "Options": {"o": "1"}},
            "NoCopy": True,
        },
    }
    assert cv.mount("type=tmpfs,destination=/t,tmpfs-size=64m,tmpfs-mode=1770") == {
        "Type": "tmpfs",
        "Target": "/t",
        "TmpfsOptions": {"SizeBytes": 64 * 1024**2, "Mode": 0o1770},
    }
    # quoted fields keep their commas, as the CLI's csv reader does
    assert cv.mount('target=/o,"volume-opt=o=size=1m,uid=1000"')["VolumeOptions"]["DriverConfig"] == {
        "Options": {"o": "size=1m,uid=1000"}
    }


@pytest.mark.parametrize(
    "text, words",
    [
        ("type=volume,src=x", "target is required"),
        ("colour=red,target=/x", "unexpected key 'colour'"),
        ("type=tmpfs,target=/t,volume-nocopy", "cannot mix 'volume-*' options with mount type 'tmpfs'"),
        ("type=volume,target=/t,bind-propagation=shared", "cannot mix 'bind-*'"),
        ("type=bind,target=/t,tmpfs-size=1m", "cannot mix 'tmpfs-*'"),
        ("type=tmpfs,target=/t,tmpfs-size=lots", "invalid value for tmpfs-size: lots"),
        ("type=tmpfs,target=/t,tmpfs-mode=rwx", "invalid value for tmpfs-mode"),
        ("target=/t,readonly=maybe", "invalid value for readonly"),
        ("target=/t,nonsense", "must be a key=value pair"),
        ("type=bind,target=/t,bind-recursive=readonly,ro", "needs engine API 1.44"),
        ("target=/t,volume-subpath=x", "needs engine API 1.45"),
        ("type=bind,target=/t,bind-recursive=sometimes", 'must be "enabled", "disabled"'),
    ],
)
def test_bad_mounts_say_what_is_wrong(text, words):
    with pytest.raises(ValueError, match=words.replace("*", r"\*").replace("(", r"\(")):
        cv.mount(text)


def test_network_short_and_long_forms():
    assert cv.network("my-net") == {"Target": "my-net"}
    assert cv.network("container:db") == {"Target": "container:db"}
    # the CLI lower-cases the long form's values too (alias=Web is the alias "web")
    assert cv.network("name=front,ip=10.0.0.9,alias=Web,alias=www,driver-opt=com.x.y=1,ip6=2001:db8::9") == {
        "Target": "front",
        "Aliases": ["web", "www"],
        "IPv4Address": "10.0.0.9",
        "IPv6Address": "2001:db8::9",
        "DriverOpts": {"com.x.y": "1"},
    }
    assert cv.network("name=n,link-local-ip=169.254.1.1,link-local-ip=fe80::1")["LinkLocalIPs"] == [
        "169.254.1.1",
        "fe80::1",
    ]
    for text, words in [
        ("alias=x,ip=1.2.3.4", "network name/id is not specified"),
        ("name=n,colour=red", "invalid field key colour"),
        ("name=n,mac-address=92:d0:c6:0a:29:33", "needs engine API 1.44"),
        ("name=n,gw-priority=1", "needs engine API 1.48"),
        ("name=n,driver-opt=novalue", "invalid key value pair"),
    ]:
        with pytest.raises(ValueError, match=words):
            cv.network(text)
    assert [cv.is_user_defined(n) for n in ("default", "bridge", "host", "none", "container:x", "mine")] == [
        False,
        False,
        False,
        False,
        False,
        True,
    ]


@pytest.mark.parametrize(
    "text, sent",
    [
        ("h=[2001:db8::33]", "h:2001:db8::33"),
        ("h:2001:db8::33", "h:2001:db8::33"),
        ("k:[::1]", "k:::1"),
        ("x=1.2.3.4", "x:1.2.3.4"),
        ("g:10.0.0.2", "g:10.0.0.2"),
        ("host.docker.internal:host-gateway", "host.docker.internal:host-gateway"),
        ("v4=[10.0.0.1]", "v4:10.0.0.1"),
    ],
)
def test_add_host_forms(text, sent):
    assert cv.extra_host(text) == sent


@pytest.mark.parametrize("text", ["nohost", "=1.2.3.4", "h:not-an-ip", "h=[]", ":1.2.3.4"])
def test_bad_add_host(text):
    with pytest.raises(ValueError, match="add-host"):
        cv.extra_host(text)


def test_ulimits():
    assert cv.ulimit("nofile=1024:2048") == {"Name": "nofile", "Soft": 1024, "Hard": 2048}
    assert cv.ulimit("nproc=100") == {"Name": "nproc", "Soft": 100, "Hard": 100}
    assert cv.ulimit("core=-1") == {"Name": "core", "Soft": -1, "Hard": -1}
    assert cv.ulimit("core=0:-1") == {"Name": "core", "Soft": 0, "Hard": -1}
    # several: the last of a name wins, sorted by name
    given = tuple(cv.ulimit(t) for t in ("nproc=1", "nofile=1:2", "nproc=5"))
    assert [u["Name"] for u in cv.ulimits(given)] == ["nofile", "nproc"] and cv.ulimits(given)[1]["Soft"] == 5
    for text, words in [
        ("nofile", "invalid ulimit argument"),
        ("as=1", "invalid ulimit type: as"),
        ("nofile=2:1", "soft limit must be less than or equal to hard limit: 2 > 1"),
        ("nofile=-1:10", "soft: -1"),
        ("nofile=1:2:3", "too many limit value arguments"),
        ("nofile=lots", "invalid syntax"),
    ]:
        with pytest.raises(ValueError, match=words):
            cv.ulimit(text)


def test_gpus_as_device_requests():
    assert cv.gpu_request("all") == {
        "Driver": "",
        "Count": -1,
        "DeviceIDs": None,
        "Capabilities": [["gpu"]],
        "Options": {},
    }
    assert cv.gpu_request("2")["Count"] == 2
    assert cv.gpu_request('"device=0,1",capabilities=compute,driver=nvidia') == {
        "Driver": "nvidia",
        "Count": 0,
        "DeviceIDs": ["0", "1"],
        "Capabilities": [["compute", "gpu"]],
        "Options": {},
    }
    assert cv.gpu_request('count=1,"options=a=1,b=2"')["Options"] == {"a": "1", "b": "2"}
    assert cv.gpu_request("driver=nvidia")["Count"] == 1
    for text, words in [
        ("count=2,count=3", "only once"),
        ("lots", "invalid count"),
        ("colour=red", "unexpected key"),
    ]:
        with pytest.raises(ValueError, match=words):
            cv.gpu_request(text)


def test_block_io_devices():
    assert cv.weight_device("/dev/sda:200") == {"Path": "/dev/sda", "Weight": 200}
    assert cv.weight_device("/dev/sda:0") == {"Path": "/dev/sda", "Weight": 0}
    assert cv.throttle_bps("/dev/sda:1mb") == {"Path": "/dev/sda", "Rate": 1024**2}
    assert cv.throttle_iops("/dev/sda:100") == {"Path": "/dev/sda", "Rate": 100}
    for reader, text, words in [
        (cv.weight_device, "/dev/sda:5", "invalid weight"),
        (cv.weight_device, "/dev/sda:1001", "invalid weight"),
        (cv.weight_device, "sda:100", "bad format for device path"),
        (cv.throttle_bps, "/dev/sda", "bad format"),
        (cv.throttle_bps, "/dev/sda:fast", "invalid rate"),
        (cv.throttle_iops, "/dev/sda:1mb", "invalid rate"),
    ]:
        with pytest.raises(ValueError, match=words):
            reader(text)


def test_modes_and_single_values():
    assert cv.pid_mode("host") == "host" and cv.pid_mode("container:db") == "container:db"
    assert cv.cgroupns_mode("private") == "private" and cv.userns_mode("host") == "host"
    for reader, text, words in [
        (cv.pid_mode, "container:", "--pid: invalid PID mode"),
        (cv.pid_mode, "private", "--pid: invalid PID mode"),
        (cv.uts_mode, "container:x", "--uts: invalid UTS mode"),
        (cv.userns_mode, "private", "--userns: invalid USER mode"),
        (cv.cgroupns_mode, "shared", "--cgroupns: invalid CGROUP mode"),
        (cv.device_cgroup_rule, "x 1:3 mr", "invalid device cgroup format"),
        (cv.device_cgroup_rule, "c 1:3 rwmx", "invalid device cgroup format"),
        (cv.sysctl, "vm.swappiness=1", "not allowed"),
        (cv.sysctl, "net.ipv4.ip_forward", "not allowed"),
        (cv.security_opt, "bogus", "invalid --security-opt"),
        (cv.security_opt, "seccomp=", "invalid --security-opt"),
        (cv.storage_opt, "size", "invalid storage option"),
        (cv.swappiness, "101", "Valid memory swappiness range is 0-100"),
        (cv.attach_stream, "stdall", "valid streams are STDIN, STDOUT and STDERR"),
        (cv.pull_policy, "sometimes", "invalid pull option: 'sometimes'"),
        (cv.mac_address, "92:d0:c6", "not a valid mac address"),
        (cv.ip_address, "1.2.3", "IP address is not correctly formatted"),
        (cv.dns_search, "-bad-", "not a valid domain"),
        (cv.link, "a:b:c", "bad format for links"),
        (cv.blkio_weight, "70000", "invalid syntax"),
    ]:
        with pytest.raises(ValueError, match=words):
            reader(text)
    assert cv.device_cgroup_rule("a *:* rwm") == "a *:* rwm"
    assert cv.sysctl("kernel.msgmax=65536") and cv.sysctl("fs.mqueue.msg_max=10")
    assert cv.security_opt("no-new-privileges") and cv.security_opt("apparmor:unconfined")
    assert cv.ip_address("2001:4860:4860:0:0:0:0:8888") == "2001:4860:4860::8888"
    assert cv.dns_search("example.com.") == "example.com" and cv.dns_search(".") == "."
    assert cv.memory_swap("-1") == -1 and cv.memory_swap("1g") == 1024**3
    assert cv.attach_stream("STDERR") == "stderr" and cv.pull_policy("") == "missing"
    assert cv.tmpfs("/run:rw,size=64m") == ("/run", "rw,size=64m") and cv.tmpfs("/x") == ("/x", "")
    assert cv.key_values(("a=1", "b", "a=2", "c=x=y")) == {"a": "2", "b": "", "c": "x=y"}


READERS = [
    cv.mount,
    cv.network,
    cv.extra_host,
    cv.ulimit,
    cv.gpu_request,
    cv.weight_device,
    cv.throttle_bps,
    cv.throttle_iops,
    cv.device_cgroup_rule,
    cv.memory_swap,
    cv.swappiness,
    cv.blkio_weight,
    cv.pid_mode,
    cv.cgroupns_mode,
    cv.security_opt,
    cv.sysctl,
    cv.storage_opt,
    cv.attach_stream,
    cv.pull_policy,
    cv.mac_address,
    cv.ip_address,
    cv.dns_search,
    cv.link,
    cv.int64,
    cv.boolean,
]


@pytest.mark.parametrize("reader", READERS, ids=lambda r: r.__name__)
@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet=st.sampled_from('ab=,:"[]/.-*01 9\n\\dev'), max_size=40) | st.text(max_size=30))
def test_any_text_gives_a_value_or_the_flags_error(reader, text):
    """The grammar turns ValueError into the flag's one-line error; anything else would be a traceback."""
    try:
        reader(text)
    except ValueError:
        pass
