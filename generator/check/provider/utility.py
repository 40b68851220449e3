"""Value hooks for the utility providers (random, time, tls, local, external, http, cloudinit,
null): what their resources plan and their data sources answer, where realism matters.

Everything else comes from the generic engine (components.py): computed attributes of a
resource planned as unknown, of a data source as typed placeholders. docs/stand-in-providers.md
says, provider by provider, what the stand-ins do and never do. Nothing here runs a program,
reads a URL or writes a file: the data sources that would (`external`, `http`, ...) are
planned as unknown, "known after apply" (deferred.py).

- PLANS: resource type -> the computed attributes its plan knows. Defaults the real
  provider fills in at plan time (random_password's `special = true`) are known here too,
  and so are results (random_id's `hex`): deterministic, derived from the configuration,
  of the length and alphabet configured, so that a name built from them has its real
  length when the rules check AWS name limits. The real provider knows those only after
  apply.
- DATA_SOURCES: data source type -> the computed attributes it answers.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import string
import uuid
from collections.abc import Callable
from typing import Any

import msgpack
from pyvider.cty import CtyValue

UNKNOWN = object()  # a value known only after apply; the engine makes it a cty unknown

Values = dict[str, Any]
_SPECIAL = "!@#$%&*()-_=+[]{}<>:?"  # the random provider's default special characters
_PET_WORDS = ("brave", "calm", "eager", "gentle", "lively", "proud", "quiet", "witty")
_PET_NAMES = ("otter", "heron", "lynx", "marten", "ibex", "wren", "badger", "falcon")


def _seed(config: Values, salt: str = "") -> bytes:
    """Bytes derived from the configuration: the same module always plans the same values."""
    text = json.dumps(config, sort_keys=True, default=str) + salt
    return hashlib.sha256(text.encode()).digest()


def _stream(config: Values, size: int) -> bytes:
    out = b""
    counter = 0
    while len(out) < size:
        out += _seed(config, str(counter))
        counter += 1
    return out[:size]


def _flag(config: Values, name: str, default: Any) -> Any:
    return default if config.get(name) is None else config[name]


def random_id(config: Values) -> Values:
    data = _stream(config, int(config["byte_length"]))
    prefix = config.get("prefix") or ""
    url = base64.urlsafe_b64encode(data).decode().rstrip("=")
    return {
        "id": url,
        "b64_url": prefix + url,
        "b64_std": prefix + base64.b64encode(data).decode(),
        "hex": prefix + data.hex(),
        "dec": prefix + str(int.from_bytes(data, "big")),
    }


def random_bytes(config: Values) -> Values:
    data = _stream(config, int(config["length"]))
    return {"base64": base64.b64encode(data).decode(), "hex": data.hex()}


def _string_flags(config: Values) -> Values:
    numeric = _flag(config, "numeric", _flag(config, "number", True))
    flags = {name: _flag(config, name, True) for name in ("lower", "upper", "special")}
    flags |= {"numeric": numeric, "number": numeric}
    flags |= {f"min_{k}": _flag(config, f"min_{k}", 0) for k in ("lower", "upper", "numeric")}
    return flags | {"min_special": _flag(config, "min_special", 0)}


def _random_text(config: Values, flags: Values) -> str:
    alphabet = ""
    alphabet += string.ascii_lowercase if flags["lower"] else ""
    alphabet += string.ascii_uppercase if flags["upper"] else ""
    alphabet += string.digits if flags["numeric"] else ""
    alphabet += (config.get("override_special") or _SPECIAL) if flags["special"] else ""
    alphabet = alphabet or string.ascii_lowercase
    length = int(config["length"])
    return "".join(alphabet[b % len(alphabet)] for b in _stream(config, length))


def random_string(config: Values) -> Values:
    flags = _string_flags(config)
    result = _random_text(config, flags)
    return {**flags, "result": result, "id": result}


def random_password(config: Values) -> Values:
    flags = _string_flags(config)
    return {**flags, "result": _random_text(config, flags), "id": "none", "bcrypt_hash": UNKNOWN}


def random_pet(config: Values) -> Values:
    length = int(_flag(config, "length", 2))
    separator = _flag(config, "separator", "-")
    seed = _stream(config, length)
    words = [_PET_WORDS[b % len(_PET_WORDS)] for b in seed[:-1]] + [
        _PET_NAMES[seed[-1] % len(_PET_NAMES)]
    ]
    prefix = [config["prefix"]] if config.get("prefix") else []
    return {"length": length, "separator": separator, "id": separator.join(prefix + words)}


def random_uuid(config: Values) -> Values:
    result = str(uuid.UUID(bytes=_stream(config, 16), version=4))
    return {"id": result, "result": result}


def random_integer(config: Values) -> Values:
    low, high = int(config["min"]), int(config["max"])
    result = low + int.from_bytes(_seed(config), "big") % max(high - low + 1, 1)
    return {"id": str(result), "result": result}


def random_shuffle(config: Values) -> Values:
    items = list(config.get("input") or [])
    keys = _stream(config, len(items))
    shuffled = [item for _, item in sorted(zip(keys, items, strict=True))]
    count = config.get("result_count")
    return {"id": "-", "result": shuffled[:count] if count is not None else shuffled}


def tls_private_key(config: Values) -> Values:
    # The keys themselves are known only after apply, as in a real plan.
    return {
        "rsa_bits": _flag(config, "rsa_bits", 2048),
        "ecdsa_curve": _flag(config, "ecdsa_curve", "P224"),
    }


def local_file(config: Values) -> Values:
    return {
        "file_permission": _flag(config, "file_permission", "0777"),
        "directory_permission": _flag(config, "directory_permission", "0777"),
    }


def _cloudinit_rendered(config: Values) -> Values:
    """A multipart MIME document of the parts, gzipped and base64-encoded when asked (the
    provider's defaults), built in memory."""
    boundary = _flag(config, "boundary", "MIMEBOUNDARY")
    lines = ["Content-Type: multipart/mixed; boundary=" + json.dumps(boundary), "MIME-Version: 1.0"]
    for part in config.get("part") or []:
        lines += [
            "",
            f"--{boundary}",
            f"Content-Type: {part.get('content_type') or 'text/plain'}",
            "",
            str(part.get("content") or ""),
        ]
    lines += ["", f"--{boundary}--", ""]
    data = "\r\n".join(lines).encode()
    use_gzip, encode = _flag(config, "gzip", True), _flag(config, "base64_encode", True)
    if use_gzip:
        data = gzip.compress(data, mtime=0)
    rendered = base64.b64encode(data).decode() if encode else data.decode("latin-1")
    return {
        "boundary": boundary,
        "gzip": use_gzip,
        "base64_encode": encode,
        "rendered": rendered,
        "id": str(int.from_bytes(_seed(config)[:4], "big")),
    }


def planned(type_name: str, config: Values) -> Values:
    """The computed values a resource's plan knows: none unless a hook says, and none when
    an argument is itself unknown (the real provider cannot know the result either)."""
    hook = PLANS.get(type_name)
    if hook is None or any(is_unknown(v) for v in config.values()):
        return {}
    try:
        return hook(config)
    except (KeyError, TypeError, ValueError):  # an argument of an unexpected shape
        return {}


def is_unknown(value: Any) -> bool:
    """Whether a configuration value is unknown, as msgpack (fastpath) or cty (pyvider)."""
    return isinstance(value, msgpack.ExtType | CtyValue)


PLANS: dict[str, Callable[[Values], Values]] = {
    "random_id": random_id,
    "random_bytes": random_bytes,
    "random_string": random_string,
    "random_password": random_password,
    "random_pet": random_pet,
    "random_uuid": random_uuid,
    "random_uuid4": random_uuid,
    "random_integer": random_integer,
    "random_shuffle": random_shuffle,
    "tls_private_key": tls_private_key,
    "local_file": local_file,
    "local_sensitive_file": local_file,
    "cloudinit_config": _cloudinit_rendered,
}

# `external`, `http`, `local_command`, `local_file`, `tls_certificate` and `tls_public_key`
# are never read at plan: deferred.py makes Terraform plan them as unknown.
DATA_SOURCES: dict[str, Callable[[Values], Values]] = {
    "cloudinit_config": _cloudinit_rendered,
    "null_data_source": lambda config: {
        "outputs": config.get("inputs") or {},
        "random": str(int.from_bytes(_seed(config)[:4], "big")),
        "id": "static",
    },
}
