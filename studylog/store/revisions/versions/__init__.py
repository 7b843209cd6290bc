"""One frozen revision per shipped schema version; never edit one that has shipped."""
