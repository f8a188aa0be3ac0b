#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""mknames.py - the capture of names on the wire (DNS, TLS SNI, HTTP Host/URL).

Python 3 standard library only; frames are built with mkpcap.py.

    mknames.py names OUT.pcap     tests/data/names.pcap and OUT.expected
    mknames.py corpus DIR         fuzz seeds: DIR/extract_dns, extract_tls,
                                  extract_http, tls_reasm (see tests/fuzz/)

OUT.expected lists, frame by frame, what the extractors must return when the
capture is read the way the worker reads it (tests/unit/test_extract_pcap.c):

    frame where result value

frame: 1-based position in the capture; where: dns, tls.sni, http.host,
http.url; result: ok, no_name, need_more, truncated, malformed; value: the
extracted text ('-' when there is none). Frames for which every extractor says
not_applicable (handshakes, responses, data) are not listed.

Indicators the capture is built around: domain evil.example (so a.evil.example
matches and notevil.example does not) and URL http://evil.example/gate.php?id=1.
"""

import argparse
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mkpcap as mk  # noqa: E402

URL_IOC = "http://evil.example/gate.php?id=1"


# ---- payload builders ------------------------------------------------------

def dns_query(qid, name, qtype=1, qclass=1, flags=0x0100):
    """A DNS query (RFC 1035 sec. 4.1) for @name, labels as given (case kept)."""
    qname = b"".join(bytes([len(label)]) + label.encode() for label in name.split(".")) + b"\0"
    return struct.pack("!HHHHHH", qid, flags, 1, 0, 0, 0) + qname + struct.pack("!HH", qtype,
                                                                                 qclass)


def dns_response(query, answer_ip):
    """The response to @query with one A record (compressed owner name)."""
    qid, = struct.unpack("!H", query[:2])
    body = query[12:]
    return (struct.pack("!HHHHHH", qid, 0x8180, 1, 1, 0, 0) + body +
            struct.pack("!HHHIH", 0xC00C, 1, 1, 300, 4) + mk.ip_bytes(answer_ip))


def tls_ext(etype, data):
    return struct.pack("!HH", etype, len(data)) + data


def tls_sni_ext(name):
    n = name.encode()
    return tls_ext(0, struct.pack("!HBH", len(n) + 3, 0, len(n)) + n)


def client_hello(sni=None, tls13=True, pad_to=0, seed=1, extra=b""):
    """A browser-like ClientHello record (RFC 8446 sec. 4.1.2): SNI @sni (or none),
    TLS 1.3 extensions when @tls13, the raw extensions @extra, a padding extension
    (RFC 7685) up to @pad_to bytes."""
    rnd = bytes((seed * 37 + i * 11) & 0xFF for i in range(32))
    sid = bytes((seed * 13 + i) & 0xFF for i in range(32 if tls13 else 0))
    suites = [0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8, 0xC013,
              0xC014, 0x009C, 0x009D, 0x002F, 0x0035]
    exts = tls_ext(0xFF01, b"\0") + tls_ext(0x0017, b"")
    if sni is not None:
        exts += tls_sni_ext(sni)
    exts += tls_ext(0x000A, bytes.fromhex("0008001d001700180019"))
    exts += tls_ext(0x000B, b"\x01\x00") + tls_ext(0x0023, b"")
    exts += tls_ext(0x0010, bytes.fromhex("000c02683208687474702f312e31"))
    exts += tls_ext(0x000D, bytes.fromhex("000804030804040105030805"))
    if tls13:
        key = bytes((seed * 5 + i * 3) & 0xFF for i in range(32))
        exts += tls_ext(0x0033, struct.pack("!HHH", 36, 0x001D, 32) + key)
        exts += tls_ext(0x002B, bytes.fromhex("0403040303"))
        exts += tls_ext(0x002D, b"\x01\x01")
    exts += extra

    def message(exts):
        body = (struct.pack("!H", 0x0303) + rnd + bytes([len(sid)]) + sid +
                struct.pack("!H", 2 * len(suites)) + b"".join(struct.pack("!H", s) for s in suites)
                + b"\x01\x00" + struct.pack("!H", len(exts)) + exts)
        return b"\x01" + struct.pack("!I", len(body))[1:] + body

    hs = message(exts)
    if pad_to and len(hs) + 5 + 4 < pad_to:
        hs = message(exts + tls_ext(0x0015, bytes(pad_to - len(hs) - 5 - 4)))
    return b"\x16\x03\x01" + struct.pack("!H", len(hs)) + hs


def server_hello_like(n, seed):
    """Server flight stand-in: a ServerHello-typed record header, then filler."""
    body = bytes((seed * 131 + i * 7) & 0xFF for i in range(n))
    return b"\x16\x03\x03" + struct.pack("!H", n + 4) + b"\x02" + struct.pack("!I", n)[1:] + body


def http_response():
    return b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok"


# ---- expectations ------------------------------------------------------------

class Expect:
    """Expected extractor output per frame, keyed by the frame's insertion order."""

    def __init__(self, cap):
        self.cap = cap
        self.rows = []  # (insertion index, where, result, value)

    def mark(self):
        return len(self.cap.packets)

    def add(self, index, where, result, value="-"):
        self.rows.append((index, where, result, value))

    def lines(self):
        order = {ins: pos + 1 for pos, (_, ins, _) in enumerate(self.cap.sorted_packets())}
        rows = sorted((order[i], n, w, r, v) for n, (i, w, r, v) in enumerate(self.rows))
        return ["%d %s %s %s" % (f, w, r, v) for f, _, w, r, v in rows]


