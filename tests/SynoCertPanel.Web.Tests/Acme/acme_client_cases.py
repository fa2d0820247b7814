#!/usr/bin/python3
"""Debian's python3-acme 2.1 against one ACME directory, for what certbot, lego and uacme never ask.

Run with Debian's /usr/bin/python3 (python3-acme, python3-josepy, python3-cryptography, python3-requests):

    acme_client_cases.py --directory URL --eab-kid KID --eab-hmac KEY --http-port PORT --outside NAME --out DIR

The panel's HTTPS is trusted through REQUESTS_CA_BUNDLE. http-01 is answered by a small server on 127.0.0.1 and ::1 at
PORT (the directory's validation port). Prints one JSON line per case: {"case", "status", "type", "detail", ...};
"type" is the problem's type without its urn:ietf:params:acme:error: prefix, or null when the request succeeded.
"""

import argparse
import datetime
import http.server
import ipaddress
import json
import os
import socket
import sys
import threading

import josepy as jose
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from acme import client, messages
from acme import jws as acme_jws

PREFIX = "urn:ietf:params:acme:error:"
JOSE = {"Content-Type": "application/jose+json"}


def report(case, response=None, **extra):
    """One line for the test: the HTTP status and the problem type (or none) of the case's deciding request."""
    line = {"case": case, "status": None, "type": None, "detail": None}
    if response is not None:
        line["status"] = response.status_code
        if response.headers.get("Content-Type", "").startswith("application/problem+json"):
            problem = response.json()
            line["type"] = problem.get("type", "").removeprefix(PREFIX)
            line["detail"] = problem.get("detail")
    line.update(extra)
    print(json.dumps(line), flush=True)


class Challenges(http.server.BaseHTTPRequestHandler):
    """Answers /.well-known/acme-challenge/TOKEN with the key authorization put in `files`."""

    files = {}

    def do_GET(self):  # noqa: N802 (the name http.server calls)
        body = self.files.get(self.path.rsplit("/", 1)[-1]) if self.path.startswith("/.well-known/acme-challenge/") else None
        self.send_response(200 if body else 404)
        self.send_header("Content-Length", str(len(body or b"")))
        self.end_headers()
        self.wfile.write(body or b"")

    def log_message(self, *args):
        pass


class Server6(http.server.ThreadingHTTPServer):
    address_family = socket.AF_INET6


def serve(port):
    for server in (http.server.ThreadingHTTPServer(("127.0.0.1", port), Challenges), Server6(("::1", port), Challenges)):
        threading.Thread(target=server.serve_forever, daemon=True).start()


def new_key():
    return ec.generate_private_key(ec.SECP256R1())


def jwk(key):
    return jose.JWKEC(key=key)


def csr(key, dns=(), ips=()):
    names = [x509.DNSName(n) for n in dns] + [x509.IPAddress(ipaddress.ip_address(a)) for a in ips]
    request = x509.CertificateSigningRequestBuilder().subject_name(x509.Name([]))
    request = request.add_extension(x509.SubjectAlternativeName(names), critical=False)
    return request.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM)


