# Staging only: small and cheap, yet still backed up. Mocked AWS provider.

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

run "small_but_backed_up" {
  command = plan

  assert {
    condition     = !module.postgres.posture.multi_az && module.postgres.posture.backup_retention_period >= 7
    error_message = "Staging RDS: one instance, at least 7 days of backups."
  }
  assert {
    condition     = module.redis.posture.num_cache_clusters == 1 && module.search.posture.zone_count == 1
    error_message = "Staging Redis and OpenSearch: one node each."
  }
  assert {
    condition     = length(module.network.private_subnet_ids) == 2 && length(module.network.nat_public_ips) == 1
    error_message = "Staging network: two zones, one NAT gateway."
  }
}
