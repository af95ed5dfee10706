import json
# Writes Sources/RecoupServer/Assets/openapi.json and openapi.yaml, the OpenAPI 3.1 document served at
# /api/v1/openapi.json and /api/v1/openapi.yaml.
# Run from the repository root after changing a route: python3 scripts/generate-openapi.py
# (OpenAPIDocumentTests checks the document against the routes the app registers.)

def ref(name): return {"$ref": f"#/components/schemas/{name}"}
def resp(name): return {"$ref": f"#/components/responses/{name}"}
def nullable(schema): return {"anyOf": [schema, {"type": "null"}]}
def jbody(schema, desc=None, example=None):
    c = {"schema": schema}
    if example is not None: c["example"] = example
    r = {"content": {"application/json": c}}
    if desc: r["description"] = desc
    return r
def ok(desc, schema, example=None):
    r = {"description": desc}; r.update(jbody(schema, example=example)); return r
def req(schema, example=None, desc=None):
    r = jbody(schema, desc, example); r["required"] = True; return r
def obj(props, required=(), extra=None, desc=None, additional=None):
    s = {"type": "object", "properties": props}
    if required: s["required"] = list(required)
    if desc: s["description"] = desc
    if additional is not None: s["additionalProperties"] = additional
    if extra: s.update(extra)
    return s
def qp(name, desc, schema, required=False, example=None):
    p = {"name": name, "in": "query", "required": required, "description": desc, "schema": schema}
    if example is not None: p["example"] = example
    return p
def pp(name, desc, example=None):
    p = {"name": name, "in": "path", "required": True, "description": desc, "schema": {"type": "string"}}
    if example is not None: p["example"] = example
    return p
S = {"type": "string"}
INT = {"type": "integer"}
BOOL = {"type": "boolean"}
def enum(*v): return {"type": "string", "enum": list(v)}
def arr(items): return {"type": "array", "items": items}

errors_std = {"400": resp("BadRequest"), "401": resp("Unauthorized"), "403": resp("Forbidden"),
              "404": resp("NotFound"), "500": resp("ServerError"), "503": resp("Unavailable")}
def errs(*codes):
    return {c: errors_std[c] for c in codes}

schemas = {}
schemas["Error"] = obj({"error": obj({
    "code": {"type": "string", "description": "A stable code: invalid_request, invalid_date, invalid_amount, bad_request, unauthorized, forbidden, not_found, blocked, server_error, database_unavailable.", "examples": ["invalid_request"]},
    "message": {"type": "string", "description": "One sentence: what is wrong, where, how to fix it."}},
    ["code", "message"])}, ["error"], desc="Every API error: `{\"error\": {\"code\", \"message\"}}`.",
    extra={"example": {"error": {"code": "invalid_request", "message": "offer.frequency is \"daily\"; use weekly, biweekly or monthly"}}})
schemas["Money"] = {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$",
    "description": "A decimal amount with the currency's minor digits (\"1250.00\", \"500\" for JPY, \"1.250\" for KWD); never a float. Requests also accept a JSON number, read digit for digit.",
    "examples": ["1250.00"]}
schemas["Percent"] = {"type": "string", "pattern": r"^[0-9]+(\.[0-9]{1,4})?$",
    "description": "A percentage 0–100 as a decimal string with at most four decimals (JSON numbers are accepted in requests).", "examples": ["8.5"]}
schemas["Date"] = {"type": "string", "format": "date", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    "description": "A calendar date, YYYY-MM-DD.", "examples": ["2026-12-01"]}
schemas["Instant"] = {"type": "string", "format": "date-time",
    "description": "An ISO 8601 instant with an offset or Z.", "examples": ["2026-04-08T16:00:00Z"]}
schemas["CurrencyCode"] = {"type": "string", "pattern": "^[A-Z]{3}$", "description": "ISO 4217 code.", "examples": ["USD"]}
schemas["LocalTime"] = {"type": "string", "pattern": r"^[0-9]{2}:[0-9]{2}$", "description": "A local time HH:MM.", "examples": ["09:00"]}

# ---- debts
schemas["DebtorSummary"] = obj({"ref": S, "name": S, "kind": enum("consumer", "commercial")}, ["ref", "name", "kind"])
schemas["DebtItem"] = obj({
    "id": {"type": "string", "description": "The debt's id, used in /api/v1/debts/{id}."},
    "ref": {"type": "string", "description": "The debt's reference within its client (the invoice number)."},
    "client": {"type": "string", "description": "The client's reference."},
    "debtor": ref("DebtorSummary"),
    "balance": ref("Money"), "currency": ref("CurrencyCode"), "dueDate": ref("Date"),
    "daysPastDue": {"type": "integer", "description": "Today minus the due date (zero or negative when not past due)."},
    "segment": nullable({"type": "string", "enum": ["hardship", "avoider", "new", "disputed", "unreachable"],
                         "description": "The kind of late payer, worked out from behaviour when the page is read (docs/segments.md)."}),
    "segmentReason": nullable({"type": "string", "description": "Why, in plain words: the reasons joined with \"; \"."}),
    "status": enum("open", "closed")},
    ["id", "ref", "client", "debtor", "balance", "currency", "dueDate", "daysPastDue", "segment", "status"])
