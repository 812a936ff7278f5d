#!/usr/bin/env python3
"""Renders one Timeloop/Accelergy Jinja2 template for loopsim's front end (src/frontend/).

Usage: render-jinja.py TEMPLATE REQUEST   (REQUEST: {"vars": {name: text}, "include_dirs": [...]})
Prints one JSON object: {"text", "origins": [[file_index, line] per output line], "files"} or
{"error", "file", "line"}. The functions are those timeloopfe (Accelergy's YAML loader) gives
templates: include(path, key), include_all(glob, key), include_text(path), cwd(), find_path(),
find_paths(), path_exists(), add_to_path(), setenv(). include() and include_all() do not paste
text: they emit a `!loopsim_include` placeholder that loopsim replaces with the included file's
resolved tree (so errors in it name that file and its line).
"""
import glob
import json
import os
import re
import sys
import traceback

try:
    import jinja2
except ImportError:  # the caller tries another python3
    print(json.dumps({"error": "no jinja2", "nojinja": True}))
    sys.exit(4)

OPEN, CLOSE = "\ue000", "\ue001"
MARK_RE = re.compile(OPEN + r"(\d+):(\d+)" + CLOSE)


def scalar(text):
    """A --var value read as a YAML scalar (number, boolean, null or text)."""
    low = text.strip()
    if low in ("true", "True", "TRUE"):
        return True
    if low in ("false", "False", "FALSE"):
        return False
    if low in ("null", "Null", "NULL", "~", ""):
        return None
    for conv in (int, float):
        try:
            return conv(low)
        except ValueError:
            pass
    if len(low) >= 2 and low[0] == low[-1] and low[0] in "'\"":
        return low[1:-1]
    return text


def short(path):
    """The path relative to the working directory when that is shorter (for messages)."""
    rel = os.path.relpath(path)
    return rel if len(rel) < len(path) else path


def mark_lines(source, file_index):
    """Appends an origin marker to each template line that ends outside a Jinja tag, unless
    the line ends with a whitespace-stripping tag end (-%}, -}}, -#}) whose meaning it would
    change. The markers are removed from the output, leaving a line -> (file, line) map."""
    out, i, n, line, tag_end, quote = [], 0, len(source), 1, None, None
    while i < n:
        c = source[i]
        if tag_end is None:
            two = source[i:i + 2]
            if two in ("{{", "{%", "{#"):
                tag_end = {"{{": "}}", "{%": "%}", "{#": "#}"}[two]
                out.append(two)
                i += 2
                continue
            if c == "\n":
                stripped = "".join(out[-4:]).rstrip(" \t\r")
                if not stripped.endswith(("-%}", "-}}", "-#}")):
                    out.append("%s%d:%d%s" % (OPEN, file_index, line, CLOSE))
                line += 1
            out.append(c)
            i += 1
            continue
        if quote:
            if c == "\\":
                out.append(source[i:i + 2])
                i += 2
                continue
            if c == quote:
                quote = None
        elif c in "'\"" and tag_end != "#}":
            quote = c
        elif source.startswith(tag_end, i):
            out.append(tag_end)
            i += 2
            tag_end = None
            continue
        if c == "\n":
            line += 1
        out.append(c)
        i += 1
    return "".join(out)


