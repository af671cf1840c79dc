"""How the engage copy counts and names things: the one place for plurals and articles, so
"at most 1 email a week" and "at most 2 emails a week" both read right."""

from __future__ import annotations


def plural(noun: str) -> str:
    """The regular English plural of a noun phrase (its last word): ``email`` -> ``emails``,
    ``push notification`` -> ``push notifications``, ``day`` -> ``days``."""
    if noun.endswith(("s", "x", "z", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u", ""):
        return noun[:-1] + "ies"
    return noun + "s"


def count(n: int, noun: str, many: str | None = None) -> str:
    """``n`` and the noun in the right number: ``1 email``, ``0 emails``, ``3 emails``;
    ``many`` gives an irregular plural (``count(2, "offer or newsletter", "offers and
    newsletters")``)."""
    return f"{n} {noun if n == 1 else (many or plural(noun))}"


def article(noun: str) -> str:
    """``a`` or ``an`` before a noun (by its first letter, which suits our channel names)."""
    return "an" if noun[:1] in "aeiou" else "a"