schemas["DebtList"] = obj({"items": arr(ref("DebtItem")),
    "next": nullable({"type": "string", "description": "The cursor for the next page; null on the last page."})},
    ["items", "next"])
schemas["LedgerLine"] = obj({
    "kind": enum("charge", "interest", "fee", "payment", "payment_reversal", "refund", "adjustment", "write_off"),
    "effectiveOn": ref("Date"), "amount": ref("Money"),
    "principal": ref("Money"),
    "interest": ref("Money"), "fees": ref("Money"),
    "key": {"type": "string", "description": "The entry's idempotency key, unique per debt."}},
    ["kind", "effectiveOn", "amount", "principal", "interest", "fees", "key"],
    desc="One ledger entry; principal, interest and fees are the signed change the entry makes to each part.")
schemas["DebtDetail"] = {"allOf": [ref("DebtItem"), obj({
    "ledger": arr(ref("LedgerLine")), "contacts": arr(ref("ContactEvent"))}, ["ledger", "contacts"])],
    "description": "One debt with its ledger and its contact history (events in the compliance check's shape)."}

# ---- compliance
schemas["ContactEvent"] = {
    "type": "object",
    "description": "One event of a debtor's history, as in the compliance check's `events`. `debtIds` is optional on every event (absent or empty = all of the debtor's debts). Fields beyond those a type uses are ignored.",
    "properties": {
        "type": enum("call", "sms", "email", "letter", "consent", "consent_revoked", "cease", "dispute",
                     "verification_sent", "attorney", "bankruptcy", "opt_out", "inconvenient", "inconvenient_place"),
        "at": ref("Instant"),
        "debtIds": arr(S),
        "direction": {**enum("inbound", "outbound"), "default": "outbound", "description": "call, sms, email."},
        "to": {"type": "string", "description": "call, sms, email: the number or address; inconvenient: the local end time HH:MM (excluded)."},
        "outcome": {**enum("no_answer", "busy", "not_in_service", "voicemail", "answered_dropped", "conversation", "third_party"), "description": "call (required)."},
        "messageLeft": {"type": "boolean", "default": False, "description": "call."},
        "until": {"type": "string", "description": "consent: an Instant (optional end of the consent); inconvenient: the last Date it applies."},
        "channel": {**enum("call", "voicemail", "sms", "email", "letter"), "description": "opt_out (required)."},
        "address": {"type": "string", "description": "opt_out: one number or address opted out (optional)."},
        "weekdays": {"type": "array", "items": enum("mon", "tue", "wed", "thu", "fri", "sat", "sun"), "description": "inconvenient."},
        "from": {**ref("LocalTime"), "description": "inconvenient: local start time (included)."},
        "place": {**enum("home", "work"), "description": "inconvenient_place (required)."}},
    "required": ["type", "at"],
    "allOf": [
        {"if": {"properties": {"type": {"const": "call"}}}, "then": {"required": ["outcome"]}},
        {"if": {"properties": {"type": {"const": "opt_out"}}}, "then": {"required": ["channel"]}},
        {"if": {"properties": {"type": {"const": "inconvenient_place"}}}, "then": {"required": ["place"]}}],
    "example": {"type": "call", "at": "2026-04-01T16:00:00Z", "debtIds": ["D1"], "direction": "outbound",
                "to": "+16175550100", "outcome": "voicemail", "messageLeft": True}}
schemas["DebtorContactProfile"] = obj({
    "kind": enum("consumer", "commercial"),
    "timeZones": {"type": "array", "items": {"type": "string", "description": "IANA zone such as America/New_York"},
                  "description": "Recorded zones, primary first; without them zones are inferred from phones and addresses."},
    "phones": arr(obj({"number": {"type": "string", "description": "E.164, such as +16175550100"},
                       "type": {**enum("mobile", "home", "work", "other"), "default": "other"}}, ["number"])),
    "emails": arr(obj({"address": S, "type": enum("personal", "work", "other")}, ["address"])),
    "addresses": arr(obj({"type": {**enum("home", "work", "other"), "default": "home"}, "line1": S, "city": S,
                          "state": S, "postalCode": S, "country": {"type": "string", "default": "US"}}))},
    ["kind"])
schemas["CompliancePolicy"] = obj({
    "disabled": {"type": "array", "items": enum("voicemail-daily-limit", "text-daily-limit", "email-daily-limit"),
                 "description": "House rules switched off (legal rules cannot be)."},
    "contactWindow": obj({"opens": ref("LocalTime"), "closes": ref("LocalTime")}),
    **{k: INT for k in ["maxCallsPerWeek", "postConversationDays", "consentDays", "repeatCallSeconds",
                        "redFlagCallsPerNumberPerDay", "voicemailsPerDay", "textsPerDay", "textsPerWeek",
                        "emailsPerDay", "massachusettsPerWeek"]}},
    desc="A client's policy: every field optional; may be stricter than the law, never looser (else 400).")
