import assert from "node:assert/strict";
import { test } from "node:test";
import { decode } from "cbor2";
import { CloudWatchError } from "./cloudwatch-error.ts";
import { queryInput, RPC_V2_CBOR_PROTOCOL, QUERY_PROTOCOL } from "./wire-protocols.ts";

test("wire protocols: the Query form's member lists become lists of structures", () => {
  const params = new URLSearchParams(
    "Action=GetMetricData&Version=2010-08-01&StartTime=2026-12-01T00:00:00Z&MetricDataQueries.member.1.Id=a" +
      "&MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name=InstanceId" +
      "&MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value=i-1&MetricDataQueries.member.1.MetricStat.Period=60" +
      "&MetricDataQueries.member.2.Id=b&Statistics.member.1=Sum&Statistics.member.2=Maximum",
  );
  assert.deepEqual(queryInput(params), {
    StartTime: "2026-12-01T00:00:00Z",
    MetricDataQueries: [{ Id: "a", MetricStat: { Metric: { Dimensions: [{ Name: "InstanceId", Value: "i-1" }] }, Period: "60" } }, { Id: "b" }],
    Statistics: ["Sum", "Maximum"],
  });
});

test("wire protocols: a CBOR error names the shape in __type and the Query code in x-amzn-query-error", () => {
  const answer = RPC_V2_CBOR_PROTOCOL.encodeError(new CloudWatchError("InvalidParameterCombination", "no"), "r-1");
  assert.equal(answer.status, 400);
  assert.equal(answer.headers["x-amzn-query-error"], "InvalidParameterCombination;Sender");
  assert.equal(answer.headers["smithy-protocol"], "rpc-v2-cbor");
  assert.deepEqual(decode(answer.body as Buffer), { __type: "com.amazonaws.cloudwatch#InvalidParameterCombinationException", message: "no" });
});

test("wire protocols: Query lists render as member elements, dates as ISO 8601", () => {
  const answer = QUERY_PROTOCOL.encode("GetMetricStatistics", { Label: "a<b", Datapoints: [{ Timestamp: new Date(Date.UTC(2026, 11, 1)), Sum: 2 }] }, "r-1");
  assert.equal(
    answer.body,
    '<GetMetricStatisticsResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><GetMetricStatisticsResult><Label>a&lt;b</Label>' +
      "<Datapoints><member><Timestamp>2026-12-01T00:00:00Z</Timestamp><Sum>2</Sum></member></Datapoints></GetMetricStatisticsResult>" +
      "<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></GetMetricStatisticsResponse>",
  );
});
