import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { parseXML } from "@aws-sdk/xml-builder";
import { assertGolden } from "../../test/support/golden.ts";
import { renderError, renderResponse, xmlSafeText, type XmlObject, type XmlValue } from "./xml.ts";

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

// fast-xml-parser as an independent reader: keep whitespace, decode numeric references, no number coercion.
const reader = new XMLParser({
  ignoreAttributes: false,
  trimValues: false,
  parseTagValue: false,
  htmlEntities: true,
  ignoreDeclaration: true,
});

/** Strings that stress the escaper: markup characters, CR/LF, entity look-alikes, forbidden characters. */
const trickyUnit = fc.constantFrom(
  "&", "<", ">", '"', "'", "\r", "\n", "\r\n", "\t", " ", "]]>", "&amp;", "&#xD;", "&lt;",
  "\u0000", "\u0001", "\u000B", "\u001F", "\uFFFE", "\uFFFF", "\uD800", "\uDC00", "\uD83D\uDE00", "é",
);
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));
const anyText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "binary-ascii", maxLength: 40 }),
  fc.string({ unit: codeUnit, maxLength: 40 }),
  fc.string({ unit: trickyUnit, maxLength: 20 }),
);

describe("xml.renderResponse", () => {
  it("xml.renderResponse: declaration, namespace, requestId first, 4-space indent, no final newline", () => {
    const xml = renderResponse("DeleteTags", "req-9", { return: true });
    assert.equal(
      xml,
      DECLARATION +
        '<DeleteTagsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">\n' +
        "    <requestId>req-9</requestId>\n" +
        "    <return>true</return>\n" +
        "</DeleteTagsResponse>",
    );
  });

  it("xml.renderResponse: lists become item sets, empties self-close, absent members are omitted", () => {
    const xml = renderResponse("X", "r", {
      groupSet: [],
      reason: "",
      missing: undefined,
      alsoMissing: null,
      instanceIdSet: ["i-1", null, "i-2"],
      nested: { inner: undefined },
    });
    assert.equal(
      xml,
      DECLARATION +
        '<XResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">\n' +
        "    <requestId>r</requestId>\n" +
        "    <groupSet/>\n" +
        "    <reason/>\n" +
        "    <instanceIdSet>\n" +
        "        <item>i-1</item>\n" +
        "        <item>i-2</item>\n" +
        "    </instanceIdSet>\n" +
        "    <nested/>\n" +
        "</XResponse>",
    );
  });

  it("xml.renderResponse: scalars are written the way EC2 writes them", () => {
    const xml = renderResponse("X", "r", {
      yes: true,
      no: false,
      hop: 2,
      negative: -1,
      big: 12345678901234567890n,
      launchTime: new Date(Date.UTC(2017, 4, 20, 6, 23, 33)),
    });
    assert.match(xml, /<yes>true<\/yes>\n {4}<no>false<\/no>\n {4}<hop>2<\/hop>\n {4}<negative>-1<\/negative>/);
    assert.match(xml, /<big>12345678901234567890<\/big>/);
    assert.match(xml, /<launchTime>2017-05-20T06:23:33\.000Z<\/launchTime>/);
  });

  it("xml.renderResponse: escapes markup, writes CR as a reference and strips characters XML 1.0 forbids", () => {
    const xml = renderResponse("X", "r&<", { value: `a&b<c>d"e'f\rg\n\t\u0000\u0008\u000B\u000C\u001F\uFFFE\uFFFF\uD800h\uD83D\uDE00` });
    assert.match(xml, /<requestId>r&amp;&lt;<\/requestId>/);
    assert.ok(xml.includes("<value>a&amp;b&lt;c&gt;d&quot;e&apos;f&#xD;g\n\th\uD83D\uDE00</value>"));
    assert.equal(XMLValidator.validate(xml), true);
  });

  it("xml.renderResponse: an element named __proto__ is written, not swallowed", () => {
    const body = JSON.parse('{"__proto__":"p"}') as XmlObject;
    assert.match(renderResponse("X", "r", body), /<__proto__>p<\/__proto__>/);
  });

  it("xml.renderResponse: programming errors throw instead of writing bad XML", () => {
    assert.throws(() => renderResponse("describeInstances", "r", {}), /invalid action name/);
    assert.throws(() => renderResponse("X", "r", { requestId: "dup" }), /must not set requestId/);
    assert.throws(() => renderResponse("X", "r", { "bad name": "v" }), /invalid element name/);
    assert.throws(() => renderResponse("X", "r", { "@_xmlns": "v" }), /invalid element name/);
    assert.throws(() => renderResponse("X", "r", { "#text": "v" }), /invalid element name/);
    assert.throws(() => renderResponse("X", "r", { n: Number.NaN }), /not a finite number/);
    assert.throws(() => renderResponse("X", "r", { d: new Date(Number.NaN) }), /invalid Date/);
    const cyclic: Record<string, XmlValue> = {};
    cyclic.self = cyclic;
    assert.throws(() => renderResponse("X", "r", cyclic), /nested deeper/);
  });

  it("xml.renderResponse: any string round-trips through fast-xml-parser, minus forbidden characters", () => {
    fc.assert(
      fc.property(anyText, anyText, (requestId, value) => {
        const xml = renderResponse("X", requestId, { tagSet: [{ key: "k", value }], plain: value });
        assert.equal(XMLValidator.validate(xml), true);
        const root = (reader.parse(xml) as { XResponse: Record<string, unknown> }).XResponse;
        assert.equal(root.requestId, xmlSafeText(requestId));
        assert.equal(root.plain, xmlSafeText(value));
        const item = (root.tagSet as { item: { value: string } }).item;
        assert.equal(item.value, xmlSafeText(value));
      }),
      { numRuns: 500 },
    );
  });

  it("xml.renderResponse: any string round-trips through the AWS SDK's own XML parser", () => {
    fc.assert(
      fc.property(anyText, (value) => {
        const parsed = parseXML(renderResponse("X", "r", { plain: value })) as { XResponse: { plain: string } };
        const expected = xmlSafeText(value);
        // The SDK reads whitespace-only text containing a LF as empty (its own rule, not ours).
        assert.equal(parsed.XResponse.plain, expected.trim() === "" && expected.includes("\n") ? "" : expected);
      }),
      { numRuns: 500 },
    );
  });
});