schemas["ComplianceRequest"] = obj({
    "at": ref("Instant"),
    "action": enum("call", "voicemail", "sms", "email", "letter"),
    "debtId": S,
    "to": {"type": "string", "description": "The number or address contacted; for a letter \"home\", \"work\" or an address's line1."},
    "purpose": {**enum("collection", "remedy_notice", "verification", "opt_out_confirmation", "response"), "default": "collection"},
    "debtor": ref("DebtorContactProfile"),
    "events": arr(ref("ContactEvent")),
    "policy": ref("CompliancePolicy")},
    ["at", "action", "debtId", "debtor"],
    extra={"example": {"at": "2026-04-08T16:00:00Z", "action": "call", "debtId": "D1", "to": "+16175550100",
        "purpose": "collection",
        "debtor": {"kind": "consumer", "timeZones": ["America/New_York"],
                   "phones": [{"number": "+16175550100", "type": "mobile"}],
                   "emails": [{"address": "pat@example.com"}],
                   "addresses": [{"type": "home", "state": "MA", "postalCode": "02118", "country": "US"}]},
        "events": [{"type": "call", "at": "2026-04-01T16:00:00Z", "debtIds": ["D1"], "direction": "outbound",
                    "to": "+16175550100", "outcome": "voicemail", "messageLeft": True}]}})
RULES = ["call-frequency", "post-conversation", "call-red-flag", "state-frequency", "quiet-hours", "inconvenient-time",
         "inconvenient-place", "cease", "dispute", "attorney", "bankruptcy", "opt-out", "voicemail-daily-limit",
         "text-daily-limit", "email-daily-limit"]
schemas["RuleFinding"] = obj({"rule": {"type": "string", "description": "A rule id from compliance/RULES.md.", "examples": RULES[:3]},
    "effect": enum("review", "block"), "citation": S, "reason": S}, ["rule", "effect", "citation", "reason"])
schemas["Decision"] = obj({
    "decision": {**enum("allow", "review", "block"), "description": "The most restrictive effect of the rules that fired."},
    "rules": {**arr(ref("RuleFinding")), "description": "Every rule that fired, in a fixed order; empty for a clean allow."},
    "nextAllowedAt": {**nullable(ref("Instant")), "description": "The earliest instant the same contact would be allowed (equal to `at` when allowed now); null when none can be computed."}},
    ["decision", "rules", "nextAllowedAt"],
    extra={"example": {"decision": "block", "rules": [{"rule": "call-frequency", "effect": "block",
        "citation": "12 CFR 1006.14(b)(2)(i)(A)", "reason": "7 calls about D1 already placed in the 7 days ending 2026-04-07; the limit is 7."}],
        "nextAllowedAt": "2026-04-09T12:00:00Z"}})
schemas["LintRequest"] = obj({"channel": enum("voicemail", "sms", "email", "letter"), "text": S}, ["channel", "text"],
    extra={"example": {"channel": "sms", "text": "Acme Recovery: this is an attempt to collect a debt. Reply STOP to opt out."}})
schemas["LintFinding"] = obj({"rule": {"type": "string", "examples": ["threat-lawsuit", "missing-mini-miranda"]},
    "severity": enum("error", "warning"), "excerpt": nullable(S), "message": S}, ["rule", "severity", "excerpt", "message"])
schemas["LintResult"] = obj({"ok": {"type": "boolean", "description": "False when any finding is an error."},
    "limitedContent": {**nullable(BOOL), "description": "For a voicemail, whether it is a limited-content message; null for other channels."},
    "findings": arr(ref("LintFinding"))}, ["ok", "limitedContent", "findings"])
schemas["ValidationPeriod"] = obj({"sent": ref("Date"), "assumedReceived": ref("Date"), "periodEnds": ref("Date")},
    ["sent", "assumedReceived", "periodEnds"],
    extra={"example": {"sent": "2026-06-01", "assumedReceived": "2026-06-08", "periodEnds": "2026-07-08"}})

# ---- contacts recorded
schemas["ContactRecorded"] = obj({"recorded": {"const": True, "type": "boolean"}, "event": ref("ContactEvent"),
    "decision": ref("Decision")}, ["recorded", "event", "decision"])
schemas["ContactBlocked"] = {"allOf": [ref("Error"), obj({"decision": ref("Decision")}, ["decision"])],
    "description": "The attempt was not recorded: the compliance engine blocked it (error code `blocked`).",
    "example": {"error": {"code": "blocked", "message": "The compliance engine blocks this call: 7 calls about INV-1 already placed in the 7 days ending 2026-04-07."},
                "decision": {"decision": "block", "rules": [{"rule": "call-frequency", "effect": "block", "citation": "12 CFR 1006.14(b)(2)(i)(A)", "reason": "7 calls about INV-1 already placed in the 7 days ending 2026-04-07; the limit is 7."}], "nextAllowedAt": "2026-04-09T12:00:00Z"}}}

# ---- plans
FREQ = enum("weekly", "biweekly", "monthly")
schemas["PlanTerms"] = obj({"minInstallment": nullable(ref("Money")),
    "maxInstallments": nullable({"type": "integer", "minimum": 1}),
    "settlementPercent": nullable({"type": "integer", "minimum": 1, "maximum": 100}),
    "maxExtensionDays": nullable({"type": "integer", "minimum": 0, "maximum": 3650})},
    desc="Plan bounds; every field optional.")
