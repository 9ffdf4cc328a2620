/**
 * Ingest rules: what happens to rows at the door, before they reach storage, whichever way they
 * came in (INSERT, COPY, HTTP). Each table's rules are kept here with the state they need across
 * batches. Rules may change column values (flags) but never drop or add rows, so nothing sent is
 * silently lost.
 */
import type { TableDef } from '../../storage/table-def.js';
import type { Batch } from '../../storage/vector.js';
import { BotFilter, type BotFlagRow } from './bot-filter.js';
import { resolveBotOptions } from './bot-options.js';
import { crawlerMatcher } from './crawler-list.js';
import type { UserAgentMatcher } from './user-agent-matcher.js';

export type { BotFlagRow } from './bot-filter.js';

interface TableRules {
  /** The options the rules were built from: a changed definition builds them again. */
  readonly options: TableDef['options'];
  readonly botFilter: BotFilter | null;
}

export class IngestRules {
  private readonly tables = new Map<number, TableRules>();

  /**
   * @param clockMs arrival time at the door, read once per batch (tests pass their own clock)
   * @param matcher the crawler patterns (the shipped list unless a test gives its own)
   */
  constructor(
    private readonly clockMs: () => number = Date.now,
    private readonly matcher: () => UserAgentMatcher = crawlerMatcher,
  ) {}

  /** The batch as it is to be stored. Called once per batch, in arrival order, on the event loop. */
  apply(table: TableDef, batch: Batch): Batch {
    // Tables without bot options pay one property read.
    if (table.options.bot_filter === undefined) return batch;
    const filter = this.rulesOf(table).botFilter;
    return filter === null ? batch : filter.apply(batch, this.clockMs());
  }

  private rulesOf(table: TableDef): TableRules {
    const known = this.tables.get(table.id);
    if (known !== undefined && known.options === table.options) return known;
    const config = resolveBotOptions(table.columns, table.options);
    const botFilter = config === null ? null : new BotFilter(table, config, config.userAgent === null ? null : this.matcher());
    const rules = { options: table.options, botFilter };
    this.tables.set(table.id, rules);
    return rules;
  }

  /**
   * What the bot filters flagged since the server started, for the tables in `liveTableIds`;
   * state of tables no longer there is dropped.
   */
  botFlagRows(liveTableIds: ReadonlySet<number>): BotFlagRow[] {
    const out: BotFlagRow[] = [];
    for (const [id, rules] of this.tables) {
      if (!liveTableIds.has(id)) {
        this.tables.delete(id);
        continue;
      }
      if (rules.botFilter !== null) out.push(...rules.botFilter.rows());
    }
    return out;
  }
}
