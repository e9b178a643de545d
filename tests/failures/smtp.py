"""A tiny SMTP server in a thread, for a worker in another process to send to. It can hang on
the first message (never answering its DATA), which is where the test kills the worker."""

import socketserver
import threading


class _Handler(socketserver.StreamRequestHandler):
    def handle(self):
        server = self.server
        self.wfile.write(b"220 test ESMTP\r\n")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            verb = line.strip().split(b" ")[0].upper()
            if verb in (b"EHLO", b"HELO"):
                self.wfile.write(b"250 test\r\n")
            elif verb in (b"MAIL", b"RCPT", b"RSET", b"NOOP"):
                self.wfile.write(b"250 OK\r\n")
            elif verb == b"DATA":
                self.wfile.write(b"354 go on\r\n")
                body = b""
                while not body.endswith(b"\r\n.\r\n"):
                    chunk = self.rfile.readline()
                    if not chunk:
                        return  # the sender died before finishing: nothing delivered
                    body += chunk
                with server.lock:
                    server.data_seen += 1
                    hang = server.hang_first and server.data_seen == 1
                if hang:
                    server.hanging.set()
                    server.release.wait(60)  # never answered: the message is not delivered
                    return
                with server.lock:
                    server.delivered.append(body)
                self.wfile.write(b"250 queued\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 OK\r\n")


class SMTPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, hang_first=False):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.hang_first = hang_first
        self.lock = threading.Lock()
        self.data_seen = 0
        self.delivered: list[bytes] = []
        self.hanging = threading.Event()
        self.release = threading.Event()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.server_address[1]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.shutdown()
        self.server_close()
