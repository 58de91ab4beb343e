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
  value       = "rediss://:${random_password.auth_token.result}@${aws_elasticache_replication_group.this.primary_endpoint_address}:${aws_elasticache_replication_group.this.port}"
  sensitive   = true
}

output "security_group_id" {
  description = "Security group of the replication group."
  value       = aws_security_group.this.id
}
