"""``network create``'s address flags, grouped per subnet as the docker CLI groups them.

``--subnet`` may be repeated; each ``--ip-range``, ``--gateway`` and ``--aux-address`` belongs to the
subnet that contains it (not to the one written at the same position), and a subnet takes at most
one range and one gateway. The CLI's errors for the other cases are kept, in one line each.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from ..errors import CommandError

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class Pool:
    """One entry of the engine's ``IPAM.Config``."""

    subnet: str
    ip_range: str | None = None
    gateway: str | None = None
    aux_addresses: tuple[tuple[str, str], ...] = field(default=())

    def body(self) -> dict[str, object]:
        """The Engine API's form: ``Subnet``, and ``IPRange``, ``Gateway``, ``AuxiliaryAddresses`` where given."""
        given = {
            "IPRange": self.ip_range,
            "Gateway": self.gateway,
            "AuxiliaryAddresses": dict(self.aux_addresses),
        }
        return {"Subnet": self.subnet, **{key: value for key, value in given.items() if value}}


def _network(text: str, flag: str) -> Network:
    try:
        return ipaddress.ip_network(text, strict=False)
    except ValueError:
        raise CommandError(
            f"{flag} {text!r}: use an address range in CIDR form, e.g. 172.28.0.0/16."
        ) from None


def _address(text: str, flag: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        raise CommandError(f"{flag} {text!r}: use an IPv4 or IPv6 address, e.g. 172.28.5.254.") from None


def _contains(subnet: Network, inner: Network | ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """The CLI's ``subnetMatches``: the subnet holds the address (a range's first address)."""
    first = (
        inner.network_address if isinstance(inner, ipaddress.IPv4Network | ipaddress.IPv6Network) else inner
    )
    return first.version == subnet.version and first in subnet


def _holders(parsed: list[tuple[str, Network]], value: Network | Address, given: str) -> list[str]:
    """The subnets (as written) that hold ``value``; none is the CLI's error."""
    holders = [text for text, net in parsed if _contains(net, value)]
    if not holders:
        raise CommandError(f"no matching subnet for {given}.")
    return holders


def _one_per_subnet(
    parsed: list[tuple[str, Network]],
    values: Iterable[str],
    read: Callable[[str, str], Network | Address],
    flag: str,
    clash: str,
) -> dict[str, str]:
    """Each value, keyed by the subnets that hold it; a subnet takes one at most (``clash``: the CLI's words)."""
    kept: dict[str, str] = {}
    for text in values:
        value = read(text, flag)
        for s in _holders(parsed, value, f"{flag} {text}"):
            if s in kept:
                raise CommandError(clash.format(new=text, old=kept[s], subnet=s))
            kept[s] = str(value)
    return kept


def pools(
    subnets: Iterable[str],
    ip_ranges: Iterable[str] = (),
    gateways: Iterable[str] = (),
    aux_addresses: Mapping[str, str] | None = None,
) -> tuple[Pool, ...]:
    """The IPAM pools the CLI sends for these flags, in the order the subnets were written."""
    subnets, ip_ranges, gateways = list(subnets), list(ip_ranges), list(gateways)
    if len(subnets) < len(ip_ranges) or len(subnets) < len(gateways):
        raise CommandError("every --ip-range or --gateway must have a corresponding --subnet.")
    parsed = [(text, _network(text, "--subnet")) for text in subnets]
    for i, (_, one) in enumerate(parsed):
        for _, other in parsed[:i]:
            if one.version == other.version and one.overlaps(other):
                raise CommandError("multiple overlapping --subnet configurations are not supported.")
    ranges = _one_per_subnet(
        parsed,
        ip_ranges,
        _network,
        "--ip-range",
        "cannot configure multiple ranges ({new}, {old}) on the same subnet ({subnet}).",
    )
    gates = _one_per_subnet(
        parsed,
        gateways,
        _address,
        "--gateway",
        "cannot configure multiple gateways ({new}, {old}) for the same subnet ({subnet}).",
    )
    aux: dict[str, dict[str, str]] = {text: {} for text, _ in parsed}
    for name, text in (aux_addresses or {}).items():
        if not text:
            continue
        address = _address(text, "--aux-address")
        for s in _holders(parsed, address, f"--aux-address {text}"):
            aux[s][name] = str(address)
    return tuple(Pool(s, ranges.get(s), gates.get(s), tuple(sorted(aux[s].items()))) for s, _ in parsed)