def data_frame(sess, exp, payload, from_client=True):
    """Send @payload (MSS-split) and return the insertion indexes of its data segments."""
    first = exp.mark()
    sess.send(payload, from_client=from_client)
    nb = (len(payload) + sess.mss - 1) // sess.mss
    return list(range(first, first + nb))


# ---- the capture ---------------------------------------------------------------

def build_names():
    cap = mk.Capture()
    exp = Expect(cap)
    gw = mk.GW_MAC
    ws = mk.Host("10.30.0.10", "02:00:0a:1e:00:0a")
    ws2 = mk.Host("10.30.0.11", "02:00:0a:1e:00:0b")
    ws6 = mk.Host("2001:db8:30::10", "02:00:0a:1e:00:0a")
    resolver = mk.Host("10.30.0.2", "02:00:0a:1e:00:02")
    resolver6 = mk.Host("2001:db8:30::2", "02:00:0a:1e:00:02")
    proxy = mk.Host("10.30.0.3", "02:00:0a:1e:00:03")
    odd_dns = mk.Host("198.51.100.53", gw)
    evil = mk.Host("203.0.113.66", gw)
    notevil = mk.Host("203.0.113.77", gw)
    benign = mk.Host("198.51.100.80", gw)
    evil6 = mk.Host("2001:db8:66::1", gw)

    # -- DNS over UDP port 53: two matching names, two that must not match.
    t = 0.100
    for qid, name, qtype, want in [(0x1001, "evil.example", 1, "evil.example"),
                                   (0x1002, "a.evil.example", 28, "a.evil.example"),
                                   (0x1003, "notevil.example", 1, "notevil.example"),
                                   (0x1004, "benign.example", 1, "benign.example")]:
        q = dns_query(qid, name, qtype)
        i = exp.mark()
        mk.udp_exchange(cap, ws, resolver, 53000 + (qid & 0xFF), 53, at=t,
                        messages=[q, dns_response(q, "192.0.2.%d" % (qid & 0xFF))],
                        expect=want.endswith("evil.example") and not want.startswith("notevil"),
                        note="DNS query %s" % name)
        exp.add(i, "dns", "ok", want)
        t += 0.050

    # -- DNS over IPv6 in VLAN 30, mixed case.
    q = dns_query(0x1005, "WWW.Evil.Example")
    i = exp.mark()
    mk.udp_exchange(cap, ws6, resolver6, 53010, 53, at=0.400, vlans=[(mk.TPID_8021Q, 30)],
                    messages=[q, dns_response(q, "192.0.2.5")], expect=True,
                    note="DNS over IPv6 in VLAN 30, mixed case")
    exp.add(i, "dns", "ok", "www.evil.example")

    # -- DNS on a non-53 UDP port (a resolver on 5353/8053, DNS-based C2, ...).
    q = dns_query(0x1006, "c2.evil.example", 16)
    i = exp.mark()
    mk.udp_exchange(cap, ws, odd_dns, 41000, 8053, at=0.500, messages=[q], expect=True,
                    note="DNS query to UDP port 8053")
    exp.add(i, "dns", "ok", "c2.evil.example")

    # -- DNS over TCP port 53: 2-byte length prefix.
    q = dns_query(0x1007, "a.evil.example", 1)
    s = mk.TcpSession(cap, ws, resolver, 53100, 53, at=0.600, rtt=0.002, expect=True,
                      note="DNS over TCP")
    s.handshake()
    (i,) = data_frame(s, exp, struct.pack("!H", len(q)) + q)
    exp.add(i, "dns", "ok", "a.evil.example")
    r = dns_response(q, "192.0.2.7")
    s.send(struct.pack("!H", len(r)) + r, from_client=False)
    s.close_fin()

    # -- TLS 1.2 ClientHello with SNI in one segment.
    s = mk.TcpSession(cap, ws, evil, 50100, 443, at=1.000, rtt=0.030, expect=True,
                      note="TLS 1.2 ClientHello SNI evil.example")
    s.handshake()
    (i,) = data_frame(s, exp, client_hello("evil.example", tls13=False, seed=2))
    exp.add(i, "tls.sni", "ok", "evil.example")
    s.send(server_hello_like(1200, 3), from_client=False)
    s.wait(0.2).close_fin()

    # -- TLS 1.3 ClientHello (post-quantum sized) split across two segments.
    hello = client_hello("a.evil.example", tls13=True, pad_to=1900, seed=4)
    s = mk.TcpSession(cap, ws, evil, 50101, 443, at=1.500, rtt=0.030, expect=True,
                      note="TLS 1.3 ClientHello split over two segments")
    s.handshake()
    i1, i2 = data_frame(s, exp, hello)
    exp.add(i1, "tls.sni", "need_more")
    exp.add(i2, "tls.sni", "ok", "a.evil.example")
    s.send(server_hello_like(1000, 5), from_client=False)
    s.wait(0.2).close_fin()

    # -- TLS 1.3 ClientHello without SNI (IP-addressed HTTPS, ECH-less).
    s = mk.TcpSession(cap, ws2, evil, 50102, 443, at=2.000, rtt=0.030,
                      note="TLS ClientHello without server_name")
    s.handshake()
    (i,) = data_frame(s, exp, client_hello(None, seed=6))
    exp.add(i, "tls.sni", "no_name")
    s.send(server_hello_like(800, 7), from_client=False)
    s.wait(0.2).close_fin()

    # -- TLS over IPv6 to notevil.example: extracted, must not match.
    s = mk.TcpSession(cap, ws6, evil6, 50103, 443, at=2.500, rtt=0.030,
                      note="TLS SNI notevil.example over IPv6")
    s.handshake()
    (i,) = data_frame(s, exp, client_hello("NotEvil.Example", seed=8))
    exp.add(i, "tls.sni", "ok", "notevil.example")
    s.send(server_hello_like(900, 9), from_client=False)
    s.wait(0.2).close_fin()

    # -- HTTP/1.1 GET with Host: the URL indicator itself.
    s = mk.TcpSession(cap, ws, evil, 50200, 80, at=3.000, rtt=0.030, expect=True,
                      note="HTTP GET http://evil.example/gate.php?id=1")
    s.handshake()
    (i,) = data_frame(s, exp, b"GET /gate.php?id=1 HTTP/1.1\r\nHost: evil.example\r\n"
                              b"User-Agent: Mozilla/5.0\r\nAccept: */*\r\n\r\n")
    exp.add(i, "http.host", "ok", "evil.example")
    exp.add(i, "http.url", "ok", URL_IOC)
    s.send(http_response(), from_client=False)
    s.wait(0.1).close_fin()

    # -- Absolute-form request through a proxy (the target names the host).
    s = mk.TcpSession(cap, ws2, proxy, 50201, 3128, at=3.500, rtt=0.004, expect=True,
                      note="proxy request for http://evil.example/gate.php?id=1")
    s.handshake()
    (i,) = data_frame(s, exp, b"GET http://Evil.Example/gate.php?id=1 HTTP/1.1\r\n"
                              b"Host: evil.example\r\nProxy-Connection: keep-alive\r\n\r\n")
    exp.add(i, "http.host", "ok", "evil.example")
    exp.add(i, "http.url", "ok", URL_IOC)
    s.send(http_response(), from_client=False)
    s.wait(0.1).close_fin()

    # -- Pipelined: two requests in one segment (only the first is read), a third
    #    request in a segment of its own (read).
    s = mk.TcpSession(cap, ws2, benign, 50202, 80, at=4.000, rtt=0.030, expect=True,
                      note="pipelined requests; the third (own segment) is for evil.example")
    s.handshake()
    (i,) = data_frame(s, exp, b"GET /a HTTP/1.1\r\nHost: benign.example\r\n\r\n"
                              b"GET /b HTTP/1.1\r\nHost: notevil.example\r\n\r\n")
    exp.add(i, "http.host", "ok", "benign.example")
    exp.add(i, "http.url", "ok", "http://benign.example/a")
    (i,) = data_frame(s, exp, b"GET /c?x=1 HTTP/1.1\r\nHost: a.evil.example:8080\r\n\r\n")
    exp.add(i, "http.host", "ok", "a.evil.example")
    exp.add(i, "http.url", "ok", "http://a.evil.example:8080/c?x=1")
    s.send(http_response() + http_response() + http_response(), from_client=False)
    s.wait(0.1).close_fin()

    # -- HTTP/1.0 without Host.
    s = mk.TcpSession(cap, ws, notevil, 50203, 80, at=4.500, rtt=0.030,
                      note="HTTP/1.0 request without Host")
    s.handshake()
    (i,) = data_frame(s, exp, b"GET /gate.php?id=1 HTTP/1.0\r\nUser-Agent: curl/7.88\r\n\r\n")
    exp.add(i, "http.host", "no_name")
    s.send(http_response(), from_client=False)
    s.wait(0.1).close_fin()

    # -- Benign HTTP to benign.example.
    s = mk.TcpSession(cap, ws, benign, 50204, 80, at=5.000, rtt=0.030,
                      note="HTTP GET benign.example")
    s.handshake()
    (i,) = data_frame(s, exp, b"GET /index.html HTTP/1.1\r\nHost: benign.example\r\n\r\n")
    exp.add(i, "http.host", "ok", "benign.example")
    exp.add(i, "http.url", "ok", "http://benign.example/index.html")
    s.send(http_response(), from_client=False)
    s.wait(0.1).close_fin()
    return cap, exp