class Renderer:
    def __init__(self, variables, include_dirs):
        self.vars = variables
        self.include_dirs = list(include_dirs)
        self.files = []

    def find_paths(self, p, cur):
        if isinstance(p, (list, tuple)):
            return [x for q in p for x in self.find_paths(q, cur)]
        roots = [""] if os.path.isabs(p) else [os.path.dirname(cur)] + self.include_dirs
        found, searched = [], []
        for d in roots:
            s = os.path.normpath(os.path.abspath(os.path.join(d, p)))
            found.extend(sorted(glob.glob(s)))
            searched.append(s)
        if not found:
            raise FileNotFoundError("cannot find '%s'; searched: %s" % (p, ", ".join(searched)))
        unique, real = [], set()
        for f in found:
            if os.path.realpath(f) not in real:
                real.add(os.path.realpath(f))
                unique.append(short(f))
        return unique

    def find_path(self, p, cur):
        roots = [""] if os.path.isabs(p) else [os.path.dirname(cur)] + self.include_dirs
        searched = []
        for d in roots:
            s = os.path.normpath(os.path.abspath(os.path.join(d, p)))
            if os.path.exists(s):
                return short(s)
            searched.append(s)
        raise FileNotFoundError("cannot find '%s'; searched: %s" % (p, ", ".join(searched)))

    def render(self, path):
        path = short(os.path.abspath(path))
        index = len(self.files)
        self.files.append(path)
        with open(path, encoding="utf-8") as f:
            source = f.read()
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(os.path.dirname(path)),
                                 undefined=jinja2.StrictUndefined, keep_trailing_newline=True)

        def include(p, key="", mode="one"):
            files = [p2 for p2 in self.find_paths(p, path)
                     if os.path.isfile(p2)] if p else []
            if not files:
                raise FileNotFoundError("include(): no file '%s'" % p)
            if mode == "one" and len(files) > 1:
                raise RuntimeError("include(): '%s' names %d files; use include_all()" %
                                   (p, len(files)))
            return "!loopsim_include " + json.dumps(
                [mode, str(key).lstrip("."), self.include_dirs] + files)

        def add_to_path(p):
            for q in self.find_paths(p, path):
                if q not in self.include_dirs:
                    self.include_dirs.append(q)
            return ""

        def setenv(k, v):
            os.environ[str(k)] = str(v)
            return ""

        env.globals.update(
            cwd=lambda: os.path.dirname(os.path.abspath(path)),
            include=lambda p, key="": include(p, key, "one"),
            include_all=lambda p, key="": include(p, key, "all"),
            include_text=lambda p: "\n".join(self.render(q) for q in self.find_paths(p, path)),
            find_path=lambda p: self.find_path(p, path),
            find_paths=lambda p: self.find_paths(p, path),
            path_exists=lambda p: self._exists(p, path),
            add_to_path=add_to_path,
            setenv=setenv)
        template = env.from_string(mark_lines(source, index))
        template.filename = path
        template.name = path
        return template.render(self.vars)

    def _exists(self, p, cur):
        try:
            self.find_path(p, cur)
            return True
        except FileNotFoundError:
            return False


def origins_of(text):
    lines, origins, prev = [], [], (0, 0)
    for row in text.split("\n"):
        m = MARK_RE.search(row)
        if m:
            prev = (int(m.group(1)), int(m.group(2)))
        elif origins:
            prev = (prev[0], prev[1] + 1 if prev[1] else 0)
        origins.append(list(prev))
        lines.append(MARK_RE.sub("", row))
    return "\n".join(lines), origins


def error_place(exc, files):
    line = getattr(exc, "lineno", None)
    name = getattr(exc, "filename", None) or getattr(exc, "name", None)
    if line and name in files:
        return name, line
    place = (files[0] if files else "", 0)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename in files:
            place = (frame.filename, frame.lineno)
    return place


def main():
    request = json.loads(sys.argv[2]) if len(sys.argv) > 2 else json.load(sys.stdin)
    variables = {k: scalar(v) for k, v in request.get("vars", {}).items()}
    r = Renderer(variables, request.get("include_dirs", []))
    try:
        text = r.render(sys.argv[1])
    except Exception as e:  # every template error goes back as file:line: message
        f, line = error_place(e, r.files)
        msg = str(e) if not isinstance(e, FileNotFoundError) else str(e).strip("'\"")
        if isinstance(e, jinja2.UndefinedError):
            msg += " (give it with --var NAME=VALUE)"
        print(json.dumps({"error": "%s: %s" % (type(e).__name__, msg), "file": f,
                          "line": line or 0}))
        return
    text, origins = origins_of(text)
    print(json.dumps({"text": text, "origins": origins, "files": r.files}))


if __name__ == "__main__":
    main()
