// Figures of a fault-suite test, appended as one JSON line to $FJORD_FAULTS_REPORT when it is set
// (scripts/fault-suite.ts reads them back and prints the totals).
import { appendFileSync } from 'node:fs';

export function recordFigures(test: string, figures: Record<string, unknown>): void {
  const file = process.env['FJORD_FAULTS_REPORT'];
  if (file) appendFileSync(file, `${JSON.stringify({ test, ...figures })}\n`);
}
