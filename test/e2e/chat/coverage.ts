/**
 * What `/help` lists, as command keys ("/segment create", "/queue", "offers"), and which key a
 * sent text exercises: the suite compares the two so that a command added to the help cannot ship
 * without a case here.
 */

/**
 * Keys from help replies. Admin lines start with the command (`/segment show <name>`), agent
 * lines with `/queue: …` or `/accept or /accept <n>: …`, customer lines with `- offers: …` (and
 * `(start: …)` inside the stop line).
 */
export function helpKeys(helpReplies: readonly string[]): Set<string> {
  const keys = new Set<string>();
  for (const line of helpReplies.flatMap((r) => r.split('\n')).map((l) => l.trim())) {
    if (line.startsWith('/')) {
      const head = line.split(':')[0]!.split(' or ')[0]!;
      const m = /^\/([a-z]+)(?:\s+([a-z]+)(?=\s|$))?/.exec(head);
      if (m) keys.add(m[2] ? `/${m[1]} ${m[2]}` : `/${m[1]}`);
    }
    const word = /^- ([a-z]+):/.exec(line);
    if (word) keys.add(word[1]!);
    for (const inner of line.matchAll(/\(([a-z]+):/g)) keys.add(inner[1]!);
  }
  return keys;
}

/** The help key a sent text exercises (its command and sub-command, or a customer's word). */
export function keyOf(text: string, keys: ReadonlySet<string>): string {
  const t = text.trim();
  if (!t.startsWith('/')) return t.toLowerCase();
  const m = /^\/([a-z]+)(?:\s+([a-z]+))?/i.exec(t);
  if (!m) return t;
  const word = `/${m[1]!.toLowerCase()}`;
  const sub = m[2] ? `${word} ${m[2].toLowerCase()}` : '';
  return sub && keys.has(sub) ? sub : word;
}
