// The deployment artifacts' checks (tests/integration/test_artifacts.sh),
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

const [cmd, a, b] = process.argv.slice(2);
if (cmd === 'k8s-ts') k8sTs(a, b);
else if (cmd === 'k8s-validate') process.exitCode = await k8sValidate(a);
else {
  console.error('usage: check.mjs k8s-ts DOCS.json OUT.ts | k8s-validate DOCS.json');
  process.exit(2);
}
