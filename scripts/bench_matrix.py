#!/usr/bin/env python3
"""Matrix latency and burst benchmark of `profint serve` against a real Synapse.

Starts Synapse (from the venv that scripts/synapse-venv.sh makes) and the
given `profint` binary on loopback, in a temporary directory, then measures:

1. latency: one user in a direct room sends N questions one after another;
   for each, the time from the send request to the bot's answer showing up
   in the user's long-polling /sync (median, p90, max);
2. burst: U users in U rooms of three (the user, an observer, the bot) send
   M messages each as fast as they can (concurrently), mentions and
   commands; every message must get exactly one answer, in order per room
   (each answer replies to its question's event, so order is checked).

Usage: scripts/bench_matrix.py --profint .build/release/profint [--messages 50] [--users 10] [--per-user 20]
Both processes are stopped by their PID at the end.
"""
import argparse, json, os, secrets, signal, socket, statistics, subprocess, sys, tempfile, threading, time
import urllib.error, urllib.parse, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Room timelines only, and long enough that a burst is never cut ("limited").
FILTER = json.dumps({"room": {"timeline": {"limit": 1000, "types": ["m.room.message"]}, "state": {"types": []},
                              "ephemeral": {"types": []}, "account_data": {"types": []}},
                     "presence": {"types": []}, "account_data": {"types": []}})


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(base, method, path, body=None, token=None, timeout=60):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, method=method, data=data)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def q(value):
    return urllib.parse.quote(value, safe="")


def wait_until(check, timeout, what):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.05)
    raise SystemExit("timed out waiting for " + what)