schemas["PlanOffer"] = obj({"amount": ref("Money"), "frequency": FREQ, "firstDue": ref("Date")}, ["amount", "frequency", "firstDue"])
schemas["PlanRequest"] = obj({"balance": ref("Money"), "currency": ref("CurrencyCode"), "today": ref("Date"),
    "offer": ref("PlanOffer"), "terms": ref("PlanTerms")}, ["balance", "currency", "today", "offer"],
    extra={"example": {"balance": "1250.00", "currency": "USD", "today": "2026-12-01",
        "offer": {"amount": "100.00", "frequency": "monthly", "firstDue": "2027-01-31"},
        "terms": {"minInstallment": "25.00", "maxInstallments": 24, "settlementPercent": 70}}})
schemas["Installment"] = obj({"due": ref("Date"), "amount": ref("Money")}, ["due", "amount"])
schemas["PlanOption"] = obj({"kind": enum("installments", "extension", "settlement"),
    "count": {"type": "integer", "description": "Present for installments only."},
    "total": ref("Money"), "installments": arr(ref("Installment"))}, ["kind", "total", "installments"])
schemas["PlanProposal"] = obj({"accepted": BOOL,
    "options": {**arr(ref("PlanOption")), "description": "The installment schedule (offer or counter-offer), the extension, the settlement, in that order."},
    "reasons": {**arr(S), "description": "Why the offer was countered, in plain words; empty when accepted."}},
    ["accepted", "options", "reasons"],
    extra={"example": {"accepted": True, "options": [{"kind": "installments", "count": 13, "total": "1250.00",
        "installments": [{"due": "2027-01-31", "amount": "100.00"}, {"due": "2027-02-28", "amount": "100.00"}]},
        {"kind": "settlement", "total": "875.00", "installments": [{"due": "2027-01-31", "amount": "875.00"}]}], "reasons": []}})

# ---- payments
common_pay = {"client": {"type": "string", "description": "The client's reference."}, "on": ref("Date"),
              "key": {"type": "string", "description": "Idempotency key: the same key and request answers the first result."}}
schemas["PaymentRequest"] = {
    "description": "One of: a payment to a debt; a payment spread over a debtor's debts (`debtor` instead of `debt`); a reversal (`reverses`); a refund out of a credit (`refund`). Checked in that order: `debtor`, `reverses`, `refund`, else `amount`.",
    "anyOf": [
        obj({**common_pay, "debt": S, "amount": ref("Money"), "method": S, "reference": S}, ["client", "debt", "amount", "on", "key"], desc="Payment"),
        obj({**common_pay, "debtor": S, "amount": ref("Money"), "method": S, "reference": S}, ["client", "debtor", "amount", "on", "key"], desc="Spread payment"),
        obj({**common_pay, "debt": S, "reverses": {"type": "string", "description": "The key of the payment to reverse."}, "reason": {"type": "string", "default": "reversal"}}, ["client", "debt", "reverses", "on", "key"], desc="Reversal"),
        obj({**common_pay, "debt": S, "refund": ref("Money"), "method": S, "reference": S}, ["client", "debt", "refund", "on", "key"], desc="Refund")],
    "example": {"client": "acme", "debt": "INV-1", "amount": "55.94", "on": "2026-12-01", "key": "pay-7731", "method": "card"}}
schemas["Allocation"] = obj({"fees": ref("Money"), "interest": ref("Money"), "principal": ref("Money")}, ["fees", "interest", "principal"])
schemas["Balance"] = obj({"principal": ref("Money"), "interest": ref("Money"), "fees": ref("Money"), "total": ref("Money")},
                         ["principal", "interest", "fees", "total"])
STATUS = enum("posted", "already_posted")
schemas["PaymentPosted"] = obj({"status": STATUS, "client": S, "debt": S, "key": S,
    "kind": enum("payment", "payment_reversal", "refund"), "amount": ref("Money"), "effectiveOn": ref("Date"),
    "currency": ref("CurrencyCode"), "allocation": ref("Allocation"), "balance": ref("Balance")},
    ["status", "client", "debt", "key", "kind", "amount", "effectiveOn", "currency", "allocation", "balance"])
schemas["SpreadPaymentPosted"] = obj({"status": STATUS, "client": S, "debtor": S, "amount": ref("Money"),
    "effectiveOn": ref("Date"), "currency": ref("CurrencyCode"),
    "parts": arr(obj({"debt": S, "key": {"type": "string", "description": "KEY#DEBT"}, "amount": ref("Money"),
                      "allocation": ref("Allocation"), "balance": ref("Balance")}, ["debt", "key", "amount", "allocation", "balance"]))},
    ["status", "client", "debtor", "amount", "effectiveOn", "currency", "parts"])
schemas["PaymentResult"] = {"oneOf": [ref("PaymentPosted"), ref("SpreadPaymentPosted")],
    "example": {"status": "posted", "client": "acme", "debt": "INV-1", "key": "pay-7731", "kind": "payment", "amount": "55.94",
        "effectiveOn": "2026-12-01", "currency": "USD", "allocation": {"fees": "0.00", "interest": "0.00", "principal": "55.94"},
        "balance": {"principal": "100.00", "interest": "0.00", "fees": "0.00", "total": "100.00"}}}

