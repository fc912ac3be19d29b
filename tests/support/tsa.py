"""A local RFC 3161 time-stamp authority for the tests: Debian's `openssl ts -reply` behind a tiny HTTP server.

A root CA and a TSA certificate (critical EKU timeStamping) are made in a tmp dir; each POST of a
`application/timestamp-query` body is piped through `openssl ts -reply` and its DER response sent back.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.support.servers import in_ci

CONFIG = """
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = Party Ledger test TSA
[ tsa_ext ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ ca_ext ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = .
serial = ./serial
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha512
accuracy = secs:1
ordering = no
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


@dataclass(frozen=True)
class Authority:
    url: str
    chain: Path
    """The root CA and the TSA certificate, PEM: what `--tsa-cert` is given."""
    requests: list[bytes]


def _openssl(folder: Path, *args: str) -> None:
    subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True, timeout=60)


def make_certificates(folder: Path, name: str = "Test Root") -> Path:
    """A root CA and a TSA certificate it signed in `folder`; returns the PEM chain (root + TSA)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "tsa.cnf").write_text(CONFIG)
    (folder / "serial").write_text("01\n")
    ec = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes")
    _openssl(folder, "req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.crt", "-days", "30",
             "-subj", f"/CN={name}", "-config", "tsa.cnf", "-extensions", "ca_ext")  # fmt: skip
    _openssl(folder, "req", "-new", *ec, "-keyout", "tsa.key", "-out", "tsa.csr", "-config", "tsa.cnf")
    _openssl(folder, "x509", "-req", "-in", "tsa.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
             "-out", "tsa.crt", "-days", "30", "-extfile", "tsa.cnf", "-extensions", "tsa_ext")  # fmt: skip
    chain = folder / "chain.pem"
    chain.write_bytes((folder / "ca.crt").read_bytes() + (folder / "tsa.crt").read_bytes())
    return chain


@contextmanager
def local_authority(folder: Path) -> Iterator[Authority]:
    if shutil.which("openssl") is None:
        message = "openssl is needed for the local time-stamp authority"
        if in_ci():
            pytest.fail(f"CI must not skip: {message}", pytrace=False)
        pytest.skip(message)
    chain = make_certificates(folder)
    requests: list[bytes] = []
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            query = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            requests.append(query)
            with lock:
                (folder / "request.tsq").write_bytes(query)
                answered = subprocess.run(
                    ["openssl", "ts", "-reply", "-config", "tsa.cnf", "-queryfile", "request.tsq",
                     "-inkey", "tsa.key", "-signer", "tsa.crt", "-out", "response.tsr"],
                    cwd=folder, capture_output=True, timeout=60, check=False,
                )  # fmt: skip
                body = (folder / "response.tsr").read_bytes() if answered.returncode == 0 else b""
            self.send_response(200 if body else 400)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Authority(f"http://127.0.0.1:{server.server_address[1]}/tsa", chain, requests)
    finally:
        server.shutdown()
        server.server_close()
