"""RFC 3161 time-stamps over a seal's hash, from an outside time-stamp authority (I7).

A token is the authority's signed statement that the seal's hash existed at its time: anyone who can write
the database — a superuser included — can neither forge one nor move a seal to an earlier time. The token is
asked for after the seal is committed, so an authority that is down leaves the seal recorded and unstamped.
`rfc3161-client` builds the request, parses the response and checks its signature chain; the message
time-stamped is the 32-byte seal hash itself (SHA-256 imprint of it).
"""

from __future__ import annotations

import hashlib
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from rfc3161_client import (
    HashAlgorithm,
    PKIStatus,
    TimestampRequestBuilder,
    TimeStampResponse,
    VerificationError,
    VerifierBuilder,
    decode_timestamp_response,
)

TIMEOUT_SECONDS = 15.0


class TimestampRefused(Exception):
    """No token: the authority could not be reached, refused, or answered with something that is not one."""


class TokenInvalid(Exception):
    """A token that does not prove the seal: another digest, a broken signature, an untrusted authority."""


@dataclass(frozen=True, slots=True)
class TokenCheck:
    """A token that holds: the authority's time for the seal's hash, and who signed it."""

    time: datetime
    authority: str


def request_token(url: str, digest: bytes, *, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """Ask the authority at `url` for a token over `digest`; the DER response, checked to cover `digest`."""
    request = TimestampRequestBuilder().data(digest).hash_algorithm(HashAlgorithm.SHA256).build()
    post = urllib.request.Request(
        url, data=request.as_bytes(), headers={"Content-Type": "application/timestamp-query"}, method="POST"
    )
    try:
        with urllib.request.urlopen(post, timeout=timeout) as answer:
            body: bytes = answer.read()
    except urllib.error.HTTPError as exc:
        raise TimestampRefused(f"the time-stamp authority answered HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise TimestampRefused(f"the time-stamp authority at {url} cannot be reached: {reason}") from exc
    response = _decoded(body, TimestampRefused)
    if PKIStatus(response.status) != PKIStatus.GRANTED:
        raise TimestampRefused(f"the time-stamp authority refused the request (status {response.status})")
    if response.tst_info.message_imprint.message != hashlib.sha256(digest).digest():
        raise TimestampRefused("the time-stamp authority's token covers another digest")
    if request.nonce is not None and response.tst_info.nonce != request.nonce:
        raise TimestampRefused("the time-stamp authority's token answers another request (nonce)")
    return body


def check_token(token: bytes, digest: bytes, certificates_pem: bytes) -> TokenCheck:
    """The token's signature chains to the given certificates and it covers exactly `digest`, else raise.

    `certificates_pem` holds the authority's certificate chain up to its root: self-signed certificates are the
    roots trusted, the others intermediates (the authority's own certificate travels inside the token). A chain
    that does not reach a root in the file is refused (fail closed)."""
    response = _decoded(token, TokenInvalid)
    try:
        certificates = x509.load_pem_x509_certificates(certificates_pem)
    except ValueError as exc:
        raise TokenInvalid("the authority's certificate file holds no PEM certificate") from exc
    roots = [c for c in certificates if c.subject == c.issuer] or certificates
    builder = VerifierBuilder()
    for root in roots:
        builder = builder.add_root_certificate(root)
    for other in certificates:
        if other not in roots:
            builder = builder.add_intermediate_certificate(other)
    try:
        builder.build().verify_message(response, digest)
    except (VerificationError, ValueError) as exc:
        raise TokenInvalid(str(exc)) from exc
    return TokenCheck(response.tst_info.gen_time, _signer(response))


def _decoded(body: bytes, error: type[Exception]) -> TimeStampResponse:
    try:
        return decode_timestamp_response(body)
    except Exception as exc:  # the parser raises its own ValueError subclasses and Rust panics alike
        raise error("not an RFC 3161 time-stamp response") from exc


def _signer(response: TimeStampResponse) -> str:
    """The subject of the certificate that signed the token (it is inside the token when the request asked)."""
    infos = list(response.signed_data.signer_infos)
    for der in response.signed_data.certificates:
        certificate = x509.load_der_x509_certificate(der)
        if infos and (certificate.issuer, certificate.serial_number) == (infos[0].issuer, infos[0].serial_number):
            return certificate.subject.rfc4514_string()
    return infos[0].issuer.rfc4514_string() if infos else "unknown"
