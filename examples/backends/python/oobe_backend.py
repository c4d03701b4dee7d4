#!/usr/bin/env python3
"""A complete oobe backend in Python 3, standard library only.

It speaks the oobe backend protocol 1.0 (docs/backend-protocol.md): JSON-RPC 2.0, one JSON
message a line on standard input and output; log lines go to standard error, which oobe keeps
for its diagnostics bundle. Run it through oobe:

    go run ./cmd/oobe --backend exec --backend-cmd 'python3 examples/backends/python/oobe_backend.py'

The lab it simulates (Contoso Lab, contoso-lab.example):

    Wi-Fi   Contoso-Lab    WPA2, key Lab-WiFi-2026!   internet
            Contoso-Guest  open                       no internet
            Contoso-Crew   802.1X: any lab user's name and password
    Users   avery.lab@contoso-lab.example   Avery#Lab-2026   no MFA
            blake.lab@contoso-lab.example   Blake#Lab-2026   Authenticator push
            casey.lab@contoso-lab.example   Casey#Lab-2026   code 135790
            drew.lab@contoso-lab.example    Drew#Lab-2026    enrollment fails (80180018)
    ESP     Device setup: one app (Contoso Legacy VPN) fails with 0x87D1041C; it does not
            block, so the phase completes.

Copy it as the start of your own backend: replace the tables below with calls to your lab.
Secrets (keys, passwords, codes) are never written to standard error.
"""

import datetime
import json
import sys
import threading
import time

PROTOCOL = "1.0.0"
NAME = "contoso-lab-python"
VERSION = "1.0.0"
POLL_SECONDS = 20  # how long stream.next waits before answering with no event

DOMAIN = "contoso-lab.example"
SERIAL = "PY7C0FFEE42"
NETWORKS = [
    {"ssid": "Contoso-Lab", "signal": 4, "security": "psk", "key": "Lab-WiFi-2026!", "internet": True},
    {"ssid": "Contoso-Guest", "signal": 3, "security": "open", "internet": False},
    {"ssid": "Contoso-Crew", "signal": 2, "security": "enterprise", "internet": True},
]
USERS = {
    "avery.lab@" + DOMAIN: {"password": "Avery#Lab-2026", "name": "Avery Lab", "mfa": "none"},
    "blake.lab@" + DOMAIN: {"password": "Blake#Lab-2026", "name": "Blake Lab", "mfa": "push"},
    "casey.lab@" + DOMAIN: {"password": "Casey#Lab-2026", "name": "Casey Lab", "mfa": "code", "code": "135790"},
    "drew.lab@" + DOMAIN: {"password": "Drew#Lab-2026", "name": "Drew Lab", "mfa": "none", "enroll_fail": "80180018"},
}
APPS = [  # Device setup's apps: (id, name, seconds, failure code or None)
    ("6a1f0c52-1d0e-4d35-9a55-2f0d8c1e7a01", "Company Portal", 3, None),
    ("6a1f0c52-1d0e-4d35-9a55-2f0d8c1e7a02", "Microsoft Edge", 4, None),
    ("6a1f0c52-1d0e-4d35-9a55-2f0d8c1e7a03", "Contoso Legacy VPN", 5, "0x87D1041C"),
]
BLOCKING = ["6a1f0c52-1d0e-4d35-9a55-2f0d8c1e7a01", "6a1f0c52-1d0e-4d35-9a55-2f0d8c1e7a02"]
PROFILE = {
    "profile": {
        "id": "5f7c2f0e-0000-4000-8000-000000000001",
        "name": "Contoso Lab - user-driven Entra join",
        "join": "entra",
        "mode": "userDriven",
        "localeMode": "user-select",
        "userType": "standard",
        "deviceNameTemplate": "LAB-%RAND:5%",
        "esp": {
            "show": True,
            "timeoutMinutes": 60,
            "customErrorMessage": "Setup couldn't finish. Call the lab desk on extension 4242.",
            "allowLogCollection": True,
            "blockDeviceUse": True,
            "allowReset": True,
            "allowContinue": True,
            "blockingAppIds": BLOCKING,
            "installQualityUpdates": True,
            "onlyAutopilot": True,
        },
        "hello": {"state": "enabled", "minLength": 6, "maxLength": 127,
                  "uppercase": "allowed", "lowercase": "allowed", "special": "allowed"},
    },
    "organization": {
        "id": "5f7c2f0e-0000-4000-8000-0000000000aa",
        "displayName": "Contoso Lab",
        "defaultDomain": DOMAIN,
        "initialDomain": "contosolab.onmicrosoft.com",
        "domains": ["contosolab.onmicrosoft.com", DOMAIN],
    },
    "branding": {
        "backgroundColor": "#1F4E79",
        "signInPageText": "Contoso Lab devices are for training only.",
        "usernameHint": "name.lab@" + DOMAIN,
    },
}
PHASES = ("devicePreparation", "deviceSetup", "accountSetup")


