/**
 * PostgreSQL is the specification: each script below is sent byte for byte to a real
 * PostgreSQL 15 and to the wire server (with the protocol test engine, whose statements mean the
 * same in both), and the backend messages must be the same — message by message, DataRows and
 * RowDescriptions byte for byte, errors by severity, SQLSTATE and text. Skipped when PostgreSQL
 * is not installed.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findPostgresBinDir, startPostgresCluster, type PostgresCluster } from '../../bench/peers/postgres-cluster.js';
import { temporalRow } from '../unit/server/support/test-engine.js';
import { startTestServer, type TestServer } from '../unit/server/support/test-server.js';
import { message, serialize as s, startupPacket, summarize, WireClient } from '../unit/server/support/wire-client.js';
import type { BackendMessage } from 'pg-protocol/dist/messages.js';

type Step = Buffer | { readonly waitFor: string };

interface Script {
  readonly steps: readonly Step[];
  /** ReadyForQuery messages to wait for after startup; the socket closing also ends the wait. */
  readonly ready: number;
}

const series = (n: number) => `select n from generate_series(1, ${n}) as n`;
const quotients = (zeroAt: number, n: number) => `select 1/(n - ${zeroAt}) as q from generate_series(1, ${n}) as n`;
const params = 'select $1::int4 as a, $2::text as b';
const typesRow = 'select true as t, 7::int2 as s, -9007199254740993::int8 as big, 1.5::float8 as f, null::text as z';
const b = (...bytes: number[]) => Buffer.from(bytes);
const bind = (statement: string, body: Buffer) => message('B', Buffer.concat([Buffer.from(`\0${statement}\0`), body]));

