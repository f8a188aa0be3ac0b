#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""mkpcap.py - write classic pcap files of synthetic, deterministic traffic.

Python 3 standard library only. Frames are built byte by byte with correct
lengths and checksums (IPv4 header, TCP, UDP, ICMP, ICMPv6), padded to the
60-byte Ethernet minimum as a TAP or SPAN port would deliver them, and written
as LINKTYPE_ETHERNET with microsecond timestamps.

Command line:
    mkpcap.py seed OUT.pcap      the capture tests/data/seed.pcap
    mkpcap.py v6vlan OUT.pcap    the capture tests/data/v6vlan.pcap
    mkpcap.py corpus DIR         raw frames for the pkt_parse fuzz corpus
Each capture also writes OUT.expected (or --expected PATH): one line per flow
that iocwire must export, see Capture.write_expected().

Library use (from another script, with tests/tools on sys.path):
    import mkpcap as mk
    cap = mk.Capture()
    cli = mk.Host("10.0.0.1", "02:00:00:00:00:01")
    srv = mk.Host("192.0.2.1", "02:00:00:00:00:fe")
    s = mk.TcpSession(cap, cli, srv, 40000, 443, at=0.0, expect=True)
    s.handshake(); s.send(b"hello"); s.send(b"world", from_client=False); s.close_fin()
    mk.udp_exchange(cap, cli, srv, 53000, 53, at=1.0,
                    messages=[mk.dns_message(7, "example.com"),
                              mk.dns_message(7, "example.com", True, "192.0.2.7")])
    cap.write("out.pcap"); cap.write_expected("out.expected")

Times given to the helpers (at=...) are seconds relative to the capture start
(Capture.start_us, by default 2026-11-01T10:00:00Z); internally everything is
integer microseconds, so the output is byte-for-byte reproducible.
"""

import argparse
import calendar
import ipaddress
import os
import struct
import sys

LINKTYPE_ETHERNET = 1
PCAP_MAGIC_USEC = 0xA1B2C3D4
ETH_MIN_FRAME = 60  # without FCS

ETH_P_IPV4 = 0x0800
ETH_P_ARP = 0x0806
ETH_P_IPV6 = 0x86DD
TPID_8021Q = 0x8100
TPID_8021AD = 0x88A8

IPPROTO_HOPOPTS = 0
IPPROTO_ICMP = 1
IPPROTO_TCP = 6
IPPROTO_UDP = 17
IPPROTO_ROUTING = 43
IPPROTO_FRAGMENT = 44
IPPROTO_AH = 51
IPPROTO_ICMPV6 = 58
IPPROTO_DSTOPTS = 60

FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10

PROTO_NAMES = {IPPROTO_TCP: "TCP", IPPROTO_UDP: "UDP", IPPROTO_ICMP: "ICMP",
               IPPROTO_ICMPV6: "ICMPv6", 132: "SCTP"}

#: 2026-11-01T10:00:00Z, the start of every shipped capture.
DEFAULT_START_US = calendar.timegm((2026, 11, 1, 10, 0, 0)) * 1_000_000


# ---- byte-level builders ------------------------------------------------

def mac_bytes(mac):
    """'02:00:00:00:00:01' -> 6 bytes."""
    b = bytes(int(x, 16) for x in mac.split(":"))
    if len(b) != 6:
        raise ValueError("bad MAC %r" % mac)
    return b


def ip_bytes(addr):
    """Packed address (4 or 16 bytes) of an IPv4/IPv6 text address."""
    return ipaddress.ip_address(addr).packed


def ip_text(addr):
    """Canonical text: dotted quad or RFC 5952 IPv6 (what iocwire prints)."""
    return str(ipaddress.ip_address(addr))


def inet_checksum(data):
    """RFC 1071 Internet checksum of @data."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def pseudo_header(src, dst, proto, length):
    """IPv4 (RFC 793) or IPv6 (RFC 8200 sec. 8.1) pseudo-header for L4 checksums."""
    s, d = ip_bytes(src), ip_bytes(dst)
    if len(s) == 4:
        return s + d + struct.pack("!BBH", 0, proto, length)
    return s + d + struct.pack("!I3xB", length, proto)


def ethernet(src_mac, dst_mac, ethertype, payload, vlans=(), pad=True):
    """Ethernet II frame. @vlans: (tpid, vid) pairs, outermost first.
    Short frames are zero-padded to 60 bytes (the minimum without FCS)."""
    hdr = mac_bytes(dst_mac) + mac_bytes(src_mac)
    for tpid, vid in vlans:
        hdr += struct.pack("!HH", tpid, vid & 0x0FFF)
    frame = hdr + struct.pack("!H", ethertype) + payload
    if pad and len(frame) < ETH_MIN_FRAME:
        frame += b"\0" * (ETH_MIN_FRAME - len(frame))
    return frame


