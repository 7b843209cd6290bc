"""Errors the app reports to the learner as one line, never as a traceback."""


class StudylogError(Exception):
    """Something the learner can fix; the message names the file or value and the problem."""


def one_line(err: BaseException) -> str:
    """The error's own message on one line: the driver's message for a database error,
    without the library's "Background on this error at: <url>" trailer."""
    orig = getattr(err, "orig", None)  # SQLAlchemy's DBAPIError wraps the driver's error
    text = str(orig if isinstance(orig, BaseException) else err).strip()
    return text.splitlines()[0] if text else type(err).__name__
