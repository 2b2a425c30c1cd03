"""The load test against HTTPS whose certificate comes from a private CA, as the stand-in's
servers have: trusted when REQUESTS_CA_BUNDLE names the CA's certificate, as an operator sets
it, and never otherwise. Certificate checks are never turned off.

The server is production's gunicorn serving TLS itself (--certfile, --keyfile), with a CA and a
certificate for 127.0.0.1 made here.
"""

import os
import tempfile
import unittest
from datetime import UTC, datetime, timedelta
from ipaddress import IPv4Address
from pathlib import Path
from unittest import mock

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from loadtest.run import run_load
from loadtest.tests.restartable_instance import RestartableInstance, Tls, restartable_instance
from sitekit.instances import instances_env
from sitekit.mail_sink import KeepMessages
from sitekit.web_client import WebClient

SECONDS = 1.5
# What would make requests trust a certificate: none of them may be left from our environment.
CA_VARIABLES = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")


def make_private_ca_and_certificate(directory: Path) -> Tls:
    """A CA of our own, and a certificate it signed for 127.0.0.1, with its key."""
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Superlists load test CA")])
    ca_certificate = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(IPv4Address("127.0.0.1"))]), False
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    tls = Tls(directory / "server.crt", directory / "server.key", directory / "ca.crt")
    tls.ca_certificate.write_bytes(ca_certificate.public_bytes(serialization.Encoding.PEM))
    tls.certificate.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    tls.key.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return tls


def environment_trusting(ca_certificate: Path | None) -> dict[str, str]:
    """Our environment with REQUESTS_CA_BUNDLE naming ``ca_certificate``, or with no CA
    variable at all."""
    environ = {name: value for name, value in os.environ.items() if name not in CA_VARIABLES}
    if ca_certificate:
        environ["REQUESTS_CA_BUNDLE"] = str(ca_certificate)
    return environ


class LoadOverHttpsTest(unittest.TestCase):
    tls: Tls
    mailbox: KeepMessages
    instance: RestartableInstance

    @classmethod
    def setUpClass(cls) -> None:
        directory = Path(cls.enterClassContext(tempfile.TemporaryDirectory()))
        cls.tls = make_private_ca_and_certificate(directory)
        database = {"DJANGO_DB_PATH": str(directory / "db.sqlite3")}
        env, cls.mailbox = cls.enterClassContext(instances_env(database))
        cls.instance = cls.enterClassContext(restartable_instance(env, directory, cls.tls))

    def test_with_the_ca_in_requests_ca_bundle_the_load_test_runs_over_https(self):
        self.assertTrue(self.instance.base_url.startswith("https://127.0.0.1:"))
        with mock.patch.dict(os.environ, environment_trusting(self.tls.ca_certificate), clear=True):
            report = run_load([self.instance.base_url], self.mailbox, clients=4, seconds=SECONDS)
        print(f"\nOver HTTPS, with a private CA's certificate:\n{report.summary()}")
        self.assertTrue(report.ok, report.summary())

    def test_without_it_the_certificate_is_refused_and_the_report_says_what_to_do(self):
        with mock.patch.dict(os.environ, environment_trusting(None), clear=True):
            report = run_load([self.instance.base_url], self.mailbox, clients=4, seconds=SECONDS)
        self.assertFalse(report.ok)
        self.assertIn("could not GET /: certificate not trusted", report.set_up_failure)
        self.assertIn("set REQUESTS_CA_BUNDLE", report.set_up_failure)
        self.assertEqual(report.tally.failures, {"certificate not trusted": 1})

    def test_the_web_client_checks_certificates_even_with_the_environment_ignored(self):
        # WebClient ignores the environment's proxies (trust_env off), which would also drop
        # REQUESTS_CA_BUNDLE: it reads that one itself, and otherwise verifies as usual.
        with mock.patch.dict(os.environ, environment_trusting(self.tls.ca_certificate), clear=True):
            client = self.enterContext(WebClient(self.instance.base_url))
        self.assertEqual(client.session.verify, str(self.tls.ca_certificate))
        self.assertEqual(client.get("/").status, 200)
        with mock.patch.dict(os.environ, environment_trusting(None), clear=True):
            self.assertIs(self.enterContext(WebClient(self.instance.base_url)).session.verify, True)
