/**
 * Progress of long CLI work: on a terminal, one line redrawn in place with the count, the rate and the
 * time left; piped, nothing until the caller prints its summary line.
 */
export function progressLine(label: string, stream: NodeJS.WriteStream = process.stderr): { update(done: number, total: number): void; end(): void } {
  const started = Date.now();
  let drawn = false;
  return {
    update(done, total) {
      if (!stream.isTTY) return;
      const elapsed = (Date.now() - started) / 1000;
      const rate = elapsed > 0 ? done / elapsed : 0;
      const left = rate > 0 ? Math.round((total - done) / rate) : undefined;
      const percent = total ? Math.floor((100 * done) / total) : 100;
      stream.write(`\r${label}: ${done.toLocaleString("en")}/${total.toLocaleString("en")} (${percent}%)${left === undefined ? "" : ` · about ${formatSeconds(left)} left`}\x1b[K`);
      drawn = true;
    },
    end() {
      if (drawn) stream.write("\n");
    },
  };
}

function formatSeconds(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
