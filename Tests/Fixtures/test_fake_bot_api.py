"""Self-test for fake_bot_api.py (stdlib unittest).

Run from the repository root:
    python3 -m unittest Tests/Fixtures/test_fake_bot_api.py -v
"""

import json
import os
import subprocess
import sys
import threading
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER = os.path.join(HERE, "fake_bot_api.py")
SPEC = os.environ.get("TELEGRAM_API_SPEC", os.path.join(os.path.dirname(os.path.abspath(__file__)), "telegram", "api.json"))
TOKEN = "123456789:TEST-token_abc"


class FakeBotApiTest(unittest.TestCase):
    proc = None
    port = None

    @classmethod
    def setUpClass(cls):
        cls.proc = subprocess.Popen(
            [sys.executable, SERVER, "--spec", SPEC, "--token", TOKEN, "--port", "0"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = cls.proc.stdout.readline()
        cls.first_line = line
        if not line.startswith("LISTENING "):
            cls.proc.kill()
            raise RuntimeError(f"bad first line {line!r}; stderr: {cls.proc.stderr.read()}")
        cls.port = int(line.split()[1])
        cls.base = f"http://127.0.0.1:{cls.port}"

    @classmethod
    def tearDownClass(cls):
        if cls.proc:
            cls.proc.terminate()
            try:
                cls.proc.wait(timeout=5)
            finally:
                cls.proc.stdout.close()
                cls.proc.stderr.close()

    def setUp(self):
        self.control("reset", {})

    # -- helpers -------------------------------------------------------------
    def request(self, path, body=None, method="POST", content_type="application/json", timeout=10):
        data = None
        headers = {}
        if body is not None:
            if content_type == "application/json":
                data = json.dumps(body).encode()
            else:
                data = urllib.parse.urlencode(body).encode()
            headers["Content-Type"] = content_type
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return r.status, dict(r.headers), json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), json.loads(e.read())

    def api(self, api_method, params=None, token=TOKEN, **kw):
        if kw.get("method") == "GET":
            query = "?" + urllib.parse.urlencode(params) if params else ""
            return self.request(f"/bot{token}/{api_method}{query}", None, **kw)
        return self.request(f"/bot{token}/{api_method}", params if params is not None else {}, **kw)

    def control(self, name, body=None):
        method = "GET" if body is None else "POST"
        return self.request(f"/control/{name}", body, method=method)[2]

    # -- tests -----------------------------------------------------------------
    def test_listening_line(self):
        self.assertRegex(self.first_line, r"^LISTENING \d+\n$")
        self.assertGreater(self.port, 0)

    def test_get_me(self):
        status, _, body = self.api("getMe", method="GET")
        self.assertEqual(status, 200)
        self.assertTrue(body["ok"])
        self.assertEqual(body["result"]["id"], 123456789)
        self.assertTrue(body["result"]["is_bot"])
        self.assertEqual(body["result"]["username"], "profint_test_bot")
        # method names are case-insensitive
        self.assertEqual(self.api("getme")[0], 200)
        # query-string parameters work too
        status, _, body = self.api("sendMessage", {"chat_id": 3, "text": "q"}, method="GET")
        self.assertEqual((status, body["result"]["text"]), (200, "q"))

    def test_wrong_token(self):
        status, _, body = self.api("getMe", token="999:wrong")
        self.assertEqual(status, 401)
        self.assertEqual(body, {"ok": False, "error_code": 401, "description": "Unauthorized"})

    def test_unknown_method(self):
        status, _, body = self.api("sendMessagee", {"chat_id": 1, "text": "x"})
        self.assertEqual(status, 404)
        self.assertEqual(body["description"], "Not Found")

    def test_send_message_ok_and_ids_increment(self):
        s1, _, b1 = self.api("sendMessage", {"chat_id": 42, "text": "hello", "unknown_param": 1})
        s2, _, b2 = self.api("sendMessage", {"chat_id": "42", "text": "again"},
                             content_type="application/x-www-form-urlencoded")
        self.assertEqual((s1, s2), (200, 200))
        self.assertEqual(b1["result"]["chat"], {"id": 42, "first_name": "Test", "type": "private"})
        self.assertEqual(b1["result"]["text"], "hello")
        self.assertEqual(b2["result"]["message_id"], b1["result"]["message_id"] + 1)

    def test_send_message_missing_chat_id(self):
        status, _, body = self.api("sendMessage", {"text": "hi"})
        self.assertEqual(status, 400)
        self.assertFalse(body["ok"])
        self.assertEqual(body["error_code"], 400)
        self.assertIn("chat_id", body["description"])
        self.assertTrue(body["description"].startswith("Bad Request: "))

    def test_wrong_type(self):
        status, _, body = self.api("sendMessage", {"chat_id": 1, "text": "x", "disable_notification": "maybe"})
        self.assertEqual(status, 400)
        status, _, _ = self.api("sendMessage", {"chat_id": {"id": 1}, "text": "x"})
        self.assertEqual(status, 400)

    def test_text_too_long(self):
        status, _, body = self.api("sendMessage", {"chat_id": 1, "text": "a" * 4097})
        self.assertEqual(status, 400)
        self.assertEqual(body["description"], "Bad Request: message is too long")
        self.assertEqual(self.api("sendMessage", {"chat_id": 1, "text": "a" * 4096})[0], 200)
        # length counts UTF-16 code units: 2049 emoji = 4098 units
        self.assertEqual(self.api("sendMessage", {"chat_id": 1, "text": "😀" * 2049})[0], 400)
        # markup does not count
        self.assertEqual(self.api("sendMessage", {"chat_id": 1, "text": "<b>" + "a" * 4096 + "</b>",
                                                  "parse_mode": "HTML"})[0], 200)

    def test_empty_text(self):
        status, _, body = self.api("sendMessage", {"chat_id": 1, "text": "<b></b>  ", "parse_mode": "HTML"})
        self.assertEqual(status, 400)
        self.assertEqual(body["description"], "Bad Request: message text is empty")

    def test_malformed_html(self):
        for text in ["1 < 2", "<b>unclosed", "<b>x</i>", "<div>x</div>", "x</b>", '<span>x</span>']:
            status, _, body = self.api("sendMessage", {"chat_id": 1, "text": text, "parse_mode": "HTML"})
            self.assertEqual(status, 400, text)
            self.assertTrue(body["description"].startswith("Bad Request: can't parse entities: "), body)

    def test_valid_html_with_escapes(self):
        text = ('1 &lt; 2 &amp;&amp; 3 &gt; 2 &#128512; <b>bold</b> <a href="https://e.com/?a=1&amp;b=2">l</a> '
                '<span class="tg-spoiler">s</span> <pre><code class="language-swift">let x</code></pre>')
        status, _, body = self.api("sendMessage", {"chat_id": 7, "text": text, "parse_mode": "HTML"})
        self.assertEqual(status, 200, body)
        self.assertTrue(body["result"]["text"].startswith("1 < 2 && 3 > 2 😀 bold l s let x"))
        types = {e["type"] for e in body["result"]["entities"]}
        self.assertTrue({"bold", "text_link", "spoiler", "pre"} <= types)

    def test_parse_mode_invalid(self):
        status, _, _ = self.api("sendMessage", {"chat_id": 1, "text": "x", "parse_mode": "BBCode"})
        self.assertEqual(status, 400)
        status, _, body = self.api("sendMessage", {"chat_id": 1, "text": "a.b", "parse_mode": "MarkdownV2"})
        self.assertEqual(status, 400)
        self.assertEqual(self.api("sendMessage", {"chat_id": 1, "text": "*a\\.b*", "parse_mode": "MarkdownV2"})[0], 200)

    def test_callback_data_limits(self):
        def kb(data):
            return {"inline_keyboard": [[{"text": "Go", "callback_data": data}]]}
        status, _, body = self.api("sendMessage", {"chat_id": 1, "text": "x", "reply_markup": kb("a" * 64)})
        self.assertEqual(status, 200, body)
        self.assertEqual(body["result"]["reply_markup"], kb("a" * 64))
        status, _, body = self.api("sendMessage", {"chat_id": 1, "text": "x", "reply_markup": kb("a" * 65)})
        self.assertEqual(status, 400)
        # 22 Cyrillic letters = 44 bytes ok, 33 = 66 bytes too long
        self.assertEqual(self.api("sendMessage", {"chat_id": 1, "text": "x", "reply_markup": kb("ж" * 32)})[0], 200)
        self.assertEqual(self.api("sendMessage", {"chat_id": 1, "text": "x", "reply_markup": kb("ж" * 33)})[0], 400)
        # button without text / with two actions / not an array of arrays
        bad = [{"inline_keyboard": [[{"callback_data": "x"}]]},
               {"inline_keyboard": [[{"text": "a", "callback_data": "x", "url": "https://e.com"}]]},
               {"inline_keyboard": [{"text": "a", "callback_data": "x"}]},
               {"inline_keyboard": "nope"}]
        for rm in bad:
            self.assertEqual(self.api("sendMessage", {"chat_id": 1, "text": "x", "reply_markup": rm})[0], 400, rm)
        # form-encoded JSON-serialized reply_markup
        status, _, _ = self.api("sendMessage", {"chat_id": 1, "text": "x", "reply_markup": json.dumps(kb("ok"))},
                                content_type="application/x-www-form-urlencoded")
        self.assertEqual(status, 200)

    def test_answer_callback_and_chat_action(self):
        self.assertEqual(self.api("answerCallbackQuery", {"callback_query_id": "1", "text": "a" * 200})[2]["result"], True)
        self.assertEqual(self.api("answerCallbackQuery", {"callback_query_id": "1", "text": "a" * 201})[0], 400)
        self.assertEqual(self.api("answerCallbackQuery", {"text": "a"})[0], 400)
        self.assertEqual(self.api("sendChatAction", {"chat_id": 1, "action": "typing"})[2]["result"], True)

    def test_webhook(self):
        s, _, b = self.api("setWebhook", {"url": "https://bot.example.com/telegram/webhook", "secret_token": "abc_DEF-123",
                                          "allowed_updates": ["message", "callback_query"],
                                          "drop_pending_updates": True})
        self.assertEqual((s, b["result"]), (200, True))
        info = self.api("getWebhookInfo")[2]["result"]
        self.assertEqual(info["url"], "https://bot.example.com/telegram/webhook")
        self.assertEqual(info["has_custom_certificate"], False)
        self.assertEqual(info["pending_update_count"], 0)
        self.assertEqual(info["allowed_updates"], ["message", "callback_query"])
        self.assertEqual(self.api("setWebhook", {"url": "https://x.com/h", "secret_token": "bad token!"})[0], 400)
        self.assertEqual(self.api("setWebhook", {"url": "https://x.com/h", "secret_token": "a" * 257})[0], 400)
        self.assertEqual(self.api("setWebhook", {"secret_token": "abc"})[0], 400)
        self.assertEqual(self.api("deleteWebhook")[2]["result"], True)
        self.assertEqual(self.api("getWebhookInfo")[2]["result"]["url"], "")

    def test_script_429_and_others(self):
        self.control("script", {"method": "sendMessage", "responses": [
            {"status": 429, "retry_after": 2}, {"status": 500},
            {"status": 403, "description": "Forbidden: bot was blocked by the user"}]})
        # other methods are not affected
        self.assertEqual(self.api("getMe")[0], 200)
        status, headers, body = self.api("sendMessage", {"chat_id": 1, "text": "x"})
        self.assertEqual(status, 429)
        self.assertEqual(headers.get("Retry-After"), "2")
        self.assertEqual(body, {"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 2",
                                "parameters": {"retry_after": 2}})
        self.assertEqual(self.api("sendMessage", {"chat_id": 1, "text": "x"})[0], 500)
        status, _, body = self.api("sendMessage", {"chat_id": 1, "text": "x"})
        self.assertEqual((status, body["description"]), (403, "Forbidden: bot was blocked by the user"))
        self.assertEqual(self.api("sendMessage", {"chat_id": 1, "text": "x"})[0], 200)

    def test_script_hang(self):
        self.control("script", {"responses": [{"hang": 0.5}]})
        t0 = time.time()
        status, _, _ = self.api("getMe")
        self.assertEqual(status, 200)
        self.assertGreaterEqual(time.time() - t0, 0.45)

    def test_calls_recorded(self):
        self.api("getMe")
        self.api("sendMessage", {"chat_id": 5, "text": "hi"})
        self.api("sendMessage", {"text": "no chat"})
        self.api("getMe", token="bad")
        calls = self.control("calls")["calls"]
        self.assertEqual([c["method"] for c in calls], ["getMe", "sendMessage", "sendMessage", "getMe"])
        self.assertEqual([c["status"] for c in calls], [200, 200, 400, 401])
        self.assertEqual(calls[1]["params"], {"chat_id": 5, "text": "hi"})
        self.assertIsInstance(calls[0]["time"], float)
        self.control("reset", {})
        self.assertEqual(self.control("calls")["calls"], [])

    def test_deliver_retries(self):
        received = []

        class Hook(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                received.append((dict(self.headers), body))
                code = 500 if len(received) == 1 else 200
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

        hook = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
        threading.Thread(target=hook.serve_forever, daemon=True).start()
        try:
            update = {"update_id": 1001, "message": {"message_id": 1, "date": 0, "chat": {"id": 5, "type": "private"},
                                                     "text": "/start"}}
            res = self.control("deliver", {"url": f"http://127.0.0.1:{hook.server_address[1]}/telegram/webhook",
                                           "secret": "s3cret", "update": update,
                                           "max_attempts": 3, "retry_delay": 0.1})
            self.assertEqual([a["status"] for a in res["attempts"]], [500, 200])
            self.assertEqual(len(received), 2)
            headers, body = received[1]
            self.assertEqual(headers["X-Telegram-Bot-Api-Secret-Token"], "s3cret")
            self.assertEqual(headers["Content-Type"], "application/json")
            self.assertEqual(json.loads(body), update)
            # no secret header when secret is null; raw_body is sent verbatim
            received.clear()
            res = self.control("deliver", {"url": f"http://127.0.0.1:{hook.server_address[1]}/x", "secret": None,
                                           "raw_body": "{not json", "max_attempts": 1})
            self.assertEqual([a["status"] for a in res["attempts"]], [500])
            self.assertNotIn("X-Telegram-Bot-Api-Secret-Token", received[0][0])
            self.assertEqual(received[0][1], b"{not json")
        finally:
            hook.shutdown()
            hook.server_close()

    def test_deliver_connection_error(self):
        res = self.control("deliver", {"url": "http://127.0.0.1:9/none", "update": {"update_id": 1},
                                       "max_attempts": 2, "retry_delay": 0.05})
        self.assertEqual(len(res["attempts"]), 2)
        self.assertIsNone(res["attempts"][0]["status"])
        self.assertIn("error", res["attempts"][0])


if __name__ == "__main__":
    unittest.main()
