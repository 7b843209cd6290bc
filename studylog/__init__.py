"""studylog: a terminal study companion for learning PyTorch."""

__version__ = "0.1.0"
