"""Test double of the CloudWatch Synthetics Python library (syn-python-selenium).

Only what the canary scripts call, with the signatures AWS documents in "Library
functions available for Python canary scripts using Selenium". Each step's outcome
is appended as a JSON line to the file named by SYNTHETICS_DOUBLE_REPORT.
"""
