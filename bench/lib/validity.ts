/**
 * Independent validity check of a math-trade result, written apart from the
 * library's reader: it re-reads the raw want lists itself and checks that
 * every step of every loop is a want stated in the file, that no item or dummy
 * is used twice, and that every loop has 2..maxLoop real items.
 */
export interface CheckResult {
  valid: boolean;
  errors: string[];
}

export function checkLoops(fileText: string, loops: string[][], maxLoop: number): CheckResult {
  const upper = !/^#!.*CASE-SENSITIVE/im.test(fileText);
  const wants = new Map<string, Set<string>>();
  let official = false;
  for (const raw of fileText.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('!BEGIN-OFFICIAL-NAMES')) official = true;
    if (line.startsWith('!END-OFFICIAL-NAMES')) {
      official = false;
      continue;
    }
    if (official || line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const m = /^(?:\(([^)]*)\))?\s*(.*)$/.exec(line)!;
    const user = (m[1] ?? '').trim();
    const toks = m[2].replace(/:/g, ' ').split(/\s+/).filter((t) => t && t !== ';');
    const name = (t: string) => {
      const x = upper ? t.toUpperCase() : t;
      return x.startsWith('%') ? `${x} for user ${user}` : x;
    };
    if (toks.length === 0) continue;
    const head = name(toks[0]);
    if (!wants.has(head)) wants.set(head, new Set(toks.slice(1).map(name)));
  }
  const errors: string[] = [];
  const used = new Set<string>();
  for (const loop of loops) {
    const real = loop.filter((x) => !x.startsWith('%')).length;
    if (real < 2 || real > maxLoop) errors.push(`loop with ${real} items: ${loop.join(' ')}`);
    for (let i = 0; i < loop.length; i++) {
      const a = loop[i];
      const b = loop[(i + 1) % loop.length];
      if (used.has(a)) errors.push(`${a} used twice`);
      used.add(a);
      if (!wants.get(a)?.has(b)) errors.push(`${a} does not want ${b}`);
    }
  }
  return { valid: errors.length === 0, errors: errors.slice(0, 10) };
}