def ipv4_packet(src, dst, proto, payload, ident=0, ttl=64, dont_fragment=True,
                more_fragments=False, frag_offset=0, options=b"", tos=0):
    """IPv4 header (+ options, padded to 32 bits) with checksum, then @payload.
    @frag_offset is in bytes and must be a multiple of 8."""
    if len(options) % 4:
        options += b"\0" * (4 - len(options) % 4)
    ihl = 5 + len(options) // 4
    flags = (0x4000 if dont_fragment else 0) | (0x2000 if more_fragments else 0)
    flags |= (frag_offset // 8) & 0x1FFF
    hdr = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, tos, ihl * 4 + len(payload), ident,
                      flags, ttl, proto, 0, ip_bytes(src), ip_bytes(dst)) + options
    csum = inet_checksum(hdr)
    return hdr[:10] + struct.pack("!H", csum) + hdr[12:] + payload


def ipv6_opts_header(next_header, pad_to=8):
    """Hop-by-hop or destination options header holding only PadN (RFC 8200 sec. 4.2)."""
    body_len = pad_to - 2
    padn = b"\x01" + bytes([body_len - 2]) + b"\0" * (body_len - 2)
    return bytes([next_header, pad_to // 8 - 1]) + padn


def ipv6_fragment_header(next_header, frag_offset, more, ident=0x1234):
    """IPv6 fragment header (RFC 8200 sec. 4.5); @frag_offset in bytes."""
    return struct.pack("!BBHI", next_header, 0, (frag_offset // 8) << 3 | (1 if more else 0),
                       ident)


def ipv6_packet(src, dst, next_header, payload, hop_limit=64, ext=(), flow_label=0):
    """IPv6 header, optional extension headers, then @payload.
    @ext is a list of header types (IPPROTO_HOPOPTS, IPPROTO_DSTOPTS, ...); options
    headers are 8 bytes of PadN and chained so the last one points to @next_header."""
    chain = b""
    types = list(ext)
    for i, t in enumerate(types):
        nxt = types[i + 1] if i + 1 < len(types) else next_header
        if t in (IPPROTO_HOPOPTS, IPPROTO_DSTOPTS):
            chain += ipv6_opts_header(nxt)
        elif t == IPPROTO_ROUTING:
            # Type 4 (segment routing) header with no segments left, 8 bytes.
            chain += bytes([nxt, 0, 4, 0]) + b"\0" * 4
        else:
            raise ValueError("unsupported extension header %d" % t)
    first = types[0] if types else next_header
    body = chain + payload
    hdr = struct.pack("!IHBB16s16s", 6 << 28 | (flow_label & 0xFFFFF), len(body), first,
                      hop_limit, ip_bytes(src), ip_bytes(dst))
    return hdr + body


def tcp_segment(src, dst, sport, dport, seq, ack, flags, payload=b"", window=64240,
                options=b""):
    """TCP header (+ options, padded to 32 bits) with checksum, then @payload."""
    if len(options) % 4:
        options += b"\x01" * (4 - len(options) % 4)
    doff = 5 + len(options) // 4
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF,
                      doff << 4, flags, window, 0, 0) + options
    seg = hdr + payload
    csum = inet_checksum(pseudo_header(src, dst, IPPROTO_TCP, len(seg)) + seg)
    return seg[:16] + struct.pack("!H", csum) + seg[18:]


def udp_datagram(src, dst, sport, dport, payload):
    """UDP header with checksum (0 is sent as 0xffff), then @payload."""
    dgram = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    csum = inet_checksum(pseudo_header(src, dst, IPPROTO_UDP, len(dgram)) + dgram) or 0xFFFF
    return dgram[:6] + struct.pack("!H", csum) + dgram[8:]


def icmp_echo(ident, seq, payload, reply=False):
    """ICMPv4 echo request (type 8) or reply (type 0) with checksum."""
    msg = struct.pack("!BBHHH", 0 if reply else 8, 0, 0, ident, seq) + payload
    return msg[:2] + struct.pack("!H", inet_checksum(msg)) + msg[4:]


def icmpv6_echo(src, dst, ident, seq, payload, reply=False):
    """ICMPv6 echo request (128) or reply (129), checksum over the pseudo-header."""
    msg = struct.pack("!BBHHH", 129 if reply else 128, 0, 0, ident, seq) + payload
    csum = inet_checksum(pseudo_header(src, dst, IPPROTO_ICMPV6, len(msg)) + msg)
    return msg[:2] + struct.pack("!H", csum) + msg[4:]


def dns_message(qid, name, response=False, answer_ip=None):
    """Minimal DNS message (RFC 1035): one A question, and one A answer if @answer_ip."""
    qname = b"".join(bytes([len(label)]) + label.encode() for label in name.split(".")) + b"\0"
    msg = struct.pack("!HHHHHH", qid, 0x8180 if response else 0x0100, 1,
                      1 if answer_ip else 0, 0, 0) + qname + struct.pack("!HH", 1, 1)
    if answer_ip:
        msg += struct.pack("!HHHIH", 0xC00C, 1, 1, 3600, 4) + ip_bytes(answer_ip)
    return msg


def arp_packet(op, sender_mac, sender_ip, target_mac, target_ip):
    """ARP for IPv4 over Ethernet; @op 1 = request, 2 = reply."""
    return struct.pack("!HHBBH6s4s6s4s", 1, ETH_P_IPV4, 6, 4, op, mac_bytes(sender_mac),
                       ip_bytes(sender_ip), mac_bytes(target_mac), ip_bytes(target_ip))


def ip_packet(src, dst, proto, payload, **kw):
    """IPv4 or IPv6 packet depending on the address family; returns (ethertype, bytes).
    Keyword arguments go to ipv4_packet() (ident, ...) or ipv6_packet() (ext, ...)."""
    if ipaddress.ip_address(src).version == 4:
        kw.pop("ext", None)
        return ETH_P_IPV4, ipv4_packet(src, dst, proto, payload, **kw)
    for k in ("ident", "dont_fragment", "more_fragments", "frag_offset", "options", "tos", "ttl"):
        kw.pop(k, None)
    return ETH_P_IPV6, ipv6_packet(src, dst, proto, payload, **kw)


# ---- capture and flow bookkeeping ---------------------------------------

class Host:
    """An endpoint as seen on the sensor's link: IP address and the MAC that
    frames to/from it carry (a remote host's MAC is the router's)."""

    def __init__(self, ip, mac):
        self.ip = ip_text(ip)
        self.mac = mac


class Flow:
    """Per-flow totals in the initiator's direction, as iocwire should report them."""

    def __init__(self, proto, src, sport, dst, dport, vlan, expect, note):
        self.proto, self.src, self.sport, self.dst, self.dport = proto, src, sport, dst, dport
        self.vlan, self.expect, self.note = vlan, expect, note
        self.pkts = 0
        self.bytes_fwd = 0
        self.bytes_rev = 0
        self.end_reason = "capture_end"

    def count(self, frame_len, forward):
        self.pkts += 1
        if forward:
            self.bytes_fwd += frame_len
        else:
            self.bytes_rev += frame_len

    def line(self):
        """'proto src spt dst dpt vlan pkts bytes_src_to_dst bytes_dst_to_src end_reason'."""
        return "%s %s %d %s %d %d %d %d %d %s" % (
            PROTO_NAMES.get(self.proto, str(self.proto)), self.src, self.sport, self.dst,
            self.dport, self.vlan, self.pkts, self.bytes_fwd, self.bytes_rev, self.end_reason)


class Capture:
    """Packets of one capture plus the flows they belong to."""

    def __init__(self, start_us=DEFAULT_START_US, snaplen=65535):
        self.start_us = start_us
        self.snaplen = snaplen
        self.packets = []  # (ts_us, insertion order, frame)
        self.flows = []

    def us(self, at):
        """Absolute microseconds of a time @at seconds after the capture start."""
        return self.start_us + int(round(at * 1_000_000))

    def flow(self, proto, src, sport, dst, dport, vlan=0, expect=False, note=""):
        """Register a flow (initiator first) for the expected-records file."""
        f = Flow(proto, ip_text(src), sport, ip_text(dst), dport, vlan, expect, note)
        self.flows.append(f)
        return f

    def add(self, at, frame, flow=None, forward=True):
        """Add @frame at @at seconds; count it in @flow (forward = initiator -> responder)."""
        self.packets.append((self.us(at), len(self.packets), frame))
        if flow is not None:
            flow.count(len(frame), forward)

    def sorted_packets(self):
        return sorted(self.packets, key=lambda p: (p[0], p[1]))

    def write(self, path):
        """Write a classic pcap file (microsecond timestamps, LINKTYPE_ETHERNET)."""
        with open(path, "wb") as f:
            f.write(struct.pack("<IHHiIII", PCAP_MAGIC_USEC, 2, 4, 0, 0, self.snaplen,
                                LINKTYPE_ETHERNET))
            for ts, _, frame in self.sorted_packets():
                f.write(struct.pack("<IIII", ts // 1_000_000, ts % 1_000_000,
                                    min(len(frame), self.snaplen), len(frame)))
                f.write(frame[:self.snaplen])

    def expected_lines(self):
        return sorted(f.line() for f in self.flows if f.expect)

    def write_expected(self, path, title="", notes=()):
        """One line per flow that must be exported, sorted, preceded by a '#' header
        naming the columns, the benign flows (which must produce nothing) and @notes."""
        out = ["# %s" % title] if title else []
        out += ["# Flows iocwire must export: one line each, in the initiator's direction.",
                "# columns: proto src spt dst dpt vlan pkts bytes_src_to_dst bytes_dst_to_src"
                " end_reason",
                "# vlan: outermost VLAN id (0 untagged); bytes: whole frames as captured"
                " (Ethernet header, tags and padding included); pkts: both directions.",
                "# end_reason: fin (FIN both ways), rst, capture_end (still open when the"
                " capture ends)."]
        out += ["# " + n for n in notes]
        out.append("# Benign traffic, must produce no record:")
        for f in self.flows:
            if not f.expect:
                out.append("#   %s %s %d -> %s %d vlan %d: %s" % (
                    PROTO_NAMES.get(f.proto, str(f.proto)), f.src, f.sport, f.dst, f.dport,
                    f.vlan, f.note))
        out += self.expected_lines()
        with open(path, "w") as fh:
            fh.write("\n".join(out) + "\n")


# ---- traffic generators ---------------------------------------------------

def _vlan_id(vlans):
    return vlans[0][1] if vlans else 0


class TcpSession:
    """One TCP connection between @client and @server, written into @cap.

    Each step appends packets at the session's clock (self.t, seconds after the
    capture start) and advances it: a reply comes half an RTT after the packet
    it answers. Sequence and acknowledgement numbers follow the bytes sent.
    """

    SYN_OPTIONS = struct.pack("!BBH", 2, 4, 1460) + b"\x01\x03\x03\x07" + b"\x01\x01\x04\x02"

    def __init__(self, cap, client, server, sport, dport, at, vlans=(), rtt=0.040,
                 expect=False, note="", client_isn=None, server_isn=None, mss=1400):
        self.cap, self.client, self.server = cap, client, server
        self.sport, self.dport, self.vlans = sport, dport, tuple(vlans)
        self.t = at
        self.half_rtt = rtt / 2
        self.mss = mss
        # Deterministic ISNs derived from the ports unless given.
        self.seq_c = client_isn if client_isn is not None else (sport * 7919 + 1) & 0xFFFFFFFF
        self.seq_s = server_isn if server_isn is not None else (dport * 104729 + sport) & 0xFFFFFFFF
        self.ack_c = 0
        self.ack_s = 0
        self.ident_c = (sport * 31) & 0xFFFF
        self.ident_s = (dport * 17 + sport) & 0xFFFF
        self.flow = cap.flow(IPPROTO_TCP, client.ip, sport, server.ip, dport,
                             _vlan_id(self.vlans), expect, note)

    def emit(self, from_client, flags, payload=b"", options=b""):
        """Append one segment at the current time; sequence numbers advance."""
        if from_client:
            a, b, sp, dp, seq, ack = self.client, self.server, self.sport, self.dport, \
                self.seq_c, self.ack_c
        else:
            a, b, sp, dp, seq, ack = self.server, self.client, self.dport, self.sport, \
                self.seq_s, self.ack_s
        seg = tcp_segment(a.ip, b.ip, sp, dp, seq, ack if flags & ACK else 0, flags, payload,
                          options=options)
        ident = self.ident_c if from_client else self.ident_s
        etype, pkt = ip_packet(a.ip, b.ip, IPPROTO_TCP, seg, ident=ident)
        frame = ethernet(a.mac, b.mac, etype, pkt, self.vlans)
        self.cap.add(self.t, frame, self.flow, forward=from_client)
        consumed = len(payload) + (1 if flags & (SYN | FIN) else 0)
        if from_client:
            self.seq_c = (self.seq_c + consumed) & 0xFFFFFFFF
            self.ack_s = self.seq_c
            self.ident_c = (self.ident_c + 1) & 0xFFFF
        else:
            self.seq_s = (self.seq_s + consumed) & 0xFFFFFFFF
            self.ack_c = self.seq_s
            self.ident_s = (self.ident_s + 1) & 0xFFFF
        return frame

    def wait(self, seconds):
        """Advance the session clock."""
        self.t += seconds
        return self

    def handshake(self):
        """SYN, SYN/ACK, ACK."""
        self.emit(True, SYN, options=self.SYN_OPTIONS)
        self.t += self.half_rtt
        self.emit(False, SYN | ACK, options=self.SYN_OPTIONS)
        self.t += self.half_rtt
        self.emit(True, ACK)
        return self

    def send(self, data, from_client=True, ack=True):
        """@data in MSS-sized PSH/ACK segments, then an ACK from the peer."""
        for i in range(0, len(data), self.mss):
            self.emit(from_client, PSH | ACK, data[i:i + self.mss])
            self.t += 0.0002
        if ack:
            self.t += self.half_rtt
            self.emit(not from_client, ACK)
        return self

    def close_fin(self, from_client=True):
        """FIN/ACK, the peer's FIN/ACK (acknowledging it), final ACK."""
        self.emit(from_client, FIN | ACK)
        self.t += self.half_rtt
        self.emit(not from_client, FIN | ACK)
        self.t += self.half_rtt
        self.emit(from_client, ACK)
        self.flow.end_reason = "fin"
        return self

    def reset(self, from_client=False):
        """RST/ACK from one side (the server by default) ends the connection."""
        self.emit(from_client, RST | ACK)
        self.flow.end_reason = "rst"
        return self


def udp_exchange(cap, a, b, sport, dport, at, messages, gap=0.015, vlans=(), expect=False,
                 note=""):
    """Datagrams alternating a -> b, b -> a, ... (@messages: list of payloads),
    @gap seconds apart. Returns the Flow (initiator a)."""
    flow = cap.flow(IPPROTO_UDP, a.ip, sport, b.ip, dport, _vlan_id(vlans), expect, note)
    t = at
    ident = (sport * 13) & 0xFFFF
    for i, payload in enumerate(messages):
        fwd = i % 2 == 0
        src, dst = (a, b) if fwd else (b, a)
        sp, dp = (sport, dport) if fwd else (dport, sport)
        etype, pkt = ip_packet(src.ip, dst.ip, IPPROTO_UDP,
                               udp_datagram(src.ip, dst.ip, sp, dp, payload),
                               ident=(ident + i) & 0xFFFF, dont_fragment=False)
        cap.add(t, ethernet(src.mac, dst.mac, etype, pkt, vlans), flow, fwd)
        t += gap
    return flow


def ping(cap, a, b, at, count=2, interval=1.0, rtt=0.012, vlans=(), note="", ident=0x4242):
    """ICMP (or ICMPv6) echo request/reply pairs from @a to @b. Returns the Flow."""
    v6 = ipaddress.ip_address(a.ip).version == 6
    proto = IPPROTO_ICMPV6 if v6 else IPPROTO_ICMP
    flow = cap.flow(proto, a.ip, 0, b.ip, 0, _vlan_id(vlans), False, note)
    payload = bytes(range(0x10, 0x10 + 48))
    for i in range(count):
        t = at + i * interval
        for reply in (False, True):
            src, dst = (b, a) if reply else (a, b)
            if v6:
                msg = icmpv6_echo(src.ip, dst.ip, ident, i + 1, payload, reply)
            else:
                msg = icmp_echo(ident, i + 1, payload, reply)
            etype, pkt = ip_packet(src.ip, dst.ip, proto, msg, ident=(ident + 2 * i) & 0xFFFF,
                                   dont_fragment=False)
            cap.add(t + (rtt if reply else 0), ethernet(src.mac, dst.mac, etype, pkt, vlans),
                    flow, not reply)
    return flow


def arp_exchange(cap, requester, target, at, vlans=()):
    """Broadcast who-has from @requester and the unicast reply from @target (not IP)."""
    req = arp_packet(1, requester.mac, requester.ip, "00:00:00:00:00:00", target.ip)
    cap.add(at, ethernet(requester.mac, "ff:ff:ff:ff:ff:ff", ETH_P_ARP, req, vlans))
    rep = arp_packet(2, target.mac, target.ip, requester.mac, requester.ip)
    cap.add(at + 0.0003, ethernet(target.mac, requester.mac, ETH_P_ARP, rep, vlans))


def _tls_like(n, seed):
    """Deterministic filler bytes standing in for encrypted payload."""
    return bytes((seed * 131 + i * 7) & 0xFF for i in range(n))


# ---- the shipped captures ---------------------------------------------------

GW_MAC = "02:00:5e:00:00:01"       # the site router, seen as the MAC of remote hosts


def build_seed():
    """tests/data/seed.pcap: IOCs 95.85.246.53:443 and 101.109.237.93:7443 (ip:port)."""
    cap = Capture()
    ws15 = Host("10.20.0.15", "02:00:0a:14:00:0f")
    ws16 = Host("10.20.0.16", "02:00:0a:14:00:10")
    ws22 = Host("10.20.0.22", "02:00:0a:14:00:16")
    ws30 = Host("10.20.0.30", "02:00:0a:14:00:1e")
    dns = Host("10.20.0.2", "02:00:0a:14:00:02")
    gw = Host("10.20.0.1", GW_MAC)
    c2a = Host("95.85.246.53", GW_MAC)
    c2b = Host("101.109.237.93", GW_MAC)
    web = Host("93.184.216.34", GW_MAC)
    gdns = Host("8.8.8.8", GW_MAC)
    ws15v6 = Host("2001:db8:20::15", "02:00:0a:14:00:0f")
    web6 = Host("2001:db8:ffff::80", GW_MAC)

    arp_exchange(cap, ws15, gw, at=0.100)
    udp_exchange(cap, ws15, dns, 53001, 53, at=0.400,
                 messages=[dns_message(0x1A2B, "intranet.example.com"),
                           dns_message(0x1A2B, "intranet.example.com", True, "10.20.0.80")],
                 gap=0.011, note="DNS query and response")

    # (a) NetSupportManager RAT C2: 3 data segments each way, FIN both sides.
    a = TcpSession(cap, ws15, c2a, 49812, 443, at=1.000, rtt=0.060, expect=True,
                   note="C2 95.85.246.53:443")
    a.handshake().wait(0.050)
    a.send(b"POST /fakeurl.htm HTTP/1.1\r\nHost: 95.85.246.53\r\n\r\n" + _tls_like(180, 1))
    a.wait(0.010).send(_tls_like(310, 2), from_client=False)
    a.wait(2.300).send(_tls_like(96, 3))
    a.wait(0.010).send(_tls_like(1200, 4), from_client=False)
    a.wait(4.400).send(_tls_like(64, 5))
    a.wait(0.010).send(_tls_like(128, 6), from_client=False)
    a.t = 20.000
    a.close_fin()

    # Benign HTTPS session to another address.
    w = TcpSession(cap, ws30, web, 50544, 443, at=2.000, rtt=0.030,
                   note="HTTPS to a clean address")
    w.handshake().send(_tls_like(517, 7)).send(_tls_like(2900, 8), from_client=False)
    w.wait(0.300).send(_tls_like(90, 9)).send(_tls_like(400, 10), from_client=False)
    w.wait(3.000).close_fin()

    # (b) second C2 in VLAN 100, reset by the server.
    b = TcpSession(cap, ws22, c2b, 51234, 7443, at=4.000, vlans=[(TPID_8021Q, 100)],
                   rtt=0.080, expect=True, note="C2 101.109.237.93:7443")
    b.handshake().wait(0.020).send(_tls_like(240, 11))
    b.wait(0.010).send(_tls_like(60, 12), from_client=False)
    b.wait(4.800).send(_tls_like(33, 13), ack=False)
    b.wait(0.040).reset()

    # Benign: same address as IOC (a), other port.
    h = TcpSession(cap, ws15, c2a, 49820, 80, at=5.000, rtt=0.060,
                   note="95.85.246.53 on port 80: ip:port IOC must not match")
    h.handshake().send(b"GET / HTTP/1.1\r\nHost: 95.85.246.53\r\n\r\n")
    h.send(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", from_client=False)
    h.wait(0.200).close_fin()

    ping(cap, ws15, gdns, at=7.000, count=2, note="ICMP echo to 8.8.8.8 (no ports)")

    # Benign IPv6 HTTPS.
    v6 = TcpSession(cap, ws15v6, web6, 52000, 443, at=10.000, rtt=0.050,
                    note="IPv6 HTTPS to a clean address")
    v6.handshake().send(_tls_like(517, 14)).send(_tls_like(1500, 15), from_client=False)
    v6.wait(2.000).close_fin()

    # (d) a later, separate connection to IOC (a): its own record pair.
    d = TcpSession(cap, ws16, c2a, 50001, 443, at=24.000, rtt=0.060, expect=True,
                   note="second connection to C2 95.85.246.53:443")
    d.handshake().send(_tls_like(150, 16)).send(_tls_like(70, 17), from_client=False)
    d.wait(1.000).close_fin()

    arp_exchange(cap, ws16, gw, at=29.900)
    return cap


def build_v6vlan():
    """tests/data/v6vlan.pcap: plain feed 2001:db8:bad::10 (ip),
    [2001:db8:bad::20]:8443 (ip:port), 198.51.100.7 (ip)."""
    cap = Capture()
    qinq = [(TPID_8021AD, 200), (TPID_8021Q, 300)]
    v42 = [(TPID_8021Q, 42)]
    c1 = Host("2001:db8:1::100", "02:00:00:01:01:00")
    c2 = Host("2001:db8:2::7", "02:00:00:02:00:07")
    c3 = Host("2001:db8:3::9", "02:00:00:03:00:09")
    srv1 = Host("2001:db8:1::5", "02:00:00:01:00:05")
    bad10 = Host("2001:db8:bad::10", GW_MAC)
    bad20 = Host("2001:db8:bad::20", GW_MAC)
    h50 = Host("192.0.2.50", "02:00:c0:00:02:32")
    ssh = Host("198.51.100.7", GW_MAC)
    web = Host("203.0.113.80", GW_MAC)
    rdns = Host("192.0.2.1", "02:00:c0:00:02:01")

    q = TcpSession(cap, c1, bad20, 41000, 8443, at=0.200, vlans=qinq, rtt=0.050, expect=True,
                   note="IPv6 in QinQ to the ip:port IOC")
    q.handshake().send(_tls_like(300, 21)).send(_tls_like(1200, 22), from_client=False)
    q.wait(1.500).send(_tls_like(80, 23)).send(_tls_like(40, 24), from_client=False)
    q.wait(0.500).close_fin()

    s = TcpSession(cap, h50, ssh, 45000, 22, at=1.000, vlans=v42, rtt=0.030, expect=True,
                   note="SSH to the ip IOC 198.51.100.7")
    s.handshake().send(b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n")
    s.send(b"SSH-2.0-OpenSSH_8.9\r\n", from_client=False)
    s.wait(0.100).send(_tls_like(1000, 25)).send(_tls_like(700, 26), from_client=False)
    s.wait(3.000).close_fin()

    o = TcpSession(cap, c3, bad20, 43000, 9999, at=2.000, rtt=0.050,
                   note="2001:db8:bad::20 on port 9999: ip:port IOC must not match")
    o.handshake().send(_tls_like(100, 27)).send(_tls_like(100, 28), from_client=False)
    o.wait(0.500).close_fin()

    w = TcpSession(cap, h50, web, 45100, 443, at=3.000, vlans=v42, rtt=0.030,
                   note="IPv4 HTTPS in VLAN 42 to a clean address")
    w.handshake().send(_tls_like(517, 29)).send(_tls_like(3000, 30), from_client=False)
    w.wait(1.000).close_fin()
    udp_exchange(cap, h50, rdns, 53111, 53, at=3.500, vlans=v42,
                 messages=[dns_message(0x5E11, "www.example.net"),
                           dns_message(0x5E11, "www.example.net", True, "203.0.113.80")],
                 note="IPv4 DNS in VLAN 42")

    # The IOC is the SOURCE of this one; near the end, so it is still open then.
    udp_exchange(cap, bad10, srv1, 5353, 40000, at=17.000, gap=0.300,
                 messages=[dns_message(0x0001, "printer.local", True, "198.51.100.10"),
                           dns_message(0x0002, "printer.local"),
                           dns_message(0x0003, "scanner.local", True, "198.51.100.11"),
                           dns_message(0x0004, "scanner.local")],
                 expect=True, note="IPv6 UDP from the ip IOC 2001:db8:bad::10")

    # One SYN behind a hop-by-hop + destination-options chain, its own flow.
    f = cap.flow(IPPROTO_TCP, c2.ip, 40001, bad20.ip, 8443, 0, True,
                 "IPv6 SYN behind HBH + DSTOPTS to the ip:port IOC")
    seg = tcp_segment(c2.ip, bad20.ip, 40001, 8443, 0x0BAD0001, 0, SYN,
                      options=TcpSession.SYN_OPTIONS)
    pkt = ipv6_packet(c2.ip, bad20.ip, IPPROTO_TCP, seg, ext=[IPPROTO_HOPOPTS, IPPROTO_DSTOPTS])
    cap.add(18.800, ethernet(c2.mac, GW_MAC, ETH_P_IPV6, pkt), f)

    ping(cap, h50, rdns, at=19.500, count=1, vlans=v42, note="ICMP echo in VLAN 42")
    return cap


def build_corpus():
    """Raw frames (name -> bytes) seeding the pkt_parse fuzzer: one per parser path."""
    frames = {}
    seed, v6 = build_seed(), build_v6vlan()
    sp, vp = seed.sorted_packets(), v6.sorted_packets()

    def first(packets, pred):
        return next(fr for _, _, fr in packets if pred(fr))

    frames["ipv4_tcp_syn"] = first(sp, lambda fr: fr[12:14] == b"\x08\x00" and fr[47] == SYN)
    frames["vlan_ipv4_tcp"] = first(sp, lambda fr: fr[12:14] == b"\x81\x00")
    frames["ipv4_udp_dns"] = first(sp, lambda fr: fr[12:14] == b"\x08\x00" and fr[23] == 17)
    frames["ipv4_icmp"] = first(sp, lambda fr: fr[12:14] == b"\x08\x00" and fr[23] == 1)
    frames["arp"] = first(sp, lambda fr: fr[12:14] == b"\x08\x06")
    frames["ipv6_tcp"] = first(sp, lambda fr: fr[12:14] == b"\x86\xdd")
    frames["qinq_ipv6_tcp"] = first(vp, lambda fr: fr[12:14] == b"\x88\xa8")
    frames["ipv6_udp"] = first(vp, lambda fr: fr[12:14] == b"\x86\xdd" and fr[20] == 17)
    frames["ipv6_hbh_dstopts_tcp"] = first(vp, lambda fr: fr[12:14] == b"\x86\xdd" and fr[20] == 0)

    a, b = "10.20.0.15", "95.85.246.53"
    udp = udp_datagram(a, b, 5353, 40000, bytes(64))
    frames["ipv4_frag_first"] = ethernet(GW_MAC, GW_MAC, ETH_P_IPV4, ipv4_packet(
        a, b, IPPROTO_UDP, udp[:32], dont_fragment=False, more_fragments=True))
    frames["ipv4_frag_later"] = ethernet(GW_MAC, GW_MAC, ETH_P_IPV4, ipv4_packet(
        a, b, IPPROTO_UDP, udp[32:], dont_fragment=False, frag_offset=32))
    frames["ipv4_options_tcp"] = ethernet(GW_MAC, GW_MAC, ETH_P_IPV4, ipv4_packet(
        a, b, IPPROTO_TCP, tcp_segment(a, b, 1, 443, 1, 0, SYN), options=b"\x94\x04\0\0"))
    a6, b6 = "2001:db8:20::15", "2001:db8:bad::20"
    udp6 = udp_datagram(a6, b6, 5353, 40000, bytes(64))
    frames["ipv6_frag_first"] = ethernet(GW_MAC, GW_MAC, ETH_P_IPV6, ipv6_packet(
        a6, b6, IPPROTO_FRAGMENT, ipv6_fragment_header(IPPROTO_UDP, 0, True) + udp6[:32]))
    frames["ipv6_frag_later"] = ethernet(GW_MAC, GW_MAC, ETH_P_IPV6, ipv6_packet(
        a6, b6, IPPROTO_FRAGMENT, ipv6_fragment_header(IPPROTO_UDP, 32, False) + udp6[32:]))
    ah = bytes([IPPROTO_TCP, 4, 0, 0]) + bytes(20)  # AH, (4 + 2) * 4 = 24 bytes
    frames["ipv6_routing_ah_tcp"] = ethernet(GW_MAC, GW_MAC, ETH_P_IPV6, ipv6_packet(
        a6, b6, IPPROTO_AH, ah + tcp_segment(a6, b6, 2, 8443, 1, 0, SYN), ext=[IPPROTO_ROUTING]))
    sctp = struct.pack("!HHII", 2905, 2905, 1, 0) + bytes(16)
    frames["ipv4_sctp"] = ethernet(GW_MAC, GW_MAC, ETH_P_IPV4, ipv4_packet(a, b, 132, sctp))
    frames["ipv6_icmpv6"] = ethernet(GW_MAC, GW_MAC, ETH_P_IPV6, ipv6_packet(
        a6, b6, IPPROTO_ICMPV6, icmpv6_echo(a6, b6, 1, 1, b"ping")))
    import mktunnels  # noqa: E402 (it imports this module)
    inner = first(sp, lambda fr: fr[12:14] == b"\x08\x00" and fr[23] == 6)
    for wrap in (mktunnels.vxlan, mktunnels.geneve, mktunnels.gre_ip, mktunnels.erspan2):
        frames["tunnel_" + wrap.__name__] = wrap(inner, True, 1)
    return frames


# ---- command line ------------------------------------------------------------

CAPTURES = {
    "seed": (build_seed, "seed.pcap - IOCs 95.85.246.53:443 and 101.109.237.93:7443 (ip:port)",
             ["Feed: 95.85.246.53:443 (NetSupportManager RAT, botnet_cc, confidence 100) and"
              " 101.109.237.93:7443, both ip:port."]),
    "v6vlan": (build_v6vlan, "v6vlan.pcap - plain feed: 2001:db8:bad::10 (ip),"
               " [2001:db8:bad::20]:8443 (ip:port), 198.51.100.7 (ip)",
               ["The UDP flow from 2001:db8:bad::10 and the single HBH+DSTOPTS SYN are still"
                " open when the capture ends (capture_end): its last packet comes 1.6 s after"
                " the UDP flow's last and 0.7 s after the SYN, well inside any idle timeout."]),
}


def scenario_main(argv, build, title, usage):
    """Command line of a one-capture generator: OUT.pcap plus OUT.expected."""
    if len(argv) != 2:
        print(usage)
        return 2
    cap = build()
    cap.write(argv[1])
    cap.write_expected(os.path.splitext(argv[1])[0] + ".expected", title=title)
    return 0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("what", choices=sorted(CAPTURES) + ["corpus"],
                    help="which capture to write, or 'corpus' for raw fuzz seed frames")
    ap.add_argument("out", help="output pcap file (or directory for 'corpus')")
    ap.add_argument("--expected", help="expected-records file (default: OUT with .expected)")
    ap.add_argument("--no-expected", action="store_true", help="do not write it")
    args = ap.parse_args(argv)

    if args.what == "corpus":
        os.makedirs(args.out, exist_ok=True)
        for name, frame in sorted(build_corpus().items()):
            with open(os.path.join(args.out, name + ".bin"), "wb") as f:
                f.write(frame)
        return 0

    build, title, notes = CAPTURES[args.what]
    cap = build()
    cap.write(args.out)
    if not args.no_expected:
        exp = args.expected or os.path.splitext(args.out)[0] + ".expected"
        cap.write_expected(exp, title, notes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
