"""Real Redis topologies on loopback for the tests: a master with a replica watched by
sentinels, and a three-master cluster. Every process is a real redis-server on a free port,
with its files in a temporary directory removed when it stops (see tests/servers.py)."""

from __future__ import annotations

import atexit
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import redis

from tests.servers import _wait_for_port, find_redis_server, free_port, real_clock_env

SERVICE = "tawasul"


def _wait(what: str, ready: Callable[[], bool], timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if ready():
                return
        except redis.RedisError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{what}: not within {timeout_s}s")


@dataclass
class _Process:
    port: int
    directory: Path
    args: list[str]
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = self.directory / f"{self.port}.log"
        self.process = subprocess.Popen(
            [find_redis_server(), *self.args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=real_clock_env(),
        )
        _wait_for_port(self.port, f"redis-server {self.port}", self.process, log)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=5)


def _data_node(directory: Path, port: int, *extra: str) -> _Process:
    args = [
        "--bind", "127.0.0.1",
        "--port", str(port),
        "--dir", str(directory),
        "--dbfilename", f"{port}.rdb",
        "--logfile", str(directory / f"{port}.log"),
        "--save", "",
        "--appendonly", "no",
        "--daemonize", "no",
        *extra,
    ]  # fmt: skip
    return _Process(port, directory, args)


@dataclass
class SentinelSet:
    """A master, one replica and ``len(sentinels)`` sentinels watching them as
    :data:`SERVICE`; a forced failover (:meth:`failover`) takes seconds.

    Both data nodes run with ``min-replicas-to-write 1``, as the README asks of a
    production deployment: a master that has lost its replica refuses writes."""

    directory: Path
    master: _Process
    replica: _Process
    sentinels: list[_Process] = field(default_factory=list)

    @classmethod
    def start(cls, sentinels: int = 2) -> SentinelSet:
        directory = Path(tempfile.mkdtemp(prefix="tawasul-sentinel-"))
        guard = (
            "--min-replicas-to-write", "1",
            "--min-replicas-max-lag", "10",
            # the demoted master resyncs at once instead of 5 s later (Redis's default
            # waits for more replicas to share one transfer)
            "--repl-diskless-sync-delay", "0",
        )  # fmt: skip
        master_port = free_port()
        master = _data_node(directory, master_port, *guard)
        replica = _data_node(
            directory, free_port(), "--replicaof", "127.0.0.1", str(master_port), *guard
        )
        made = cls(directory, master, replica)
        atexit.register(made.stop)
        try:
            master.start()
            replica.start()
            for _ in range(sentinels):
                port = free_port()
                conf = directory / f"sentinel-{port}.conf"
                # a sentinel rewrites its own file: each has one, writable
                conf.write_text(
                    "\n".join(
                        [
                            f"port {port}",
                            "bind 127.0.0.1",
                            f"dir {directory}",
                            f"logfile {directory / f'sentinel-{port}.log'}",
                            f"sentinel monitor {SERVICE} 127.0.0.1 {master_port} 1",
                            # the failover is forced (SENTINEL FAILOVER): a sentinel
                            # quick to take a node for down would, on a loaded machine,
                            # start a second one of its own (failing back)
                            f"sentinel down-after-milliseconds {SERVICE} 5000",
                            f"sentinel failover-timeout {SERVICE} 5000",
                            f"sentinel parallel-syncs {SERVICE} 1",
                            "",
                        ]
                    )
                )
                sentinel = _Process(port, directory, [str(conf), "--sentinel"])
                made.sentinels.append(sentinel)
                sentinel.start()
            made.wait_ready()
        except BaseException:
            made.stop()
            raise
        return made

    @property
    def setting(self) -> str:
        """TAWASUL_REDIS_SENTINELS for this set."""
        return ",".join(f"127.0.0.1:{s.port}" for s in self.sentinels)

    def master_port(self) -> int:
        """The master's port as the first sentinel reports it."""
        with self.sentinels[0].client() as sentinel:
            _host, port = sentinel.sentinel_get_master_addr_by_name(SERVICE)
            return int(port)

    def wait_ready(self) -> None:
        """Until the replica is in sync and every sentinel knows it as a healthy replica
        (a failover can only promote a replica the sentinels have seen)."""

        def replica_synced() -> bool:
            with self.replica.client() as node:
                return bool(node.info("replication").get("master_link_status") == "up")

        def sentinels_see_it() -> bool:
            for sentinel in self.sentinels:
                with sentinel.client() as client:
                    replicas = client.sentinel_slaves(SERVICE)
                    if not any(
                        r["port"] == self.replica.port
                        and not r["is_sdown"]
                        and r.get("master-link-status") == "ok"
                        for r in replicas
                    ):
                        return False
            return True

        _wait("replica in sync", replica_synced)
        _wait("sentinels see the replica", sentinels_see_it)

    def failover(self) -> tuple[_Process, _Process]:
        """SENTINEL FAILOVER, returning (old master, new master) once the sentinels name the
        new one. The old master is demoted by the sentinels some seconds later: the bot is
        not waited for."""
        old = self.master_port()
        with self.sentinels[0].client() as sentinel:
            sentinel.execute_command("SENTINEL", "FAILOVER", SERVICE)
        # a sentinel whose clock jumped or that was not scheduled for 2 s (a loaded or
        # freshly booted machine) stays in TILT for 30 s, doing nothing: wait past that
        _wait("the sentinels name a new master", lambda: self.master_port() != old, 90.0)
        if old == self.master.port:
            return self.master, self.replica
        return self.replica, self.master

    def wait_settled(self, timeout_s: float = 90.0) -> None:
        """Until :meth:`settled`; raises RuntimeError after ``timeout_s`` seconds."""
        _wait("the sentinels settle on one master", self.settled, timeout_s)

    def settled(self) -> bool:
        """Whether every sentinel names the same master, that node is a master, and the other
        node replicates it with its link up (after a failover: the old master demoted and
        synced, or, should the sentinels have failed over again, the other way round)."""
        named = set()
        for sentinel in self.sentinels:
            with sentinel.client() as client:
                _host, port = client.sentinel_get_master_addr_by_name(SERVICE)
                named.add(int(port))
        if len(named) != 1:
            return False
        (port,) = named
        master, replica = (
            (self.master, self.replica) if port == self.master.port else (self.replica, self.master)
        )
        with master.client() as node:
            if node.info("replication")["role"] != "master":
                return False
        with replica.client() as node:
            info = node.info("replication")
        return bool(
            info["role"] == "slave"
            and int(info.get("master_port", 0)) == port
            and info.get("master_link_status") == "up"
        )

    def stop(self) -> None:
        for process in [*self.sentinels, self.replica, self.master]:
            process.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


@dataclass
class ClusterSet:
    """A Redis Cluster of three masters (no replicas), the 16384 slots split in three.

    Made with CLUSTER ADDSLOTSRANGE and CLUSTER MEET (what `redis-cli --cluster create`
    does), so that only redis-server is needed."""

    directory: Path
    nodes: list[_Process] = field(default_factory=list)
    bus_ports: list[int] = field(default_factory=list)

    @classmethod
    def start(cls, masters: int = 3) -> ClusterSet:
        directory = Path(tempfile.mkdtemp(prefix="tawasul-cluster-"))
        made = cls(directory)
        atexit.register(made.stop)
        try:
            for _ in range(masters):
                port, bus = free_port(), free_port()
                node = _data_node(
                    directory,
                    port,
                    "--cluster-enabled", "yes",
                    "--cluster-config-file", str(directory / f"nodes-{port}.conf"),
                    "--cluster-node-timeout", "2000",
                    # the bus port is the port + 10000 unless given: a free one instead
                    "--cluster-port", str(bus),
                )  # fmt: skip
                made.nodes.append(node)
                made.bus_ports.append(bus)
                node.start()
            share = 16384 // masters
            for i, node in enumerate(made.nodes):
                last = 16383 if i == masters - 1 else (i + 1) * share - 1
                with node.client() as client:
                    client.execute_command("CLUSTER", "ADDSLOTSRANGE", i * share, last)
            with made.nodes[0].client() as first:
                for node, bus in zip(made.nodes[1:], made.bus_ports[1:], strict=True):
                    first.execute_command("CLUSTER", "MEET", "127.0.0.1", node.port, bus)

            def formed() -> bool:
                for node in made.nodes:
                    with node.client() as client:
                        info = client.execute_command("CLUSTER", "INFO")
                        text = info.decode() if isinstance(info, bytes) else str(info)
                        if "cluster_state:ok" not in text or (
                            f"cluster_known_nodes:{masters}" not in text
                        ):
                            return False
                return True

            _wait("the cluster is formed", formed)
        except BaseException:
            made.stop()
            raise
        return made

    @property
    def url(self) -> str:
        """TAWASUL_REDIS_URL for the cluster: one of its nodes."""
        return f"redis://127.0.0.1:{self.nodes[0].port}"

    def stop(self) -> None:
        for node in self.nodes:
            node.stop()
        shutil.rmtree(self.directory, ignore_errors=True)
