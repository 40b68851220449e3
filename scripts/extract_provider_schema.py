"""Extract Terraform provider schemas from the cdktn provider wheels on PyPI.

`cw-scaffold check` runs real Terraform against a stand-in provider, which needs the real
provider's schema. The registry is out of reach offline, but the cdktn ("CDK Terrain")
provider packages on PyPI are generated from that schema: each resource, data source and
the provider itself is a TypeScript module, shipped inside the wheel's jsii tarball as
`package/lib/<name>/index.js` with the TypeScript embedded as a source map. This script
reads those modules and keeps only the facts Terraform needs (names, types, flags, block
nesting), never descriptions, in the compact format generator/check/provider/ serves:

    {"provider": BLOCK, "resources": {type: BLOCK}, "data_sources": {type: BLOCK}}
    BLOCK = {"attributes": {name: {"type": TYPE, "required"|"optional"|"computed": true}},
             "blocks": {name: {"nesting": "list"|"set"|"single", "min_items": n,
                               "max_items": n, "block": BLOCK}}}
    TYPE  = "string" | "number" | "bool" | "dynamic"
          | ["list"|"set"|"map", TYPE] | ["object", {name: TYPE}]

What the TypeScript says about each field, and where:
- `// name - computed: c, optional: o, required: r` above each getter: the flags.
- `synthesizeHclAttributes()` / `fooToHclTerraform()`: per configurable field, whether it is
  a block, its collection kind (simple/list/set/map/struct) and a storage class naming the
  element type (`stringList`, `stringMap`, `FooBarList`, ...).
- The getter body (`getStringAttribute`, `new FooList(this, "foo", true)`, ...): the type of
  computed-only fields, which have no HCL entry.
Known losses: the provider's own validators, `sensitive`, descriptions, and the difference
between a framework nested attribute and a block (cdktn renders both as blocks).

Maintainer tool, run by hand when the pinned packages change; tests never run it:

    python scripts/extract_provider_schema.py [--out generator/check/schemas]
"""

from __future__ import annotations

import argparse
import base64
import gzip
import io
import json
import re
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SchemaType = str | list[Any]
Block = dict[str, Any]

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "generator" / "check" / "schemas"


@dataclass(frozen=True)
class ProviderSource:
    """A Terraform provider and the PyPI package its schema is read from."""

    name: str  # the provider's local name: "aws" for hashicorp/aws
    package: str
    package_version: str

    @property
    def address(self) -> str:
        """The registry address modules require it by (all of these are HashiCorp's)."""
        return f"hashicorp/{self.name}"


PROVIDERS = (
    ProviderSource("aws", "cdktn-provider-aws", "25.8.1"),
    ProviderSource("archive", "cdktn-provider-archive", "14.0.1"),
    # Utility providers that modules combine with aws (docs/stand-in-providers.md).
    ProviderSource("random", "cdktn-provider-random", "15.0.1"),
    ProviderSource("time", "cdktn-provider-time", "14.0.2"),
    ProviderSource("null", "cdktn-provider-null", "15.0.2"),
    ProviderSource("tls", "cdktn-provider-tls", "14.1.1"),
    ProviderSource("local", "cdktn-provider-local", "14.0.1"),
    ProviderSource("external", "cdktn-provider-external", "14.0.2"),
    ProviderSource("http", "cdktn-provider-http", "13.0.2"),
    ProviderSource("cloudinit", "cdktn-provider-cloudinit", "14.0.1"),
    ProviderSource("awscc", "cdktn-provider-awscc", "1.8.0"),
)

# Provider-block fields that are Terraform meta-arguments, not provider configuration.
META_ARGUMENTS = frozenset({"alias"})

