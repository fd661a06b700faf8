#!/usr/bin/env python3
"""Fake Telegram Bot API server for integration tests (Python 3.11 stdlib only).

Usage:
    python3 fake_bot_api.py --spec /path/to/api.json --token TOKEN [--port 0] [--verbose]

Prints exactly ``LISTENING <port>`` on stdout once ready, then serves until
SIGTERM/SIGINT. Every Bot API call is validated against the machine-readable
spec (api.json) as strictly as the real server would. See README.md beside this
file for the control API used by tests.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import signal
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from email.parser import BytesParser
from email.policy import HTTP as HTTP_POLICY
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

VERBOSE = False


def log(*args):
    if VERBOSE:
        print("[fake_bot_api]", *args, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------

DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    413: "Request Entity Too Large",
    420: "Flood",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


class ApiError(Exception):
    def __init__(self, code: int, description: str, parameters: dict | None = None, headers: dict | None = None):
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters
        self.headers = headers or {}

    def body(self) -> dict:
        b = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            b["parameters"] = self.parameters
        return b


def bad_request(msg: str) -> ApiError:
    return ApiError(400, "Bad Request: " + msg)


def utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


# ---------------------------------------------------------------------------
# Formatting (entity) parsers
# ---------------------------------------------------------------------------

HTML_TAGS = {
    "a", "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
    "code", "pre", "blockquote", "tg-emoji", "tg-time",
}
HTML_ENTITY_TYPE = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline", "ins": "underline",
    "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough", "span": "spoiler",
    "tg-spoiler": "spoiler", "code": "code", "pre": "pre", "blockquote": "blockquote", "a": "text_link",
    "tg-emoji": "custom_emoji", "tg-time": "date_time",
}
NAMED_HTML_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


class EntityParseError(Exception):
    pass


class _TextBuilder:
    def __init__(self):
        self.parts: list[str] = []
        self.u16 = 0

    def add(self, s: str):
        self.parts.append(s)
        self.u16 += utf16_len(s)

    def text(self) -> str:
        return "".join(self.parts)


def _byte_off(s: str, i: int) -> int:
    return len(s[:i].encode("utf-8"))


def parse_html(s: str):
    """Parse Telegram-flavoured HTML the way the Bot API server (tdlib) does.

    Returns (text, entities). Raises EntityParseError with a tdlib-like message.
    """
    out = _TextBuilder()
    stack: list[tuple[str, dict, int, int]] = []  # (tag, attrs, utf16 start, char pos)
    entities = []
    n = len(s)
    i = 0
    while i < n:
        c = s[i]
        if c == "&":
            m = re.match(r"&(?:(lt|gt|amp|quot)|#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6}));", s[i:i + 12])
            if m:
                if m.group(1):
                    out.add(NAMED_HTML_ENTITIES[m.group(1)])
                else:
                    code = int(m.group(2)) if m.group(2) else int(m.group(3), 16)
                    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                        raise EntityParseError(f"Invalid character code at byte offset {_byte_off(s, i)}")
                    out.add(chr(code))
                i += len(m.group(0))
            else:
                # tdlib keeps unknown/unterminated entities as literal text
                out.add("&")
                i += 1
            continue
        if c == ">":
            # a bare '>' is accepted by the real server
            out.add(c)
            i += 1
            continue
        if c != "<":
            j = i
            while j < n and s[j] not in "<&":
                j += 1
            out.add(s[i:j])
            i = j
            continue

        begin = i
        i += 1
        if i < n and s[i] == "/":
            # end tag
            i += 1
            j = i
            while j < n and s[j] != ">":
                j += 1
            if j >= n:
                raise EntityParseError(f"Unclosed end tag at byte offset {_byte_off(s, begin)}")
            name = s[i:j].strip().lower()
            i = j + 1
            if not stack:
                raise EntityParseError(f"Unexpected end tag at byte offset {_byte_off(s, begin)}")
            tag, attrs, start, _ = stack.pop()
            if name != tag:
                raise EntityParseError(
                    f'Unmatched end tag at byte offset {_byte_off(s, begin)}, expected "</{tag}>", found "</{name}>"')
            length = out.u16 - start
            if length > 0:
                ent = {"offset": start, "length": length, "type": HTML_ENTITY_TYPE[tag]}
                if tag == "a":
                    href = attrs.get("href")
                    if href is None:
                        href = out.text()[-length:] if length else ""
                    if href.startswith("tg://user?id="):
                        ent["type"] = "text_mention"
                    ent["url"] = href
                elif tag == "pre" and stack and stack[-1][0] == "code":
                    pass
                elif tag == "code" and stack and stack[-1][0] == "pre" and "class" in attrs:
                    cls = attrs["class"]
                    if cls.startswith("language-"):
                        # becomes the language of the enclosing pre
                        stack[-1][1]["language"] = cls[len("language-"):]
                elif tag == "pre" and "language" in attrs:
                    ent["language"] = attrs["language"]
                elif tag == "blockquote" and "expandable" in attrs:
                    ent["type"] = "expandable_blockquote"
                elif tag == "tg-emoji":
                    ent["custom_emoji_id"] = attrs.get("emoji-id", "")
                elif tag == "tg-time":
                    try:
                        ent["unix_time"] = int(attrs.get("unix", "0"))
                    except ValueError:
                        ent["unix_time"] = 0
                    if "format" in attrs:
                        ent["date_time_format"] = attrs["format"]
                entities.append(ent)
            continue

        # start tag
        j = i
        while j < n and not s[j].isspace() and s[j] != ">":
            j += 1
        name = s[i:j].lower()
        if name not in HTML_TAGS:
            raise EntityParseError(f'Unsupported start tag "{name}" at byte offset {_byte_off(s, begin)}')
        i = j
        attrs: dict[str, str] = {}
        while True:
            while i < n and s[i].isspace():
                i += 1
            if i >= n:
                raise EntityParseError(f"Unclosed start tag at byte offset {_byte_off(s, begin)}")
            if s[i] == ">":
                i += 1
                break
            a0 = i
            while i < n and not s[i].isspace() and s[i] not in "=>":
                i += 1
            attr = s[a0:i].lower()
            if not attr:
                raise EntityParseError(f'Empty attribute name in the tag "{name}" at byte offset {_byte_off(s, begin)}')
            while i < n and s[i].isspace():
                i += 1
            if i >= n:
                raise EntityParseError(f"Unclosed start tag at byte offset {_byte_off(s, begin)}")
            if s[i] != "=":
                if name == "blockquote" and attr == "expandable":
                    attrs[attr] = ""
                    continue
                raise EntityParseError(
                    f'Expected equal sign in declaration of an attribute of the tag "{name}" at byte offset {_byte_off(s, begin)}')
            i += 1
            while i < n and s[i].isspace():
                i += 1
            if i >= n:
                raise EntityParseError(f"Unclosed start tag at byte offset {_byte_off(s, begin)}")
            if s[i] in "'\"":
                q = s[i]
                k = s.find(q, i + 1)
                if k < 0:
                    raise EntityParseError(f"Unclosed start tag at byte offset {_byte_off(s, begin)}")
                raw = s[i + 1:k]
                i = k + 1
            else:
                k = i
                while k < n and (s[k].isalnum() or s[k] in "._-+:/?=&%#"):
                    k += 1
                if k == i:
                    raise EntityParseError(
                        f'Unexpected end of name token at byte offset {_byte_off(s, i)}')
                raw = s[i:k]
                i = k
            value, _ = parse_html(raw) if "&" in raw else (raw, None)
            attrs[attr] = value
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise EntityParseError('Tag "span" must have class "tg-spoiler"')
        if name == "tg-emoji" and "emoji-id" not in attrs:
            raise EntityParseError('Tag "tg-emoji" must have attribute "emoji-id"')
        stack.append((name, attrs, out.u16, begin))
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return out.text(), entities


MDV2_RESERVED = set("_*[]()~`>#+-=|{}.!")


def parse_markdown_v2(s: str):
    out = _TextBuilder()
    entities = []
    stack: list[tuple[str, int, int]] = []  # (marker, utf16 start, char pos)
    names = {"*": "bold", "_": "italic", "__": "underline", "~": "strikethrough", "||": "spoiler"}
    n = len(s)
    i = 0
    while i < n:
        c = s[i]
        if c == "\\" and i + 1 < n and 0 < ord(s[i + 1]) < 127:
            out.add(s[i + 1])
            i += 2
            continue
        if c == "`":
            is_pre = s.startswith("```", i)
            begin = i
            i += 3 if is_pre else 1
            lang = None
            if is_pre:
                k = i
                while k < n and s[k] not in "\n`" and not s[k].isspace():
                    k += 1
                if k < n and s[k] == "\n":
                    lang = s[i:k] or None
                    i = k + 1
            start = out.u16
            end_marker = "```" if is_pre else "`"
            while True:
                if i >= n:
                    kind = "Pre" if is_pre else "Code"
                    raise EntityParseError(f"Can't find end of {kind} entity at byte offset {_byte_off(s, begin)}")
                if s[i] == "\\" and i + 1 < n and s[i + 1] in "`\\":
                    out.add(s[i + 1])
                    i += 2
                    continue
                if s.startswith(end_marker, i):
                    i += len(end_marker)
                    break
                out.add(s[i])
                i += 1
            if out.u16 > start:
                ent = {"offset": start, "length": out.u16 - start, "type": "pre" if is_pre else "code"}
                if lang:
                    ent["language"] = lang
                entities.append(ent)
            continue
        if c == "[":
            stack.append(("[", out.u16, i))
            i += 1
            continue
        if c == "]":
            if not stack or stack[-1][0] != "[":
                raise EntityParseError("Character ']' is reserved and must be escaped with the preceding '\\'")
            _, start, begin = stack.pop()
            i += 1
            url = ""
            if i < n and s[i] == "(":
                k = i + 1
                buf = []
                while k < n and s[k] != ")":
                    if s[k] == "\\" and k + 1 < n:
                        buf.append(s[k + 1])
                        k += 2
                        continue
                    buf.append(s[k])
                    k += 1
                if k >= n:
                    raise EntityParseError(f"Can't find end of a URL at byte offset {_byte_off(s, i)}")
                url = "".join(buf)
                i = k + 1
            if out.u16 > start and url:
                ent_type = "text_mention" if url.startswith("tg://user?id=") else "text_link"
                entities.append({"offset": start, "length": out.u16 - start, "type": ent_type, "url": url})
            continue
        marker = None
        if s.startswith("__", i):
            marker = "__"
        elif s.startswith("||", i):
            marker = "||"
        elif c in "*_~":
            marker = c
        if marker:
            if stack and stack[-1][0] == marker:
                _, start, _ = stack.pop()
                if out.u16 > start:
                    entities.append({"offset": start, "length": out.u16 - start, "type": names[marker]})
            else:
                if any(m == marker for m, _, _ in stack):
                    raise EntityParseError(
                        f"Can't find end of {names[stack[-1][0]].capitalize() if stack[-1][0] != '[' else 'TextUrl'} "
                        f"entity at byte offset {_byte_off(s, stack[-1][2])}")
                stack.append((marker, out.u16, i))
            i += len(marker)
            continue
        if c == ">" and (i == 0 or s[i - 1] == "\n"):
            # blockquote line marker
            i += 1
            continue
        if c in MDV2_RESERVED:
            raise EntityParseError(f"Character '{c}' is reserved and must be escaped with the preceding '\\'")
        out.add(c)
        i += 1
    if stack:
        marker, _, begin = stack[-1]
        kind = "TextUrl" if marker == "[" else names[marker].capitalize()
        raise EntityParseError(f"Can't find end of {kind} entity at byte offset {_byte_off(s, begin)}")
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return out.text(), entities


def parse_markdown_legacy(s: str):
    out = _TextBuilder()
    entities = []
    n = len(s)
    i = 0
    names = {"*": "bold", "_": "italic", "`": "code"}
    while i < n:
        c = s[i]
        if c == "\\" and i + 1 < n and s[i + 1] in "_*`[":
            out.add(s[i + 1])
            i += 2
            continue
        if c in "*_`[":
            begin = i
            if s.startswith("```", i):
                end = s.find("```", i + 3)
                if end < 0:
                    raise EntityParseError(f"Can't find end of the entity starting at byte offset {_byte_off(s, begin)}")
                body = s[i + 3:end]
                lang = None
                if "\n" in body:
                    first, rest = body.split("\n", 1)
                    if first and not any(ch.isspace() for ch in first):
                        lang, body = first, rest
                start = out.u16
                out.add(body)
                if body:
                    ent = {"offset": start, "length": out.u16 - start, "type": "pre"}
                    if lang:
                        ent["language"] = lang
                    entities.append(ent)
                i = end + 3
                continue
            if c == "[":
                end = s.find("]", i + 1)
                if end < 0:
                    raise EntityParseError(f"Can't find end of the entity starting at byte offset {_byte_off(s, begin)}")
                label = s[i + 1:end]
                url = ""
                i = end + 1
                if i < n and s[i] == "(":
                    e2 = s.find(")", i)
                    if e2 < 0:
                        raise EntityParseError(f"Can't find end of a URL at byte offset {_byte_off(s, i)}")
                    url = s[i + 1:e2]
                    i = e2 + 1
                start = out.u16
                out.add(label)
                if label and url:
                    entities.append({"offset": start, "length": out.u16 - start, "type": "text_link", "url": url})
                continue
            end = s.find(c, i + 1)
            if end < 0:
                raise EntityParseError(f"Can't find end of the entity starting at byte offset {_byte_off(s, begin)}")
            start = out.u16
            out.add(s[i + 1:end])
            if end > i + 1:
                entities.append({"offset": start, "length": out.u16 - start, "type": names[c]})
            i = end + 1
            continue
        out.add(c)
        i += 1
    return out.text(), entities


def parse_formatted(text: str, parse_mode: str | None):
    mode = (parse_mode or "").strip().lower()
    try:
        if mode == "":
            return text, []
        if mode == "html":
            return parse_html(text)
        if mode == "markdownv2":
            return parse_markdown_v2(text)
        if mode == "markdown":
            return parse_markdown_legacy(text)
    except EntityParseError as e:
        raise bad_request(f"can't parse entities: {e}")
    raise bad_request("unsupported parse_mode")


def trim_text(text: str, entities: list):
    """Mimic tdlib's fix_formatted_text trimming of leading/trailing whitespace."""
    stripped_left = text.lstrip()
    lead = utf16_len(text) - utf16_len(stripped_left)
    result = stripped_left.rstrip()
    total = utf16_len(result)
    fixed = []
    for e in entities:
        off = max(0, e["offset"] - lead)
        end = min(total, e["offset"] + e["length"] - lead)
        if end > off:
            e = dict(e, offset=off, length=end - off)
            fixed.append(e)
    return result, fixed


