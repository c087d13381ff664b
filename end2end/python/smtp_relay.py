"""A real SMTP server for server/tests/smtp_relay.rs (issue 18, item 3).

aiosmtpd (PyPI), unmodified, configured as a production relay is: STARTTLS
required before anything else, AUTH required, and only over TLS. Its
certificate is issued for "localhost" by a throw-away authority (trustme,
PyPI) whose PEM the portal is told to trust (mail.smtp_ca_file).

    smtp_relay.py --port N --certs DIR --user U --password P --out FILE

writes DIR/ca.pem on first use, appends one JSON line per message received
to FILE (recipients, the raw message, whether TLS and AUTH were in force),
prints "ready" once it listens, and serves until SIGTERM.
"""

import argparse
import json
import os
import signal
import ssl
import threading

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Recorder:
    def __init__(self, path):
        self.path = path

    async def handle_DATA(self, server, session, envelope):
        line = {
            "from": envelope.mail_from,
            "to": envelope.rcpt_tos,
            "data": envelope.content.decode("utf-8", "replace"),
            "tls": session.ssl is not None,
            "authenticated": bool(session.authenticated),
        }
        with open(self.path, "a", encoding="utf-8") as out:
            out.write(json.dumps(line) + "\n")
        return "250 OK"


def authenticator(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        if (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == user.encode()
            and auth_data.password == password.encode()
        ):
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    return check


def certificates(folder):
    """The server's TLS context; the authority stays in folder/ca.pem, so a
    restarted server keeps the certificate the portal trusts."""
    os.makedirs(folder, exist_ok=True)
    ca_key = os.path.join(folder, "ca.key")
    chain = os.path.join(folder, "server.pem")
    if not os.path.exists(chain):
        authority = trustme.CA()
        authority.cert_pem.write_to_path(os.path.join(folder, "ca.pem"))
        authority.private_key_pem.write_to_path(ca_key)
        authority.issue_cert("localhost").private_key_and_cert_chain_pem.write_to_path(chain)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(chain)
    return context


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--certs", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    controller = Controller(
        Recorder(args.out),
        hostname="127.0.0.1",
        port=args.port,
        server_hostname="localhost",
        tls_context=certificates(args.certs),
        require_starttls=True,
        auth_required=True,
        auth_require_tls=True,
        authenticator=authenticator(args.user, args.password),
    )
    controller.start()
    print("ready", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
