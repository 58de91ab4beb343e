output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr" {
  description = "IPv4 CIDR of the VPC."
  value       = aws_vpc.this.cidr_block
}

output "availability_zones" {
  description = "Availability zones in use, in subnet order."
  value       = local.azs
}

output "public_subnet_ids" {
  description = "Public subnet IDs (load balancers, NAT gateways)."
  value       = aws_subnet.public[*].id
}

output "private_subnet_ids" {
  description = "Private subnet IDs (EKS nodes, RDS, ElastiCache, OpenSearch)."
  value       = aws_subnet.private[*].id
}

output "nat_public_ips" {
  description = "Public IPs of the NAT gateways: the source addresses of outbound traffic (allowlist them at the SMTP relay or Temporal Cloud)."
  value       = aws_eip.nat[*].public_ip
}

output "node_security_group_id" {
  description = "Security group to attach to the EKS node groups; the data stores admit only it."
  value       = aws_security_group.nodes.id
}
