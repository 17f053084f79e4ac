/**
 * Who holds the embedded database's H2 file: another of our JVMs started on it (its command line
 * names the file). Linux /proc only; elsewhere the message says what to look for.
 */
import fs from 'node:fs';

export function describeLockHolder(h2File: string): string {
  const holder = findHolder(h2File);
  const who = holder
    ? `by process ${holder.pid} (${holder.cmd.slice(0, 120)}…)`
    : 'by another process (a java process whose command line names this file)';
  return (
    `The embedded database file ${h2File} is locked ${who}: another Segments server is using the ` +
    `same DATA_DIR, or its database outlived a crashed one. Stop that process` +
    `${holder ? ` (kill ${holder.pid})` : ''} and start again, or use another DATA_DIR.`
  );
}

function findHolder(h2File: string): { pid: number; cmd: string } | undefined {
  let pids: string[];
  try {
    pids = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    try {
      const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (Number(pid) !== process.pid && args.includes(h2File))
        return { pid: Number(pid), cmd: args.join(' ') };
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return undefined;
}
