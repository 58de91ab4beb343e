"""Schemathesis hooks for the conformance suite (loaded through SCHEMATHESIS_HOOKS).

Credentials come from a small HTTP endpoint the Japa test serves (PATHWAYS_CREDENTIALS_URL): each
call signs the run's role in afresh (password, then TOTP where the role needs it). Schemathesis
caches the token and, when a request answers 401 (the operation ended the session: logout, revoked
session or device, ...), asks again and replays the request, so those operations stay in the run.
"""

import itertools
import json
import os
import urllib.request

import schemathesis

CREDENTIALS_URL = os.environ["PATHWAYS_CREDENTIALS_URL"]


def _declares(case, scheme):
    security = case.operation.definition.raw.get("security") or []
    return any(scheme in requirement for requirement in security)


@schemathesis.auth(refresh_interval=600)
class PathwaysCredentials:
    def get(self, case, ctx):
        with urllib.request.urlopen(CREDENTIALS_URL, timeout=60) as response:
            return json.load(response)

    def set(self, case, data, ctx):
        case.headers = case.headers or {}
        if _declares(case, "bearerAuth"):
            case.headers["Authorization"] = f"Bearer {data['accessToken']}"
        elif _declares(case, "clientCredentials") and data.get("clientToken"):
            case.headers["Authorization"] = f"Bearer {data['clientToken']}"


_clients = itertools.count()


@schemathesis.hook
def before_call(context, case, kwargs):
    """Each request comes from its own client address (the server trusts loopback proxies).

    The per-IP sign-in limit would otherwise answer most of the run with 429 from one address;
    rate limiting has its own tests (tests/security/rate_limit.spec.ts).
    """
    n = next(_clients)
    case.headers = {**(case.headers or {}), "X-Forwarded-For": f"198.19.{(n // 250) % 250}.{n % 250 + 1}"}
