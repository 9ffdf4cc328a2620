/**
 * psql's describe commands against the server: \dt, \d (no argument), \d events, \dn[+], \df, \du and \l read
 * pg_catalog (pg_class, pg_namespace, pg_am, pg_database) with the regex operators and the system
 * information functions. Expected output is what psql 15 prints against PostgreSQL 15 for the
 * same events table (run with E2E_TARGET=postgres to see it still is); \l lists PostgreSQL's
 * template databases too, so only its header and the current database's row are compared.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventsTableDdl, startTarget, type Target } from './clients-target.js';
import { connectionArgs, findPsql, runPsql } from './psql-run.js';

const psql = findPsql();

const relationsList = `         List of relations
 Schema |  Name  | Type  |  Owner   
--------+--------+-------+----------
 public | events | table | eventide
(1 row)

`;

const schemasList = `      List of schemas
  Name  |       Owner       
--------+-------------------
 public | pg_database_owner
(1 row)

`;

const schemasVerbose = `                                       List of schemas
  Name  |       Owner       |           Access privileges            |      Description       
--------+-------------------+----------------------------------------+------------------------
 public | pg_database_owner | pg_database_owner=UC/pg_database_owner+| standard public schema
        |                   | =U/pg_database_owner                   | 
(1 row)

`;

const functionsList = `                       List of functions
 Schema | Name | Result data type | Argument data types | Type 
--------+------+------------------+---------------------+------
(0 rows)

`;

const rolesList = `                                   List of roles
 Role name |                         Attributes                         | Member of 
-----------+------------------------------------------------------------+-----------
 eventide  | Superuser, Create role, Create DB, Replication, Bypass RLS | {}

`;

const eventsTable = `                          Table "public.events"
   Column    |           Type           | Collation | Nullable | Default 
-------------+--------------------------+-----------+----------+---------
 event_id    | bigint                   |           |          | 
 event_time  | timestamp with time zone |           | not null | 
 user_id     | bigint                   |           | not null | 
 session_id  | text                     |           |          | 
 event_type  | text                     |           | not null | 
 page        | text                     |           |          | 
 country     | text                     |           |          | 
 device      | text                     |           |          | 
 revenue     | numeric(12,2)            |           |          | 
 duration_ms | integer                  |           |          | 
 properties  | jsonb                    |           |          | 

`;

const databasesHeader = '   Name   |  Owner   | Encoding | Collate | Ctype | ICU Locale | Locale Provider |   Access privileges   ';

describe.skipIf(psql === null)('psql describe commands', () => {
  const psqlPath = psql ?? 'psql';
  let target: Target;

  const run = (command: string) => runPsql(psqlPath, [...connectionArgs(target), '-c', command]);

  beforeAll(async () => {
    target = await startTarget();
    const created = await run(eventsTableDdl(target.kind));
    expect(created.stderr).toBe('');
  });

  afterAll(async () => {
    await target?.stop();
  });

  it('\\dt and \\d list the tables of the search path', async () => {
    const tables = await run('\\dt');
    expect(tables.stderr).toBe('');
    expect(tables.stdout).toBe(relationsList);
    const all = await run('\\d');
    expect(all.stderr).toBe('');
    expect(all.stdout).toBe(relationsList);
  });

  it('\\dt shows a table created or dropped a moment ago', async () => {
    await run('CREATE TABLE later (id int)');
    expect((await run('\\dt')).stdout).toContain(' public | later  | table | eventide\n');
    await run('DROP TABLE later');
    expect((await run('\\dt')).stdout).toBe(relationsList);
  });

  it('\\d events describes the table: columns, types with modifiers, NOT NULL', async () => {
    const result = await run('\\d events');
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(eventsTable);
  });

  it('\\dn lists the schemas', async () => {
    const result = await run('\\dn');
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(schemasList);
  });

  it('\\dn+ shows the schema privileges and comment, \\df the (no) user functions', async () => {
    const schemas = await run('\\dn+');
    expect(schemas.stderr).toBe('');
    expect(schemas.stdout).toBe(schemasVerbose);
    const functions = await run('\\df');
    expect(functions.stderr).toBe('');
    expect(functions.stdout).toBe(functionsList);
  });

  it('\\du lists the session user as a superuser', async () => {
    const result = await run('\\du');
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(rolesList);
  });

  it('\\l lists the current database', async () => {
    const result = await run('\\l');
    expect(result.stderr).toBe('');
    const lines = result.stdout.split('\n');
    // Column widths follow the widest value; compare the row with PostgreSQL's, spaces trimmed.
    expect(lines[1]?.replace(/ +/g, ' ').trim()).toBe(databasesHeader.replace(/ +/g, ' ').trim());
    const row = lines.find((line) => line.startsWith(' eventide '));
    // Collate and Ctype are the cluster's locale (initdb's), which SHOW lc_collate reports.
    const locale = (await runPsql(psqlPath, [...connectionArgs(target), '-At', '-c', 'SHOW lc_collate'])).stdout.trim();
    expect(row?.split('|').map((cell) => cell.trim())).toEqual(['eventide', 'eventide', 'UTF8', locale, locale, '', 'libc', '']);
  });
});