class BackendError(Exception):
    """A flow.Error: a stable code, Windows' hexadecimal code, a detail in words."""

    def __init__(self, code, detail="", hresult=""):
        super().__init__(code)
        self.code, self.detail, self.hresult = code, detail, hresult

    def data(self):
        d = {"code": self.code}
        if self.hresult:
            d["hresult"] = self.hresult
        if self.detail:
            d["detail"] = self.detail
        return d


def log(*words):
    print("oobe_backend.py:", *words, file=sys.stderr, flush=True)


class Cancelled(Exception):
    """The call or stream was cancelled by the client."""


class Device:
    """The lab's device and cloud. Its clock is emulated: it starts at the real time of the
    hello and moves by the emulated durations of the work, so every event's "at" is ordered;
    the real waits are those durations divided by the speed of the hello (none at speed 0)."""

    def __init__(self, speed):
        self.speed = speed
        self.lock = threading.Lock()
        self.start = datetime.datetime.now(datetime.timezone.utc)
        self.elapsed = 0.0
        self.reset_state()

    def reset_state(self):
        self.tickets = {}  # ticket numbers go on counting: a ticket from before stays void
        self.seq = getattr(self, "seq", 0)
        self.online = False

    def now(self):
        with self.lock:
            t = self.start + datetime.timedelta(seconds=self.elapsed)
        return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def wait(self, seconds, cancel):
        """Spends seconds of emulated time (cancel: a threading.Event that ends the wait)."""
        with self.lock:
            self.elapsed += seconds
        if self.speed > 0 and cancel.wait(seconds / self.speed):
            raise Cancelled()
        if cancel.is_set():
            raise Cancelled()

    def ticket(self, ticket, need_enrolled=False, need_mfa=False):
        t = self.tickets.get(ticket)
        if t is None:
            raise BackendError("not_signed_in", "no sign-in with this ticket")
        if need_mfa and not t["mfa_done"]:
            raise BackendError("mfa_required", "the multifactor challenge was not answered")
        if need_enrolled and not t["enrolled"]:
            raise BackendError("not_enrolled", "the device was never enrolled")
        return t


def user_of(upn):
    upn = upn.strip().lower()
    if "@" not in upn:
        raise BackendError("unknown_user", "not a user principal name")
    domain = upn.rsplit("@", 1)[1]
    if domain != DOMAIN:
        raise BackendError("other_organization", domain)
    if upn not in USERS:
        raise BackendError("unknown_user")
    return upn, USERS[upn]


