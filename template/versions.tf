terraform {
  # 1.11: S3 native state locking (use_lockfile); 1.9: validations that refer to other variables.
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 6.x: data.aws_region exposes `region`; canary names may be up to 255 characters.
      version = "~> 6.0"
    }
    archive = {
      source  = "hashicorp/archive"
      version = "~> 2.4"
    }
    # time_sleep: canaries wait for their role policy to propagate (canaries.tf).
    time = {
      source  = "hashicorp/time"
      version = "~> 0.9"
    }
  }
}
