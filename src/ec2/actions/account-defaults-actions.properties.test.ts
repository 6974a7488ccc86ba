import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { expectOk } from "../../../test/support/ec2-answers.ts";
import { accountLevel, withHarness } from "../../../test/support/images.ts";

type Field = "HttpTokens" | "HttpPutResponseHopLimit" | "HttpEndpoint" | "InstanceMetadataTags" | "HttpTokensEnforced";

/** Wire request field -> GetInstanceMetadataDefaults element, and the values a request may carry. */
const FIELDS: Record<Field, { element: string; values: readonly string[]; clear: string }> = {
  HttpTokens: { element: "httpTokens", values: ["optional", "required"], clear: "no-preference" },
  HttpPutResponseHopLimit: { element: "httpPutResponseHopLimit", values: ["1", "2", "17", "64"], clear: "-1" },
  HttpEndpoint: { element: "httpEndpoint", values: ["enabled", "disabled"], clear: "no-preference" },
  InstanceMetadataTags: { element: "instanceMetadataTags", values: ["enabled", "disabled"], clear: "no-preference" },
  HttpTokensEnforced: { element: "httpTokensEnforced", values: ["enabled", "disabled"], clear: "no-preference" },
};

const arbChange = fc.record(
  Object.fromEntries(
    Object.entries(FIELDS).map(([field, spec]) => [field, fc.constantFrom(...spec.values, spec.clear)]),
  ) as Record<Field, fc.Arbitrary<string>>,
  { requiredKeys: [] },
);

const REGIONS = ["us-east-1", "eu-west-1"] as const;

test("ModifyInstanceMetadataDefaults: after any sequence, Get shows each field's last value, cleared fields absent, per Region", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...REGIONS), arbChange), { maxLength: 12 }), async (changes) => {
      await withHarness(async (h) => {
        // The model: per Region, element -> value; a field not sent keeps its value, a clear removes it.
        const model = new Map<string, Map<string, string>>(REGIONS.map((r) => [r, new Map()]));
        for (const [region, change] of changes) {
          expectOk(await h.call("ModifyInstanceMetadataDefaults", change, { region }));
          const fields = model.get(region)!;
          for (const [field, value] of Object.entries(change) as [Field, string][]) {
            if (value === FIELDS[field].clear) fields.delete(FIELDS[field].element);
            else fields.set(FIELDS[field].element, value);
          }
        }
        for (const region of REGIONS) {
          const expected = { ...Object.fromEntries(model.get(region)!), managedBy: "account" };
          assert.deepEqual(await accountLevel(h.call, { region }), expected);
        }
      });
    }),
    { numRuns: 60 },
  );
});
