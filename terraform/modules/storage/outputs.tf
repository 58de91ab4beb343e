output "resumes_bucket" {
  description = "S3_BUCKET_RESUMES for the app."
  value       = aws_s3_bucket.this["resumes"].bucket
}

output "reports_bucket" {
  description = "S3_BUCKET_REPORTS for the app."
  value       = aws_s3_bucket.this["reports"].bucket
}

output "bucket_arns" {
  description = "ARNs of the buckets, by purpose."
  value       = { for k, b in aws_s3_bucket.this : k => b.arn }
}

output "app_policy_arn" {
  description = "IAM policy to attach to the app's IRSA role."
  value       = aws_iam_policy.app.arn
}
