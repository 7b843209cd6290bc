"""The Textual terminal UI. It talks to the services in `studylog.services` through an
`AppContext`, never to SQL, and never imports torch (checks run in the sandbox process).

`run_app` is what `studylog` with no command calls; `StudylogApp` is the app itself.
"""
