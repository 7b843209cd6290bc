"""Cards from the calls a learner writes in the notes (`nn.Conv2d(3, 16, 3)`, `x.sum(1)`).

`binding` reads a call's syntax tree (what it calls, its arguments by parameter);
`family` says what a call family is; `plans` holds what the planners share; `layers` and
`tensor_ops` hold the families; `deriving` finds the calls in code with `ast` and turns
each into exercises, one per output.
"""
