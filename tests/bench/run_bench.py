#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""run_bench.py - `make bench`: iocwire's throughput and lookup cost against
DPDK's own tools on the same virtual device, in the same run.

For one worker core (EAL lcores 0-1: main + one worker) it measures
  * dpdk-testpmd rx-only and io-forwarding over net_pcap (infinite_rx) as
    the ceilings,
  * iocwire passive and inline over the same device with IOC tables of 1k,
    100k and 1M indicators, 64-byte frames, 1M distinct flows, 0.1% matching,
    plus 0% and 100% matching and IMIX,
  * per-lookup cycles of iocwire's snapshot against rte_hash and rte_fib,
  * tcpdump with a BPF filter of IOC addresses over the same capture,
  * snapshot compile time and bytes per indicator for 1M indicators,
and writes build/bench/report.json, report.md and mpps_vs_iocs.png.
Rates are read from DPDK telemetry (/ethdev/stats) of the running process,
sampled after a warm-up, so start-up time is not counted.
"""
import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.abspath(os.path.join(HERE, "..", ".."))
GEN = os.path.join(HERE, "gen_traffic.py")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def stop(proc, sig, timeout=30):
    """Signal a process to stop; kill it if it has not within @timeout seconds."""
    proc.send_signal(sig)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class Telemetry:
    """Minimal client of DPDK's telemetry v2 socket."""

    def __init__(self, prefix):
        self.path = "/var/run/dpdk/%s/dpdk_telemetry.v2" % prefix
        self.sock = None

    def connect(self, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
                s.connect(self.path)
                s.recv(16384)  # greeting
                self.sock = s
                return True
            except OSError:
                time.sleep(0.2)
        return False

    def query(self, cmd):
        self.sock.send(cmd.encode())
        return json.loads(self.sock.recv(1 << 20).decode())

    def ipackets(self, port=0):
        return self.query("/ethdev/stats,%d" % port)["/ethdev/stats"]["ipackets"]

    def port_drops(self, port=0):
        s = self.query("/ethdev/stats,%d" % port)["/ethdev/stats"]
        return s["imissed"] + s["rx_nombuf"] + s["ierrors"]


class Bench:
    def __init__(self, args):
        self.args = args
        self.out = os.path.abspath(args.out)
        self.data = os.path.join(self.out, "data")
        self.build = os.path.abspath(args.build)
        os.makedirs(self.data, exist_ok=True)
        self.results = []
        self.counter = 0
        self.huge = self.hugepages_free() >= 700
        self.mem = [] if self.huge else ["--no-huge", "-m", "3072"]

    @staticmethod
    def hugepages_free():
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("HugePages_Free"):
                    return int(line.split()[1])
        return 0

    def add(self, name, value, unit, ceiling=None, target=None, met=None, **extra):
        ratio = value / ceiling if ceiling else None
        r = {"name": name, "value": round(value, 3), "unit": unit,
             "ceiling": round(ceiling, 3) if ceiling else None,
             "ratio": round(ratio, 3) if ratio is not None else None,
             "target": target, "met": met}
        r.update(extra)
        self.results.append(r)
        log("  %-40s %10.3f %-14s%s" % (name, value, unit,
                                         "  ratio %.3f" % ratio if ratio is not None else ""))
        return r

    # ---- inputs -------------------------------------------------------------
    def ensure(self, path, argv):
        if not os.path.exists(path):
            log("generating %s" % os.path.basename(path))
            subprocess.run([sys.executable, GEN] + argv + [path], check=True)
        return path

    def inputs(self):
        d = self.data
        n = self.args.packets
        self.cap = {
            "64b_1mflows": self.ensure(os.path.join(d, "64b_1mflows.pcap"),
                                       ["capture", "--packets", str(n), "--flows", str(n),
                                        "--hit-rate", "0.001"]),
            "64b_1kflows_100pct": self.ensure(os.path.join(d, "64b_1kflows_100pct.pcap"),
                                              ["capture", "--packets", "8192", "--flows", "1000",
                                               "--hit-rate", "1.0"]),
            "imix_64kflows": self.ensure(os.path.join(d, "imix_64kflows.pcap"),
                                         ["capture", "--packets", "65536", "--flows", "65536",
                                          "--hit-rate", "0.001", "--imix"]),
        }
        self.iocs = {}
        for name, count, hits in (("1k", 1000, True), ("100k", 100000, True),
                                  ("1m", 1000000, True), ("1m_nohits", 1000000, False)):
            argv = ["iocs", "--count", str(count)] + ([] if hits else ["--no-hits"])
            self.iocs[name] = self.ensure(os.path.join(d, "iocs_%s.txt" % name), argv)
        self.snap = {}
        for name, feed in self.iocs.items():
            self.snap[name] = self.compile(name, feed)
        mixed = self.ensure(os.path.join(d, "iocs_1m_mixed.txt"), ["iocs", "--count", "1000000", "--mixed"])
        self.compile("1m_mixed", mixed)

    def compile(self, name, feed):
        path = os.path.join(self.data, "iocs_%s.snap" % name)
        t0 = time.time()
        p = subprocess.run([os.path.join(self.build, "control", "iocwire-control"), "compile",
                            "-o", path, feed], capture_output=True, text=True, check=True)
        wall = time.time() - t0
        m = re.search(r"snapshot: (\d+) indicators.*?(\d+) bytes, ([\d.]+) ms", p.stderr)
        if m and name in ("1m", "100k", "1k", "1m_mixed"):
            nb, size, ms = int(m.group(1)), int(m.group(2)), float(m.group(3))
            big = name.startswith("1m")
            self.add("compile_%s_iocs" % name, ms / 1000.0, "s", target="< 2 s" if big else None,
                     met=(ms < 2000) if big else None, wall_s=round(wall, 3))
            self.add("snapshot_bytes_per_ioc_%s" % name, size / nb, "bytes/IOC",
                     target="< 64" if big else None, met=(size / nb < 64) if big else None)
        return path

    # ---- runs ---------------------------------------------------------------
    def eal(self, prefix, vdevs):
        argv = ["-l", "0-1", "--no-pci", "--file-prefix", prefix, "--log-level=lib.eal:error"] + self.mem
        for v in vdevs:
            argv += ["--vdev", v]
        return argv

    def vdevs(self, capture, inline):
        pcap = "net_pcap0,rx_pcap=%s,tx_pcap=/dev/null,infinite_rx=1" % capture
        return [pcap, "net_null0,no-rx=1"] if inline else [pcap]

    def measure(self, label, argv, stop_signal):
        """Start a DPDK process, sample port 0's ipackets over the window, stop it."""
        self.counter += 1
        logf = open(os.path.join(self.out, "%02d_%s.log" % (self.counter, label)), "w")
        p = subprocess.Popen(argv, stdout=logf, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        prefix = argv[argv.index("--file-prefix") + 1]
        tel = Telemetry(prefix)
        try:
            if not tel.connect(60):
                raise RuntimeError("%s: no telemetry socket (see its log)" % label)
            deadline = time.time() + 60
            while tel.ipackets() == 0:
                if p.poll() is not None or time.time() > deadline:
                    raise RuntimeError("%s: no packets received (see its log)" % label)
                time.sleep(0.1)
            time.sleep(self.args.warmup)
            s0, t0 = tel.ipackets(), time.time()
            time.sleep(self.args.duration)
            s1, t1 = tel.ipackets(), time.time()
            return (s1 - s0) / (t1 - t0)
        finally:
            stop(p, stop_signal)
            logf.close()

    @staticmethod
    def packets_in(capture):
        return (os.path.getsize(capture) - 24) // (16 + 60) if "64b" in capture else 65536

    def mbufs_for(self, capture):
        # infinite_rx keeps the whole capture in mbufs, plus rings and caches.
        return self.packets_in(capture) + 150000

    @staticmethod
    def mbuf_size_for(capture):
        return 2048 if "imix" in capture else 512 if "names" in capture else 256

    def testpmd(self, mode, capture):
        inline = mode == "io"
        argv = ["dpdk-testpmd"] + self.eal("iocwb_tp%d" % self.counter, self.vdevs(capture, inline)) + [
            "--", "--forward-mode=" + mode, "--nb-cores=1", "--rxq=1", "--txq=1",
            "--total-num-mbufs=%d" % self.mbufs_for(capture),
            "--mbuf-size=%d" % self.mbuf_size_for(capture), "--stats-period=1", "--burst=32"]
        return self.measure("testpmd_%s" % mode, argv, signal.SIGINT)

    def iocwire(self, mode, capture, snap):
        conf = os.path.join(self.out, "bench_%s.yaml" % mode)
        with open(conf, "w") as f:
            f.write("dataplane:\n  mode: %s\n  socket: %s/dp.sock\n  mbufs: %d\n  mbuf_size: %d\n"
                    "  burst: 32\n  flows:\n    capacity: 65536\n"
                    % ("inline" if mode == "inline" else "passive", self.out, self.mbufs_for(capture),
                       self.mbuf_size_for(capture)))
        argv = [os.path.join(self.build, "dataplane", "iocwire-dataplane")] + \
            self.eal("iocwb_iw%d" % self.counter, self.vdevs(capture, mode == "inline")) + \
            ["--", "-c", conf, "--snapshot", snap]
        return self.measure("iocwire_%s" % mode, argv, signal.SIGTERM)

    def throughput(self):
        cap = self.cap["64b_1mflows"]
        log("throughput, one worker core, 64-byte frames, 1M flows, 0.1%% matching (%s)"
            % ("hugepages" if self.huge else "no hugepages"))
        rx_ceiling = self.testpmd("rxonly", cap)
        io_ceiling = self.testpmd("io", cap)
        self.add("testpmd_rxonly_64b_1mflows", rx_ceiling / 1e6, "Mpps")
        self.add("testpmd_io_64b_1mflows", io_ceiling / 1e6, "Mpps")
        self.curve = {"passive": [], "inline": []}
        for size in ("1k", "100k", "1m"):
            for mode, ceiling in (("passive", rx_ceiling), ("inline", io_ceiling)):
                rate = self.iocwire(mode, cap, self.snap[size])
                full = size == "1m"
                self.add("iocwire_%s_64b_1mflows_p01_%s_iocs" % (mode, size), rate / 1e6, "Mpps",
                         ceiling=ceiling / 1e6, target=">= 0.85 of ceiling" if full else None,
                         met=(rate / ceiling >= 0.85) if full else None)
                self.curve[mode].append((size, rate / 1e6))
        self.ceilings = (rx_ceiling / 1e6, io_ceiling / 1e6)
        rate = self.iocwire("passive", cap, self.snap["1m_nohits"])
        self.add("iocwire_passive_64b_1mflows_p0_1m_iocs", rate / 1e6, "Mpps", ceiling=rx_ceiling / 1e6)
        cap100 = self.cap["64b_1kflows_100pct"]
        ceil100 = self.testpmd("rxonly", cap100)
        self.add("testpmd_rxonly_64b_1kflows", ceil100 / 1e6, "Mpps")
        rate = self.iocwire("passive", cap100, self.snap["1m"])
        self.add("iocwire_passive_64b_1kflows_p100_1m_iocs", rate / 1e6, "Mpps", ceiling=ceil100 / 1e6)
        capimix = self.cap["imix_64kflows"]
        ceilimix = self.testpmd("rxonly", capimix)
        self.add("testpmd_rxonly_imix_64kflows", ceilimix / 1e6, "Mpps")
        rate = self.iocwire("passive", capimix, self.snap["1m"])
        self.add("iocwire_passive_imix_64kflows_p01_1m_iocs", rate / 1e6, "Mpps", ceiling=ceilimix / 1e6)

    def loss_at_90pct(self):
        """Zero loss at 90% of capacity: iocwire passive on a net_memif port fed by
        iocwire-trafficgen (64-byte frames, 1M flows, 0.1% IOC flows, 1M IOCs). Capacity is
        the chain's full-speed rate; then 10 s at 90% of it. A memif ring that is full
        makes the sender retry instead of dropping: those refusals are what a NIC would
        have counted as imissed, so they are the loss figure, with the port's own
        drops and the event-ring drops."""
        log("loss at 90% of capacity (net_memif, trafficgen -> iocwire passive)")
        tg_iocs = os.path.join(self.data, "tg_iocs_1k.txt")
        if not os.path.exists(tg_iocs):
            # The generator aims its IOC flows at these; its benign ranges stay clear of the table.
            with open(tg_iocs, "w") as f:
                for i in range(1, 1001):
                    f.write("100.64.%d.%d\n" % (i // 256, i % 256))
        feed = os.path.join(self.data, "iocs_1m_loss.txt")
        if not os.path.exists(feed):
            with open(feed, "w") as out:
                for src in (self.iocs["1m_nohits"], tg_iocs):
                    with open(src) as f:
                        out.write(f.read())
        snap = self.compile("1m_loss", feed)
        sock = os.path.join(self.out, "memif.sock")
        conf = os.path.join(self.out, "loss.yaml")
        with open(conf, "w") as f:
            f.write("dataplane:\n  mode: passive\n  socket: %s/loss-dp.sock\n" % self.out)
        self.counter += 1
        prefix = "iocwb_loss%d" % self.counter
        dp_log = open(os.path.join(self.out, "%02d_loss_dataplane.log" % self.counter), "w")
        dp = subprocess.Popen(
            [os.path.join(self.build, "dataplane", "iocwire-dataplane"), "-l", "0-1", "--no-pci",
             "--file-prefix", prefix, "--log-level=lib.eal:error", "--no-huge", "-m", "1024",
             "--vdev", "net_memif0,role=server,socket=%s" % sock, "--", "-c", conf, "--snapshot", snap],
            stdout=dp_log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        tel = Telemetry(prefix)
        try:
            if not tel.connect(60):
                raise RuntimeError("loss: no telemetry from the dataplane (see its log)")
            # Ready once its commands are registered and the snapshot is loaded.
            deadline = time.time() + 60
            while not (tel.query("/iocwire/snapshot").get("/iocwire/snapshot") or {}).get("generation"):
                if dp.poll() is not None or time.time() > deadline:
                    raise RuntimeError("loss: the dataplane did not load its snapshot (see its log)")
                time.sleep(0.2)

            def counters():
                w = tel.query("/iocwire/stats")["/iocwire/stats"]
                return w["rx_pkts"], tel.port_drops(), w["events_dropped"]

            def send(rate, seconds):
                argv = [os.path.join(self.build, "tests", "trafficgen", "iocwire-trafficgen"),
                        "-l", "0", "--no-pci", "--file-prefix", prefix + "tg", "--no-huge", "-m", "512",
                        "--log-level=lib.eal:error", "--vdev", "net_memif0,role=client,socket=%s" % sock,
                        "--", "--size", "64", "--flows", "1000000", "--hit-rate", "0.001",
                        "--ioc-feed", tg_iocs, "--duration", str(seconds)]
                if rate:
                    argv += ["--rate", str(int(rate))]
                before = counters()
                p = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 120)
                m = re.search(r"sent=(\d+) .*?seconds=([\d.]+) .*? refused=(\d+)", p.stdout)
                if p.returncode != 0 or not m:
                    raise RuntimeError("loss: trafficgen failed: %s %s" % (p.stdout, p.stderr))
                time.sleep(0.5)
                after = counters()
                sent, secs, refused = int(m.group(1)), float(m.group(2)), int(m.group(3))
                return sent, secs, refused, [a - b for a, b in zip(after, before)]

            sent, secs, refused, _ = send(0, 5)
            capacity = sent / secs
            self.add("loss_chain_capacity_memif_1m_iocs", capacity / 1e6, "Mpps",
                     refused_at_full_speed=refused)
            sent, secs, refused, (rx, port_drops, ev_drops) = send(0.9 * capacity, 10)
            lost = refused + port_drops + ev_drops + (sent - rx)
            stall_us = tel.query("/iocwire/stats")["/iocwire/stats"]["max_loop_ns"] / 1e3
            self.add("loss_at_90pct_capacity", lost, "packets", target="0", met=lost == 0,
                     rate_mpps=round(sent / secs / 1e6, 3), sent=sent, received=rx,
                     refused_by_ring=refused, port_drops=port_drops, events_dropped=ev_drops,
                     worst_worker_loop_us=round(stall_us, 1))
        finally:
            stop(dp, signal.SIGTERM)
            dp_log.close()

    def quick(self):
        cap = self.cap["64b_1mflows"]
        ceiling = self.testpmd("rxonly", cap)
        self.add("testpmd_rxonly_64b_1mflows", ceiling / 1e6, "Mpps")
        for size in ("1m", "1m_nohits"):
            rate = self.iocwire("passive", cap, self.snap[size])
            self.add("iocwire_passive_64b_1mflows_%s" % size, rate / 1e6, "Mpps", ceiling=ceiling / 1e6)

    def reload_under_load(self):
        """Reload 1M indicators every second while the worker runs flat out (issue: reload bench)."""
        ctl = os.path.join(self.build, "control", "iocwire-control")
        feed = os.path.join(self.out, "reload_feed.txt")
        variants = [self.iocs["1m"], os.path.join(self.data, "iocs_1m_variant.txt")]
        if not os.path.exists(variants[1]):
            shutil.copy(variants[0], variants[1])
            with open(variants[1], "a") as f:
                f.write("192.0.2.99:4444\n")
        shutil.copy(variants[0], feed)
        conf = os.path.join(self.out, "reload.yaml")
        with open(conf, "w") as f:
            f.write("dataplane:\n  socket: %s/rl-dp.sock\n  mbufs: %d\n  mbuf_size: 256\n"
                    "control:\n  socket: %s/rl-ctl.sock\n  state_dir: %s/rl-state\n  reload_delay: 60s\n"
                    "  feeds:\n    - path: %s\n  export:\n    - type: file\n      path: /dev/null\n"
                    % (self.out, self.mbufs_for(self.cap["64b_1mflows"]), self.out, self.out, feed))
        prefix = "iocwb_rl"
        dp_argv = [os.path.join(self.build, "dataplane", "iocwire-dataplane")] + \
            self.eal(prefix, self.vdevs(self.cap["64b_1mflows"], False)) + ["--", "-c", conf]
        logf = open(os.path.join(self.out, "reload_dp.log"), "w")
        dp = subprocess.Popen(dp_argv, stdout=logf, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        dlog = open(os.path.join(self.out, "reload_ctl.log"), "w")
        daemon = subprocess.Popen([ctl, "run", "-c", conf], stdout=dlog, stderr=subprocess.STDOUT)
        tel = Telemetry(prefix)
        try:
            if not tel.connect(60):
                raise RuntimeError("reload bench: no telemetry")
            status = lambda: json.loads(subprocess.run([ctl, "status", "--json", "-c", conf], capture_output=True,
                                                       text=True).stdout or "{}")
            deadline = time.time() + 90
            while time.time() < deadline:
                st = status()
                if st.get("dataplane", {}).get("attached") and st["dataplane"]["generation"] == \
                        st.get("snapshot", {}).get("generation"):
                    break
                time.sleep(0.2)
            base = tel.query("/iocwire/stats")["/iocwire/stats"]
            rx0, drops0 = base["rx_pkts"], tel.port_drops()
            latencies = []
            for i in range(self.args.reloads):
                t0 = time.time()
                shutil.copy(variants[(i + 1) % 2], feed + ".new")
                os.rename(feed + ".new", feed)
                r = subprocess.run([ctl, "reload", "-c", conf], capture_output=True, text=True)
                latencies.append(time.time() - t0)
                if r.returncode != 0:
                    raise RuntimeError("reload %d failed: %s" % (i, r.stderr))
                time.sleep(max(0.0, 1.0 - (time.time() - t0)))
            st = status()
            after = tel.query("/iocwire/stats")["/iocwire/stats"]
            drops1 = tel.port_drops()
        finally:
            stop(daemon, signal.SIGTERM)
            stop(dp, signal.SIGTERM, 60)
            logf.close()
            dlog.close()
        reloads = st["reloads"][-self.args.reloads:]
        # Packets the port could not hand to the worker (missed, no mbuf, errors) during the reloads.
        lost = drops1 - drops0
        self.add("reload_1m_latency_max", max(latencies), "s", note="file replaced -> reload command answered")
        self.add("reload_1m_compile_ms_max", max(r["compile_ms"] for r in reloads), "ms")
        self.add("reload_1m_transfer_ms_max", max(r["transfer_ms"] for r in reloads), "ms")
        self.add("reload_1m_validate_ms_max", max(r["validate_ms"] for r in reloads), "ms")
        self.add("reload_1m_swap_ms_max", max(r["swap_ms"] for r in reloads), "ms")
        self.add("reload_1m_worst_worker_stall", after["max_loop_ns"] / 1e6, "ms",
                 note="longest worker loop iteration; on a 2-core VM includes OS preemption by the compile")
        self.add("reload_1m_packets_lost", float(lost), "packets", target="0", met=lost == 0,
                 reloads=len(reloads), rx=after["rx_pkts"] - rx0)

    def export(self):
        """Records per second through a real rsyslog over TCP, and event-to-collector latency."""
        if shutil.which("rsyslogd") is None:
            log("rsyslogd not installed: export bench skipped")
            return
        p = subprocess.run(["sh", os.path.join(HERE, "export_bench.sh"), self.build, "20000"],
                           capture_output=True, text=True)
        for line in p.stdout.splitlines():
            if line.startswith("{"):
                r = json.loads(line)
                self.add(r["name"], float(r["value"]), r["unit"])
        if p.returncode != 0:
            log("export bench failed: %s" % p.stderr[-500:])

    def names(self):
        """DNS-heavy and TLS-heavy traffic with 100k and 1M domain indicators, against IP-only matching."""
        for kind in ("dns", "tls"):
            cap = self.ensure(os.path.join(self.data, "names_%s.pcap" % kind),
                              ["names", "--kind", kind, "--packets", "65536"])
            ceiling = self.testpmd("rxonly", cap)
            self.add("testpmd_rxonly_%s" % kind, ceiling / 1e6, "Mpps")
            ip_only = self.iocwire("passive", cap, self.snap["1m"])
            self.add("iocwire_passive_%s_ip_only_1m" % kind, ip_only / 1e6, "Mpps", ceiling=ceiling / 1e6)
            for size, count in (("100k", 100000), ("1m", 1000000)):
                feed = self.ensure(os.path.join(self.data, "domains_%s.txt" % size),
                                   ["domains", "--count", str(count)])
                snap = self.compile("domains_%s" % size, feed)
                rate = self.iocwire("passive", cap, snap)
                self.add("iocwire_passive_%s_%s_domains" % (kind, size), rate / 1e6, "Mpps",
                         ceiling=ceiling / 1e6, cost_vs_ip_only=round(ip_only / rate, 3) if rate else None)

    def lookups(self):
        log("lookup cost (cycles per address, batched bursts of 32)")
        # On hugepages when there are (as the dataplane runs): 4 KiB pages add a TLB miss
        # to every probe of a table larger than the TLB reach, which is not the lookup's cost.
        mem = ["--file-prefix", "iocwb_lookup"] if self.huge else ["--no-huge", "-m", "2560"]
        argv = [os.path.join(self.build, "tests", "bench", "lookup_bench"), "-l", "0", "--no-pci",
                "--no-shconf", "--log-level=lib.eal:error"] + mem + ["--", "--lookups", str(self.args.lookups)]
        p = subprocess.run(argv, capture_output=True, text=True, check=True)
        rows = [json.loads(l) for l in p.stdout.splitlines() if l.startswith("{")]
        by = {r["name"]: r["value"] for r in rows}
        ours = [by["lookup_iocwire_%d" % n] for n in (1000, 100000, 1000000)]
        for n in (1000, 100000, 1000000):
            mine, theirs = by["lookup_iocwire_%d" % n], by["lookup_rte_hash_%d" % n]
            self.add("lookup_iocwire_%d_iocs" % n, mine, "cycles/lookup", ceiling=theirs,
                     target="< rte_hash bulk", met=mine < theirs)
            self.add("lookup_rte_hash_%d_iocs" % n, theirs, "cycles/lookup")
            self.add("lookup_rte_fib_%d_iocs" % n, by["lookup_rte_fib_%d" % n], "cycles/lookup")
        spread = max(ours) / min(ours)
        self.add("lookup_iocwire_spread_1k_to_1m", spread, "max/min", target="<= 1.20", met=spread <= 1.2)

    def tcpdump(self):
        if shutil.which("tcpdump") is None:
            log("tcpdump not installed: skipped")
            return
        hosts = 100  # BPF compile time grows steeply: 1000 hosts take over a minute here
        expr = " or ".join("host 198.18.%d.%d" % ((i + 1) >> 8, (i + 1) & 255) for i in range(hosts))
        cap = self.cap["64b_1mflows"]
        t0 = time.time()
        subprocess.run(["tcpdump", "-nr", cap, "-w", "/dev/null", expr], capture_output=True, check=True)
        dt = time.time() - t0
        self.add("tcpdump_bpf_%d_hosts_64b_1mflows" % hosts, self.args.packets / dt / 1e6, "Mpps",
                 note="offline read of the capture, whole run including BPF compile")

    # ---- report -------------------------------------------------------------
    def machine(self):
        cpu = "unknown"
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
        dpdk = subprocess.run(["pkg-config", "--modversion", "libdpdk"], capture_output=True,
                              text=True).stdout.strip()
        return {"cpu": cpu, "cores": os.cpu_count(), "kernel": platform.release(), "dpdk": dpdk,
                "hugepages": self.huge, "worker_cores": 1,
                "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}

    def write(self):
        # A partial run (--only) updates its results in the existing report and keeps the others.
        path = os.path.join(self.out, "report.json")
        results = self.results
        if self.args.only and os.path.exists(path):
            with open(path) as f:
                old = json.load(f).get("results", [])
            mine = {r["name"] for r in self.results}
            results = [r for r in old if r["name"] not in mine] + self.results
        self.results = results
        for r in results:
            r.pop("why", None)
            if r["met"] is False:
                r["why"] = self.why_missed(r, {x["name"]: x for x in results})
        report = {"machine": self.machine(), "results": results}
        with open(os.path.join(self.out, "report.json"), "w") as f:
            json.dump(report, f, indent=2)
        lines = ["# iocwire benchmark report", "",
                 "Machine: %(cpu)s, %(cores)s cores, kernel %(kernel)s, DPDK %(dpdk)s, "
                 "hugepages: %(hugepages)s, %(date)s. One worker core." % report["machine"], "",
                 "| result | value | unit | ceiling | ratio | target | met |",
                 "|---|---|---|---|---|---|---|"]
        for r in self.results:
            lines.append("| %s | %s | %s | %s | %s | %s | %s |" % (
                r["name"], r["value"], r["unit"], r["ceiling"] if r["ceiling"] is not None else "",
                r["ratio"] if r["ratio"] is not None else "", r["target"] or "",
                {True: "yes", False: "**no**", None: ""}[r["met"]]))
        missed = [r for r in self.results if r.get("why")]
        if missed:
            lines += ["", "## Targets missed, by how much and why", ""]
            lines += ["* **%s**: %s" % (r["name"], r["why"]) for r in missed]
        with open(os.path.join(self.out, "report.md"), "w") as f:
            f.write("\n".join(lines) + "\n")
        self.plot()

    @staticmethod
    def l2_cache():
        try:
            with open("/sys/devices/system/cpu/cpu0/cache/index2/size") as f:
                return f.read().strip()
        except OSError:
            return "unknown"

    def why_missed(self, r, by):
        """A missed target explained from the same run's figures."""
        name = r["name"]
        if r["ceiling"] and r["unit"] == "Mpps":
            dev_ns, ours_ns = 1e3 / r["ceiling"], 1e3 / r["value"]
            allowed = dev_ns / 0.85 - dev_ns
            return ("%.3f of the ceiling, %.0f%% short of 0.85. The ceiling spends %.1f ns per packet "
                    "in the PMD and the mbuf pool (net_pcap copies every frame out of its stored capture); "
                    "iocwire takes %.1f ns, %.1f ns more for parsing, hashing both addresses, two "
                    "pre-filter probes and flow bookkeeping, where 0.85 allows %.1f ns. On a real NIC "
                    "the PMD's share is smaller still, so the ratio would be lower, not higher."
                    % (r["ratio"], 100 * (0.85 - r["ratio"]) / 0.85, dev_ns, ours_ns, ours_ns - dev_ns,
                       allowed))
        if name == "lookup_iocwire_spread_1k_to_1m":
            small, big = by["lookup_iocwire_1000_iocs"]["value"], by["lookup_iocwire_1000000_iocs"]["value"]
            return ("%.1f cycles at 1k IOCs, %.1f at 1M: %.0f%% over the 1.20 bound. At 1M the pre-filter "
                    "(16 bits per address, 2 MiB) is larger than this CPU's L2 (%s), so every probe is "
                    "an L3 access; prefetching across the burst hides most of it, not all. The 1M "
                    "figure is still %.1fx cheaper than rte_hash bulk lookup on the same keys."
                    % (small, big, 100 * (r["value"] / 1.2 - 1), self.l2_cache(),
                       by["lookup_rte_hash_1000000_iocs"]["value"] / big))
        if name == "loss_at_90pct_capacity":
            return ("%d of %d frames were refused by the full memif ring at %.2f Mpps (a NIC would have "
                    "counted them as imissed), %d dropped at the port, %d events dropped. The ring "
                    "holds 1024 frames, %.0f us at this rate; the worker's longest loop iteration was "
                    "%.0f us: with 2 cores the generator, both main lcores and the worker share the "
                    "CPUs, and a worker the kernel deschedules for longer than the ring lasts loses "
                    "frames at any load (isolated cores, docs/deployment.md, remove that)."
                    % (r["refused_by_ring"], r["sent"], r["rate_mpps"], r["port_drops"], r["events_dropped"],
                       1024 / r["rate_mpps"], r.get("worst_worker_loop_us", 0)))
        return "see the figures above"


    def plot(self):
        by = {r["name"]: r["value"] for r in self.results}
        self.curve = {m: [(s, by["iocwire_%s_64b_1mflows_p01_%s_iocs" % (m, s)]) for s in ("1k", "100k", "1m")
                          if "iocwire_%s_64b_1mflows_p01_%s_iocs" % (m, s) in by] for m in ("passive", "inline")}
        if not self.curve["passive"] or "testpmd_rxonly_64b_1mflows" not in by:
            return
        self.ceilings = (by["testpmd_rxonly_64b_1mflows"], by.get("testpmd_io_64b_1mflows", 0))
        try:
            import matplotlib
            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
        except ImportError:
            log("matplotlib missing: no plot (apt-get install python3-matplotlib)")
            return
        sizes = {"1k": 1e3, "100k": 1e5, "1m": 1e6}
        fig, ax = plt.subplots(figsize=(7, 4.5))
        for mode, color in (("passive", "tab:blue"), ("inline", "tab:orange")):
            xs = [sizes[s] for s, _ in self.curve[mode]]
            ys = [v for _, v in self.curve[mode]]
            ax.plot(xs, ys, "o-", color=color, label="iocwire %s" % mode)
        ax.axhline(self.ceilings[0], color="tab:blue", ls="--", label="testpmd rx-only")
        ax.axhline(self.ceilings[1], color="tab:orange", ls="--", label="testpmd io")
        ax.set_xscale("log")
        ax.set_xlabel("IOC table size (indicators)")
        ax.set_ylabel("Mpps, one worker core")
        ax.set_ylim(bottom=0)
        ax.set_title("64-byte frames, 1M flows, 0.1% matching, net_pcap")
        ax.legend()
        ax.grid(True, alpha=0.3)
        fig.tight_layout()
        fig.savefig(os.path.join(self.out, "mpps_vs_iocs.png"), dpi=110)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(SRC, "build"))
    ap.add_argument("--out", default=os.path.join(SRC, "build", "bench"))
    ap.add_argument("--packets", type=int, default=1000000)
    ap.add_argument("--duration", type=float, default=3.0)
    ap.add_argument("--warmup", type=float, default=1.0)
    ap.add_argument("--lookups", type=int, default=4000000)
    ap.add_argument("--reloads", type=int, default=30)
    ap.add_argument("--only", choices=["throughput", "lookups", "tcpdump", "inputs", "quick", "reload", "export",
                                       "names", "loss"],
                    default=None,
                    help="one part only; quick = rx-only ceiling and iocwire passive at 1M IOCs")
    args = ap.parse_args(argv)
    b = Bench(args)
    b.inputs()
    if args.only in (None, "throughput"):
        b.throughput()
    if args.only == "quick":
        b.quick()
    if args.only in (None, "names"):
        b.names()
    if args.only in (None, "reload"):
        b.reload_under_load()
    if args.only in (None, "loss"):
        b.loss_at_90pct()
    if args.only in (None, "lookups"):
        b.lookups()
    if args.only in (None, "export"):
        b.export()
    if args.only in (None, "tcpdump"):
        b.tcpdump()
    b.write()
    log("report: %s/report.md" % b.out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