# ---- arrangements
schemas["ArrangementCreateRequest"] = obj({"client": S, "debts": {**arr(S), "minItems": 1, "description": "Debt references of one debtor, one currency."},
    "today": ref("Date"), "offer": ref("PlanOffer"),
    "option": {**enum("installments", "extension", "settlement"), "default": "installments"}},
    ["client", "debts", "today", "offer"],
    extra={"example": {"client": "acme", "debts": ["INV-1"], "today": "2026-11-29",
        "offer": {"amount": "300.00", "frequency": "monthly", "firstDue": "2026-12-31"}, "option": "installments"}})
schemas["AcceptRequest"] = obj({"client": S, "by": {"type": "string", "description": "Who accepted."},
    "at": {**ref("Instant"), "description": "Defaults to now."},
    "method": enum("portal_click", "recorded_call", "signed_letter"),
    "ip": {"type": "string", "description": "portal_click; defaults to the request's address."},
    "userAgent": {"type": "string", "description": "portal_click; defaults to the request's User-Agent."},
    "collector": {"type": "string", "description": "recorded_call."}, "recording": {"type": "string", "description": "recorded_call."},
    "document": {"type": "string", "description": "signed_letter: the scan's reference."}},
    ["client", "by", "method"])
schemas["CancelRequest"] = obj({"client": S, "reason": S, "on": ref("Date")}, ["client", "reason", "on"])
schemas["Acceptance"] = obj({"by": S, "at": ref("Instant"), "method": enum("portal_click", "recorded_call", "signed_letter"),
    "ip": S, "userAgent": S, "collector": S, "recording": S, "document": S}, ["by", "at", "method"])
schemas["Arrangement"] = obj({
    "ref": {"type": "string", "examples": ["ARR-000001"]}, "client": S, "debtor": S,
    "state": enum("proposed", "active", "completed", "broken", "cancelled"),
    "kind": enum("installments", "extension", "settlement"), "currency": ref("CurrencyCode"), "total": ref("Money"),
    "graceDays": INT, "createdOn": ref("Date"),
    "debts": arr(obj({"debt": S, "amount": ref("Money")}, ["debt", "amount"])), "asOf": ref("Date"),
    "installments": arr(obj({"number": {"type": "integer", "minimum": 1}, "due": ref("Date"), "amount": ref("Money"),
        "paid": ref("Money"), "paidOn": nullable(ref("Date")),
        "standing": enum("paid", "paid_late", "partial", "due", "upcoming", "missed")},
        ["number", "due", "amount", "paid", "paidOn", "standing"])),
    "excess": ref("Money"), "acceptance": nullable(ref("Acceptance")), "stateReason": nullable(S),
    "stateChangedOn": nullable(ref("Date")),
    "agreementSha256": {"type": "string", "pattern": "^[0-9a-f]{64}$", "description": "SHA-256 of the agreement's text."}},
    ["ref", "client", "debtor", "state", "kind", "currency", "total", "graceDays", "createdOn", "debts", "asOf",
     "installments", "excess", "acceptance", "stateReason", "stateChangedOn", "agreementSha256"])
schemas["PromiseRequest"] = obj({"client": S, "debt": S, "amount": ref("Money"), "due": ref("Date"), "madeOn": ref("Date"),
    "via": {**enum("call", "portal"), "default": "portal"}, "note": S}, ["client", "debt", "amount", "due", "madeOn"],
    extra={"example": {"client": "acme", "debt": "INV-2", "amount": "50.00", "due": "2026-12-05", "madeOn": "2026-11-29", "via": "portal"}})
schemas["Promise"] = obj({"id": INT, "debt": S, "amount": ref("Money"), "currency": ref("CurrencyCode"), "due": ref("Date"),
    "madeOn": ref("Date"), "via": enum("call", "portal"), "note": nullable(S), "asOf": ref("Date"),
    "outcome": enum("pending", "kept", "partially_kept", "broken"), "paid": ref("Money")},
    ["id", "debt", "amount", "currency", "due", "madeOn", "via", "note", "asOf", "outcome", "paid"])

# ---- terms, projection
CAP = {"oneOf": [obj({"amount": ref("Money")}, ["amount"], additional=False),
                 obj({"percentOfPrincipal": ref("Percent")}, ["percentOfPrincipal"], additional=False)]}
schemas["AccrualCap"] = {**CAP, "description": "A total over the debt's life, or a percentage of the principal charged."}
schemas["FeeRule"] = {"oneOf": [
    obj({"step": {"type": "string", "pattern": "^[a-z0-9-]+$"}, "flat": ref("Money")}, ["step", "flat"], additional=False),
    obj({"step": {"type": "string", "pattern": "^[a-z0-9-]+$"}, "percentOfBalance": ref("Percent")}, ["step", "percentOfBalance"], additional=False)]}
