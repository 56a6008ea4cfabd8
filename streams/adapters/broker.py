"""A real Apache Kafka broker on demand: KRaft, single node, loopback only, no Docker.

The jars come from Maven Central (``deploy/kafka/pom.xml``) into a cache outside
the repository (``<broker.home>/kafka-<version>/libs``); the broker runs as a
detached ``java -cp 'libs/*' kafka.Kafka`` process in its own process group,
with everything it writes (KRaft storage, log, pid file) under ``broker.data_dir``.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import os
import shutil
import signal
import socket
import string
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from streams.errors import BrokerError
from streams.settings import BrokerSettings

# deploy/kafka beside the package in a source checkout (the local broker is a developer/CI tool;
# containers use the official apache/kafka image instead).
DEPLOY_KAFKA_DIR = Path(__file__).resolve().parents[2] / "deploy" / "kafka"

# Kafka's own command-line tools (the scripts of its binary distribution), by script name.
TOOLS = {
    "kafka-consumer-groups": "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand",
    "kafka-topics": "org.apache.kafka.tools.TopicCommand",
    "kafka-console-consumer": "org.apache.kafka.tools.consumer.ConsoleConsumer",
    "kafka-console-producer": "kafka.tools.ConsoleProducer",
    "kafka-get-offsets": "org.apache.kafka.tools.GetOffsetShell",
    "kafka-configs": "kafka.admin.ConfigCommand",
    "kafka-broker-api-versions": "kafka.admin.BrokerApiVersionsCommand",
}

STOP_TIMEOUT_S = 30.0
LOG_TAIL_LINES = 15


@dataclass(frozen=True)
class BrokerStatus:
    running: bool
    ready: bool
    pid: int | None
    bootstrap: str
    data_dir: Path
    log_file: Path

    def describe(self) -> str:
        if not self.running:
            return f"broker not running (data dir {self.data_dir})"
        state = "ready" if self.ready else "NOT answering metadata requests"
        return f"broker running, {state}: pid {self.pid}, bootstrap {self.bootstrap}, log {self.log_file}"


class LocalBroker:
    """Start, stop and inspect one local broker, identified by its data directory."""

    def __init__(
        self,
        settings: BrokerSettings | None = None,
        *,
        port: int | None = None,
        data_dir: Path | str | None = None,
        home: Path | str | None = None,
        deploy_dir: Path | None = None,
    ) -> None:
        s = settings or BrokerSettings()
        self.version = s.kafka_version
        self.port = port if port is not None else s.port
        if port is not None:
            # an explicit port moves the controller with it unless both are given in settings
            self.controller_port = port + 1
        else:
            self.controller_port = s.controller_port or self.port + 1
        self.data_dir = Path(data_dir if data_dir is not None else s.data_dir).expanduser().resolve()
        self.home = Path(home if home is not None else s.home).expanduser().resolve()
        self.heap = s.heap
        self.start_timeout_s = s.start_timeout_s
        self.deploy_dir = deploy_dir or DEPLOY_KAFKA_DIR
        self._proc: subprocess.Popen[bytes] | None = None

    # -- paths ---------------------------------------------------------------------------------------

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def cache_dir(self) -> Path:
        return self.home / f"kafka-{self.version}"

    @property
    def libs_dir(self) -> Path:
        return self.cache_dir / "libs"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "kafka.log"

    @property
    def pid_file(self) -> Path:
        return self.data_dir / "kafka.pid"

    @property
    def properties_file(self) -> Path:
        return self.data_dir / "server.properties"

    @property
    def storage_dir(self) -> Path:
        return self.data_dir / "kraft-combined-logs"

    @property
    def cluster_id_file(self) -> Path:
        return self.data_dir / "cluster.id"

    # -- jars ----------------------------------------------------------------------------------------

    def jars_present(self) -> bool:
        jars = (f"kafka_2.13-{self.version}.jar", f"kafka-tools-{self.version}.jar")
        return all((self.libs_dir / jar).is_file() for jar in jars)

    def ensure_jars(self, progress: Callable[[str], None] | None = None) -> Path:
        """Fetch the broker's class path with Maven once; later calls return the cached folder."""
        if self.jars_present():
            return self.libs_dir
        if not self.version.startswith("3.9."):
            # the pom's logging backend (reload4j) and server.properties are those of 3.9; 4.x needs log4j2
            raise BrokerError(
                f"broker.kafka_version={self.version}: deploy/kafka supports Apache Kafka 3.9.x only"
            )
        mvn = shutil.which("mvn")
        if mvn is None:
            raise BrokerError(
                "Maven (mvn) not found on PATH: it is needed once to fetch the Kafka jars "
                f"into {self.libs_dir} (install Maven 3.8+, or use docker compose)"
            )
        pom = self.deploy_dir / "pom.xml"
        if not pom.is_file():
            raise BrokerError(f"{pom} not found: the local broker runs from a wirewatch source checkout")
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        with _file_lock(self.cache_dir / ".lock"):
            if self.jars_present():  # another process fetched them while we waited
                return self.libs_dir
            shutil.copyfile(pom, self.cache_dir / "pom.xml")
            if progress:
                progress(
                    f"fetching Apache Kafka {self.version} jars with Maven into {self.libs_dir} (once) …"
                )
            staging = self.cache_dir / "libs.partial"
            shutil.rmtree(staging, ignore_errors=True)
            cmd = [
                mvn, "-B", "-q", "-f", str(self.cache_dir / "pom.xml"),
                "dependency:copy-dependencies", f"-DoutputDirectory={staging}",
                "-DincludeScope=runtime", f"-Dkafka.version={self.version}",
            ]  # fmt: skip
            proc = subprocess.run(cmd, capture_output=True, text=True, cwd=self.cache_dir)
            if proc.returncode != 0:
                tail = _tail_text((proc.stdout or "") + (proc.stderr or ""))
                raise BrokerError(
                    f"Maven could not fetch Apache Kafka {self.version} jars (exit {proc.returncode}); "
                    f"command: {' '.join(cmd)}\n{tail}"
                )
            # an interrupted download never looks complete: libs/ appears only whole
            shutil.rmtree(self.libs_dir, ignore_errors=True)
            staging.rename(self.libs_dir)
        if not self.jars_present():
            raise BrokerError(f"Maven finished but kafka_2.13-{self.version}.jar is not in {self.libs_dir}")
        return self.libs_dir

    # -- lifecycle -----------------------------------------------------------------------------------

    def start(self, progress: Callable[[str], None] | None = None) -> str:
        """Start the broker (idempotent) and return once it answers a metadata request."""
        pid = self._our_pid()
        if pid is not None:
            running_port = self._configured_port()
            if running_port is not None and running_port != self.port:
                raise BrokerError(
                    f"the broker of {self.data_dir} already runs on port {running_port}, not {self.port}; "
                    "stop it first or use another --data-dir"
                )
            if self._wait_ready(pid, timeout_s=min(self.start_timeout_s, 30.0)):
                return f"broker already running: pid {pid}, bootstrap {self.bootstrap}"
            raise BrokerError(
                f"broker pid {pid} is running on {self.data_dir} but does not answer on {self.bootstrap}; "
                f"run `wirewatch broker stop` and retry\n{self.log_tail()}"
            )
        java = shutil.which("java")
        if java is None:
            raise BrokerError(
                "Java not found on PATH: the local Kafka broker needs a JDK/JRE 17+ "
                "(e.g. apt-get install openjdk-17-jre-headless), or use docker compose"
            )
        for name, p in (("port", self.port), ("controller port", self.controller_port)):
            if not _port_free(p):
                raise BrokerError(
                    f"{name} {p} on 127.0.0.1 is already in use (another Kafka or service?); "
                    "pick another with --port or WIREWATCH_BROKER__PORT"
                )
        libs = self.ensure_jars(progress)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._write_properties()
        self._format_storage(java, libs)

        with self.log_file.open("ab") as log:
            log.write(f"\n===== wirewatch broker start {time.strftime('%Y-%m-%dT%H:%M:%S')} =====\n".encode())
            log.flush()
            self._proc = subprocess.Popen(
                [java, *self._jvm_options(), "-cp", f"{libs}/*", "kafka.Kafka", str(self.properties_file)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                cwd=self.data_dir,
                # own process group: stop() signals the whole group, a Ctrl-C of the caller does not
                start_new_session=True,
            )
        self.pid_file.write_text(f"{self._proc.pid}\n")
        if not self._wait_ready(self._proc.pid, timeout_s=self.start_timeout_s):
            alive = _alive(self._proc.pid)
            tail = self.log_tail()
            self._kill_group(self._proc.pid)
            why = f"not ready after {self.start_timeout_s:.0f} s" if alive else "exited during start-up"
            raise BrokerError(f"Kafka broker {why} on {self.bootstrap} (log: {self.log_file})\n{tail}")
        return f"broker started: pid {self._proc.pid}, bootstrap {self.bootstrap}, data {self.data_dir}"

    def stop(self, timeout_s: float = STOP_TIMEOUT_S) -> str:
        """SIGTERM the broker's process group (controlled shutdown), SIGKILL after ``timeout_s``."""
        pid = self._our_pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return f"broker not running (data dir {self.data_dir})"
        self._kill_group(pid, timeout_s=timeout_s)
        self.pid_file.unlink(missing_ok=True)
        if _alive(pid):
            raise BrokerError(f"broker pid {pid} survived SIGKILL")
        return f"broker stopped (pid {pid})"

    def status(self) -> BrokerStatus:
        pid = self._our_pid()
        # a running broker is reported on the port it was started with, whatever port was asked for
        port = (self._configured_port() if pid is not None else None) or self.port
        bootstrap = f"127.0.0.1:{port}"
        ready = pid is not None and metadata_ok(bootstrap, timeout_s=5.0)
        return BrokerStatus(pid is not None, ready, pid, bootstrap, self.data_dir, self.log_file)

    def tool_command(
        self, name: str, args: list[str], progress: Callable[[str], None] | None = None
    ) -> list[str]:
        """The command line of one of Kafka's tools (``TOOLS``), on the broker's cached class path."""
        if name not in TOOLS:
            raise BrokerError(f"no Kafka tool {name!r}; there are: {', '.join(sorted(TOOLS))}")
        java = shutil.which("java")
        if java is None:
            raise BrokerError("Java not found on PATH: Kafka's tools need a JDK/JRE 17+")
        libs = self.ensure_jars(progress)
        log4j = self.deploy_dir / "tools-log4j.properties"
        return [java, "-Xmx256m", "-Djava.awt.headless=true", f"-Dlog4j.configuration=file:{log4j}",
                "-cp", f"{libs}/*", TOOLS[name], *args]  # fmt: skip

    def log_tail(self, lines: int = LOG_TAIL_LINES) -> str:
        try:
            text = self.log_file.read_text(errors="replace")
        except OSError:
            return "(no broker log)"
        return _tail_text(text, lines)

    # -- internals -----------------------------------------------------------------------------------

    def _jvm_options(self) -> list[str]:
        return [
            f"-Xms{min(256, _megabytes(self.heap))}m",
            f"-Xmx{self.heap}",
            "-XX:+UseG1GC",
            "-Djava.awt.headless=true",
            f"-Dlog4j.configuration=file:{self.deploy_dir / 'log4j.properties'}",
            f"-Dkafka.logs.dir={self.data_dir}",
            # a noexec /tmp breaks the native compression libraries; keep them beside the data
            f"-Dorg.xerial.snappy.tempdir={self.data_dir}",
            f"-DZstdTempFolder={self.data_dir}",
        ]

    def _write_properties(self) -> None:
        template = (self.deploy_dir / "server.properties").read_text()
        text = string.Template(template).substitute(
            port=self.port, controller_port=self.controller_port, log_dirs=self.storage_dir
        )
        self.properties_file.write_text(text)

    def _configured_port(self) -> int | None:
        """The client port in the data dir's rendered server.properties (the one the broker runs with)."""
        try:
            lines = self.properties_file.read_text().splitlines()
        except OSError:
            return None
        for line in lines:
            if line.startswith("advertised.listeners=PLAINTEXT://"):
                try:
                    return int(line.rsplit(":", 1)[1])
                except ValueError:
                    return None
        return None

    def _cluster_id(self) -> str:
        if self.cluster_id_file.is_file():
            return self.cluster_id_file.read_text().strip()
        # Kafka's Uuid.randomUuid(): base64url of 16 random bytes, never starting with '-'
        while True:
            cid = base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode()
            if not cid.startswith("-"):
                break
        self.cluster_id_file.write_text(cid + "\n")
        return cid

    def _format_storage(self, java: str, libs: Path) -> None:
        if (self.storage_dir / "meta.properties").is_file():
            return
        cmd = [
            java, *self._jvm_options(), "-cp", f"{libs}/*", "kafka.tools.StorageTool",
            "format", "-t", self._cluster_id(), "-c", str(self.properties_file), "--ignore-formatted",
        ]  # fmt: skip
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=self.data_dir)
        if proc.returncode != 0:
            raise BrokerError(
                f"formatting KRaft storage in {self.storage_dir} failed (exit {proc.returncode})\n"
                + _tail_text(proc.stdout + proc.stderr)
            )

    def _our_pid(self) -> int | None:
        """The pid from the pid file if that process is alive and is our broker, else None."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        if not _alive(pid):
            return None
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            return None
        # a recycled pid belongs to someone else: never signal it
        if b"kafka.Kafka" in cmdline and str(self.properties_file).encode() in cmdline:
            return pid
        return None

    def _wait_ready(self, pid: int, timeout_s: float) -> bool:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if not _alive(pid):
                return False
            if _port_open(self.port) and metadata_ok(self.bootstrap, timeout_s=5.0):
                return True
            time.sleep(0.3)
        return False

    def _kill_group(self, pid: int, timeout_s: float = STOP_TIMEOUT_S) -> None:
        for sig, wait_s in ((signal.SIGTERM, timeout_s), (signal.SIGKILL, 10.0)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, sig)
            deadline = time.monotonic() + wait_s
            while time.monotonic() < deadline:
                self._reap(pid)
                if not _alive(pid):
                    return
                time.sleep(0.1)

    def _reap(self, pid: int) -> None:
        if self._proc is not None and self._proc.pid == pid:
            self._proc.poll()
            return
        with contextlib.suppress(ChildProcessError, OSError):
            os.waitpid(pid, os.WNOHANG)


def metadata_ok(bootstrap: str, timeout_s: float = 5.0) -> bool:
    """True when a broker at ``bootstrap`` answers a real Metadata request listing itself."""
    from kafka import KafkaConsumer  # kafka-python; imported lazily to keep CLI start-up quick
    from kafka.errors import KafkaError

    consumer = None
    try:
        consumer = KafkaConsumer(
            bootstrap_servers=bootstrap,
            request_timeout_ms=int(timeout_s * 1000),
            bootstrap_timeout_ms=int(timeout_s * 1000),
            client_id="wirewatch-broker-probe",
        )
        consumer.topics()  # sends MetadataRequest
        return bool(consumer._client.cluster.brokers())  # noqa: SLF001 - kafka-python has no public cluster view
    except (KafkaError, OSError, ValueError):
        return False
    finally:
        if consumer is not None:
            with contextlib.suppress(Exception):
                consumer.close()


def listener_pid(port: int) -> int | None:
    """The process listening on TCP ``port`` (Linux /proc; None when unknown or not ours to see)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            # local address is HEX_IP:HEX_PORT; state 0A is LISTEN
            if len(fields) > 9 and fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(f"socket:[{fields[9]}]")
    if not inodes:
        return None
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            for fd in (proc / "fd").iterdir():
                if os.readlink(fd) in inodes:
                    return int(proc.name)
        except OSError:
            continue
    return None


