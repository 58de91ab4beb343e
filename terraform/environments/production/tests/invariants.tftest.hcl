# Identical in environments/staging and environments/production (deploycheck.py enforces it): what
# must hold in every environment. The environment's own file asserts its sizes and resilience.
# Plans against a mocked AWS provider: no credentials, no network, no state.

mock_provider "aws" {
  mock_resource "aws_db_instance" {
    defaults = { port = 5432, address = "pathways.abcdefghijkl.eu-west-1.rds.amazonaws.com" }
  }
  mock_data "aws_secretsmanager_random_password" {
    defaults = { random_password = "GeneratedByAwsSecretsManager0123456789abcdefghijklmnopqrstuvwxyz" }
  }
  mock_resource "aws_vpc" {
    defaults = { id = "vpc-0123456789abcdef0" }
  }
  mock_resource "aws_subnet" {
    defaults = { id = "subnet-0123456789abcdef0" }
  }
  mock_resource "aws_security_group" {
    defaults = { id = "sg-0123456789abcdef0" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  mock_data "aws_availability_zones" {
    defaults = { names = ["eu-west-1a", "eu-west-1b", "eu-west-1c"] }
  }
  mock_data "aws_vpc_endpoint_service" {
    defaults = { service_name = "com.amazonaws.eu-west-1.s3" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
}

run "every_environment" {
  command = plan

  assert {
    condition     = module.postgres.posture.storage_encrypted && !module.postgres.posture.publicly_accessible && module.postgres.posture.force_ssl == "1"
    error_message = "RDS: encrypted at rest, not public, TLS enforced."
  }
  assert {
    condition     = module.redis.posture.at_rest_encryption_enabled == "true" && module.redis.posture.transit_encryption_enabled
    error_message = "ElastiCache: encrypted at rest and in transit."
  }
  assert {
    condition     = module.search.posture.encrypt_at_rest && module.search.posture.node_to_node_encryption && module.search.posture.enforce_https && module.search.posture.in_vpc && module.search.posture.tls_security_policy == "Policy-Min-TLS-1-2-2019-07"
    error_message = "OpenSearch: encrypted, HTTPS only (TLS 1.2+), inside the VPC."
  }
  assert {
    condition = alltrue([for b in values(module.storage.posture) :
    b.public_access_blocked && b.acls_disabled && contains(["AES256", "aws:kms"], b.sse_algorithm) && b.versioning == "Enabled" && b.tls_only])
    error_message = "S3: public access blocked, ACLs disabled, encrypted, versioned, TLS-only policy."
  }
  assert {
    condition     = length(module.storage.posture) == 2
    error_message = "S3: the resumes and reports buckets."
  }

  assert {
    condition = alltrue([for s in [
      { posture = module.postgres.posture, port = 5432 },
      { posture = module.redis.posture, port = 6379 },
      { posture = module.search.posture, port = 443 },
      ] : length(s.posture.ingress_cidrs) == 0 && toset(s.posture.ingress_ports) == toset([s.port]) &&
    toset(s.posture.ingress_security_groups) == toset([module.network.node_security_group_id])])
    error_message = "PostgreSQL, Redis and OpenSearch admit the node security group on their own port only, no CIDR."
  }

  assert {
    condition     = module.postgres.posture.engine_version == "15" && module.postgres.posture.skip_final_snapshot == false
    error_message = "PostgreSQL 15 in every environment, with a final snapshot on deletion."
  }
}
