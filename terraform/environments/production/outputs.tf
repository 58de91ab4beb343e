# Everything the Helm values and the README's deployment steps need.

output "vpc_id" {
  description = "VPC for the EKS cluster (eksctl: vpc.id)."
  value       = module.network.vpc_id
}

output "private_subnet_ids" {
  description = "Private subnets for the EKS nodes."
  value       = module.network.private_subnet_ids
}

output "public_subnet_ids" {
  description = "Public subnets for the load balancers."
  value       = module.network.public_subnet_ids
}

output "nat_public_ips" {
  description = "Outbound source addresses (allowlist them at Temporal Cloud / the SMTP relay)."
  value       = module.network.nat_public_ips
}

output "postgres_address" {
  description = "RDS hostname."
  value       = module.postgres.address
}

output "postgres_master_secret_arn" {
  description = "RDS-managed secret with the master password (role setup only)."
  value       = module.postgres.master_user_secret_arn
}

output "opensearch_url" {
  description = "config.search.opensearchUrl."
  value       = module.search.url
}

output "resumes_bucket" {
  description = "config.s3.bucketResumes."
  value       = module.storage.resumes_bucket
}

output "reports_bucket" {
  description = "config.s3.bucketReports."
  value       = module.storage.reports_bucket
}

output "app_storage_policy_arn" {
  description = "Attach to the app's IRSA role (serviceAccount.annotations)."
  value       = module.storage.app_policy_arn
}

output "app_secret_name" {
  description = "secrets.externalSecret.remoteKey."
  value       = module.secrets.secret_name
}

output "app_secret_read_policy_arn" {
  description = "Attach to the External Secrets Operator's IRSA role."
  value       = module.secrets.read_policy_arn
}

output "node_security_group_id" {
  description = "Attach to every EKS node group (eksctl: securityGroups.attachIDs); the data stores admit only it."
  value       = module.network.node_security_group_id
}
