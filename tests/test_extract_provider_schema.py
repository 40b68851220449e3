"""scripts/extract_provider_schema.py: the cdktn provider package's TypeScript becomes the
compact schema the stand-in serves."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def extractor() -> Any:
    spec = importlib.util.spec_from_file_location(
        "extract_provider_schema", REPO / "scripts" / "extract_provider_schema.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while executing
    spec.loader.exec_module(module)
    return module


def test_storage_classes_map_to_terraform_types(extractor):
    assert extractor.storage_type("string", "simple") == "string"
    assert extractor.storage_type("stringList", "set") == ["set", "string"]
    assert extractor.storage_type("stringMapList", "list") == [
        "list",
        ["map", "string"],
    ]
    assert extractor.storage_type("numberListMap", "map") == ["map", ["list", "number"]]


TYPESCRIPT = """
export interface ThingRule {
}
export function thingRuleToHclTerraform(struct?: ThingRule): any {
  const attrs = {
    prefix: {
      value: cdktn.stringToHclTerraform(struct!.prefix),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
  };
}
export class ThingRuleOutputReference extends cdktn.ComplexObject {
  // prefix - computed: false, optional: false, required: true
  private _prefix?: string;
  public get prefix() {
    return this.getStringAttribute('prefix');
  }
}
export class Thing extends cdktn.TerraformResource {
  public static readonly tfResourceType = "aws_thing";
  // arn - computed: true, optional: false, required: false
  public get arn() {
    return this.getStringAttribute('arn');
  }
  // names - computed: false, optional: true, required: false
  private _names?: string[];
  public get names() {
    return cdktn.Fn.tolist(this.getListAttribute('names'));
  }
  // rule - computed: false, optional: false, required: true
  private _rule = new ThingRuleOutputReference(this, "rule");
  public get rule() {
    return this._rule;
  }
  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      names: {
        value: cdktn.listMapperHcl(cdktn.stringToHclTerraform, false)(this._names),
        isBlock: false,
        type: "set",
        storageClassType: "stringList",
      },
      rule: {
        value: thingRuleToHclTerraform(this._rule.internalValue),
        isBlock: true,
        type: "list",
        storageClassType: "ThingRuleList",
      },
    };
  }
}
"""


def test_a_typescript_resource_becomes_a_schema_block(extractor):
    module = extractor.TypeScriptModule(TYPESCRIPT)
    assert module.top_level() == ("TerraformResource", "aws_thing", "Thing")
    assert module.block("Thing", "Thing") == {
        "attributes": {
            "arn": {"type": "string", "computed": True},
            "names": {"type": ["set", "string"], "optional": True},
        },
        "blocks": {
            "rule": {
                "nesting": "list",
                "max_items": 1,
                "min_items": 1,
                "block": {
                    "attributes": {"prefix": {"type": "string", "required": True}},
                    "blocks": {},
                },
            }
        },
    }
