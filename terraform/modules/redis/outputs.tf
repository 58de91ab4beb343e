output "primary_endpoint" {
  description = "Hostname of the primary (writes)."
  value       = aws_elasticache_replication_group.this.primary_endpoint_address
}

output "port" {
  description = "Redis port."
  value       = aws_elasticache_replication_group.this.port
}

output "url" {
  description = "REDIS_URL for the app (TLS, with the AUTH token)."
  value       = "rediss://:${terraform_data.auth_token.output}@${aws_elasticache_replication_group.this.primary_endpoint_address}:${aws_elasticache_replication_group.this.port}"
  sensitive   = true
}

output "security_group_id" {
  description = "Security group of the replication group."
  value       = aws_security_group.this.id
}

output "posture" {
  description = "Security and resilience settings as planned (asserted by the environments' tofu tests)."
  value = {
    at_rest_encryption_enabled = tostring(aws_elasticache_replication_group.this.at_rest_encryption_enabled)
    transit_encryption_enabled = aws_elasticache_replication_group.this.transit_encryption_enabled
    multi_az_enabled           = aws_elasticache_replication_group.this.multi_az_enabled
    automatic_failover_enabled = aws_elasticache_replication_group.this.automatic_failover_enabled
    num_cache_clusters         = aws_elasticache_replication_group.this.num_cache_clusters
    snapshot_retention_limit   = aws_elasticache_replication_group.this.snapshot_retention_limit
    ingress_cidrs              = [for r in aws_vpc_security_group_ingress_rule.redis : r.cidr_ipv4 if r.cidr_ipv4 != null]
    ingress_ports              = distinct([for r in aws_vpc_security_group_ingress_rule.redis : r.from_port])
    ingress_security_groups    = [for r in aws_vpc_security_group_ingress_rule.redis : r.referenced_security_group_id]
  }
}
