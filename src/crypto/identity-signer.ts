// Signs the EC2 instance identity document the way IMDS does (AWS "Verify the instance identity
// document" docs): `pkcs7` is a DSA/SHA-1 PKCS#7 SignedData, `rsa2048` an RSA-2048/SHA-256 one,
// both with the content embedded and no certificate (callers supply the public certificate), and
// `signature` is a bare RSA-SHA256 signature over the document bytes.
//
// Every signature is made with node:crypto: WebCrypto has no DSA, and doing RSA the same way
// keeps pkijs purely an ASN.1 builder, so no pkijs crypto engine (global state) is consulted.
import {
  X509Certificate,
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  randomBytes,
  sign as nodeSign,
  type KeyObject,
} from "node:crypto";
import { promisify } from "node:util";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";

export interface SigningAuthorityMaterial {
  dsaPrivateKeyPem: string;
  dsaCertificatePem: string;
  rsaPrivateKeyPem: string;
  rsaCertificatePem: string;
}

export interface IdentitySignatures {
  pkcs7: string;
  signature: string;
  rsa2048: string;
}

export interface IdentitySigner {
  sign(document: string): Promise<IdentitySignatures>;
  material: SigningAuthorityMaterial;
}

const generateKeyPairAsync = promisify(generateKeyPair);
const signAsync = promisify(nodeSign);

const OID = {
  data: "1.2.840.113549.1.7.1",
  signedData: "1.2.840.113549.1.7.2",
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  signingTime: "1.2.840.113549.1.9.5",
  sha1: "1.3.14.3.2.26",
  sha256: "2.16.840.1.101.3.4.2.1",
  rsaEncryption: "1.2.840.113549.1.1.1",
  sha256WithRsa: "1.2.840.113549.1.1.11",
  dsaWithSha1: "1.2.840.10040.4.3",
  dsaWithSha256: "2.16.840.1.101.3.4.3.2",
  countryName: "2.5.4.6",
  organizationName: "2.5.4.10",
  commonName: "2.5.4.3",
  subjectKeyIdentifier: "2.5.29.14",
  keyUsage: "2.5.29.15",
  basicConstraints: "2.5.29.19",
} as const;

const DEFAULT_COMMON_NAME = "imds-lab instance identity";
const VALIDITY_YEARS = 10;

/** Generates the DSA and RSA keys with self-signed certificates that `createIdentitySigner` uses. */
export async function createSigningAuthority(
  options: { commonName?: string; now?: Date } = {},
): Promise<SigningAuthorityMaterial> {
  const commonName = options.commonName ?? DEFAULT_COMMON_NAME;
  const notBefore = new Date(options.now ?? Date.now());
  notBefore.setUTCMilliseconds(0);
  const notAfter = new Date(notBefore);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + VALIDITY_YEARS);

  // AWS signs pkcs7 with DSA; (L, N) = (2048, 256) is a FIPS 186-4 size OpenSSL 3 verifies by default.
  const [dsa, rsa] = await Promise.all([
    generateKeyPairAsync("dsa", { modulusLength: 2048, divisorLength: 256 }),
    generateKeyPairAsync("rsa", { modulusLength: 2048 }),
  ]);
  const certificate = (keys: { publicKey: KeyObject; privateKey: KeyObject }, algorithm: pkijs.AlgorithmIdentifier) =>
    selfSignedCertificate({ ...keys, algorithm, commonName, notBefore, notAfter });
  const [dsaCertificatePem, rsaCertificatePem] = await Promise.all([
    // RSA signature algorithms carry an explicit NULL parameter (RFC 4055); DSA ones omit it (RFC 5758).
    certificate(dsa, algorithmWithoutParams(OID.dsaWithSha256)),
    certificate(rsa, algorithmWithNull(OID.sha256WithRsa)),
  ]);
  return {
    dsaPrivateKeyPem: dsa.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    dsaCertificatePem,
    rsaPrivateKeyPem: rsa.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    rsaCertificatePem,
  };
}

