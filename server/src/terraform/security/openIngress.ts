/**
 * `tf/open-ingress`: a firewall rule that lets the whole internet (0.0.0.0/0, ::/0, or Azure's
 * `*` and `Internet`) reach SSH, RDP, every port of a protocol, or everything. Remote-admin
 * ports open to the world are scanned and brute-forced within minutes of going up.
 *
 * Covered: AWS `aws_security_group` / `aws_default_security_group` inline `ingress` blocks,
 * `aws_security_group_rule` (type "ingress") and `aws_vpc_security_group_ingress_rule`; GCP
 * `google_compute_firewall` (INGRESS, `allow` blocks); Azure `azurerm_network_security_rule`
 * and the inline `security_rule` blocks of `azurerm_network_security_group`. `dynamic` blocks
 * count by their `content`. Egress rules are not reported.
 *
 * Reported only when the protocol, the ports and an all-addresses source are all written as
 * literals; the finding is on that source (`"0.0.0.0/0"`).
 */
import type { Block, Expression } from '../model';
import { address, type Report, type SecurityModule, type SecurityRule } from './context';
import { ALL_PORTS, andList, exposure, isAnyAzureSource, isAnyCidr, parsePortRange, protocolOf } from './network';
import { elementsOf, matchingElements, matchingValue, nestedBlocks, staticBool, staticNumber, staticString, stringOf, unwrap } from './values';

export const openIngress: SecurityRule = {
  id: 'tf/open-ingress',
  defaultSeverity: 'warning',
  description: 'Firewall rules should not open SSH, RDP, all ports or all traffic to the whole internet (0.0.0.0/0, ::/0).',
  check(module, report) {
    checkAws(module, report);
    checkGoogle(module, report);
    checkAzure(module, report);
  },
};

type Cloud = 'aws' | 'google' | 'azure';

/** How each cloud lets administrators reach machines without opening SSH or RDP to the internet. */
const REMOTE_ACCESS: Record<Cloud, string> = {
  aws: 'AWS Systems Manager Session Manager',
  google: 'Identity-Aware Proxy TCP forwarding',
  azure: 'Azure Bastion',
};

function reportOpen(report: Report, cloud: Cloud, uri: string, subject: string, sources: readonly Expression[], exposed: readonly string[]): void {
  if (sources.length === 0 || exposed.length === 0) return;
  const addresses = andList(sources.map((source) => stringOf(unwrap(source)) ?? ''));
  const remoteAdmin = exposed.every((what) => what.startsWith('SSH') || what.startsWith('RDP'));
  const advice = remoteAdmin
    ? `Allow only the addresses that need it, or reach the machines through a VPN or ${REMOTE_ACCESS[cloud]} instead.`
    : 'Open only the ports the service needs, to the addresses that need them.';
  report(uri, sources[0].range, `${subject} allows ${andList(exposed)} from anywhere (${addresses}). ${advice}`);
}

// ---------------------------------------------------------------------------------------------
// AWS

/** What an AWS rule (an inline `ingress` block or a rule resource) exposes, from its literal protocol and ports. */
function awsExposure(rule: Block, protocolName: string): string[] {
  const text = staticString(rule, protocolName);
  if (text === undefined) return [];
  const protocol = protocolOf(text);
  // Protocol -1 is every protocol and every port, whatever from_port and to_port say.
  if (protocol === 'all') return exposure('all', ALL_PORTS);
  const from = staticNumber(rule, 'from_port');
  const to = staticNumber(rule, 'to_port');
  if (from === undefined || to === undefined) return [];
  return exposure(protocol, { from, to });
}

/** ` (for aws_security_group.web)` when the rule names its group by reference. */
function groupOf(rule: Block): string {
  const reference = rule.attributes.get('security_group_id')?.expression.references.find((r) => r.root === 'aws_security_group' && r.steps[0]?.kind === 'attribute');
  const step = reference?.steps[0];
  return step?.kind === 'attribute' ? ` (for aws_security_group.${step.name})` : '';
}