class Lab:
    def __init__(self, args):
        self.args = args
        self.directory = client.ClientV2.get_directory(args.directory, client.ClientNetwork(jwk(new_key()), alg=jose.ES256))
        self.session = requests.Session()

    def client(self, key, account=None):
        net = client.ClientNetwork(jwk(key), account=account, alg=jose.ES256, user_agent="acme-client-cases")
        return client.ClientV2(self.directory, net)

    def nonce(self):
        return self.session.head(self.directory["newNonce"]).headers["Replay-Nonce"]

    def post(self, url, key, payload, kid=None, nonce=None, header_url=None, alg=jose.ES256):
        """A JWS signed here, sent as is: for the cases the library would not send."""
        body = b"" if payload is None else json.dumps(payload).encode()
        signed = acme_jws.JWS.sign(body, key=jwk(key), alg=alg, nonce=jose.decode_b64jose(nonce or self.nonce()),
                                   url=header_url or url, kid=kid)
        return self.session.post(url, data=signed.json_dumps(), headers=JOSE)

    def eab(self, key, hmac):
        return messages.ExternalAccountBinding.from_data(account_public_key=jwk(key).public_key(), kid=self.args.eab_kid, hmac_key=hmac,
                                                         directory=self.directory)

    def register(self, key, hmac):
        acme = self.client(key)
        regr = acme.new_account(messages.NewRegistration.from_data(email="admin@lab.home.arpa", terms_of_service_agreed=True,
                                                                   external_account_binding=self.eab(key, hmac)))
        acme.net.account = regr
        return acme, regr

    def order_ready(self, acme, certificate_key, ips):
        """A new order for `ips`, each authorization proved over http-01; returns the order once the panel made it ready."""
        order = acme.new_order(csr(certificate_key, ips=ips))
        for authorization in order.authorizations:
            if authorization.body.status == messages.STATUS_VALID:
                continue
            challenge = next(c for c in authorization.body.challenges if c.chall.typ == "http-01")
            response, validation = challenge.response_and_validation(acme.net.key)
            Challenges.files[challenge.chall.encode("token")] = validation.encode()
            acme.answer_challenge(challenge, response)
        deadline = datetime.datetime.now() + datetime.timedelta(seconds=60)
        return acme.poll_authorizations(order, deadline)