schemas["ClientTerms"] = obj({
    "currency": ref("CurrencyCode"),
    "accrual": obj({"annualInterestPercent": ref("Percent"), "interestCap": ref("AccrualCap"), "fees": arr(ref("FeeRule")),
                    "feeCap": ref("AccrualCap")}, additional=False),
    "plan": ref("PlanTerms"),
    "graceDays": {"type": "integer", "minimum": 0, "maximum": 60, "default": 5},
    "collector": nullable(S), "contact": nullable(S)},
    additional=False,
    desc="A client's terms. Every member is optional in a PUT (null = absent); the answer writes every member. Unknown members are refused.",
    extra={"example": {"currency": "USD", "accrual": {"annualInterestPercent": "8", "interestCap": {"percentOfPrincipal": "25"},
        "fees": [{"step": "final-notice", "flat": "25.00"}, {"step": "placement", "percentOfBalance": "10"}], "feeCap": {"amount": "100.00"}},
        "plan": {"minInstallment": "25.00", "maxInstallments": 24, "settlementPercent": 70, "maxExtensionDays": 45},
        "graceDays": 5, "collector": "Acme Recovery", "contact": "Call 555-0100 or pay at acme.example/pay"}})
schemas["Projection"] = obj({"currency": ref("CurrencyCode"), "from": ref("Date"),
    "points": arr(obj({"date": ref("Date"), "principal": ref("Money"), "interest": ref("Money"), "fees": ref("Money"),
                       "total": ref("Money")}, ["date", "principal", "interest", "fees", "total"])),
    "growth": ref("Money")}, ["currency", "from", "points", "growth"])

# ---- aging, health
schemas["AgingReport"] = obj({"asOf": ref("Date"), "currency": ref("CurrencyCode"),
    "buckets": arr(obj({"bucket": enum("current", "1-30", "31-60", "61-90", "91+"), "count": INT, "amount": ref("Money")},
                       ["bucket", "count", "amount"])),
    "total": obj({"count": INT, "amount": ref("Money")}, ["count", "amount"])},
    ["asOf", "currency", "buckets", "total"],
    extra={"example": {"asOf": "2013-12-02", "currency": "USD", "buckets": [
        {"bucket": "current", "count": 76, "amount": "4422.79"}, {"bucket": "1-30", "count": 7, "amount": "507.31"},
        {"bucket": "31-60", "count": 0, "amount": "0.00"}, {"bucket": "61-90", "count": 0, "amount": "0.00"},
        {"bucket": "91+", "count": 0, "amount": "0.00"}], "total": {"count": 83, "amount": "4930.10"}}})
schemas["Health"] = obj({"status": {"const": "ok", "type": "string"}}, ["status"])

def err_resp(desc, example_code, example_msg):
    return {"description": desc, "content": {"application/json": {"schema": ref("Error"),
            "example": {"error": {"code": example_code, "message": example_msg}}}}}
responses = {
    "BadRequest": err_resp("Bad input: the message names the field.", "invalid_request", "the query parameter client is missing"),
    "Unauthorized": err_resp("No valid bearer token.", "unauthorized", "a valid API token is required: send Authorization: Bearer TOKEN"),
    "Forbidden": err_resp("The token's user lacks the rights for this operation.", "forbidden", "this user may not do that"),
    "NotFound": err_resp("Not found (or belonging to another client, which answers exactly the same).", "not_found", "there is no client \"acme\""),
    "ServerError": err_resp("Something failed on the server; nothing internal is revealed.", "server_error", "something went wrong on our side"),
    "Unavailable": err_resp("The database is unavailable.", "database_unavailable", "the database is unavailable"),
}

CLIENT_Q = lambda required=True, desc="The client's reference.": qp("client", desc, S, required, "acme")
paths = {}
def op(path, method, operationId, summary, tags, responses_, parameters=(), requestBody=None, description=None, security=None):
    o = {"operationId": operationId, "summary": summary, "tags": tags}
    if description: o["description"] = description
    o["parameters"] = list(parameters)
    if requestBody: o["requestBody"] = requestBody
    o["responses"] = responses_
    if security is not None: o["security"] = security
    paths.setdefault(path, {})[method] = o

op("/health", "get", "getHealth", "Liveness check", ["System"],
   {"200": ok("The server is up.", ref("Health"), {"status": "ok"})}, security=[],
   description="Outside /api/v1; needs no token.")
op("/api/v1/openapi.json", "get", "getOpenAPI", "This OpenAPI document", ["System"],
   {"200": {"description": "The OpenAPI 3.1 document describing the whole API.",
            "content": {"application/json": {"schema": {"type": "object"}}}}}, security=[])
op("/api/v1/openapi.yaml", "get", "getOpenAPIYAML", "This OpenAPI document as YAML", ["System"],
   {"200": {"description": "The same document as YAML.",
            "content": {"application/yaml": {"schema": {"type": "object"}}}}}, security=[])

op("/api/v1/reports/aging", "get", "getAgingReport", "Aging report of open debts", ["Reports"],
   {"200": ok("Open debts by days past due.", ref("AgingReport")), **errs("400", "401", "403", "404", "500", "503")},
   [qp("asOf", "The report date; defaults to today in the business time zone.", ref("Date"), example="2013-12-02"),
    CLIENT_Q(False, "Only this client's debts."), qp("currency", "Report in this currency (ISO 4217).", ref("CurrencyCode"))],
   description="A debt is open at the end of `asOf` if it was charged on or before it and its balance then is above zero; days past due = asOf − due date (`current` = DPD ≤ 0).")

