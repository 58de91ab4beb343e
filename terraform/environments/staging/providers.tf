provider "aws" {
  region = local.region

  default_tags {
    tags = {
      Project     = "pathways"
      Environment = local.environment
      ManagedBy   = "opentofu"
    }
  }
}