FLAGS_RE = re.compile(
    r"// (?P<name>\w+) - computed: (?P<computed>true|false), "
    r"optional: (?P<optional>true|false), required: (?P<required>true|false)\n"
    r"(?P<code>(?:.*\n){0,3})"
)
HCL_FIELD_RE = re.compile(
    r"\n\s+(?P<name>\w+): \{\n\s+value: [^\n]*\n\s+isBlock: (?P<is_block>true|false),\n"
    r'\s+type: "(?P<kind>\w+)",\n\s+storageClassType: "(?P<storage>\w+)"'
)
COMPLEX_RE = re.compile(r'new (?P<cls>[\w.]+)\(this, "\w+"(?:, (?P<is_set>true|false))?\)')
GETTER_RE = re.compile(
    r"(?P<tolist>cdkt[nf]\.Fn\.tolist\()?this\.(?P<getter>get\w*Attribute|interpolationForAttribute)\("
)
STORAGE_RE = re.compile(r"(?P<scalar>string|number|boolean|any)(?P<wrappers>(?:List|Map)*)")
SCALARS = {"string": "string", "number": "number", "boolean": "bool", "any": "dynamic"}
GETTER_TYPES: dict[str, SchemaType] = {
    "getStringAttribute": "string",
    "getNumberAttribute": "number",
    "getBooleanAttribute": "bool",
    "getStringMapAttribute": ["map", "string"],
    "getNumberMapAttribute": ["map", "number"],
    "getBooleanMapAttribute": ["map", "bool"],
    "getListAttribute": ["list", "string"],
    "getNumberListAttribute": ["list", "number"],
    "interpolationForAttribute": "dynamic",
}
CDKTN_MAPS: dict[str, SchemaType] = {
    "cdktn.StringMap": ["map", "string"],
    "cdktn.NumberMap": ["map", "number"],
    "cdktn.BooleanMap": ["map", "bool"],
}


@dataclass(frozen=True)
class HclField:
    """How cdktn renders one configurable field in HCL."""

    is_block: bool
    kind: str  # simple | list | set | map | struct
    storage: str  # element type: stringList, stringMap, FooBarList, ...


def storage_type(storage: str, kind: str) -> SchemaType:
    """The Terraform type of a non-block field from its HCL storage class.

    Suffixes wrap the scalar from the inside out: `stringMapList` is a list of maps of
    strings. The outermost List is a set when the HCL kind says so.
    """
    match = STORAGE_RE.fullmatch(storage)
    if match is None:
        return "dynamic"
    result: SchemaType = SCALARS[match["scalar"]]
    wrappers = re.findall("List|Map", match["wrappers"])
    for position, wrapper in enumerate(wrappers, start=1):
        if wrapper == "Map":
            result = ["map", result]
        else:
            outermost_set = position == len(wrappers) and kind == "set"
            result = ["set" if outermost_set else "list", result]
    return result


def typescript_of(module_js: str) -> str:
    """The TypeScript source embedded as a base64 source map at the end of a module."""
    match = re.search(r"sourceMappingURL=data:application/json;base64,(\S+)", module_js)
    if match is None:
        raise ValueError("module has no embedded source map")
    return str(json.loads(base64.b64decode(match[1]))["sourcesContent"][0])


