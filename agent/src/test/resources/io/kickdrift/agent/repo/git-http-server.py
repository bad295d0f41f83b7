"""git's smart HTTP (git http-backend, a CGI program) on 127.0.0.1 and a port the kernel picks.

Usage: python3 git-http-server.py PROJECT_ROOT [CREDENTIALS_FILE]

Prints "listening on 127.0.0.1 port N" once it accepts connections. With CREDENTIALS_FILE (one
line, user:password) every request needs that Basic authorization, else 401. A small handler of
our own rather than http.server's CGIHTTPRequestHandler: that one runs CGI programs as nobody
when started as root, and answers 200 whatever Status the program sets, so a missing repository
would not be a 404.
"""

import base64
import os
import subprocess
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BACKEND = "/usr/lib/git-core/git-http-backend"
ROOT = sys.argv[1]
AUTH = None
if len(sys.argv) > 2:
    with open(sys.argv[2], encoding="utf-8") as f:
        AUTH = "Basic " + base64.b64encode(f.readline().strip().encode()).decode()


class GitHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self.cgi()

    def do_POST(self):
        self.cgi()

    def body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            parts = []
            while True:
                size = int(self.rfile.readline().split(b";")[0], 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(parts)
                parts.append(self.rfile.read(size))
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length", "0")))

    def cgi(self):
        data = self.body()
        user = ""
        if AUTH is not None:
            given = self.headers.get("Authorization", "")
            if given != AUTH:
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="kickdrift-test"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            user = base64.b64decode(given[6:]).decode().split(":", 1)[0]
        path, _, query = self.path.partition("?")
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": ROOT,
            "GIT_PROJECT_ROOT": ROOT,
            "GIT_HTTP_EXPORT_ALL": "1",
            "GATEWAY_INTERFACE": "CGI/1.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REQUEST_METHOD": self.command,
            "PATH_INFO": urllib.parse.unquote(path),
            "QUERY_STRING": query,
            "REMOTE_ADDR": self.client_address[0],
            "REMOTE_USER": user,
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(data)),
        }
        for h in ("Content-Encoding", "Git-Protocol"):
            if h in self.headers:
                env["HTTP_" + h.upper().replace("-", "_")] = self.headers[h]
        if "Git-Protocol" in self.headers:
            env["GIT_PROTOCOL"] = self.headers["Git-Protocol"]
        res = subprocess.run([BACKEND], input=data, env=env, capture_output=True, check=False)
        sys.stderr.write(res.stderr.decode(errors="replace"))
        out = res.stdout
        end = out.find(b"\r\n\r\n")
        head, rest = (out[:end], out[end + 4 :]) if end >= 0 else out.split(b"\n\n", 1)
        status, headers = 200, []
        for line in head.decode("latin-1").splitlines():
            name, _, value = line.partition(":")
            if name.lower() == "status":
                status = int(value.split()[0])
            else:
                headers.append((name, value.strip()))
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(rest)))
        self.end_headers()
        self.wfile.write(rest)


server = ThreadingHTTPServer(("127.0.0.1", 0), GitHandler)
print("listening on 127.0.0.1 port %d" % server.server_address[1], flush=True)
server.serve_forever()
