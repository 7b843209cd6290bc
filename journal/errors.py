"""The one error the journal package raises for text it cannot read."""


class EntryError(ValueError):
    """The markdown is not a usable entry; the message says why in one line."""
