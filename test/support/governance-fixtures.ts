/** Policies shared by the governance tests. */

/** The four UG-POL statements of spec §4.2, combined into one SCP as the guide suggests. */
export const GUARDRAILS = {
  Version: "2012-10-17",
  Statement: [
    { Sid: "RequireImdsV2", Effect: "Deny", Action: "ec2:RunInstances", Resource: "arn:aws:ec2:*:*:instance/*", Condition: { StringNotEquals: { "ec2:MetadataHttpTokens": "required" } } },
    {
      Sid: "DenyIMDSv1HttpTokensModification",
      Effect: "Deny",
      Action: "ec2:ModifyInstanceMetadataOptions",
      Resource: "arn:aws:ec2:*:*:instance/*",
      Condition: { StringNotEquals: { "ec2:Attribute/HttpTokens": "required" }, Null: { "ec2:Attribute/HttpTokens": false } },
    },
    { Sid: "MaxImdsHopLimit", Effect: "Deny", Action: "ec2:RunInstances", Resource: "arn:aws:ec2:*:*:instance/*", Condition: { NumericGreaterThan: { "ec2:MetadataHttpPutResponseHopLimit": "3" } } },
    { Sid: "RequireAllEc2RolesToUseV2", Effect: "Deny", Action: "*", Resource: "*", Condition: { NumericLessThan: { "ec2:RoleDelivery": "2.0" } } },
  ],
};