def write_names(out, expected):
    cap, exp = build_names()
    cap.write(out)
    with open(expected, "w") as fh:
        fh.write("# names.pcap - names on the wire, frame by frame "
                 "(tests/tools/mknames.py; read by tests/unit/test_extract_pcap.c)\n")
        fh.write("# columns: frame where result value (frame: 1-based; value '-' when none)\n")
        fh.write("# Indicators: domain evil.example, URL %s. Flows that should match:\n" % URL_IOC)
        for f in cap.flows:
            if f.expect:
                fh.write("#   %s %s %d -> %s %d vlan %d: %s\n" % (
                    mk.PROTO_NAMES[f.proto], f.src, f.sport, f.dst, f.dport, f.vlan, f.note))
        fh.write("# Flows that must not match:\n")
        for f in cap.flows:
            if not f.expect:
                fh.write("#   %s %s %d -> %s %d vlan %d: %s\n" % (
                    mk.PROTO_NAMES[f.proto], f.src, f.sport, f.dst, f.dport, f.vlan, f.note))
        fh.write("\n".join(exp.lines()) + "\n")


# ---- fuzz seeds ----------------------------------------------------------------

def transport_payloads(cap):
    """(proto, sport, dport, payload) of every frame with payload, in capture order."""
    out = []
    for _, _, fr in cap.sorted_packets():
        off = 12
        etype, = struct.unpack("!H", fr[off:off + 2])
        off += 2
        while etype in (mk.TPID_8021Q, mk.TPID_8021AD):
            etype, = struct.unpack("!H", fr[off + 2:off + 4])
            off += 4
        if etype == mk.ETH_P_IPV4:
            ihl = (fr[off] & 0x0F) * 4
            end = off + struct.unpack("!H", fr[off + 2:off + 4])[0]
            proto, l4 = fr[off + 9], off + ihl
        elif etype == mk.ETH_P_IPV6:
            end = off + 40 + struct.unpack("!H", fr[off + 4:off + 6])[0]
            proto, l4 = fr[off + 6], off + 40
        else:
            continue
        sport, dport = struct.unpack("!HH", fr[l4:l4 + 4])
        if proto == mk.IPPROTO_UDP:
            data = fr[l4 + 8:end]
        elif proto == mk.IPPROTO_TCP:
            seq, = struct.unpack("!I", fr[l4 + 4:l4 + 8])
            data = fr[l4 + (fr[l4 + 12] >> 4) * 4:end]
            if data:
                out.append((proto, sport, dport, data, seq))
            continue
        else:
            continue
        if data:
            out.append((proto, sport, dport, data, 0))
    return out


