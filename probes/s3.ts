import { XMLParser } from 'fast-xml-parser';
import { isEaError } from '../src/errors.js';
import type { HttpResponse } from '../src/net/http.js';
import { always, defineProbe, type ProbeResult } from '../src/probe.js';
import { looksSensitive } from '../src/risk/sensitive-names.js';
import type { DataItem } from '../src/types.js';

/**
 * S3-compatible object storage (MinIO, Ceph RGW, SeaweedFS, Garage, AWS S3 itself), path-style, anonymous (no
 * signature). Two read-only requests, both from the S3 API reference:
 * - ListBuckets `GET /` (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html): 200
 *   `<ListAllMyBucketsResult>` = anyone can list the buckets. MinIO never allows it anonymously and answers 403
 *   `<Error><Code>AccessDenied</Code>…` — so that 403 alone only says "S3, credentials wanted".
 * - ListObjectsV2 `GET /<bucket>?list-type=2&max-keys=100` (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html)
 *   for the buckets the inventory names (`buckets:` on the target) and those ListBuckets showed: 200
 *   `<ListBucketResult>` = the bucket is publicly listable (MinIO `mc anonymous set download|public`). Keys, sizes
 *   and dates only; no object is ever fetched.
 * XML is parsed by fast-xml-parser on a byte-capped body; DOCTYPE/ENTITY declarations are refused before parsing.
 */
const bucketCap = 10;
const maxKeys = 100;
const paths = { listBuckets: '/', listObjects: (bucket: string) => `/${encodeURIComponent(bucket)}?list-type=2&max-keys=${maxKeys}` };
/** S3 bucket naming rules (3–63 lowercase letters, digits, dots, hyphens): anything else is not a bucket we ask for. */
export const bucketNamePattern = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  processEntities: true,
  htmlEntities: false,
  isArray: (name) => name === 'Bucket' || name === 'Contents' || name === 'CommonPrefixes',
});

type Xml = Record<string, unknown>;

function parseXml(res: HttpResponse): Xml | undefined {
  if (!/^\s*(<\?xml[^>]*\?>\s*|)</.test(res.text) || /<!(DOCTYPE|ENTITY)/i.test(res.text)) return undefined;
  try {
    const doc = parser.parse(res.text) as unknown;
    return doc && typeof doc === 'object' ? (doc as Xml) : undefined;
  } catch {
    return undefined;
  }
}

const text = (v: unknown, max = 256) => (typeof v === 'string' ? v.slice(0, max) : typeof v === 'number' ? String(v) : undefined);
const obj = (v: unknown): Xml | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Xml) : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** `<Error><Code>X</Code>` → X. */
function errorCode(doc: Xml | undefined): string | undefined {
  return text(obj(doc?.Error)?.Code, 64);
}

function product(res: HttpResponse): string {
  const server = res.headers.server ?? '';
  if (/minio/i.test(server)) return 'MinIO';
  if (/AmazonS3/i.test(server)) return 'Amazon S3';
  return 'S3-compatible storage';
}

