/** What a COPY ... TO STDOUT sends, read through pg-copy-streams on a connection of its own. */
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';

export async function copyOutBytes(config: pg.ClientConfig, sql: string): Promise<Buffer> {
  const client = new pg.Client(config);
  await client.connect();
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of client.query(copyTo(sql))) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  } finally {
    await client.end();
  }
}
