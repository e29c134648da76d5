"""The stats view on recorded-shape samples: the CLI's figures, the table, the static charts (CSS bars)."""

import re

import pytest

from dockermagic.commands import parse_line
from dockermagic.commands.stats import StatsSpec
from dockermagic.views.stats import StatsView, row

from ._viewdata import XSS_IMG


def sample(total, system, usage=50 * 2**20, rx=1000, read=4096, name="/web"):
    return {
        "id": "3bc61fd51da1" + "0" * 52,
        "name": name,
        "cpu_stats": {"cpu_usage": {"total_usage": total}, "system_cpu_usage": system, "online_cpus": 2},
        "precpu_stats": {"cpu_usage": {"total_usage": 1_000}, "system_cpu_usage": 10_000},
        "memory_stats": {"usage": usage + 2**20, "stats": {"cache": 2**20}, "limit": 2**30},
        "networks": {"eth0": {"rx_bytes": rx, "tx_bytes": 500}, "eth1": {"rx_bytes": 24, "tx_bytes": 0}},
        "blkio_stats": {
            "io_service_bytes_recursive": [{"op": "Read", "value": read}, {"op": "Write", "value": 0}]
        },
        "pids_stats": {"current": 3},
    }


def test_a_row_has_the_clis_figures():
    r = row(sample(total=1_000 + 250, system=10_000 + 1_000))
    assert {k: v for k, v in r.items() if not k.startswith("_")} == {
        "ID": "3bc61fd51da1",
        "Container": "3bc61fd51da1",
        "Name": "web",
        "CPUPerc": "50.00%",  # 250 of 1000 system ticks, on 2 CPUs
        "MemUsage": "50MiB / 1GiB",  # the page cache is not counted, as the CLI does
        "MemPerc": "4.88%",
        "NetIO": "1.02kB / 500B",
        "BlockIO": "4.1kB / 0B",
        "PIDs": "3",
    }


def test_text_is_the_latest_snapshot_and_html_charts_every_sample():
    view = StatsView(["web"])
    for i in range(1, 6):
        view.add("web", row(sample(total=1_000 + 100 * i, system=11_000, rx=1000 * i, name=f"/{XSS_IMG}")))
    lines = view.text().splitlines()
    assert lines[0].split()[:5] == ["CONTAINER", "ID", "NAME", "CPU", "%"] and "100.00%" in lines[1]
    assert len(lines) == 2 and len(view) == 1 and view.rows[0]["CPUPerc"] == "100.00%"
    html = view.html()
    assert XSS_IMG not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    # CSS bars, not SVG (the sanitizer of untrusted notebooks drops SVG, keeps inline styles)
    assert "<svg" not in html and html.count("class='dm-stats-series'") == 4 and "(5 samples)" in html
    cpu, mem, net, block = html.split("class='dm-stats-series'")[1:]
    assert cpu.count("dm-stats-bar") == 5 and net.count("dm-stats-bar") == 4  # a bar per sample; rates
    heights = [int(h) for h in re.findall(r"height:(\d+)px;background", cpu)]
    assert heights == sorted(heights) and heights[0] < heights[-1] <= 22  # CPU rose: the bars grow


def test_nothing_running_says_so():
    assert StatsView([]).text() == "[no running containers: %docker stats -a includes stopped ones]"


def test_to_pandas_is_the_snapshot():
    pytest.importorskip("pandas")
    view = StatsView(["web"])
    view.add("web", row(sample(total=1_250, system=11_000)))
    frame = view.to_pandas()
    assert list(frame.columns)[:3] == ["CONTAINER ID", "NAME", "CPU %"] and frame.iloc[0]["CPU %"] == "50.00%"


def test_parsing():
    assert parse_line("stats") == StatsSpec()
    assert parse_line("stats -a --no-stream --format '{{.Name}}' a b") == StatsSpec(
        ("a", "b"), True, True, "{{.Name}}"
    )