function checkAws(module: SecurityModule, report: Report): void {
  for (const { uri, block } of module.resourcesOf(['aws_security_group', 'aws_default_security_group'])) {
    for (const ingress of nestedBlocks(block, 'ingress')) {
      const sources = [...matchingElements(ingress, 'cidr_blocks', isAnyCidr), ...matchingElements(ingress, 'ipv6_cidr_blocks', isAnyCidr)];
      reportOpen(report, 'aws', uri, `An ingress rule of security group ${address(block)}`, sources, awsExposure(ingress, 'protocol'));
    }
  }
  for (const { uri, block } of module.resources('aws_security_group_rule')) {
    if (staticString(block, 'type') !== 'ingress') continue;
    const sources = [...matchingElements(block, 'cidr_blocks', isAnyCidr), ...matchingElements(block, 'ipv6_cidr_blocks', isAnyCidr)];
    reportOpen(report, 'aws', uri, `Security group rule ${address(block)}${groupOf(block)}`, sources, awsExposure(block, 'protocol'));
  }
  for (const { uri, block } of module.resources('aws_vpc_security_group_ingress_rule')) {
    const sources = [...matchingValue(block, 'cidr_ipv4', isAnyCidr), ...matchingValue(block, 'cidr_ipv6', isAnyCidr)];
    reportOpen(report, 'aws', uri, `Ingress rule ${address(block)}${groupOf(block)}`, sources, awsExposure(block, 'ip_protocol'));
  }
}

// ---------------------------------------------------------------------------------------------
// Google Cloud

function checkGoogle(module: SecurityModule, report: Report): void {
  for (const { uri, block } of module.resources('google_compute_firewall')) {
    // The direction defaults to INGRESS; a direction that is not a literal is not guessed.
    if (block.attributes.has('direction') && staticString(block, 'direction')?.toUpperCase() !== 'INGRESS') continue;
    if (staticBool(block, 'disabled') === true) continue;
    const sources = matchingElements(block, 'source_ranges', isAnyCidr);
    if (sources.length === 0) continue;
    const exposed: string[] = [];
    for (const allow of nestedBlocks(block, 'allow')) {
      const text = staticString(allow, 'protocol');
      if (text === undefined) continue;
      const protocol = protocolOf(text);
      const ports = allow.attributes.get('ports');
      if (!ports) {
        // Without `ports` the rule allows every port of the protocol.
        if (!allow.incomplete) exposed.push(...exposure(protocol, ALL_PORTS));
        continue;
      }
      for (const element of elementsOf(ports.expression) ?? []) {
        const range = parsePortRange(stringOf(unwrap(element)) ?? '');
        if (range) exposed.push(...exposure(protocol, range));
      }
    }
    reportOpen(report, 'google', uri, `Firewall ${address(block)}`, sources, exposed);
  }
}

// ---------------------------------------------------------------------------------------------
// Azure

function azureExposure(rule: Block): string[] {
  if (staticString(rule, 'direction')?.toLowerCase() !== 'inbound') return [];
  if (staticString(rule, 'access')?.toLowerCase() !== 'allow') return [];
  const text = staticString(rule, 'protocol');
  if (text === undefined) return [];
  const protocol = protocolOf(text);
  const portTexts = [
    ...matchingValue(rule, 'destination_port_range', () => true),
    ...(elementsOf(rule.attributes.get('destination_port_ranges')?.expression) ?? []),
  ].map((expression) => stringOf(unwrap(expression)));
  return portTexts.flatMap((port) => {
    const range = port === undefined ? undefined : parsePortRange(port);
    return range ? exposure(protocol, range) : [];
  });
}

function azureSources(rule: Block): Expression[] {
  return [...matchingValue(rule, 'source_address_prefix', isAnyAzureSource), ...matchingElements(rule, 'source_address_prefixes', isAnyAzureSource)];
}

function checkAzure(module: SecurityModule, report: Report): void {
  for (const { uri, block } of module.resources('azurerm_network_security_rule')) {
    reportOpen(report, 'azure', uri, `Network security rule ${address(block)}`, azureSources(block), azureExposure(block));
  }
  for (const { uri, block } of module.resources('azurerm_network_security_group')) {
    for (const rule of nestedBlocks(block, 'security_rule')) {
      const name = staticString(rule, 'name');
      const subject = `${name === undefined ? 'A security rule' : `Security rule "${name}"`} of ${address(block)}`;
      reportOpen(report, 'azure', uri, subject, azureSources(rule), azureExposure(rule));
    }
  }
}
