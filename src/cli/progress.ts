/**
 * A progress bar for long CLI transfers, on stderr so stdout stays the command's result. On a
 * terminal it redraws one line; elsewhere (CI logs) it prints a line every tenth.
 */
export function progressBar(
  total: number,
  label: string,
  out: NodeJS.WriteStream = process.stderr,
) {
  const started = Date.now();
  let lastTenth = -1;
  let lastDraw = 0;
  const mb = (n: number) => (n / 1_048_576).toFixed(1);
  function line(done: number) {
    const share = total > 0 ? Math.min(1, done / total) : 1;
    const seconds = Math.max(0.001, (Date.now() - started) / 1000);
    const width = 30;
    const filled = Math.round(share * width);
    const bar = `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`;
    return `${label} [${bar}] ${Math.round(share * 100)}% ${mb(done)}/${mb(total)} MB ${mb(done / seconds)} MB/s`;
  }
  return {
    update(done: number) {
      if (out.isTTY) {
        const now = Date.now();
        if (now - lastDraw < 100 && done < total) return;
        lastDraw = now;
        out.write(`\r${line(done)}`);
        return;
      }
      const tenth = total > 0 ? Math.floor((done / total) * 10) : 10;
      if (tenth > lastTenth) {
        lastTenth = tenth;
        out.write(`${line(done)}\n`);
      }
    },
    finish(done: number) {
      if (out.isTTY) out.write(`\r${line(done)}\n`);
      else if (lastTenth < 10) out.write(`${line(done)}\n`);
    },
  };
}
