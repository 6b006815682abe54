import { TradeGraph, buildGraph } from '../graph/trade-graph';

/**
 * A parsed TradeMaximizer want-list file, already turned into the item graph.
 *
 * Rules followed (TradeMaximizer 1.3c, plus the OLWLG exports):
 * - `#!` lines carry options; `#` lines are comments; `;` in a want list marks
 *   a priority gap and is skipped.
 * - `!BEGIN-OFFICIAL-NAMES` … `!END-OFFICIAL-NAMES`: when present, only those
 *   names may trade; lines and wants naming anything else are dropped.
 * - `(user) ITEM : WANT WANT …` (the colon is optional, the user too).
 * - Names are case-insensitive (upper-cased) unless `CASE-SENSITIVE`.
 * - `%NAME` is a dummy: private to its user (renamed "%NAME for user U"), a
 *   pass-through node that is never counted as an item.
 * - Wants of items without a want-list line, duplicates, and wants of the
 *   owner's own items are dropped.
 */
export interface MathTrade {
  graph: TradeGraph;
  names: string[];
  owners: string[];
  options: string[];
  /** Items (not dummies) in the graph. */
  items: number;
  /** Directed want edges in the graph. */
  edges: number;
  /** The raw (kept) want list per node, by name, for independent checks. */
  wantNames: Map<string, Set<string>>;
}

export function parseTradeMaximizer(text: string): MathTrade {
  const options: string[] = [];
  let official: Set<string> | null = null;
  let inOfficial = false;
  const lines: Array<{ user: string; item: string; wants: string[] }> = [];
  let caseSensitive = false;

  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('#!')) {
      for (const opt of line.slice(2).trim().split(/\s+/)) {
        if (!opt) continue;
        options.push(opt.toUpperCase());
        if (opt.toUpperCase() === 'CASE-SENSITIVE') caseSensitive = true;
      }
      continue;
    }
    if (line.startsWith('#')) continue;
    if (line.startsWith('!BEGIN-OFFICIAL-NAMES')) {
      inOfficial = true;
      official = official ?? new Set();
      continue;
    }
    if (line.startsWith('!END-OFFICIAL-NAMES')) {
      inOfficial = false;
      continue;
    }
    if (inOfficial) {
      const name = line.split(/\s+/)[0];
      official!.add(caseSensitive ? name : name.toUpperCase());
      continue;
    }
    let rest = line;
    let user = '';
    if (rest.startsWith('(')) {
      const close = rest.indexOf(')');
      if (close < 0) continue;
      user = rest.slice(1, close).trim();
      rest = rest.slice(close + 1).trim();
    }
    const tokens = rest.split(/\s+/).filter((t) => t !== '' && t !== ';' && t !== ':');
    if (tokens.length === 0) continue;
    let head = tokens[0];
    if (head.endsWith(':')) head = head.slice(0, -1);
    lines.push({ user, item: head, wants: tokens.slice(1).map((t) => (t.endsWith(':') ? t.slice(0, -1) : t)) });
  }

  const norm = (name: string, user: string): string => {
    const n = caseSensitive ? name : name.toUpperCase();
    return n.startsWith('%') ? `${n} for user ${user}` : n;
  };

  const index = new Map<string, number>();
  const names: string[] = [];
  const owners: string[] = [];
  const dummyFlags: number[] = [];
  const kept: Array<{ node: number; user: string; wants: string[] }> = [];
  for (const l of lines) {
    const name = norm(l.item, l.user);
    const isDummy = name.startsWith('%');
    if (!isDummy && official && !official.has(name)) continue;
    if (index.has(name)) continue; // duplicate want list: the first one stands
    const node = names.length;
    index.set(name, node);
    names.push(name);
    owners.push(l.user || name); // without usernames every item is its own owner
    dummyFlags.push(isDummy ? 1 : 0);
    kept.push({ node, user: l.user, wants: l.wants });
  }

  const from: number[] = [];
  const to: number[] = [];
  const score: number[] = [];
  const wantNames = new Map<string, Set<string>>();
  for (const k of kept) {
    const set = new Set<string>();
    const targets: number[] = [];
    for (const w of k.wants) {
      const name = norm(w, k.user);
      const v = index.get(name);
      if (v === undefined || v === k.node || set.has(name)) continue;
      // A user's own items are dropped from their wants; their own dummies are the point.
      if (owners[v] === owners[k.node] && k.user !== '' && !dummyFlags[v] && !dummyFlags[k.node]) continue;
      set.add(name);
      targets.push(v);
    }
    targets.forEach((v, rank) => {
      from.push(k.node);
      to.push(v);
      score.push(1 - rank / Math.max(1, targets.length));
    });
    wantNames.set(names[k.node], set);
  }
  const dummy = Uint8Array.from(dummyFlags);
  const graph = buildGraph(dummy, from, to, score);
  let items = 0;
  for (const d of dummyFlags) if (!d) items++;
  return { graph, names, owners, options, items, edges: graph.offsets[graph.n], wantNames };
}
