"""Harness for the service tests: runs the real `laketap serve` binary (LAKETAP_BIN) and, for the S3
tests, a real moto server with SigV4 checking switched on."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def in_ci() -> bool:
    return bool(os.environ.get("CI"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def laketap_bin() -> Path:
    path = Path(os.environ.get("LAKETAP_BIN") or REPO / ".build/release/laketap")
    if not path.exists():
        pytest.fail(f"laketap binary not found at {path}; build it first (make test does)")
    return path


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)


def request(method: str, url: str, body: bytes | None = None, headers: dict | None = None,
            timeout: float = 30) -> Response:
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return Response(r.status, dict(r.headers), r.read())
    except urllib.error.HTTPError as e:
        return Response(e.code, dict(e.headers), e.read())


@dataclass
class Service:
    """One `laketap serve` process over a data directory and a lake that outlive it."""

    data_dir: Path
    lake: str
    settings: list[str] = field(default_factory=list)
    env: dict = field(default_factory=dict)
    port: int = 0
    process: subprocess.Popen | None = None
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30) -> "Service":
        self.port = free_port()
        self.log_path = self.data_dir.parent / f"serve-{self.port}.log"
        args = [str(laketap_bin()), "serve", "--port", str(self.port), "--data-dir", str(self.data_dir),
                "--lake", self.lake]
        for s in self.settings:
            args += ["--set", s]
        env = dict(os.environ)
        env.update(self.env)
        self.process = subprocess.Popen(args, stdout=open(self.log_path, "ab"), stderr=subprocess.STDOUT,
                                        env=env)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"laketap serve exited with {self.process.returncode}:\n{self.log()}")
            try:
                if request("GET", self.url + "/readyz", timeout=1).status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.05)
        raise AssertionError(f"laketap serve did not become ready in {timeout}s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-20000:] if self.log_path and self.log_path.exists() else ""

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def terminate(self, timeout: float = 120) -> int:
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=timeout)

    def post(self, stream: str, body: bytes, headers: dict | None = None, timeout: float = 30) -> Response:
        h = {"Content-Type": "application/x-ndjson"}
        h.update(headers or {})
        return request("POST", f"{self.url}/v1/streams/{stream}/records", body, h, timeout=timeout)

    def flush(self, stream: str, headers: dict | None = None) -> Response:
        return request("POST", f"{self.url}/v1/streams/{stream}/flush", b"", headers or {}, timeout=120)


@pytest.fixture
def service_factory(tmp_path):
    started: list[Service] = []

    def make(lake: str | None = None, settings: list[str] | None = None, env: dict | None = None) -> Service:
        s = Service(data_dir=tmp_path / "data", lake=lake or str(tmp_path / "lake"), settings=settings or [],
                    env=env or {})
        started.append(s)
        return s

    yield make
    for s in started:
        s.kill()


def ndjson(records) -> bytes:
    return b"".join(json.dumps(r, separators=(",", ":")).encode() + b"\n" for r in records)


def read_lake(root: Path) -> list[dict]:
    """Every record of every Parquet file under root, read with pyarrow."""
    import pyarrow.parquet as pq
    rows: list[dict] = []
    for path in sorted(root.rglob("*.parquet")):
        rows.extend(pq.read_table(path).to_pylist())
    return rows


# ---------------------------------------------------------------- moto


class Moto:
    def __init__(self, root: Path):
        self.root = root
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.key = None

    @staticmethod
    def binary() -> Path | None:
        for venv in (os.environ.get("LAKETAP_VENV"), REPO / ".venv", Path(sys.executable).parent.parent):
            if venv and (Path(venv) / "bin/moto_server").exists():
                return Path(venv) / "bin/moto_server"
        found = shutil.which("moto_server")
        return Path(found) if found else None

    def start(self) -> None:
        binary = self.binary()
        self.process = subprocess.Popen([str(binary), "-H", "127.0.0.1", "-p", str(self.port)],
                                        stdout=open(self.root / f"moto-{self.port}.log", "ab"),
                                        stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                request("GET", self.endpoint + "/moto-api/", timeout=1)
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("moto_server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def client(self, service: str = "s3", key=None):
        import boto3
        from botocore.config import Config
        key = key or self.key or {"AccessKeyId": "testing", "SecretAccessKey": "testing"}
        return boto3.client(service, endpoint_url=self.endpoint, region_name="us-east-1",
                            aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"],
                            config=Config(signature_version="s3v4", s3={"addressing_style": "path"},
                                          retries={"max_attempts": 1}))

    def enable_auth(self) -> dict:
        """Creates an IAM user allowed everything, then switches SigV4 checking on."""
        iam = self.client("iam")
        iam.create_user(UserName="ingest")
        iam.put_user_policy(UserName="ingest", PolicyName="all", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
        self.key = iam.create_access_key(UserName="ingest")["AccessKey"]
        r = request("POST", self.endpoint + "/moto-api/reset-auth", b"0", {"Content-Type": "text/plain"})
        assert r.status == 200, r
        return self.key


@pytest.fixture
def moto(tmp_path):
    if Moto.binary() is None:
        if in_ci():
            pytest.fail("moto_server is missing (scripts/install-deps.sh installs it into .venv)")
        pytest.skip("moto_server not installed")
    m = Moto(tmp_path)
    m.start()
    yield m
    m.stop()


def s3_env(moto: Moto, key: dict) -> dict:
    return {"AWS_ACCESS_KEY_ID": key["AccessKeyId"], "AWS_SECRET_ACCESS_KEY": key["SecretAccessKey"],
            "AWS_REGION": "us-east-1"}


def gzip_bytes(data: bytes) -> bytes:
    return gzip.compress(data)
