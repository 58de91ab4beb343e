# Pathways production. staging/main.tf calls the same modules with the same arguments; only sizes,
# counts and names differ (tests/deploy/deploycheck.py `terraform` enforces it with an allowlist).

locals {
  environment = "production"
  name        = "pathways-production"
  region      = "eu-west-1"
}

module "network" {
  source = "../../modules/network"

  name               = local.name
  vpc_cidr           = "10.30.0.0/16"
  az_count           = 3
  single_nat_gateway = false
}

module "postgres" {
  source = "../../modules/postgres"

  name                       = local.name
  vpc_id                     = module.network.vpc_id
  subnet_ids                 = module.network.private_subnet_ids
  allowed_security_group_ids = [module.network.node_security_group_id]
  engine_version             = "15"
  instance_class             = "db.m7g.large"
  allocated_storage          = 100
  max_allocated_storage      = 1000
  multi_az                   = true
  backup_retention_days      = 30
  deletion_protection        = true
}

module "redis" {
  source = "../../modules/redis"

  name                       = local.name
  vpc_id                     = module.network.vpc_id
  subnet_ids                 = module.network.private_subnet_ids
  allowed_security_group_ids = [module.network.node_security_group_id]
  node_type                  = "cache.m7g.large"
  replica_count              = 2
  snapshot_retention_days    = 7
}

module "search" {
  source = "../../modules/search"

  name                       = local.name
  vpc_id                     = module.network.vpc_id
  subnet_ids                 = module.network.private_subnet_ids
  allowed_security_group_ids = [module.network.node_security_group_id]
  instance_type              = "r7g.large.search"
  instance_count             = 3
  volume_size_gb             = 100
}

module "storage" {
  source = "../../modules/storage"

  name_prefix                       = local.name
  noncurrent_version_retention_days = 90
  report_retention_days             = 365
}

module "secrets" {
  source = "../../modules/secrets"

  name                 = "pathways/${local.environment}/app"
  database_host        = module.postgres.address
  database_port        = module.postgres.port
  database_name        = module.postgres.database_name
  redis_url            = module.redis.url
  smtp_password        = var.smtp_password
  recovery_window_days = 30
}
