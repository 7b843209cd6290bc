"""One module per screen: today, journal, editor, quiz, tasks, stats, and the demo offer."""
