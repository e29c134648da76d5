"""``network create``'s address flags grouped per subnet, by the CLI's rules (its
``createIPAMConfig``): a range, gateway or auxiliary address goes to the subnet that holds it."""

from __future__ import annotations

import pytest

from dockermagic.errors import CommandError
from dockermagic.parsing.ipam import Pool, pools


def test_each_address_goes_to_the_subnet_that_holds_it_not_to_the_one_at_its_position():
    found = pools(
        ["10.1.0.0/16", "fd00:1::/64"],
        ip_ranges=["10.1.5.0/24"],
        gateways=["fd00:1::1", "10.1.5.254"],
        aux_addresses={"a": "10.1.1.5", "b": "fd00:1::5", "c": ""},
    )
    assert found == (
        Pool("10.1.0.0/16", "10.1.5.0/24", "10.1.5.254", (("a", "10.1.1.5"),)),
        Pool("fd00:1::/64", None, "fd00:1::1", (("b", "fd00:1::5"),)),
    )
    assert found[0].body() == {
        "Subnet": "10.1.0.0/16",
        "IPRange": "10.1.5.0/24",
        "Gateway": "10.1.5.254",
        "AuxiliaryAddresses": {"a": "10.1.1.5"},
    }
    assert found[1].body() == {
        "Subnet": "fd00:1::/64",
        "Gateway": "fd00:1::1",
        "AuxiliaryAddresses": {"b": "fd00:1::5"},
    }


def test_a_range_is_sent_as_its_network_and_a_subnet_as_written():
    assert pools(["10.2.0.0/16"], ["10.2.3.7/24"]) == (Pool("10.2.0.0/16", "10.2.3.0/24"),)
    assert pools([]) == ()


@pytest.mark.parametrize(
    "subnets, ranges, gateways, aux, words",
    [
        ([], ["10.0.0.0/24"], [], {}, "corresponding --subnet"),
        (["10.0.0.0/24", "10.1.0.0/24"], [], ["10.0.0.1", "10.0.0.2"], {}, "multiple gateways"),
        (["10.0.0.0/16", "10.0.1.0/24"], [], [], {}, "overlapping"),
        (["10.0.0.0/24"], ["10.9.0.0/24"], [], {}, "no matching subnet for --ip-range 10.9.0.0/24"),
        (["10.0.0.0/24", "10.1.0.0/24"], ["10.0.0.0/25", "10.0.0.128/25"], [], {}, "multiple ranges"),
        (["10.0.0.0/24"], [], ["10.1.0.1"], {}, "no matching subnet for --gateway"),
        (["10.0.0.0/24"], [], [], {"x": "10.1.0.1"}, "no matching subnet for --aux-address"),
        (["10.0.0.0/33"], [], [], {}, "--subnet '10.0.0.0/33'"),
        (["10.0.0.0/24"], [], ["not-an-ip"], {}, "--gateway 'not-an-ip'"),
    ],
)
def test_what_the_cli_refuses_is_refused_in_one_line(subnets, ranges, gateways, aux, words):
    with pytest.raises(CommandError) as info:
        pools(subnets, ranges, gateways, aux)
    assert words in str(info.value) and "\n" not in str(info.value)