class TypeScriptModule:
    """One generated cdktn module: a resource, a data source or the provider."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.chunks: dict[str, str] = {}  # "class Foo" / "function fooToHclTerraform" -> text
        for chunk in re.split(r"\n(?=export )", source):
            header = re.match(r"export (class|interface|function) (\w+)", chunk)
            if header:
                self.chunks[f"{header[1]} {header[2]}"] = chunk
        self.hcl: dict[str, dict[str, HclField]] = {}  # struct or class name -> fields
        for key, text in self.chunks.items():
            kind, name = key.split(" ")
            if kind == "function" and name.endswith("ToHclTerraform"):
                struct = name[0].upper() + name[1 : -len("ToHclTerraform")]
                self.hcl[struct] = self._hcl_fields(text)
            elif kind == "class" and "synthesizeHclAttributes" in text:
                self.hcl[name] = self._hcl_fields(text)

    @staticmethod
    def _hcl_fields(text: str) -> dict[str, HclField]:
        return {
            m["name"]: HclField(m["is_block"] == "true", m["kind"], m["storage"])
            for m in HCL_FIELD_RE.finditer(text)
        }

    def top_level(self) -> tuple[str, str, str] | None:
        """(base class, Terraform type name, class name) of the module's main class."""
        match = re.search(
            r"export class (\w+) extends cdkt[nf]\."
            r"(TerraformResource|TerraformDataSource|TerraformProvider)\b",
            self.source,
        )
        if match is None:
            return None
        type_name = re.search(r'tfResourceType = "(\w+)"', self.chunks[f"class {match[1]}"])
        return match[2], type_name[1] if type_name else "", match[1]

    def provider_version(self) -> str | None:
        match = re.search(r"providerVersion: '([^']+)'", self.source)
        return match[1] if match else None

    def block(self, cls: str, hcl_key: str | None) -> Block:
        """The schema block of a class, reading flags from its getters' comments.

        `hcl_key` names the HCL rendering of the same fields; it is None for computed
        objects, which are never rendered, so all their complex fields are attributes.
        """
        hcl = self.hcl.get(hcl_key, {}) if hcl_key else {}
        attributes: dict[str, Any] = {}
        blocks: dict[str, Any] = {}
        for field in FLAGS_RE.finditer(self.chunks.get(f"class {cls}", "")):
            name, code, hcl_field = field["name"], field["code"], hcl.get(field["name"])
            complex_match = COMPLEX_RE.search(code)
            if hcl_field is not None and hcl_field.is_block and hcl_field.kind != "map":
                blocks[name] = self._nested_block(hcl_field, complex_match, field["required"])
                continue
            if complex_match and complex_match["cls"] in CDKTN_MAPS:
                field_type = CDKTN_MAPS[complex_match["cls"]]
            elif complex_match:
                field_type = self._object_attribute_type(complex_match)
            elif hcl_field is not None:
                field_type = storage_type(hcl_field.storage, hcl_field.kind)
            else:
                field_type = self._getter_type(code)
            attributes[name] = {"type": field_type, **flags(field)}
        return {"attributes": attributes, "blocks": blocks}

    def _nested_block(
        self, hcl_field: HclField, complex_match: re.Match[str] | None, required: str
    ) -> dict[str, Any]:
        """A nested block: its nesting mode from HCL, its content from the element class."""
        struct = re.sub(r"List$", "", hcl_field.storage)
        nesting = {"set": "set", "struct": "single"}.get(hcl_field.kind, "list")
        element_class = f"{struct}OutputReference"
        if f"class {element_class}" in self.chunks:
            content = self.block(element_class, struct)
        else:  # provider configuration structs have no classes, only HCL
            content = self.struct_block(struct)
        nested: dict[str, Any] = {"nesting": nesting, "block": content}
        # A list block held as a single OutputReference is a list with at most one item.
        holds_one = complex_match is not None and complex_match["cls"].endswith("OutputReference")
        if nesting == "list" and holds_one:
            nested["max_items"] = 1
        if required == "true" and nesting != "single":
            nested["min_items"] = 1
        return nested

    def _object_attribute_type(self, complex_match: re.Match[str]) -> SchemaType:
        """Type of a computed object (or list/set/map of objects) held in a complex class."""
        cls = complex_match["cls"]
        for suffix in ("OutputReference", "List", "Map"):
            if cls.endswith(suffix):
                base = cls[: -len(suffix)]
                break
        else:
            return "dynamic"
        element = self.block(f"{base}OutputReference", None)
        object_type: SchemaType = [
            "object",
            {name: spec["type"] for name, spec in element["attributes"].items()},
        ]
        if suffix == "OutputReference":
            return object_type
        if suffix == "Map":
            return ["map", object_type]
        return ["set" if complex_match["is_set"] == "true" else "list", object_type]

    @staticmethod
    def _getter_type(code: str) -> SchemaType:
        """Type of a computed-only field from its getter; write-only fields have none."""
        getter = GETTER_RE.search(code)
        if getter is None:
            return "string"
        field_type = GETTER_TYPES[getter["getter"]]
        if getter["tolist"] and isinstance(field_type, list):
            return ["set", field_type[1]]
        return field_type

    def struct_block(self, struct: str) -> Block:
        """A block known only from its HCL rendering: every attribute optional."""
        attributes: dict[str, Any] = {}
        blocks: dict[str, Any] = {}
        for name, hcl_field in self.hcl.get(struct, {}).items():
            if name in META_ARGUMENTS:
                continue
            if hcl_field.is_block:
                blocks[name] = self._nested_block(hcl_field, None, "false")
            else:
                field_type = storage_type(hcl_field.storage, hcl_field.kind)
                attributes[name] = {"type": field_type, "optional": True}
        return {"attributes": attributes, "blocks": blocks}


