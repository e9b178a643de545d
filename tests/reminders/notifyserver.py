"""A local stand-in for GOV.UK Notify's API on loopback, speaking its documented protocol:
POST /v2/notifications/sms with a JSON body and an HS256 JWT bearer token (iss = service id,
signed with the key's secret), answering 201 with the notification, 400 ValidationError for a
number it refuses, 403 AuthError for a bad token, or 500 when told to be down."""

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt

SERVICE_ID = str(uuid.UUID(int=1))
SECRET = str(uuid.UUID(int=2))
API_KEY = f"test_key-{SERVICE_ID}-{SECRET}"


class FakeNotify:
    def __init__(self):
        self.received: list[dict] = []  # texts accepted
        self.requests = 0
        self.refuse_numbers: set[str] = set()
        self.down = False
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status, payload):
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                server.requests += 1
                data = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                if self.path != "/v2/notifications/sms":
                    return self._answer(404, {"status_code": 404, "errors": [{"error": "NotFound"}]})
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                try:
                    claims = jwt.decode(token, SECRET, algorithms=["HS256"])
                    assert claims["iss"] == SERVICE_ID and "iat" in claims
                except Exception:
                    return self._answer(
                        403,
                        {
                            "status_code": 403,
                            "errors": [
                                {
                                    "error": "AuthError",
                                    "message": "Invalid token: signature, api token not found",
                                }
                            ],
                        },
                    )
                if server.down:
                    return self._answer(
                        500,
                        {
                            "status_code": 500,
                            "errors": [{"error": "Exception", "message": "Internal server error"}],
                        },
                    )
                if data.get("phone_number") in server.refuse_numbers:
                    return self._answer(
                        400,
                        {
                            "status_code": 400,
                            "errors": [
                                {"error": "ValidationError", "message": "phone_number Not a UK mobile number"}
                            ],
                        },
                    )
                server.received.append(data)
                notification_id = str(uuid.uuid4())
                return self._answer(
                    201,
                    {
                        "id": notification_id,
                        "reference": data.get("reference"),
                        "content": {
                            "body": data.get("personalisation", {}).get("body", ""),
                            "from_number": "CoProd",
                        },
                        "uri": f"{server.url}/v2/notifications/{notification_id}",
                        "template": {"id": data.get("template_id"), "version": 1, "uri": ""},
                    },
                )

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def closed_port_url() -> str:
    """A loopback address where nothing listens: connection refused."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
