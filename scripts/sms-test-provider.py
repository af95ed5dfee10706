#!/usr/bin/env python3
"""An SMS provider's HTTP API played on this machine, for Recoup's tests and benchmarks.

It listens on 127.0.0.1 on a free port, prints "READY <port>" on its first line, and takes POST /messages with a JSON
body {"to", "from", "body", "messageId"} and "Authorization: Bearer <token>": it answers 201 {"id": "SM<n>"} and
appends the request (with its Idempotency-Key) to --log as a JSON line. Options make it answer 503 to the first N
texts, 400 {"error": ...} to chosen numbers, and 401 to a wrong token. It stops on SIGTERM or when its stdin closes.
"""
import argparse
import json
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--log", required=True)
    parser.add_argument("--token", default="test-token")
    parser.add_argument("--fail-first", type=int, default=0)
    parser.add_argument("--reject", action="append", default=[])
    options = parser.parse_args()
    state = {"count": 0, "fails": options.fail_first}
    lock = threading.Lock()
    log = open(options.log, "a", buffering=1)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def answer(self, status, payload):
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(length)
            if self.path != "/messages":
                return self.answer(404, {"error": "no such endpoint"})
            if self.headers.get("Authorization") != "Bearer " + options.token:
                return self.answer(401, {"error": "bad token"})
            try:
                text = json.loads(raw)
            except ValueError:
                return self.answer(400, {"error": "not JSON"})
            with lock:
                if state["fails"] > 0:
                    state["fails"] -= 1
                    return self.answer(503, {"error": "try again later"})
                if text.get("to") in options.reject:
                    return self.answer(400, {"error": "invalid destination number"})
                state["count"] += 1
                number = state["count"]
                text["idempotencyKey"] = self.headers.get("Idempotency-Key")
                log.write(json.dumps(text, sort_keys=True) + "\n")
            self.answer(201, {"id": "SM%d" % number, "status": "queued"})

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print("READY %d" % server.server_address[1], flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
    while not done.wait(0.2):
        pass
    server.shutdown()


if __name__ == "__main__":
    main()
