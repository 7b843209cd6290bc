"""Cards from the calls a learner writes in the notes (`nn.Conv2d(3, 16, 3)`, `x.sum(1)`).

`spotting` finds calls in code spans and code blocks with `ast`; `family` says what a call
family is; `layers` and `tensor_ops` hold the families; `cards` turns a spotted call into
exercises, one per output.
"""
