# SPDX-License-Identifier: GPL-2.0-or-later
# probe_servers.py - small servers the checker probes are tested against
#
# usage: probe_servers.py MODE PORT READY_FILE [ARGS...]
#   https DIR CERT KEY SNI_FILE  HTTPS file server; writes the SNI it sees
#   dns RCODE                    UDP DNS responder: echoes the question, one A record
#   udpecho                      UDP echo
#   udpsink                      UDP: reads and never answers
#   silent                       TCP: accepts, reads, never answers
#   smtpbad                      TCP: greets with "554 go away"
#   smtp                         TCP: a minimal SMTP responder (220/250/221)
# Each server binds, then creates READY_FILE, then serves until killed.
# Addresses: 127.0.0.1, or ::1 when the environment sets PROBE_V6=1.
import http.server
import os
import socket
import socketserver
import ssl
import struct
import sys
import threading

FAMILY = socket.AF_INET6 if os.environ.get("PROBE_V6") else socket.AF_INET
HOST = "::1" if FAMILY == socket.AF_INET6 else "127.0.0.1"


def ready(path):
    with open(path, "w") as f:
        f.write("ready\n")


def serve_https(port, rdy, root, cert, key, sni_file):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)

    def sni(sock, name, context):
        with open(sni_file, "a") as f:
            f.write("%s\n" % name)

    ctx.sni_callback = sni

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **kw):
            super().__init__(*a, directory=root, **kw)

        def log_message(self, *a):
            pass

    class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
        address_family = FAMILY
        daemon_threads = True

        def get_request(self):
            conn, addr = self.socket.accept()
            conn.settimeout(5)
            try:
                return ctx.wrap_socket(conn, server_side=True), addr
            except (ssl.SSLError, OSError):
                conn.close()
                raise OSError("handshake failed")

        def handle_error(self, request, client_address):
            pass

    srv = Server((HOST, port), Handler)
    ready(rdy)
    srv.serve_forever()


def dns_answer(q, rcode):
    if len(q) < 12:
        return None
    qid, flags = struct.unpack("!HH", q[:4])
    # the question: labels up to the zero byte, then type and class
    i = 12
    while i < len(q) and q[i]:
        i += 1 + q[i]
    question = q[12:i + 5]
    hdr = struct.pack("!HHHHHH", qid, 0x8180 | rcode, 1, 0 if rcode else 1, 0, 0)
    ans = b"" if rcode else b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 4) + bytes([192, 0, 2, 1])
    return hdr + question + ans


def serve_udp(port, rdy, handler):
    s = socket.socket(FAMILY, socket.SOCK_DGRAM)
    s.bind((HOST, port))
    ready(rdy)
    while True:
        data, peer = s.recvfrom(65535)
        out = handler(data)
        if out is not None:
            s.sendto(out, peer)


def serve_tcp(port, rdy, talk):
    s = socket.socket(FAMILY, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((HOST, port))
    s.listen(16)
    ready(rdy)
    keep = []
    while True:
        c, _ = s.accept()
        keep.append(c)
        threading.Thread(target=talk, args=(c,), daemon=True).start()


def silent(c):
    try:
        while c.recv(4096):
            pass
    except OSError:
        pass


def smtpbad(c):
    c.sendall(b"554 go away\r\n")


def smtp(c):
    f = c.makefile("rb")
    c.sendall(b"220-test.example ESMTP\r\n220 ready\r\n")
    for line in f:
        cmd = line.strip().upper()
        if cmd.startswith(b"HELO"):
            c.sendall(b"250-test.example\r\n250 hello " + line[5:].strip() + b"\r\n")
        elif cmd == b"QUIT":
            c.sendall(b"221 bye\r\n")
            break
        else:
            c.sendall(b"500 what\r\n")
    c.close()


def main():
    mode, port, rdy = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    args = sys.argv[4:]
    if mode == "https":
        serve_https(port, rdy, *args)
    elif mode == "dns":
        rcode = int(args[0])
        serve_udp(port, rdy, lambda q: dns_answer(q, rcode))
    elif mode == "udpecho":
        serve_udp(port, rdy, lambda d: d)
    elif mode == "udpsink":
        serve_udp(port, rdy, lambda d: None)
    elif mode in ("silent", "smtpbad", "smtp"):
        serve_tcp(port, rdy, {"silent": silent, "smtpbad": smtpbad, "smtp": smtp}[mode])
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
