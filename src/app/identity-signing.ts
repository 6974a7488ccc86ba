import type { IdentitySigner, SigningAuthorityMaterial } from "../crypto/identity-signer.ts";
import type { IdentitySignatures, SignatureSource } from "../imds/instance-runtime.ts";
import type { KeyValueSettings } from "./ports.ts";

const AUTHORITY_KEY = "signing-authority";

/**
 * The emulator's own signing keys for identity documents: created on first use (DSA key
 * generation takes a moment, so nothing waits for it at start), then kept in the store so the
 * certificate users verify against stays the same across restarts.
 */
export class IdentitySigning implements SignatureSource {
  private signer: Promise<IdentitySigner> | null = null;

  constructor(private readonly store: KeyValueSettings) {}

  sign(document: string): Promise<IdentitySignatures> {
    return this.load().then((signer) => signer.sign(document));
  }

  /** The PEM certificates that verify `pkcs7` (DSA) and `rsa2048`/`signature` (RSA). */
  async certificates(): Promise<{ dsa: string; rsa: string }> {
    const { material } = await this.load();
    return { dsa: material.dsaCertificatePem, rsa: material.rsaCertificatePem };
  }

  /** The keys and certificates, for a signer in another thread (the IMDS worker). */
  async material(): Promise<SigningAuthorityMaterial> {
    return (await this.load()).material;
  }

  private load(): Promise<IdentitySigner> {
    if (this.signer === null) {
      this.signer = (async () => {
        // pkijs and asn1js load with the first signature, after the ready line, not at start.
        const { createIdentitySigner, createSigningAuthority } = await import("../crypto/identity-signer.ts");
        const stored = this.store.setting(AUTHORITY_KEY);
        let material: SigningAuthorityMaterial;
        if (stored !== undefined) {
          material = JSON.parse(stored) as SigningAuthorityMaterial;
        } else {
          material = await createSigningAuthority({ commonName: "imds-lab instance identity" });
          this.store.setSetting(AUTHORITY_KEY, JSON.stringify(material));
        }
        return createIdentitySigner(material);
      })();
      this.signer.catch(() => {
        this.signer = null;
      });
    }
    return this.signer;
  }
}
