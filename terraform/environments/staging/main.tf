# Pathways staging. production/main.tf calls the same modules with the same arguments; only sizes,
# counts and names differ (tests/deploy/deploycheck.py `terraform` enforces it with an allowlist).

locals {
  environment = "staging"
  name        = "pathways-staging"
  region      = "eu-west-1"
}

module "network" {
  source = "../../modules/network"

  name               = local.name
  vpc_cidr           = "10.20.0.0/16"
  az_count           = 2
  single_nat_gateway = true
}

module "postgres" {
  source = "../../modules/postgres"

  name                       = local.name
  vpc_id                     = module.network.vpc_id
  subnet_ids                 = module.network.private_subnet_ids
  allowed_security_group_ids = [module.network.node_security_group_id]
  engine_version             = "15"
  instance_class             = "db.t4g.medium"
  allocated_storage          = 20
  max_allocated_storage      = 100
  multi_az                   = false
  backup_retention_days      = 7
  deletion_protection        = false
}

module "redis" {
  source = "../../modules/redis"

  name                       = local.name
  vpc_id                     = module.network.vpc_id
  subnet_ids                 = module.network.private_subnet_ids
  allowed_security_group_ids = [module.network.node_security_group_id]
  node_type                  = "cache.t4g.small"
  replica_count              = 0
  snapshot_retention_days    = 1
}

module "search" {
  source = "../../modules/search"

  name                       = local.name
  vpc_id                     = module.network.vpc_id
  subnet_ids                 = module.network.private_subnet_ids
  allowed_security_group_ids = [module.network.node_security_group_id]
  instance_type              = "t3.small.search"
  instance_count             = 1
  volume_size_gb             = 20
}

module "storage" {
  source = "../../modules/storage"

  name_prefix                       = local.name
  noncurrent_version_retention_days = 7
  report_retention_days             = 30
}

module "secrets" {
  source = "../../modules/secrets"

  name                 = "pathways/${local.environment}/app"
  database_host        = module.postgres.address
  database_port        = module.postgres.port
  database_name        = module.postgres.database_name
  redis_url            = module.redis.url
  smtp_password        = var.smtp_password
  recovery_window_days = 7
}
