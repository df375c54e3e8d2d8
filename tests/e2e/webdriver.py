"""A small W3C WebDriver client for driving the Tauri app through tauri-driver.

Standard library only. Every request goes over ONE persistent ``http.client.HTTPConnection``:
clients that close the connection after each request (``urllib.request`` sends
``Connection: close``) fail 10-25 % of runs through tauri-driver with ``RemoteDisconnected``
(see /work/shared/E2E.md).
"""

import base64
import http.client
import json
import time

ELEMENT_KEY = "element-6066-11e4-a52e-4f735466cecf"


def on_server(fn):
    """Decorator: the test runs the app on a database of its own on the PostgreSQL server that
    FRONTDESK_TEST_PG names (scripts/test.sh starts one), and is left out without one."""
    fn.on_server = True
    return fn


def app_args(*args):
    """Decorator: extra command-line arguments for the app in this test (after --db)."""

    def wrap(fn):
        fn.app_args = [str(a) for a in args]
        return fn

    return wrap


def real_first_start(fn):
    """Decorator: the app starts its new data file as a hospital would (初始设置), not as the
    demo hospital every other test starts from."""
    fn.real_first_start = True
    return fn


def starts_from(path):
    """Decorator: the test's data file starts as a copy of ``path`` (a callable is called for
    it when the test runs), e.g. a data file written by an older version."""

    def wrap(fn):
        fn.starts_from = path
        return fn

    return wrap


def before_launch(*args, clock=None):
    """Decorator: a ``frontdesk-admin`` command run on the test's fresh data file before the app
    starts (``--db`` is added). A callable argument is called for its value when the test runs.
    ``clock`` (say ``"-1460d"``) runs it under faketime that far from now: a hospital that did
    all that years ago."""

    def wrap(fn):
        fn.before_launch = list(args)
        fn.before_launch_clock = clock
        return fn

    return wrap


class Keys:
    """W3C WebDriver key codes (Private Use Area code points)."""

    NULL = "\ue000"
    CANCEL = "\ue001"
    BACKSPACE = "\ue003"
    TAB = "\ue004"
    ENTER = "\ue007"
    SHIFT = "\ue008"
    CONTROL = "\ue009"
    ALT = "\ue00a"
    ESCAPE = "\ue00c"
    SPACE = "\ue00d"
    ARROW_LEFT = "\ue012"
    ARROW_UP = "\ue013"
    ARROW_RIGHT = "\ue014"
    ARROW_DOWN = "\ue015"
    DELETE = "\ue017"
    F1 = "\ue031"
    F2 = "\ue032"
    F3 = "\ue033"
    F4 = "\ue034"
    F5 = "\ue035"
    F6 = "\ue036"
    F7 = "\ue037"
    F8 = "\ue038"
    F9 = "\ue039"
    META = "\ue03d"


class WebDriverError(Exception):
    """A WebDriver command failed or a wait timed out."""


def _short(text, limit=1200):
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit] + " …"


class Element:
    def __init__(self, session, element_id, selector=""):
        self.session = session
        self.id = element_id
        self.selector = selector

    def __repr__(self):
        return f"<Element {self.selector or self.id}>"

    def _url(self, suffix=""):
        return f"/element/{self.id}{suffix}"

    def click(self):
        self.session.cmd("POST", self._url("/click"), {})
        return self

    def send_keys(self, text):
        self.session.cmd("POST", self._url("/value"), {"text": text})
        return self

    def clear(self):
        self.session.cmd("POST", self._url("/clear"), {})
        return self

    @property
    def text(self):
        return self.session.cmd("GET", self._url("/text"))

    def is_displayed(self):
        return bool(self.session.cmd("GET", self._url("/displayed")))

    def is_enabled(self):
        return bool(self.session.cmd("GET", self._url("/enabled")))

    def attribute(self, name):
        return self.session.cmd("GET", self._url(f"/attribute/{name}"))

    def prop(self, name):
        return self.session.cmd("GET", self._url(f"/property/{name}"))

    def find(self, css):
        value = self.session.cmd(
            "POST", self._url("/element"), {"using": "css selector", "value": css}
        )
        return Element(self.session, value[ELEMENT_KEY], css)

    def find_all(self, css):
        values = self.session.cmd(
            "POST", self._url("/elements"), {"using": "css selector", "value": css}
        )
        return [Element(self.session, v[ELEMENT_KEY], css) for v in values]

    def to_json(self):
        return {ELEMENT_KEY: self.id}


