// The deployment artifacts' checks (tests/integration/test_artifacts.sh and test_metrics.sh),
// run from .output/deploy, where tests/deploy/package.json's packages are installed:
//
//   node check.mjs k8s-ts DOCS.json OUT.ts
//       writes every document as a literal of its kind's type from the Kubernetes models
//       (kubernetes-models, @kubernetes-models/prometheus-operator): `tsc --strict` of OUT.ts
//       then refuses a field the API does not have (a misspelt one), a wrong type, a missing
//       required field
//   node check.mjs k8s-validate DOCS.json
//       checks every document against its kind's JSON schema (the models' validate(): enums,
//       integer formats, what types cannot say); prints one line per fault, exit 1
//   node check.mjs promql EXPRS.json
//       parses each expression of {"where": "expr", ...} with Prometheus's own PromQL grammar
//       (@prometheus-io/lezer-promql) and prints {"where": [{"name": metric, "matchers": text}]}
//       for each vector selector; an expression that does not parse, names no metric or
//       selects one by __name__ is a fault (exit 1)
//
// DOCS.json is a JSON array of Kubernetes documents. A document of a kind that has no model
// here is an error (exit 2), never skipped.
import { readFileSync, writeFileSync } from 'node:fs';

const MODELS = {
  'v1 Namespace': 'kubernetes-models/v1/Namespace',
  'v1 ConfigMap': 'kubernetes-models/v1/ConfigMap',
  'v1 Service': 'kubernetes-models/v1/Service',
  'apps/v1 DaemonSet': 'kubernetes-models/apps/v1/DaemonSet',
  'networking.k8s.io/v1 NetworkPolicy': 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy',
  'monitoring.coreos.com/v1 ServiceMonitor':
    '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor',
};

const named = (d) => `${d.kind}/${d.metadata?.name}`;

function modelOf(d, i) {
  const m = MODELS[`${d.apiVersion} ${d.kind}`];
  if (!m) {
    console.error(`document ${i} (${d.apiVersion} ${d.kind}): no model of that kind here`);
    process.exit(2);
  }
  return m;
}

function k8sTs(docsFile, out) {
  const docs = JSON.parse(readFileSync(docsFile, 'utf8'));
  const lines = docs.map((d, i) => `import type { I${d.kind} as T${i} } from '${modelOf(d, i)}';`);
  docs.forEach((d, i) => {
    lines.push(`// ${named(d)}`);
    lines.push(`export const d${i}: T${i} = ${JSON.stringify(d)};`);
  });
  writeFileSync(out, lines.join('\n') + '\n');
}

async function k8sValidate(docsFile) {
  const docs = JSON.parse(readFileSync(docsFile, 'utf8'));
  let bad = 0;
  for (const [i, d] of docs.entries()) {
    const Model = (await import(modelOf(d, i)))[d.kind];
    try {
      new Model(d).validate();
    } catch (e) {
      console.log(`${named(d)}: ${e.message}`);
      bad++;
    }
  }
  return bad ? 1 : 0;
}

async function promql(exprsFile) {
  const { parser } = await import('@prometheus-io/lezer-promql');
  const exprs = JSON.parse(readFileSync(exprsFile, 'utf8'));
  const out = {};
  let bad = 0;
  for (const [where, e] of Object.entries(exprs)) {
    const sel = [];
    const faults = [];
    parser.parse(e).iterate({
      enter(n) {
        if (n.type.isError) faults.push(`does not parse at offset ${n.from}: ${JSON.stringify(e.slice(n.from, n.from + 20))}`);
        if (n.name !== 'VectorSelector') return;
        const id = n.node.getChild('Identifier');
        const m = n.node.getChild('LabelMatchers');
        if (!id) faults.push(`a selector without a metric name: ${e.slice(n.from, n.to)}`);
        else sel.push({ name: e.slice(id.from, id.to), matchers: m ? e.slice(m.from, m.to) : '' });
      },
    });
    if (e.includes('__name__')) faults.push('selects a metric by __name__');
    if (!sel.length && !faults.length) faults.push('names no metric');
    for (const f of faults) console.error(`${where}: ${f}`);
    bad += faults.length;
    out[where] = sel;
  }
  console.log(JSON.stringify(out, null, 1));
  return bad ? 1 : 0;
}

const [cmd, a, b] = process.argv.slice(2);
if (cmd === 'k8s-ts') k8sTs(a, b);
else if (cmd === 'k8s-validate') process.exitCode = await k8sValidate(a);
else if (cmd === 'promql') process.exitCode = await promql(a);
else {
  console.error('usage: check.mjs k8s-ts DOCS.json OUT.ts | k8s-validate DOCS.json | promql EXPRS.json');
  process.exit(2);
}
