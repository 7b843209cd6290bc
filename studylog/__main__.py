"""`python -m studylog` is the same as the `studylog` command."""

from studylog.cli import main

main()
