"""Local servers for the engine's network tests (never the internet)."""

import shutil
import ssl
import subprocess

import pytest

from tests.monitoring.engine.linkserver import LinkServer


@pytest.fixture
def link_server():
    with LinkServer() as server:
        yield server


@pytest.fixture
def self_signed_server(tmp_path):
    """A LinkServer over HTTPS with a certificate nobody trusts, as an expired or home-made one would be."""
    if not shutil.which("openssl"):
        pytest.skip("需要 openssl 命令生成自签名证书")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    with LinkServer(tls_context=context) as server:
        yield server
