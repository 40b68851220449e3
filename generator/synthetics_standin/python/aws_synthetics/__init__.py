"""cw-scaffold's stand-in for the CloudWatch Synthetics Python library (syn-python-selenium),
for `cw-scaffold canary run` and the tests.

Only what the canary scripts call, with the signatures AWS documents in "Library
functions available for Python canary scripts using Selenium". Each step's outcome
is appended as a JSON line to the file named by CW_SCAFFOLD_SYNTHETICS_REPORT.
"""
