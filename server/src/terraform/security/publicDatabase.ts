/**
 * `tf/public-database`: a database reachable from the internet. Databases should be reached
 * from inside the network (private IP, private endpoint, VPN, bastion), with their listeners
 * never exposed to the scanners that probe every public address.
 *
 * Covered:
 * - AWS `aws_db_instance`, `aws_rds_cluster_instance`, `aws_redshift_cluster` and
 *   `aws_redshiftserverless_workgroup` with `publicly_accessible = true` (all default to false).
 * - Google `google_sql_database_instance` with an `authorized_networks` entry of 0.0.0.0/0 while
 *   its public IP is on (`ipv4_enabled` defaults to true).
 * - Azure SQL, PostgreSQL, MySQL, MariaDB and Cosmos DB servers with
 *   `public_network_access_enabled = true` written out, SQL Managed Instances with
 *   `public_data_endpoint_enabled = true`, and their firewall rules from 0.0.0.0 to
 *   255.255.255.255 (the whole IPv4 internet; 0.0.0.0 to 0.0.0.0 is Azure's "allow Azure
 *   services" rule and is not reported). Where public network access is on only by default,
 *   nothing is reported: without a firewall rule no public address can connect.
 */
import type { Block } from '../model';
import { address, type Report, type SecurityModule, type SecurityRule } from './context';
import { isAnyCidr } from './network';
import { nestedBlocks, staticBool, staticString, stringOf, unwrap } from './values';

export const publicDatabase: SecurityRule = {
  id: 'tf/public-database',
  defaultSeverity: 'warning',
  description: 'Databases should not be reachable from the internet (publicly accessible instances, authorized networks or firewall rules open to all addresses).',
  check(module, report) {
    checkAws(module, report);
    checkGoogle(module, report);
    checkAzure(module, report);
  },
};

function reportTrue(report: Report, uri: string, block: Block, name: string, message: string): void {
  const attribute = block.attributes.get(name);
  if (attribute && staticBool(block, name) === true) report(uri, attribute.expression.range, message);
}

function checkAws(module: SecurityModule, report: Report): void {
  const types = ['aws_db_instance', 'aws_rds_cluster_instance', 'aws_redshift_cluster', 'aws_redshiftserverless_workgroup'];
  for (const { uri, block } of module.resourcesOf(types)) {
    reportTrue(
      report,
      uri,
      block,
      'publicly_accessible',
      `${address(block)} is publicly accessible: it gets a public IP address and a public DNS name, so only its security groups stand between it and the internet. Set publicly_accessible = false (the default) and connect from inside the VPC, through a VPN or a bastion.`,
    );
  }
}

function checkGoogle(module: SecurityModule, report: Report): void {
  for (const { uri, block } of module.resources('google_sql_database_instance')) {
    for (const settings of nestedBlocks(block, 'settings')) {
      for (const ip of nestedBlocks(settings, 'ip_configuration')) {
        // Authorized networks matter only with the public IP on; a value that is not a literal is not guessed.
        if (ip.attributes.has('ipv4_enabled') && staticBool(ip, 'ipv4_enabled') !== true) continue;
        for (const network of nestedBlocks(ip, 'authorized_networks')) {
          const value = network.attributes.get('value')?.expression;
          const cidr = stringOf(value && unwrap(value));
          if (!value || cidr === undefined || !isAnyCidr(cidr)) continue;
          report(
            uri,
            value.range,
            `Cloud SQL instance ${address(block)} authorizes ${cidr}, so every address on the internet can connect to its public IP. Authorize only the networks that need access, or turn off ipv4_enabled and connect through a private IP or the Cloud SQL Auth Proxy.`,
          );
        }
      }
    }
  }
}

/** Azure database servers with a `public_network_access_enabled` argument. */
const AZURE_SERVERS = /^azurerm_(mssql_server|sql_server|postgresql_server|postgresql_flexible_server|mysql_server|mysql_flexible_server|mariadb_server|cosmosdb_account)$/;

const AZURE_FIREWALL_RULES = [
  'azurerm_mssql_firewall_rule',
  'azurerm_sql_firewall_rule',
  'azurerm_postgresql_firewall_rule',
  'azurerm_postgresql_flexible_server_firewall_rule',
  'azurerm_mysql_firewall_rule',
  'azurerm_mysql_flexible_server_firewall_rule',
  'azurerm_mariadb_firewall_rule',
];

function checkAzure(module: SecurityModule, report: Report): void {
  for (const { uri, block } of module.blocks('resource')) {
    if (block.labels.length !== 2 || !AZURE_SERVERS.test(block.labels[0].value)) continue;
    reportTrue(
      report,
      uri,
      block,
      'public_network_access_enabled',
      `${address(block)} enables public network access, so it listens on a public endpoint and only its firewall rules stand between it and the internet. Set public_network_access_enabled = false and connect through a private endpoint.`,
    );
  }
  for (const { uri, block } of module.resources('azurerm_mssql_managed_instance')) {
    reportTrue(
      report,
      uri,
      block,
      'public_data_endpoint_enabled',
      `${address(block)} enables its public data endpoint, reachable from the internet on port 3342. Set public_data_endpoint_enabled = false and connect from inside the virtual network.`,
    );
  }
  for (const { uri, block } of module.resourcesOf(AZURE_FIREWALL_RULES)) {
    const end = block.attributes.get('end_ip_address');
    if (!end || staticString(block, 'start_ip_address')?.trim() !== '0.0.0.0' || staticString(block, 'end_ip_address')?.trim() !== '255.255.255.255') continue;
    report(
      uri,
      end.expression.range,
      `Firewall rule ${address(block)} allows every IPv4 address (0.0.0.0 to 255.255.255.255) to connect to the database server. Allow only the addresses that need access, or use a private endpoint.`,
    );
  }
}
