"""The error every reader raises for a file it cannot read."""


class ReadError(Exception):
    """A file cannot be read. ``str(error)`` is a message for the user, in Vietnamese."""
