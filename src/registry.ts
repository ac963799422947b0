import clickhouseHttp from '../probes/clickhouse-http.js';
import clickhouseNative from '../probes/clickhouse-native.js';
import elasticsearch from '../probes/elasticsearch.js';
import httpAdmin from '../probes/http-admin.js';
import kibana from '../probes/kibana.js';
import memcached from '../probes/memcached.js';
import mongodb from '../probes/mongodb.js';
import mysql from '../probes/mysql.js';
import postgres from '../probes/postgres.js';
import redis from '../probes/redis.js';
import type { Probe } from './probe.js';

/** Every probe, in the order they are listed. A test checks that each file in probes/ is here. */
export const probes: readonly Probe[] = [redis, clickhouseHttp, clickhouseNative, elasticsearch, kibana, httpAdmin, mongodb, postgres, mysql, memcached];

export function probesFor(service: string): Probe[] {
  return probes.filter((p) => p.meta.service === service);
}

export const services: readonly string[] = [...new Set(probes.map((p) => p.meta.service))];

/** A service's default ports: the union of its probes' ports. */
export function defaultPorts(service: string): number[] {
  return [...new Set(probesFor(service).flatMap((p) => p.meta.defaultPorts))].sort((a, b) => a - b);
}