async function selfSignedCertificate(opts: {
  publicKey: KeyObject;
  privateKey: KeyObject;
  algorithm: pkijs.AlgorithmIdentifier;
  commonName: string;
  notBefore: Date;
  notAfter: Date;
}): Promise<string> {
  const name = distinguishedName(opts.commonName);
  const spki = pkijs.PublicKeyInfo.fromBER(opts.publicKey.export({ type: "spki", format: "der" }));
  const serial = randomBytes(16);
  // A positive INTEGER whose first byte is non-zero stays minimally encoded (RFC 5280 4.1.2.2).
  serial[0] = (serial[0]! & 0x7f) | 0x40;
  const cert = new pkijs.Certificate({
    version: 2,
    serialNumber: new asn1js.Integer({ valueHex: serial }),
    signature: opts.algorithm,
    issuer: name,
    subject: name,
    notBefore: asn1Time(opts.notBefore),
    notAfter: asn1Time(opts.notAfter),
    subjectPublicKeyInfo: spki,
    signatureAlgorithm: opts.algorithm,
    extensions: [
      extension(OID.basicConstraints, true, new pkijs.BasicConstraints({ cA: true }).toSchema()),
      // digitalSignature (bit 0) for the CMS signatures, keyCertSign (bit 5) for self-signing.
      extension(OID.keyUsage, true, new asn1js.BitString({ valueHex: Uint8Array.of(0x84), unusedBits: 2 })),
      // RFC 5280 4.2.1.2 method (1): SHA-1 of the subjectPublicKey bits.
      extension(
        OID.subjectKeyIdentifier,
        false,
        new asn1js.OctetString({ valueHex: sha("sha1", spki.subjectPublicKey.valueBlock.valueHexView) }),
      ),
    ],
  });
  cert.tbsView = new Uint8Array(cert.encodeTBS().toBER());
  const signature = await signAsync("sha256", cert.tbsView, opts.privateKey);
  cert.signatureValue = new asn1js.BitString({ valueHex: signature });
  return toPem("CERTIFICATE", new Uint8Array(cert.toSchema().toBER()));
}

// pkijs would put all attributes into one multi-valued RDN; AWS-style names use one RDN each.
function distinguishedName(commonName: string): pkijs.RelativeDistinguishedNames {
  const rdn = (type: string, value: asn1js.BaseBlock) =>
    new asn1js.Set({ value: [new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: type }), value] })] });
  const der = new asn1js.Sequence({
    value: [
      rdn(OID.countryName, new asn1js.PrintableString({ value: "US" })),
      rdn(OID.organizationName, new asn1js.Utf8String({ value: "imds-lab" })),
      rdn(OID.commonName, new asn1js.Utf8String({ value: commonName })),
    ],
  }).toBER();
  return pkijs.RelativeDistinguishedNames.fromBER(der);
}

/** Builds a signer over existing material; throws if a key does not match its certificate. */
export function createIdentitySigner(material: SigningAuthorityMaterial): IdentitySigner {
  // AWS: pkcs7 is SHA-1 with DSA, rsa2048 SHA-256 with RSA. The signature OIDs are the ones
  // OpenSSL's own PKCS7_sign writes (dsaWithSHA1, rsaEncryption).
  const dsa = loadCmsSigner(material.dsaPrivateKeyPem, material.dsaCertificatePem, "dsa", "sha1", OID.sha1,
    algorithmWithoutParams(OID.dsaWithSha1));
  const rsa = loadCmsSigner(material.rsaPrivateKeyPem, material.rsaCertificatePem, "rsa", "sha256", OID.sha256,
    algorithmWithNull(OID.rsaEncryption));

  return {
    material: Object.freeze({ ...material }),
    async sign(document: string): Promise<IdentitySignatures> {
      const content = Buffer.from(document, "utf8");
      const signingTime = new Date();
      const [pkcs7, signature, rsa2048] = await Promise.all([
        signedData(content, signingTime, dsa),
        signAsync("sha256", content, rsa.key),
        signedData(content, signingTime, rsa),
      ]);
      return { pkcs7: wrap64(pkcs7), signature: wrap64(signature), rsa2048: wrap64(rsa2048) };
    },
  };
}

// Per document the SignedData is assembled from plain asn1js blocks around these fixed parts, built
// once: going through pkijs's SignedData/SignerInfo objects measured about 1 ms per structure, as
// much as the signatures themselves.
interface CmsSigner {
  key: KeyObject;
  hash: string;
  signerId: asn1js.BaseBlock;
  digestAlgorithm: asn1js.BaseBlock;
  signatureAlgorithm: asn1js.BaseBlock;
  contentTypeAttribute: asn1js.BaseBlock;
}

