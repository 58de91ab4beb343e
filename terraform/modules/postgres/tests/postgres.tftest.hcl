# Plans the module against a mocked AWS provider (no credentials, no network) and asserts what
# must hold for any environment: encrypted, private, TLS enforced, reachable from the nodes only.

mock_provider "aws" {}

variables {
  name                       = "pathways-test"
  vpc_id                     = "vpc-0123456789abcdef0"
  subnet_ids                 = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  allowed_security_group_ids = ["sg-0123456789abcdef0"]
  instance_class             = "db.t4g.medium"
  allocated_storage          = 20
  multi_az                   = true
  backup_retention_days      = 30
  deletion_protection        = true
}

run "encrypted_private_tls_only_nodes_only" {
  command = plan

  assert {
    condition     = aws_db_instance.this.storage_encrypted
    error_message = "RDS storage must be encrypted at rest."
  }
  assert {
    condition     = !aws_db_instance.this.publicly_accessible
    error_message = "RDS must not be publicly accessible."
  }
  assert {
    condition     = one([for p in aws_db_parameter_group.this.parameter : p.value if p.name == "rds.force_ssl"]) == "1"
    error_message = "rds.force_ssl must be 1 (TLS-only connections)."
  }
  assert {
    condition     = aws_db_instance.this.manage_master_user_password
    error_message = "The master password must be managed by RDS (Secrets Manager), never set in code."
  }
  assert {
    condition     = !aws_db_instance.this.skip_final_snapshot && !aws_db_instance.this.delete_automated_backups
    error_message = "Deleting the instance must keep a final snapshot and the automated backups."
  }

  assert {
    condition     = length(aws_vpc_security_group_ingress_rule.postgres) == 1
    error_message = "Exactly one ingress rule per allowed security group."
  }
  assert {
    condition = alltrue([for r in aws_vpc_security_group_ingress_rule.postgres :
    r.referenced_security_group_id == "sg-0123456789abcdef0" && r.cidr_ipv4 == null && r.cidr_ipv6 == null && r.from_port == 5432 && r.to_port == 5432])
    error_message = "Ingress must come from the node security group on 5432 only, never from a CIDR."
  }

  assert {
    condition     = aws_db_instance.this.multi_az && aws_db_instance.this.deletion_protection && aws_db_instance.this.backup_retention_period == 30
    error_message = "multi_az, deletion_protection and backup_retention_days must reach the instance."
  }
}

run "rejects_a_cidr_instead_of_a_security_group" {
  command = plan

  variables {
    allowed_security_group_ids = ["0.0.0.0/0"]
  }

  expect_failures = [var.allowed_security_group_ids]
}