describe("xml.renderError", () => {
  it("xml.renderError: the EC2 envelope on one line (golden)", () => {
    assertGolden("ec2/error-envelope.xml", renderError("InvalidInstanceID.NotFound", "The instance ID 'i-1a2b3c4d' does not exist", "ea966190-f9aa-478e-9ede-example"));
  });

  it("xml.renderError: escapes code, message and request id", () => {
    assert.equal(
      renderError("C<", "msg <&> \"q\" 'x'", "req&1"),
      DECLARATION +
        "<Response><Errors><Error><Code>C&lt;</Code><Message>msg &lt;&amp;&gt; &quot;q&quot; &apos;x&apos;</Message></Error></Errors><RequestID>req&amp;1</RequestID></Response>",
    );
  });

  it("xml.renderError: an empty message self-closes", () => {
    assert.match(renderError("C", "", "r"), /<Message\/>/);
  });

  it("xml.renderError: any message round-trips, minus forbidden characters", () => {
    fc.assert(
      fc.property(anyText, (message) => {
        const xml = renderError("InvalidParameterValue", message, "req-1");
        assert.equal(XMLValidator.validate(xml), true);
        const parsed = reader.parse(xml) as { Response: { Errors: { Error: { Code: string; Message: string } }; RequestID: string } };
        assert.equal(parsed.Response.Errors.Error.Message, xmlSafeText(message));
        assert.equal(parsed.Response.RequestID, "req-1");
      }),
      { numRuns: 300 },
    );
  });
});
