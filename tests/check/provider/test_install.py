"""install.py: the CLI configuration points Terraform at the stand-ins and nothing else."""

from __future__ import annotations

from generator.check.provider import install


def test_cli_config_overrides_both_providers_and_nothing_else(tmp_path):
    config = install.write_cli_config(tmp_path / "cli", tmp_path / "module")
    text = config.read_text()
    assert '"hashicorp/aws"' in text and '"hashicorp/archive"' in text
    assert "direct" not in text  # other providers never reach the network
    launcher = tmp_path / "cli" / "bin" / "terraform-provider-aws"
    assert launcher.stat().st_mode & 0o111
    assert "-m generator.check.provider aws" in launcher.read_text()
