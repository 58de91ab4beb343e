"""Schemathesis hooks for the conformance suite (loaded through SCHEMATHESIS_HOOKS).

Credentials and server-side secrets come from a small HTTP endpoint the Japa spec serves
(PATHWAYS_HOOKS_URL):

- `/credentials?role=...` signs that role in afresh (the sign-in service's step after a verified
  password, then TOTP through the API) and answers its access and refresh tokens. Each operation is
  called as the role it is for (ROLE_RULES); Schemathesis caches a token per role and, when a
  request answers 401 (the operation ended the session: logout, password change, revoked
  device...), asks again and replays the request, so those operations stay in the run.
- `/totp`, `/challenge`, `/mail` give what no generator can: a TOTP code for a secret the server
  issued, a sign-in challenge, the token of an e-mail (read through Mailpit's API).
- `/upload`, `/sectionIds`, `/cohortPair`, `/recoveryVerified`, `/resumeRoom` do what the app
  does between two calls: upload a resume's file to its presigned form, list a section for a
  reorder, put a learner and a mentor in a cohort, wait for a recovery's verification, delete
  old resumes at the per-profile limit.

Positive test cases get those values, and references that must exist (a job, a member, a skill
of the list, a cohort: PATHWAYS_REFERENCES, from seed.ts), so a schema-valid request can really
succeed; negative cases are left as generated.
"""

import itertools
import json
import os
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import schemathesis
import schemathesis.auths
import schemathesis.engine.link_calibration as _link_calibration
import schemathesis.specs.openapi.stateful as _openapi_stateful

# The stateful phase always applies a link's values. Schemathesis leaves each value out now and
# then (15% exploration, less as a link fails more often: calibration): a chain whose id or token
# was left out ends in a 404 or 401 and the operations after it go unreached. Requests with
# values of their own are the single-operation phases' work (coverage, fuzzing).
_openapi_stateful.BASE_EXPLORATION_RATE = 0.0
_openapi_stateful.DEFAULT_USE_PROBABILITY = 1.0
_link_calibration.DEFAULT_USE_PROBABILITY = 1.0
_link_calibration.MIN_PROBABILITY = 1.0

HOOKS_URL = os.environ["PATHWAYS_HOOKS_URL"]
REFERENCES = json.loads(os.environ["PATHWAYS_REFERENCES"])

# (method or "*", path prefix, role): the first match decides.
ROLE_RULES = [
    ("*", "/v1/platform/", "platform_admin"),
    ("*", "/v1/schools/{schoolId}/roster/", "client"),
    ("*", "/v1/schools/{schoolId}/me/", "learner"),
    ("*", "/v1/schools/{schoolId}/jobs/", "learner"),
    ("*", "/v1/schools/{schoolId}/skills", "learner"),
    ("*", "/v1/schools/{schoolId}/learners/", "staff"),
    ("*", "/v1/schools/{schoolId}/applications", "staff"),
    ("*", "/v1/schools/{schoolId}/analytics/", "staff"),
    ("*", "/v1/schools/{schoolId}/", "school_admin"),
    # The learner has a second factor (seed): enrolling and removing one is the mentor's part.
    ("*", "/v1/me/mfa/", "mentor"),
    ("*", "/v1/me/sessions", "mentor"),
    ("*", "/v1/me/devices", "mentor"),
    ("*", "/v1/auth/logout", "mentor"),
    ("*", "/v1/", "learner"),
]


def role_for(case, _ctx=None):
    method = case.operation.method.upper()
    path = case.operation.path
    for rule_method, prefix, role in ROLE_RULES:
        if rule_method in ("*", method) and path.startswith(prefix):
            return role
    return "learner"


def _hook(name, **query):
    url = f"{HOOKS_URL}/{name}?{urllib.parse.urlencode(query)}"
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        if error.code == 404:  # a hook the spec does not serve: nothing to add
            return {}
        raise


def _declares(case, scheme):
    security = case.operation.definition.raw.get("security") or []
    return any(scheme in requirement for requirement in security)


@schemathesis.auth(refresh_interval=600, cache_by_key=role_for)
class PathwaysCredentials:
    def get(self, case, ctx):
        return {"role": role_for(case), **_hook("credentials", role=role_for(case))}

    def set(self, case, data, ctx):
        case.headers = case.headers or {}
        if _declares(case, "bearerAuth") or _declares(case, "clientCredentials"):
            case.headers["Authorization"] = f"Bearer {data['accessToken']}"