const scripts: Record<string, Script> = {
  'row limit, PortalSuspended, resumption and the exhausted portal': {
    steps: [
      s.parse({ text: series(5) }),
      s.bind({ portal: 'p' }),
      s.describe({ type: 'P', name: 'p' }),
      s.execute({ portal: 'p', rows: 2 }),
      s.execute({ portal: 'p', rows: 2 }),
      s.execute({ portal: 'p', rows: 2 }),
      s.execute({ portal: 'p', rows: 2 }),
      s.sync(),
      s.execute({ portal: 'p', rows: 2 }),
      s.sync(),
    ],
    ready: 2,
  },
  'row limit then no limit': {
    steps: [s.parse({ text: series(5) }), s.bind({}), s.execute({ rows: 2 }), s.execute(), s.sync()],
    ready: 1,
  },
  'named statements: duplicates, unknown names, Close of unknown names': {
    steps: [
      s.parse({ name: 'a', text: series(1) }),
      s.parse({ name: 'a', text: series(1) }),
      s.sync(),
      s.bind({ statement: 'zz' }),
      s.sync(),
      s.execute({ portal: 'nope' }),
      s.sync(),
      s.describe({ type: 'P', name: 'nope' }),
      s.sync(),
      s.describe({ type: 'S', name: 'nope' }),
      s.sync(),
      s.close({ type: 'S', name: 'nope' }),
      s.close({ type: 'P', name: 'nope' }),
      s.close({ type: 'S', name: 'a' }),
      s.parse({ name: 'a', text: series(2) }),
      s.bind({ statement: 'a' }),
      s.execute(),
      s.sync(),
    ],
    ready: 6,
  },
  'unnamed statement and portal that do not exist': {
    steps: [s.bind({}), s.sync(), s.describe({ type: 'S' }), s.sync(), s.describe({ type: 'P' }), s.sync(), s.execute(), s.sync()],
    ready: 4,
  },
  'empty queries in both protocols': {
    steps: [
      s.query(''),
      s.query(';'),
      s.query(`${series(1)}; ;${series(2)}`),
      s.parse({ text: '' }),
      s.bind({}),
      s.describe({ type: 'P' }),
      s.execute(),
      s.describe({ type: 'S' }),
      s.sync(),
    ],
    ready: 4,
  },
  'simple query: a syntax error anywhere runs nothing': {
    steps: [s.query(`${series(1)}; selec 2; ${series(1)}`)],
    ready: 1,
  },
  'simple query: a run-time error skips the rest': {
    steps: [s.query(`${series(2)}; ${quotients(2, 3)}; ${series(1)}`), s.query(series(1))],
    ready: 2,
  },
  'extended query: after an error, messages are skipped until Sync': {
    steps: [
      s.parse({ text: quotients(1, 2) }),
      s.bind({}),
      s.execute(),
      s.parse({ text: series(1) }),
      s.bind({}),
      s.execute(),
      s.flush(),
      s.query(series(3)),
      s.sync(),
      s.query(series(1)),
    ],
    ready: 2,
  },
  'Bind: parameter counts, formats and values': {
    steps: [
      s.parse({ name: 'q', text: params }),
      s.bind({ statement: 'q', values: [] }),
      s.sync(),
      s.bind({ statement: 'q', values: ['abc', 'x'] }),
      s.sync(),
      bind('q', b(0, 1, 0, 2, 0, 2, 0, 0, 0, 1, 0x31, 0, 0, 0, 1, 0x78, 0, 0)),
      s.sync(),
      bind('q', b(0, 3, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 1, 0x31, 0, 0, 0, 1, 0x78, 0, 0)),
      s.sync(),
      bind('q', b(0, 0, 0, 2, 0, 0, 0, 1, 0x31, 0, 0, 0, 1, 0x78, 0, 3, 0, 0, 0, 0, 0, 0)),
      s.sync(),
      bind('q', b(0, 2, 0, 1, 0, 0, 0, 2, 0, 0, 0, 4, 0, 0, 1, 0, 0xff, 0xff, 0xff, 0xff, 0, 1, 0, 1)),
      s.describe({ type: 'P' }),
      s.execute(),
      s.sync(),
      bind('q', b(0, 0, 0, 2, 0, 0, 0, 1, 0x31, 0, 0, 0, 1, 0x78, 0, 1, 0, 3)),
      s.describe({ type: 'P' }),
      s.execute(),
      s.sync(),
    ],
    ready: 7,
  },
  'Describe of a statement with given and inferred parameter types': {
    steps: [
      s.parse({ name: 'p1', text: params }),
      s.describe({ type: 'S', name: 'p1' }),
      s.parse({ name: 'p2', text: params, types: [0, 25] }),
      s.describe({ type: 'S', name: 'p2' }),
      s.parse({ name: 'p3', text: 'begin' }),
      s.describe({ type: 'S', name: 'p3' }),
      s.sync(),
    ],
    ready: 1,
  },
  'binary and text results of several types': {
    steps: [
      s.parse({ text: typesRow }),
      s.bind({ binary: true }),
      s.describe({ type: 'P' }),
      s.execute(),
      s.bind({}),
      s.execute(),
      s.sync(),
      s.query(typesRow),
      s.query(`select n, repeat('x', 3) as label from generate_series(1, 3) as n`),
    ],
    ready: 3,
  },
  'dates, timestamps, numeric, jsonb and float4 in both formats, under the session time zone': {
    steps: [
      s.query(temporalRow),
      s.query("set timezone = 'Europe/Paris'"),
      s.query(temporalRow),
      s.parse({ text: temporalRow }),
      s.bind({ binary: true }),
      s.execute(),
      s.sync(),
    ],
    ready: 4,
  },
  'failed transaction block': {
    steps: [
      s.query('begin'),
      s.parse({ name: 'q', text: series(1) }),
      s.bind({ statement: 'q', portal: 'p' }),
      s.sync(),
      s.query('selec 1'),
      s.describe({ type: 'S', name: 'q' }),
      s.sync(),
      s.describe({ type: 'P', name: 'p' }),
      s.sync(),
      s.bind({ statement: 'q' }),
      s.sync(),
      s.execute({ portal: 'p' }),
      s.sync(),
      s.parse({ text: series(2) }),
      s.sync(),
      s.query(series(1)),
      s.parse({ name: 'r', text: 'rollback' }),
      s.bind({ statement: 'r' }),
      s.execute(),
      s.sync(),
      s.execute({ portal: 'p' }),
      s.sync(),
      s.query(`begin; ${quotients(1, 1)}`),
      s.query('commit'),
    ],
    ready: 12,
  },
  'portals end with their transaction': {
    steps: [
      s.parse({ name: 'q', text: series(3) }),
      s.bind({ statement: 'q', portal: 'p' }),
      s.sync(),
      s.execute({ portal: 'p' }),
      s.sync(),
      s.query('begin'),
      s.bind({ statement: 'q', portal: 'p' }),
      s.sync(),
      s.execute({ portal: 'p', rows: 1 }),
      s.sync(),
      s.bind({ statement: 'q', portal: 'p' }),
      s.execute({ portal: 'p', rows: 1 }),
      s.sync(),
      s.query('commit'),
      s.execute({ portal: 'p' }),
      s.sync(),
    ],
    ready: 8,
  },
  'a portal of a statement without rows cannot run twice': {
    steps: [s.query('create temp table t (a int)'), s.parse({ text: 'insert into t values (1)' }), s.bind({}), s.describe({ type: 'P' }), s.execute(), s.execute(), s.sync()],
    ready: 2,
  },
  'several commands in one Parse': {
    steps: [s.parse({ text: `${series(1)}; ${series(2)}` }), s.sync()],
    ready: 1,
  },
  'SET reports ParameterStatus before ReadyForQuery; notices precede completion': {
    steps: [s.query("set timezone = 'Europe/Paris'"), s.query("do $$ begin raise notice 'hello'; end $$"), s.parse({ text: "set timezone = 'UTC'" }), s.bind({}), s.execute(), s.sync()],
    ready: 3,
  },
  'Flush sends what is pending without a Sync': {
    steps: [s.parse({ text: series(2) }), s.bind({}), s.execute(), s.flush(), { waitFor: 'commandComplete' }, s.sync()],
    ready: 1,
  },
  'malformed message contents are errors, not disconnections': {
    steps: [
      message('P', 'abc'),
      s.sync(),
      message('P', Buffer.from('\0select 1\0\0\x05')),
      s.sync(),
      message('P', Buffer.from('\0select 1\0\0\0xyz')),
      s.sync(),
      message('Q', 'select 1'),
      message('Q', Buffer.from('select 1\0x')),
      message('S', 'x'),
      message('D', 'X\0'),
      s.sync(),
      message('C', 'X\0'),
      s.sync(),
      s.parse({ text: series(1) }),
      s.bind({}),
      message('E', '\0'),
      s.sync(),
      message('Q', Buffer.concat([Buffer.from("select 'a"), b(0xc3, 0x28), Buffer.from("'\0")])),
      s.query(series(1)),
    ],
    ready: 11,
  },
  'messages that only matter inside COPY are ignored outside it': {
    steps: [message('d', 'xx'), message('c'), message('f', 'stop\0'), s.query(series(1))],
    ready: 1,
  },
  'an unknown message type is FATAL': {
    steps: [s.query(series(1)), b(0x7a, 0, 0, 0, 4)],
    ready: 2,
  },
  Terminate: {
    steps: [s.query(series(1)), s.end(), s.query(series(1))],
    ready: 2,
  },
};