def write_corpus(top):
    cap, _ = build_names()
    seeds = {"extract_dns": {}, "extract_tls": {}, "extract_http": {}, "tls_reasm": {}}
    for n, (proto, sport, dport, data, seq) in enumerate(transport_payloads(cap)):
        if proto == mk.IPPROTO_UDP:
            # fuzz_extract_dns: flags (bit 0: TCP), name offset, message.
            seeds["extract_dns"]["udp_%02d" % n] = b"\x00\x0c" + data
        elif 53 in (sport, dport):
            seeds["extract_dns"]["tcp_%02d" % n] = b"\x01\x0c" + data
        elif data[:1] == b"\x16":
            seeds["extract_tls"]["cap_%02d" % n] = data
        elif data[:1].isupper():
            seeds["extract_http"]["cap_%02d" % n] = data
    # Hand-made DNS: compression pointers, a pointer loop, an escaped label.
    q = dns_query(7, "evil.example")
    ptr_msg = q + b"\x03www\xc0\x0c" + b"\x01a\xc0\x1e"  # www.evil.example at 30, a.www... at 36
    seeds["extract_dns"]["pointers"] = b"\x00\x24" + ptr_msg
    seeds["extract_dns"]["pointer_loop"] = b"\x00\x0c" + q[:12] + b"\x01x\xc0\x0c\x00\x01\x00\x01"
    seeds["extract_dns"]["escaped_label"] = b"\x00\x0c" + q[:12] + b"\x05a.b\\c\x07example\x00" \
        + b"\x00\x01\x00\x01"
    # TLS: several records, one without extensions, one cut.
    hello = client_hello("evil.example", seed=11)
    hs = hello[5:]
    frag = b"".join(b"\x16\x03\x01" + struct.pack("!H", len(hs[i:i + 50])) + hs[i:i + 50]
                    for i in range(0, len(hs), 50))
    seeds["extract_tls"]["fragmented_records"] = frag
    seeds["extract_tls"]["cut"] = hello[:200]
    seeds["extract_tls"]["duplicate_sni"] = client_hello("evil.example", seed=12,
                                                         extra=tls_sni_ext("benign.example"))
    # HTTP: proxy, CONNECT, folded Host, IPv6 literal.
    seeds["extract_http"]["connect"] = (b"CONNECT evil.example:443 HTTP/1.1\r\n"
                                        b"Host: evil.example\r\n\r\n")
    seeds["extract_http"]["folded"] = b"GET / HTTP/1.1\r\nHost: evil\r\n .example\r\n\r\n"
    seeds["extract_http"]["literal"] = b"GET http://[2001:db8::1]:8080/x HTTP/1.1\r\n\r\n"
    # fuzz_tls_reasm: operations (see the harness): save the first 1000 bytes of a
    # ClientHello, continue with the rest; a gap; an expiry.
    big = client_hello("a.evil.example", pad_to=1900, seed=13)

    def op(code, flow, seq, data=b""):
        return struct.pack("!BBIH", code, flow, seq, len(data)) + data

    seeds["tls_reasm"]["split_in_order"] = op(0, 1, 1000, big[:1000]) + op(1, 1, 2000, big[1000:])
    seeds["tls_reasm"]["retransmit_then_rest"] = (op(0, 2, 5, big[:700]) + op(1, 2, 5, big[:700]) +
                                                  op(1, 2, 405, big[400:]))
    seeds["tls_reasm"]["gap"] = op(0, 3, 9, big[:600]) + op(1, 3, 1000, big[991:])
    seeds["tls_reasm"]["expire"] = op(0, 4, 1, big[:900]) + op(3, 0, 0x7FFFFFFF) + op(2, 0, 64)
    seeds["tls_reasm"]["three"] = (op(0, 5, 0, big[:500]) + op(1, 5, 500, big[500:1000]) +
                                   op(1, 5, 1000, big[1000:]))
    for corpus, files in seeds.items():
        d = os.path.join(top, corpus)
        os.makedirs(d, exist_ok=True)
        for name, data in files.items():
            with open(os.path.join(d, name), "wb") as fh:
                fh.write(data)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("what", choices=["names", "corpus"])
    ap.add_argument("out", help="output pcap (names) or the fuzz corpus directory (corpus)")
    ap.add_argument("--expected", help="expected file (default: OUT with .expected)")
    args = ap.parse_args(argv)
    if args.what == "corpus":
        write_corpus(args.out)
        return 0
    write_names(args.out, args.expected or os.path.splitext(args.out)[0] + ".expected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
