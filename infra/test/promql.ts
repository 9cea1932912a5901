// PromQL read with Prometheus's own grammar (@prometheus-io/lezer-promql): syntax errors, the metrics an
// expression selects and the labels it matches on or groups by, checked against what the services export.
import { parser } from '@prometheus-io/lezer-promql';
import type { ExportedMetric } from './exported-metrics.ts';

type SyntaxNode = ReturnType<typeof parser.parse>['topNode'];

/** Metrics Prometheus makes itself for every target, with their labels. */
export const PROMETHEUS_METRICS: Record<string, string[]> = { up: ['job', 'instance'] };

const childrenOf = (n: SyntaxNode): SyntaxNode[] => {
  const out: SyntaxNode[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
};
const descendants = (n: SyntaxNode, name: string): SyntaxNode[] => childrenOf(n).flatMap((c) => [...(c.name === name ? [c] : []), ...descendants(c, name)]);

/** Everything wrong with `expr`: syntax errors, metrics nobody exports, labels a selected metric does not carry. */
export function problemsOf(expr: string, exported: ReadonlyMap<string, readonly ExportedMetric[]>): string[] {
  const tree = parser.parse(expr);
  const text = (n: SyntaxNode) => expr.slice(n.from, n.to);
  const problems: string[] = [];
  const labelsOf = (metric: string): Set<string> | null => {
    if (PROMETHEUS_METRICS[metric]) return new Set(PROMETHEUS_METRICS[metric]);
    const ms = exported.get(metric);
    return ms ? new Set(ms.flatMap((m) => [...m.labels])) : null;
  };
  tree.iterate({ enter: (ref) => { if (ref.type.isError) problems.push(`syntax error at ${ref.from}: "${expr.slice(Math.max(0, ref.from - 20), ref.to + 20)}"`); } });
  const top = tree.topNode;
  const selectors = descendants(top, 'VectorSelector');
  for (const sel of selectors) {
    const id = childrenOf(sel).find((c) => c.name === 'Identifier');
    if (!id) { problems.push(`selector without a metric name: ${text(sel)}`); continue; }
    const labels = labelsOf(text(id));
    if (!labels) { problems.push(`${text(id)} is not exported by any service`); continue; }
    for (const l of descendants(sel, 'LabelName')) if (!labels.has(text(l))) problems.push(`${text(id)} has no label "${text(l)}"`);
  }
  for (const agg of descendants(top, 'AggregateExpr')) {
    const by = childrenOf(agg).find((c) => c.name === 'AggregateModifier' && childrenOf(c).some((x) => x.name === 'By'));
    if (!by) continue;
    const grouped = descendants(by, 'LabelName').map(text);
    for (const sel of descendants(agg, 'VectorSelector')) {
      const id = childrenOf(sel).find((c) => c.name === 'Identifier');
      const labels = id ? labelsOf(text(id)) : null;
      if (!labels) continue;
      for (const g of grouped) if (!labels.has(g)) problems.push(`"${text(agg).slice(0, 60)}…" groups by "${g}", which ${text(id!)} does not carry`);
    }
  }
  return problems;
}

/** The metric names an expression selects. */
export function metricsOf(expr: string): string[] {
  const tree = parser.parse(expr);
  return descendants(tree.topNode, 'VectorSelector').flatMap((s) => childrenOf(s).filter((c) => c.name === 'Identifier').map((c) => expr.slice(c.from, c.to)));
}
