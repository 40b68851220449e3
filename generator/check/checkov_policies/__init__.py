"""cw-scaffold's own checkov policies, loaded by checkov through --external-checks-dir.

These files run inside checkov's interpreter (which may be another environment than
cw-scaffold's): they import checkov only, never `generator`.
"""
