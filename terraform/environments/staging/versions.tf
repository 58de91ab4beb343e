terraform {
  required_version = ">= 1.10.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }

  # Remote state, one object per environment. The bucket is created once by hand (README,
  # deployment step 2); use_lockfile locks with an S3 object (OpenTofu >= 1.10, no DynamoDB).
  backend "s3" {
    bucket       = "pathways-tfstate-staging"
    key          = "staging/terraform.tfstate"
    region       = "eu-west-1"
    encrypt      = true
    use_lockfile = true
  }
}
