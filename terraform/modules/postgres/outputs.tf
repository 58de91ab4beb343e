output "address" {
  description = "Hostname of the instance (private)."
  value       = aws_db_instance.this.address
}

output "port" {
  description = "PostgreSQL port."
  value       = aws_db_instance.this.port
}

output "database_name" {
  description = "Name of the application database."
  value       = aws_db_instance.this.db_name
}

output "master_username" {
  description = "RDS master user (role setup only)."
  value       = aws_db_instance.this.username
}

output "master_user_secret_arn" {
  description = "Secrets Manager secret, managed by RDS, holding the master user's password."
  value       = one(aws_db_instance.this.master_user_secret[*].secret_arn)
}

output "security_group_id" {
  description = "Security group of the instance."
  value       = aws_security_group.this.id
}

output "posture" {
  description = "Security and resilience settings as planned (asserted by the environments' tofu tests)."
  value = {
    storage_encrypted       = aws_db_instance.this.storage_encrypted
    publicly_accessible     = aws_db_instance.this.publicly_accessible
    force_ssl               = one([for p in aws_db_parameter_group.this.parameter : p.value if p.name == "rds.force_ssl"])
    multi_az                = aws_db_instance.this.multi_az
    deletion_protection     = aws_db_instance.this.deletion_protection
    backup_retention_period = aws_db_instance.this.backup_retention_period
    skip_final_snapshot     = aws_db_instance.this.skip_final_snapshot
    engine_version          = aws_db_instance.this.engine_version
    ingress_cidrs           = [for r in aws_vpc_security_group_ingress_rule.postgres : r.cidr_ipv4 if r.cidr_ipv4 != null]
    ingress_ports           = distinct([for r in aws_vpc_security_group_ingress_rule.postgres : r.from_port])
    ingress_security_groups = [for r in aws_vpc_security_group_ingress_rule.postgres : r.referenced_security_group_id]
  }
}
