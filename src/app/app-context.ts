import type { ApiRoute } from "../api/api-server.ts";
import type { Settings } from "../config/settings.ts";
import type { ImdsEndpoints } from "../imds/imds-endpoints.ts";
import type { RandomSource } from "../platform/crypto.ts";
import type { Application } from "./application.ts";
import type { CredentialIssuer } from "./credential-issuer.ts";
import type { IdentitySigning } from "./identity-signing.ts";
import type { Clock } from "./ports.ts";

/**
 * What the composition root hands each feature: the settings, the application's use cases and
 * the live IMDS endpoints. No feature gets the store: one that keeps data of its own takes a port
 * for it as a second argument, which src/main.ts fills.
 */
export interface AppContext {
  readonly settings: Settings;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly app: Application;
  readonly host: ImdsEndpoints;
  readonly credentials: CredentialIssuer;
  readonly signing: IdentitySigning;
  readonly defaultInstanceId: string;
}

/** A feature's contribution to the control API: routes keyed "METHOD /_imds-lab/path". */
export interface Feature {
  readonly routes?: ReadonlyArray<readonly [string, ApiRoute]>;
  /** Entries this feature adds to the ready line, e.g. `dashboard`, once the API is listening. */
  readyEntries?(apiUrl: string): Record<string, string>;
  close?(): Promise<void> | void;
}