op("/api/v1/compliance/check", "post", "checkCompliance", "Decide whether a contact may be made now", ["Compliance"],
   {"200": ok("The decision, whatever it is.", ref("Decision")), **errs("400", "401", "403", "500")},
   requestBody=req(ref("ComplianceRequest")),
   description="Pure: evaluates one proposed contact against the debtor's history (docs/compliance.md). 200 whatever the decision; 400 naming the bad field. Body up to 4 MB.")
op("/api/v1/compliance/lint", "post", "lintMessage", "Check a message's wording", ["Compliance"],
   {"200": ok("The findings.", ref("LintResult")), **errs("400", "401", "403", "500")},
   requestBody=req(ref("LintRequest")), description="Heuristic FDCPA / Regulation F checks of a voicemail, text, email or letter. Body up to 1 MB.")
op("/api/v1/compliance/validation-period", "get", "getValidationPeriod", "Validation period for a notice", ["Compliance"],
   {"200": ok("Assumed receipt and the end of the validation period.", ref("ValidationPeriod")), **errs("400", "401", "403", "500")},
   [qp("sent", "The date the validation notice was sent.", ref("Date"), True, "2026-06-01")],
   description="Receipt is assumed on the 5th day after sending that is not a weekend or US federal holiday; the period ends 30 days later (12 CFR 1006.34(b)(5)).")

op("/api/v1/plans/propose", "post", "proposePlan", "Propose a payment plan", ["Plans"],
   {"200": ok("The proposal: accepted, or countered with reasons.", ref("PlanProposal")), **errs("400", "401", "403", "500")},
   requestBody=req(ref("PlanRequest")), description="The same request and answer as `recoup plan propose`.")

op("/api/v1/payments", "post", "postPayment", "Post a payment, spread payment, reversal or refund exactly once", ["Payments"],
   {"201": ok("Posted.", ref("PaymentResult")),
    "200": ok("The same key and request had already been posted: the first result, with status already_posted.", ref("PaymentResult")),
    **errs("400", "401", "403", "404", "500", "503")},
   requestBody=req(ref("PaymentRequest")),
   description="Idempotent by `key`: a retry answers 200 with the first result; the same key with another amount or date is 400. Unknown client: 404.")

op("/api/v1/arrangements", "post", "createArrangement", "Create an arrangement from an offer", ["Arrangements"],
   {"201": ok("The proposed arrangement.", ref("Arrangement")), **errs("400", "401", "403", "404", "500", "503")},
   requestBody=req(ref("ArrangementCreateRequest")))
REF = pp("ref", "The arrangement's reference.", "ARR-000001")
op("/api/v1/arrangements/{ref}", "get", "getArrangement", "Show an arrangement as of a date", ["Arrangements"],
   {"200": ok("The arrangement with its installments matched to payments.", ref("Arrangement")), **errs("400", "401", "403", "404", "500", "503")},
   [REF, CLIENT_Q(), qp("asOf", "Evaluate on this day.", ref("Date"), True, "2027-01-06")])
op("/api/v1/arrangements/{ref}/agreement", "get", "getArrangementAgreement", "The written agreement", ["Arrangements"],
   {"200": {"description": "The agreement as plain text or HTML.",
            "headers": {"X-Agreement-SHA256": {"description": "SHA-256 of the agreement's text.", "schema": {"type": "string", "pattern": "^[0-9a-f]{64}$"}}},
            "content": {"text/plain": {"schema": {"type": "string"}}, "text/html": {"schema": {"type": "string"}}}},
    **errs("400", "401", "403", "404", "500", "503")},
   [REF, CLIENT_Q(), qp("format", "text (default) or html.", {**enum("text", "html"), "default": "text"})])
op("/api/v1/arrangements/{ref}/accept", "post", "acceptArrangement", "Record the debtor's acceptance", ["Arrangements"],
   {"200": ok("The arrangement, now active.", ref("Arrangement")), **errs("400", "401", "403", "404", "500", "503")},
   [REF], req(ref("AcceptRequest"), {"client": "acme", "by": "Olivia Chen", "at": "2026-11-29T18:00:00Z", "method": "portal_click"}),
   description="Records who, when and how with its evidence; a portal click takes the request's IP address and user agent when the body does not give them. Only a proposed arrangement can be accepted (else 400).")
op("/api/v1/arrangements/{ref}/cancel", "post", "cancelArrangement", "Cancel an arrangement", ["Arrangements"],
   {"200": ok("The cancelled arrangement.", ref("Arrangement")), **errs("400", "401", "403", "404", "500", "503")},
   [REF], req(ref("CancelRequest"), {"client": "acme", "reason": "asked for a new plan", "on": "2026-12-02"}))
op("/api/v1/promises", "post", "addPromise", "Record a promise to pay", ["Promises"],
   {"201": ok("The promise, evaluated as of the day it was made.", ref("Promise")), **errs("400", "401", "403", "404", "500", "503")},
   requestBody=req(ref("PromiseRequest")))
op("/api/v1/promises", "get", "listPromises", "List promises with their outcomes", ["Promises"],
   {"200": ok("Promises evaluated on asOf.", arr(ref("Promise"))), **errs("400", "401", "403", "404", "500", "503")},
   [CLIENT_Q(), qp("asOf", "Evaluate on this day.", ref("Date"), True, "2026-12-06"), qp("debt", "Only this debt's promises.", S)])