function loadCmsSigner(
  privateKeyPem: string,
  certificatePem: string,
  type: "dsa" | "rsa",
  hash: string,
  digestOid: string,
  signatureAlgorithm: pkijs.AlgorithmIdentifier,
): CmsSigner {
  const key = createPrivateKey(privateKeyPem);
  if (key.asymmetricKeyType !== type) {
    throw new Error(`identity signer: expected a ${type} private key, got ${key.asymmetricKeyType ?? "unknown"}`);
  }
  const x509 = new X509Certificate(certificatePem);
  const spki = (k: KeyObject) => k.export({ type: "spki", format: "der" });
  // KeyObject.equals throws rather than answering false when the key types differ.
  if (!spki(x509.publicKey).equals(spki(createPublicKey(key)))) {
    throw new Error(`identity signer: the ${type} certificate does not match its private key`);
  }
  const cert = pkijs.Certificate.fromBER(x509.raw);
  return {
    key,
    hash,
    // The certificate is not embedded (as on AWS), so verifiers find it by issuer and serial number.
    signerId: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }).toSchema(),
    digestAlgorithm: algorithmWithNull(digestOid).toSchema(),
    signatureAlgorithm: signatureAlgorithm.toSchema(),
    contentTypeAttribute: attribute(OID.contentType, new asn1js.ObjectIdentifier({ value: OID.data })),
  };
}

// RFC 5652 SignedData with signed attributes, as OpenSSL produces them for PKCS#7.
async function signedData(content: Buffer, signingTime: Date, signer: CmsSigner): Promise<Uint8Array> {
  const attributes = [
    signer.contentTypeAttribute,
    attribute(OID.signingTime, asn1Time(signingTime).toSchema()),
    attribute(OID.messageDigest, new asn1js.OctetString({ valueHex: sha(signer.hash, content) })),
  ];
  // RFC 5652 5.4 signs the DER encoding of the SET OF, which orders members by their encoding;
  // OpenSSL keeps the order as received, but verifiers that re-encode would otherwise disagree.
  const sorted = attributes
    .map((block) => ({ block, der: Buffer.from(block.toBER()) }))
    .sort((x, y) => Buffer.compare(x.der, y.der))
    .map((e) => e.block);
  // The signature covers the attributes under a universal SET tag, not the [0] IMPLICIT one.
  const signature = await signAsync(signer.hash, new Uint8Array(new asn1js.Set({ value: sorted }).toBER()), signer.key);

  const signerInfo = new asn1js.Sequence({
    value: [
      new asn1js.Integer({ value: 1 }),
      signer.signerId,
      signer.digestAlgorithm,
      contextTagged(0, sorted),
      signer.signatureAlgorithm,
      new asn1js.OctetString({ valueHex: signature }),
    ],
  });
  const signed = new asn1js.Sequence({
    value: [
      new asn1js.Integer({ value: 1 }),
      new asn1js.Set({ value: [signer.digestAlgorithm] }),
      new asn1js.Sequence({
        value: [new asn1js.ObjectIdentifier({ value: OID.data }), contextTagged(0, [new asn1js.OctetString({ valueHex: content })])],
      }),
      new asn1js.Set({ value: [signerInfo] }),
    ],
  });
  const contentInfo = new asn1js.Sequence({
    value: [new asn1js.ObjectIdentifier({ value: OID.signedData }), contextTagged(0, [signed])],
  });
  return new Uint8Array(contentInfo.toBER());
}

function attribute(type: string, value: asn1js.BaseBlock): asn1js.BaseBlock {
  return new pkijs.Attribute({ type, values: [value] }).toSchema();
}

function contextTagged(tagNumber: number, value: asn1js.BaseBlock[]): asn1js.Constructed {
  return new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber }, value });
}

function algorithmWithNull(algorithmId: string): pkijs.AlgorithmIdentifier {
  return new pkijs.AlgorithmIdentifier({ algorithmId, algorithmParams: new asn1js.Null() });
}

function algorithmWithoutParams(algorithmId: string): pkijs.AlgorithmIdentifier {
  return new pkijs.AlgorithmIdentifier({ algorithmId });
}

// RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050.
function asn1Time(date: Date): pkijs.Time {
  const type = date.getUTCFullYear() < 2050 ? pkijs.TimeType.UTCTime : pkijs.TimeType.GeneralizedTime;
  return new pkijs.Time({ type, value: date });
}

function extension(extnID: string, critical: boolean, value: asn1js.BaseBlock): pkijs.Extension {
  return new pkijs.Extension({ extnID, critical, extnValue: value.toBER() });
}

function sha(algorithm: string, data: Uint8Array): Uint8Array {
  return createHash(algorithm).update(data).digest();
}

// IMDS serves the bare base64 body, 64 characters a line, without PEM armour or a final newline.
function wrap64(der: Uint8Array): string {
  return (Buffer.from(der).toString("base64").match(/.{1,64}/g) ?? []).join("\n");
}

function toPem(label: string, der: Uint8Array): string {
  return `-----BEGIN ${label}-----\n${wrap64(der)}\n-----END ${label}-----\n`;
}
