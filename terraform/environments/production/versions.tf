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

  # Remote state, one object per environment. The bucket is created once by hand (README,
  # deployment step 2); use_lockfile locks with an S3 object (OpenTofu >= 1.10, no DynamoDB).
  backend "s3" {
    bucket       = "pathways-tfstate-production"
    key          = "production/terraform.tfstate"
    region       = "eu-west-1"
    encrypt      = true
    use_lockfile = true
  }
}
