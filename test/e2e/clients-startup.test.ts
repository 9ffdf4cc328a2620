/**
 * Connection startup as clients see it: SSLRequest answered 'N' and the startup going on in the
 * clear on the same socket; the ParameterStatus values that drivers read (server_version must
 * parse as 15.x; UTF8; ISO dates; integer datetimes; standard-conforming strings; a TimeZone);
 * BackendKeyData; ReadyForQuery idle; and a ParameterStatus after SET of a reported setting.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WireClient } from './clients-wire-client.js';
import { startTarget, type Target } from './clients-target.js';

describe('startup', () => {
  let target: Target;

  beforeAll(async () => {
    target = await startTarget();
  });

  afterAll(async () => {
    await target?.stop();
  });

  it('answers SSLRequest with N and then accepts the startup on the same socket', async () => {
    const wire = await WireClient.open(target.host, target.port);
    try {
      expect(await wire.requestSsl()).toBe('N');
      const messages = await wire.startup();
      const types = messages.map((m) => m.type);
      // AuthenticationOk first (trust), BackendKeyData, ReadyForQuery idle last.
      expect(types[0]).toBe('R');
      expect(messages[0]?.body.readInt32BE(0)).toBe(0);
      expect(types).toContain('K');
      expect(types.at(-1)).toBe('Z');
      expect(messages.at(-1)?.body.toString()).toBe('I');
      expect(wire.processId).not.toBe(0);
      const result = await wire.simpleQuery('SELECT 1');
      expect(result.errorCode).toBeNull();
      expect(result.rows.map((row) => row.map((v) => v?.toString()))).toEqual([['1']]);
    } finally {
      wire.close();
    }
  });

  it('reports the parameters drivers depend on', async () => {
    const wire = await WireClient.open(target.host, target.port);
    try {
      await wire.startup();
      const p = wire.parameters;
      expect(p.get('server_version')).toMatch(/^15\.\d+/);
      expect(p.get('server_encoding')).toBe('UTF8');
      expect(p.get('client_encoding')).toBe('UTF8');
      expect(p.get('DateStyle')).toBe('ISO, MDY');
      expect(p.get('integer_datetimes')).toBe('on');
      expect(p.get('standard_conforming_strings')).toBe('on');
      const zone = p.get('TimeZone') ?? '';
      expect(zone).not.toBe('');
      // The zone reported must be one the server itself accepts back.
      const set = await wire.simpleQuery(`SET TimeZone = '${zone.replace(/'/g, "''")}'`);
      expect(set.errorCode).toBeNull();
    } finally {
      wire.close();
    }
  });

  it('gives node pg a server_version it parses, and reports TimeZone again after SET', async () => {
    const client = new pg.Client(target.config);
    const reported: [string, string][] = [];
    client.connection.on('parameterStatus', (m: { parameterName: string; parameterValue: string }) =>
      reported.push([m.parameterName, m.parameterValue]),
    );
    await client.connect();
    try {
      const version = (await client.query('SHOW server_version')).rows[0]?.server_version as string;
      expect(version).toMatch(/^15\.\d+/);
      expect(Number.parseFloat(version)).toBeGreaterThanOrEqual(15);
      expect(Number.parseFloat(version)).toBeLessThan(16);
      expect(reported.find(([name]) => name === 'server_version')?.[1]).toBe(version);
      const before = reported.length;
      await client.query("SET TimeZone = 'America/New_York'");
      expect(reported.slice(before)).toEqual([['TimeZone', 'America/New_York']]);
      expect((await client.query('SHOW TimeZone')).rows).toEqual([{ TimeZone: 'America/New_York' }]);
      await client.query("SET application_name = 'startup-test'");
      expect(reported.at(-1)).toEqual(['application_name', 'startup-test']);
    } finally {
      await client.end();
    }
  });

  it('takes settings from the startup packet options', async () => {
    const client = new pg.Client({ ...target.config, options: '-c TimeZone=Asia/Kolkata', application_name: 'opts' });
    await client.connect();
    try {
      expect((await client.query('SHOW TimeZone')).rows).toEqual([{ TimeZone: 'Asia/Kolkata' }]);
      expect((await client.query('SHOW application_name')).rows).toEqual([{ application_name: 'opts' }]);
    } finally {
      await client.end();
    }
  });
});
