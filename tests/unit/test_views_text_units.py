"""The text faces' units, as the docker CLI prints them: durations (go-units HumanDuration),
sizes (decimal for images, binary for stats), the PORTS column, key/value listings."""

import pytest

from dockermagic.views.base import KeyValues, binary_size, human_size
from dockermagic.views.timefmt import ago, human_duration, ports_text

HOUR = 3600


@pytest.mark.parametrize(
    "seconds, text",
    [
        (0.9, "Less than a second"),
        (1.9, "1 second"),
        (2, "2 seconds"),
        (59, "59 seconds"),
        (60, "About a minute"),
        (119, "About a minute"),
        (120, "2 minutes"),
        (3599, "59 minutes"),
        (HOUR, "About an hour"),
        (1.5 * HOUR - 1, "About an hour"),  # hours are rounded
        (1.5 * HOUR, "2 hours"),
        (47.5 * HOUR - 1, "47 hours"),
        (47.5 * HOUR, "2 days"),
        (335 * HOUR, "13 days"),
        (336 * HOUR, "2 weeks"),
        (1439 * HOUR, "8 weeks"),
        (1440 * HOUR, "2 months"),
        (17519 * HOUR, "24 months"),
        (17520 * HOUR, "2 years"),
        (3 * 8760 * HOUR + 0.9 * HOUR, "3 years"),  # years from whole hours, not rounded ones
    ],
)
def test_durations_read_like_the_cli(seconds, text):
    assert human_duration(seconds) == text


def test_ago_counts_back_from_now():
    assert ago(1000.0, now=1000.0 + 7200) == "2 hours ago"
    assert ago(0.0, now=0.5) == "Less than a second ago"


@pytest.mark.parametrize(
    "size, text",
    [
        (None, ""),
        (0, "0B"),
        (999, "999B"),
        (1000, "1kB"),
        (1234567, "1.23MB"),
        (45_600_000_000, "45.6GB"),
        (1e12, "1TB"),
        (2.5e15, "2.5e+03TB"),
        (-1500, "-1.5kB"),
    ],
)
def test_image_sizes_are_decimal_with_three_digits(size, text):
    assert human_size(size) == text


@pytest.mark.parametrize(
    "size, text",
    [
        (None, "0B"),
        (1023, "1023B"),
        (1024, "1KiB"),
        (1.5 * 1024**2, "1.5MiB"),
        (1234 * 1024**3, "1.205TiB"),
        (2048 * 1024**4, "2048TiB"),
    ],
)
def test_stats_sizes_are_binary_with_four_digits(size, text):
    assert binary_size(size) == text


def port(private, public=None, ip="", proto="tcp"):
    p = {"PrivatePort": private, "Type": proto}
    if public:
        p.update(PublicPort=public, IP=ip)
    return p


@pytest.mark.parametrize(
    "ports, text",
    [
        ([], ""),
        ([port(80)], "80/tcp"),
        ([port(81), port(80), port(53, proto="udp")], "53/udp, 80-81/tcp"),
        ([port(80), port(82)], "80/tcp, 82/tcp"),
        (
            [port(8080, 32768, "127.0.0.1"), port(8081, 32769, "127.0.0.1")],
            "127.0.0.1:32768-32769->8080-8081/tcp",
        ),
        # consecutive container ports but host ports that are not: two items
        (
            [port(9000, 9005, "127.0.0.1"), port(9001, 9007, "127.0.0.1")],
            "127.0.0.1:9005->9000/tcp, 127.0.0.1:9007->9001/tcp",
        ),
        ([port(443, 8443, "::1")], "[::1]:8443->443/tcp"),
        ([port(80, 8080, "0.0.0.0"), port(80)], "0.0.0.0:8080->80/tcp, 80/tcp"),
    ],
)
def test_ports_column_folds_ranges_like_the_cli(ports, text):
    assert ports_text(ports) == text


def test_key_values_nest_with_two_spaces_and_join_lists():
    kv = KeyValues(
        "Server",
        {
            "Version": "20.10.24",
            "Components": [{"Name": "Engine", "Details": {"Os": "linux"}}],
            "Plugins": {"Volume": ["local", "nfs"]},
            "Empty": "",
            "Count": 0,
        },
    )
    assert kv.text() == (
        "Server:\n"
        "  Version: 20.10.24\n"
        "  Components:\n"
        "    Engine:\n"
        "      Details:\n"
        "        Os: linux\n"
        "  Plugins:\n"
        "    Volume: local, nfs\n"
        "  Empty:\n"
        "  Count: 0"
    )
    assert kv["Version"] == "20.10.24"
