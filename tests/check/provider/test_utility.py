"""utility.py: what the utility providers' resources plan and data sources answer: values
of the configured length and alphabet, the same for the same configuration, unknown when an
argument is."""

from __future__ import annotations

import base64
import gzip
import string

import msgpack

from generator.check.provider import utility


def test_random_values_have_the_configured_length_and_alphabet():
    password = utility.planned("random_password", {"length": 24, "special": False})
    assert len(password["result"]) == 24
    assert set(password["result"]) <= set(string.ascii_letters + string.digits)
    assert password["bcrypt_hash"] is utility.UNKNOWN  # known only after apply
    lower = utility.planned("random_string", {"length": 8, "upper": False, "numeric": False})
    assert len(lower["result"]) == 8 and lower["result"] == lower["id"]
    assert set(lower["result"]) <= set(string.ascii_lowercase + "!@#$%&*()-_=+[]{}<>:?")
    suffix = utility.planned("random_id", {"byte_length": 4, "prefix": "svc-"})
    assert suffix["hex"].startswith("svc-") and len(suffix["hex"]) == len("svc-") + 8
    pet = utility.planned("random_pet", {"length": 3, "separator": "_"})
    assert len(pet["id"].split("_")) == 3
    number = utility.planned("random_integer", {"min": 10, "max": 12})
    assert 10 <= number["result"] <= 12 and number["id"] == str(number["result"])


def test_the_same_configuration_plans_the_same_values_and_another_differs():
    config = {"length": 16}
    assert utility.planned("random_string", config) == utility.planned("random_string", config)
    other = utility.planned("random_string", {"length": 16, "keepers": {"v": "2"}})
    assert other["result"] != utility.planned("random_string", config)["result"]
    shuffled = utility.planned("random_shuffle", {"input": ["a", "b", "c"], "result_count": 2})
    assert len(shuffled["result"]) == 2 and set(shuffled["result"]) <= {"a", "b", "c"}


def test_an_unknown_argument_or_unexpected_shape_leaves_the_results_unknown():
    unknown = msgpack.ExtType(0, b"")  # how Terraform's msgpack says "known after apply"
    assert utility.is_unknown(unknown)
    assert utility.planned("random_id", {"byte_length": 4, "prefix": unknown}) == {}
    assert utility.planned("random_id", {"byte_length": "many"}) == {}
    assert utility.planned("random_id", {}) == {}  # byte_length missing
    assert utility.planned("aws_sns_topic", {"name": "t"}) == {}  # no hook: generic engine


def test_defaults_the_real_provider_fills_at_plan_are_known():
    key = utility.planned("tls_private_key", {"algorithm": "RSA"})
    assert (key["rsa_bits"], key["ecdsa_curve"]) == (2048, "P224")
    file = utility.planned("local_file", {"filename": "out.txt", "file_permission": "0644"})
    assert (file["file_permission"], file["directory_permission"]) == ("0644", "0777")


def test_cloudinit_renders_the_parts_gzipped_and_base64_encoded_by_default():
    part = {"content_type": "text/cloud-config", "content": "packages: [jq]"}
    rendered = utility.DATA_SOURCES["cloudinit_config"]({"part": [part]})["rendered"]
    document = gzip.decompress(base64.b64decode(rendered)).decode()
    assert 'boundary="MIMEBOUNDARY"' in document
    assert "packages: [jq]" in document
    plain = utility.DATA_SOURCES["cloudinit_config"](
        {"part": [part], "gzip": False, "base64_encode": False}
    )["rendered"]
    assert "packages: [jq]" in plain


def test_null_data_source_passes_its_inputs_through():
    answer = utility.DATA_SOURCES["null_data_source"]({"inputs": {"a": "b"}})
    assert answer["outputs"] == {"a": "b"}