def run(args):
    lab = Lab(args)
    serve(args.http_port)

    # newAccount without the binding the directory requires (RFC 8555 §7.3.4): externalAccountRequired.
    key = new_key()
    missing = lab.post(lab.directory["newAccount"], key, {"termsOfServiceAgreed": True})
    report("eab-missing", missing)

    # The right key id, a MAC made with another HMAC key: unauthorized.
    other = new_key()
    wrong = lab.post(lab.directory["newAccount"], other, {"termsOfServiceAgreed": True,
                                                         "externalAccountBinding": lab.eab(other, jose.b64.b64encode(os.urandom(32)).decode())})
    report("eab-wrong-mac", wrong)

    acme, regr = lab.register(key, args.eab_hmac)
    report("account", account=regr.uri)

    # IPv4 and IPv6 identifiers (RFC 8738) over http-01, finalized with a CSR naming exactly them.
    certificate_key = new_key()
    ready = lab.order_ready(acme, certificate_key, ["127.0.0.1", "::1"])
    done = acme.finalize_order(ready, datetime.datetime.now() + datetime.timedelta(seconds=60))
    certificate_file = os.path.join(args.out, "ip.pem")
    key_file = os.path.join(args.out, "ip.key")
    with open(certificate_file, "w", encoding="ascii") as f:
        f.write(done.fullchain_pem)
    with open(key_file, "wb") as f:
        f.write(certificate_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    report("ip-identifier", certificate=certificate_file, key=key_file, order=ready.uri)

    # A CSR naming a name the order does not hold: badCSR, and the order stays ready.
    extra_key = new_key()
    extra_order = lab.order_ready(acme, extra_key, ["127.0.0.1"])
    extra = lab.post(extra_order.body.finalize, key, {"csr": jose.b64.b64encode(
        x509.load_pem_x509_csr(csr(extra_key, dns=["extra.home.arpa"], ips=["127.0.0.1"])).public_bytes(serialization.Encoding.DER)).decode()},
        kid=regr.uri)
    report("csr-extra-name", extra)

    # A name the directory does not issue for: rejectedIdentifier, and no order.
    outside = lab.post(lab.directory["newOrder"], key, {"identifiers": [{"type": "dns", "value": args.outside}]}, kid=regr.uri)
    report("outside-policy", outside)

    # A nonce used twice: badNonce, with a fresh Replay-Nonce to retry with (RFC 8555 §6.5).
    nonce = lab.nonce()
    first = lab.post(regr.uri, key, None, kid=regr.uri, nonce=nonce)
    replayed = lab.post(regr.uri, key, None, kid=regr.uri, nonce=nonce)
    retry = lab.post(regr.uri, key, None, kid=regr.uri, nonce=replayed.headers.get("Replay-Nonce"))
    report("replayed-nonce", replayed, first=first.status_code, replayNonce=replayed.headers.get("Replay-Nonce") is not None, retry=retry.status_code)

    # "url" naming another resource than the one posted to: unauthorized (RFC 8555 §6.4).
    wrong_url = lab.post(regr.uri, key, None, kid=regr.uri, header_url=lab.directory["newOrder"])
    report("wrong-url", wrong_url)

    # alg "none" (RFC 8555 §6.2 forbids it): badSignatureAlgorithm. josepy signs nothing with "none", so it is written by hand.
    protected = jose.b64.b64encode(json.dumps({"alg": "none", "kid": regr.uri, "nonce": lab.nonce(), "url": regr.uri}).encode()).decode()
    none = lab.session.post(regr.uri, data=json.dumps({"protected": protected, "payload": "", "signature": ""}), headers=JOSE)
    report("alg-none", none)

    # Revocation by the account that ordered it, then again: alreadyRevoked.
    certificate = x509.load_pem_x509_certificate(done.fullchain_pem.encode())
    der = jose.b64.b64encode(certificate.public_bytes(serialization.Encoding.DER)).decode()
    by_account = lab.post(lab.directory["revokeCert"], key, {"certificate": der, "reason": 4}, kid=regr.uri)
    again = lab.post(lab.directory["revokeCert"], key, {"certificate": der, "reason": 4}, kid=regr.uri)
    report("revoke-by-account", by_account, again=(again.json().get("type") or "").removeprefix(PREFIX))

    # Revocation signed by the certificate's own key (jwk, no account), as after losing the account key.
    second_key = new_key()
    second = acme.finalize_order(lab.order_ready(acme, second_key, ["127.0.0.1"]), datetime.datetime.now() + datetime.timedelta(seconds=60))
    second_der = x509.load_pem_x509_certificate(second.fullchain_pem.encode()).public_bytes(serialization.Encoding.DER)
    by_key = lab.post(lab.directory["revokeCert"], second_key, {"certificate": jose.b64.b64encode(second_der).decode(), "reason": 1})
    report("revoke-by-key", by_key)

    # keyChange (RFC 8555 §7.3.5): the inner JWS by the new key, the outer by the account's key.
    replacement = new_key()
    inner = acme_jws.JWS.sign(json.dumps({"account": regr.uri, "oldKey": jwk(key).public_key().to_partial_json()}).encode(),
                              key=jwk(replacement), alg=jose.ES256, nonce=None, url=lab.directory["keyChange"])
    changed = lab.post(lab.directory["keyChange"], key, inner.to_partial_json(), kid=regr.uri)
    old = lab.post(lab.directory["newAccount"], key, {"onlyReturnExisting": True})
    new = lab.post(lab.directory["newAccount"], replacement, {"onlyReturnExisting": True})
    report("key-change", changed, old=(old.json().get("type") or "").removeprefix(PREFIX), new=new.status_code,
           sameAccount=new.headers.get("Location") == regr.uri)

    # Deactivation by the account (RFC 8555 §7.3.6); afterwards it can order nothing.
    deactivated = lab.post(regr.uri, replacement, {"status": "deactivated"}, kid=regr.uri)
    after = lab.post(lab.directory["newOrder"], replacement, {"identifiers": [{"type": "ip", "value": "127.0.0.1"}]}, kid=regr.uri)
    report("deactivate", deactivated, accountStatus=deactivated.json().get("status"), after=(after.json().get("type") or "").removeprefix(PREFIX))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--directory", required=True)
    parser.add_argument("--eab-kid", required=True)
    parser.add_argument("--eab-hmac", required=True)
    parser.add_argument("--http-port", type=int, required=True)
    parser.add_argument("--outside", required=True)
    parser.add_argument("--out", required=True)
    run(parser.parse_args())
    return 0


if __name__ == "__main__":
    sys.exit(main())