class Session:
    """One WebDriver session = one launch of the app."""

    def __init__(self, host, port, app, args=(), timeout=60.0, start_timeout=90.0):
        self.host = host
        self.port = port
        self.timeout = timeout
        self.conn = http.client.HTTPConnection(host, port, timeout=start_timeout)
        self.session_id = None
        caps = {
            "capabilities": {
                "alwaysMatch": {
                    "tauri:options": {"application": str(app), "args": [str(a) for a in args]}
                }
            }
        }
        value = self._request("POST", "/session", caps, retry=False)
        self.session_id = value["sessionId"]
        self.capabilities = value.get("capabilities", {})
        self.conn.timeout = timeout
        if self.conn.sock is not None:
            self.conn.sock.settimeout(timeout)

    # ---- transport ------------------------------------------------------------------------

    def _request(self, method, path, body=None, retry=True):
        data = None if body is None else json.dumps(body).encode("utf-8")
        headers = {"Accept": "application/json", "Connection": "keep-alive"}
        if data is not None:
            headers["Content-Type"] = "application/json; charset=utf-8"
        attempts = 2 if (retry and method == "GET") else 1
        for attempt in range(attempts):
            try:
                self.conn.request(method, path, body=data, headers=headers)
                resp = self.conn.getresponse()
                raw = resp.read()
                break
            except (http.client.HTTPException, ConnectionError, OSError) as e:
                self.conn.close()  # reconnects on the next request
                if attempt + 1 == attempts:
                    raise WebDriverError(f"{method} {path}: connection failed: {e!r}") from e
        try:
            payload = json.loads(raw.decode("utf-8")) if raw else {}
        except ValueError:
            raise WebDriverError(
                f"{method} {path}: HTTP {resp.status}, not JSON: {raw[:300]!r}"
            ) from None
        value = payload.get("value") if isinstance(payload, dict) else None
        if resp.status >= 400:
            err = value.get("error", "") if isinstance(value, dict) else ""
            msg = value.get("message", "") if isinstance(value, dict) else str(payload)
            raise WebDriverError(f"{method} {path}: HTTP {resp.status} {err}: {msg}")
        return value

    def cmd(self, method, suffix, body=None):
        if self.session_id is None:
            raise WebDriverError("no session")
        return self._request(method, f"/session/{self.session_id}{suffix}", body)

    def quit(self):
        """Deletes the session (the app exits) and closes the connection. Never raises."""
        try:
            if self.session_id is not None:
                self.cmd("DELETE", "")
        except WebDriverError:
            pass
        finally:
            self.session_id = None
            self.conn.close()

    # ---- page -----------------------------------------------------------------------------

    @property
    def title(self):
        return self.cmd("GET", "/title")

    @property
    def url(self):
        return self.cmd("GET", "/url")

    def page_text(self):
        """The page's visible text, for error messages. Never raises."""
        try:
            return self.execute(
                "return document.body ? document.body.innerText : document.documentElement.outerHTML;"
            ) or ""
        except WebDriverError as e:
            return f"(page text unavailable: {e})"

    def fail(self, message):
        raise WebDriverError(f"{message}\n    page text: {_short(self.page_text())}")

    def find(self, css):
        try:
            value = self.cmd("POST", "/element", {"using": "css selector", "value": css})
        except WebDriverError as e:
            if "no such element" in str(e):
                self.fail(f"no element matches {css!r}")
            raise
        return Element(self, value[ELEMENT_KEY], css)

    def find_all(self, css):
        values = self.cmd("POST", "/elements", {"using": "css selector", "value": css})
        return [Element(self, v[ELEMENT_KEY], css) for v in values]

    def exists(self, css):
        return bool(self.find_all(css))

    def displayed(self, css):
        """True when some element matches css and the first match is displayed."""
        found = self.find_all(css)
        return bool(found) and found[0].is_displayed()

    def active_element(self):
        value = self.cmd("GET", "/element/active")
        return Element(self, value[ELEMENT_KEY], "(active)")

    @staticmethod
    def _args(args):
        return [a.to_json() if isinstance(a, Element) else a for a in args]

    def execute(self, script, *args):
        return self.cmd("POST", "/execute/sync", {"script": script, "args": self._args(args)})

    def execute_async(self, script, *args):
        """The script's last argument is the callback to call with the result."""
        return self.cmd("POST", "/execute/async", {"script": script, "args": self._args(args)})

    def next_frames(self, n=2):
        """Waits until n animation frames were painted (so a screenshot shows the current page)."""
        self.execute_async(
            "const done = arguments[arguments.length - 1]; let n = arguments[0];"
            "function f() { if (--n <= 0) done(true); else requestAnimationFrame(f); }"
            "requestAnimationFrame(f);",
            n,
        )

    def screenshot(self, path):
        png = base64.b64decode(self.cmd("GET", "/screenshot"))
        with open(path, "wb") as f:
            f.write(png)
        return path

    # ---- keyboard -------------------------------------------------------------------------

    def keys(self, *chords):
        """Presses keys at the focused element through the Actions API.

        Each chord is a string; its characters go down in order and come up in reverse, so
        ``keys(Keys.CONTROL + "l")`` is Ctrl+L and ``keys(Keys.F1)`` is F1. Several chords are
        pressed one after another.
        """
        actions = []
        for chord in chords:
            for ch in chord:
                actions.append({"type": "keyDown", "value": ch})
            for ch in reversed(chord):
                actions.append({"type": "keyUp", "value": ch})
        self.cmd("POST", "/actions", {"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})
        self.cmd("DELETE", "/actions")

    def type_text(self, text):
        """Types text at the focused element, one key press per character (Keys.* allowed)."""
        actions = []
        for ch in text:
            actions += [{"type": "keyDown", "value": ch}, {"type": "keyUp", "value": ch}]
        self.cmd("POST", "/actions", {"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})
        self.cmd("DELETE", "/actions")

    def active_id(self):
        """The id of the focused element ('' when none has one)."""
        return self.execute("return document.activeElement ? document.activeElement.id : ''")

    # ---- waiting --------------------------------------------------------------------------

    def wait_until(self, predicate, timeout=10.0, interval=0.1, message="condition"):
        """Polls predicate() until it returns a truthy value, which is returned.

        message describes what is awaited (a string, or a callable giving one at timeout).
        WebDriver errors inside the predicate count as "not yet" (the page may be rebuilding);
        on timeout the last such error and the page's text are in the raised message.
        """
        deadline = time.monotonic() + timeout
        last_error = None
        while True:
            try:
                result = predicate()
                if result:
                    return result
            except WebDriverError as e:
                last_error = e
            if time.monotonic() >= deadline:
                extra = f"\n    last error: {last_error}" if last_error else ""
                what = message() if callable(message) else message
                self.fail(f"timed out after {timeout:g}s waiting for {what}{extra}")
            time.sleep(interval)

    def wait_for(self, css, timeout=10.0, displayed=True):
        """Waits for an element matching css (displayed unless displayed=False); returns it."""

        def probe():
            for el in self.find_all(css):
                if not displayed or el.is_displayed():
                    return el
            return None

        what = f"{css!r} to be displayed" if displayed else f"{css!r} to exist"
        return self.wait_until(probe, timeout, message=what)

    def wait_gone(self, css, timeout=10.0):
        """Waits until no element matching css is displayed."""
        self.wait_until(
            lambda: not any(el.is_displayed() for el in self.find_all(css)),
            timeout,
            message=f"{css!r} to be hidden",
        )

    def wait_text(self, css, expected, timeout=10.0):
        """Waits until the first displayed match of css has text containing expected."""
        seen = []

        def probe():
            el = self.find(css)
            seen[:] = [el.text]
            return el if expected in seen[0] else None

        return self.wait_until(
            probe, timeout, message=lambda: f"{css!r} to contain {expected!r} (has {seen[:1]!r})"
        )
