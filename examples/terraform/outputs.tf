output "instance_id" {
  description = "ID of the web server."
  value       = aws_instance.web.id
}

output "private_ip" {
  description = "Private address of the web server, for the load balancer."
  value       = aws_instance.web.private_ip
}

output "security_group_id" {
  description = "Security group of the web server, for other groups to allow traffic from."
  value       = aws_security_group.web.id
}