_clients = itertools.count()
_jobs = itertools.count()
_skills = itertools.count()
_lock = threading.Lock()
# What earlier calls did that later ones need: the address a mail went to, an issued secret.
_state = {
    "mail_to": {},
    "mail_since": {},
    "mail_token": {},
    "secret": {},
    "oauth_redirect": None,
    "oauth_code": None,
    # Refresh tokens the API issued and nobody used yet (each works once: reuse ends the session).
    "refresh_tokens": set(),
    # A verified, undecided recovery may be open (from an earlier run): checked before the first request.
    "recovery_verified": True,
}
# Addresses that really get the mails (the seeded accounts; anyone for an invitation or a
# registration): only for those is it worth waiting for the mail.
SEEDED_EMAILS = set(REFERENCES["emails"].values())

MAIL = {
    "POST /v1/auth/verify-email": ("register", "confirm your e-mail address"),
    "POST /v1/auth/password/reset": ("forgot", "reset your password"),
    "POST /v1/auth/mfa/recovery/verify": ("recovery", "confirm your second-factor recovery"),
    # The cancel link comes in the cooling-off mail, which the recovery's verification sends.
    "POST /v1/auth/mfa/recovery/cancel": ("cooling-off", "a recovery of your second factor was requested"),
    "GET /v1/invitations/{token}": ("invite", "invited to"),
    "POST /v1/invitations/{token}/accept": ("invite", "invited to"),
}
SENDS_MAIL = {
    "POST /v1/auth/register": "register",
    "POST /v1/auth/password/forgot": "forgot",
    "POST /v1/auth/mfa/recovery": "recovery",
    "POST /v1/schools/{schoolId}/invitations": "invite",
}
TOTP_CODE = {"POST /v1/me/mfa/totp/confirm", "DELETE /v1/me/mfa/totp", "POST /v1/me/mfa/recovery-codes"}
# Body fields that name something which must exist, with the seeded value.
BODY_REFERENCES = {
    "jobId": REFERENCES["jobId"],
    "skill": REFERENCES.get("skill"),
    "membershipId": REFERENCES["learnerMembershipId"],
    "learnerMembershipId": REFERENCES["learnerMembershipId"],
    "mentorMembershipId": REFERENCES["mentorMembershipId"],
}


def _is_positive(case):
    meta = case.meta
    return meta is not None and meta.generation.mode.is_positive


def _mail_token(label):
    kind, subject = MAIL[label]
    to = _state["mail_to"].get(kind)
    if not to:
        return None
    # Wait for a sent mail once; later calls take the newest mail there is, which stays the one
    # read last until a request sends another (Mailpit is asked once per mail, not per call).
    since = _state["mail_since"].pop(kind, None)
    cached = _state["mail_token"].get((kind, subject, to))
    if not since and cached:
        return cached
    token = _hook("mail", to=to, subject=subject, **({"since": int(since * 1000)} if since else {})).get("token")
    if token:
        _state["mail_token"][(kind, subject, to)] = token
    return token


