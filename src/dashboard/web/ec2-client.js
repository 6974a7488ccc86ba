// Changes go through the emulator's own EC2 Query API (POST / on this origin), the endpoint the AWS
// CLI and SDKs use, so validation, IMDSv2 enforcement, declarative policies and IAM checks apply
// to the page exactly as to any other caller.

const API_VERSION = "2016-11-15";
/**
 * The Region travels in the SigV4 credential scope. The page cannot sign, so the signature is a
 * placeholder: accepted with --auth off (the default), refused with AuthFailure under --auth verify.
 */
const ACCESS_KEY_ID = "IMDSLABDASHBOARD";

/** Sends one action; resolves { ok: true, xml } or { ok: false, code, message }, never throws. */
export async function callEc2(action, params, region) {
  const body = new URLSearchParams({ Action: action, Version: API_VERSION, ...params });
  const date = new Date().toISOString().slice(0, 10).replaceAll("-", "");
  let response;
  try {
    response = await fetch("/", {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
        Authorization: `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY_ID}/${date}/${region}/ec2/aws4_request, SignedHeaders=content-type;host, Signature=${"0".repeat(64)}`,
      },
      body,
    });
  } catch (err) {
    return { ok: false, code: "NetworkError", message: `The emulator did not answer: ${err.message}` };
  }
  const text = await response.text();
  const xml = new DOMParser().parseFromString(text, "application/xml");
  if (response.ok) return { ok: true, xml };
  const code = xml.querySelector("Error > Code")?.textContent ?? `HTTP ${response.status}`;
  const message = xml.querySelector("Error > Message")?.textContent ?? text.slice(0, 300);
  return { ok: false, code, message };
}

/** ModifyInstanceMetadataOptions with only the fields that change: a field not sent keeps its value. */
export function modifyInstanceMetadataOptions(instance, change) {
  const params = { InstanceId: instance.instanceId };
  for (const [name, value] of Object.entries(change)) if (value !== undefined) params[name] = String(value);
  return callEc2("ModifyInstanceMetadataOptions", params, instance.region);
}

/** ModifyInstanceMetadataDefaults; "no-preference" (hop limit -1) clears a default. */
export function modifyInstanceMetadataDefaults(region, change) {
  const params = {};
  for (const [name, value] of Object.entries(change)) if (value !== undefined) params[name] = String(value);
  return callEc2("ModifyInstanceMetadataDefaults", params, region);
}

export function createTag(instance, key, value) {
  return callEc2("CreateTags", { "ResourceId.1": instance.instanceId, "Tag.1.Key": key, "Tag.1.Value": value }, instance.region);
}

export function deleteTag(instance, key) {
  return callEc2("DeleteTags", { "ResourceId.1": instance.instanceId, "Tag.1.Key": key }, instance.region);
}
