/**
 * Addresses and ports, as firewall rules of the three clouds write them: which source means
 * "the whole internet", which port ranges include SSH or RDP, and how to say what is exposed.
 */

/** CIDR blocks that match every address. */
export function isAnyCidr(value: string): boolean {
  const text = value.trim();
  return text === '0.0.0.0/0' || text === '::/0';
}

/**
 * Azure source prefixes that match every address: a CIDR for all, `*` (any), and the
 * `Internet` service tag (`Any` is accepted by the API as a synonym of `*`).
 */
export function isAnyAzureSource(value: string): boolean {
  const text = value.trim();
  return isAnyCidr(text) || text === '*' || text === '0.0.0.0' || /^(internet|any)$/i.test(text);
}

export type Protocol = 'all' | 'tcp' | 'udp' | 'other';

/** AWS and GCP protocol names and numbers; undefined when the text is none of them. */
export function protocolOf(text: string): Protocol {
  switch (text.trim().toLowerCase()) {
    case '-1':
    case 'all':
    case '*':
      return 'all';
    case 'tcp':
    case '6':
      return 'tcp';
    case 'udp':
    case '17':
      return 'udp';
    default:
      return 'other';
  }
}

export interface PortRange {
  from: number;
  to: number;
}

export const ALL_PORTS: PortRange = { from: 0, to: 65535 };

/** `"22"`, `"1000-2000"`, or `"*"` (Azure); undefined for anything else. */
export function parsePortRange(text: string): PortRange | undefined {
  const trimmed = text.trim();
  if (trimmed === '*') return ALL_PORTS;
  const match = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(trimmed);
  if (!match) return undefined;
  const from = Number(match[1]);
  return { from, to: match[2] === undefined ? from : Number(match[2]) };
}

const SSH = 22;
const RDP = 3389;

/**
 * What a rule allowing `protocol` on `ports` exposes, in words: all traffic, all ports of a
 * protocol, SSH, RDP. Empty when it exposes none of these (port 443, ICMP…).
 */
export function exposure(protocol: Protocol, ports: PortRange): string[] {
  if (protocol === 'other') return [];
  const everyPort = ports.from <= 1 && ports.to >= 65535;
  if (protocol === 'all' && everyPort) return ['all traffic (every protocol and port)'];
  if (everyPort) return [`every ${protocol.toUpperCase()} port`];
  const found: string[] = [];
  const includes = (port: number): boolean => ports.from <= port && port <= ports.to;
  if (protocol !== 'udp' && includes(SSH)) found.push('SSH (port 22)');
  if (includes(RDP)) found.push('RDP (port 3389)');
  return found;
}

/** `a`, `a and b`, `a, b and c`. */
export function andList(words: readonly string[]): string {
  const unique = [...new Set(words)];
  return unique.length <= 1 ? unique.join('') : `${unique.slice(0, -1).join(', ')} and ${unique[unique.length - 1]}`;
}