async function runScript(port: number, user: string, script: Script): Promise<string[]> {
  const client = await WireClient.connect(port, { parameters: { user, database: user } });
  try {
    for (const step of script.steps) {
      if (Buffer.isBuffer(step)) client.send(step);
      else await client.waitFor((ms) => ms.slice(client.startupEnd).some((m) => m.name === step.waitFor));
    }
    await client.waitForReady(script.ready);
    // Anything sent after the last ReadyForQuery (there should be nothing) shows up here too.
    await new Promise((resolve) => setTimeout(resolve, 50));
    return client.messages.slice(client.startupEnd).map((m, i) => describeMessage(m, client.frames[client.startupEnd + i]?.body));
  } finally {
    client.destroy();
  }
}

/** Summaries, plus the exact bytes of messages whose bytes are fully specified. */
function describeMessage(m: BackendMessage, body: Buffer | undefined): string {
  const summary = summarize(m);
  if (m.name === 'dataRow' || m.name === 'rowDescription' || m.name === 'parameterDescription') {
    return `${summary} | ${body?.toString('hex')}`;
  }
  return summary;
}

async function startupOutcome(port: number, packet: Buffer): Promise<string[]> {
  const client = await WireClient.connect(port, { startup: false });
  client.send(packet);
  await client.closed;
  return client.messages.map(summarize);
}

const postgresAvailable = findPostgresBinDir() !== null;

describe.skipIf(!postgresAvailable)('same messages as PostgreSQL 15', () => {
  let postgres: PostgresCluster;
  let server: TestServer;

  beforeAll(async () => {
    [postgres, server] = await Promise.all([startPostgresCluster(), startTestServer()]);
  });

  afterAll(async () => {
    await Promise.all([postgres?.stop(), server?.close()]);
  });

  for (const [name, script] of Object.entries(scripts)) {
    test(name, async () => {
      const [ours, theirs] = await Promise.all([runScript(server.port, 'eventide', script), runScript(postgres.port, 'postgres', script)]);
      expect(theirs.length).toBeGreaterThan(0);
      expect(ours).toEqual(theirs);
    });
  }

  test('startup failures', async () => {
    const packets = [
      startupPacket(3, 0, { database: 'postgres' }),
      startupPacket(4, 0, { user: 'postgres' }),
      startupPacket(3, 0, { user: 'postgres', options: '-Z' }),
      startupPacket(3, 0, { user: 'postgres', options: '-c foo' }),
      startupPacket(3, 0, { user: 'postgres', options: '--foo' }),
      startupPacket(3, 0, { user: 'postgres', bogus_setting: 'x' }),
    ];
    for (const packet of packets) {
      const [ours, theirs] = await Promise.all([startupOutcome(server.port, packet), startupOutcome(postgres.port, packet)]);
      expect(theirs.at(-1)).toMatch(/^E FATAL /);
      expect(ours).toEqual(theirs);
    }
  });

  test('NegotiateProtocolVersion for a newer minor version and _pq_ options', async () => {
    const frames = async (port: number) => {
      const client = await WireClient.connect(port, { startup: false });
      client.send(startupPacket(3, 1, { user: 'postgres', '_pq_.something': 'x' }));
      await client.waitFor((ms) => ms.some((m) => m.name === 'readyForQuery'));
      client.destroy();
      return client.frames.map((f) => (f.type === 'v' || f.type === 'R' ? `${f.type} ${f.body.toString('hex')}` : f.type));
    };
    const [ours, theirs] = await Promise.all([frames(server.port), frames(postgres.port)]);
    expect(theirs[0]).toMatch(/^v /);
    expect(ours.filter((f) => f !== 'S')).toEqual(theirs.filter((f) => f !== 'S'));
  });
});