# ---------------------------------------------------------------------------
# Spec-driven validation
# ---------------------------------------------------------------------------

BOOL_TRUE = {"true", "1", "yes"}
BOOL_FALSE = {"false", "0", "no", ""}
INT_RE = re.compile(r"^[+-]?\d+$")
INLINE_BUTTON_NON_ACTION = {"text", "icon_custom_emoji_id", "style"}
KEYBOARD_BUTTON_NON_ACTION = {"text", "icon_custom_emoji_id", "style"}
CHAT_ACTIONS = {
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note",
}
SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class FileUpload(dict):
    """Marker for a multipart-uploaded file (recorded as {"filename", "size"})."""


class Spec:
    def __init__(self, path: str):
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        self.version = data.get("version")
        self.methods = {name.lower(): m for name, m in data["methods"].items()}
        self.types = data["types"]

    def method(self, name: str):
        return self.methods.get(name.lower())


class Validator:
    def __init__(self, spec: Spec):
        self.spec = spec

    # -- scalars ------------------------------------------------------------
    def _scalar(self, value, t: str, path: str):
        if t == "Integer":
            if isinstance(value, bool):
                raise bad_request(f'field "{path}" must be of type Integer')
            if isinstance(value, int):
                return value
            if isinstance(value, float) and value.is_integer():
                return int(value)
            if isinstance(value, str) and INT_RE.match(value.strip()):
                return int(value.strip())
            raise bad_request(f'field "{path}" must be of type Integer')
        if t == "Float":
            if isinstance(value, bool):
                raise bad_request(f'field "{path}" must be of type Number')
            if isinstance(value, (int, float)):
                return float(value)
            if isinstance(value, str):
                try:
                    return float(value.strip())
                except ValueError:
                    pass
            raise bad_request(f'field "{path}" must be of type Number')
        if t == "Boolean":
            if isinstance(value, bool):
                return value
            if isinstance(value, int) and value in (0, 1):
                return bool(value)
            if isinstance(value, str) and value.strip().lower() in BOOL_TRUE | BOOL_FALSE:
                return value.strip().lower() in BOOL_TRUE
            raise bad_request(f'field "{path}" must be of type Boolean')
        if t == "String":
            if isinstance(value, str):
                return value
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return str(value)  # the real server stringifies numbers
            raise bad_request(f'field "{path}" must be of type String')
        raise AssertionError(t)

    # -- generic --------------------------------------------------------------
    def validate(self, value, types: list[str], path: str, top_level: bool = False):
        errors = []
        # Object-typed alternatives (e.g. reply_markup): choose by required keys.
        if len(types) > 1:
            obj_types = [t for t in types if t in self.spec.types and self.spec.types[t].get("fields")]
            if len(obj_types) > 1:
                v = self._maybe_json(value, path, top_level)
                if not isinstance(v, dict):
                    raise bad_request(f'can\'t parse {path}: expected an Object')
                candidates = [t for t in obj_types
                              if all(f["name"] in v for f in self.spec.types[t]["fields"] if f["required"])]
                if not candidates:
                    raise bad_request(f"can't parse {path}: object doesn't match any of {', '.join(obj_types)}")
                return self.validate(v, [candidates[0]], path)
        for t in types:
            try:
                return self._validate_one(value, t, path, top_level)
            except ApiError as e:
                errors.append(e)
        if len(errors) == 1:
            raise errors[0]
        if set(types) == {"Integer", "String"}:
            raise bad_request(f'field "{path}" must be of type Integer or String')
        raise bad_request(f'field "{path}" has wrong type; expected {" or ".join(types)}')

    def _maybe_json(self, value, path, top_level):
        if isinstance(value, str) and top_level:
            try:
                return json.loads(value)
            except ValueError:
                raise bad_request(f"can't parse {path} JSON object")
        return value

    def _validate_one(self, value, t: str, path: str, top_level: bool):
        if t in ("Integer", "Float", "Boolean", "String"):
            return self._scalar(value, t, path)
        if t.startswith("Array of "):
            inner = t[len("Array of "):]
            v = self._maybe_json(value, path, top_level)
            if not isinstance(v, list):
                raise bad_request(f'field "{path}" must be an Array')
            return [self.validate(x, [inner], f"{path}[{k}]") for k, x in enumerate(v)]
        if t == "InputFile":
            if isinstance(value, FileUpload):
                return value
            if isinstance(value, str) and value:
                return value
            raise bad_request(f'field "{path}" must be an uploaded file, a file_id or an HTTP URL')
        tdef = self.spec.types.get(t)
        if tdef is None:
            return value  # unknown type name: accept
        if isinstance(value, str) and not top_level and t == "KeyboardButton":
            return value  # "For simple text buttons, String can be used instead"
        v = self._maybe_json(value, path, top_level)
        if not isinstance(v, dict):
            raise bad_request(f'field "{path}" must be an Object')
        if "subtypes" in tdef:
            errs = []
            for sub in tdef["subtypes"]:
                try:
                    return self._validate_one(v, sub, path, False)
                except ApiError as e:
                    errs.append(e)
            raise errs[0] if errs else bad_request(f"can't parse {path}")
        fields = tdef.get("fields", [])
        result = {}
        for f in fields:
            name = f["name"]
            if name not in v or v[name] is None:
                if f["required"]:
                    raise bad_request(f"can't parse {path}: field \"{name}\" is required")
                continue
            result[name] = self.validate(v[name], f["types"], f"{path}.{name}")
        # discriminator check: "must be X" / 'always "X"'
        for f in fields:
            if f["name"] in ("type", "source", "status") and f["types"] == ["String"] and f["name"] in result:
                m = re.search(r'must be (?:“|")?([A-Za-z_]+)(?:”|")?\s*$', f.get("description", "")) or \
                    re.search(r'always (?:“|")([A-Za-z_]+)(?:”|")', f.get("description", ""))
                if m and result[f["name"]] != m.group(1):
                    raise bad_request(f'can\'t parse {path}: unexpected {f["name"]} "{result[f["name"]]}"')
        for k, x in v.items():
            if k not in result:
                result[k] = x  # unknown fields are ignored, keep as given
        self._type_rules(t, result, path)
        return result

    def _type_rules(self, t: str, obj: dict, path: str):
        if t == "InlineKeyboardButton":
            actions = [k for k in obj if k not in INLINE_BUTTON_NON_ACTION
                       and any(f["name"] == k for f in self.spec.types[t]["fields"])]
            if len(actions) == 0:
                raise bad_request("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
            if len(actions) > 1:
                raise bad_request("can't parse inline keyboard button: exactly one of the optional fields "
                                  f"must be used, got {', '.join(sorted(actions))}")
            if "callback_data" in obj:
                nbytes = len(obj["callback_data"].encode("utf-8"))
                if nbytes < 1 or nbytes > 64:
                    raise bad_request("BUTTON_DATA_INVALID")
            if obj.get("text", "") == "":
                raise bad_request("can't parse inline keyboard button: button text must be non-empty")
        elif t == "KeyboardButton":
            actions = [k for k in obj if k not in KEYBOARD_BUTTON_NON_ACTION
                       and any(f["name"] == k for f in self.spec.types[t]["fields"])]
            if len(actions) > 1:
                raise bad_request("can't parse keyboard button: at most one of the optional fields must be used")
        elif t in ("ReplyKeyboardMarkup", "ForceReply"):
            ph = obj.get("input_field_placeholder")
            if ph is not None and not (1 <= len(ph) <= 64):
                raise bad_request("can't parse reply keyboard markup: input_field_placeholder must be 1-64 characters")

    def validate_params(self, mdef: dict, params: dict) -> dict:
        fields = mdef.get("fields", [])
        out = {}
        for f in fields:
            name = f["name"]
            v = params.get(name)
            if v is None:
                if f["required"]:
                    raise bad_request(f"{name} is required" if name != "text" else "message text is empty")
                continue
            if f["types"] == ["Integer", "String"] and name.endswith("chat_id"):
                out[name] = self._chat_id(v, name)
                continue
            out[name] = self.validate(v, f["types"], name, top_level=True)
        return out

    def _chat_id(self, v, name):
        if isinstance(v, bool):
            raise bad_request(f'field "{name}" must be of type Integer or String')
        if isinstance(v, int):
            return v
        if isinstance(v, float) and v.is_integer():
            return int(v)
        if isinstance(v, str):
            s = v.strip()
            if INT_RE.match(s):
                return int(s)
            if s.startswith("@") and len(s) > 1:
                return s
            if s == "":
                raise bad_request(f"{name} is empty")
            raise bad_request("chat not found")
        raise bad_request(f'field "{name}" must be of type Integer or String')


# ---------------------------------------------------------------------------
# State
# ---------------------------------------------------------------------------

BOT_USER = {
    "id": 123456789,
    "is_bot": True,
    "first_name": "PROFINT Guide",
    "username": "profint_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
    "can_connect_to_business": False,
    "has_main_web_app": False,
}

WEBHOOK_RESPONSE_IGNORED = {"setwebhook", "deletewebhook", "close", "logout"}


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.updates_cond = threading.Condition(self.lock)
        self.reset()

    def reset(self):
        self.calls: list[dict] = []
        self.scripts: list[tuple[str | None, dict]] = []
        self.message_ids: dict = {}
        self.webhook = {"url": "", "secret_token": None, "allowed_updates": None,
                        "max_connections": None, "ip_address": None, "drop_pending_updates": None}
        self.pending_updates: list[dict] = []
        self.next_update_id = 100000001
        self.deliveries: list[dict] = []


# ---------------------------------------------------------------------------
# Bot API logic
# ---------------------------------------------------------------------------

class BotApi:
    def __init__(self, spec: Spec, token: str, allow_http_webhook: bool = False):
        self.spec = spec
        self.token = token
        self.validator = Validator(spec)
        self.state = State()
        self.allow_http_webhook = allow_http_webhook

    # -- recording / scripts ---------------------------------------------
    def record_start(self, method: str, params: dict, via: str | None = None) -> dict:
        entry = {"method": method, "params": _jsonable(params), "time": time.time(), "status": None}
        if via:
            entry["via"] = via
        with self.state.lock:
            self.state.calls.append(entry)
        return entry

    def record_end(self, entry: dict, status: int, body: dict | None):
        with self.state.lock:
            entry["status"] = status
            if body is not None and not body.get("ok", False):
                entry["error"] = body.get("description")

    def take_script(self, canonical: str) -> dict | None:
        with self.state.lock:
            for idx, (m, resp) in enumerate(self.state.scripts):
                if m is None or m == canonical.lower():
                    del self.state.scripts[idx]
                    return resp
        return None

    # -- main entry ---------------------------------------------------------
    def handle(self, token: str, method_name: str, params: dict, via: str | None = None):
        """Returns (status, body_dict, headers, action) where action may be 'drop'."""
        mdef = self.spec.method(method_name) if method_name else None
        canonical = mdef["name"] if mdef else method_name
        entry = self.record_start(canonical, params, via)
        status, body, headers, action = self._handle(token, mdef, params, entry)
        self.record_end(entry, status if action != "drop" else 0, body)
        return status, body, headers, action

    def _handle(self, token, mdef, params, entry):
        if token != self.token:
            e = ApiError(401, "Unauthorized")
            return e.code, e.body(), {}, None
        if mdef is None:
            e = ApiError(404, "Not Found")
            return e.code, e.body(), {}, None
        script = self.take_script(mdef["name"])
        if script is not None:
            entry["scripted"] = True
            if script.get("drop"):
                return 0, None, {}, "drop"
            if "hang" in script:
                time.sleep(float(script["hang"]))
            if "status" in script:
                return self._scripted(script)
        try:
            result = self.call(mdef, params)
            return 200, {"ok": True, "result": result}, {}, None
        except ApiError as e:
            return e.code, e.body(), e.headers, None

    def _scripted(self, script: dict):
        status = int(script["status"])
        headers = dict(script.get("headers") or {})
        if status == 200 or status // 100 == 2:
            return status, {"ok": True, "result": script.get("result", True)}, headers, None
        if status == 429:
            n = int(script.get("retry_after", 1))
            headers.setdefault("Retry-After", str(n))
            body = {"ok": False, "error_code": 429,
                    "description": script.get("description", f"Too Many Requests: retry after {n}"),
                    "parameters": {"retry_after": n}}
            return status, body, headers, None
        desc = script.get("description") or DEFAULT_DESCRIPTIONS.get(status, "Error")
        body = {"ok": False, "error_code": int(script.get("error_code", status)), "description": desc}
        if script.get("parameters"):
            body["parameters"] = script["parameters"]
        return status, body, headers, None

    # -- method implementations -------------------------------------------------
    def call(self, mdef: dict, raw: dict):
        name = mdef["name"]
        p = self.validator.validate_params(mdef, raw)
        lname = name.lower()
        # generic parse_mode checks
        for key in list(p):
            if key == "parse_mode" or key.endswith("_parse_mode"):
                if p[key].strip().lower() not in ("", "html", "markdownv2", "markdown"):
                    raise bad_request("unsupported parse_mode")
        if "caption" in p and "parse_mode" in p:
            cap, _ = parse_formatted(p["caption"], p.get("parse_mode"))
            cap, _ = trim_text(cap, [])
            if utf16_len(cap) > 1024:
                raise bad_request("message caption is too long")
        handler = getattr(self, "m_" + lname, None)
        if handler:
            return handler(p)
        return self.synth_return(mdef, p)

    def _message_text(self, p):
        text, entities = parse_formatted(p["text"], p.get("parse_mode"))
        if not p.get("parse_mode") and p.get("entities"):
            entities = [dict(e) for e in p["entities"]]
        text, entities = trim_text(text, entities)
        if text == "":
            raise bad_request("message text is empty")
        if utf16_len(text) > 4096:
            raise bad_request("message is too long")
        return text, entities

    def _chat(self, chat_id):
        if isinstance(chat_id, str):
            return {"id": -1001000000001, "title": chat_id[1:], "username": chat_id[1:], "type": "channel"}
        if chat_id > 0:
            return {"id": chat_id, "first_name": "Test", "type": "private"}
        if str(chat_id).startswith("-100"):
            return {"id": chat_id, "title": "Test supergroup", "type": "supergroup"}
        return {"id": chat_id, "title": "Test group", "type": "group"}

    def _new_message(self, p, **extra):
        chat = self._chat(p["chat_id"])
        with self.state.lock:
            mid = self.state.message_ids.get(chat["id"], 0) + 1
            self.state.message_ids[chat["id"]] = mid
        msg = {"message_id": mid, "from": {k: BOT_USER[k] for k in ("id", "is_bot", "first_name", "username")},
               "chat": chat, "date": int(time.time())}
        if chat["type"] == "channel":
            msg.pop("from")
            msg["sender_chat"] = chat
        msg.update(extra)
        rm = p.get("reply_markup")
        if isinstance(rm, dict) and "inline_keyboard" in rm:
            msg["reply_markup"] = rm
        return msg

    def m_getme(self, p):
        return dict(BOT_USER)

    def m_sendmessage(self, p):
        text, entities = self._message_text(p)
        extra = {"text": text}
        if entities:
            extra["entities"] = entities
        if "message_thread_id" in p:
            extra["message_thread_id"] = p["message_thread_id"]
        return self._new_message(p, **extra)

    def m_editmessagetext(self, p):
        if "text" not in p:
            raise bad_request("text is required" if "rich_message" not in p else "message text is empty")
        text, entities = self._message_text(p)
        if "inline_message_id" in p:
            return True
        if "chat_id" not in p:
            raise bad_request("chat_id is required" if "message_id" in p else "message identifier is not specified")
        if "message_id" not in p:
            raise bad_request("message identifier is not specified")
        chat = self._chat(p["chat_id"])
        msg = {"message_id": p["message_id"], "from": {k: BOT_USER[k] for k in ("id", "is_bot", "first_name", "username")},
               "chat": chat, "date": int(time.time()) - 1, "edit_date": int(time.time()), "text": text}
        if entities:
            msg["entities"] = entities
        if isinstance(p.get("reply_markup"), dict):
            msg["reply_markup"] = p["reply_markup"]
        return msg

    def m_sendchataction(self, p):
        if p["action"] not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    def m_answercallbackquery(self, p):
        if utf16_len(p.get("text", "")) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        return True

    def m_setwebhook(self, p):
        url = p["url"].strip()
        if "secret_token" in p:
            tok = p["secret_token"]
            if len(tok) > 256:
                raise bad_request("secret token is too long")
            if not SECRET_RE.match(tok):
                raise bad_request("secret token contains unallowed characters")
        if "max_connections" in p and not (1 <= p["max_connections"] <= 100):
            pass  # real server clamps silently
        for u in p.get("allowed_updates", []):
            if not isinstance(u, str):
                raise bad_request("allowed_updates must be an array of strings")
        if url:
            parsed = urllib.parse.urlsplit(url)
            if not parsed.scheme or not parsed.hostname:
                raise bad_request("bad webhook: Wrong HTTP URL specified")
            if not self.allow_http_webhook:
                if parsed.scheme.lower() != "https":
                    raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
                port = parsed.port or 443
                if port not in (443, 80, 88, 8443):
                    raise bad_request("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443")
        with self.state.lock:
            wh = self.state.webhook
            wh["url"] = url
            wh["secret_token"] = p.get("secret_token") if url else None
            if "allowed_updates" in p:
                wh["allowed_updates"] = p["allowed_updates"]
            wh["max_connections"] = max(1, min(100, p.get("max_connections", 40))) if url else None
            wh["ip_address"] = p.get("ip_address")
            wh["drop_pending_updates"] = p.get("drop_pending_updates", False)
            if p.get("drop_pending_updates"):
                self.state.pending_updates.clear()
        return True

    def m_deletewebhook(self, p):
        with self.state.lock:
            self.state.webhook.update(url="", secret_token=None, max_connections=None, ip_address=None,
                                      drop_pending_updates=p.get("drop_pending_updates", False))
            if p.get("drop_pending_updates"):
                self.state.pending_updates.clear()
        return True

    def webhook_info(self):
        with self.state.lock:
            wh = dict(self.state.webhook)
            pending = len(self.state.pending_updates) if wh["url"] else 0
        info = {"url": wh["url"], "has_custom_certificate": False, "pending_update_count": pending}
        if wh["url"]:
            info["max_connections"] = wh["max_connections"] or 40
            info["ip_address"] = wh["ip_address"] or "127.0.0.1"
        if wh["allowed_updates"]:
            info["allowed_updates"] = wh["allowed_updates"]
        return info

    def m_getchat(self, p):
        info = self._synth("ChatFullInfo", 0)
        info.update(self._chat(p["chat_id"]))
        return info

    def m_getwebhookinfo(self, p):
        return self.webhook_info()

    def m_getupdates(self, p):
        with self.state.updates_cond:
            if self.state.webhook["url"]:
                raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                    "use deleteWebhook to delete the webhook first")
            offset = p.get("offset")
            if offset is not None and offset > 0:
                self.state.pending_updates = [u for u in self.state.pending_updates if u["update_id"] >= offset]
            timeout = min(max(p.get("timeout", 0), 0), 50)
            deadline = time.time() + timeout
            while True:
                ups = [u for u in self.state.pending_updates if offset is None or offset <= 0 or u["update_id"] >= offset]
                if ups or time.time() >= deadline:
                    break
                self.state.updates_cond.wait(max(0.0, deadline - time.time()))
            limit = max(1, min(100, p.get("limit", 100)))
            return copy.deepcopy(ups[:limit])

    def synth_return(self, mdef, p):
        rets = mdef.get("returns") or ["Boolean"]
        if "Message" in rets and "chat_id" in p:
            extra = {}
            if "caption" in p:
                cap, ents = parse_formatted(p["caption"], p.get("parse_mode"))
                cap, ents = trim_text(cap, ents)
                if cap:
                    extra["caption"] = cap
                if ents:
                    extra["caption_entities"] = ents
            return self._new_message(p, **extra)
        t = rets[0]
        return self._synth(t, 0)

    def _synth(self, t, depth):
        if t == "Boolean":
            return True
        if t == "Integer":
            return 1
        if t == "Float":
            return 0.0
        if t == "String":
            return "fake"
        if t.startswith("Array of"):
            return []
        if t == "User":
            return {k: BOT_USER[k] for k in ("id", "is_bot", "first_name", "username")}
        tdef = self.spec.types.get(t)
        if not tdef or depth > 4:
            return {}
        if "subtypes" in tdef:
            return self._synth(tdef["subtypes"][0], depth + 1)
        obj = {}
        for f in tdef.get("fields", []):
            if f["required"]:
                if f["name"] == "type" and f["types"] == ["String"]:
                    m = re.search(r'must be (?:“|")?([A-Za-z_]+)', f.get("description", ""))
                    obj["type"] = m.group(1) if m else "private"
                else:
                    obj[f["name"]] = self._synth(f["types"][0], depth + 1)
        return obj

    # -- updates for getUpdates -------------------------------------------------
    def enqueue_updates(self, updates: list[dict]) -> list[int]:
        ids = []
        with self.state.updates_cond:
            for u in updates:
                u = dict(u)
                if "update_id" not in u:
                    u["update_id"] = self.state.next_update_id
                self.state.next_update_id = max(self.state.next_update_id, u["update_id"]) + 1
                self.state.pending_updates.append(u)
                ids.append(u["update_id"])
            self.state.updates_cond.notify_all()
        return ids

    # -- webhook delivery -----------------------------------------------------
    def deliver(self, req: dict) -> dict:
        with self.state.lock:
            wh = dict(self.state.webhook)
        url = req.get("url") or wh["url"]
        if not url:
            raise ValueError("no url given and no webhook set")
        secret = req["secret"] if "secret" in req else wh["secret_token"]
        if "raw_body" in req:
            body = req["raw_body"].encode("utf-8") if isinstance(req["raw_body"], str) else bytes(req["raw_body"])
        else:
            update = dict(req.get("update") or {})
            if "update_id" not in update:
                with self.state.lock:
                    update["update_id"] = self.state.next_update_id
                    self.state.next_update_id += 1
            body = json.dumps(update, ensure_ascii=False).encode("utf-8")
        max_attempts = max(1, int(req.get("max_attempts", 1)))
        delay = float(req.get("retry_delay", 1.0))
        max_delay = float(req.get("max_delay", 10.0))
        timeout = float(req.get("timeout", 60.0))
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        headers.update(req.get("headers") or {})
        attempts = []
        delivered = False
        for n in range(max_attempts):
            attempt = {"time": time.time()}
            retry_after = None
            try:
                r = urllib.request.Request(url, data=body, method="POST", headers=headers)
                with urllib.request.urlopen(r, timeout=timeout) as resp:
                    attempt["status"] = resp.status
                    rbody = resp.read()
                    attempt["body"] = rbody.decode("utf-8", "replace")[:4096]
                    self._webhook_reply(resp.headers.get("Content-Type", ""), rbody, attempt)
            except urllib.error.HTTPError as e:
                attempt["status"] = e.code
                try:
                    attempt["body"] = e.read().decode("utf-8", "replace")[:4096]
                except Exception:
                    pass
                ra = e.headers.get("Retry-After") if e.headers else None
                if ra and ra.strip().isdigit():
                    retry_after = int(ra.strip())
            except Exception as e:  # connection refused, timeout, reset...
                attempt["status"] = None
                attempt["error"] = f"{type(e).__name__}: {e}"
            attempts.append(attempt)
            st = attempt.get("status")
            if st is not None and 200 <= st < 300:
                delivered = True
                break
            if n + 1 < max_attempts:
                wait = min(retry_after, max_delay) if retry_after is not None else delay
                time.sleep(wait)
                delay = min(delay * 2, max_delay)
        result = {"attempts": attempts, "delivered": delivered}
        with self.state.lock:
            self.state.deliveries.append({"url": url, "body": body.decode("utf-8", "replace"), **result})
        return result

    def _webhook_reply(self, ctype: str, rbody: bytes, attempt: dict):
        """Execute a Bot API method returned in the webhook response, like Telegram does."""
        if not rbody.strip():
            return
        params = None
        ct = ctype.split(";")[0].strip().lower()
        try:
            if ct == "application/json":
                params = json.loads(rbody.decode("utf-8"))
            elif ct == "application/x-www-form-urlencoded":
                params = dict(urllib.parse.parse_qsl(rbody.decode("utf-8"), keep_blank_values=True))
        except ValueError:
            return
        if not isinstance(params, dict) or not isinstance(params.get("method"), str):
            return
        method = params.pop("method")
        if method.lower().startswith("get") or method.lower() in WEBHOOK_RESPONSE_IGNORED:
            return
        status, _, _, _ = self.handle(self.token, method, params, via="webhook_response")
        attempt["reply_method"] = method
        attempt["reply_status"] = status


