/**
 * Where an instance's metadata service is meant to answer: a loopback address and port chosen for
 * it when it launched (docs/behaviour.md#one-endpoint-per-instance). The data plane binds it; the
 * instance only records the intent, so the domain needs no network type.
 */
export interface EndpointAddress {
  readonly host: string;
  readonly port: number;
}