def describe_process(pid: int) -> str:
    """``pid 123 (java ... kafka.Kafka /path/server.properties), cwd /path`` as far as /proc tells."""
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        words = [a.decode(errors="replace") for a in argv if a]
    except OSError:
        return f"pid {pid}"
    if "kafka.Kafka" in words:  # the JVM's options and class path say nothing useful
        words = [Path(words[0]).name, "…", *words[words.index("kafka.Kafka") :]]
    text = " ".join(words)
    text = text if len(text) <= 160 else text[:157] + "…"
    try:
        cwd = os.readlink(f"/proc/{pid}/cwd")
    except OSError:
        cwd = None
    return f"pid {pid} ({text})" + (f", cwd {cwd}" if cwd else "")


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    # field 3 is the state; a zombie has finished running
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(1.0)
        return s.connect_ex(("127.0.0.1", port)) == 0


def free_port(count: int = 2) -> int:
    """A port P such that P .. P+count-1 are all free on 127.0.0.1 (for the broker and its controller)."""
    for _ in range(200):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind(("127.0.0.1", 0))
            base = s.getsockname()[1]
        if base + count - 1 < 65536 and all(_port_free(base + i) for i in range(count)):
            return base
    raise BrokerError(f"no {count} consecutive free ports found on 127.0.0.1")


def _megabytes(heap: str) -> int:
    h = heap.strip().lower()
    units = {"k": 1 / 1024, "m": 1, "g": 1024}
    if h and h[-1] in units:
        return max(1, int(float(h[:-1]) * units[h[-1]]))
    return max(1, int(h) // (1024 * 1024))


def _tail_text(text: str, lines: int = LOG_TAIL_LINES) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    with path.open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