def flags(field: re.Match[str]) -> dict[str, bool]:
    """Terraform's flags: required excludes the others; optional and computed combine."""
    if field["required"] == "true":
        return {"required": True}
    return {flag: True for flag in ("optional", "computed") if field[flag] == "true"}


def modules_in_wheel(wheel: Path) -> Iterator[str]:
    """The TypeScript of every `lib/<name>/index.js` in the wheel's jsii tarball."""
    with zipfile.ZipFile(wheel) as wheel_zip:
        tarball_name = next(n for n in wheel_zip.namelist() if n.endswith(".jsii.tgz"))
        tarball_bytes = wheel_zip.read(tarball_name)
    with tarfile.open(fileobj=io.BytesIO(tarball_bytes), mode="r:gz") as tarball:
        for member in sorted(tarball.getmembers(), key=lambda m: m.name):
            if re.fullmatch(r"package/lib/[^/]+/index\.js", member.name):
                handle = tarball.extractfile(member)
                if handle is not None:
                    yield typescript_of(handle.read().decode("utf-8"))


def extract(wheel: Path) -> tuple[dict[str, Any], str]:
    """The schema of the provider packaged in `wheel`, and the provider's version."""
    schema: dict[str, Any] = {"provider": None, "resources": {}, "data_sources": {}}
    version = None
    for source in modules_in_wheel(wheel):
        module = TypeScriptModule(source)
        top = module.top_level()
        if top is None:
            continue
        base, type_name, cls = top
        version = version or module.provider_version()
        if base == "TerraformProvider":
            provider = module.block(cls, cls)
            for name in META_ARGUMENTS:
                provider["attributes"].pop(name, None)
            schema["provider"] = provider
        elif base == "TerraformResource":
            schema["resources"][type_name] = module.block(cls, cls)
        else:
            schema["data_sources"][type_name] = module.block(cls, cls)
    if version is None:
        raise ValueError(f"{wheel.name}: no providerVersion found")
    return schema, version


def download_wheel(source: ProviderSource, into: Path) -> Path:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--only-binary=:all:",
            "--dest",
            str(into),
            f"{source.package}=={source.package_version}",
        ],
        check=True,
    )
    return next(into.glob(f"{source.package.replace('-', '_')}-{source.package_version}-*.whl"))


def write_gzipped_json(path: Path, data: object) -> None:
    """Compact, key-sorted JSON, gzipped without a timestamp so reruns are byte-identical."""
    text = json.dumps(data, separators=(",", ":"), sort_keys=True)
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as zipped:
        zipped.write(text.encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="schema directory")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    versions: dict[str, dict[str, str]] = {}
    with tempfile.TemporaryDirectory(prefix="cdktn-wheels-") as tmp:
        for source in PROVIDERS:
            started = time.monotonic()
            schema, version = extract(download_wheel(source, Path(tmp)))
            write_gzipped_json(args.out / f"{source.name}.json.gz", schema)
            versions[source.name] = {
                "address": source.address,
                "version": version,
                "source_package": source.package,
                "source_version": source.package_version,
            }
            print(
                f"{source.name} {version}: {len(schema['resources'])} resources, "
                f"{len(schema['data_sources'])} data sources "
                f"({time.monotonic() - started:.1f} s)",
                file=sys.stderr,
            )
    (args.out / "VERSIONS.json").write_text(json.dumps(versions, indent=2, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
