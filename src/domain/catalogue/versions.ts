/**
 * The dated metadata versions EC2 lists at `GET /`, oldest first. A category appears under a
 * version only if it existed in that build ("Version when category was released",
 * docs/sources.md#instance-metadata-categories);
 * version strings compare correctly as plain strings ("1.0" < "2007-…" < "latest").
 */
export const METADATA_VERSIONS = [
  "1.0",
  "2007-01-19",
  "2007-03-01",
  "2007-08-29",
  "2007-10-10",
  "2007-12-15",
  "2008-02-01",
  "2008-09-01",
  "2009-04-04",
  "2011-01-01",
  "2011-05-01",
  "2012-01-12",
  "2014-02-25",
  "2014-11-05",
  "2015-10-20",
  "2016-04-19",
  "2016-06-30",
  "2016-09-02",
  "2018-03-28",
  "2018-08-17",
  "2018-09-24",
  "2019-10-01",
  "2020-10-27",
  "2021-01-03",
  "2021-03-23",
  "2021-07-15",
  "2022-09-24",
  "2024-04-11",
  "latest",
] as const;

export type MetadataVersion = (typeof METADATA_VERSIONS)[number];

const KNOWN = new Set<string>(METADATA_VERSIONS);

export function isMetadataVersion(value: string): value is MetadataVersion {
  return KNOWN.has(value);
}

/** True when a category introduced in `since` is served under `version`. */
export function existsIn(since: string, version: string): boolean {
  return since <= version;
}
