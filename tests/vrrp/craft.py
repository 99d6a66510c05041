#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
# craft.py - send hand-made VRRP adverts, valid or broken on purpose, for the hostile tests
#
# Every field can be set on its own, so one option breaks one thing:
#
#   craft.py --vrid 51 --prio 254 --pass secret            a valid VRRPv2 PASS advert
#   craft.py --vrid 51 --prio 254 --pass secret --ttl 254  the same with TTL 254
#   craft.py -6 --vrid 53 --addr fd77::200 --hlim 254      VRRPv3 over IPv6, hop limit 254
#
# The packet is built by hand (scapy only carries the Ethernet and IP headers), sent
# on --iface from the namespace this runs in, --repeat times, --gap seconds apart.
# Run with the system python (/usr/bin/python3), which has scapy.
import argparse
import ipaddress
import struct
import sys
import time

from scapy.layers.inet import IP
from scapy.layers.inet6 import IPv6
from scapy.layers.l2 import Ether
from scapy.packet import Raw
from scapy.sendrecv import sendp
from scapy.config import conf

PROTO_VRRP = 112


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def pseudo(src, dst, length, v6):
    s = ipaddress.ip_address(src).packed
    d = ipaddress.ip_address(dst).packed
    if v6:
        return s + d + struct.pack("!I3xB", length, PROTO_VRRP)
    return s + d + struct.pack("!xBH", PROTO_VRRP, length)


def link_local(iface):
    """The interface's fe80:: address, from /proc/net/if_inet6."""
    with open("/proc/net/if_inet6") as f:
        for line in f:
            hexaddr, _idx, _plen, scope, _flags, name = line.split()
            if name == iface and scope == "20":
                return str(ipaddress.IPv6Address(bytes.fromhex(hexaddr)))
    sys.exit(f"craft.py: no link-local address on {iface}")


def vrrp_message(a, src, dst):
    """The VRRP message with its checksum; broken as the options ask."""
    addrs = b"".join(ipaddress.ip_address(x).packed for x in a.addr)
    count = len(a.addr) if a.count is None else a.count
    first = (a.vfield if a.vfield is not None else a.version) << 4 | a.type
    if a.version == 2:
        interval = 1 if a.interval is None else a.interval
        auth = (a.password or "").encode()[:8].ljust(8, b"\0")
        auth_type = a.auth_type if a.auth_type is not None else (1 if a.password else 0)
        head = struct.pack("!BBBBBBH", first, a.vrid, a.prio, count, auth_type, interval, 0)
        msg = head + addrs + auth
        check = csum(msg)
    else:
        interval = 100 if a.interval is None else a.interval
        head = struct.pack("!BBBBHH", first, a.vrid, a.prio, count, interval & 0xFFFF, 0)
        msg = head + addrs
        cover = msg if a.v3_as_v2 else pseudo(src, dst, len(msg), a.family == 6) + msg
        check = csum(cover)
    if a.bad_csum:
        check ^= 0x5A5A
    msg = msg[:6] + struct.pack("!H", check) + msg[8:]
    if a.truncate is not None:
        msg = msg[: a.truncate]
    return msg


def build(a):
    v6 = a.family == 6
    src = a.src or (link_local(a.iface) if v6 else "10.77.0.100")
    dst = a.dst or ("ff02::12" if v6 else "224.0.0.18")
    msg = vrrp_message(a, src, dst)
    if v6:
        mac = "33:33:00:00:00:12" if dst == "ff02::12" else None
        ip = IPv6(src=src, dst=dst, nh=PROTO_VRRP, hlim=a.hlim, tc=0xC0)
    else:
        mac = "01:00:5e:00:00:12" if dst == "224.0.0.18" else None
        ip = IP(src=src, dst=dst, proto=PROTO_VRRP, ttl=a.ttl, tos=0xC0)
    if a.size:
        # pad the whole IP packet to --size bytes with junk after the message
        hdr = 40 if v6 else 20
        msg += bytes((i * 7) & 0xFF for i in range(max(0, a.size - hdr - len(msg))))
    with open(f"/sys/class/net/{a.iface}/address") as f:
        own = f.read().strip()
    # a bridge drops frames without a valid source MAC: give ours
    eth = Ether(src=own, dst=a.dmac or mac or "ff:ff:ff:ff:ff:ff")
    return eth / ip / Raw(load=msg)


def main():
    p = argparse.ArgumentParser(description="send crafted VRRP adverts")
    p.add_argument("-6", dest="family", action="store_const", const=6, default=4,
                   help="IPv6 (VRRPv3)")
    p.add_argument("--iface", default="eth0")
    p.add_argument("--version", type=int, choices=(2, 3), help="layout (default 2, 3 for -6)")
    p.add_argument("--vfield", type=int, help="value of the version field (default: --version)")
    p.add_argument("--type", type=int, default=1, help="type field (1 = advertisement)")
    p.add_argument("--vrid", type=int, required=True)
    p.add_argument("--prio", type=int, default=254)
    p.add_argument("--addr", action="append", default=[], help="advertised address, repeatable")
    p.add_argument("--count", type=int, help="address count field (default: number of --addr)")
    p.add_argument("--interval", type=int, help="v2 seconds (default 1), v3 centiseconds (100)")
    p.add_argument("--pass", dest="password", help="v2 PASS password (sets auth type 1)")
    p.add_argument("--auth-type", type=int, help="v2 auth type field")
    p.add_argument("--bad-csum", action="store_true", help="corrupt the checksum")
    p.add_argument("--v3-as-v2", action="store_true", help="v3 checksum without pseudo header")
    p.add_argument("--truncate", type=int, help="cut the VRRP message to this many bytes")
    p.add_argument("--size", type=int, help="pad the IP packet to this many bytes")
    p.add_argument("--ttl", type=int, default=255)
    p.add_argument("--hlim", type=int, default=255)
    p.add_argument("--src")
    p.add_argument("--dst")
    p.add_argument("--dmac", help="destination MAC (default: the group's, else broadcast)")
    p.add_argument("--repeat", type=int, default=1)
    p.add_argument("--gap", type=float, default=0.0, help="seconds between packets")
    a = p.parse_args()
    if a.version is None:
        a.version = 3 if a.family == 6 else 2
    conf.verb = 0
    pkt = build(a)
    if a.gap <= 0:
        sendp([pkt] * a.repeat, iface=a.iface, verbose=False)
        return
    for _ in range(a.repeat):
        sendp(pkt, iface=a.iface, verbose=False)
        sys.stdout.flush()
        time.sleep(a.gap)


if __name__ == "__main__":
    main()
