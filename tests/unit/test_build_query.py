"""The classic builder's query for build's flags, named as the CLI's client names them
(``imageBuildOptionsToQuery``), and ``--compress``'s gzipped context."""

from __future__ import annotations

import gzip
import io
import json

from dockermagic.engine.build import BuildOptions, _params, compressed


def test_each_flag_has_the_clis_query_name_and_unset_ones_are_not_sent():
    query = _params(
        BuildOptions(
            tags=("a:1", "a:2"),
            extra_hosts=("h:10.0.0.1", "g:::1"),
            cache_from=("x", "y"),
            security_opt=("label=disable",),
            ulimits=({"Name": "nofile", "Soft": 1, "Hard": 2},),
            network="none",
            cgroup_parent="/p",
            isolation="hyperv",
            cpu_period=50000,
            cpu_quota=25000,
            cpu_shares=512,
            cpuset_cpus="0",
            cpuset_mems="0",
            memory=1 << 26,
            memory_swap=-1,
            shm_size=1 << 25,
            squash=True,
        )
    )
    assert query == {
        "t": "a:1",
        "rm": True,
        "forcerm": True,
        "extrahosts": ["h:10.0.0.1", "g:::1"],
        "securityopt": ["label=disable"],
        "networkmode": "none",
        "cgroupparent": "/p",
        "isolation": "hyperv",
        "cpuperiod": 50000,
        "cpuquota": 25000,
        "cpushares": 512,
        "cpusetcpus": "0",
        "cpusetmems": "0",
        "memory": 1 << 26,
        "memswap": -1,
        "shmsize": 1 << 25,
        "squash": True,
        "cachefrom": json.dumps(["x", "y"]),
        "ulimits": json.dumps([{"Name": "nofile", "Soft": 1, "Hard": 2}]),
    }
    assert _params(BuildOptions(network="default", isolation="default")) == {"rm": True, "forcerm": True}


def test_compress_gzips_the_context_as_it_is():
    tar = bytes(range(256)) * 1000
    packed = compressed(io.BytesIO(tar)).read()
    assert packed[:2] == b"\x1f\x8b" and len(packed) < len(tar) and gzip.decompress(packed) == tar
