"""Schemathesis hooks for Recoup's API document (loaded through SCHEMATHESIS_HOOKS by api-schema-fuzz.sh).

The inbound email route takes a whole message as `message/rfc822`, which schemathesis has no serializer for: without
one, its fuzzing phase ends in an error of its own. A generated string is sent as its UTF-8 bytes.
"""

import schemathesis


@schemathesis.serializer("message/rfc822")
def rfc822(ctx, value):
    if value is None:
        return None
    if isinstance(value, bytes):
        return value
    return str(value).encode("utf-8")