def _jsonable(v):
    if isinstance(v, FileUpload):
        return dict(v)
    if isinstance(v, dict):
        return {k: _jsonable(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_jsonable(x) for x in v]
    return v


# ---------------------------------------------------------------------------
# HTTP layer
# ---------------------------------------------------------------------------

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "nginx/1.18.0"
    sys_version = ""
    api: BotApi = None  # set by main

    def log_message(self, fmt, *args):
        if VERBOSE:
            sys.stderr.write("[fake_bot_api] %s - %s\n" % (self.address_string(), fmt % args))

    # -- io helpers -----------------------------------------------------------
    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while True:
                line = self.rfile.readline().strip()
                size = int(line.split(b";")[0] or b"0", 16)
                if size == 0:
                    while self.rfile.readline().strip():
                        pass
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def _send_json(self, status: int, body, headers: dict | None = None):
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, str(v))
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()

    def _drop(self):
        self.close_connection = True
        try:
            import socket
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    # -- dispatch ---------------------------------------------------------------
    def do_GET(self):
        self._dispatch()

    def do_POST(self):
        self._dispatch()

    def _dispatch(self):
        try:
            body = self._read_body()
            parsed = urllib.parse.urlsplit(self.path)
            path = parsed.path
            if path.startswith("/control/"):
                return self._control(path[len("/control/"):], body)
            m = re.match(r"^/bot([^/]*)/([^/]*)/?$", path)
            if not m:
                return self._send_json(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            token, method = urllib.parse.unquote(m.group(1)), m.group(2)
            try:
                params = self._params(parsed.query, body)
            except ApiError as e:
                entry = self.api.record_start(method, {})
                self.api.record_end(entry, e.code, e.body())
                return self._send_json(e.code, e.body())
            status, rbody, headers, action = self.api.handle(token, method, params)
            if action == "drop":
                return self._drop()
            self._send_json(status, rbody, headers)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _params(self, query: str, body: bytes) -> dict:
        params: dict = {}
        for k, v in urllib.parse.parse_qsl(query, keep_blank_values=True):
            params[k] = v
        ctype = self.headers.get("Content-Type", "")
        ct = ctype.split(";")[0].strip().lower()
        if not body.strip():
            return params
        if ct == "application/json":
            try:
                data = json.loads(body.decode("utf-8"))
            except (ValueError, UnicodeDecodeError):
                raise bad_request("can't parse JSON encoded request")
            if not isinstance(data, dict):
                raise bad_request("can't parse JSON encoded request: expected an Object")
            params.update(data)
        elif ct == "application/x-www-form-urlencoded":
            try:
                for k, v in urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False):
                    params[k] = v
            except UnicodeDecodeError:
                raise bad_request("can't parse request: invalid UTF-8")
        elif ct == "multipart/form-data":
            msg = BytesParser(policy=HTTP_POLICY).parsebytes(
                b"Content-Type: " + ctype.encode("latin-1") + b"\r\n\r\n" + body)
            if not msg.is_multipart():
                raise bad_request("can't parse multipart/form-data request")
            for part in msg.iter_parts():
                name = part.get_param("name", header="content-disposition")
                if not name:
                    continue
                payload = part.get_payload(decode=True) or b""
                filename = part.get_filename()
                if filename is not None:
                    params[name] = FileUpload(filename=filename, size=len(payload))
                else:
                    params[name] = payload.decode("utf-8", "replace")
        # other content types: body ignored (like the real server)
        # resolve attach://name references to uploaded files
        for k, v in list(params.items()):
            if isinstance(v, str) and v.startswith("attach://") and isinstance(params.get(v[9:]), FileUpload):
                params[k] = params[v[9:]]
        return params

    # -- control API -------------------------------------------------------------
    def _control(self, name: str, body: bytes):
        api = self.api
        try:
            req = json.loads(body.decode("utf-8")) if body.strip() else {}
        except ValueError:
            return self._send_json(400, {"error": "invalid JSON"})
        try:
            if name == "calls":
                with api.state.lock:
                    calls = copy.deepcopy(api.state.calls)
                return self._send_json(200, {"calls": calls})
            if name == "reset":
                with api.state.lock:
                    api.state.reset()
                return self._send_json(200, {"ok": True})
            if name == "script":
                method = req.get("method")
                if method is not None:
                    mdef = api.spec.method(method)
                    method = (mdef["name"] if mdef else method).lower()
                responses = req.get("responses") or []
                if not isinstance(responses, list):
                    return self._send_json(400, {"error": "responses must be an array"})
                with api.state.lock:
                    for r in responses:
                        api.state.scripts.append((method, dict(r)))
                    pending = len(api.state.scripts)
                return self._send_json(200, {"ok": True, "pending": pending})
            if name == "deliver":
                return self._send_json(200, api.deliver(req))
            if name == "updates":
                ups = req.get("updates") or ([req["update"]] if "update" in req else [])
                return self._send_json(200, {"ok": True, "update_ids": api.enqueue_updates(ups)})
            if name == "state":
                with api.state.lock:
                    st = {"webhook": dict(api.state.webhook), "scripts": [
                        {"method": m, "response": r} for m, r in api.state.scripts],
                        "pending_updates": len(api.state.pending_updates),
                        "deliveries": copy.deepcopy(api.state.deliveries)}
                st["webhook_info"] = api.webhook_info()
                return self._send_json(200, st)
        except (ValueError, KeyError, TypeError) as e:
            return self._send_json(400, {"error": f"{type(e).__name__}: {e}"})
        return self._send_json(404, {"error": "unknown control endpoint"})


def main(argv=None):
    global VERBOSE
    ap = argparse.ArgumentParser(description="Fake Telegram Bot API server for tests")
    ap.add_argument("--spec", required=True, help="path to api.json (Bot API spec)")
    ap.add_argument("--token", required=True, help="bot token accepted in /bot<TOKEN>/<method>")
    ap.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0 = any free port)")
    ap.add_argument("--allow-http-webhook", action="store_true",
                    help="let setWebhook accept http:// URLs and any port (the real server does not)")
    ap.add_argument("--verbose", action="store_true", help="log requests to stderr")
    args = ap.parse_args(argv)
    VERBOSE = args.verbose

    spec = Spec(args.spec)
    Handler.api = BotApi(spec, args.token, allow_http_webhook=args.allow_http_webhook)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True

    def stop(signum, frame):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    sys.stdout.write(f"LISTENING {server.server_address[1]}\n")
    sys.stdout.flush()
    log(f"spec {spec.version}: {len(spec.methods)} methods")
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
