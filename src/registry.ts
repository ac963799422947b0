import clickhouseHttp from '../probes/clickhouse-http.js';
import clickhouseNative from '../probes/clickhouse-native.js';
import elasticsearch from '../probes/elasticsearch.js';
import httpAdmin from '../probes/http-admin.js';
import kibana from '../probes/kibana.js';
import redis from '../probes/redis.js';
import cassandra from '../probes/cassandra.js';
import influxdb from '../probes/influxdb.js';
import kafka from '../probes/kafka.js';
import loki from '../probes/loki.js';
import neo4j from '../probes/neo4j.js';
import s3 from '../probes/s3.js';
import zookeeper from '../probes/zookeeper.js';
import type { Probe } from './probe.js';

/** Every probe, in the order they are listed. A test checks that each file in probes/ is here. */
export const probes: readonly Probe[] = [redis, clickhouseHttp, clickhouseNative, elasticsearch, kibana, httpAdmin,
  influxdb, zookeeper, cassandra, kafka, neo4j, loki, s3];

export function probesFor(service: string): Probe[] {
  return probes.filter((p) => p.meta.service === service);
}

export const services: readonly string[] = [...new Set(probes.map((p) => p.meta.service))];

/** A service's default ports: the union of its probes' ports. */
export function defaultPorts(service: string): number[] {
  return [...new Set(probesFor(service).flatMap((p) => p.meta.defaultPorts))].sort((a, b) => a - b);
}
