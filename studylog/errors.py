"""Errors the app reports to the learner as one line, never as a traceback."""


class StudylogError(Exception):
    """Something the learner can fix; the message names the file or value and the problem."""