class Client:
    def __init__(self, base, name):
        self.base = base
        status, body = http(base, "POST", "/_matrix/client/v3/register",
                            {"username": name, "password": "pw-" + name + "-123", "auth": {"type": "m.login.dummy"}})
        if status != 200:
            raise SystemExit("register %s: %s %s" % (name, status, body))
        self.token, self.user = body["access_token"], body["user_id"]
        self.since = http(base, "GET", "/_matrix/client/v3/sync?timeout=0", token=self.token)[1]["next_batch"]

    def room(self, bot, observer=None):
        """A direct room with the bot, or with `observer` a room of three (the bot answers mentions there, as replies)."""
        invite = [bot] + ([observer.user] if observer else [])
        status, body = http(self.base, "POST", "/_matrix/client/v3/createRoom",
                            {"invite": invite, "is_direct": observer is None, "preset": "private_chat"}, self.token)
        room = body["room_id"]
        if observer:
            http(self.base, "POST", "/_matrix/client/v3/rooms/%s/join" % q(room), {}, observer.token)
        wait_until(lambda: bot in http(self.base, "GET", "/_matrix/client/v3/rooms/%s/joined_members" % q(room),
                                       token=self.token)[1].get("joined", {}), 15, "the bot to join")
        self.bot_messages(room, bot, 1, 15)  # the introduction
        return room

    def send(self, room, text):
        status, body = http(self.base, "PUT", "/_matrix/client/v3/rooms/%s/send/m.room.message/%s" % (q(room), secrets.token_hex(8)),
                            {"msgtype": "m.text", "body": text}, self.token)
        if status != 200:
            raise SystemExit("send: %s %s" % (status, body))
        return body["event_id"]

    def bot_messages(self, room, bot, count, timeout):
        found, deadline = [], time.time() + timeout
        while len(found) < count and time.time() < deadline:
            _, body = http(self.base, "GET", "/_matrix/client/v3/sync?timeout=5000&since=%s&filter=%s" % (q(self.since), q(FILTER)),
                           token=self.token)
            self.since = body.get("next_batch", self.since)
            events = body.get("rooms", {}).get("join", {}).get(room, {}).get("timeline", {}).get("events", [])
            now = time.time()
            found += [(now, e) for e in events if e["sender"] == bot and e["type"] == "m.room.message"]
        return found


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--profint", required=True)
    parser.add_argument("--messages", type=int, default=50)
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--per-user", type=int, default=20)
    args = parser.parse_args()
    venv = os.environ.get("PROFINT_SYNAPSE_VENV", os.path.join(ROOT, ".build-synapse", "venv"))
    python = os.path.join(venv, "bin", "python")
    if not os.path.exists(python):
        raise SystemExit("no Synapse venv at %s: run scripts/synapse-venv.sh" % venv)
    work = tempfile.mkdtemp(prefix="profint-bench-matrix-")
    hs_port, bot_port = free_port(), free_port()
    as_token, hs_token = secrets.token_hex(16), secrets.token_hex(16)
    with open(os.path.join(work, "registration.yaml"), "w") as f:
        f.write("id: profint\nurl: \"http://127.0.0.1:%d\"\nas_token: \"%s\"\nhs_token: \"%s\"\nsender_localpart: profint\n"
                "rate_limited: false\nreceive_ephemeral: false\nnamespaces:\n  users:\n    - exclusive: true\n"
                "      regex: '@profint.*:localhost'\n  aliases: []\n  rooms: []\n" % (bot_port, as_token, hs_token))
    limits = "".join("%s: {per_second: 1000, burst_count: 1000}\n" % k for k in ["rc_message", "rc_registration", "rc_room_creation", "rc_joins_per_room"])
    with open(os.path.join(work, "homeserver.yaml"), "w") as f:
        f.write("""server_name: "localhost"
public_baseurl: "http://127.0.0.1:%(port)d/"
pid_file: %(w)s/homeserver.pid
listeners:
  - {port: %(port)d, bind_addresses: ["127.0.0.1"], type: http, tls: false, x_forwarded: false, resources: [{names: [client], compress: false}]}
database: {name: sqlite3, args: {database: %(w)s/homeserver.db}}
log_config: "%(w)s/log.config"
media_store_path: %(w)s/media_store
signing_key_path: "%(w)s/signing.key"
report_stats: false
registration_shared_secret: "bench-shared-secret"
macaroon_secret_key: "bench-macaroon-secret"
form_secret: "bench-form-secret"
enable_registration: true
enable_registration_without_verification: true
federation_domain_whitelist: []
trusted_key_servers: []
url_preview_enabled: false
presence: {enabled: false}
app_service_config_files: ["%(w)s/registration.yaml"]
rc_joins: {local: {per_second: 1000, burst_count: 1000}, remote: {per_second: 1000, burst_count: 1000}}
rc_invites: {per_room: {per_second: 1000, burst_count: 1000}, per_user: {per_second: 1000, burst_count: 1000}, per_issuer: {per_second: 1000, burst_count: 1000}}
rc_login: {address: {per_second: 1000, burst_count: 1000}, account: {per_second: 1000, burst_count: 1000}, failed_attempts: {per_second: 1000, burst_count: 1000}}
%(limits)s""" % {"port": hs_port, "w": work, "limits": limits})
    with open(os.path.join(work, "log.config"), "w") as f:
        f.write("version: 1\nformatters: {p: {format: '%%(asctime)s %%(name)s %%(levelname)s %%(message)s'}}\n"
                "handlers: {file: {class: logging.FileHandler, formatter: p, filename: %s/homeserver.log}}\n"
                "root: {level: WARNING, handlers: [file]}\ndisable_existing_loggers: false\n" % work)
    subprocess.run([python, "-m", "synapse.app.homeserver", "-c", "homeserver.yaml", "--generate-keys"], cwd=work, check=True,
                   stdout=subprocess.DEVNULL)
    unblock = lambda: signal.pthread_sigmask(signal.SIG_SETMASK, [])
    synapse = subprocess.Popen([python, "-m", "synapse.app.homeserver", "-c", "homeserver.yaml"], cwd=work, preexec_fn=unblock,
                               stdout=open(os.path.join(work, "synapse.out"), "w"), stderr=subprocess.STDOUT)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PROFINT_")}
    env.update({"PROFINT_HTTP_PORT": str(bot_port), "PROFINT_DATABASE": os.path.join(work, "bot.sqlite"),
                "PROFINT_MATRIX_HOMESERVER_URL": "http://127.0.0.1:%d" % hs_port, "PROFINT_MATRIX_SERVER_NAME": "localhost",
                "PROFINT_MATRIX_AS_TOKEN": as_token, "PROFINT_MATRIX_HS_TOKEN": hs_token})
    bot = subprocess.Popen([os.path.abspath(args.profint), "serve"], cwd=ROOT, env=env, preexec_fn=unblock,
                           stdout=open(os.path.join(work, "bot.out"), "w"), stderr=subprocess.STDOUT)
    base, bot_user = "http://127.0.0.1:%d" % hs_port, "@profint:localhost"
    try:
        wait_until(lambda: http(base, "GET", "/_matrix/client/versions")[0] == 200, 30, "Synapse")
        wait_until(lambda: urllib.request.urlopen("http://127.0.0.1:%d/readyz" % bot_port, timeout=1).status == 200, 30, "profint serve")

        questions = ["How do I prepare a first interview with an interpreter?", "Comment reconnaître un diplôme étranger en France ?",
                     "Come funziona il CPIA?", "Vad är etableringsprogrammet?", "What is a skills inventory?"]
        alice = Client(base, "alice")
        room = alice.room(bot_user)
        latencies = []
        for i in range(args.messages):
            start = time.time()
            alice.send(room, questions[i % len(questions)])
            got = alice.bot_messages(room, bot_user, 1, 30)
            if not got:
                raise SystemExit("no answer to message %d" % i)
            latencies.append((got[0][0] - start) * 1000)
        latencies.sort()
        print("latency over %d messages: median %.0f ms, p90 %.0f ms, max %.0f ms"
              % (len(latencies), statistics.median(latencies), latencies[int(len(latencies) * 0.9) - 1], latencies[-1]))

        observer = Client(base, "observer")
        clients = [Client(base, "user%02d" % i) for i in range(args.users)]
        rooms = [c.room(bot_user, observer) for c in clients]
        sent = [[] for _ in clients]
        start = time.time()

        def burst(i):
            for n in range(args.per_user):
                text = "!help" if n % 2 else "profint: " + questions[n % len(questions)]
                sent[i].append(clients[i].send(rooms[i], text))
        threads = [threading.Thread(target=burst, args=(i,)) for i in range(args.users)]
        for t in threads: t.start()
        for t in threads: t.join()
        problems = 0
        for i, c in enumerate(clients):
            answers = c.bot_messages(rooms[i], bot_user, args.per_user, 120)
            replies = [e.get("content", {}).get("m.relates_to", {}).get("m.in_reply_to", {}).get("event_id") for _, e in answers]
            if replies != sent[i]:
                problems += 1
                print("room %d: %d answers for %d messages; in order: %s" % (i, len(answers), args.per_user, replies == sent[i][:len(replies)]))
        elapsed = time.time() - start
        total = args.users * args.per_user
        print("burst: %d messages from %d users in %d rooms answered in %.1f s (%d rooms with a problem)"
              % (total, args.users, args.users, elapsed, problems))
        if problems:
            sys.exit(1)
    finally:
        for p in (bot, synapse):
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()


if __name__ == "__main__":
    main()
