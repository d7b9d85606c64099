import { stringify } from "csv-stringify/sync";

export type Cell = string | number | Date | null;

/**
 * Item 17: the one CSV writer every export goes through. The library quotes, and
 * `escape_formulas` defuses cells a spreadsheet would run (= + - @, tab, carriage return).
 */
function csv(records: Cell[][], columns?: readonly string[]): string {
  return stringify(records, {
    header: !!columns,
    columns: columns ? [...columns] : undefined,
    bom: !!columns,
    escape_formulas: true,
    cast: { number: (n) => n.toFixed(2), date: (d) => d.toISOString() },
  });
}

/** Pulls one batch per read: a slow download holds the database no longer than it reads. */
export function csvStream(columns: readonly string[], batches: AsyncGenerator<Cell[][]>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(csv([], columns)));
        return;
      }
      const next = await batches.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(csv(next.value)));
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
}

/** Rows already in memory, as one batch. */
export async function* oneBatch(rows: Cell[][]): AsyncGenerator<Cell[][]> {
  if (rows.length) yield rows;
}

/** A whole small CSV document in memory (a patient's archive), through the same writer. */
export function csvRows(columns: readonly string[], rows: Cell[][]): string {
  return csv([], columns) + csv(rows);
}
