/**
 * Writes the synthetic fixture's reports to a folder for a look by eye (not a test):
 *   npx tsx test/report/preview.ts /tmp/report-preview/ci
 * then open /tmp/report-preview/ci/site/index.html.
 */
import { writeReports } from '../../src/report/index.js';
import { demoPaper, otherPaper, run } from './fixture.js';
const t0 = performance.now();
const files = await writeReports([demoPaper(), otherPaper()], run, process.argv[2] ?? '/tmp/report-preview/ci');
console.log(files.length, 'files', (performance.now() - t0).toFixed(0), 'ms');