@schemathesis.hook
def before_call(context, case, kwargs):
    """Each request from its own client address; positive cases get what only the server knows.

    The server trusts loopback proxies: the per-IP sign-in limit would otherwise answer most of
    the run with 429 from one address (rate limiting has its own tests).
    """
    n = next(_clients)
    case.headers = {**(case.headers or {}), "X-Forwarded-For": f"198.19.{(n // 250) % 250}.{n % 250 + 1}"}
    if not _is_positive(case):
        return
    label = case.operation.label
    role = role_for(case)
    body = case.body if isinstance(case.body, dict) else None

    if body is not None:
        for field, value in BODY_REFERENCES.items():
            if field in body and value is not None:
                body[field] = value
        if "skill" in body and REFERENCES.get("skills"):
            body["skill"] = REFERENCES["skills"][next(_skills) % len(REFERENCES["skills"])]
        if "jobId" in body:
            # One application per job and learner: each positive case applies to the next job.
            body["jobId"] = REFERENCES["jobIds"][next(_jobs) % len(REFERENCES["jobIds"])]
        if isinstance(body.get("cohortIds"), list):
            body["cohortIds"] = [REFERENCES["cohortId"]]
        # A recovery starts only for an account with a second factor (the seeded learner); a
        # reset mail goes only to an existing account: the app's user types their own address.
        if label in ("POST /v1/auth/mfa/recovery", "POST /v1/auth/password/forgot") and "email" in body:
            body["email"] = REFERENCES["emails"]["learner"]
        if label == "POST /v1/auth/login" and body.get("email") in REFERENCES["emails"].values():
            body["password"] = REFERENCES["password"]
        # The password policy (strength, not the account's own name) is no schema rule.
        if label in ("POST /v1/auth/register", "POST /v1/auth/password/reset") and "password" in body:
            body["password"] = REFERENCES["password"]
        if label == "POST /v1/invitations/{token}/accept":
            # Invitations go to new addresses: the new account needs a password of the policy.
            body["password"] = REFERENCES["password"]
        if label == "POST /v1/me/password" and "newPassword" in body:
            body["newPassword"] = REFERENCES["password"]
        if label in ("POST /v1/me/reauthenticate",) and "password" in body:
            body["password"] = REFERENCES["password"]
        if label == "POST /v1/me/password" and "currentPassword" in body:
            body["currentPassword"] = REFERENCES["password"]
        if label == "POST /v1/auth/mfa/challenge":
            challenge = _hook("challenge")
            if challenge.get("challengeToken"):
                body["challengeToken"] = challenge["challengeToken"]
                body["code"] = challenge["code"]
                body.pop("recoveryCode", None)
        if label in TOTP_CODE:
            email = REFERENCES["emails"].get(role)
            code = _hook("totp", email=email, **({"secret": _state["secret"][role]} if role in _state["secret"] else {}))
            if code.get("code"):
                body["code"] = code["code"]
                body.pop("recoveryCode", None)
        if label == "POST /v1/auth/refresh" and "refreshToken" in body:
            # The app's stored refresh token: one a response of this run issued (a link's value),
            # else a new session's.
            if body["refreshToken"] in _state["refresh_tokens"]:
                _state["refresh_tokens"].discard(body["refreshToken"])
            else:
                fresh = _hook("credentials", role=role).get("refreshToken")
                if fresh:
                    body["refreshToken"] = fresh
        if label in MAIL and "token" in body:
            token = _mail_token(label)
            if token:
                body["token"] = token
    if label == "POST /v1/schools/{schoolId}/me/resumes":
        _hook("resumeRoom")
    if label == "POST /v1/auth/mfa/recovery" and _state["recovery_verified"]:
        # A verified recovery nobody decided, or a factor removed by an approved one, would keep
        # the learner from starting a new one.
        _state["recovery_verified"] = False
        _hook("recoveryRoom")
    if body is not None and label.startswith("PUT /v1/schools/{schoolId}/me/profile/") and label.endswith("/order"):
        # A reorder lists every entry of the section once: the app knows them from the profile.
        ids = _hook("sectionIds", kind=label.split("/")[-2]).get("ids")
        if ids:
            body["ids"] = ids
    if label == "GET /v1/auth/oauth/{provider}/redirect" and isinstance(case.query, dict):
        # The app's PKCE challenge (it proves the verifier at the exchange); no return URL is
        # configured (the callback answers the code as JSON); the school is the seeded one.
        case.query["codeChallenge"] = REFERENCES["oauthChallenge"]
        case.query.pop("returnTo", None)
        if "schoolId" in case.query:
            case.query["schoolId"] = REFERENCES["schoolId"]
    if label == "GET /v1/auth/oauth/{provider}/callback":
        # The browser between the redirect and the callback: login and consent at the provider
        # for the authorization URL the last redirect answered, with that redirect's cookie.
        redirect, _state["oauth_redirect"] = _state["oauth_redirect"], None
        if redirect:
            back = _hook("oauthLogin", authorize=redirect["location"])
            if back.get("code") and back.get("provider"):
                case.path_parameters = {**(case.path_parameters or {}), "provider": back["provider"]}
                case.query = {"code": back["code"], "state": back["state"]}
                case.cookies = {**(case.cookies or {}), **redirect["cookies"]}
    if label == "POST /v1/auth/oauth/exchange" and body is not None:
        code, _state["oauth_code"] = _state["oauth_code"], None
        if code:
            body["code"] = code
        body["codeVerifier"] = REFERENCES["oauthVerifier"]
    if isinstance(case.query, dict) and "cursor" in case.query:
        # A cursor only comes from a page the server answered (no link carries one); a made-up
        # one is refused (422).
        del case.query["cursor"]
    if label == "POST /v1/schools/{schoolId}/cohorts/{cohortId}/mentor-assignments":
        _hook("cohortPair", cohortId=str((case.path_parameters or {}).get("cohortId", "")))
    if label == "POST /v1/schools/{schoolId}/mfa-recoveries/{id}/approve":
        # The school sees a verification once the recovery's workflow recorded it.
        _hook("recoveryVerified", id=str((case.path_parameters or {}).get("id", "")))
    if label in MAIL and "token" in (case.path_parameters or {}):
        token = _mail_token(label)
        if token:
            case.path_parameters["token"] = token
    if "/learners/{membershipId}" in case.operation.path:
        case.path_parameters["membershipId"] = REFERENCES["learnerMembershipId"]


