"""Whether a SECRET_KEY is strong enough for production; pure, so settings can call it early.

Length alone let fifty "a" through. A key that signs confirm and unsubscribe links must be hard
to guess: long, drawn from many characters, and without the repetition that makes text
compress (``abcdefghij`` five times is fifty characters and ten distinct ones, and compresses
to a third).
"""

import zlib

MIN_LENGTH = 50
MIN_DISTINCT = 10
MIN_COMPRESSED_RATIO = 0.7  # 50 random characters do not compress at all


def secret_key_problem(key: str) -> str | None:
    """What is wrong with ``key`` for production, or None when it will do."""
    if key.startswith("django-insecure"):
        return "it is Django's insecure development key"
    if len(key) < MIN_LENGTH:
        return f"it has {len(key)} characters; use {MIN_LENGTH} or more"
    if len(set(key)) < MIN_DISTINCT:
        return f"it uses only {len(set(key))} distinct characters"
    data = key.encode()
    if len(zlib.compress(data, 9)) < MIN_COMPRESSED_RATIO * len(data):
        return "it is too repetitive"
    return None
