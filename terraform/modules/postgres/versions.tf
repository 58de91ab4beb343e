terraform {
  required_version = ">= 1.10.0"

  required_providers {
    # The full registry address: OpenTofu's default host is its own registry, and the checks in
    # bin/lib/deploy_checks.sh install this provider from a filesystem mirror of registry.terraform.io.
    aws = {
      source  = "registry.terraform.io/hashicorp/aws"
      version = "~> 5.100"
    }
  }
}
