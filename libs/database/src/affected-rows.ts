import type { EntityManager } from 'typeorm';

/**
 * Runs an UPDATE or DELETE and returns how many rows it touched. TypeORM's raw
 * `query()` answers UPDATE/DELETE with `[rows, count]` on Postgres (and a plain
 * row array for SELECT/INSERT), so counting `result.length` would be wrong.
 */
export async function execute(em: EntityManager, sql: string, params: unknown[] = []): Promise<number> {
  const result: unknown = await em.query(sql, params);
  if (isRowsAndCount(result)) return result[1];
  return Array.isArray(result) ? result.length : 0;
}

/** Runs an UPDATE/DELETE … RETURNING (or any statement) and returns its rows. */
export async function returningRows<T>(em: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  const result: unknown = await em.query(sql, params);
  return (isRowsAndCount(result) ? result[0] : result) as T[];
}

function isRowsAndCount(result: unknown): result is [unknown[], number] {
  return Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number';
}
