/**
 * Union-find over record indices with constraints: a cluster never holds two records of one curated
 * source (their own coders judged them two incidents) nor a pair an analyst unlinked. Edges are taken
 * strongest first, so a record joins the incident it matches best.
 */
export class ConstrainedClusters {
  private readonly parent: number[] = [];
  private readonly size: number[] = [];
  /** Per root: the curated sources present (for roots with more than one member). */
  private readonly sources = new Map<number, Set<string>>();
  /** Per root: records it must never be joined with. */
  private readonly forbidden = new Map<number, Set<number>>();

  constructor(
    private readonly sourceOf: (index: number) => string,
    private readonly isCurated: (source: string) => boolean,
  ) {}

  add(): number {
    const index = this.parent.length;
    this.parent.push(index);
    this.size.push(1);
    return index;
  }

  find(x: number): number {
    let root = x;
    while (this.parent[root] !== root) root = this.parent[root]!;
    while (this.parent[x] !== root) {
      const next = this.parent[x]!;
      this.parent[x] = root;
      x = next;
    }
    return root;
  }

  forbid(a: number, b: number): void {
    for (const [x, y] of [
      [a, b],
      [b, a],
    ] as const) {
      const root = this.find(x);
      const set = this.forbidden.get(root) ?? new Set<number>();
      set.add(y);
      this.forbidden.set(root, set);
    }
  }

  private sourcesOf(root: number): Set<string> {
    const known = this.sources.get(root);
    if (known) return known;
    const source = this.sourceOf(root);
    return new Set(this.isCurated(source) ? [source] : []);
  }

  /** Why `a` and `b` may not be joined, or null if they may. */
  conflict(a: number, b: number): string | null {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return null;
    const sa = this.sourcesOf(ra);
    for (const s of this.sourcesOf(rb)) if (sa.has(s)) return `both incidents already have a ${s} record`;
    for (const [r1, r2] of [
      [ra, rb],
      [rb, ra],
    ] as const) {
      for (const x of this.forbidden.get(r1) ?? []) if (this.find(x) === r2) return 'unlinked by hand';
    }
    return null;
  }

  /** Joins the clusters of `a` and `b`; with `force` the curated-source rule is waived (manual links). */
  union(a: number, b: number, force = false): boolean {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return true;
    const reason = this.conflict(a, b);
    if (reason && !(force && reason !== 'unlinked by hand')) return false;
    const [big, small] = this.size[ra]! >= this.size[rb]! ? [ra, rb] : [rb, ra];
    this.parent[small] = big;
    this.size[big] = this.size[big]! + this.size[small]!;
    const merged = this.sourcesOf(big);
    for (const s of this.sourcesOf(small)) merged.add(s);
    this.sources.set(big, merged);
    this.sources.delete(small);
    const forbidden = this.forbidden.get(small);
    if (forbidden) {
      const into = this.forbidden.get(big) ?? new Set<number>();
      for (const x of forbidden) into.add(x);
      this.forbidden.set(big, into);
      this.forbidden.delete(small);
    }
    return true;
  }
}
