/**
 * The demo hosts both domains' generators agree on, so that the demo's cross links resolve: the
 * CMDB generator numbers its hosts 1..n and gives host n the inner IP `hostInnerIp(n)`; the PaaS
 * generator places its instances on the inner IPs of hosts 1..DEMO_HOST_COUNT.
 */

/** How many hosts the CMDB demo has (its generator's default). */
export const DEMO_HOST_COUNT = 30;

/** Host `hostId`'s address in the IPv4 network `net`.0.0.0/8. */
export function hostIpv4(hostId: number, net: number): string {
  return `${net}.${(hostId >> 16) & 255}.${(hostId >> 8) & 255}.${hostId & 255}`;
}

/** A generated host's first inner IP. */
export function hostInnerIp(hostId: number): string {
  return hostIpv4(hostId, 10);
}
