#!/usr/bin/env python3
"""A real SMTP server (aiosmtpd, Debian's python3-aiosmtpd) for Recoup's tests and benchmarks.

It listens on 127.0.0.1 on a free port, prints "READY <port>" on its first line, and keeps every message it accepts
in --maildir: N.eml (the content as received) and a line in envelopes.jsonl ({"file", "from", "to"}). Options make
it offer PIPELINING and STARTTLS (with a certificate and key), require AUTH (user:password), answer 451 to the first N
messages (then 250), refuse chosen recipients with 550, and take a while over each message (--delay). It stops on SIGTERM or when its stdin closes.
"""
import argparse
import asyncio
import json
import os
import signal
import socket
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword, SMTP


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--maildir", required=True)
    parser.add_argument("--pipelining", action="store_true")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--require-starttls", action="store_true")
    parser.add_argument("--auth", help="user:password that must sign in")
    parser.add_argument("--tempfail-first", type=int, default=0)
    parser.add_argument("--reject", action="append", default=[])
    parser.add_argument("--delay", type=float, default=0, help="seconds to wait before answering each message")
    options = parser.parse_args()
    os.makedirs(options.maildir, exist_ok=True)

    class Handler:
        def __init__(self):
            self.count = 0
            self.tempfails = options.tempfail_first
            self.lock = threading.Lock()
            self.envelopes = open(os.path.join(options.maildir, "envelopes.jsonl"), "a", buffering=1)

        async def handle_EHLO(self, server, session, envelope, hostname, responses):
            session.host_name = hostname
            if options.pipelining:
                responses.insert(len(responses) - 1, "250-PIPELINING")
            return responses

        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if address in options.reject:
                return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):
            if options.delay:
                await asyncio.sleep(options.delay)
            with self.lock:
                if self.tempfails > 0:
                    self.tempfails -= 1
                    return "451 4.3.0 Try again later"
                self.count += 1
                number = self.count
            name = "%d.eml" % number
            with open(os.path.join(options.maildir, name), "wb") as file:
                file.write(envelope.original_content)
            self.envelopes.write(json.dumps({"file": name, "from": envelope.mail_from, "to": envelope.rcpt_tos}) + "\n")
            return "250 2.0.0 Ok: queued as T%d" % number

    def authenticator(server, session, envelope, mechanism, auth_data):
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        user, password = options.auth.split(":", 1)
        ok = auth_data.login.decode() == user and auth_data.password.decode() == password
        # handled=False: aiosmtpd answers a refusal with 535 itself.
        return AuthResult(success=ok, handled=False)

    tls = None
    if options.cert:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(options.cert, options.key)

    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()

    kwargs = dict(hostname="127.0.0.1", port=port, data_size_limit=10 * 1024 * 1024, decode_data=False)
    if tls:
        kwargs.update(tls_context=tls, require_starttls=options.require_starttls)
    if options.auth:
        kwargs.update(authenticator=authenticator, auth_required=True, auth_require_tls=tls is not None)
    controller = Controller(Handler(), **kwargs)
    controller.start()
    print("READY %d" % port, flush=True)

    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())

    def watch_stdin():
        sys.stdin.read()
        done.set()

    threading.Thread(target=watch_stdin, daemon=True).start()
    # Waiting in short steps lets the SIGTERM handler run.
    while not done.wait(0.2):
        pass
    controller.stop()


if __name__ == "__main__":
    main()