class Stream:
    """One progress stream: a generator yielding events (dicts) and waits (numbers of
    emulated seconds), read by stream.next."""

    def __init__(self, device, body):
        self.device = device
        self.body = body
        self.closed = threading.Event()
        self.lock = threading.Lock()  # one stream.next at a time
        self.peeked = None
        self.owed = 0.0  # emulated seconds of a wait not yet spent (a poll ended within it)

    def _peek(self):
        if self.peeked is None:
            self.peeked = next(self.body, StopIteration)
        return self.peeked

    def next_events(self):
        with self.lock:
            events = []
            deadline = time.monotonic() + POLL_SECONDS
            while True:
                if self.closed.is_set():
                    raise BackendError("cancelled", "the stream was closed")
                item = self._peek()
                if item is StopIteration:
                    return events, True
                if not isinstance(item, dict):  # a wait
                    if events:
                        return events, False  # the last event is not marked more
                    if self.owed == 0:
                        self.owed = float(item)
                    step = self.owed
                    if self.device.speed > 0:
                        step = min(step, max(0.0, deadline - time.monotonic()) * self.device.speed)
                    try:
                        self.device.wait(step, self.closed)
                    except Cancelled:
                        raise BackendError("cancelled", "the stream was closed")
                    self.owed -= step
                    if self.owed > 1e-9:
                        return events, False  # poll time is over: ask again
                    self.owed, self.peeked = 0.0, None
                    continue
                self.peeked = None
                ev = dict(item)
                ev["at"] = self.device.now()
                if events:
                    events[-1]["more"] = True  # this one follows at the same time
                events.append(ev)
                if ev["kind"] in ("update.done", "esp.done", "error"):
                    return events, True


def updates_body(quality):
    if not quality:
        for phase, seconds in (("checking", 2), ("downloading", 3), ("installing", 2)):
            yield {"kind": "update.progress", "phase": phase, "progress": 0}
            for i in range(1, 5):
                yield seconds / 4
                yield {"kind": "update.progress", "phase": phase, "progress": i / 4}
        yield {"kind": "update.done", "progress": 1}
        return
    yield {"kind": "update.progress", "phase": "downloading", "progress": 0}
    for i in range(1, 10):
        yield 1
        yield {"kind": "update.progress", "phase": "downloading" if i < 5 else "installing", "progress": i / 10}
    yield 1
    yield {"kind": "update.restart"}
    yield 3
    yield {"kind": "update.resumed"}
    yield {"kind": "update.progress", "phase": "finishing", "progress": 1}
    yield 1
    yield {"kind": "update.done", "progress": 1}


def esp_body(phase):
    def ev(kind, **kw):
        e = {"kind": kind, "phase": phase}
        e.update(kw)
        return e

    yield ev("esp.start", state="working")
    if phase == "devicePreparation":
        for cat in ("securingHardware", "joiningNetwork", "registeringMDM"):
            yield ev("esp.item", category=cat, state="complete")
        yield ev("esp.item", category="preparingMDM", state="working")
        yield 4
        yield ev("esp.item", category="preparingMDM", state="complete")
        yield ev("esp.done", state="complete")
        return
    yield 2
    if phase == "deviceSetup":
        groups = [
            ("policies", [("lab-policy-1", "Contoso Lab security baseline", 1, None)]),
            ("certificates", [("lab-cert-1", "Contoso Lab Root CA", 1, None)]),
            ("networkConnections", [("lab-wifi-1", "Contoso-Lab Wi-Fi", 1, None)]),
            ("apps", APPS),
        ]
    else:
        groups = [
            ("policies", [("lab-user-policy", "Contoso Lab user settings", 1, None)]),
            ("certificates", []),
            ("networkConnections", []),
            ("apps", [("6a1f0c52-1d0e-4d35-9a55-2f0d8c1e7a10", "Microsoft Teams", 3, None)]),
        ]
    for cat, items in groups:
        yield ev("esp.identified", category=cat,
                 items=[{"id": i, "name": n, "state": "waiting"} for i, n, _, _ in items])
    # each category installs its items one after the other
    for cat, items in groups:
        for item_id, _, seconds, code in items:
            yield ev("esp.item", category=cat, itemId=item_id, state="working")
            yield seconds
            if code:
                yield ev("esp.item", category=cat, itemId=item_id, state="failed", code=code)
                if item_id in BLOCKING:
                    yield ev("esp.done", state="failed", category=cat, itemId=item_id, code=code)
                    return
            else:
                yield ev("esp.item", category=cat, itemId=item_id, state="complete")
    yield ev("esp.done", state="complete")