CLIENT_P = pp("client", "The client's reference.", "acme")
op("/api/v1/clients/{client}/terms", "get", "getClientTerms", "A client's terms", ["Clients"],
   {"200": ok("The stored terms, every member written.", ref("ClientTerms")), **errs("400", "401", "403", "404", "500", "503")},
   [CLIENT_P])
op("/api/v1/clients/{client}/terms", "put", "setClientTerms", "Check and store a client's terms", ["Clients"],
   {"200": ok("The stored terms.", ref("ClientTerms")), **errs("400", "401", "403", "404", "500", "503")},
   [CLIENT_P], req(ref("ClientTerms")))
op("/api/v1/debts/{id}/projection", "get", "getDebtProjection", "Balance projection if nothing is paid", ["Debts"],
   {"200": ok("The balance at the same day of each coming month.", ref("Projection")), **errs("400", "401", "403", "404", "500", "503")},
   [pp("id", "The debt's id, or its reference when client is given.", "17"), CLIENT_Q(False, "With a debt reference as id: the client it belongs to."), qp("from", "The starting date.", ref("Date"), True, "2026-11-29"),
    qp("months", "How many months.", {"type": "integer", "minimum": 1, "maximum": 120, "default": 12})])

op("/api/v1/debts", "get", "listDebts", "List debts, a page at a time", ["Debts"],
   {"200": ok("A page of debts and the cursor of the next.", ref("DebtList")), **errs("400", "401", "403", "500", "503")},
   [qp("limit", "Page size.", {"type": "integer", "minimum": 1, "maximum": 500, "default": 50}),
    qp("cursor", "The `next` of the previous page.", S),
    qp("status", "Only open or only closed (paid off) debts; all when absent.", enum("open", "closed")),
    CLIENT_Q(False, "Only this client's debts (a client user sees its own client's only)."),
    qp("bucket", "Only debts in this aging bucket today.", enum("current", "1-30", "31-60", "61-90", "91+")),
    qp("segment", "Only debts in this segment as last stored (`recoup segment refresh`, and after each change made through the server).",
       enum("hardship", "avoider", "new", "disputed", "unreachable")),
    qp("q", "Search by word prefix: debtor name words, the start of a debt reference, or phone digits (start, or last 4/7/10).", S)])
ID = pp("id", "The debt's id.")
op("/api/v1/debts/{id}", "get", "getDebt", "One debt with its ledger and contacts", ["Debts"],
   {"200": ok("The debt.", ref("DebtDetail")), **errs("400", "401", "403", "404", "500", "503")}, [ID],
   description="Another client's debt answers 404, exactly as a missing one.")
op("/api/v1/debts/{id}/contacts", "post", "recordContact", "Record a contact attempt and its outcome", ["Debts"],
   {"201": ok("Recorded, with the compliance decision.", ref("ContactRecorded")),
    **errs("400", "401", "403", "404"),
    "409": {"description": "Refused: the compliance engine blocks this outbound attempt; nothing is recorded.",
            "content": {"application/json": {"schema": ref("ContactBlocked")}}},
    **errs("500", "503")},
   [ID], req(ref("ContactEvent"), {"type": "call", "at": "2026-04-08T16:00:00Z", "direction": "outbound",
                                   "to": "+16175550100", "outcome": "voicemail", "messageLeft": True}),
   description="The event has the compliance check's event shape. Outbound attempts are checked first and refused with 409 when blocked; inbound ones are always recorded.")

doc = {
    "openapi": "3.1.0",
    "info": {"title": "Recoup API", "version": "1.0.0",
             "description": "Recoup's collections API: debts and their contact history, the compliance engine (contact checks, message lint, validation period), payment plans, payments, arrangements, promises to pay, client terms, projections and the aging report.\n\nAmounts are decimal strings with the currency's minor digits, never floats; dates are YYYY-MM-DD; instants are ISO 8601 with an offset or Z. Authenticate with `Authorization: Bearer TOKEN` (`recoup token create EMAIL`). Errors are `{\"error\": {\"code\", \"message\"}}` with a 4xx status for bad input or missing rights and 401 without a valid token."},
    "servers": [{"url": "/"}],
    "security": [{"bearerAuth": []}],
    "tags": [{"name": n} for n in ["System", "Debts", "Compliance", "Plans", "Payments", "Arrangements", "Promises", "Clients", "Reports"]],
    "paths": dict(sorted(paths.items())),
    "components": {
        "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer", "description": "An API token from `recoup token create EMAIL`."}},
        "schemas": schemas, "responses": responses},
}
json.dump(doc, open("Sources/RecoupServer/Assets/openapi.json", "w"), indent=2, ensure_ascii=False)
open("Sources/RecoupServer/Assets/openapi.json", "a").write("\n")
# The same document as YAML, served at /api/v1/openapi.yaml (PyYAML is needed only to regenerate it).
import yaml
with open("Sources/RecoupServer/Assets/openapi.yaml", "w") as out:
    yaml.safe_dump(doc, out, sort_keys=False, allow_unicode=True, width=120)
