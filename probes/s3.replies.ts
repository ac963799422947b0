import { describeHttp, httpRequests, httpResponse, type ProbeReplies } from '../src/probe-replies.js';

/**
 * S3 API, path-style, as MinIO answers it: ListBuckets (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html),
 * ListObjectsV2 (…/API_ListObjectsV2.html), the error body (…/ErrorResponses.html; MinIO's wording from minio/minio
 * issue #3774).
 */
const xml = (body: string) =>
  httpResponse(
    200,
    { 'content-type': 'application/xml', server: 'MinIO', 'x-amz-request-id': '1799E4C7C3F1F3A3' },
    `<?xml version="1.0" encoding="UTF-8"?>\n${body}`,
  );
const denied = httpResponse(
  403,
  { 'content-type': 'application/xml', server: 'MinIO', 'x-amz-request-id': '1799E4C7C3F1F3A2' },
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied.</Message><Resource>/</Resource><RequestId>1799E4C7C3F1F3A2</RequestId></Error>',
);

export default {
  probe: 's3',
  frameRequest: httpRequests,
  describe: describeHttp,
  endless: {
    prefix: 'HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nServer: MinIO\r\n\r\n<?xml version="1.0"?><ListAllMyBucketsResult>',
    source: 'a ListBuckets result with neither Content-Length nor chunking: the body runs until close (RFC 9112 §6.3)',
  },
  cases: {
    'public-listing': {
      state: 'exposed',
      source: 'an S3-compatible store allowing anonymous ListBuckets and ListObjectsV2 (AWS-style public policy), MinIO headers',
      exchanges: [
        {
          request: 'GET /',
          reply: xml(
            '<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>02d6176db174dc93cb1b899f7c6078f08654445fe8cf1b6ce98d8855f66bdbf4</ID><DisplayName>minio</DisplayName></Owner><Buckets><Bucket><Name>backups</Name><CreationDate>2025-01-02T03:04:05.000Z</CreationDate></Bucket></Buckets></ListAllMyBucketsResult>',
          ),
        },
        {
          request: /^GET \/backups\?list-type=2&max-keys=\d+$/,
          reply: xml(
            '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>backups</Name><Prefix></Prefix><KeyCount>1</KeyCount><MaxKeys>100</MaxKeys><IsTruncated>false</IsTruncated><Contents><Key>db-2025-01-10.sql.gz</Key><LastModified>2025-01-10T10:00:00.000Z</LastModified><Size>1048576</Size><StorageClass>STANDARD</StorageClass></Contents></ListBucketResult>',
          ),
        },
      ],
      expect: { status: 'exposed' },
    },
    'private-buckets': {
      state: 'secured',
      source: 'MinIO refuses anonymous ListBuckets with 403 AccessDenied (it never allows it)',
      exchanges: [{ request: /./, reply: denied }],
      expect: { status: 'auth-required' },
    },
  },
} satisfies ProbeReplies;
