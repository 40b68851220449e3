"""cw-scaffold's own checkov policies, loaded by checkov through --external-checks-dir.

They check only what no rule of `cw-scaffold check` does (docs/rules.md, "One id per
concern"): CKV_CWS_3 (a canary deletes its Lambda) and CKV2_CWS_1 (a canary is started).
CKV_CWS_1 (lifecycle rule filters) and CKV_CWS_2 (VPC lookups) were dropped: F6 and F5 own
those concerns. Their ids are not reused.

These files run inside checkov's interpreter (which may be another environment than
cw-scaffold's): they import checkov only, never `generator`.
"""
