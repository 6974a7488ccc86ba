import { MessageChannel, receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import type { RandomSource } from "../../platform/crypto.ts";
import { CredentialIssuer, type IssuedCredentials } from "../../app/credential-issuer.ts";

/**
 * The main thread's view of the role credentials the IMDS worker issues, for SigV4 verification
 * and ec2:RoleDelivery (src/govern/principals.ts). The worker announces each set before it
 * answers with it; a lookup first takes every announcement already queued, synchronously, so a
 * caller that got credentials from IMDS finds them known on its very next API request.
 */
export class CredentialMirror extends CredentialIssuer {
  private readonly channel = new MessageChannel();

  constructor(random: RandomSource) {
    super(random);
    this.channel.port1.on("message", (set: IssuedCredentials) => this.adopt(set));
    this.channel.port1.unref();
  }

  /** The end the worker posts to (transferred to it). */
  get reportPort(): MessagePort {
    return this.channel.port2;
  }

  override lookup(accessKeyId: string): IssuedCredentials | undefined {
    for (let m = receiveMessageOnPort(this.channel.port1); m !== undefined; m = receiveMessageOnPort(this.channel.port1)) {
      this.adopt(m.message as IssuedCredentials);
    }
    return super.lookup(accessKeyId);
  }

  close(): void {
    this.channel.port1.close();
  }
}
