# Production only: resilience (Multi-AZ, deletion protection, backups). Mocked AWS provider.

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

run "resilient" {
  command = plan

  assert {
    condition     = module.postgres.posture.multi_az && module.postgres.posture.deletion_protection && module.postgres.posture.backup_retention_period >= 30
    error_message = "Production RDS: Multi-AZ, deletion protection, at least 30 days of backups."
  }
  assert {
    condition     = module.redis.posture.multi_az_enabled && module.redis.posture.automatic_failover_enabled && module.redis.posture.num_cache_clusters >= 3 && module.redis.posture.snapshot_retention_limit >= 7
    error_message = "Production Redis: replicas in several zones with automatic failover, a week of snapshots."
  }
  assert {
    condition     = module.search.posture.zone_count == 3
    error_message = "Production OpenSearch: spread over three zones."
  }
  assert {
    condition     = length(module.network.private_subnet_ids) == 3 && length(module.network.nat_public_ips) == 3
    error_message = "Production network: three zones, one NAT gateway each."
  }
}