export default defineProbe({
  meta: {
    id: 's3',
    service: 's3',
    title: 'S3-compatible object storage readable anonymously',
    description:
      'Anonymous ListBuckets (GET /), then anonymous ListObjectsV2 of the buckets named in the inventory (and of those ListBuckets showed): bucket names, object counts, sizes and sensitive-looking keys.',
    defaultPorts: [9000],
    transport: 'http',
    tls: 'optional',
    sends: always(`GET ${paths.listBuckets}`, `GET /<bucket>?list-type=2&max-keys=${maxKeys}`),
    exposure: 'anyone who can reach the endpoint can list (and usually download) the objects of the public buckets, or every bucket',
    remediation:
      'Remove anonymous policies (mc anonymous set none <alias>/<bucket>; S3 Block Public Access), keep the API on private interfaces and firewall 9000.',
    references: [
      'https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html',
      'https://min.io/docs/minio/linux/reference/minio-mc/mc-anonymous-set.html',
    ],
  },
  async run(target, ctx): Promise<ProbeResult> {
    const res = await ctx.http({ path: paths.listBuckets, maxBytes: 256 * 1024 });
    const doc = parseXml(res);
    const reply = `${res.status} ${res.text.slice(0, 200).trim()}`;
    const proofList = `GET ${paths.listBuckets}`;
    const listed = obj(doc?.ListAllMyBucketsResult);
    const code = errorCode(doc);
    const isS3 =
      !!listed ||
      (!!code &&
        (res.headers['x-amz-request-id'] !== undefined ||
          !!text(obj(doc?.Error)?.RequestId) ||
          /minio|AmazonS3/i.test(res.headers.server ?? '')));
    if (!isS3) return { status: 'not-detected', evidence: { proof: proofList, reply }, facts: {} };
    const name = product(res);

    const fromListing = listed
      ? arr(obj(listed.Buckets)?.Bucket)
          .map((b) => text(obj(b)?.Name))
          .filter((n): n is string => !!n)
      : [];
    const declared = (target.buckets ?? []).filter((b) => bucketNamePattern.test(b));
    const toList = [...new Set([...declared, ...fromListing.filter((b) => bucketNamePattern.test(b))])].slice(0, bucketCap);
    let truncated = fromListing.length > bucketCap || fromListing.length > ctx.caps.items;
    const items: DataItem[] = fromListing.slice(0, ctx.caps.items).map((b) => ({ kind: 'bucket', name: b }));
    const publicBuckets: string[] = [];
    const bucketStatus: Record<string, string> = Object.create(null);
    let objects = 0;
    let bytes = 0;
    let sensitive = 0;
    let proof = listed ? proofList : undefined;
    let proofReply = listed ? `200 ListAllMyBucketsResult: ${fromListing.length} bucket(s)` : undefined;
    for (const bucket of toList) {
      let r: HttpResponse;
      try {
        r = await ctx.http({ path: paths.listObjects(bucket), maxBytes: 512 * 1024 });
      } catch (err) {
        // Once something proved the exposure, a bucket that fails to list only makes the listing incomplete.
        if (isEaError(err, 'EA_ABORTED') || (!listed && !proof)) throw err;
        truncated = true;
        continue;
      }
      const d = parseXml(r);
      const result = obj(d?.ListBucketResult);
      if (r.status !== 200 || !result) {
        bucketStatus[bucket] = errorCode(d) ?? `HTTP ${r.status}`;
        continue;
      }
      bucketStatus[bucket] = 'listable';
      publicBuckets.push(bucket);
      const contents = arr(result.Contents)
        .map(obj)
        .filter((c): c is Xml => !!c);
      const sizes = contents.map((c) => Number(text(c.Size)) || 0);
      const keys = contents.map((c) => text(c.Key, 512) ?? '');
      const more = text(result.IsTruncated) === 'true';
      if (more || r.truncated) truncated = true;
      const item: DataItem = {
        kind: 'bucket',
        name: bucket,
        rows: contents.length,
        bytes: sizes.reduce((a, b) => a + b, 0),
        fields: keys.slice(0, ctx.caps.fields),
      };
      const existing = items.findIndex((i) => i.name === bucket);
      if (existing >= 0) items[existing] = item;
      else items.push(item);
      objects += contents.length;
      bytes += item.bytes!;
      sensitive += keys.filter((k) => looksSensitive(k)).length;
      if (!proof) {
        proof = `GET ${paths.listObjects(bucket)}`;
        proofReply = `200 ListBucketResult: ${contents.length} key(s)${more ? ' (more)' : ''}`;
      }
    }
    const facts: Record<string, unknown> = {
      listBuckets: listed ? 'allowed' : (code ?? 'refused'),
      ...(toList.length ? { buckets: bucketStatus } : {}),
      ...(sensitive ? { sensitiveKeys: sensitive } : {}),
    };
    if (!proof) {
      const notes = [
        declared.length
          ? `no declared bucket is listable anonymously (${declared.length} tried)`
          : 'no buckets are declared in the inventory (buckets: [...]): only ListBuckets was tried, and MinIO never allows it anonymously',
      ];
      return { status: 'auth-required', evidence: { product: name, proof: proofList, reply, notes }, facts };
    }
    return {
      status: 'exposed',
      evidence: {
        product: name,
        proof,
        ...(proofReply ? { reply: proofReply } : {}),
        notes: [
          `anonymously listable: ${listed ? 'the bucket list' : ''}${listed && publicBuckets.length ? ' and ' : ''}${publicBuckets.join(', ')}`.slice(
            0,
            300,
          ),
        ],
        ...(truncated ? { truncated: true } : {}),
      },
      facts,
      data: {
        items: items.slice(0, ctx.caps.items),
        totals: { databases: items.length, rows: objects, bytes },
        ...(truncated ? { truncated } : {}),
      },
    };
  },
});
