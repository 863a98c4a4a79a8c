"""Makes signature test vectors with Tartan's own Python snippet, run as written.

tartan_snippet.py is the snippet from Tartan's webhook documentation (seed
001_af4ac33078720f35.txt), copied byte for byte. It reads `request.body` and
`request.headers`, so this script supplies a minimal `request` and executes the
snippet unchanged for each payload, keeping the `hmac_digest` it computes.
Its app key is the snippet's own: "my_secret_key".

Run: python3 test/vectors/make_vectors.py > test/vectors/python-vectors.json
"""
import contextlib
import io
import json
import pathlib

HERE = pathlib.Path(__file__).parent
SNIPPET = (HERE / "tartan_snippet.py").read_text(encoding="utf-8")
FIXTURES = HERE.parent / "fixtures" / "webhooks"


class Request:
    def __init__(self, body):
        self.body = body
        self.headers = {"tartan-signature": ""}


def run_snippet(body):
    scope = {"request": Request(body)}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(SNIPPET, scope)  # noqa: S102 - the documented snippet, unchanged
    return scope["app_key"], scope["hmac_digest"]


payloads = [
    ("sync initiated example, as documented (pretty-printed)", (FIXTURES / "sync-initiated.json").read_text(encoding="utf-8")),
    ("employee update example, compact JSON", json.dumps(json.loads((FIXTURES / "employee-update.json").read_text(encoding="utf-8")), separators=(",", ":"), ensure_ascii=False)),
    ("multi-byte UTF-8 body", '{"event":"sync.events.employee.add","body":[{"name":"Zoë Fernandes","city":"Bengaluru ಬೆಂಗಳೂರು","note":"✓ 🚀"}]}'),
    ("single-character body", "x"),
]

vectors = []
for description, body in payloads:
    app_key, digest = run_snippet(body)
    vectors.append({"description": description, "appSecretKey": app_key, "body": body, "signature": digest})

print(json.dumps(vectors, indent=2, ensure_ascii=False))