# Calls whose success changes what every later call relies on: the seed's state comes back.
RESETS = {
    "PUT /v1/schools/{schoolId}/roles/{role}/permissions",
    "DELETE /v1/schools/{schoolId}/roles/{role}/permissions",
    "PATCH /v1/schools/{schoolId}/members/{membershipId}",
    "POST /v1/platform/users/{id}/disable",
}


def _forget_token(role):
    """Drops a role's cached token, so its next call signs in afresh.

    The single-operation phases replay a 401 with a new token themselves; the stateful phase
    does not, so a step that ended the session (logout, password change, revoked device) would
    leave the rest of the run with a dead token.
    """
    for provider in schemathesis.auths.GLOBAL_AUTH_STORAGE.providers:
        if isinstance(provider, schemathesis.auths.SelectiveAuthProvider):
            provider = provider.provider
        entries = getattr(provider, "cache_entries", None)
        if isinstance(entries, dict):
            entries.pop(role, None)


def _field(response, name):
    """A top-level field of a JSON object answer, or None."""
    try:
        answer = response.json()
    except ValueError:
        return None
    return answer.get(name) if isinstance(answer, dict) else None


@schemathesis.hook
def after_call(context, case, response):
    """Remembers where mails went and which TOTP secret was issued, for the calls that need them."""
    if response.status_code == 401 and _declares(case, "bearerAuth"):
        _forget_token(role_for(case))
    label = case.operation.label
    if label == "GET /v1/auth/oauth/{provider}/redirect" and response.status_code == 302:
        location = (response.headers.get("location") or [None])[0]
        cookies = {}
        for line in response.headers.get("set-cookie") or []:
            name, _, value = line.split(";", 1)[0].partition("=")
            if value:
                cookies[name.strip()] = value.strip()
        if location:
            _state["oauth_redirect"] = {"location": location, "cookies": cookies}
    if not 200 <= response.status_code < 300:
        return
    if label in RESETS:
        _hook("reset")
    issued = _field(response, "refreshToken") if label.startswith("POST /v1/auth/") else None
    if isinstance(issued, str):
        _state["refresh_tokens"].add(issued)
    if label == "POST /v1/auth/mfa/recovery/verify":
        # The verified recovery mails its cancel link (the cooling-off mail) a moment later.
        _state["mail_to"]["cooling-off"] = _state["mail_to"].get("recovery")
        _state["mail_since"]["cooling-off"] = time.time()
        _state["mail_token"] = {key: token for key, token in _state["mail_token"].items() if key[0] != "cooling-off"}
    if label in ("POST /v1/auth/mfa/recovery/verify", "POST /v1/schools/{schoolId}/mfa-recoveries/{id}/approve"):
        # Before the next request: a verified recovery left undecided, or a factor an approved
        # one removed (recoveries need one), is seen to first.
        _state["recovery_verified"] = True
    body = case.body if isinstance(case.body, dict) else {}
    if label in SENDS_MAIL and isinstance(body.get("email"), str):
        kind = SENDS_MAIL[label]
        # A reset or a recovery is only mailed to an existing account (a seeded one): the
        # answer is 202 either way, and a made-up address must not hide the last real mail.
        if body["email"] in SEEDED_EMAILS or kind in ("invite", "register"):
            _state["mail_to"][kind] = body["email"]
            _state["mail_since"][kind] = time.time()
            # Every mail of that kind is read again (a recovery sends two).
            _state["mail_token"] = {key: token for key, token in _state["mail_token"].items() if key[0] != kind}
    if label == "POST /v1/schools/{schoolId}/me/resumes":
        # The app uploads the file to the presigned form before it completes the resume.
        upload = _field(response, "upload")
        if isinstance(upload, dict):
            _hook("upload", form=json.dumps(upload), type=body.get("contentType", "application/pdf"))
    if label == "GET /v1/auth/oauth/{provider}/callback":
        code = _field(response, "code")
        if code:
            _state["oauth_code"] = code
    if label == "POST /v1/me/mfa/totp":
        secret = _field(response, "secret")
        if secret:
            _state["secret"][role_for(case)] = secret
