/**
 * Progress for long stages: a live bar on a terminal, a start and an end line otherwise (CI logs).
 */
import cliProgress from 'cli-progress';

export type Tick = (done?: number) => void;

export function progressBar(label: string, total: number): Tick {
  const start = Date.now();
  if (!process.stderr.isTTY) {
    process.stderr.write(`  ${label} ...\n`);
    let reported = false;
    let count = 0;
    return (done?: number) => {
      count = done ?? count + 1;
      if (count >= total && !reported) {
        reported = true;
        process.stderr.write(`  ${label} done in ${((Date.now() - start) / 1000).toFixed(1)} s\n`);
      }
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: `  ${label.padEnd(40).slice(0, 40)} [{bar}] {value}/{total} {duration_formatted}`, hideCursor: true, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  let count = 0;
  return (done?: number) => {
    count = done ?? count + 1;
    bar.update(Math.min(count, total));
    if (count >= total) bar.stop();
  };
}
