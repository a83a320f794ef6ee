"""Vietnamese text helpers."""

import unicodedata


def fold(text: str) -> str:
    """Lower-case without diacritics ('Làng Đê Kôn' → 'lang de kon'), for search typed on any keyboard."""
    text = unicodedata.normalize("NFD", text or "").replace("đ", "d").replace("Đ", "D")
    return " ".join("".join(c for c in text if unicodedata.category(c) != "Mn").casefold().split())


def clean(text: str) -> str:
    """NFC with single spaces: the form names are stored and compared in."""
    return unicodedata.normalize("NFC", " ".join((text or "").split()))


def fit(text: str, max_length: int) -> str:
    """`text` cut to `max_length` characters, ending with "…" when cut.

    For copies derived from what people typed (audit labels, notification titles) whose column is shorter
    than the sum of their parts: the copy is shortened on purpose, the source keeps the whole text."""
    text = text or ""
    return text if len(text) <= max_length else text[: max_length - 1] + "…"