class Server:
    def __init__(self):
        self.out = threading.Lock()
        self.device = None
        self.streams = {}
        self.stream_seq = 0
        self.calls = {}  # request id (JSON text) → cancel event
        self.calls_lock = threading.Lock()

    def send(self, msg):
        line = json.dumps(msg, separators=(",", ":"))
        with self.out:
            sys.stdout.write(line + "\n")
            sys.stdout.flush()

    def dev(self):
        if self.device is None:
            raise BackendError("bad_request", "call hello first")
        return self.device

    def open_stream(self, body):
        device = self.dev()
        with self.calls_lock:
            self.stream_seq += 1
            sid = "py%d" % self.stream_seq
            self.streams[sid] = Stream(device, body)
        return {"stream": sid}

    # The methods: params (a dict) → result (a dict), or BackendError.

    def hello(self, p, cancel):
        major = str(p.get("protocol", "")).split(".")[0]
        if major != PROTOCOL.split(".")[0]:
            raise BackendError("protocol", "this backend speaks protocol %s" % PROTOCOL)
        if self.device is None:
            self.device = Device(float(p.get("speed") or 0))
        log("hello from", p.get("client", "?"), "speed", p.get("speed"))
        return {"protocol": PROTOCOL, "name": NAME, "version": VERSION, "capabilities": []}

    def boot(self, p, cancel):
        self.dev()
        return {
            "boot": {"languages": ["en-US"], "wired": False, "profileKnown": False},
            "serial": SERIAL,
            "ethernetPresent": False,
            "handout": [
                {"label": "Wi-Fi Contoso-Lab", "value": "Lab-WiFi-2026!"},
                {"label": "Account", "value": "blake.lab@" + DOMAIN},
                {"label": "Password", "value": "Blake#Lab-2026"},
            ],
        }

    def scan(self, p, cancel):
        self.dev().wait(1, cancel)
        return {"networks": [{k: n[k] for k in ("ssid", "signal", "security")} for n in NETWORKS]}

    def connect(self, p, cancel):
        d = self.dev()
        d.wait(2, cancel)
        net = next((n for n in NETWORKS if n["ssid"] == p.get("ssid")), None)
        if net is None:
            raise BackendError("no_such_network", "no network of that name is in range")
        if net["security"] == "psk" and p.get("key") != net["key"]:
            raise BackendError("wrong_key")
        if net["security"] == "enterprise":
            user = USERS.get(str(p.get("identity", "")).lower())
            if user is None or user["password"] != p.get("key"):
                raise BackendError("wrong_key", "the network did not accept the user name and password")
        d.online = net["internet"]
        return {"internet": net["internet"]}

    def profile_download(self, p, cancel):
        self.dev().wait(2, cancel)
        return PROFILE

    def updates_check(self, p, cancel):
        return self.open_stream(updates_body(False))

    def user_check(self, p, cancel):
        self.dev().wait(1, cancel)
        user_of(str(p.get("upn", "")))
        return {}

    def signin(self, p, cancel):
        d = self.dev()
        d.wait(1, cancel)
        upn, user = user_of(str(p.get("upn", "")))
        if p.get("password") != user["password"]:
            raise BackendError("wrong_password")
        with d.lock:
            d.seq += 1
            ticket = "py-ticket-%d" % d.seq
        d.tickets[ticket] = {"upn": upn, "mfa_done": user["mfa"] == "none", "enrolled": False}
        result = {"ticket": ticket, "upn": upn, "displayName": user["name"], "mfa": user["mfa"]}
        if user["mfa"] == "push":
            result["mfaNumber"] = 42
        return result

    def mfa_wait(self, p, cancel):
        d = self.dev()
        t = d.ticket(p.get("ticket", ""))
        d.wait(3, cancel)  # the user approves on the phone
        t["mfa_done"] = True
        return {}

    def code_verify(self, p, cancel):
        d = self.dev()
        t = d.ticket(p.get("ticket", ""))
        d.wait(1, cancel)
        if USERS[t["upn"]].get("code") != p.get("code"):
            raise BackendError("wrong_code")
        t["mfa_done"] = True
        return {}

    def enroll(self, p, cancel):
        d = self.dev()
        t = d.ticket(p.get("ticket", ""), need_mfa=True)
        d.wait(3, cancel)
        fail = USERS[t["upn"]].get("enroll_fail")
        if fail:
            raise BackendError("enrollment_failed", "the device could not enroll in MDM", fail)
        t["enrolled"] = True
        return {}

    def provision(self, p, cancel):
        d = self.dev()
        d.ticket(p.get("ticket", ""), need_enrolled=True)
        if p.get("phase") not in PHASES:
            raise BackendError("bad_request", "unknown ESP phase")
        return self.open_stream(esp_body(p["phase"]))

    def quality_updates(self, p, cancel):
        return self.open_stream(updates_body(True))

    def vpn_connect(self, p, cancel):
        self.dev()
        # the lab is a Microsoft Entra join: no device VPN is ever installed
        raise BackendError("bad_request", "no VPN client is installed on this device")

    def device_name(self, p, cancel):
        self.dev()
        return {"name": "LAB-" + SERIAL[-5:]}

    def reset(self, p, cancel):
        d = self.dev()
        for s in self.streams.values():
            s.closed.set()
        self.streams.clear()
        d.reset_state()
        return {}

    def stream_next(self, p, cancel):
        s = self.streams.get(p.get("stream"))
        if s is None:
            raise BackendError("bad_request", "no open stream of that id")
        events, end = s.next_events()
        if end:
            self.streams.pop(p.get("stream"), None)
        return {"events": events, "end": end}

    def stream_close(self, p, cancel):
        s = self.streams.pop(p.get("stream"), None)
        if s is not None:
            s.closed.set()
        return {}

    METHODS = {
        "hello": hello, "boot": boot, "scan": scan, "connect": connect,
        "profile.download": profile_download, "updates.check": updates_check,
        "user.check": user_check, "signin": signin, "mfa.wait": mfa_wait,
        "code.verify": code_verify, "enroll": enroll, "provision": provision,
        "quality.updates": quality_updates, "vpn.connect": vpn_connect,
        "device.name": device_name, "reset": reset,
        "stream.next": stream_next, "stream.close": stream_close,
    }

    def handle(self, msg):
        rid = msg.get("id")
        method = msg.get("method")
        if rid is None:  # a notification
            if method == "cancel":
                key = json.dumps((msg.get("params") or {}).get("id"))
                with self.calls_lock:
                    ev = self.calls.get(key)
                if ev is not None:
                    ev.set()
            return
        fn = self.METHODS.get(method)
        if fn is None:
            self.send({"jsonrpc": "2.0", "id": rid, "error": {"code": -32601, "message": "no method %s" % method}})
            return
        cancel = threading.Event()
        key = json.dumps(rid)
        with self.calls_lock:
            self.calls[key] = cancel
        try:
            params = msg.get("params") or {}
            if not isinstance(params, dict):
                raise BackendError("bad_request", "params must be an object")
            log("call", method)  # never the params: they may hold a secret
            self.send({"jsonrpc": "2.0", "id": rid, "result": fn(self, params, cancel)})
        except BackendError as e:
            log("error", method, e.code)
            text = e.code + (": " + e.detail if e.detail else "")
            self.send({"jsonrpc": "2.0", "id": rid, "error": {"code": -32000, "message": text, "data": e.data()}})
        except Cancelled:
            e = BackendError("cancelled", "the client cancelled the call")
            self.send({"jsonrpc": "2.0", "id": rid, "error": {"code": -32000, "message": "cancelled", "data": e.data()}})
        except Exception as e:  # a bug here must not kill the device: report it
            log("internal error in", method, type(e).__name__)
            err = BackendError("internal", "%s: %s" % (type(e).__name__, e))
            self.send({"jsonrpc": "2.0", "id": rid, "error": {"code": -32000, "message": "internal", "data": err.data()}})
        finally:
            with self.calls_lock:
                self.calls.pop(key, None)

    def serve(self):
        log("ready: protocol", PROTOCOL)
        for line in sys.stdin:
            line = line.strip()
            if not line:
                continue
            try:
                msg = json.loads(line)
            except ValueError:
                self.send({"jsonrpc": "2.0", "id": None, "error": {"code": -32700, "message": "parse error"}})
                continue
            for m in msg if isinstance(msg, list) else [msg]:
                threading.Thread(target=self.handle, args=(m,), daemon=True).start()
        log("standard input closed: bye")


if __name__ == "__main__":
    Server().serve()
