#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
# smtp_sink.py - SMTP server for the mail tests: stores every message it accepts as JSON
#
#   smtp_sink.py serve ADDR PORT DIR [mute]
#       Listen on ADDR PORT (aiosmtpd). Each accepted message becomes
#       DIR/mail-N.json: {"mail_from", "rcpt_tos", "content"} where content
#       is the message as the server got it (dot-stuffing undone). A
#       recipient containing "bad" is refused with 550. With "mute", accept
#       connections and never say a word (for timeouts). DIR/ready appears
#       once listening.
#   smtp_sink.py check DIR SUBJECT KEY=VALUE...
#       Find the one message with that Subject and check it: from=, to=,
#       mail_from=, rcpts= (comma-separated), body= (substring of the
#       decoded body, \n for line ends), body_line= (a whole body line),
#       helo= (the EHLO/HELO name).
#       Prints what differs and exits 1; exits 0 when all match.
import asyncio
import email
import email.policy
import email.utils
import glob
import json
import os
import socket
import sys
import time


class Handler:
    def __init__(self, out):
        self.out = out
        self.n = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if "bad" in address:
            return "550 5.1.1 <%s>: no such user here" % address
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server, session, envelope):
        self.n += 1
        rec = {
            "helo": session.host_name,
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "content": envelope.original_content.decode("utf-8", "replace"),
        }
        tmp = os.path.join(self.out, ".mail-%d.tmp" % self.n)
        with open(tmp, "w") as f:
            json.dump(rec, f)
        os.rename(tmp, os.path.join(self.out, "mail-%d.json" % self.n))
        return "250 2.0.0 Ok: queued as %d" % self.n


def serve(addr, port, out, mute):
    family = socket.AF_INET6 if ":" in addr else socket.AF_INET
    if mute:
        s = socket.socket(family, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((addr, port))
        s.listen(16)
        open(os.path.join(out, "ready"), "w").close()
        held = []
        while True:
            c, _ = s.accept()
            held.append(c)  # keep it open, say nothing
    from aiosmtpd.smtp import SMTP

    handler = Handler(out)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(
        loop.create_server(lambda: SMTP(handler, hostname="sink.test"), addr, port,
                           family=family, reuse_address=True))
    open(os.path.join(out, "ready"), "w").close()
    try:
        loop.run_forever()
    finally:
        server.close()


def check(out, subject, wants):
    found = []
    for path in sorted(glob.glob(os.path.join(out, "mail-*.json"))):
        with open(path) as f:
            rec = json.load(f)
        msg = email.message_from_string(rec["content"], policy=email.policy.default)
        if str(msg["Subject"]) == subject:
            found.append((path, rec, msg))
    if len(found) != 1:
        print("expected one message with Subject %r, found %d" % (subject, len(found)))
        return 1
    path, rec, msg = found[0]
    body = msg.get_content().replace("\r\n", "\n")
    bad = []
    for w in wants:
        key, _, val = w.partition("=")
        val = val.replace("\\n", "\n")
        if key == "from":
            got = str(msg["From"])
        elif key == "to":
            got = str(msg["To"])
        elif key == "helo":
            got = rec["helo"]
        elif key == "mail_from":
            got = rec["mail_from"]
        elif key == "rcpts":
            got = ",".join(rec["rcpt_tos"])
        elif key == "body":
            if val not in body:
                bad.append("body lacks %r" % val)
            continue
        elif key == "body_line":
            if val not in body.split("\n"):
                bad.append("no body line %r" % val)
            continue
        else:
            bad.append("unknown key %r" % key)
            continue
        if got != val:
            bad.append("%s: got %r, want %r" % (key, got, val))
    # what every alert must have
    raw = rec["content"]
    for h in ("Date", "Message-ID", "X-Mailer", "MIME-Version", "Content-Type"):
        if msg[h] is None:
            bad.append("no %s header" % h)
    if msg["Date"] is not None:
        try:
            t = email.utils.parsedate_to_datetime(str(msg["Date"])).timestamp()
            if abs(t - time.time()) > 300:
                bad.append("Date %r is not now" % str(msg["Date"]))
        except (TypeError, ValueError):
            bad.append("Date %r does not parse" % str(msg["Date"]))
    if "\n" in raw.replace("\r\n", ""):
        bad.append("bare LF in the message")
    if bad:
        print("%s (%s):" % (subject, path))
        for b in bad:
            print("  " + b)
        print("---- message ----\n" + raw)
        return 1
    return 0


def main():
    if len(sys.argv) >= 5 and sys.argv[1] == "serve":
        serve(sys.argv[2], int(sys.argv[3]), sys.argv[4],
              len(sys.argv) > 5 and sys.argv[5] == "mute")
        return 0
    if len(sys.argv) >= 4 and sys.argv[1] == "check":
        return check(sys.argv[2], sys.argv[3], sys.argv[4:])
    print(__doc__ or "usage: see the header of this file", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
