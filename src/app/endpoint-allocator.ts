import type { EndpointAddress } from "../imds/imds-host.ts";

/**
 * Gives each instance its own IMDS endpoint: the default instance the configured address
 * (127.0.0.1:1338), every other one the next loopback address from the base on the same port
 * (127.1.0.1:1338, 127.1.0.2:1338, ...). Linux routes all of 127.0.0.0/8 to loopback, so these
 * bind with no setup; with port 0 each gets a free port instead.
 */
export class EndpointAllocator {
  private readonly base: number;

  constructor(
    private readonly port: number,
    baseAddress: string,
  ) {
    this.base = ipv4ToNumber(baseAddress);
  }

  forOrdinal(ordinal: number): EndpointAddress {
    const address = this.base + ordinal;
    if (address > ipv4ToNumber("127.255.255.254")) throw new RangeError("the loopback range has no address left for another instance");
    return { host: numberToIpv4(address), port: this.port };
  }
}

function ipv4ToNumber(address: string): number {
  return address.split(".").reduce((n, part) => n * 256 + Number(part), 0);
}

function numberToIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}
