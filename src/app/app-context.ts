import type { ApiRoute } from "../api/api-server.ts";
import type { Settings } from "../config/settings.ts";
import type { ImdsEndpoints } from "../imds/imds-endpoints.ts";
import type { Clock } from "../platform/clock.ts";
import type { RandomSource } from "../platform/crypto.ts";
import type { CredentialIssuer } from "../services/credential-issuer.ts";
import type { Ec2Services } from "../services/ec2-services.ts";
import type { Estate } from "../services/estate.ts";
import type { IdentitySigning } from "../services/identity-signing.ts";
import type { StateStore } from "../store/state-store.ts";

/** What the composition root built, handed to each feature so it can add routes and hooks. */
export interface AppContext {
  readonly settings: Settings;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly store: StateStore;
  readonly estate: Estate;
  readonly host: ImdsEndpoints;
  readonly credentials: CredentialIssuer;
  readonly signing: IdentitySigning;
  readonly services: Ec2Services;
  readonly defaultInstanceId: string;
}

/** A feature's contribution to the control API: routes keyed "METHOD /_imds-lab/path". */
export interface Feature {
  readonly routes?: ReadonlyArray<readonly [string, ApiRoute]>;
  /** Entries this feature adds to the ready line, e.g. `dashboard`, once the API is listening. */
  readyEntries?(apiUrl: string): Record<string, string>;
  close?(): Promise<void> | void;
}
